"""The quarterly board pack: every sheet due on the board in a quarter, behind a cover and contents.

Each record is laid out as its own document and keeps its own "第 X 页 共 N 页", so a sheet taken out of the
pack and pinned up reads the same as one printed alone; a line at the top of every page says which item of
the pack it is.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jinja2 import Environment

from ..model import Record, Settings
from .board import Quarter, board_period, board_records, due_in, sheet_html


@dataclass(frozen=True)
class PackEntry:
    number: int
    record: Record
    pages: int
    period: str


def due_records(records, quarter: Quarter) -> list[Record]:
    return [r for r in board_records(records) if due_in(r, quarter)]


def pack_html(env: Environment, settings: Settings, quarter: Quarter, entries: list[PackEntry], today: date) -> str:
    return env.get_template("pack.html.j2").render(
        doc_title=f"{quarter.title}政务公开栏公开内容", doc_author=settings.host, body_class="pack",
        site=settings, quarter=quarter, entries=entries, total_pages=sum(e.pages for e in entries), today=today)


def render_pack(renderer, env: Environment, settings: Settings, content, records, quarter: Quarter,
                today: date) -> tuple[list, list[PackEntry]]:
    """Documents in print order (cover and contents first) and the contents entries."""
    sheets, entries = [], []
    for number, record in enumerate(due_records(records, quarter), start=1):
        label = f"{quarter.title}公开栏　第 {number} 份"
        document = renderer.render(sheet_html(env, settings, record, pack_label=label),
                                   (content / record.page_path).parent)
        sheets.append(document)
        entries.append(PackEntry(number, record, len(document.pages), board_period(record)))
    if not entries:
        return [], []
    cover = renderer.render(pack_html(env, settings, quarter, entries, today))
    return [cover] + sheets, entries
