"""CSV and JSON downloads of a record's tables, written beside its page.

CSV is UTF-8 with a byte-order mark and CRLF line ends, so Excel and WPS open Chinese text correctly with a
double click; numbers are plain (2172.46, no thousands separator) so spreadsheets compute with them. JSON keeps
amounts as strings with two decimals ("2172.46"): exact, whatever the reader's number type.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
from decimal import Decimal
from operator import add
from pathlib import Path

from ..atomic import read_json, replacing, unlinked, write_text
from ..datasets.grid import Grid, csv_value
from .csvcells import text_cell, text_cells

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


def write_catalogue(records, base_url: str, withdrawn, csv_path: Path, json_path: Path, rows_file: Path | None = None,
                    world: str = "") -> None:
    """The whole catalogue as CSV and JSON, one row per published record, newest first, then the withdrawn
    ones: what an inspector downloads.

    Row by row into the files: the rows of 100,000 records held at once (as dicts, then as the two texts) took
    0.4 GB at the end of a render, the build's peak. Each file is renamed into place once whole (atomic.py).

    rows_file: where each row's place in the files is kept, by its record's file digest, with world (what every
    row depends on besides its record: code, settings, content types). The next write copies the rows of
    records whose file has not changed from the files it replaces, byte for byte and in runs, instead of making
    them again: the catalogue was most of a one-record rebuild's render (0.2-0.5 s at 10,000 records), and a
    更新记录 entry or a title changes a row, so it is written whole."""
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    rows = None
    previous = _previous_rows(rows_file, world, csv_path, json_path)
    if previous is not None:
        try:
            rows = _write_rows([*records, *withdrawn], base_url, csv_path, json_path, previous, rows_file is not None)
        except _NotAsKept:      # a file changed under us, or the row kept for a record is not its row: made again
            rows = None
        finally:
            for fd in previous[:2]:
                os.close(fd)
    if rows is None:
        rows = _write_rows([*records, *withdrawn], base_url, csv_path, json_path, None, rows_file is not None)
    if rows_file is not None:
        facts = [_facts(os.stat(path)) for path in (csv_path, json_path)]
        write_text(rows_file, json.dumps({"world": world, "csv": facts[0], "json": facts[1], "keys": list(rows),
                                          "at": [n for at in rows.values() for n in at]},
                                         ensure_ascii=False, separators=(",", ":")))


# Text that CSV writes unquoted and JSON unescaped, and that starts no formula.
_PLAIN = re.compile(r'[^=+\-@\t\r＝＋－＠",\\\n\x00-\x1f\x7f-\x9f\u2028\u2029][^",\\\r\n\x00-\x1f\x7f-\x9f\u2028\u2029]*').fullmatch
COPY_PIECE = 1 << 20    # bytes of old rows read at once: a run can be the whole file (35 MB at 100,000 records)


def _write_rows(records, base_url: str, csv_path: Path, json_path: Path, previous, keep: bool) -> dict[str, tuple]:
    """Write both files (previous: _previous_rows, or None to make every row); keep: return each row's place by
    its key (for rows_file)."""
    old_rows = previous[2] if previous else {}
    rows: dict[str, tuple] = {}
    keys = [key for _, key in CATALOGUE_FIELDS]
    encode = json.JSONEncoder(ensure_ascii=False).encode       # one encoder: json.dumps makes one a call
    lines: list[str] = []
    writer = csv.writer(_Appender(lines), lineterminator="\r\n")     # one write() call a row

    def csv_line(values) -> bytes:
        writer.writerow(values)
        return lines.pop().encode("utf-8")

    with replacing(csv_path, "wb") as csv_file, replacing(json_path, "wb") as json_file:
        head = _heads()
        csv_file.write(head[0])
        json_file.write(head[1])
        at = [len(head[0]), len(head[1])]
        run: list = []      # old rows next to each other in the old files, in order: (place, record) each

        def flush() -> None:
            """Copy the run, in pieces of whole rows; each row must begin with its record's 索引号 (a rows
            file that does not describe these files, whatever its facts say, makes every row again)."""
            first = 0
            json_from = run[0][0][2] if run else 0
            while first < len(run):
                last, size = first, run[first][0][1]
                while last + 1 < len(run) and size < COPY_PIECE:
                    last += 1
                    size += run[last][0][1]
                piece = run[first:last + 1]
                first = last + 1
                csv_from, csv_to = piece[0][0][0], piece[-1][0][0] + piece[-1][0][1]
                json_to = piece[-1][0][2] + piece[-1][0][3]
                csv_data = _read(previous[0], csv_from, csv_to)
                json_data = _read(previous[1], json_from, json_to)
                # One old row a record: a JSON row holds no line end (the encoder escapes them), so the piece
                # holds one a separator; a CSV row ends with one (a text with a line end of its own is quoted,
                # and is made again: only time is lost).
                separators = len(piece) - (1 if json_from == piece[0][0][2] else 0)
                if json_data.count(b"\n") != separators or csv_data.count(b"\r\n") != len(piece):
                    raise _NotAsKept
                # Both files tile in the same order (_previous_rows), so a record's JSON row is enough to
                # tie its place to it: it must begin with the record's 索引号.
                for (_, _, json_at, _), r in piece:
                    index_no = r.index_no
                    quoted = (b'"' + index_no.encode("utf-8") + b'"' if _PLAIN(index_no)
                              else encode(index_no).encode("utf-8"))
                    if not json_data.startswith(b'{"index_no": ' + quoted, json_at - json_from):
                        raise _NotAsKept
                csv_file.write(csv_data)
                json_file.write(json_data)
                json_from = json_to
            run.clear()

        for n, r in enumerate(records):
            key = f"{r.page_path}:{r.source_digest}" if r.source_digest else None
            old = old_rows.pop(key, None) if key else None
            separator = b",\n" if n else b""
            if old is not None:
                csv_at, csv_size, json_at, json_size = old
                last = run[-1][0] if run else None
                if not (last and csv_at == last[0] + last[1] and json_at == last[2] + last[3] + len(separator)):
                    flush()     # the old files did not have it next
                    json_file.write(separator)
                run.append((old, r))
                at[1] += len(separator)
                made = (csv_size, json_size)
            else:
                flush()
                row = catalogue_row(r, base_url)
                # Every column is text (索引号, 标题, dates …): none may start a formula. JSON also carries each
                # record's 更新记录 (the CSV has its latest date only). One record a line: json's C encoder
                # writes it (indent= would take the pure-Python one, 10x slower).
                csv_row = csv_line(text_cells([row[k] for k in keys]))
                row["change_log"] = [{"date": c.on.isoformat(), "level": c.level, "note": c.note}
                                     for c in r.lifecycle.changes_newest_first]
                json_row = encode(row).encode("utf-8")
                json_file.write(separator)
                csv_file.write(csv_row)
                json_file.write(json_row)
                at[1] += len(separator)
                made = (len(csv_row), len(json_row))
            if keep:        # a row without a key is never copied, but its place is kept: the rows tile the files
                rows[key or f"-{n}"] = (at[0], made[0], at[1], made[1])
            at[0] += made[0]
            at[1] += made[1]
        flush()
        json_file.write((b"\n" if records else b"") + _TAIL)
    return rows


_TAIL = b"]}\n"


def _heads() -> tuple[bytes, bytes]:
    """What the CSV and the JSON begin with, before the first row."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([label for label, _ in CATALOGUE_FIELDS])
    fields = {key: label for label, key in CATALOGUE_FIELDS} | {"change_log": "更新记录"}
    return ((BOM + out.getvalue()).encode("utf-8"),
            ('{"fields": ' + json.dumps(fields, ensure_ascii=False) + ',\n"records": [\n').encode("utf-8"))


