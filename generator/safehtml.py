"""Editors' HTML made safe after Markdown: an allowlist of tags, attributes, classes and URL schemes.

Python-Markdown passes raw HTML through, and attr_list puts any attribute on any element ({: onerror=… }), so
the HTML a body renders to is parsed (html.parser decodes entities as browsers do) and written out again from
what was parsed: allowed tags with allowed attributes, every text and attribute value escaped, every element
closed. Everything else is left out and reported as a Removal, so that `check` refuses what the build would
have removed (rules/markup.py): this is the second line of defence, not a silent rewriter.

Top-level headings come back as Heading parts (body.py hands them to MkDocs as Markdown headings, so the page
TOC and heading ids stay MkDocs' own); the HTML between them as strings.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

# Tags Python-Markdown writes for the extensions of mkdocs.yml, and the few inline tags editors may type.
ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "kbd",
    "strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "mark", "small", "abbr",
    "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "a", "img", "div", "span",
})
VOID_TAGS = frozenset({"br", "hr", "img"})
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Elements whose whole content goes with them: scripts, styles, embedded documents, foreign markup.
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "template", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "noscript", "noembed", "noframes", "textarea", "select", "option", "title", "head", "xmp", "plaintext",
    "video", "audio", "canvas", "map",
})

_DIGITS = re.compile(r"^[0-9]{1,4}$")
# Attribute -> what its value must look like (a set of words, a pattern, or None for any text).
ALLOWED_ATTRIBUTES: dict[str, dict[str, object]] = {
    "a": {"href": None, "title": None},
    "img": {"src": None, "alt": None, "title": None, "width": _DIGITS, "height": _DIGITS},
    "abbr": {"title": None},
    "th": {"align": {"left", "center", "right"}, "colspan": _DIGITS, "rowspan": _DIGITS, "scope": {"row", "col"}},
    "td": {"align": {"left", "center", "right"}, "colspan": _DIGITS, "rowspan": _DIGITS},
    "ol": {"start": _DIGITS},
    "div": {"class": None},
    "p": {"class": None},
}
# Classes only where the admonition extension puts them (!!! note "标题"), with the types Material styles.
ADMONITION_TYPES = frozenset({
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success", "check",
    "done", "question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing",
    "danger", "error", "bug", "example", "quote", "cite",
})
ALLOWED_CLASSES = {"div": ADMONITION_TYPES | {"admonition"}, "p": frozenset({"admonition-title"})}
URL_ATTRIBUTES = frozenset({"href", "src"})
# Schemes a link may use; images come only from the site itself (attachments), so they take no scheme at all.
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_URL_INVISIBLE = re.compile(r"[\t\n\r]")   # browsers remove these anywhere in a URL


@dataclass(frozen=True)
class Removal:
    kind: str       # tag | attribute | class | url
    name: str       # the tag, attribute or class name; for url, the attribute (href, src)
    value: str = ""  # the offending value (url, class word), as parsed
    tag: str = ""   # the element it was on


@dataclass(frozen=True)
class Heading:
    level: int
    text: str       # plain text, entities decoded


@dataclass
class Cleaned:
    parts: list = field(default_factory=list)       # str (safe HTML) and Heading, in order
    removed: list[Removal] = field(default_factory=list)

    @property
    def html(self) -> str:
        """Everything as one HTML string (headings as plain <hN> elements)."""
        return "".join(p if isinstance(p, str) else f"<h{p.level}>{escape(p.text, quote=False)}</h{p.level}>"
                       for p in self.parts)


def url_scheme(value: str) -> tuple[str | None, str]:
    """(scheme or None for a relative URL, the URL as a browser reads it); scheme '' when it cannot be trusted.

    Browsers drop tabs and line breaks anywhere in a URL and spaces and control characters around it, so
    ' java\\tscript:' is javascript:. A URL that still holds control characters is refused outright."""
    url = _URL_INVISIBLE.sub("", value).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11"
                                              "\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    if _CONTROL.search(url):
        return "", url
    m = _SCHEME.match(url)
    return (m.group(1).lower() if m else None), url


def safe_url(tag: str, value: str) -> str | None:
    """The URL if an element may carry it, else None."""
    scheme, url = url_scheme(value)
    if scheme == "":
        return None
    if tag == "img":
        return url if scheme is None and not url.startswith(("//", "\\", "/\\")) else None
    return url if scheme is None or scheme in LINK_SCHEMES else None


class _Cleaner(HTMLParser):
    def __init__(self, rewrite_url: Callable[[str, str], str] | None):
        super().__init__(convert_charrefs=True)
        self.rewrite_url = rewrite_url
        self.out = Cleaned()
        self.html: list[str] = []
        self.open: list[str] = []          # allowed elements written and not yet closed
        self.dropping: list[str] = []      # a dropped element whose content goes too, and those inside it
        self.heading: tuple[int, list[str]] | None = None   # a top-level heading being collected

    # Parser callbacks --------------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping:
            if tag not in VOID_TAGS:
                self.dropping.append(tag)
            return
        if tag in DROPPED_WITH_CONTENT:
            self.out.removed.append(Removal("tag", tag))
            self.dropping.append(tag)
            return
        if tag not in ALLOWED_TAGS:
            self.out.removed.append(Removal("tag", tag))
            return
        kept = self._attributes(tag, attrs)
        if tag in HEADINGS and not self.open and self.heading is None:
            self._flush()
            self.heading = (HEADINGS[tag], [])
            self.open.append(tag)
            return
        if self.heading is not None:       # markup inside a top-level heading: only its text is kept
            if tag not in VOID_TAGS:
                self.open.append(tag)
            return
        self.html.append(f"<{tag}" + "".join(f' {k}="{escape(v)}"' for k, v in kept) + ">")
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs) -> None:
        # <br/> and <div/> alike: HTML ignores the slash, so a non-void element stays open as it would there.
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag in self.dropping:
                while self.dropping.pop() != tag:
                    pass
            return
        if tag not in self.open:
            return                          # a stray end tag: nothing was opened for it
        while self.open:
            name = self.open.pop()
            if self.heading is not None and not self.open:
                level, text = self.heading
                self.out.parts.append(Heading(level, " ".join("".join(text).split())))
                self.heading = None
            elif self.heading is None:
                self.html.append(f"</{name}>")
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        if self.heading is not None:
            self.heading[1].append(data)
        else:
            self.html.append(escape(data, quote=False))

    # Comments, declarations and processing instructions are not shown to readers: they are left out.
    def handle_comment(self, data: str) -> None:
        pass

    def handle_decl(self, decl: str) -> None:
        pass

    def handle_pi(self, data: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        pass

    # -------------------------------------------------------------------------------------------------------
    def _attributes(self, tag: str, attrs) -> list[tuple[str, str]]:
        allowed = ALLOWED_ATTRIBUTES.get(tag, {})
        kept: list[tuple[str, str]] = []
        seen = set()
        for name, value in attrs:
            value = value or ""
            if name in seen:
                continue                    # browsers keep the first of two equal attributes
            seen.add(name)
            if name not in allowed:
                # id too: an editor's id="__config" would shadow the element Material and search read.
                self.out.removed.append(Removal("attribute", name, value, tag))
                continue
            rule = allowed[name]
            if name == "class":
                words = value.split()
                good = [w for w in words if w in ALLOWED_CLASSES[tag]]
                for w in words:
                    if w not in ALLOWED_CLASSES[tag]:
                        self.out.removed.append(Removal("class", "class", w, tag))
                if good:
                    kept.append((name, " ".join(good)))
                continue
            if name in URL_ATTRIBUTES:
                url = safe_url(tag, value)
                if url is None:
                    self.out.removed.append(Removal("url", name, value, tag))
                    continue
                kept.append((name, self.rewrite_url(tag, url) if self.rewrite_url else url))
                continue
            if isinstance(rule, (set, frozenset)) and value.lower() not in rule \
                    or isinstance(rule, re.Pattern) and not rule.match(value):
                self.out.removed.append(Removal("attribute", name, value, tag))
                continue
            kept.append((name, value.lower() if isinstance(rule, (set, frozenset)) else value))
        return kept

    def _flush(self) -> None:
        if self.html:
            self.out.parts.append("".join(self.html))
            self.html = []

    def finish(self) -> Cleaned:
        self.close()
        while self.open:
            self.handle_endtag(self.open[-1])
        self._flush()
        return self.out


def clean(html: str, rewrite_url: Callable[[str, str], str] | None = None) -> Cleaned:
    """Safe HTML parts of html and what was removed; rewrite_url(tag, url) may change each URL that was kept."""
    cleaner = _Cleaner(rewrite_url)
    cleaner.feed(html)
    return cleaner.finish()
