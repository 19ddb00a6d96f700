"""Record bodies on pages: rendered from the editor's Markdown here, sanitised, and handed to MkDocs in pieces.

MkDocs would pass an editor's raw HTML straight into the page. So the body is rendered here with Python-Markdown
and the extensions of mkdocs.yml, cleaned by safehtml (an allowlist, after rendering), and MkDocs gets only
what the cleaner wrote: top-level headings as Markdown headings re-emitted from their text, escaped (the page
TOC and heading ids stay MkDocs' own), and the HTML between them in slots (slots.py), which Python-Markdown
does not parse again. MkDocs no longer sees the body's links, so relative links to other records and to
attachments are turned into final relative URLs here.
"""
from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from html import escape
from pathlib import Path
from urllib.parse import unquote

import markdown

from .masks import keep_masks
from .safehtml import Cleaned, Heading, clean
from .slots import slot
from .sourcefile import load_own_yaml
from .urls import relative_url

MKDOCS_YML = Path(__file__).resolve().parent.parent / "mkdocs.yml"
# MkDocs adds heading ids (toc) to the Markdown headings it is handed; ids in the body would be the editor's.
NOT_HERE = {"toc"}

_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_BLOCK_START = re.compile(r"^\s*([#>|*+-]|\d+[.)]\s|```|~~~|<|!!!|\?\?\?)")
_CJK_START = re.compile(f"[{_CJK}]")
# What a body needs to hold before its HTML can carry anything but Markdown's own plain elements: raw HTML and
# autolinks (<), entities (&), attribute lists ({), links and images ( ](  ]: ), admonitions (!!!, a class).
MARKUP_SIGNS = ("<", "&", "{", "](", "]:", "!!!")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|{}!])")


def join_cjk_lines(body: str) -> str:
    """Join hard-wrapped Chinese lines: a newline between two CJK characters renders as a stray space.

    Linear in the body: every line is looked at once, and a joined line is kept as its pieces until the end
    (growing one string and searching all of it again for each line took minutes on a long body).
    """
    out: list[list[str]] = []     # the output lines, each as the input lines joined into it
    opens_block = False           # whether the last output line starts as a heading, table row or HTML
    fenced = False
    for line in body.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif (not fenced and out and line and not opens_block and not line.startswith(" ")
              and _CJK_START.match(out[-1][-1][-1:]) and not out[-1][-1].endswith("  ")
              and _CJK_START.match(line) and not _BLOCK_START.match(line)):
            out[-1].append(line)
            continue
        out.append([line])
        opens_block = line.lstrip().startswith(("#", "|", "<"))
    return "\n".join("".join(pieces) for pieces in out)


def markdown_text(text) -> str:
    """Plain text as one line of Markdown that shows exactly that text: HTML characters become entities
    (Python-Markdown keeps entities), Markdown's own characters are backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", escape(" ".join(str(text).split()), quote=False))


@lru_cache(maxsize=None)
def _extensions() -> tuple[tuple[str, ...], dict]:
    """The Markdown extensions of mkdocs.yml (bar NOT_HERE), so a body renders as MkDocs would render it."""
    config = load_own_yaml(MKDOCS_YML)
    names, configs = [], {}
    for item in config.get("markdown_extensions") or ():
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        if name in NOT_HERE:
            continue
        names.append(name)
        if options:
            configs[name] = options
    return tuple(names), configs


_md: markdown.Markdown | None = None

# Prose needs no Markdown parser: paragraphs and ATX headings whose text holds none of Markdown's signs come
# out as Python-Markdown writes them (<p>lines</p>, <h2>text</h2>, one block a line), at a fortieth of its cost
# (most bodies are such prose; Python-Markdown was a fifth of rendering the pages). Any sign, whitespace but a
# plain space, whitespace ending a line, or a line opening as a list, quote, code or setext underline would, so
# such a body goes to Python-Markdown. tests/test_body.py compares the two on random texts and every fixture.
_SIGNS = re.compile(r"[\\`*_\[\]{}#|<>&!\x00-\x1f\x7f]|[^\S ]|\s$")
_OPENS_BLOCK = re.compile(r"[ ]|\d+[.)]|[-+*>=~:]")
_PLAIN_HEADING = re.compile(r"(#{1,6}) +([^#]+)")
# The extensions of mkdocs.yml that leave such prose as plain Markdown writes it; with any other (nl2br, smarty,
# magiclink) every body goes to Python-Markdown.
PROSE_NEUTRAL = frozenset({"tables", "attr_list", "admonition", "toc"})


def _plain_blocks(text: str) -> list[tuple[int, str]] | None:
    """The blocks of a body in the plain subset above, (heading level or 0 for a paragraph, text), or None."""
    blocks, paragraph = [], []
    for line in text.split("\n"):
        heading = _PLAIN_HEADING.fullmatch(line) if line.startswith("#") else None
        if heading and _SIGNS.search(heading.group(2)):
            return None
        if line and not heading and (_SIGNS.search(line) or _OPENS_BLOCK.match(line)):
            return None
        if paragraph and (heading or not line):
            blocks.append((0, "\n".join(paragraph)))
            paragraph = []
        if heading:
            blocks.append((len(heading.group(1)), heading.group(2)))
        elif line:
            paragraph.append(line)
    if paragraph:
        blocks.append((0, "\n".join(paragraph)))
    return blocks


def plain_html(text: str) -> str | None:
    """Python-Markdown's HTML of a body in the plain subset above, or None for any other body."""
    blocks = _plain_blocks(text)
    if blocks is None:
        return None
    return "\n".join(f"<h{level}>{inner}</h{level}>" if level else f"<p>{inner}</p>" for level, inner in blocks)


