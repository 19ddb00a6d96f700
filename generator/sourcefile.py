"""Reading editors' files: strict UTF-8, YAML that keeps the line of every value, front matter.

Dates stay strings here (PyYAML would turn 2025-02-30 into an exception and 2025-02-28 into a date object);
the validator decides what a good date is and says so in Chinese.
"""
from __future__ import annotations

import math
import os
import stat
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from .yaml_causes import find_cause, stopped_line, visible



def load_own_yaml(path: Path):
    """One of the project's own YAML files (schemas, data files, mkdocs.yml): plain data, no line numbers,
    parsed by libyaml when PyYAML has it (yaml.safe_load's pure-Python parser took 0.1 s a build for the
    schemas alone)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


# Limits on editors' files (generator/data/limits.yml): read once, without this module's loader.
LIMITS = load_own_yaml(Path(__file__).resolve().parent / "data" / "limits.yml")


def inside(path: Path, root: Path) -> bool:
    """Whether path, symbolic links resolved, lies inside root: attachments and links may not leave content/."""
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


class SourceError(Exception):
    """A file that cannot be read at all; carries what the editor needs to fix it."""

    def __init__(self, line: int | None, message: str, got: str | None = None, hint: str | None = None,
                 expected: str | None = None, detail: str | None = None):
        super().__init__(message)
        self.line, self.message, self.got, self.hint = line, message, got, hint
        self.expected, self.detail = expected, detail


# libyaml's parser when PyYAML was built with it (the wheels are): about ten times faster on large sites.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    pass


# Keep timestamps as plain strings: drop the implicit timestamp resolver from our loader only.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _RefusedNumber(Exception):
    """A number no check or page could handle (not finite, or absurdly long); raised while constructing."""

    def __init__(self, node, why: str):
        super().__init__(why)
        self.node, self.why = node, why


def _bounded(value, node):
    """The number if it is finite and within limits.yml; otherwise refused with the reason, in Chinese."""
    if isinstance(value, float) and not math.isfinite(value):
        raise _RefusedNumber(node, "不是有限的数（.nan、.inf 之类不能作为数值）")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _RefusedNumber(node, "不是有限的数")
        sign, digits, exponent = value.as_tuple()
        whole = len(digits) + exponent if any(digits) else 0
        if whole > LIMITS["number_max_integer_digits"]:
            raise _RefusedNumber(node, f"整数部分超过 {LIMITS['number_max_integer_digits']} 位")
        if -exponent > LIMITS["number_max_fraction_digits"]:
            raise _RefusedNumber(node, f"小数超过 {LIMITS['number_max_fraction_digits']} 位")
    if isinstance(value, int) and not isinstance(value, bool):
        if len(str(abs(value))) > LIMITS["number_max_integer_digits"]:
            raise _RefusedNumber(node, f"整数超过 {LIMITS['number_max_integer_digits']} 位")
    return value


def _exact_number(loader, node):
    """A number with a fraction stays exact, as typed: 12.30 is Decimal('12.30'), never the float 12.3.

    Money (万元 with two decimals) and concentrations are summed and compared; binary floats would drift.
    Decimal is a numbers.Number, so JSON Schema's "number" accepts it. 1:30 stays a float; .inf and .nan,
    and numbers too long for any table, are refused where they are written (a check would crash on them).
    """
    text = loader.construct_scalar(node).replace("_", "")
    if len(text) > 2 * (LIMITS["number_max_integer_digits"] + LIMITS["number_max_fraction_digits"]):
        raise _RefusedNumber(node, "数字太长")
    try:
        return _bounded(Decimal(text), node)
    except InvalidOperation:
        return _bounded(loader.construct_yaml_float(node), node)


def _bounded_integer(loader, node):
    # Python refuses to convert integers of more than 4,300 digits; a shorter text never gets that far.
    if len(loader.construct_scalar(node)) > 2 * LIMITS["number_max_integer_digits"]:
        raise _RefusedNumber(node, "数字太长")
    return _bounded(loader.construct_yaml_int(node), node)


_Loader.add_constructor("tag:yaml.org,2002:float", _exact_number)
_Loader.add_constructor("tag:yaml.org,2002:int", _bounded_integer)

# PyYAML's messages are English; editors get a Chinese sentence and the original as detail.
_YAML_MESSAGES = {
    "mapping values are not allowed": "这里不能出现冒号分隔的键值（常见原因：冒号后缺少空格，或文字中含有冒号却没有加引号）",
    "could not find expected ':'": "缺少冒号（常见原因：字段名后漏了冒号，或上一行的引号没有闭合）",
    "found character '\\t' that cannot start any token": "含有制表符（Tab），YAML 只能用空格缩进",
    "expected <block end>, but found": "缩进不一致（同一层级的字段必须对齐）",
    "found undefined alias": "使用了未定义的别名（*）",
    "found unexpected end of stream": "文件意外结束（常见原因：引号没有闭合）",
    "while scanning a quoted scalar": "引号没有闭合",
    "found unhashable key": "字段名格式错误",
}


def read_text(path: Path) -> str:
    """Strict UTF-8 (a BOM is tolerated); the error names the line of the first bad byte.

    A file larger than limits.yml allows is refused before it is read: every later pass (YAML, Markdown,
    privacy, search) would have to go through all of it. What is opened must be a plain file, judged on the
    file opened (a name checked first could be swapped for a named pipe, which would wait for a writer
    forever; opened without waiting, it is refused here)."""
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:        # judged before a file object is made: Python refuses a directory there, naming only the handle
        facts = os.fstat(handle)
        if not stat.S_ISREG(facts.st_mode):
            raise SourceError(None, "这不是普通文件", got=path.name, hint="请换成用编辑器保存的文件")
    except BaseException:
        os.close(handle)
        raise
    with os.fdopen(handle, "rb") as f:
        size = facts.st_size
        limit = LIMITS["text_file_max_bytes"]
        if size > limit:
            raise SourceError(None, "文件太大，无法处理", expected=f"不超过 {limit:,} 字节（{_megabytes(limit)}）",
                              got=f"{size:,} 字节（{_megabytes(size)}）",
                              hint="请把内容拆成几条信息，或把大的表格、材料作为附件（PDF、XLSX）发布")
        data = f.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            line,
            "文件不是 UTF-8 编码，无法读取",
            got=f"第 {exc.start + 1} 个字节 0x{data[exc.start]:02X}（可能是 GBK 编码）",
            hint="请用编辑器把文件另存为 UTF-8 编码（记事本：另存为 → 编码选择 UTF-8；WPS/Word 请另存为纯文本 UTF-8）",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _megabytes(size: int) -> str:
    return f"{size / 1048576:.2f} MB"


@dataclass
class YamlDocument:
    data: object
    lines: dict[tuple, int] = field(default_factory=dict)   # key path -> 1-based line
    duplicates: list[tuple[tuple, int]] = field(default_factory=list)
    # key path -> (line of the value's first character, the value as written) for a text over more than one line
    # or not on its key's line: what a message about a place inside it needs (rules/markup.placed)
    spans: dict[tuple, tuple[int, str]] = field(default_factory=dict)

    def line_of(self, path: tuple, default: int | None = None) -> int | None:
        """The line of the deepest known ancestor of path, so a bad list item points at its list."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), default)


