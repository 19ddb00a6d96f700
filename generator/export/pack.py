"""The quarterly board pack: every sheet due on the board in a quarter, behind a cover and contents.

Each record is laid out as its own document and keeps its own "第 X 页 共 N 页", so a sheet taken out of the
pack and pinned up reads the same as one printed alone; a line at the top of every page says which item of
the pack it is. What is no longer current on the day the pack is made (an expired name list, a superseded
明白纸, stamps.py) stays out of it: it is not to be posted again; `print --record` prints it as an archive copy.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jinja2 import Environment

from ..model import Record, Settings
from .board import Quarter, board_period, board_records, due_in
from .pdf import record_sources
from .sheet import BoardSheets, render_sheet


@dataclass(frozen=True)
class PackEntry:
    number: int
    record: Record
    pages: int
    period: str


def due_records(records, quarter: Quarter) -> list[Record]:
    """Every record due on the board in the quarter, expired name lists included."""
    return [r for r in board_records(records) if due_in(r, quarter)]


def pack_html(env: Environment, settings: Settings, quarter: Quarter, entries: list[PackEntry], today: date) -> str:
    return env.get_template("pack.html.j2").render(
        doc_title=f"{quarter.title}政务公开栏公开内容", doc_author=settings.host, body_class="pack",
        site=settings, quarter=quarter, entries=entries, total_pages=sum(e.pages for e in entries), today=today)


def render_pack(renderer, sheets: BoardSheets, content, records, quarter: Quarter,
                today: date) -> tuple[list, list[PackEntry], list[Record]]:
    """Documents in print order (cover and contents first), the contents entries, and what was left out."""
    due = due_records(records, quarter)
    left_out = [r for r in due if not sheets.current(r)]
    documents, entries = [], []
    for number, record in enumerate((r for r in due if r not in left_out), start=1):
        label = f"{quarter.title}公开栏　第 {number} 份"
        document = render_sheet(renderer, sheets, record, record_sources(content, record), pack_label=label)
        documents.append(document)
        entries.append(PackEntry(number, record, len(document.pages), board_period(record)))
    if not entries:
        return [], [], left_out
    cover = renderer.render(pack_html(sheets.env, sheets.settings, quarter, entries, today))
    return [cover] + documents, entries, left_out
