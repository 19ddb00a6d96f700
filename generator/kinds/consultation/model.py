"""重大决策预公开 / 征求意见: a comment window (consultation) and the report on what was adopted (adoption_report).

A consultation is open from its first to its last day (both count), measured against the build date like a
公示; its adoption report names the consultation by 索引号 and the two pages link each other.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...datasets.grid import COUNT, TEXT, Column, Grid, Row
from ...model import NoticePeriod
from ..table.model import DeclaredTable

OPEN, CLOSED, AHEAD = "征求意见中", "征求意见已结束", "尚未开始征求意见"
RESULTS = ("采纳", "部分采纳", "未采纳")
COUNT_FIELDS = (("received", "收到意见"), ("adopted", "采纳"), ("partly_adopted", "部分采纳"),
                ("not_adopted", "未采纳"))


@dataclass(frozen=True)
class Consultation:
    window: NoticePeriod
    how_to_comment: str
    report_within: int | None = None     # days after the window for the adoption report (_category.yml)
    kind_name: str = "consultation"

    def status(self, day: date) -> str:
        if day < self.window.start:
            return AHEAD
        return OPEN if day <= self.window.end else CLOSED

    def days_left(self, day: date) -> int:
        return (self.window.end - day).days + 1

    def report_due(self) -> date | None:
        from datetime import timedelta
        return self.window.end + timedelta(days=self.report_within) if self.report_within else None

    def search_text(self) -> str:
        return self.how_to_comment


@dataclass(frozen=True)
class AdoptionReport:
    consultation: str                    # 索引号 of the consultation it reports on
    counts: tuple[tuple[str, int], ...]  # (label, number) of 收到意见, 采纳 …
    opinions: DeclaredTable | None = None
    kind_name: str = "adoption_report"

    def grids(self) -> tuple[Grid, ...]:
        out = []
        if self.counts:
            out.append(Grid("adoption_counts", "意见采纳情况统计", (Column("item", "项目", TEXT),
                                                           Column("count", "条数", COUNT, "条")),
                            tuple(Row((label, n)) for label, n in self.counts), header_column=0))
        if self.opinions is not None:
            out += self.opinions.grids()
        return tuple(out)

    def search_text(self) -> str:
        return self.opinions.search_text() if self.opinions else ""

    def to_json(self) -> dict:
        return {"consultation": self.consultation, "counts": dict(self.counts),
                **({"opinions": self.opinions.to_json()} if self.opinions else {})}
