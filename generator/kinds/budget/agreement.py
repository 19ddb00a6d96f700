"""Checks between the tables of one 预算 / 决算: sub-tables against the 收支总表, and one 科目 with one name and
the same amounts wherever it appears (which tables and columns correspond: budget-tables.yml same_code)."""
from __future__ import annotations

from decimal import Decimal
from typing import Mapping

from . import model as b
from ...datasets import money
from .rows import inconsistent_rows, parts_of, row_label
from ...rules.spot import Spot, difference

ZERO = Decimal("0")


def agreements(tables: Mapping, kind: str, spot: Spot) -> None:
    """Sub-tables agree with the summary (收支总表) and with each other."""
    summary, fiscal = tables.get("summary"), tables.get("fiscal_summary")
    income, spending = tables.get("income"), tables.get("expenditure")
    general, basic = tables.get("general_expenditure"), tables.get("basic_expenditure")

    def differ(path, table, field, got, want, other, hint=None):
        if got != want:
            spot.add(("budget", "tables") + path, f"{table.title} {field}", f"与{other}不一致",
                     expected=f"{money.money(want)}（{other}）", got=difference(got, want),
                     hint=hint or "同一数字在各表中必须相同；请先核对收支总表，再核对这张表")

    if summary and income and not income.empty:
        differ(("income", "total", "total"), income, "合计", income.total["total"], summary.income_total,
               f"{summary.title}本年收入合计")
        for key, label, amount in summary.income:
            if key in income.total:
                differ(("income", "total", key), income, f"合计行 {label}", income.total[key], amount,
                       f"{summary.title}{label}")
    if summary and spending and not spending.empty:
        differ(("expenditure", "total", "total"), spending, "合计", spending.total["total"],
               summary.expenditure_total, f"{summary.title}本年支出合计")
        by_code = {r.code: r for r in summary.expenditure}
        for i, row in enumerate(spending.rows):
            if row.level != 1:
                continue
            if row.code not in by_code:
                spot.add(("budget", "tables", "expenditure", "rows", i, "code"), row_label(spending.title, i, row.code, row.name),
                         f"{summary.title}中没有这一类支出", got=row.code,
                         hint=f"{summary.title}的支出项目应与{spending.title}的类级科目一一对应")
            else:
                differ(("expenditure", "rows", i, "total"), spending, f"第 {i + 1} 行（{row.code} {row.name}）合计",
                       row.values["total"], by_code[row.code].values["amount"], f"{summary.title}中的{row.name}")
        classes = {r.code for r in spending.rows if r.level == 1}
        for i, row in enumerate(summary.expenditure):
            if row.code not in classes:
                spot.add(("budget", "tables", "summary", "expenditure", i, "code"),
                         f"{summary.title} 支出第 {i + 1} 项（{row.code} {row.name}）", f"{spending.title}中没有这一类支出",
                         got=row.code, hint=f"{summary.title}的支出项目应与{spending.title}的类级科目一一对应")
    if summary and fiscal:
        for key, label, amount in fiscal.income:
            differ(("fiscal_summary", "income", key), fiscal, label, amount, summary.income_of(key),
                   f"{summary.title}{b.income_label(key, kind)}")
    if fiscal:
        parts = [tables[t] for t in ("general_expenditure", "fund_expenditure", "capital_expenditure")
                 if t in tables and not tables[t].empty]
        want = sum((t.total["total"] for t in parts), ZERO)
        differ(("fiscal_summary", "expenditure_total"), fiscal, "本年支出合计", fiscal.expenditure_total, want,
               "、".join(t.title for t in parts) + "合计之和" if parts else "财政拨款支出各表合计之和（均为空表）")
    if general and basic and not general.empty and not basic.empty:
        differ(("basic_expenditure", "total", "amount"), basic, "合计", basic.total["amount"], general.total["basic"],
               f"{general.title}基本支出合计")


