"""A record's body as it is printed on a board sheet: the same text, minus what only makes sense on the web.

Editors write the body for the record's web page, and some sentences speak of that page: 「公示在……公开栏和本网站
同步进行」, 「公示期满后，本页只保留……」, 「点击下载」. On paper 本网站 is named (the site's name) and a sentence about
the page or a click is left off; the words are listed in generator/data/print.yml. A sheet for one village of a
list that spans several states the village's own figures wherever the text gives the whole list's
(「拟纳入低保5户9人，月保障金额合计3,290元」 becomes 「……2户4人，……1,700元」), so the text agrees with the list
printed under it.

Sentences are cut at 。！？ inside each paragraph and list item of the Markdown; headings, tables, HTML and
code are left as they are. Matching is done on a normalised copy (full-width forms folded, spaces and thousands
separators removed), so 「本 网站」 and 「５户」 are found too; what is printed is the editor's own text.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..datasets.spec import load
from ..model import Settings

_ENDS = "。！？!?"
_CLOSERS = "”’」』）)"
_LIST_ITEM = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)(.*)$")
_LEAVE = re.compile(r"^\s*(?:#|\||<|>|```|~~~|\[\^)")     # headings, tables, HTML, quotes, fences, footnotes
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Totals:
    """What a recipient list adds up to: households (rows), people, monthly amount in 元."""
    households: int
    people: int
    amount: Decimal | None


@dataclass(frozen=True)
class VillageShare:
    """One village's part of a list, beside the whole list's figures that its sheet must not state as its own."""
    village: str
    own: Totals
    whole: Totals

    def figures(self) -> dict[str, tuple[Decimal, Decimal]]:
        """unit -> (the whole list's figure, the village's), for the units a sentence states them in."""
        out = {"户": (Decimal(self.whole.households), Decimal(self.own.households))}
        if self.whole.people:
            out["人"] = (Decimal(self.whole.people), Decimal(self.own.people))
        if self.whole.amount is not None and self.own.amount is not None:
            out["元"] = (self.whole.amount, self.own.amount)
        return {unit: pair for unit, pair in out.items() if pair[0] != pair[1]}


def site_label(settings: Settings) -> str:
    """The site as paper names it: 「测试县政府信息公开网站」."""
    return settings.name if settings.name.endswith("网站") else settings.name + "网站"


def normalised(text: str) -> str:
    """For matching only: full-width forms folded (５ -> 5), whitespace and digit-group commas removed."""
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return re.sub(r"(?<=\d),(?=\d{3})", "", folded)


def _rules():
    return load("print")


def _loose(word: str) -> re.Pattern:
    """word in the editor's text, with any spacing between its characters."""
    return re.compile(r"\s*".join(re.escape(ch) for ch in word))


def sentences(text: str) -> list[str]:
    """text cut after each 。！？ (with any closing quotes); "".join(sentences(t)) == t."""
    out, start, i = [], 0, 0
    while i < len(text):
        if text[i] in _ENDS:
            i += 1
            while i < len(text) and (text[i] in _ENDS or text[i] in _CLOSERS):
                i += 1
            out.append(text[start:i])
            start = i
        else:
            i += 1
    if start < len(text):
        out.append(text[start:])
    return out


# A figure as editors type it (3290, 3,290, ３２９０, 3290.00) right before its unit: 户, 人 or 元 (not 万元).
_D = "[0-9０-９]"
_FIGURE = re.compile(rf"(?<![0-9０-９.．])(?<!{_D},)((?:{_D}{{1,3}}(?:,{_D}{{3}})+|{_D}+)(?:[.．]{_D}+)?)(\s*)(户|人|元)")


def _value(typed: str) -> Decimal | None:
    try:
        return Decimal(normalised(typed).replace(",", ""))
    except InvalidOperation:
        return None


def _typed_like(value: Decimal, typed: str) -> str:
    """value written the way the editor wrote the figure it replaces: with digit groups, with decimals."""
    flat = unicodedata.normalize("NFKC", typed)
    places = len(flat.split(".")[1]) if "." in flat else 0
    return f"{value:,.{places}f}" if "," in flat else f"{value:.{places}f}"


def village_figures(text: str, share: VillageShare) -> str:
    """text with each figure of the whole list (5户, 9人, 3,290元) replaced by the village's own."""
    figures = share.figures()

    def swap(match: re.Match) -> str:
        pair = figures.get(match[3])
        if pair is None or _value(match[1]) != pair[0]:
            return match[0]
        return _typed_like(pair[1], match[1]) + match[2] + match[3]

    return _FIGURE.sub(swap, text)


class Wording:
    """The paper version of record bodies for one site."""

    def __init__(self, settings: Settings):
        rules = _rules()
        self.label = site_label(settings)
        self.site_words = [_loose(w) for w in rules["site_words"]]
        self.page_words = [normalised(w) for w in rules["page_sentences"]]

    def sentence(self, text: str, share: VillageShare | None) -> str:
        """The sentence as printed; "" when it is left off."""
        flat = normalised(text)
        if any(word in flat for word in self.page_words):
            return ""
        if share:
            text = village_figures(text, share)
        for word in self.site_words:
            text = word.sub(self.label, text)
        return text

    def text(self, text: str) -> str:
        """Plain text for paper (a table's note), sentence by sentence."""
        return "".join(self.sentence(s, None) for s in sentences(text)).strip()

    def _unit(self, prefix: str, text: str, share: VillageShare | None) -> str | None:
        kept = "".join(self.sentence(s, share) for s in sentences(text)).strip()
        return prefix + kept if kept else None

    def body(self, markdown: str, share: VillageShare | None = None) -> str:
        """The body's Markdown for paper."""
        out: list[str] = []
        unit: list[str] = []          # lines of the paragraph or list item being read
        prefix = ""
        fenced = False

        def flush():
            nonlocal unit, prefix
            if unit:
                printed = self._unit(prefix, "\n".join(unit), share)
                if printed is not None:
                    out.append(printed)
            unit, prefix = [], ""

        for line in markdown.split("\n"):
            if fenced or _FENCE.match(line):
                flush()
                out.append(line)
                if _FENCE.match(line):
                    fenced = not fenced
                continue
            item = _LIST_ITEM.match(line)
            if not line.strip() or _LEAVE.match(line):
                flush()
                out.append(line)
            elif item:
                flush()
                prefix, unit = item[1], [item[2]]
            else:
                unit.append(line)
        flush()
        return "\n".join(out)
