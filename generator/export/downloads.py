"""CSV and JSON downloads of a record's tables, written beside its page.

CSV is UTF-8 with a byte-order mark and CRLF line ends, so Excel and WPS open Chinese text correctly with a
double click; numbers are plain (2172.46, no thousands separator) so spreadsheets compute with them. JSON keeps
amounts as strings with two decimals ("2172.46"): exact, whatever the reader's number type.
"""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

from ..datasets.grid import Grid, csv_value
from .csvcells import text_cell

BOM = "\ufeff"


def csv_text(grid: Grid) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([text_cell(c.csv_header) for c in grid.columns])
    for row in grid.rows:
        writer.writerow([csv_value(v, c) for v, c in zip(row.cells, grid.columns)])
    return BOM + out.getvalue()


def read_csv(path: Path) -> list[list[str]]:
    """The rows of a CSV written by csv_text (header included), as a spreadsheet user would see them."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def json_text(payload: dict) -> str:
    return json.dumps(_plain(payload), ensure_ascii=False, indent=1) + "\n"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")


CATALOGUE_FIELDS = (("索引号", "index_no"), ("标题", "title"), ("分类", "category"), ("发布机构", "publisher"),
                    ("主题分类", "topic"), ("文号", "doc_no"), ("成文日期", "written_on"), ("发布日期", "published_on"),
                    ("有效性", "validity"), ("网址", "url"))


def catalogue_rows(records, base_url: str) -> list[dict[str, str]]:
    """The whole catalogue, one row per published record, newest first: what an inspector downloads."""
    rows = []
    for r in records:
        rows.append({"index_no": r.index_no, "title": r.title, "category": r.category.title,
                     "publisher": r.publisher.name, "topic": r.topic or "", "doc_no": r.doc_no or "",
                     "written_on": r.written_on.isoformat() if r.written_on else "",
                     "published_on": r.published_on.isoformat(), "validity": r.validity or "",
                     "url": base_url.rstrip("/") + "/" + r.page_path + "/"})
    return rows


def catalogue_files(records, base_url: str) -> dict[str, str]:
    rows = catalogue_rows(records, base_url)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label for label, _ in CATALOGUE_FIELDS])
    for row in rows:       # every column is text (索引号, 标题, dates …): none may start a formula
        writer.writerow([text_cell(row[key]) for _, key in CATALOGUE_FIELDS])
    payload = {"fields": {key: label for label, key in CATALOGUE_FIELDS}, "records": rows}
    return {"catalogue/catalogue.csv": BOM + out.getvalue(),
            "catalogue/catalogue.json": json.dumps(payload, ensure_ascii=False, indent=1) + "\n"}
