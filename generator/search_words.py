"""The words the search index holds, so that a query matches the text a reader typed it from.

Pagefind segments Chinese twice and differently: its indexer with a dictionary (养鸡 one word), the browser with
Intl.Segmenter (养 | 鸡, 低 | 保); a query word then matches index words that merely start with it, and a query
word found nowhere is dropped. 养鸡 found a pig farm (养殖), 低保 marked every lone 保, xyzzy不存在 found 85 records.

So the index gets words that need no dictionary: a segment (text between separators) is a sequence of elements,
each a Han character or a run of letters and digits, and it is written as its letter-digit runs and the
overlapping pairs of its elements (城乡低保 -> 城乡 乡低 低保). A text contains a phrase exactly when the phrase's
own pairs appear there consecutively, which Pagefind's exact ("quoted") search tests.

Every search of two elements or more is exact: a word missing from the index would otherwise be replaced by the
longest word that is a prefix of it (Pagefind's fallback for stemmed words), and 不存在 would match whatever
starts with 不.

Pagefind runs the browser's segmenter on a query whatever the index holds, so a pair is written in ASCII, its
two characters as code points in hex (低保 -> x04f4e04fdd): no segmenter splits that.

A query of one character is a prefix search instead: 保 is x04fdd, the start of every pair that 保 begins. A
character that begins no pair in a record (it only ends segments) is written once on its own (lone_words).
Writing every character once instead, for this one kind of query, made 45 % of the words a record has in the
index and as much of Pagefind's memory. The prefix search's fallback can only find a word that is a prefix of
x04fdd: pairs and lone words are longer or different, and a letter-digit run starting with x is written behind xx
(run_word).

A one-character query needs every word its prefix begins, and Pagefind searches only the chunks it has fetched:
gk-search.js first fetches every chunk whose lower bound in the metadata starts with the prefix. A chunk's lower
bound is chunk_start() of its first word, and no chunk boundary falls between two words with the same
chunk_start, so each chunk holding such words has a lower bound among the few gk-search.js can list: the prefix
itself and the prefix with each three hex digits a second character's code can start with (PROBE_DIGITS; the
first digit alone beyond ffff).

Title and 主题词 come first in a record's words (search.stub): where a phrase is first found tells whether it is in
them, the first tier of the ranking (gk-search.js). gk-search.js builds a query's words with the same rules: keep
the two in step.
"""
from __future__ import annotations

import re
import unicodedata

# Quotation and title marks join what they surround: 「三公」经费 is searched as 三公经费.
TRANSPARENT = "\"'“”‘’「」『』《》〈〉"
_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
_RUN = r"[0-9a-z]+(?:\.[0-9]+)*"
_ELEMENT = re.compile(f"{_HAN}|{_RUN}")
# A segment: elements that touch. Found whole, then split into its elements, both in C: the same elements a
# scan of single elements finds (the repetition takes each element as that scan would, with nothing after it).
_SEGMENT = re.compile(f"(?:{_HAN}|{_RUN})+")
_DROP = {ord(c): None for c in TRANSPARENT}
_LETTER_OR_DIGIT = re.compile("[0-9a-z]")


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().translate(_DROP)


def segments(text: str) -> list[list[str]]:
    """The elements of each segment: Han characters and letter-digit runs that touch, in order."""
    return [list(run) if elements is None else elements for run, elements in _runs(text)]


_CODES: dict[str, str] = {}


def _code(c: str) -> str:
    code = _CODES.get(c)
    if code is None:
        code = _CODES[c] = f"{ord(c):05x}"
    return code


def _pair(a: str, b: str) -> str:
    return "x" + _code(a[-1]) + _code(b[0])


def run_word(run: str) -> str:
    """A letter-digit run as an index word: behind xx when it starts with x, so that it is never a prefix of a
    one-character search (x04fdd), which Pagefind would fall back to."""
    return "xx" + run if run[0] == "x" else run


