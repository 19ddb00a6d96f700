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

from ..atomic import replacing, unlinked
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
    unlinked(path).write_text(text, encoding="utf-8", newline="")


CATALOGUE_FIELDS = (("索引号", "index_no"), ("标题", "title"), ("分类", "category"), ("发布机构", "publisher"),
                    ("主题分类", "topic"), ("文号", "doc_no"), ("成文日期", "written_on"), ("发布日期", "published_on"),
                    ("有效性", "validity"), ("施行日期", "valid_from"), ("有效期至", "valid_until"),
                    ("废止日期", "repealed_on"), ("替代文件索引号", "superseded_by"), ("修改的文件索引号", "amends"),
                    ("最近更新日期", "updated_on"), ("状态", "status"), ("撤回日期", "withdrawn_on"),
                    ("撤回原因", "withdrawn_reason"), ("网址", "url"))
# 状态: a published record, or the tombstone of a withdrawn one (its address stays, lifecycle/manifest.py).
PUBLISHED, WITHDRAWN = "已发布", "已撤回"


def _day(value) -> str:
    return value.isoformat() if value else ""


def catalogue_row(r, base_url: str) -> dict[str, str]:
    """One record's row of the catalogue: every value is text (dates YYYY-MM-DD, several 索引号 joined by ；)."""
    life = r.lifecycle
    return {"index_no": r.index_no, "title": r.title, "category": r.category.title,
            "publisher": r.publisher.name, "topic": r.topic or "", "doc_no": r.doc_no or "",
            "written_on": r.written_on.isoformat() if r.written_on else "",
            "published_on": r.published_on.isoformat(), "validity": r.validity or "",
            "valid_from": _day(life.valid_from), "valid_until": _day(life.valid_until),
            "repealed_on": _day(life.repealed_on), "superseded_by": life.superseded_by,
            "amends": "；".join(life.amends),
            "updated_on": _day(max((c.on for c in life.change_log), default=None)),
            "status": WITHDRAWN if life.withdrawn else PUBLISHED,
            "withdrawn_on": _day(life.withdrawn.on if life.withdrawn else None),
            "withdrawn_reason": life.withdrawn.reason if life.withdrawn else "",
            "url": base_url.rstrip("/") + "/" + r.page_path + "/"}


def write_catalogue(records, base_url: str, withdrawn, csv_path: Path, json_path: Path) -> None:
    """The whole catalogue as CSV and JSON, one row per published record, newest first, then the withdrawn
    ones: what an inspector downloads.

    Row by row into the files: the rows of 100,000 records held at once (as dicts, then as the two texts) took
    0.4 GB at the end of a render, the build's peak. Each file is renamed into place once whole (atomic.py)."""
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    fields = {key: label for label, key in CATALOGUE_FIELDS} | {"change_log": "更新记录"}
    with (replacing(csv_path, encoding="utf-8", newline="") as csv_file,
          replacing(json_path, encoding="utf-8", newline="") as json_file):
        csv_file.write(BOM)
        writer = csv.writer(csv_file, lineterminator="\r\n")
        writer.writerow([label for label, _ in CATALOGUE_FIELDS])
        json_file.write('{"fields": ' + json.dumps(fields, ensure_ascii=False) + ',\n"records": [\n')
        separator = ""
        for r in [*records, *withdrawn]:
            row = catalogue_row(r, base_url)
            # Every column is text (索引号, 标题, dates …): none may start a formula.
            writer.writerow([text_cell(row[key]) for _, key in CATALOGUE_FIELDS])
            # JSON also carries each record's 更新记录 (the CSV has its latest date only). One record a line:
            # json's C encoder writes it (indent= would take the pure-Python one, 10x slower).
            row["change_log"] = [{"date": c.on.isoformat(), "level": c.level, "note": c.note}
                                 for c in r.lifecycle.changes_newest_first]
            json_file.write(separator + json.dumps(row, ensure_ascii=False))
            separator = ",\n"
        json_file.write(("\n" if separator else "") + "]}\n")


# What each column means, for the 「开放数据」 page (theme/markdown/open_data.md.j2); every field has one (a test).
FIELD_DESCRIPTIONS = {
    "index_no": "索引号，全站唯一，一经使用不再改变",
    "title": "标题",
    "category": "所属分类（栏目）",
    "publisher": "发布机构全称",
    "topic": "主题分类",
    "doc_no": "发文字号，没有文号的信息为空",
    "written_on": "成文日期（形成日期），YYYY-MM-DD",
    "published_on": "发布日期，YYYY-MM-DD",
    "validity": "有效性：有效、失效、废止、已修改，不适用的为空",
    "valid_from": "施行日期，YYYY-MM-DD，没有写明的为空",
    "valid_until": "有效期的最后一天，YYYY-MM-DD，没有写明的为空",
    "repealed_on": "废止日期，YYYY-MM-DD，未废止的为空",
    "superseded_by": "替代本文件的新文件的索引号，没有的为空",
    "amends": "本文件修改的文件的索引号，多个时用“；”分隔",
    "updated_on": "最近一次更正的日期（见更新记录），没有更正过的为空",
    "status": "已发布；或 已撤回（原网址只保留撤回说明，正文和附件不再公开）",
    "withdrawn_on": "撤回日期，YYYY-MM-DD，未撤回的为空",
    "withdrawn_reason": "撤回原因，未撤回的为空",
    "url": "信息页面的完整网址",
    "change_log": "更新记录（只在 JSON 中）：每次更正的日期 date、类型 level（重大 或 一般）和说明 note，最新的在前",
}
