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

BOM = "\ufeff"


def csv_text(grid: Grid) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.csv_header for c in grid.columns])
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
