"""部门预算 / 部门决算: the standard public tables of one department and year, amounts exact in 万元.

Table definitions (names per 预算 / 决算, income items, class names, required tables) come from
generator/data/budget-tables.yml; budget_checks.py builds these models and checks their arithmetic.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Mapping

from ...datasets import money
from ...datasets.grid import CODE, MONEY, PERCENT, SIGNED, TEXT, Column, Grid, Row
from ...datasets.spec import load

KIND = "budget"
BUDGET, FINAL = "预算", "决算"
ZERO = Decimal("0")
ORDINALS = "一二三四五六七八九十"


def spec() -> Mapping:
    return load("budget-tables")


def kind_spec(kind: str) -> Mapping:
    return spec()["kinds"][kind]


def standard_order(kind: str) -> list[str]:
    k = kind_spec(kind)
    return list(k["required"]) + [t for t in k["optional"] if t not in k["required"]]


def income_label(item: str, kind: str) -> str:
    return spec()["income_items"][item][kind]


def spending_columns() -> tuple[tuple[str, str], ...]:
    return tuple((c["key"], c["label"]) for c in spec()["columns"]["expenditure"])


def code_level(code: str, classification: str) -> int:
    """1 类, 2 款, 3 项; 0 for a code of a length the classification does not have."""
    lengths = spec()["code_lengths"][classification]
    return lengths.index(len(code)) + 1 if len(code) in lengths else 0


@dataclass(frozen=True)
class CodedRow:
    code: str
    name: str
    values: Mapping[str, Decimal]
    level: int


@dataclass(frozen=True)
class CodedTable:
    """Rows by 科目编码 (功能分类 类/款/项 or 经济分类 类/款) and a 合计 row."""
    id: str
    title: str
    classification: str                     # functional | economic
    columns: tuple[tuple[str, str], ...]    # (key, label); the first is the row total where there are parts
    rows: tuple[CodedRow, ...]
    total: Mapping[str, Decimal]

    @property
    def empty(self) -> bool:
        return not self.rows

    def row(self, code: str) -> CodedRow | None:
        return next((r for r in self.rows if r.code == code), None)

    def classes(self) -> tuple[CodedRow, ...]:
        return tuple(r for r in self.rows if r.level == 1)


@dataclass(frozen=True)
class SummaryTable:
    """收支总表: income items and expenditure by 类, this year's totals, carry-overs, grand totals."""
    id: str
    title: str
    income: tuple[tuple[str, str, Decimal], ...]        # (item key, label, amount)
    expenditure: tuple[CodedRow, ...]                   # 类 rows, values {"amount": …}
    income_total: Decimal
    expenditure_total: Decimal
    carried_in: Decimal
    carried_out: Decimal

    @property
    def empty(self) -> bool:
        return False

    def income_of(self, item: str) -> Decimal:
        return next((a for k, _, a in self.income if k == item), ZERO)


@dataclass(frozen=True)
class ThreePublic:
    """“三公”经费: previous (上年预算 / 年初预算) and current (本年预算 / 决算), by item."""
    id: str
    title: str
    previous: Mapping[str, Decimal]          # abroad, vehicle_purchase, vehicle_operation, reception
    current: Mapping[str, Decimal]

    @property
    def empty(self) -> bool:
        return False

    @staticmethod
    def item(values: Mapping[str, Decimal], key: str) -> Decimal:
        if key == "vehicles":
            return values["vehicle_purchase"] + values["vehicle_operation"]
        if key == "total":
            return values["abroad"] + values["vehicle_purchase"] + values["vehicle_operation"] + values["reception"]
        return values[key]


@dataclass(frozen=True)
class BudgetReport:
    kind: str                    # 预算 | 决算
    year: int
    tables: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    kind_name: str = KIND

    @property
    def document(self) -> str:
        return kind_spec(self.kind)["document"]

    @property
    def amount_label(self) -> str:
        return kind_spec(self.kind)["amount_label"]

    def ordered(self) -> list[tuple[int, str, object]]:
        """(表 number, id, table) in the standard order."""
        present = [t for t in standard_order(self.kind) if t in self.tables]
        return [(i, t, self.tables[t]) for i, t in enumerate(present, start=1)]

    @property
    def three_public_expenses(self) -> ThreePublic | None:
        return self.tables.get("three_public_expenses")

    @property
    def spending(self) -> CodedTable | None:
        """The table the composition chart shows: 一般公共预算支出 by 类."""
        return self.tables.get("general_expenditure")

    # Tables as shown and downloaded.
    def grids(self) -> tuple[Grid, ...]:
        return tuple(_grid(self, number, table) for number, _, table in self.ordered())

    def to_json(self) -> dict:
        out = {"kind": self.kind, "year": self.year, "unit": spec()["unit"], "tables": {}}
        for _, tid, table in self.ordered():
            out["tables"][tid] = _table_json(table)
        return out


