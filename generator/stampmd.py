"""A generated page's Markdown converted as Python-Markdown would, without it, when that page is only headings and
raw HTML blocks; otherwise not at all.

Stamping a record page (stamp.py) converted its Markdown with the engine's Python-Markdown: 0.7 ms a page, two
thirds of the stamping and 7 CPU-seconds of a first build at 10,000 records. What render writes there is almost
always plain headings (the title, the body's sections, 附件 …) between blocks of HTML it generated (slots, the
summary, tables), and Python-Markdown hands such HTML back unchanged. convert() follows Python-Markdown's own
rules for exactly that form, and gives up (None) at anything else, so that page goes to Python-Markdown:

- a heading is one `#`-line between blank lines whose text holds no Markdown or HTML sign and no whitespace but
  single spaces; its id is the toc extension's own slugify and unique(), its table-of-contents entry the
  extension's own form;
- an HTML block starts at a line's start with a block-level tag, holds only tags of a strict form (double-quoted
  attributes, no comment, script, style or other raw-text element), text without `<` or `>` and complete
  character references, and ends with the end tag that empties Python-Markdown's stack of open tags
  (markdown/htmlparser.py: every start tag is pushed, an end tag pops back to its own), right before a blank
  line or the page's end;
- nothing else: no control character, tab, carriage return or line of spaces.

It is used only while the engine's Markdown has exactly the extensions it was written for (KNOWN), and only
after converting SAMPLES both ways gave the same result in this process (Python-Markdown's version may differ
from the one this was written against). tests/test_stampmd.py compares it with Python-Markdown on every page of
the demo and the fixtures, and on random pages made of these pieces.
"""
from __future__ import annotations

import html
import re

from markdown.extensions import toc as toc_ext

# The processors of mkdocs.yml's Markdown (tables, attr_list, admonition, toc) as MkDocs loads them, and
# stamp.py's own marker: any other extension may change what a heading or an HTML block becomes.
KNOWN = {
    "preprocessors": {"normalize_whitespace", "html_block", "fenced_code_block"},
    "blockprocessors": {"empty", "indent", "code", "hashheader", "setextheader", "hr", "olist", "ulist", "quote",
                        "reference", "paragraph", "table", "admonition"},
    "treeprocessors": {"inline", "prettify", "unescape", "toc", "attr_list", "gk_links_or_images"},
    "inlinePatterns": {"backtick", "escape", "reference", "link", "image_link", "image_reference",
                       "short_reference", "short_image_ref", "autolink", "automail", "linebreak", "html", "entity",
                       "em_strong"},
    "postprocessors": {"raw_html", "amp_substitute"},
}

