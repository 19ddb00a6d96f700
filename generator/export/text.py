"""Editors' Markdown and plain text as print HTML, sanitised like the site's bodies (safehtml.py).

A newline inside a Chinese paragraph prints as a space (HTML collapses it to one), so newlines next to a
Chinese character are removed; between two Latin words the newline stays, as the space it means. Links are
kept as plain text: on paper there is nothing to click.
"""
from __future__ import annotations

import re

import markdown
from markupsafe import Markup

from ..safehtml import clean

_CJK = "\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_NEWLINE_BY_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]*\n[ \t]*|[ \t]*\n[ \t]*(?=[{_CJK}])")
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.S)
_LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S)


def strip_cjk_newlines(html: str) -> str:
    parts = _PRE.split(html)
    return "".join(part if part.startswith("<pre") else _NEWLINE_BY_CJK.sub("", part) for part in parts)


def markdown_html(text: str) -> Markup:
    html = clean(markdown.markdown(text.strip(), extensions=["tables", "sane_lists"], output_format="html")).html
    return Markup(strip_cjk_newlines(_LINK.sub(r"\1", html)))