def query_prefix(word: str) -> str:
    """What a one-character query looks for at the start of this index word (x04fdd), or the word itself: words
    that share it are found by one prefix search (gk-search.js fetches their chunks first: chunk_start)."""
    if word.startswith("x") and not word.startswith("xx"):
        return word[:6]     # x and a character's code: five hex digits (_code)
    return word


PROBE_DIGITS = 3        # gk-search.js PROBE_DIGITS: keep the two in step


def chunk_start(word: str) -> str:
    """The lower bound of a chunk that starts with this word, and the run of words no chunk boundary cuts: a
    pair's first character and the first PROBE_DIGITS hex digits of its second's code (x04fdd + 096 for 保障), only
    the first digit for a second character beyond ffff (rare: two runs instead of 276 probes), any other word
    itself. A chunk then holds the pairs a character begins in runs of a few hundred second characters (a query
    for one pair fetches that run, not every pair of its first character), and gk-search.js reaches every run of
    a one-character query by its bounds."""
    if len(word) == 11 and word.startswith("x") and not word.startswith("xx"):
        return word[:7] if word[6] != "0" else word[:6 + PROBE_DIGITS]
    return word


def segment_words(elements: list[str]) -> list[str]:
    """Index words of one segment: each letter-digit run and each pair of neighbours, in order."""
    words = []
    for i, e in enumerate(elements):
        if e.isascii():
            words.append(run_word(e))
        if i + 1 < len(elements):
            words.append(_pair(e, elements[i + 1]))
    return words


def _runs(text: str) -> list[tuple[str, list[str] | None]]:
    """Each segment with its elements, or None for elements when it is Han characters alone (most of a text):
    its elements are then its characters, and its pairs are made without looking at each (stub() writes every
    record's words, the search stage's largest share of Python time)."""
    return [(run, None if _LETTER_OR_DIGIT.search(run) is None else _ELEMENT.findall(run))
            for run in _SEGMENT.findall(_clean(text))]


def _han_pairs(run: str) -> list[str]:
    codes = [_CODES.get(c) or _code(c) for c in run]
    return ["x" + a + b for a, b in zip(codes, codes[1:])]


def index_words(text: str) -> str:
    """The text as index words, one line per segment (Pagefind's content, never shown to a reader)."""
    return words_of_runs(_runs(text))


def lone_words(text: str) -> str:
    """The Han characters of the text that begin no pair (each ends every segment it is in), once each: what a
    one-character search finds besides the pairs a character begins."""
    return lone_words_of_runs([_runs(text)])


class Texts:
    """The words of several texts, each text read once (stub() writes the lone characters of title and 主题词, and
    of all texts together)."""

    def __init__(self):
        self._runs: dict[str, list] = {}

    def runs(self, text: str) -> list:
        found = self._runs.get(text)
        if found is None:
            found = self._runs[text] = _runs(text)
        return found

    def index_words(self, texts) -> list[str]:
        return [words_of_runs(self.runs(t)) for t in texts]

    def lone_words(self, texts) -> str:
        """lone_words of the texts joined by spaces (no segment crosses a space)."""
        return lone_words_of_runs([self.runs(t) for t in texts])


def words_of_runs(runs: list) -> str:
    lines = []
    for run, elements in runs:
        if elements is None:
            if len(run) < 2:
                continue
            words = _han_pairs(run)
        elif len(elements) > 1 or elements[0].isascii():
            words = segment_words(elements)
        else:
            continue
        lines.append(" ".join(words))
    return "\n".join(lines)


def lone_words_of_runs(texts: list[list]) -> str:
    found, starting = set(), set()
    for runs in texts:
        for run, elements in runs:
            if elements is None:
                found.update(run)
                starting.update(run[:-1])
            else:
                found.update(e for e in elements if not e.isascii())
                starting.update(elements[:-1])
    return " ".join(sorted("x" + _code(c) for c in found - starting))