def _table_json(table) -> dict:
    if isinstance(table, CodedTable):
        return {"title": table.title,
                "rows": [{"code": r.code, "name": r.name, **{k: money.plain(v) for k, v in r.values.items()}}
                         for r in table.rows],
                "total": {k: money.plain(v) for k, v in table.total.items()} if table.rows else None}
    if isinstance(table, SummaryTable):
        return {"title": table.title,
                "income": {k: money.plain(a) for k, _, a in table.income},
                "expenditure": [{"code": r.code, "name": r.name, "amount": money.plain(r.values["amount"])}
                                for r in table.expenditure],
                "income_total": money.plain(table.income_total),
                "expenditure_total": money.plain(table.expenditure_total),
                "carried_in": money.plain(table.carried_in), "carried_out": money.plain(table.carried_out)}
    return {"title": table.title,
            "previous": {k: money.plain(v) for k, v in table.previous.items()},
            "current": {k: money.plain(v) for k, v in table.current.items()}}


def _grid(report: BudgetReport, number: int, table) -> Grid:
    unit = spec()["unit"]
    common = dict(id=table.id, title=table.title, unit=unit, number=f"表{number}")
    if isinstance(table, CodedTable):
        columns = (Column("code", "科目编码", CODE), Column("name", "科目名称", TEXT)) + tuple(
            Column(key, label, MONEY, unit) for key, label in table.columns)
        rows = tuple(Row((r.code, r.name) + tuple(r.values.get(k, ZERO) for k, _ in table.columns), level=r.level)
                     for r in table.rows)
        if table.rows:
            rows += (Row(("", "合计") + tuple(table.total.get(k, ZERO) for k, _ in table.columns), total=True),)
        return Grid(columns=columns, rows=rows, empty_note=spec()["empty_note"], **common)
    if isinstance(table, SummaryTable):
        k = kind_spec(report.kind)
        label = report.amount_label
        columns = (Column("income_item", "收入项目", TEXT), Column("income_amount", label, MONEY, unit),
                   Column("expenditure_item", "支出项目", TEXT), Column("expenditure_amount", label, MONEY, unit))
        left = [(f"{_ordinal(i)}、{name}", amount) for i, (_, name, amount) in enumerate(table.income)]
        right = [(f"{_ordinal(i)}、{r.name}", r.values["amount"]) for i, r in enumerate(table.expenditure)]
        rows = []
        for i in range(max(len(left), len(right))):
            a = left[i] if i < len(left) else ("", "")
            b = right[i] if i < len(right) else ("", "")
            rows.append(Row((a[0], a[1], b[0], b[1])))
        rows.append(Row(("本年收入合计", table.income_total, "本年支出合计", table.expenditure_total), total=True))
        rows.append(Row((k["carried_in"], table.carried_in, k["carried_out"], table.carried_out)))
        rows.append(Row((k["income_grand_total"], table.income_total + table.carried_in,
                         k["expenditure_grand_total"], table.expenditure_total + table.carried_out), total=True))
        return Grid(columns=columns, rows=tuple(rows), header_column=0, **common)
    # “三公”经费
    k = kind_spec(report.kind)
    names = k["three_public_expenses_columns"]
    change, ratio = k["three_public_expenses_change"]
    columns = (Column("item", "项目", TEXT), Column("previous", names["previous"], MONEY, unit),
               Column("current", names["current"], MONEY, unit), Column("change", change, SIGNED, unit),
               Column("ratio", ratio, PERCENT, "%"))
    rows = []
    for key, label, level in [("total", "合计", 0)] + [(i["key"], i["label"], 2 if i.get("part") else 1)
                                                     for i in spec()["three_public_expenses_items"]]:
        before, now = ThreePublic.item(table.previous, key), ThreePublic.item(table.current, key)
        rate = money.percent(now - before, before) if report.kind == BUDGET else money.percent(now, before)
        rows.append(Row((label, before, now, now - before, rate), level=level, total=key == "total"))
    return Grid(columns=columns, rows=tuple(rows), header_column=0, **common)


def _ordinal(i: int) -> str:
    return ORDINALS[i] if i < len(ORDINALS) else str(i + 1)
