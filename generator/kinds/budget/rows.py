"""Rows of a budget table as messages name them, and which rows disagree with themselves.

A row whose own columns do not add up, or whose children do not add up to it, is where an editor's change
shows first; budget_checks.py reports those before the parent sums, and blames them when a parent is off.
"""
from __future__ import annotations

from decimal import Decimal

from . import model as b

ZERO = Decimal("0")


def row_label(title: str, i: int, code: str, name: str) -> str:
    return f"{title} 第 {i + 1} 行（{code} {name}）"


def parts_of(table: b.CodedTable) -> list[str]:
    """The columns that add up to the 合计 column (none for a table with one amount column)."""
    keys = [k for k, _ in table.columns]
    return keys[1:] if keys[0] == "total" and len(keys) > 1 else []


def inconsistent_rows(rows: list[b.CodedRow], parts: list[str]) -> set[str]:
    """Codes of rows whose own columns disagree, or whose children do not add up to them (upwards)."""
    off = {r.code for r in rows if parts and r.values["total"] != sum((r.values[p] for p in parts), ZERO)}
    for row in sorted(rows, key=lambda r: -r.level):
        children = [c for c in rows if c.level == row.level + 1 and c.code[: len(row.code)] == row.code]
        if children and any(row.values[k] != sum((c.values[k] for c in children), ZERO) for k in row.values):
            off.add(row.code)
    return off
