"""Unsafe HTML and links in Markdown bodies (and front-matter text printed as Markdown), refused with the line.

Two passes. Patterns on the source give precise lines for the common cases (script-capable tags, event
attributes, script URLs in links, also entity-encoded or with spaces). Then every body that could hold markup
is rendered and sanitised exactly as the build does (body.py, safehtml.py), and whatever the sanitiser would
remove is refused too: attr_list attributes ({: onerror=… }), tags split over lines, style=, classes,
external images. So what passes `check` is published unchanged; the sanitiser is the second line of defence.
"""
from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from urllib.parse import unquote

from ..body import cleaned, could_hold_markup
from ..safehtml import Removal, safe_url

FORBIDDEN_TAGS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link",
                  "meta", "base", "form", "input", "button", "textarea", "select", "svg", "math", "template")
_TAG = re.compile(r"<\s*(" + "|".join(FORBIDDEN_TAGS) + r")\b", re.I)   # opening tags: one finding each
_TAG_START = re.compile(r"<[a-z]", re.I)
_ON_ATTRIBUTE = re.compile(r"\s(on[a-z]+)\s*=", re.I)

# Markdown links and images, reference definitions, autolinks, and href/src attributes.
_MD_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_AUTOLINK = re.compile(r"<([a-z][a-z0-9+.&#;-]*:[^>\s]*)>", re.I)
_ATTR_URL = re.compile(r"\b(?:href|src)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\"'\s>]+))", re.I)

TAG_HINT = ("只能使用 Markdown（小标题、列表、表格、链接）和少量 HTML 标签（如 <br>、<sub>、<sup>、<u>）；"
            "请删除这段 HTML，改用普通文字、Markdown 表格或附件")
LINK_HINT = ("链接只能使用 https://、http://、mailto:、tel: 或本网站的相对路径；javascript:、vbscript:、data:、"
             "file: 等链接不能发布")
IMAGE_HINT = "图片只能是本信息的附件，写相对路径（例如 dibao-2025/图1.png），不能引用其他网站或 data: 地址"


@dataclass(frozen=True)
class Finding:
    line: int
    message: str
    got: str
    hint: str


@dataclass(frozen=True)
class Link:
    line: int
    url: str


# Front-matter groups whose text fields are printed as Markdown on 明白纸 and 公示版 (export/text.py): held to the
# body's rules, links and images included (an image there is drawn onto paper).
PRINTED_GROUPS = ("leaflet", "service_elements")


def marked_texts(raw, label) -> list[tuple[str, str, int, tuple[int, str] | None]]:
    """(field as named in messages, Markdown, its first line, how it is written) of a record's body and printed
    fields; label names a front-matter key as messages do. How a field is written ((line, text as in the file),
    or None when the text is the file's own lines) places what is found in it (placed)."""
    texts = [("正文", raw.body, raw.body_line, None)]
    data = raw.front.data if isinstance(raw.front.data, dict) else {}
    for group in PRINTED_GROUPS:
        fields = data.get(group)
        for key, text in (fields.items() if isinstance(fields, dict) else ()):
            if isinstance(text, str):
                written = raw.front.spans.get((group, key))
                line = raw.front.line_of((group, key)) or 1
                if written is not None:     # a block scalar's text starts below its indicator
                    line = written[0] + (written[1][:1] in ("|", ">"))
                texts.append((f"{label(group)} {key}", text, line, written))
    return texts


def placed(line: int, needles, written: tuple[int, str] | None) -> int:
    """The file's line holding the first of needles within a field written over several lines (folded, quoted,
    plain: its text's lines are not the file's), else line."""
    if written is None:
        return line
    first, source = written
    lines = source.split("\n")
    skip = 1 if source[:1] in ("|", ">") else 0     # a block scalar's header line holds no text, only a comment
    for needle in needles:
        needle = needle.removesuffix("…")
        for offset in range(skip, len(lines)):
            if needle and needle in lines[offset]:
                return first + offset
    return line


def link_forms(url: str) -> tuple[str, ...]:
    """A URL as an editor may have written it: as read, with entities, or percent-encoded."""
    return tuple(dict.fromkeys((url, html.escape(url, quote=False), unquote(url))))


def read_markup(text: str, first_line: int) -> tuple[list[Finding], list[Link]]:
    """Unsafe markup in this Markdown, and every URL the page or sheet made of it holds, from one rendering
    (rendered and sanitised as the build does, so links split over lines, reference definitions and an <img>
    whose src is on the next line are all found), each URL once, on the first line of the text naming it."""
    urls: list[str] = []
    rendered = cleaned(text, lambda tag, url: urls.append(url) or url) if could_hold_markup(text) else None
    lines = text.split("\n")

    def line_of(url: str) -> int:
        for form in link_forms(url):
            for offset, line in enumerate(lines):
                if form in line:
                    return first_line + offset
        return first_line
    return _unsafe(text, first_line, rendered), [Link(line_of(url), url) for url in dict.fromkeys(urls)]


def links(body: str, first_line: int) -> list[Link]:
    found = []
    if "](" not in body and "<" not in body and "]:" not in body:
        return found   # the common case on large sites: plain prose and tables
    for offset, text in enumerate(body.split("\n")):
        if "](" not in text and "<" not in text and "]:" not in text:
            continue
        found += [Link(first_line + offset, m.group(1)) for m in _MD_LINK.finditer(text)]
        found += [Link(first_line + offset, m.group(1)) for m in _AUTOLINK.finditer(text)]
        found += [Link(first_line + offset, next(g for g in m.groups() if g is not None))
                  for m in _ATTR_URL.finditer(text)]
        m = _REF_DEF.match(text)
        if m:
            found.append(Link(first_line + offset, m.group(1)))
    return found


