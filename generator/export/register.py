"""政务公开登记簿: for every published record, each form it was made public in, with the dates it went up and
came down, as CSV (for the office's spreadsheet) and a printable PDF (for the paper register).

Every published record was published on the website on its 发布日期, so that line is entered for it unless
the editor recorded a 网站 posting already. Records that ought to be on a board or have a 明白纸 but have no
such posting recorded are marked, so the register also shows what is missing.
"""
from __future__ import annotations

import csv
from dataclasses import astuple, dataclass, fields
from datetime import date
from pathlib import Path

from jinja2 import Environment

from ..model import BOARD, LEAFLET, WEBSITE, Posting, Record, Settings
from .csvcells import text_cell


@dataclass(frozen=True)
class RegisterRow:
    index_no: str
    title: str
    publisher: str
    category: str
    form: str
    place: str
    posted_on: str
    removed_on: str
    notice: str
    note: str


CSV_HEADER = ("索引号", "标题", "发布机构", "分类", "公开形式", "公开地点", "张贴日期", "撤除日期", "公示期", "备注")
assert len(CSV_HEADER) == len(fields(RegisterRow))


def register_records(records) -> list[Record]:
    """Published records only, in the order they were published (a register is a log)."""
    return sorted((r for r in records if r.is_published), key=lambda r: (r.published_on, r.index_no))


def register_rows(records, settings: Settings) -> list[RegisterRow]:
    rows = []
    for record in register_records(records):
        postings = list(record.postings)
        if not any(p.form == WEBSITE for p in postings):
            postings.insert(0, Posting(WEBSITE, settings.name, record.published_on))
        notes = []
        if record.on_board and not any(p.form == BOARD for p in postings):
            notes.append("应上公开栏，未登记张贴")
        if record.leaflet and not any(p.form == LEAFLET for p in postings):
            notes.append("有明白纸，未登记发放")
        notice = (f"{record.notice_period.start.isoformat()}至{record.notice_period.end.isoformat()}"
                  if record.notice_period else "")
        for i, p in enumerate(postings):
            rows.append(RegisterRow(
                record.index_no, record.title, record.publisher.short_name or record.publisher.name, record.category.title, p.form, p.place,
                p.posted_on.isoformat(), p.removed_on.isoformat() if p.removed_on else "",
                notice, "；".join(notes) if i == 0 else ""))
    return rows


def write_csv(rows: list[RegisterRow], path: Path) -> None:
    """UTF-8 with a byte-order mark, so Excel and WPS open the Chinese text correctly."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_HEADER)
        writer.writerows([text_cell(cell) for cell in astuple(row)] for row in rows)   # all text: no formulas


def register_html(env: Environment, settings: Settings, rows: list[RegisterRow], records: int, today: date) -> str:
    return env.get_template("register.html.j2").render(
        doc_title="政务公开登记簿", doc_author=settings.host, body_class="register", site=settings,
        rows=rows, records=records, today=today)
