"""A benefit list on its record page by 公示期 status, and the category's lists at a glance (never names).

During the 公示期 (or for good when 长期公布) the page, its CSV and its JSON carry the list; afterwards they
carry only what the category lets remain: totals by 村/社区, or nothing but the count.
"""
from __future__ import annotations

from ...datasets.clock import today
from ...dataviews import CategoryBlock, RecordData, Section, add_tables
from .model import OVER, TOTALS, RecipientList


class RecipientViews:
    def __init__(self, index):
        self.index = index
        self.today = today()

    def record(self, record, data: RecordData) -> None:
        for d in record.datasets:
            if not isinstance(d, RecipientList):
                continue
            shown = d.shows_list(self.today)
            grids = d.list_grids() if shown else (d.summary_grid(),) if d.after == TOTALS else ()
            add_tables(data, record, grids)
            data.json[d.kind_name] = d.to_json(with_list=shown)
            data.sections.append(Section("kinds/recipients/recipients.md.j2", d.table.spec.title, grids,
                                         extra={"list": d, "status": d.status(self.today), "shown": shown}))

    def category_sections(self, category) -> list[CategoryBlock]:
        lists = sorted(((r, d) for r, d in self.index.of(RecipientList) if r.category.id == category.id),
                       key=lambda p: (p[1].period.start, p[0].index_no), reverse=True)
        if not lists:
            return []
        rows = [{"record": r, "list": d, "status": "长期公布" if d.long_term and d.status(self.today) == OVER
                 else d.status(self.today)} for r, d in lists]
        return [CategoryBlock("kinds/recipients/index.md.j2", "公示名单一览", extra={"rows": rows})]

    def pages(self):
        return []

    def category_links(self, category_id: str):
        return []
