"""ID numbers, bank cards, mobiles and landlines in text, however they are written.

The text is normalised first (normalise.py). A number is then read as digit groups joined by short runs of
separators, the ways people write and regroup numbers: 138 1234 5678, 138-1234-5678, 138.1234.5678,
13 81 23 45 67 8, (0571)8888-9999, 110105 19800517 123X. A candidate is a run of whole groups (a group is
never cut) that a validator accepts; from each group the longest accepted run wins.

What keeps the negatives negative:
- A masked number is broken by its mask (138****1234 is 138, a mask, 1234): neither part is long enough.
- One decimal point in a chain of dots is a decimal point, not a separator: 12345678.90 is an amount, while
  138.1234.5678 is a number written with dots.
- Digits glued to Latin letters belong to a code (unified social credit codes, 索引号, permit numbers), so a
  glued run is no phone number or card. Two exceptions, because the evidence is strong enough: a maximal run
  of 17 digits + X or 18 digits that passes the ID check digit and carries a real birth date is an ID number
  whatever touches it (a code matches both by chance about once in 10^5); and a phone number right after a
  word that says so (tel, phone, mobile, fax …) is a phone number (tel13812345678).
- Regrouped freely, a number must stand alone: inside a longer run of groups (a row of counts such as
  3 13 81 23 45 67 8 12) only the usual groupings count (138 1234 5678, 0571-88889999, 6222 0000 …).
- A bank card is 16-19 digits with the Luhn check, a card-issuer first digit (3, 4, 5, 6, 9 or 2221-2720) and
  either no separators or groups of four, so two dates written as a period (2021.01.01-2021.12.31) or a postcode
  before a telephone number are not a card.
- Numbers declared public in site.yml pass, in any of these writings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .detectors import BANK_CARD, ID_CARD, LANDLINE, MOBILE, luhn, valid_id15, valid_id18
from .normalise import Normalised, at_least_digits, normalise

# Every number below has at least ten digits (a landline with its area code is the shortest) and at most
# nineteen (a bank card). Inside a longer run of groups a number has at most five groups (6217 0000 0000 0000
# 000); more, and it must be the whole run: that keeps a megabyte of "1 2 3 …" linear.
MIN_DIGITS = 10
_LONGEST = 19
_MOST_GROUPS = 5
_SEP = r" \-\u2010-\u2015\u2212.\u00b7\u2022\u2027\u30fb/()\uff08\uff09"


def _token(separator: str) -> re.Pattern:
    return re.compile(rf"(?<![0-9])(?:[0-9](?:(?:{separator}){{1,3}}(?=[0-9]))?){{{MIN_DIGITS},}}[Xx]?")


_MAY_HOLD_A_NUMBER = at_least_digits(MIN_DIGITS)
# In Markdown a line break inside a paragraph is a space on the page (138⏎1234 5678 reads 138 1234 5678), but
# a line that starts a block (table row, list item, heading, quote, fence) is a new block.
_TOKEN = _token(rf"[{_SEP}]|\n(?![ \t]*(?:[|#>*+\-]|[0-9]+[.)][ \t]|```|~~~))")
_TOKEN_ACROSS_LINES = _token(rf"[{_SEP}\n]")      # a value or cell: its line breaks are where a cell wrapped
_GROUP = re.compile(r"[0-9]+[Xx]?")
_LETTER = re.compile(r"[A-Za-z]")
_PHONE_WORD = re.compile(r"(?<![A-Za-z])(?:tel|telephone|phone|mobile|mob|cell|cellphone|fax|call|contact|"
                         r"whatsapp|sms)[.:#]?$", re.I)

_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE_RE = re.compile(r"0[1-9][0-9]{8,10}")
_MOBILE_GROUPS = {(11,), (3, 4, 4), (3, 8), (7, 4)}


@dataclass(frozen=True)
class Match:
    rule: str
    value: str      # as the reader sees it (normalised), for the masked report
    start: int      # offset in the source text


@dataclass(frozen=True)
class _Group:
    digits: str
    start: int
    end: int


def _card_issuer(digits: str) -> bool:
    return digits[0] in "34569" or 2221 <= int(digits[:4]) <= 2720


def _landline_groups(lengths: tuple[int, ...], first: bool) -> bool:
    """0571-88889999 anywhere; 0571-8888-9999 where a run starts (inside one, 6222 0212 3456 7890 is a card)."""
    return (len(lengths) == 1 or (len(lengths) == 2 and lengths[0] in (3, 4) and lengths[1] in (7, 8))
            or (first and len(lengths) == 3 and lengths[0] in (3, 4) and lengths[1] in (3, 4) and lengths[2] == 4))


class _Judge:
    """Decides what a run of groups is; knows the token around it."""

    def __init__(self, allowed: frozenset[str], glued_left: bool, glued_right: bool, phone_word: bool):
        self.allowed, self.glued_left, self.glued_right = allowed, glued_left, glued_right
        self.phone_word = phone_word

    def __call__(self, digits: str, lengths: tuple[int, ...], first: bool, last: bool, whole: bool) -> str | None:
        """A rule name, "" for a declared public number (consumed, not reported), None for nothing."""
        glued = (first and self.glued_left) or (last and self.glued_right)
        if len(digits) == 18 and valid_id18(digits) and (not glued or len(lengths) == 1):
            return ID_CARD
        if not digits.isdigit():
            return None
        if glued and not self.phone_word:
            return None
        if (len(digits) == 15 and len(lengths) == 1 and valid_id15(digits)) and not glued:
            return ID_CARD
        if (16 <= len(digits) <= 19 and not glued and _card_issuer(digits) and luhn(digits)
                and (len(lengths) == 1 or (set(lengths[:-1]) == {4} and lengths[-1] <= 4))):
            return BANK_CARD
        for prefix in ("", "86", "0086"):
            core = digits[len(prefix):]
            if digits.startswith(prefix) and _MOBILE_RE.fullmatch(core):
                core_lengths = lengths[1:] if prefix and lengths[0] == len(prefix) else \
                    (lengths[0] - len(prefix),) + lengths[1:]
                if whole or core_lengths in _MOBILE_GROUPS:
                    return "" if core in self.allowed else MOBILE
        if _LANDLINE_RE.fullmatch(digits) and (whole or _landline_groups(lengths, first)):
            return "" if digits in self.allowed else LANDLINE
        return None


def _segments(token: str, offset: int) -> list[list[_Group]]:
    """The token's groups, split where a dot is a decimal point: the only dot of its chain of dots."""
    groups = [_Group(g.group().replace("x", "X"), offset + g.start(), offset + g.end())
              for g in _GROUP.finditer(token)]
    dots = [token[a.end - offset:b.start - offset] == "." for a, b in zip(groups, groups[1:])]
    segments, current = [], [groups[0]]
    for i, group in enumerate(groups[1:]):
        chain_before = i > 0 and dots[i - 1]
        chain_after = i + 1 < len(dots) and dots[i + 1]
        if dots[i] and not chain_before and not chain_after:
            segments.append(current)
            current = []
        current.append(group)
    segments.append(current)
    return segments


