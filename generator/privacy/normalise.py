"""Text as a reader sees it, for the privacy detectors; every character remembers where it came from.

A number hidden from a pattern is still read by a person once the page is rendered. In one left-to-right
pass:
- HTML character references are decoded (&#49; &#x31; &nbsp;): browsers show them as characters;
- HTML tags become a space, so `138<br>1234<br>5678` in a table cell reads as a spaced number; the tag text
  itself is kept aside (`tags`), because an attribute (href="tel:…") is published as well;
- Markdown emphasis and code marks (* ** _ ` ~~) are dropped when they pair up on a line, as Markdown consumes
  them; an unpaired run stays as it is: 138****5678 is a mask, and a mask is not a digit;
- backslash escapes are resolved (\\- is a hyphen);
- format and zero-width characters are dropped (U+200B…U+200F, U+2060…, soft hyphen, BOM, …);
- no-break and other Unicode spaces become plain spaces;
- compatibility forms are folded by NFKC (full-width digits and letters, circled, super- and subscript and
  mathematical digits), and decimal digits of other scripts become ASCII digits.

Only the characters that need it are touched: Chinese text and its full-width punctuation pass unchanged, so
a text without any of them is returned as it is, at the cost of one regular-expression search.
"""
from __future__ import annotations

import bisect
import html
import re
import unicodedata
from dataclasses import dataclass
from ..masks import mask_offsets

# Invisible characters that change nothing a reader sees: format controls (Cf), joiners, variation selectors,
# Hangul fillers, tag characters.
_FORMAT = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
           "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb")
_SPACES = "\t\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Characters whose NFKC form carries a digit, a Latin letter or a separator a detector reads. Full-width
# punctuation that Chinese text is full of (，：；（）) is left alone: it is not a digit, and folding it would
# cost a replacement per comma.
_COMPAT = ("\u00aa\u00b2\u00b3\u00b9\u00ba\u00bc-\u00be\u2070-\u209f\u2100-\u218f\u2460-\u24ff"
           "\u3251-\u325f\u32b1-\u32bf\u3358-\u33ff\ufe50-\ufe6b"
           "\uff0a\uff0b\uff0d-\uff19\uff21-\uff3a\uff3f-\uff5a\uff5e\uff65")
# Outside the Basic Multilingual Plane: tag characters, mathematical letters and digits, enclosed ones.
_ASTRAL = ("\U000e0000-\U000e007f\U0001d400-\U0001d7ff\U0001f100-\U0001f10a\U0001f130-\U0001f149"
           "\U0001fbf0-\U0001fbf9")
# Decimal digits of other scripts (Arabic-Indic, Devanagari, Thai …): NFKC keeps them, a reader reads digits.
_OTHER_DIGITS = "".join(chr(c) for c in range(0x80, 0x1FC00) if chr(c).isdecimal())
_FORMAT_RE = re.compile(f"[{_FORMAT}\U000e0000-\U000e007f]")
_SPACES_RE = re.compile(f"[{_SPACES}]")

# Where something may need doing: one character class, scanned at C speed; most texts have none. Its
# Basic-Multilingual-Plane part compiles to a bitmap; astral characters are all let through (rare, and
# _SPECIAL decides), since a list of astral ranges would be searched range by range at every character.
_BMP_DIGITS = "".join(c for c in _OTHER_DIGITS if ord(c) < 0x10000)
_TRIGGER = re.compile(f"[\\\\&<*_`~{_FORMAT}{_SPACES}{_COMPAT}{_BMP_DIGITS}\U00010000-\U0010ffff]")
_SPECIAL = re.compile(
    r"(?P<esc>\\[!-/:-@\[-`{-~])"
    r"|(?P<ent>&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};))"
    # A real tag starts with a letter; `<!-- … -->` is not a tag: a comment is published in the page source.
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>)"
    # A run of one mark character, invisible characters inside it included (Pagefind writes 138​*​*​*​*​5678).
    rf"|(?P<mark>\*(?:[{_FORMAT}]*\*)*|_(?:[{_FORMAT}]*_)*|`(?:[{_FORMAT}]*`)*|~(?:[{_FORMAT}]*~)*)"
    rf"|(?P<char>[{_FORMAT}{_SPACES}{_COMPAT}{_ASTRAL}{_OTHER_DIGITS}])")

# Digits of every kind, and characters that fold to digits: enough of them is the cheap test for whether a
# text can hold a number at all. Character references count too, their code is written in digits. Astral
# characters all count (mathematical digits are among them), for the bitmap's sake as in _TRIGGER.
_DIGITISH = re.compile(f"[0-9{_BMP_DIGITS}\u00b2\u00b3\u00b9\u00bc-\u00be\u2070-\u2089\u2150-\u2189"
                       f"\u2460-\u24ff\u3251-\u325f\u32b1-\u32cb\u3358-\u3370\u33e0-\u33fe\U00010000-\U0010ffff]")
