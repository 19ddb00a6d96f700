"""公开栏 board sheets: which records go on the board, which are due in a quarter, and a sheet's HTML.

A record goes on the board when its category says every record does (_category.yml print.board) or when one
of its postings is a 公开栏; records that are not public never do (Record.on_board). It is due in a quarter
when its 公示期 or a 公开栏 posting overlaps the quarter, or, in a board category, when it was published then.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from jinja2 import Environment

from ..model import BOARD, Record, Recipient, Settings
from .layout import QUARTER_NAMES, cn_date, money, notice_text, online_url

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


# Whitelisted recipient columns, in print order.
RECIPIENT_COLUMNS = (
    ("name", "姓名", lambda r: r.name),
    ("village", "村/社区", lambda r: r.village),
    ("kind", "类别", lambda r: r.kind),
    ("household_size", "保障人数", lambda r: "" if r.household_size is None else str(r.household_size)),
    ("monthly_amount", "月保障金额（元）", lambda r: money(r.monthly_amount)),
    ("approved_month", "批准月份", lambda r: _month(r.approved_month)),
)


def _month(text: str) -> str:
    """2026-06 -> 2026年6月."""
    if not text:
        return ""
    year, month = text.split("-")
    return f"{year}年{int(month)}月"


@dataclass(frozen=True)
class Totals:
    households: int
    people: int
    amount: Decimal | None


def _totals(rows: tuple[Recipient, ...]) -> Totals:
    amounts = [r.monthly_amount for r in rows if r.monthly_amount is not None]
    return Totals(len(rows), sum(r.household_size or 0 for r in rows), sum(amounts) if amounts else None)


def sheet_html(env: Environment, settings: Settings, record: Record, village: str | None = None,
               pack_label: str = "") -> str:
    rows = tuple(r for r in record.recipients if village is None or r.village == village)
    columns = [(key, label) for key, label, get in RECIPIENT_COLUMNS
               if any(get(r) for r in rows) and not (village and key == "village")]
    paper = record.category.printing.paper.lower()
    return env.get_template("sheet.html.j2").render(
        doc_title=record.title + (f"（{village}）" if village else ""), doc_author=record.publisher.name,
        body_class=f"sheet {paper}", r=record, site=settings, village=village, recipients=rows,
        columns=columns, cells={key: get for key, _, get in RECIPIENT_COLUMNS}, totals=_totals(rows),
        url=online_url(settings, record), pack_label=pack_label)
