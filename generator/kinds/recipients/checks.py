"""Checks of a benefit list: its table (masked columns, sums), its 公示期, and amounts against the standard.

The standard is data in _category.yml, e.g. a per-person ceiling that a row's amount may not exceed once
multiplied by its household size, in force from a date and optionally only for rows with a given value:

    recipients:
      standard:
        amount: amount          # the column checked
        per: household_size     # multiplied by this column (optional)
        limits:
          - {from: 2025-01-01, limit: 300}
          - {from: 2025-01-01, limit: 35000, when: {method: 拆除重建}}
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Mapping

from ...datasets import money
from ...model import NoticePeriod
from ..social_assistance.checks import names_outside_list
from ...rules.dates import parse_date
from ...rules.spot import Spot
from ..columns import TableSpec
from ..table.checks import read as read_table, row_label
from .model import TOTALS, RecipientList


def list_spec(category) -> TableSpec | None:
    """The table that is the list: `recipients.field`, else the first declared table."""
    field = (category.options or {}).get("field")
    return next((t for t in category.tables if t.field == field), None) if field else \
        (category.tables[0] if category.tables else None)


def applicable_limit(limits, row: Mapping, day: date):
    """The limit in force on day for this row: the latest `from`, the most specific `when` first."""
    fitting = [limit for limit in limits
               if parse_date(str(limit["from"])) and parse_date(str(limit["from"])) <= day
               and all(row.get(k) == v for k, v in (limit.get("when") or {}).items())]
    if not fitting:
        return None
    return max(fitting, key=lambda limit: (parse_date(str(limit["from"])), len(limit.get("when") or {})))


def _figure(value) -> str:
    return f"{money.to_decimal(value).normalize():,f}" if isinstance(value, Decimal) else f"{value:,}"


def check_standard(spec: TableSpec, rows, standard: Mapping, day: date | None, spot: Spot) -> None:
    if day is None:
        return
    amount = spec.column(standard["amount"])
    per = spec.column(standard["per"]) if standard.get("per") else None
    name = standard.get("title", "标准")
    unit = standard.get("unit", amount.unit if amount else "")
    for i, row in enumerate(rows):
        value = row.get(amount.key)
        if not isinstance(value, (int, Decimal)) or isinstance(value, bool):
            continue
        limit = applicable_limit(standard["limits"], row, day)
        if limit is None:
            continue
        times = row.get(per.key) if per else 1
        if not isinstance(times, (int, Decimal)):
            continue
        ceiling = money.to_decimal(limit["limit"]) * times
        if money.to_decimal(value) > ceiling:
            rule = (f"{_figure(limit['limit'])} {unit}" if per is None
                    else f"每{per.unit} {_figure(limit['limit'])} {unit} × {_figure(times)} {per.unit}" if per.unit
                    else f"{_figure(limit['limit'])} {unit} × {per.title} {_figure(times)}")
            when = "，".join(f"{spec.column(k).title if spec.column(k) else k}为{v}"
                            for k, v in (limit.get("when") or {}).items())
            spot.add((spec.field, i, amount.key), f"{row_label(spec, i, row)} {amount.label}", f"超过{name}",
                     expected=f"不超过 {_figure(ceiling)} {unit}（{rule}{'，' + when if when else ''}，"
                              f"{limit['from']} 起执行）",
                     got=f"{_figure(value)} {unit}，超出 {_figure(money.to_decimal(value) - ceiling)} {unit}",
                     hint=f"请核对这一行的金额和{per.title if per else '标准'}；标准调整时请在 _category.yml 的 "
                          "recipients.standard.limits 中增加一条")


def read(raw, category, published: date | None, notice: NoticePeriod | None, spot: Spot) -> list:
    data = raw.front.data
    options = category.options or {}
    spec = list_spec(category)
    out = [t for t in (read_table(data, s, spot) for s in category.tables if s is not spec) if t is not None]
    if spec is None or spec.field not in data:
        return out
    before = spot.errors()
    if not category.notices:       # with 公示类型 the shared 公示名单 reader already looked (rules/datasets.py)
        names_outside_list(raw.body, raw.body_line, data, spot)   # a list in the body could not come down
    table = read_table(data, spec, spot)
    if options.get("standard"):
        check_standard(spec, data[spec.field], options["standard"], parse_date(str(data.get("written_on"))), spot)
    kind = data.get("notice_kind", "")
    rule = (category.notices or {}).get(kind, {})
    period = notice
    if period is None and rule and published is not None:
        period = NoticePeriod(published, published + timedelta(days=rule["days"] - 1))
    if period is None:
        spot.add(("notice_period",), "公示期 (notice_period)", "公示名单缺少公示期",
                 hint="写 notice_period: {start: 2026-07-01, end: 2026-07-07}；或在 _category.yml 的 notices 中"
                      "登记公示类型及天数，再写 notice_kind")
    if table is None or period is None or spot.errors() != before:
        return out
    # The list first: it is what the record is about; other tables (资金分配 …) follow it on the page.
    return [RecipientList(table, kind, period, bool(rule.get("long_term")), options.get("after", TOTALS),
                          options.get("village", ""), options.get("row_unit", "户"))] + out