def find_in(norm: Normalised, allowed: frozenset[str] = frozenset(), across_lines: bool = False) -> list[Match]:
    text = norm.text
    found: list[Match] = []
    for token in (_TOKEN_ACROSS_LINES if across_lines else _TOKEN).finditer(text):
        start, end = token.span()
        value = token.group()
        if value[-1] in "Xx":
            last_run = len(value) - 1 - len(value[:-1].rstrip("0123456789"))
            if last_run >= 18 or sum(c.isdigit() for c in value) < 17:
                value, end = value[:-1], end - 1     # no 18th character of an ID: a letter, glued on
        glued_left = start > 0 and bool(_LETTER.match(text[start - 1]))
        glued_right = end < len(text) and bool(_LETTER.match(text[end]))
        phone_word = glued_left and bool(_PHONE_WORD.search(text[max(0, start - 12):start]))
        judge = _Judge(allowed, glued_left, glued_right, phone_word)
        segments = _segments(value, start)
        for s, groups in enumerate(segments):
            n = len(groups)
            whole_fits = sum(len(g.digits) for g in groups) <= _LONGEST
            i = 0
            while i < n:
                best, digits, lengths = None, "", ()
                for j in range(i, n):
                    digits += groups[j].digits
                    lengths += (len(groups[j].digits),)
                    whole = i == 0 and j == n - 1
                    if len(digits) > _LONGEST or (len(lengths) > _MOST_GROUPS and not (i == 0 and whole_fits)):
                        break
                    if len(digits) < MIN_DIGITS or (len(lengths) > _MOST_GROUPS and not whole):
                        continue
                    rule = judge(digits, lengths, first=s == 0 and i == 0, last=s == len(segments) - 1 and j == n - 1,
                                 whole=whole)
                    if rule is not None:
                        best = (j, rule)
                if best is None:
                    i += 1
                    continue
                j, rule = best
                if rule:
                    a, b = groups[i].start, groups[j].end
                    if a > 0 and text[a - 1] == "+":
                        a -= 1
                    found.append(Match(rule, text[a:b], norm.source(a)))
                i = j + 1
    return found


def find_numbers(text: str, allowed: frozenset[str] = frozenset(), across_lines: bool = False) -> list[Match]:
    """Numbers in a text as written in a source (Markdown, YAML value, cell); offsets are the source's.

    across_lines: any line break may sit inside a number (a wrapped cell or value); in a Markdown body only one
    inside a paragraph."""
    if not _MAY_HOLD_A_NUMBER(text):
        return []
    norm = normalise(text)
    found = find_in(norm, allowed, across_lines)
    for at, tag in norm.tags:          # attribute values are published too: href="tel:…"
        found += [Match(m.rule, m.value, at) for m in find_numbers(tag[1:-1], allowed)]
    return sorted(found, key=lambda m: m.start)