def _read(fd: int, start: int, stop: int) -> bytes:
    data = os.pread(fd, stop - start, start)
    if len(data) != stop - start:
        raise _NotAsKept
    return data


class _NotAsKept(Exception):
    pass


class _Appender:
    """A file for csv.writer that keeps what it is given: a row's line as text."""

    def __init__(self, lines: list[str]):
        self.write = lines.append


def _facts(facts: os.stat_result) -> list[int]:
    return [facts.st_size, facts.st_mtime_ns, facts.st_ino]


def _previous_rows(rows_file: Path | None, world: str, csv_path: Path, json_path: Path):
    """(CSV descriptor, JSON descriptor, rows by key) of the files the last write_catalogue made at these paths,
    when rows_file describes them (the same world, the files untouched since, every place inside them), else
    None. The rows file is read as damaged input: any other shape is ignored."""
    data = read_json(rows_file) if rows_file is not None and world else None
    if not (isinstance(data, dict) and data.get("world") == world):
        return None
    keys, at, kept = data.get("keys"), data.get("at"), (data.get("csv"), data.get("json"))
    if not (isinstance(keys, list) and isinstance(at, list) and len(at) == 4 * len(keys)
            and set(map(type, keys)) <= {str} and set(map(type, at)) <= {int} and min(at, default=0) >= 0
            and all(isinstance(facts, list) and len(facts) == 3 and all(type(n) is int for n in facts)
                    for facts in kept)):
        return None
    # The places must tile both files, row after row, from the head to the end: each then holds what one row
    # wrote (flush checks that each is one row and the record's own). Said by whole lists, at C speed.
    csv_at, csv_size, json_at, json_size = at[0::4], at[1::4], at[2::4], at[3::4]
    csv_ends, json_ends = list(map(add, csv_at, csv_size)), list(map(add, json_at, json_size))
    heads = _heads()
    if not (csv_at[:1] + csv_ends == [len(heads[0])] + csv_at[1:] + [kept[0][0]]
            and json_at[:1] + [n + 2 for n in json_ends] == [len(heads[1])] + json_at[1:] + [
                kept[1][0] + 2 - (1 if keys else 0) - len(_TAIL)]
            and all(csv_size) and all(json_size)):
        return None
    places = dict(zip(keys, zip(csv_at, csv_size, json_at, json_size)))
    fds: list[int] = []
    try:
        for path, facts in ((csv_path, kept[0]), (json_path, kept[1])):
            fds.append(os.open(path, os.O_RDONLY | os.O_NOFOLLOW))
            if _facts(os.fstat(fds[-1])) != facts:
                raise ValueError(path)
    except (OSError, ValueError):
        for fd in fds:
            os.close(fd)
        return None
    return fds[0], fds[1], places


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