_WHITESPACE = re.compile(r"\s+")


def at_least_digits(count: int):
    """A test whether a text holds count digit-like characters; it stops at the count-th."""
    def test(text: str) -> bool:
        for seen, _ in enumerate(_DIGITISH.finditer(text), start=1):
            if seen == count:
                return True
        return False
    return test


@dataclass(frozen=True)
class Normalised:
    """The text a reader sees, and where each of its characters stands in the source."""
    text: str
    tags: tuple[tuple[int, str], ...] = ()          # (source offset, the tag as written)
    _out: tuple[int, ...] = (0,)                     # output offsets where a piece starts
    _src: tuple[int, ...] = (0,)                     # the source offset of that piece
    _copied: tuple[bool, ...] = (True,)              # a copied piece maps one to one; a replacement to its start

    def source(self, offset: int) -> int:
        """The source offset of the character at offset in text."""
        i = max(bisect.bisect_right(self._out, offset) - 1, 0)
        return self._src[i] + (offset - self._out[i] if self._copied[i] else 0)


def _char(ch: str) -> str:
    if _FORMAT_RE.match(ch):
        return ""
    if _SPACES_RE.match(ch):
        return " "
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c
                   for c in unicodedata.normalize("NFKC", ch))


def _visible_neighbour(text: str, at: int, step: int) -> str:
    while 0 <= at < len(text) and _FORMAT_RE.match(text[at]):
        at += step
    return text[at] if 0 <= at < len(text) else " "


def _paired_marks(text: str, marks: list[re.Match]) -> set[int]:
    """Start offsets of emphasis and code marks that Markdown consumes: a run that opens (a non-space follows)
    and a later run of the same characters on the same line that closes (a non-space precedes). Runs of four
    or more, single tildes and unpaired runs are text: 138****5678, 2025~2026, 张*明."""
    paired: set[int] = set()
    open_at: dict[str, int] = {}
    masks = mask_offsets(text)      # 罗*斌、何*怡: masks, shown as typed (body.py), never a pair
    previous = 0
    for m in marks:
        run, start, end = _FORMAT_RE.sub("", m.group()), m.start(), m.end()
        if text.count("\n", previous, start):
            open_at = {}
        previous = start
        if len(run) > 3 or run == "~" or run == "~~~" or start in masks:
            continue
        closes = not _visible_neighbour(text, start - 1, -1).isspace()
        opens = not _visible_neighbour(text, end, 1).isspace()
        if closes and run in open_at:
            paired.update((open_at.pop(run), start))
        elif opens:
            open_at[run] = start
    return paired


def _specials(text: str) -> list[re.Match]:
    matches, at = [], 0
    for trigger in _TRIGGER.finditer(text):
        if trigger.start() < at:
            continue
        m = _SPECIAL.match(text, trigger.start())
        if m:
            matches.append(m)
            at = m.end()
    return matches


def normalise(text: str) -> Normalised:
    matches = _specials(text)
    if not matches:
        return Normalised(text)
    paired = _paired_marks(text, [m for m in matches if m.lastgroup == "mark"])
    out: list[str] = []
    outs, srcs, copied, tags = [], [], [], []
    at = length = 0
    for m in matches:
        start = m.start()
        if start > at:
            outs.append(length), srcs.append(at), copied.append(True)
            out.append(text[at:start])
            length += start - at
        kind, token = m.lastgroup, m.group()
        if kind == "mark":
            replacement = "" if start in paired else _FORMAT_RE.sub("", token)
        elif kind == "esc":
            replacement = token[1]
        elif kind == "ent":
            replacement = "".join(_char(c) for c in html.unescape(token))
        elif kind == "tag":
            replacement = " "
            tags.append((start, token))
        else:
            replacement = _char(token)
        outs.append(length), srcs.append(start), copied.append(replacement == token)
        out.append(replacement)
        length += len(replacement)
        at = m.end()
    if at < len(text):
        outs.append(length), srcs.append(at), copied.append(True)
        out.append(text[at:])
    return Normalised("".join(out), tuple(tags), tuple(outs), tuple(srcs), tuple(copied))


def plain(text: str) -> str:
    """A table cell or header as a word: normalised, every space removed (姓　名, 张 三, 张<br>三明)."""
    if not _TRIGGER.search(text):
        return _WHITESPACE.sub("", text)
    return _WHITESPACE.sub("", normalise(text).text)
