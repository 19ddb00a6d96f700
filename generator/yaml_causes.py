"""Why YAML refused a file, named by the character an editor typed.

PyYAML (and libyaml, whose messages differ) reports where parsing stopped, often one line after the mistake
and in English: a full-width colon after a field name reads as 「could not find expected ':'」 on the next
line. Editors type Chinese: the usual culprits are a full-width colon or space, a tab, a missing space after
the colon and an unclosed quote. This module finds the line that holds one of them, so the message names
the character and its line; the parser's own text is kept only as a detail.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

FULL_WIDTH_SPACE = "\u3000"
_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_FULL_WIDTH_COLON = re.compile(rf"^\s*(?:-\s+)?({_KEY})\s*：|[{{,]\s*({_KEY})\s*：")
_NO_SPACE_AFTER_COLON = re.compile(rf"^\s*(?:-\s+)?({_KEY}):(\S)")
_QUOTED_START = re.compile(rf"^\s*(?:-\s+)?(?:{_KEY}\s*:\s+)?([\"'])")
_BLOCK_SCALAR = re.compile(r"(?::|^\s*-)\s*[|>][-+0-9]*\s*(?:#.*)?$")


@dataclass(frozen=True)
class Cause:
    line: int            # 0-based within the parsed text
    message: str         # what is wrong, naming the character
    hint: str            # how to write it instead


def _structure_lines(lines: list[str]):
    """(index, line) of lines YAML reads as structure: text inside a block scalar (|, >) is left out, because
    Chinese paragraphs there may rightly start with full-width spaces or hold full-width colons."""
    block_indent = None
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                continue
            block_indent = None
        if _BLOCK_SCALAR.search(line):
            block_indent = indent
        yield i, line


def _unclosed_quote(line: str) -> bool:
    match = _QUOTED_START.match(line)
    if not match:
        return False
    quote, rest = match.group(1), line[match.end():]
    i = 0
    while i < len(rest):
        if quote == '"' and rest[i] == "\\":
            i += 2
            continue
        if rest[i] == quote:
            if quote == "'" and rest[i + 1:i + 2] == "'":
                i += 2
                continue
            return False
        i += 1
    return True


def line_cause(line: str, i: int) -> Cause | None:
    """The mistake on one line of YAML structure, if it is one of the usual ones."""
    lead = line[: len(line) - len(line.lstrip(" \t" + FULL_WIDTH_SPACE))]
    if "\t" in lead:
        return Cause(i, "行首有制表符（Tab 键）",
                     "YAML 只能用空格缩进：请删除这一行开头的制表符，改用空格，与同一层级的字段对齐")
    if FULL_WIDTH_SPACE in lead:
        return Cause(i, "行首有全角空格",
                     "YAML 只能用半角空格缩进：请删除这一行开头的全角空格（中文输入法下按空格键输入的空格），"
                     "改用英文输入法下的空格")
    colon = _FULL_WIDTH_COLON.search(line)
    if colon:
        key = colon.group(1) or colon.group(2)
        return Cause(i, "字段名后用了全角冒号“：”",
                     f"字段名后的冒号必须是英文冒号，后面再加一个空格：请写成 {key}: ……（切换到英文输入法输入冒号）")
    if _unclosed_quote(line):
        return Cause(i, "引号没有闭合",
                     "以引号开头的值必须在同一行用同样的引号结束；请在这一行末尾补上引号，或去掉开头的引号")
    no_space = _NO_SPACE_AFTER_COLON.match(line)
    if no_space:
        key = no_space.group(1)
        return Cause(i, "冒号后缺少空格", f"字段名的冒号后要加一个空格：请写成 {key}: ……")
    return None


def find_cause(text: str, stopped_at: int | None) -> Cause | None:
    """The first usual mistake on a structure line up to where the parser stopped (0-based), else after it."""
    lines = text.split("\n")
    causes = [c for c in (line_cause(line, i) for i, line in _structure_lines(lines)) if c]
    if not causes:
        return None
    before = [c for c in causes if stopped_at is None or c.line <= stopped_at]
    return before[0] if before else causes[0]


def visible(line: str) -> str:
    """The line as typed, with the characters a terminal does not show written out."""
    return line.replace("\t", "[Tab]").replace(FULL_WIDTH_SPACE, "[全角空格]")


def stopped_line(exc) -> int | None:
    """0-based line the parser blames. A simple key or a quoted value that never ended is blamed where it
    began (the context), not where the parser gave up, which is the next line or the end of the file."""
    context = str(getattr(exc, "context", "") or "")
    mark = exc.problem_mark
    if exc.context_mark is not None and ("simple key" in context or "quoted scalar" in context):
        mark = exc.context_mark
    mark = mark or exc.context_mark
    return mark.line if mark else None


def odd_key(key: str) -> Cause | None:
    """A field name that parsed but holds a full-width space or colon: YAML read the mistake as part of the name."""
    if FULL_WIDTH_SPACE in key:
        return Cause(0, "行首有全角空格" if key.startswith(FULL_WIDTH_SPACE) else "字段名中有全角空格",
                     "YAML 只能用半角空格缩进：请删除这一行开头的全角空格，改用英文输入法下的空格")
    if "：" in key:
        return Cause(0, "字段名后用了全角冒号“：”", "字段名后的冒号必须是英文冒号，后面再加一个空格")
    return None
