"""Bodies Python-Markdown would take hours on, refused with a reason an editor can act on.

Python-Markdown handles the inline markup of each paragraph in time that grows with the square of the
paragraph's length, and an opening bracket "[" sends it looking for the closing one to the end of the
paragraph, for every "[" and every link pattern: a 2 MB body of stray brackets would take days to build. Its
HTML parser does the same for a "<" that starts a tag, to the end of the whole body. So every inline block (a
paragraph, a table row, a heading) is limited in length, its square brackets must pair up, nested only a few
deep (generator/data/limits.yml), and a tag opened on a line must close on it. All are also plain editing
mistakes: a document pasted without blank lines renders as one paragraph, a stray "[" is usually a typo for
【, and "x<y" hides the rest of the line as an unknown tag.

Every pass here is linear in the body; the checks that read the body after this one may rely on its limits.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from itertools import islice

from ..sourcefile import LIMITS
from .markup import Finding

_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
_TICKS = re.compile(r"`+")
_TAG_OPENING = re.compile(r"<[A-Za-z/!?]")
_BRACKET = re.compile(r"[\[\]]")
_REPEATS = 3     # findings of one kind per record: the first few say what to fix


def _blocks(body: str) -> Iterator[tuple[int, str]]:
    """(offset of the first line, text) of each inline block Markdown will process. Fences are not special:
    the site's Markdown has no fenced-code extension, so ``` only opens an inline code span."""
    lines: list[str] = []
    start = 0
    quoted = False
    for offset, line in enumerate(body.split("\n")):
        stripped = line.lstrip()
        own_line = stripped.startswith(("|", "#")) or _LIST_ITEM.match(line) or stripped.startswith("!!!")
        quote = stripped.startswith(">")
        if not stripped or own_line or (quote and not quoted):
            if lines:
                yield start, "\n".join(lines)
            lines = []
        if stripped:
            if not lines:
                start = offset
            lines.append(line)
        quoted = quote
    if lines:
        yield start, "\n".join(lines)


def _unclosed_tags(body: str, first_line: int) -> Iterator[Finding]:
    """A "<" that starts a tag (a letter, /, ! or ? follows) with no ">" after it on its line.

    Python-Markdown's HTML parser reads from such a "<" to the end of the whole body looking for the ">", once
    for every one of them: a body of "x<y" took hours."""
    if "<" not in body:
        return
    for offset, line in enumerate(body.split("\n")):
        m = _TAG_OPENING.search(line) if "<" in line else None
        if m is None:
            continue
        last_close = line.rfind(">")
        for m in _TAG_OPENING.finditer(line, last_close + 1):
            yield Finding(first_line + offset, "尖括号“<”没有配对的“>”", _around(line, m.start()),
                          "“<”后紧跟英文字母时会被当作网页代码的开头。比较大小请写“小于”或用全角“＜”；"
                          "网页代码请写完整并在同一行结束，例如 <br>")
            break


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Spans of inline code (between two equal runs of backticks), in which brackets are plain text."""
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(text)]
    following: dict[int, int] = {}      # run index -> index of the next run of the same length
    last: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        size = runs[i][1] - runs[i][0]
        if size in last:
            following[i] = last[size]
        last[size] = i
    spans, i = [], 0
    while i < len(runs):
        j = following.get(i)
        if j is None:
            i += 1
            continue
        spans.append((runs[i][0], runs[j][1]))
        i = j + 1
    return spans


def _brackets(text: str) -> tuple[int | None, int | None]:
    """Positions of the first "[" left open, and of the first "[" nested deeper than allowed (or None)."""
    spans = _code_spans(text) if "`" in text else []
    open_at: list[int] = []
    too_deep = None
    span = 0
    for m in _BRACKET.finditer(text):
        position = m.start()
        while span < len(spans) and spans[span][1] <= position:
            span += 1
        if (span < len(spans) and spans[span][0] <= position) or _escaped(text, position):
            continue
        if m.group() == "[":
            open_at.append(position)
            if len(open_at) > LIMITS["bracket_nesting_max"] and too_deep is None:
                too_deep = position
        elif open_at:
            open_at.pop()
    return (open_at[0] if open_at else None), too_deep


def _escaped(text: str, position: int) -> bool:
    backslashes = 0
    while position - backslashes > 0 and text[position - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def body_shape(body: str, first_line: int) -> list[Finding]:
    """Paragraphs too long, square brackets that do not pair up or nest too deep, tags left open."""
    longest = LIMITS["paragraph_max_chars"]
    findings: dict[str, list[Finding]] = {"long": [], "open": [], "deep": [],
                                          "tag": list(islice(_unclosed_tags(body, first_line), _REPEATS))}
    for offset, text in _blocks(body):
        line = first_line + offset
        if len(text) > longest:
            findings["long"].append(Finding(
                line, f"这一段太长，一段最多 {longest} 字", f"{len(text)} 字",
                "段落之间请空一行（Markdown 把不空行的各行连成一段）；很长的表格或材料请作为附件发布"))
            continue        # its brackets are not looked at: the paragraph has to be split first
        if "[" not in text:
            continue
        unclosed, deep = _brackets(text)
        starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"] if "\n" in text else [0]
        if unclosed is not None:
            findings["open"].append(Finding(
                line + bisect.bisect_right(starts, unclosed) - 1, "方括号“[”没有配对的“]”",
                _around(text, unclosed),
                "Markdown 把方括号当作链接的开头。请补上“]”、删除多余的“[”，或改用中文方括号【】"))
        if deep is not None:
            findings["deep"].append(Finding(
                line + bisect.bisect_right(starts, deep) - 1,
                f"方括号嵌套太深，最多 {LIMITS['bracket_nesting_max']} 层", _around(text, deep),
                "链接文字中不要再套方括号；需要时改用中文方括号【】"))
    result = []
    for kind in findings.values():
        result += kind[:_REPEATS]
    return result


def _around(text: str, position: int) -> str:
    return text[max(0, position - 10):position + 20].replace("\n", "⏎")
