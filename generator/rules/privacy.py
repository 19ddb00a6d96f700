"""Privacy checks over one record: front matter, body, Markdown tables and every attachment.

A finding is an error that shows the value masked. An editor can record a reviewed exception in the record
(`privacy_exceptions`, each with rule, value and legal basis, e.g. 惩戒公示); `check` lists those.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser

from ..privacy.detectors import (ADDRESS, ID_CARD, NAME, RULE_LABELS, has_house_number, is_masked_name,
                                 looks_like_person_name, mask, normalise_phone)
from ..privacy.documents import Table, UnreadableAttachment, extract
from ..privacy.normalise import normalise, plain
from ..privacy.numbers import find_numbers
from ..problems import WARNING, Problems

_HTML_TABLE = re.compile(r"<table\b", re.I)
SCANNABLE = {".csv", ".xlsx", ".docx", ".pdf"}
IMAGES = {".jpg", ".jpeg", ".png"}

# A recipient list (名单) has a name column and a column about the person's place or benefit; a table of
# officials (姓名 | 职务 | 分工) has neither and may show full names.
RECIPIENT_MARKERS = ("村", "社区", "保障", "救助", "补助", "补贴", "金额", "人数", "人口", "批准", "类别", "家庭",
                     "户籍", "享受", "供养", "对象")

# Column headers that make a table a recipient list (名单), compared as plain words (姓　名, **姓名**, Name).
NAME_HEADERS = {"姓名", "户主姓名", "户主", "申请人", "申请人姓名", "持证人", "持证人姓名", "救助对象",
                "对象姓名", "受助人", "受助人姓名", "name"}
# A row without any of these characters holds no name header: most rows are skipped without normalising.
_MAY_NAME = re.compile(r"[名户人象nNｎＮ&]")

_HINTS = {
    "id_card": "身份证号不得公开；如确需标识，请遮盖为 35*************123 这样的形式",
    "mobile": "个人手机号不得公开；公开的单位电话请在 site.yml 的 public_numbers 中登记，个人号码请遮盖为 138****1234",
    "landline": "公开的单位电话请在 site.yml 的 public_numbers 中登记；个人电话请删除",
    "bank_card": "银行卡号不得公开，请删除",
    "name": "名单中的姓名须按规定遮盖，例如 张*明、李*",
    "address": "名单只公开到村（社区）,请删除门牌号、楼栋、单元、室号",
}


@dataclass(frozen=True)
class Exception_:
    rule: str
    value: str
    basis: str
    line: int | None


def _key(rule: str, value: str) -> tuple[str, str]:
    """A finding and a reviewed exception match however either is written (138 1234 5678, 张 三)."""
    return rule, normalise_phone(normalise(value).text) if re.search(r"\d", value) else plain(value)


class RecordScan:
    """Collects findings for one record, honouring its reviewed exceptions."""

    def __init__(self, shown: str, allowed_numbers: frozenset[str], exceptions: list[Exception_],
                 problems: Problems):
        self.shown, self.allowed, self.problems = shown, allowed_numbers, problems
        self.exceptions = {_key(e.rule, e.value): e for e in exceptions}
        self.used: set[tuple[str, str]] = set()
        self.reported: set = set()

    def finding(self, rule: str, value: str, line: int | None, where: str | None) -> None:
        key = _key(rule, value)
        if key in self.exceptions:
            self.used.add(key)
            return
        if (key, line, where) in self.reported:     # a link's text and its href="tel:…" are one finding
            return
        self.reported.add((key, line, where))
        self.problems.add(self.shown, line, where, f"含有{RULE_LABELS[rule]}", got=mask(value),
                          expected="公开内容中不含个人隐私信息", hint=_HINTS[rule])

    def text(self, text: str, line, where, rules=None) -> None:
        """A value or a cell: a line break inside it is where it wrapped, not the end of a number.
        line and where may be callables, worked out only for a finding; rules limits what is reported."""
        for m in find_numbers(text, self.allowed, across_lines=True):
            if rules is None or m.rule in rules:
                self.finding(m.rule, m.value, line() if callable(line) else line,
                             where() if callable(where) else where)

    def table(self, table: Table, line_of_row=None, where_prefix: str = "") -> None:
        # Spreadsheets often carry a title row or two above the real header: look a few rows down.
        candidates = [table.header] + [cells for _, cells in table.rows[:10]]
        at = next((i for i, row in enumerate(candidates) if _MAY_NAME.search("".join(row))
                   and any(header_word(c) in NAME_HEADERS for c in row)
                   and any(marker in plain(c) for c in row for marker in RECIPIENT_MARKERS)), None)
        if at is None:
            return
        name_cols = [i for i, h in enumerate(candidates[at]) if header_word(h) in NAME_HEADERS]
        for r, (where, cells) in enumerate(table.rows):
            if r < at:
                continue
            line = line_of_row(r) if line_of_row else None
            label = f"{where_prefix}{where}" if where_prefix or where else None
            for i in name_cols:
                name = plain(cells[i]) if i < len(cells) else ""
                if name and not is_masked_name(name) and looks_like_person_name(name):
                    self.finding(NAME, name, line, label)
            for cell in cells:
                seen = normalise(cell).text
                if has_house_number(seen):
                    self.finding(ADDRESS, seen.strip(), line, label)

    def report_exceptions(self) -> None:
        for key, e in self.exceptions.items():
            if key in self.used:
                self.problems.add(self.shown, e.line, "隐私例外 (privacy_exceptions)",
                                  f"已审核的隐私例外：{RULE_LABELS.get(e.rule, e.rule)} {mask(e.value)}",
                                  got=f"依据：{e.basis}", severity=WARNING)
            else:
                self.problems.add(self.shown, e.line, "隐私例外 (privacy_exceptions)",
                                  "登记的隐私例外在本信息中没有出现", got=mask(e.value),
                                  hint="请核对例外的内容，不再需要时请删除", severity=WARNING)


def header_word(cell: str) -> str:
    """A column header as one lower-case word, however it is typed (姓　名, **姓名**, 姓&#21517;)."""
    return plain(cell).lower()


def _walk(value, path=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, path + (i,))
    elif isinstance(value, str):
        yield path, value
    elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        yield path, value


def _field(path: tuple, label) -> str:
    """How an editor finds a front-matter value: 内容概述 (summary), 附件 (attachments) 第 1 项 title."""
    parts = [label(path[0]) if label else str(path[0])]
    parts += [f"第 {p + 1} 项" if isinstance(p, int) else str(p) for p in path[1:]]
    return " ".join(parts)


def _front_matter_tables(data: dict):
    """Lists of rows in front matter (e.g. recipients) read as tables: keys are the header."""
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            header = list(dict.fromkeys(k for row in value for k in row))
            rows = [(f"{key} 第 {i + 1} 项", [str(row.get(h, "")) for h in header]) for i, row in enumerate(value)]
            yield key, Table(key, [str(h) for h in header], rows)


def _cells(line: str) -> list[str]:
    line = line.strip()
    line = line[1:] if line.startswith("|") else line
    line = line[:-1] if line.endswith("|") and not line.endswith("\\|") else line
    return [c.strip() for c in re.split(r"(?<!\\)\|", line)]


def markdown_tables(body: str, first_line: int):
    """Pipe tables in a Markdown body, with the file line of each data row.

    As Python-Markdown's tables extension reads them: a header row of two or more cells, then a delimiter row
    of as many (---, :--:); the outer pipes are optional. Rows follow while lines carry a pipe."""
    if "|" not in body:
        return
    lines = body.split("\n")
    i = 0
    while i + 1 < len(lines):
        header = _cells(lines[i]) if "|" in lines[i] and "-" in lines[i + 1] else []
        delimiter = _cells(lines[i + 1]) if len(header) > 1 else []
        if len(delimiter) == len(header) and set("".join(delimiter)) <= set(":- ") and "-" in lines[i + 1]:
            rows, numbers = [], []
            j = i + 2
            while j < len(lines) and "|" in lines[j] and lines[j].strip():
                rows.append(("", _cells(lines[j])))
                numbers.append(first_line + j)
                j += 1
            yield Table("正文表格", header, rows), numbers
            i = j
        else:
            i += 1


class _HtmlTables(HTMLParser):
    """<table> rows and cells, each row with its line; <br> in a cell is a line break of that cell."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[tuple[int, list[list[str]]]]] = []
        self.open: list[list[tuple[int, list[list[str]]]]] = []
        self.row: list[list[str]] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.open.append([])
        elif tag == "tr" and self.open:
            self.row, self.cell = [], None
            self.open[-1].append((self.getpos()[0], self.row))
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
            self.row.append(self.cell)
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")

    def handle_endtag(self, tag):
        if tag == "table" and self.open:
            self.tables.append(self.open.pop())
            self.row = self.cell = None
        elif tag in ("td", "th"):
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def html_tables(body: str, first_line: int):
    """Tables pasted as HTML (from Word or another site): Python-Markdown publishes them as they are."""
    if not _HTML_TABLE.search(body):
        return
    parser = _HtmlTables()
    parser.feed(body)
    parser.close()
    for table in parser.tables:
        rows = [(first_line + line - 1, ["".join(cell) for cell in cells]) for line, cells in table]
        if rows:
            yield (Table("正文表格", rows[0][1], [("", cells) for _, cells in rows[1:]]),
                   [line for line, _ in rows[1:]])


def scan(raw, attachments, allowed_numbers: frozenset[str], problems: Problems, label=None) -> None:
    """label(key) is the Chinese name of a front-matter field, shown with findings in that field."""
    data = raw.front.data
    exceptions = [Exception_(e.get("rule", ""), str(e.get("value", "")), e.get("basis", ""),
                             raw.front.line_of(("privacy_exceptions", i)))
                  for i, e in enumerate(data.get("privacy_exceptions") or []) if isinstance(e, dict)]
    s = RecordScan(raw.shown, allowed_numbers, exceptions, problems)
    for path, value in _walk({k: v for k, v in data.items() if k not in ("privacy_exceptions", "index_no")}):
        # A YAML number sits in a field the schema types as a number: an amount or a count, which may look
        # like a phone number (13812345678 元). An ID number typed there (unquoted) is never an amount.
        s.text(str(value), lambda path=path: raw.front.line_of(path), lambda path=path: _field(path, label),
               None if isinstance(value, str) else {ID_CARD})
    for key, table in _front_matter_tables(data):
        s.table(table, lambda r, key=key: raw.front.line_of((key, r)))
    # The body in one pass; each finding's line comes from its offset in the source (find_numbers maps the
    # normalised text back), so a number spelt with entities or invisible characters points at its own line.
    found = find_numbers(raw.body, allowed_numbers)
    if found:
        starts = [0] + [m.end() for m in re.finditer("\n", raw.body)]
        for m in found:
            s.finding(m.rule, m.value, raw.body_line + bisect.bisect_right(starts, m.start) - 1, "正文")
    for table, numbers in [*markdown_tables(raw.body, raw.body_line), *html_tables(raw.body, raw.body_line)]:
        s.table(table, lambda r, numbers=numbers: numbers[r], "正文表格")
    # Each attachment's problems on the line that names it (attachments: - file: …).
    named = {raw.path.parent / item["file"]: raw.front.line_of(("attachments", i, "file"))
             for i, item in enumerate(data.get("attachments") or [])
             if isinstance(item, dict) and isinstance(item.get("file"), str)}
    for attachment in attachments:
        name = attachment.source.name
        ext = attachment.source.suffix.lower()
        line = named.get(attachment.source)
        if ext in IMAGES:
            problems.add(raw.shown, line, f"附件 {name}", "图片中的文字无法自动检查个人隐私信息",
                         hint="请人工核对图片中没有身份证号、电话、银行卡号和未遮盖的姓名", severity=WARNING)
            continue
        if ext not in SCANNABLE:
            problems.add(raw.shown, line, f"附件 {name}", "这种格式的附件无法检查其中是否含有个人隐私信息",
                         got=ext, expected="、".join(sorted(SCANNABLE)),
                         hint="请另存为 PDF、DOCX 或 XLSX 后再发布（WPS 可直接另存为这些格式）")
            continue
        try:
            found = extract(attachment.source)
        except UnreadableAttachment as exc:
            problems.add(raw.shown, line, f"附件 {name}", "附件无法读取，不能确认其中没有个人隐私信息",
                         expected="可以打开的完整文件", got=str(exc)[:80], hint="请确认附件没有损坏，可另存一份后重新放入")
            continue
        if ext == ".pdf" and not found.pieces and not found.tables:
            # A scanned document is pictures of pages: nothing here could have found a number in it.
            problems.add(raw.shown, line, f"附件 {name}", "PDF 中没有可以检查的文字（可能是扫描件或图片），无法自动检查个人隐私信息",
                         hint="请人工核对其中没有身份证号、电话、银行卡号和未遮盖的姓名；能导出文字版 PDF 的，请用文字版",
                         severity=WARNING)
        if found.unembedded_fonts:
            # Not a privacy finding, but only here is the file parsed: a phone without these fonts shows blanks.
            problems.add(raw.shown, line, f"附件 {name}",
                         "PDF 没有嵌入所用的字体，读者的手机或电脑缺少这些字体时，文字会显示为空白、方框或乱码",
                         got="、".join(found.unembedded_fonts[:5]), expected="字体嵌入在 PDF 中",
                         hint="请用原文件重新导出 PDF 并嵌入字体（WPS：输出为 PDF 时勾选“嵌入字体”；Word：另存为 PDF 时"
                              "在“选项”中勾选“符合 PDF/A 标准”），再替换这个附件",
                         severity=WARNING)
        for reason in found.refusals:
            problems.add(raw.shown, line, f"附件 {name}", f"附件不能发布：{reason}",
                         hint="请删除宏和外部链接后另存为普通 .xlsx 文件，或转换为 PDF")
        for piece in found.pieces:
            s.text(piece.text, line, f"附件 {name} {piece.where}")
        for table in found.tables:
            s.table(table, (lambda r, line=line: line) if line else None, f"附件 {name} ")
    s.report_exceptions()