_HEADING = re.compile(r"(#{1,6}) ([^ ].*?)(?: \{#([a-z][a-z0-9-]*)\})?")
_EXPLICIT_ID = re.compile(r"^#{1,6} [^\n]*? \{#([a-z][a-z0-9-]*)\}$", re.M)
# A Markdown or HTML sign, a control character, or whitespace but a single space, in a heading's text.
_HEADING_BAD = re.compile(r"[\\`*_\[\]<>&!{}#~|\x00-\x1f\x7f-\x9f]|[^\S ]|  | $")
# A tag as html.parser reads it and Python-Markdown copies it: lower-case name, attributes after one space each.
_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)((?: [a-z][a-z0-9-]*(?:="[^"<>`\n]*")?)*)(/?)>')
_TEXT = re.compile(r"(?:[^<>&\n]|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{0,31});|\n)*")
# Elements whose content html.parser reads as raw text (in some Python version), and Python-Markdown's empty tag.
_RAW_TEXT = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext",
                       "textarea", "title"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})
# Control characters, a line of spaces, and what could open a fenced code block inside an HTML block.
_BAD = re.compile("[\x00-\x09\x0b-\x1f\x7f\x85\u2028\u2029\ufeff`]|~~~|(?:^|\n) +(?:\n|$)")

# Pages made of every piece convert() reads, in the ways it reads them: converted both ways before first use.
SAMPLES = (
    "\n\n<div data-gk-slot=\"s0\"></div>\n\n# 示例标题（2024）\n\n<div data-gk-slot=\"s1\"></div>\n\n"
    "<p class=\"gk-summary\"><strong>内容概述：</strong>说明 &amp; 数据 &#12345; &#x4e00;</p>\n\n## 一、总则\n\n"
    "<table class=\"gk-data\" id=\"t-x\">\n<caption>表</caption>\n<tbody>\n<tr><td data-label=\"项目\">1<br>2</td>"
    "</tr>\n</tbody>\n</table>\n\n\n## 一、总则\n\n### Part 2 a-b\n\n#### 2024年 Budget\n\n##### 五\n\n###### 六\n\n"
    "<div class=\"x\"><p>a<img src=\"a.png\" alt=\"\"><hr>b</p><br/><span>c</div>\n\n### Part 2 a-b\n\n# 一、总则",
    "<ul class=\"gk-list\">\n<li><a href=\"../x/\" download>甲</a></li>\n</ul>\n\n## 附件\n\n<p>末</p>\n",
)


def _plain(md) -> bool:
    """Whether md has exactly the processors convert() was written for, with a plain table of contents."""
    registries = {"preprocessors": md.preprocessors, "blockprocessors": md.parser.blockprocessors,
                  "treeprocessors": md.treeprocessors, "inlinePatterns": md.inlinePatterns,
                  "postprocessors": md.postprocessors}
    if any({item.name for item in registry._priority} != KNOWN[name] for name, registry in registries.items()):
        return False
    toc = md.treeprocessors["toc"]
    return (toc.base_level == 0 and not toc.use_anchors and toc.use_permalinks in (False, None)
            and md.tab_length == 4 and md.output_format == "xhtml")


class StructuralMarkdown:
    """convert() for one configured Python-Markdown instance (the engine's), or nothing (for_markdown)."""

    def __init__(self, md):
        self.md = md
        toc = md.treeprocessors["toc"]
        self.slugify, self.sep = toc.slugify, toc.sep
        self.top, self.bottom = toc.toc_top, toc.toc_bottom

    @classmethod
    def for_markdown(cls, md) -> StructuralMarkdown | None:
        """The converter for md, when it has the known extensions and gives what md gives on SAMPLES."""
        if not _plain(md):
            return None
        fast = cls(md)
        for sample in SAMPLES:
            md.reset()
            expected = (md.convert(sample), getattr(md, "toc_tokens", None))
            md.reset()
            try:
                if fast.convert(sample) != expected:
                    return None
            except Exception:   # noqa: BLE001 - toc's helpers in another version of Python-Markdown
                return None
        return fast

    def convert(self, source: str) -> tuple[str, list] | None:
        """(HTML, toc tokens) as md.convert(source) and md.toc_tokens would be, or None."""
        if _BAD.search(source):
            return None
        pieces: list[str] = []
        tokens: list[dict] = []
        used: set[str] = set()
        counters: dict[str, int] = {}
        blocks = re.split(r"\n\n+", source.strip("\n"))
        # toc counts every heading's own id first; a line inside an HTML block is no heading (it is stashed).
        explicit = {found for block in blocks if block.startswith("#") for found in _EXPLICIT_ID.findall(block)}
        used |= explicit
        for block in blocks:
            if block.startswith("#"):
                # Headings on consecutive lines are headings one after the other (HashHeaderProcessor).
                for line in block.split("\n"):
                    heading = self._heading(line, used, counters, explicit)
                    if heading is None:
                        return None
                    html_text, token = heading
                    pieces.append(html_text)
                    if token is not None:
                        tokens.append(token)
            elif block.startswith("<") and _html_block(block, self.md):
                pieces.append(block + "\n")     # Python-Markdown keeps the blank line after a raw block
            else:
                return None
        return "\n".join(pieces).strip(), toc_ext.nest_toc_tokens(tokens)

    def _heading(self, line: str, used: set[str], counters: dict[str, int],
                 explicit: set[str]) -> tuple[str, dict | None] | None:
        found = _HEADING.fullmatch(line)
        if found is None:
            return None
        level, text, given = len(found.group(1)), found.group(2), found.group(3)
        if _HEADING_BAD.search(text):
            return None
        name = " ".join(text.split())            # toc's strip_tags collapses whitespace
        if given:       # attr_list's id: kept as it is, and counted among the page's ids from the start
            if given not in explicit:
                return None
            anchor = given
        else:
            anchor = toc_ext.unique(self.slugify(html.unescape(name), self.sep), used, counters)
        token = ({"level": level, "id": anchor, "name": name, "html": text, "data-toc-label": ""}
                 if self.top <= level <= self.bottom else None)
        return f'<h{level} id="{anchor}">{text}</h{level}>', token


def _html_block(block: str, md) -> bool:
    """Whether Python-Markdown takes the whole block, and only it, as one raw HTML block."""
    stack: list[str] = []
    at = 0
    first = True        # the next tag starts an element at the top level, at a line's start
    for tag in _TAG.finditer(block):
        if not _TEXT.fullmatch(block, at, tag.start()) or (first and tag.start() != at):
            return False
        closing, name, attributes, empty = tag.groups()
        if name in _RAW_TEXT or (closing and (empty or attributes)):
            return False
        if first:
            if closing or empty or name in _VOID or not md.is_block_level(name):
                return False
            first = False
        if closing:
            if name in stack:
                while stack.pop() != name:
                    pass
            if not stack:
                if tag.end() == len(block):
                    return True
                # Another element may start on the next line: a raw block of its own, copied the same way.
                if block[tag.end()] != "\n":
                    return False
                first, at = True, tag.end() + 1
                continue
        elif not empty and name != "hr":       # hr is always empty to Python-Markdown; other void tags are pushed
            stack.append(name)
        at = tag.end()
    return False
