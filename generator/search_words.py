"""The words the search index holds, so that a query matches the text a reader typed it from.

Pagefind segments Chinese twice and differently: its indexer with a dictionary (养鸡 one word), the browser with
Intl.Segmenter (养 | 鸡, 低 | 保); a query word then matches index words that merely start with it, and a query
word found nowhere is dropped. 养鸡 found a pig farm (养殖), 低保 marked every lone 保, xyzzy不存在 found 85 records.

So the index gets words that need no dictionary: a segment (text between separators) is a sequence of elements,
each a Han character or a run of letters and digits, and it is written as its letter-digit runs and the
overlapping pairs of its elements (城乡低保 -> 城乡 乡低 低保). A text contains a phrase exactly when the phrase's
own pairs appear there consecutively, which Pagefind's exact ("quoted") search tests. Each record also holds
every Han character it uses once, as a word of its own (u04fdd for 保), for a query of one character.

Every search is exact: a word missing from the index would otherwise be replaced by the longest prefix of it
that is there (Pagefind's fallback for stemmed words), and 不存在 would match whatever starts with 不.

Pagefind runs the browser's segmenter on a query whatever the index holds, so a pair is written in ASCII, its
two characters as code points in hex (低保 -> x04f4e04fdd): no segmenter splits that.

Title and 主题词 are written a second time with TITLE_MARK before each word, so a phrase in them is a search of
its own: the first tier of the ranking (gk-search.js). gk-search.js builds a query's words with the same rules:
keep the two in step.
"""
from __future__ import annotations

import re
import unicodedata

TITLE_MARK = "gkt"
# Quotation and title marks join what they surround: 「三公」经费 is searched as 三公经费.
TRANSPARENT = "\"'“”‘’「」『』《》〈〉"
_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
_RUN = r"[0-9a-z]+(?:\.[0-9]+)*"
_ELEMENT = re.compile(f"{_HAN}|{_RUN}")
# A segment: elements that touch. Found whole, then split into its elements, both in C: the same elements a
# scan of single elements finds (the repetition takes each element as that scan would, with nothing after it).
_SEGMENT = re.compile(f"(?:{_HAN}|{_RUN})+")
_DROP = {ord(c): None for c in TRANSPARENT}


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().translate(_DROP)


def segments(text: str) -> list[list[str]]:
    """The elements of each segment: Han characters and letter-digit runs that touch, in order."""
    return [_ELEMENT.findall(run) for run in _SEGMENT.findall(_clean(text))]


_CODES: dict[str, str] = {}


def _code(c: str) -> str:
    code = _CODES.get(c)
    if code is None:
        code = _CODES[c] = f"{ord(c):05x}"
    return code


def _pair(a: str, b: str) -> str:
    return "x" + _code(a[-1]) + _code(b[0])


def segment_words(elements: list[str]) -> list[str]:
    """Index words of one segment: each letter-digit run and each pair of neighbours, in order."""
    words = []
    for i, e in enumerate(elements):
        if e.isascii():
            words.append(e)
        if i + 1 < len(elements):
            words.append(_pair(e, elements[i + 1]))
    return words


def index_words(text: str, mark: str = "") -> str:
    """The text as index words, one line per segment (Pagefind's content, never shown to a reader)."""
    return "\n".join(" ".join(mark + w for w in segment_words(s)) for s in segments(text) if len(s) > 1 or s[0].isascii())


def character_words(text: str, mark: str = "") -> str:
    """Each Han character of the text once: what a one-character query finds."""
    return " ".join(sorted({mark + "u" + _code(e) for s in segments(text) for e in s if not e.isascii()}))
