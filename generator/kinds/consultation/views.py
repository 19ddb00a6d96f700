"""Consultations on pages: the window's status like a 公示, how to comment, and the adoption report linked both
ways; the category page lists what is open for comment now and what still awaits its adoption report."""
from __future__ import annotations

from collections import defaultdict

from ...datasets.clock import today
from ...dataviews import CategoryBlock, RecordData, Section, add_tables
from .model import CLOSED, OPEN, AdoptionReport, Consultation


class ConsultationViews:
    def __init__(self, index):
        self.index = index
        self.today = today()
        self.consultations = {r.index_no: (r, d) for r, d in index.of(Consultation)}
        self.reports = defaultdict(list)      # index_no of a consultation -> its visible adoption reports
        for r, d in index.of(AdoptionReport):
            self.reports[d.consultation].append(r)

    def record(self, record, data: RecordData) -> None:
        for d in record.datasets:
            if isinstance(d, Consultation):
                data.json["consultation"] = {"start": d.window.start.isoformat(), "end": d.window.end.isoformat(),
                                             "how_to_comment": d.how_to_comment, "status": d.status(self.today)}
                # The window and how to comment come first: it is what a reader of a consultation came for.
                data.lead.append(Section("kinds/consultation/consultation.md.j2", "征求意见", extra={
                    "c": d, "status": d.status(self.today), "days_left": d.days_left(self.today),
                    "reports": self.reports.get(record.index_no, [])}))
            elif isinstance(d, AdoptionReport):
                grids = d.grids()
                add_tables(data, record, grids)
                data.json["adoption_report"] = d.to_json()
                target = self.consultations.get(d.consultation)
                data.sections.append(Section("kinds/consultation/adoption_report.md.j2", "意见采纳情况", grids, extra={
                    "report": d, "consultation": target[0] if target else None,
                    "window": target[1].window if target else None}))

    def category_sections(self, category) -> list[CategoryBlock]:
        mine = [(r, d) for r, d in self.consultations.values() if r.category.id == category.id]
        if not mine:
            return []
        open_now = sorted(((r, d) for r, d in mine if d.status(self.today) == OPEN), key=lambda p: p[1].window.end)
        waiting = sorted(((r, d) for r, d in mine if d.status(self.today) == CLOSED and not self.reports.get(r.index_no)),
                         key=lambda p: p[1].window.end, reverse=True)
        return [CategoryBlock("kinds/consultation/index.md.j2", "正在征求意见", extra={
            "open": [(r, d, d.days_left(self.today)) for r, d in open_now], "waiting": waiting})]

    def pages(self):
        return []

    def category_links(self, category_id: str):
        return []
