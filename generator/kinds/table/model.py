"""A declared table of one record, frozen after its checks: rows as the editor wrote them, with its totals.

The page, the CSV and the JSON beside it and the search entry all read this one object, so what is shown,
downloaded and found cannot differ.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Mapping

from ...datasets import money
from ...datasets.grid import CODE, COUNT, MONEY, NUMBER, PERCENT, TEXT, Column, Grid, Row
from ..columns import ColumnSpec, TableSpec

ZERO = Decimal("0")


def grid_kind(column: ColumnSpec) -> str:
    """How a declared column prints: money to the cent in 万元, counts with separators when they have a unit
    (户, 人), other whole numbers as written (序号, 年份), other figures as typed."""
    if column.type == "integer":
        return COUNT if column.unit else CODE
    if column.type == "number":
        if column.unit == "%":
            return PERCENT
        return MONEY if column.unit == "万元" else NUMBER
    return TEXT


def cell_value(value):
    """A cell as a Grid holds it: yes/no in words, lists joined by the Grid."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def sum_of(rows, key: str):
    values = [r.get(key) for r in rows if isinstance(r.get(key), (int, Decimal)) and not isinstance(r.get(key), bool)]
    if not values:
        return None
    return sum(values, ZERO if any(isinstance(v, Decimal) for v in values) else 0)


@dataclass(frozen=True)
class DeclaredTable:
    """The rows of one declared table field of a record (kind: table, and the list of kind: recipients)."""
    spec: TableSpec
    rows: tuple[Mapping, ...]
    stated_total: Mapping | None = None        # <field>_total as written (already checked against the rows)
    period: tuple[date, date] | None = None     # the record's 所属期间, when it has one

    @property
    def kind_name(self) -> str:
        """The key of the kind in _category.yml `kinds` (its title, deadline, cadence) is the field name."""
        return self.spec.field

    def span(self) -> tuple[date, date] | None:
        return self.period

    def totals(self) -> dict:
        return {c.key: sum_of(self.rows, c.key) for c in self.spec.summed}

    def columns(self) -> tuple[Column, ...]:
        return tuple(Column(c.key, c.title, grid_kind(c), c.unit) for c in self.spec.columns)

    def grids(self, rows: tuple[Mapping, ...] | None = None, title: str = "") -> tuple[Grid, ...]:
        rows = self.rows if rows is None else rows
        body = tuple(Row(tuple(cell_value(r.get(c.key)) for c in self.spec.columns)) for r in rows)
        if self.spec.summed and rows:
            sums = {c.key: sum_of(rows, c.key) for c in self.spec.summed}
            label_at = next((i for i, c in enumerate(self.spec.columns) if not c.numeric), None)
            cells = tuple("合计" if i == label_at else sums.get(c.key, "") if c.sum else ""
                          for i, c in enumerate(self.spec.columns))
            body += (Row(cells, total=True),)
        return (Grid(self.spec.field, title or self.spec.title, self.columns(), body, header_column=0,
                     empty_note="本期无此项内容。"),)

    def search_text(self) -> str:
        """Every text cell, so a reader finds the record by an item's name (事项名称, 被处罚单位 …)."""
        words = []
        for r in self.rows:
            for c in self.spec.columns:
                value = r.get(c.key)
                if isinstance(value, str):
                    words.append(value)
                elif isinstance(value, (list, tuple)):
                    words += [str(v) for v in value]
        return " ".join(words)

    def values_of(self, key: str) -> list[str]:
        """Distinct values of one column, in the order they appear (search facets)."""
        out = []
        for r in self.rows:
            value = r.get(key)
            for v in value if isinstance(value, (list, tuple)) else [value]:
                if v not in (None, "") and str(cell_value(v)) not in out:
                    out.append(str(cell_value(v)))
        return out

    def to_json(self) -> dict:
        def plain(value, column: ColumnSpec):
            if isinstance(value, Decimal) and column.unit == "万元":
                return money.plain(value)
            return value
        return {"title": self.spec.title,
                "columns": [{"key": c.key, "title": c.title, **({"unit": c.unit} if c.unit else {})}
                            for c in self.spec.columns],
                "rows": [{c.key: plain(r[c.key], c) for c in self.spec.columns if c.key in r} for r in self.rows],
                **({"total": {k: plain(v, self.spec.column(k)) for k, v in self.totals().items()}}
                   if self.spec.summed else {})}
