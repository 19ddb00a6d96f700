"""Amounts as exact decimals: 万元 with two decimals, formatted the way Chinese finance tables print them.

The YAML loader (sourcefile.py) turns 2172.46 into Decimal('2172.46') from the typed text, so nothing here
ever sees a binary float.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
ZERO = Decimal("0")


def decimals(value: Decimal | int) -> int:
    """How many decimal places the editor typed: 12.30 -> 2, 12 -> 0."""
    if isinstance(value, int):
        return 0
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def to_decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


def money(value: Decimal | int | None) -> str:
    """2,172.46 for pages; an absent amount is a dash."""
    if value is None:
        return "—"
    return f"{to_decimal(value).quantize(CENT):,.2f}"


def plain(value: Decimal | int | None) -> str:
    """2172.46 for CSV and JSON: no thousands separator, so spreadsheets read it as a number."""
    if value is None:
        return ""
    return f"{to_decimal(value).quantize(CENT):.2f}"


def signed(value: Decimal) -> str:
    """+0.20 / -0.40 / 0.00 for year-over-year changes."""
    value = to_decimal(value).quantize(CENT)
    return f"+{value:,.2f}" if value > 0 else f"{value:,.2f}"


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part / whole in per cent to one decimal (half up), or None when whole is zero."""
    whole = to_decimal(whole)
    if whole == 0:
        return None
    return (to_decimal(part) * 100 / whole).quantize(TENTH, rounding=ROUND_HALF_UP)


def percent_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"
