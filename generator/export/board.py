"""公开栏 board sheets: which records go on the board and which are due in a quarter (sheet.py lays them out).

A record goes on the board when its category says every record does (_category.yml print.board) or when one
of its postings is a 公开栏; records that are not public never do (Record.on_board). It is due in a quarter
when its 公示期 or a 公开栏 posting overlaps the quarter, or, in a board category, when it was published then.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import BOARD, Record
from .layout import QUARTER_NAMES, cn_date, notice_text

_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Quarter | None":
        match = _QUARTER.match(text.strip())
        return cls(int(match[1]), int(match[2])) if match else None

    @property
    def first(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last(self) -> date:
        following = date(self.year + 1, 1, 1) if self.number == 4 else date(self.year, 3 * self.number + 1, 1)
        return following - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def title(self) -> str:
        return f"{self.year}年{QUARTER_NAMES[self.number]}"


def board_records(records) -> list[Record]:
    """Records with a board sheet, oldest first (the order they went up)."""
    return sorted((r for r in records if r.on_board), key=lambda r: (r.published_on, r.index_no))


def due_in(record: Record, quarter: Quarter) -> bool:
    if not record.on_board:
        return False
    if record.notice_period and record.notice_period.overlaps(quarter.first, quarter.last):
        return True
    if any(p.form == BOARD and p.overlaps(quarter.first, quarter.last) for p in record.postings):
        return True
    return record.category.printing.board and quarter.first <= record.published_on <= quarter.last


def board_period(record: Record) -> str:
    """How long the sheet stays up, for the pack's contents: the 公示期, else the board posting, else from the
    publication date."""
    if record.notice_period:
        return "公示期 " + notice_text(record.notice_period)
    posting = next((p for p in record.postings if p.form == BOARD), None)
    if posting:
        return f"{cn_date(posting.posted_on)}至{cn_date(posting.removed_on)}" if posting.removed_on \
            else f"{cn_date(posting.posted_on)}起"
    return f"{cn_date(record.published_on)}起"