def parse_yaml(text: str, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document; first_line shifts line numbers for front matter inside a Markdown file."""
    offset = first_line - 1
    try:
        _refuse_anchors(text)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        original = exc.problem or str(exc)
        stopped = stopped_line(exc)
        # Name the character the editor typed, on its own line; the parser's English is only a detail.
        cause = find_cause(text, stopped)
        if cause is not None:
            raise SourceError(cause.line + 1 + offset, f"YAML 格式错误：{cause.message}",
                              got=visible(text.split("\n")[cause.line]), hint=cause.hint, detail=original) from None
        message = next((zh for en, zh in _YAML_MESSAGES.items() if en in original or en in str(exc.context)), None)
        raise SourceError(
            stopped + 1 + offset if stopped is not None else None,
            f"YAML 格式错误：{message or '无法解析'}",
            got=visible(text.split("\n")[stopped]) if stopped is not None and stopped < len(text.split("\n")) else None,
            hint="检查这一行及上一行：冒号后要有空格，缩进用空格且对齐，含有冒号或 # 的文字请用引号括起来",
            detail=original,
        ) from None
    except yaml.YAMLError as exc:
        raise SourceError(None, "YAML 格式错误，无法解析", got=str(exc)) from None
    except _RefusedAnchor as exc:
        raise SourceError(exc.mark.line + 1 + offset, "YAML 中不能使用锚点（&）和别名（*）", got=exc.got,
                          hint="请把要重复的内容直接写出来；字段定义（_schema.yml）中要重复使用的部分可以放在 $defs 中，"
                               "用 $ref 引用") from None
    except _RefusedNumber as exc:
        raise SourceError(exc.node.start_mark.line + 1 + offset, f"数字无法使用：{exc.why}",
                          got=exc.node.value[:40] + ("…" if len(exc.node.value) > 40 else ""),
                          hint="金额、数量请写成普通数字，例如 2172.46；编号、卡号等请加引号写成文字") from None
    doc = YamlDocument(data)
    if node is not None:
        doc.lines[()] = node.start_mark.line + 1 + offset
        _walk(node, (), doc, offset, text)
    return doc


class _RefusedAnchor(Exception):
    def __init__(self, mark, got: str):
        super().__init__(got)
        self.mark, self.got = mark, got


def _refuse_anchors(text: str) -> None:
    """Refuse anchors and aliases before anything is built from them.

    Editors never need them, and aliases of aliases make a few hundred bytes stand for gigabytes (the
    "billion laughs"): every later walk over the data would expand them. Only the parser's events are
    read here, which is linear in the text; texts without & or * cannot hold either.
    """
    if "&" not in text and "*" not in text:
        return
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise _RefusedAnchor(event.start_mark, f"*{event.anchor}")
        if getattr(event, "anchor", None):
            raise _RefusedAnchor(event.start_mark, f"&{event.anchor}")


def _walk(node, path: tuple, doc: YamlDocument, offset: int, text: str) -> None:
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            child = path + (key,)
            line = key_node.start_mark.line + 1 + offset
            if key in seen:
                doc.duplicates.append((child, line))
            seen.add(key)
            doc.lines[child] = line
            start, end = value_node.start_mark, value_node.end_mark
            if isinstance(value_node, yaml.ScalarNode) and (start.line != key_node.start_mark.line
                                                           or end.line > start.line or "\n" in value_node.value):
                doc.spans[child] = (start.line + 1 + offset, text[start.index:end.index])
            _walk(value_node, child, doc, offset, text)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            child = path + (i,)
            doc.lines[child] = item.start_mark.line + 1 + offset
            _walk(item, child, doc, offset, text)


@dataclass
class MarkdownSource:
    front: YamlDocument
    body: str
    body_line: int          # line of the body's first line in the file


def split_front_matter(text: str) -> MarkdownSource:
    """A record file is '---', YAML, '---', then the Markdown body."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise SourceError(1, "文件开头缺少 --- 开始的信息头（front matter）",
                          got=lines[0][:40] if lines else "（空文件）",
                          hint="记录文件第一行必须是 ---,然后是各字段，再用一行 --- 结束，之后才是正文")
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            front = parse_yaml("\n".join(lines[1:i]), first_line=2)
            return MarkdownSource(front, "\n".join(lines[i + 1:]), i + 2)
    raise SourceError(1, "信息头没有结束：找不到第二个 --- 行",
                      hint="在最后一个字段之后、正文之前加一行 ---")
