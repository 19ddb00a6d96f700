"""Checks of declared tables beyond what the JSON Schema checks cell by cell.

- a column declared `x-sum-of` equals the sum of its columns in every row;
- a stated `<field>_total` equals the rows added up, column by column;
- `format: date` cells are real dates; `x-places` limits decimals;
- `x-mask: name` cells are masked (张*明), `x-mask: place` cells stop at the village (no house number).

Messages name the table and the row by their titles, the way the editor sees them on the page.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Mapping

from ...datasets import money
from ...datasets.period import Period
from ...model import freeze
from ...privacy.detectors import has_house_number, is_masked_name, mask
from ...rules.dates import impossible_date_hint, parse_date
from ...rules.spot import Spot
from ..columns import ColumnSpec, TableSpec
from .model import DeclaredTable, sum_of


def row_label(spec: TableSpec, i: int, row: Mapping) -> str:
    """权力事项 (powers) 第 3 行（SJ-XK-001）: the row's first cell names it, unless that cell is personal (x-mask),
    a date, a number or a choice from a list."""
    first = spec.columns[0] if spec.columns else None
    name = row.get(first.key) if first and first.type == "string" and not (first.mask or first.date or first.enum) else None
    shown = f"（{name[:20]}）" if isinstance(name, str) and name.strip() else ""
    return f"{spec.title} ({spec.field}) 第 {i + 1} 行{shown}"


def _figure(value) -> str:
    return money.money(value) if isinstance(value, Decimal) else f"{value:,}"


def _difference(got, want) -> str:
    if isinstance(got, Decimal) or isinstance(want, Decimal):
        return f"{_figure(got)}，相差 {money.signed(money.to_decimal(got) - money.to_decimal(want))}"
    return f"{got:,}，相差 {got - want:+,}"


def check_row(spec: TableSpec, i: int, row: Mapping, spot: Spot) -> None:
    where = row_label(spec, i, row)
    for c in spec.columns:
        value = row.get(c.key)
        path = (spec.field, i, c.key)
        field = f"{where} {c.label}"
        if value is None:
            continue
        if c.date and isinstance(value, str) and parse_date(value) is None:
            spot.add(path, field, "日期不存在", expected="真实存在的日期，格式 YYYY-MM-DD", got=value,
                     hint=impossible_date_hint(value))
        if c.places is not None and isinstance(value, Decimal) and money.decimals(value) > c.places:
            spot.add(path, field, f"最多保留 {c.places} 位小数", got=str(value),
                     hint=f"请四舍五入到 {c.places} 位小数后填写")
        if c.mask == "name" and isinstance(value, str) and not is_masked_name(value):
            spot.add(path, field, "姓名没有遮盖", expected="遮盖后的姓名，例如 张*明、李*、王某某",
                     got=mask(value), hint="公示名单中的姓名必须遮盖：保留姓，名字用 * 代替")
        if c.mask == "place" and isinstance(value, str) and has_house_number(value):
            spot.add(path, field, "地址写到了门牌号", expected="只写到村（社区）的名称",
                     got=mask(value), hint="名单只公开到村（社区），请删除门牌号、楼栋、单元、室号")
        if c.sum_of and isinstance(value, (int, Decimal)):
            parts = [row.get(k) for k in c.sum_of]
            if all(isinstance(p, (int, Decimal)) for p in parts):
                want = sum(parts, Decimal("0") if any(isinstance(p, Decimal) for p in parts + [value]) else 0)
                if value != want:
                    names = " + ".join(spec.column(k).title for k in c.sum_of)
                    spot.add(path, field, f"{c.title}不等于 {names} 之和",
                             expected=f"{_figure(want)}（{names}）", got=_difference(value, want),
                             hint="请核对这一行的各项数字")


def check_totals(spec: TableSpec, rows, stated: Mapping, spot: Spot) -> None:
    for c in spec.summed:
        if c.key not in stated:
            continue
        want = sum_of(rows, c.key) or 0
        got = stated[c.key]
        if got != want:
            spot.add((spec.total_field, c.key), f"{spec.title}合计 ({spec.total_field}) {c.label}",
                     f"合计不等于各行{c.title}之和", expected=f"{_figure(want)}（{len(rows)} 行相加）",
                     got=_difference(got, want), hint="请核对合计数和各行的数字；正文中的合计数也请一并核对")


def record_period(data: Mapping) -> tuple | None:
    value = data.get("period")
    period = Period.parse(value) if isinstance(value, str) else None
    return (period.first, period.last) if period else None


def read(data: Mapping, spec: TableSpec, spot: Spot) -> DeclaredTable | None:
    """The table of one record, or None when it has errors (they are in spot's problems)."""
    rows = data.get(spec.field)
    if not isinstance(rows, list):
        return None
    before = spot.errors()
    for i, row in enumerate(rows):
        check_row(spec, i, row, spot)
    stated = data.get(spec.total_field)
    if isinstance(stated, Mapping):
        check_totals(spec, rows, stated, spot)
    if spot.errors() != before:
        return None
    return DeclaredTable(spec, freeze(rows), freeze(stated) if isinstance(stated, Mapping) else None,
                         record_period(data))