def unsafe_markup(body: str, first_line: int) -> list[Finding]:
    return read_markup(body, first_line)[0]


def _unsafe(body: str, first_line: int, rendered) -> list[Finding]:
    findings = []
    lines = body.split("\n")
    for offset, text in enumerate(lines if "<" in body else ()):
        line = first_line + offset
        for m in _TAG.finditer(text):
            findings.append(Finding(line, f"含有不允许的 HTML 标签 <{m.group(1).lower()}>", m.group(0),
                                    "出于安全原因，不能使用脚本、内嵌框架、表单或样式标签；请删除这段 HTML，"
                                    "改用普通文字、Markdown 表格或附件"))
        for name in _event_attributes(text):
            findings.append(Finding(line, f"HTML 含有事件属性 {name}", name,
                                    "onclick、onload 等属性会执行脚本，请删除"))
    for link in links(body, first_line):
        if safe_url("a", html.unescape(link.url)) is None:
            findings.append(Finding(link.line, "含有不安全的链接", _shown(link.url), LINK_HINT))
    if rendered is not None:
        findings += _removals(rendered, body, first_line, {f.line for f in findings})
    return findings


def _event_attributes(text: str) -> list[str]:
    """on* attributes inside a tag: after "<" and a letter, with no ">" between.

    Linear in the line: the pattern <[a-z][^>]*\\s(on[a-z]+)\\s*= tried from every "<" read to the end of the
    line each time, and a line of many "<a" took minutes."""
    if "=" not in text:
        return []
    starts = [m.start() for m in _TAG_START.finditer(text)]
    ends = [i for i, char in enumerate(text) if char == ">"]
    found = []
    for m in _ON_ATTRIBUTE.finditer(text):
        opened = bisect.bisect_left(starts, m.start()) - 1
        closed = bisect.bisect_left(ends, m.start()) - 1
        if opened >= 0 and (closed < 0 or starts[opened] > ends[closed]):
            found.append(m.group(1))
    return found


def _removals(rendered, body: str, first_line: int, reported: set[int]) -> list[Finding]:
    """What the build's sanitiser took out of this body (rendered), each on the line it most likely comes from."""
    findings = []
    seen = set()
    for removal in rendered.removed:
        key = (removal.kind, removal.name, removal.value)
        if key in seen:
            continue
        seen.add(key)
        line = _line_of(removal, body, first_line)
        if line not in reported:
            findings.append(_finding(removal, line))
            reported.add(line)
    return findings


def _finding(r: Removal, line: int) -> Finding:
    if r.kind == "tag":
        return Finding(line, f"含有不允许的 HTML 标签 <{r.name}>", f"<{r.name}>", TAG_HINT)
    if r.kind == "class":
        return Finding(line, f"使用了不允许的类名 {r.value}", _shown(r.value),
                       "提示框请写 !!! note、!!! tip、!!! warning 或 !!! danger；其他类名会借用网站的样式改变或遮盖页面，请删除")
    if r.kind == "url":
        if r.tag == "img":
            return Finding(line, "图片地址不允许", _shown(r.value), IMAGE_HINT)
        return Finding(line, "含有不安全的链接", _shown(r.value), LINK_HINT)
    if r.name.startswith("on"):
        hint = "onclick、onerror 等属性会执行脚本，请删除"
    elif r.name == "style":
        hint = "style 属性可以改变或遮盖整个页面，不能使用，请删除"
    else:
        hint = ("HTML 只能带少量属性（链接的 href、title，图片的 src、alt，表格的 align 等）；"
                "用 {: … } 给段落、图片或链接加属性也不允许，请删除")
    return Finding(line, f"HTML 含有不允许的属性 {r.name}", f"{r.name}={_shown(r.value)}" if r.value else r.name,
                   hint)


def _shown(value: str) -> str:
    """A value as a message line shows it: line breaks and tabs as spaces, at most 60 characters."""
    return re.sub(r"[\t\n\r]", " ", value)[:60]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", html.unescape(text)).lower()


def _line_of(r: Removal, body: str, first_line: int) -> int:
    """The source line that most likely holds what was removed; the body's first line when none is found."""
    if r.kind == "url":
        for needle in (_squeeze(r.value)[:40], _squeeze(r.value.split("\n")[0])[:40]):
            for offset, text in enumerate(body.split("\n")):
                if needle and needle in _squeeze(text):
                    return first_line + offset
        return first_line
    if r.kind == "tag":
        pattern = r"<\s*" + re.escape(r.name) + r"(?![\w-])"
    elif r.kind == "class":
        pattern = r"(?<![\w-])" + re.escape(r.value) + r"(?![\w-])"
    elif r.name == "id":
        pattern = r"(?<![\w-])id\s*=|\{[^}]*#" + re.escape(r.value)
    else:
        pattern = r"(?<![\w-])" + re.escape(r.name) + r"\s*="
    m = re.search(pattern, body, re.I)
    return first_line + body.count("\n", 0, m.start()) if m else first_line


def is_external(url: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I)) or url.startswith("//")
