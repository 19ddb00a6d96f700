"""Unsafe HTML and links inside Markdown bodies.

Python-Markdown passes raw HTML through, so anything an editor pastes from a word processor or another site
reaches readers' browsers unchanged. Script-capable markup and script URLs are refused, with the line.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

FORBIDDEN_TAGS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link",
                  "meta", "base", "form", "input", "button", "textarea", "select", "svg", "math")
_TAG = re.compile(r"<\s*(" + "|".join(FORBIDDEN_TAGS) + r")\b", re.I)   # opening tags: one finding each
_TAG_START = re.compile(r"<[a-z]", re.I)
_ON_ATTRIBUTE = re.compile(r"\s(on[a-z]+)\s*=", re.I)
_BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.I)

# Markdown links and images, reference definitions, autolinks, and href/src attributes.
_MD_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_AUTOLINK = re.compile(r"<([a-z][a-z0-9+.-]*:[^>\s]*)>", re.I)
_ATTR_URL = re.compile(r"\b(?:href|src)\s*=\s*[\"']?([^\"'\s>]+)", re.I)


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


def links(body: str, first_line: int) -> list[Link]:
    found = []
    if "](" not in body and "<" not in body and "]:" not in body:
        return found   # the common case on large sites: plain prose and tables
    for offset, text in enumerate(body.split("\n")):
        if "](" not in text and "<" not in text and "]:" not in text:
            continue
        for rx in (_MD_LINK, _AUTOLINK, _ATTR_URL):
            found += [Link(first_line + offset, m.group(1)) for m in rx.finditer(text)]
        m = _REF_DEF.match(text)
        if m:
            found.append(Link(first_line + offset, m.group(1)))
    return found


def unsafe_markup(body: str, first_line: int) -> list[Finding]:
    findings = []
    for offset, text in enumerate(body.split("\n") if "<" in body else ()):
        line = first_line + offset
        for m in _TAG.finditer(text):
            findings.append(Finding(line, f"正文含有不允许的 HTML 标签 <{m.group(1).lower()}>", m.group(0),
                                    "出于安全原因，正文不能包含脚本、内嵌框架、表单或样式标签；请删除这段 HTML,"
                                    "改用普通文字、Markdown 表格或附件"))
        for name in _event_attributes(text):
            findings.append(Finding(line, f"正文的 HTML 含有事件属性 {name}", name,
                                    "onclick、onload 等属性会执行脚本，请删除"))
    for link in links(body, first_line):
        if _BAD_SCHEME.match(link.url):
            findings.append(Finding(link.line, "正文含有不安全的链接", link.url[:60],
                                    "javascript:、vbscript:、data:、file: 链接不能发布；请改为 https:// 网址或附件"))
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


def is_external(url: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I)) or url.startswith("//")
