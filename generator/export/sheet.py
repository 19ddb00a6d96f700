"""A board sheet's HTML and layout.

A sheet prints what the record's web page shows: the body (worded for paper, wording.py), then the page's data
sections (generator/dataviews: the same grids the page and its CSV downloads are made from), the name list
(one set per village when it spans several), the 办事要素; the QR code to the page is an addition, never a
substitute for a table. Expired name lists and superseded 明白纸 carry their stamp (stamps.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jinja2 import Environment

from ..dataviews import DataIndex, Section
from ..model import Record, Recipient, Settings
from .layout import money, online_url
from .stamps import Stamp, leaflet_stamp, list_stamp, superseded_leaflets
from .wording import Totals, VillageShare, Wording

# Whitelisted recipient columns, in print order.
RECIPIENT_COLUMNS = (
    ("name", "姓名", lambda r: r.name),
    ("village", "村/社区", lambda r: r.village),
    ("kind", "类别", lambda r: r.kind),
    ("household_size", "保障人数", lambda r: "" if r.household_size is None else str(r.household_size)),
    ("monthly_amount", "月保障金额（元）", lambda r: money(r.monthly_amount)),
    ("approved_month", "批准月份", lambda r: _month(r.approved_month)),
)

# How each section of a record page (generator/dataviews, theme/markdown/data/<template>) goes on paper:
# "grids" prints its tables, "recipients" the sheet's own name list (split by village), "eia" the stages of an
# environmental assessment. A section whose template is missing here stops the print run (a test checks them
# all), so a new kind of data cannot silently fall off the board.
PRINTED_SECTIONS = {
    "grids.md.j2": "grids",
    "kinds/budget/budget.md.j2": "grids",
    "kinds/environment/aqi.md.j2": "grids",
    "kinds/environment/polluters.md.j2": "grids",
    "kinds/social_assistance/notice.md.j2": "recipients",
    "kinds/environment/eia.md.j2": "eia",
    "annual_report.md.j2": "annual",     # the 2021-format tables; the report's own A4 PDF is written by build
    # Kinds declared as data (generator/kinds): their tables as they are on the page; a benefit list prints its
    # names during its 公示期 and its village totals after; a consultation its window and how to comment.
    "kinds/table/table.md.j2": "grids",
    "kinds/recipients/recipients.md.j2": "grids",
    "kinds/consultation/adoption_report.md.j2": "grids",
    "kinds/consultation/consultation.md.j2": "consultation",
}


def _month(text: str) -> str:
    """2026-06 -> 2026年6月."""
    if not text:
        return ""
    year, month = text.split("-")
    return f"{year}年{int(month)}月"


def list_totals(rows: tuple[Recipient, ...]) -> Totals:
    amounts = [r.monthly_amount for r in rows if r.monthly_amount is not None]
    return Totals(len(rows), sum(r.household_size or 0 for r in rows), sum(amounts) if amounts else None)


@dataclass(frozen=True)
class Block:
    """One part of a sheet between the body and the closing: a data section, or the name list."""
    kind: str                    # grids | recipients | eia | annual | consultation
    section: Section | None = None


class BoardSheets:
    """Board sheet HTML for the public records of one site.

    The tables are the record page's own (generator/dataviews), so paper and web cannot disagree; the body is
    the record's, worded for paper (wording.py); the 公示 status is read on `today`.
    """

    def __init__(self, env: Environment, settings: Settings, records, today: date):
        self.env, self.settings, self.today = env, settings, today
        self.data = DataIndex(records)
        self.wording = Wording(settings)
        self.superseded = superseded_leaflets(records)

    def stamp(self, record: Record) -> Stamp | None:
        """An expired name list or a superseded 明白纸 is printed only as what it is (stamps.py)."""
        return list_stamp(record, self.today) or leaflet_stamp(self.superseded.get(record.index_no))

    def current(self, record: Record) -> bool:
        """False for what a full print run and a quarterly pack leave out: it carries a stamp."""
        return self.stamp(record) is None

    def blocks(self, record: Record) -> list[Block]:
        data = self.data.record(record)
        out = []
        for section in (data.lead + data.sections) if data else ():
            kind = PRINTED_SECTIONS.get(section.template)
            if kind is None:
                raise KeyError(f"no print layout for the page section {section.template}")
            if kind != "recipients" or record.recipients:
                out.append(Block(kind, section))
        if record.recipients and not any(b.kind == "recipients" for b in out):
            out.append(Block("recipients"))
        return out

    def html(self, record: Record, village: str | None = None, pack_label: str = "", tight: bool = False) -> str:
        rows = tuple(r for r in record.recipients if village is None or r.village == village)
        columns = [(key, label) for key, label, get in RECIPIENT_COLUMNS
                   if any(get(r) for r in rows) and not (village and key == "village")]
        totals = list_totals(rows)
        share = VillageShare(village, totals, list_totals(record.recipients)) if village else None
        paper = record.category.printing.paper.lower()
        return self.env.get_template("sheet.html.j2").render(
            doc_title=record.title + (f"（{village}）" if village else ""), doc_author=record.publisher.name,
            body_class=f"sheet {paper}" + (" tight" if tight else ""), r=record, site=self.settings,
            village=village, recipients=rows, columns=columns, totals=totals,
            cells={key: get for key, _, get in RECIPIENT_COLUMNS},
            body=self.wording.body(record.body, share), blocks=self.blocks(record),
            site_label=self.wording.label, paper=self.wording.text, stamp=self.stamp(record),
            url=online_url(settings=self.settings, record=record), pack_label=pack_label)


# ids that sheet.html.j2 gives the name list's first row and its 合计 line: where they land decides the layout.
LIST_START, LIST_END = "list-start", "list-end"


def _pages_to(document, anchor: str) -> int:
    """Index of the page an element is on (0 when the sheet has no such element)."""
    return next((i for i, page in enumerate(document.pages) if anchor in page.anchors), 0)


def _fit(document) -> tuple[int, int, int]:
    """Smaller is better: fewer pages, then the name list ending earlier, then starting earlier."""
    return len(document.pages), _pages_to(document, LIST_END), _pages_to(document, LIST_START)


def render_sheet(renderer, sheets: BoardSheets, record: Record, sources, village: str | None = None,
                 pack_label: str = ""):
    """The sheet laid out at wall size, or tight (the type a point smaller, the lines closer, never below 14 pt
    on A4 and 20 pt on A3) when that saves a page or brings the name list onto an earlier page: a
    five-household list then fits on page 1 with its text instead of leaving page 1 a third empty."""
    wide = renderer.render(sheets.html(record, village, pack_label), sources)
    if len(wide.pages) == 1:
        return wide
    tight = renderer.render(sheets.html(record, village, pack_label, tight=True), sources)
    return tight if _fit(tight) < _fit(wide) else wide