def same_code_amounts(tables: Mapping, spot: Spot) -> None:
    """One 科目, the same amounts: the whole-department spending table against the 财政拨款 spending tables,
    column by column as declared in budget-tables.yml (same_code). Equal when all the department's money is
    财政拨款 (no other income, all carried-in funds fiscal); otherwise the whole table is at least the parts."""
    rule = b.spec()["same_code"]
    whole = tables.get(rule["whole"])
    parts = [tables[t] for t in rule["parts"] if t in tables]
    if whole is None or not parts:
        return
    summary, fiscal = tables.get("summary"), tables.get("fiscal_summary")
    if summary is None or fiscal is None:
        equal = False
    else:
        equal = (all(summary.income_of(i) == 0 for i in rule["other_income"])
                 and summary.carried_in == fiscal.carried_in)
    whole_off = inconsistent_rows(list(whole.rows), parts_of(whole))
    codes = list(dict.fromkeys([r.code for r in whole.rows] + [r.code for t in parts for r in t.rows]))
    for code in codes:
        mine = whole.row(code)
        theirs = [(t, t.row(code)) for t in parts if t.row(code) is not None]
        for key in rule["columns"]:
            want = sum((row.values.get(key, ZERO) for _, row in theirs), ZERO)
            got = mine.values.get(key, ZERO) if mine else ZERO
            if got == want or (not equal and got > want):
                continue
            label = dict(whole.columns)[key]
            in_parts = " + ".join(f"{t.title} 第 {t.rows.index(row) + 1} 行 {money.money(row.values.get(key, ZERO))}"
                                  for t, row in theirs) or "财政拨款各支出表中都没有这一科目"
            in_whole = (f"{whole.title} 第 {whole.rows.index(mine) + 1} 行 {money.money(got)}" if mine
                        else f"{whole.title}中没有这一科目")
            why = ("单位的支出全部来自财政拨款，同一科目在两边必须相同" if equal
                   else f"{whole.title}包括全部资金，不能少于财政拨款各表之和")
            # Report on the row that looks changed: the whole table's when its own sums are off there (or the
            # parts lack the code), else the 财政拨款 table's.
            on_whole = mine is not None and (code in whole_off or not theirs)
            if on_whole or not theirs:
                where = (("budget", "tables", whole.id, "rows", whole.rows.index(mine), key) if mine
                         else ("budget", "tables", whole.id))
                field = (row_label(whole.title, whole.rows.index(mine), code, mine.name) if mine
                         else f"{whole.title} ({whole.id})") + label
                expected = ("" if equal else "不少于 ") + f"{money.money(want)}（{in_parts}）"
                shown = difference(got, want)
            else:
                table, row = next(((t, r) for t, r in theirs if code in inconsistent_rows(list(t.rows), parts_of(t))),
                                  theirs[0])
                where = ("budget", "tables", table.id, "rows", table.rows.index(row), key)
                field = row_label(table.title, table.rows.index(row), code, row.name) + label
                fits = got - (want - row.values.get(key, ZERO))     # what this row must be for the two to agree
                expected = ("" if equal else "不超过 ") + f"{money.money(fits)}（{in_whole}" + (
                    "，减去其他财政拨款表中的数）" if len(theirs) > 1 else "）")
                shown = difference(row.values.get(key, ZERO), fits)
            spot.add(where, field, f"同一科目在{whole.title}和财政拨款支出表中的{label}不一致",
                     expected=expected, got=shown,
                     hint=f"{why}；请对照这两处（{in_whole}；{in_parts}），改正填错的那一处")


def same_names(tables: Mapping, spot: Spot) -> None:
    """One code, one name, in every table of the record."""
    first: dict[str, tuple[str, str]] = {}
    for tid, table in tables.items():
        if not isinstance(table, b.CodedTable) or table.classification != "functional":
            continue
        for i, row in enumerate(table.rows):
            if row.code in first and first[row.code][1] != row.name:
                spot.add(("budget", "tables", tid, "rows", i, "name"), row_label(table.title, i, row.code, row.name),
                         "同一科目在各表中的名称不一致", expected=f"{row.code} {first[row.code][1]}（{first[row.code][0]}）",
                         got=row.name)
            first.setdefault(row.code, (table.title, row.name))
