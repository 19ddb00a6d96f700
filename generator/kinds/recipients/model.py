"""A benefit list (公示名单) of any programme: its declared table, its 公示期 and what stays after it.

The 低保 list (generator/datasets/assistance.py NoticeList) generalised: the category declares the columns
(masked ones with `x-mask`), the 公示类型 and their days (`notices`), which column holds the 村/社区 and
whether village totals or nothing remain once the 公示期 is over (`recipients: {village, after}`).
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from ...datasets.grid import COUNT, TEXT, Column, Grid, Row
from ...model import NoticePeriod
from ..table.model import DeclaredTable, grid_kind, sum_of

ON, OVER, AHEAD = "公示中", "公示已结束", "尚未开始公示"
TOTALS, NOTHING = "totals", "nothing"


@dataclass(frozen=True)
class RecipientList:
    table: DeclaredTable
    notice_kind: str                 # 初审, 发放 … ('' when the category declares no 公示类型)
    period: NoticePeriod
    long_term: bool = False          # 长期公布: the list stays after the 公示期
    after: str = TOTALS              # what remains after the 公示期: village totals or nothing
    village: str = ""                # the column holding the 村/社区
    row_unit: str = "户"             # what one row is: 户 or 人

    @property
    def kind_name(self) -> str:
        return self.table.kind_name

    @property
    def label(self) -> str:
        kind = self.notice_kind or ""
        return kind if kind.endswith("公示") else f"{kind}公示"

    def span(self):
        return self.table.span()

    def status(self, day: date) -> str:
        if day < self.period.start:
            return AHEAD
        return ON if day <= self.period.end else OVER

    def shows_list(self, day: date) -> bool:
        return self.long_term or day <= self.period.end

    def expired(self, on: date) -> bool:
        """Off the website once the 公示期 is over (unless 长期公布): page, downloads and board sheet; paper prints
        it only as an archive copy (Record.list_expired, export/stamps.py), as for the 低保 list."""
        return not self.shows_list(on)

    @property
    def villages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(str(r.get(self.village)) for r in self.table.rows if r.get(self.village)))

    def list_grids(self) -> tuple[Grid, ...]:
        return self.table.grids(title=f"{self.label}名单（{len(self.table.rows)}{self.row_unit}）")

    def summary_grid(self) -> Grid:
        """Rows and summed columns per 村/社区: what stays on the page after the 公示期."""
        groups: OrderedDict[str, list] = OrderedDict()
        for r in self.table.rows:
            groups.setdefault(str(r.get(self.village) or "—"), []).append(r)
        summed = self.table.spec.summed
        village_title = self.table.spec.column(self.village).title if self.table.spec.column(self.village) else "村/社区"
        columns = ((Column("village", village_title, TEXT), Column("count", f"{self.row_unit}数", COUNT, self.row_unit))
                   + tuple(Column(c.key, f"{c.title}合计", grid_kind(c), c.unit) for c in summed))
        rows = tuple(Row((v, len(rs)) + tuple(sum_of(rs, c.key) for c in summed)) for v, rs in groups.items())
        rows += (Row(("合计", len(self.table.rows)) + tuple(sum_of(self.table.rows, c.key) for c in summed),
                     total=True),)
        return Grid(f"{self.table.spec.field}_summary", "按村（社区）汇总", columns, rows, header_column=0)

    def search_text(self) -> str:
        """Only the villages: names on a list are never a way into the search index, even masked."""
        return " ".join(self.villages)

    def values_of(self, key: str) -> list[str]:
        return self.table.values_of(key) if key == self.village else []

    def to_json(self, with_list: bool) -> dict:
        out = {"notice_kind": self.notice_kind,
               "notice_period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
               "long_term": self.long_term, "count": len(self.table.rows),
               "totals": {k: v for k, v in self.table.totals().items()}}
        if with_list:
            out["list"] = self.table.to_json()
        elif self.after == TOTALS:
            out["by_village"] = [dict(zip([c.key for c in g.columns], r.cells))
                                 for g in (self.summary_grid(),) for r in g.rows if not r.total]
        return out