def plain_cleaned(text: str) -> Cleaned | None:
    """What safehtml.clean makes of plain_html(text), without parsing it again: the plain subset holds no tag,
    entity or character escape would change (tests/test_body.py compares the two), so its paragraphs are the
    HTML parts and its headings the Heading parts, whitespace in a heading collapsed as the cleaner does. A
    third of rendering ten thousand record pages was the cleaner reading the HTML plain_html had just written."""
    blocks = _plain_blocks(text)
    if blocks is None:
        return None
    out, html = Cleaned(), []
    for n, (level, inner) in enumerate(blocks):
        if n:
            html.append("\n")
        if level:
            if html:
                out.parts.append("".join(html))
                html = []
            out.parts.append(Heading(level, " ".join(inner.split())))
        else:
            html.append(f"<p>{inner}</p>")
    if html:
        out.parts.append("".join(html))
    return out


def _prepared(text: str) -> str:
    return keep_masks(join_cjk_lines(text)).strip()


def _plain_allowed() -> bool:
    return PROSE_NEUTRAL.issuperset(_extensions()[0])


def to_html(text: str) -> str:
    """The editor's Markdown as HTML, unsanitised; masked names keep their asterisks (masks.py)."""
    text = _prepared(text)
    plain = plain_html(text) if _plain_allowed() else None
    return plain if plain is not None else parsed_html(text)


def parsed_html(text: str) -> str:
    """Markdown as HTML through Python-Markdown, with the extensions of mkdocs.yml (what plain_html equals)."""
    global _md
    if _md is None:
        names, configs = _extensions()
        _md = markdown.Markdown(extensions=list(names), extension_configs=configs)
    return _md.reset().convert(text)


def could_hold_markup(text: str) -> bool:
    return any(sign in text for sign in MARKUP_SIGNS)


def cleaned(text: str, rewrite_url=None) -> Cleaned:
    """The body rendered and sanitised: safe HTML parts and headings, and what the sanitiser removed."""
    text = _prepared(text)
    plain = plain_cleaned(text) if _plain_allowed() else None
    return plain if plain is not None else clean(parsed_html(text), rewrite_url)


def link_rewriter(source_page: str, page: str):
    """Relative URLs in a body written in source_page (a docs path) as final URLs from page.

    A link to another record's .md becomes its page URL; an attachment keeps its file name. The checker has
    already proved every such link reaches a published record or one of the record's own attachments."""
    folder = posixpath.dirname(source_page)

    def rewrite(tag: str, url: str) -> str:
        if re.match(r"^([a-z][a-z0-9+.-]*:|#|/)", url, re.I) or "?" in url:
            return url
        path, _, fragment = url.partition("#")
        docs = posixpath.normpath(posixpath.join(folder, unquote(path)))
        if not path or docs.startswith("../"):
            return url
        return relative_url(page, docs) + (f"#{fragment}" if fragment else "")

    return rewrite


_TABLE = re.compile(r"<table>(.*?)</table>", re.S)


def scrolling_tables(html: str) -> str:
    """Each table of a body in a labelled region that scrolls sideways by itself and takes keyboard focus:
    a wide table must not widen a phone's page (the class keeps Material's script from wrapping it again)."""
    return _TABLE.sub(lambda m: '<div class="gk-scroll" role="region" tabindex="0" aria-label="正文表格">'
                                '<p class="gk-scroll-cue" aria-hidden="true">左右滑动查看更多</p>'
                                f'<table class="gk-body-table">{m.group(1)}</table></div>', html)


def body_markdown(text: str, source_page: str, page: str) -> str:
    """The body as MkDocs gets it: Markdown headings, and slots of sanitised HTML between them."""
    blocks = []
    for part in cleaned(text, link_rewriter(source_page, page)).parts:
        if isinstance(part, Heading):
            if part.text:
                blocks.append("#" * part.level + " " + markdown_text(part.text))
        elif part.strip():
            blocks.append(str(slot(scrolling_tables(part.strip("\n")))))
    return "\n".join(blocks)     # each slot becomes a block of its own (slots.move_slots)
