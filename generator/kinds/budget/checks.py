"""部门预算 / 决算公开表: build the tables from front matter and check their arithmetic and vocabulary.

Every check names the table, the row (with its 科目编码 and name) and the difference, e.g.
一般公共预算支出表 第 3 行（2080201 行政运行）合计：合计不等于基本支出与项目支出之和 — 实际 165.63，相差 +0.27.
Table names, income items and class names come from generator/data/budget-tables.yml.
"""
from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType
from typing import Mapping

from . import model as b
from ...datasets import money
from ...problems import WARNING
from . import agreement
from .rows import inconsistent_rows, row_label
from ...rules.spot import Spot, amount_places, difference

ZERO = Decimal("0")


def read_budget(data: Mapping, spot: Spot, body: str, published_year: int | None) -> b.BudgetReport | None:
    before = spot.errors()
    kind, year = data["kind"], data["year"]
    spec = b.spec()
    tables: dict[str, object] = {}
    for tid, raw in data["tables"].items():
        base = ("budget", "tables", tid)
        title = spec["kinds"][kind]["titles"][tid]
        if tid not in b.standard_order(kind):
            spot.add(base, f"{title} ({tid})", f"{b.kind_spec(kind)['document']}不公开这张表",
                     expected="、".join(spec["kinds"][kind]["titles"][t] for t in b.standard_order(kind)),
                     got=title, hint="请删除这张表，或核对 kind（预算 / 决算）是否写对")
            continue
        layout = spec["layouts"][tid]
        if layout == "coded":
            table = _coded(tid, title, raw, kind, base, spot)
        elif layout == "summary":
            table = _summary(tid, title, raw, kind, base, spot)
        else:
            table = _three_public_expenses(tid, title, raw, base, spot)
        if table is not None:
            tables[tid] = table

    for tid in spec["kinds"][kind]["required"]:
        if tid not in data["tables"]:
            title = spec["kinds"][kind]["titles"][tid]
            spot.add(("budget", "tables"), "预决算公开表 (budget.tables)", f"缺少公开表：{title}",
                     expected="、".join(spec["kinds"][kind]["titles"][t] for t in spec["kinds"][kind]["required"]),
                     hint=f"没有数据的表也要公开（显示为空表），写一行 {tid}: {{rows: []}}")

    # The same 科目 in the whole-department table and the 财政拨款 tables: runs even when a table's own sums are
    # off, because it names the row that was changed (the parent sums only say that something below is wrong).
    agreement.same_code_amounts(tables, spot)
    if spot.errors() == before:
        agreement.agreements(tables, kind, spot)
        agreement.same_names(tables, spot)
    _year(kind, year, published_year, spot)
    _text_sections(body, spot)
    if spot.errors() != before:
        return None
    return b.BudgetReport(kind=kind, year=year, tables=MappingProxyType(tables))


# ---- one table -------------------------------------------------------------------------------------------

def _columns(tid: str, kind: str) -> tuple[tuple[str, str], ...]:
    if tid == "income":
        return (("total", "合计"),) + tuple((i, b.income_label(i, kind)) for i in b.kind_spec(kind)["income_items"])
    if b.spec()["classification"][tid] == "economic":
        return (("amount", b.kind_spec(kind)["amount_label"]),)
    return b.spending_columns()


def _coded(tid: str, title: str, raw: Mapping, kind: str, base: tuple, spot: Spot) -> b.CodedTable | None:
    classification = b.spec()["classification"][tid]
    columns = _columns(tid, kind)
    keys = [k for k, _ in columns]
    labels = dict(columns)
    allowed = set(keys)
    classes = b.spec()["functional_classes" if classification == "functional" else "economic_classes"]
    lengths = b.spec()["code_lengths"][classification]
    first_digit = "2" if classification == "functional" else "3"
    ok = True
    rows: list[b.CodedRow] = []
    seen: dict[str, int] = {}
    parents: dict[int, str] = {}         # level -> code of the latest row at that level

    for i, r in enumerate(raw.get("rows", ())):
        path = base + ("rows", i)
        code, name = str(r["code"]).strip(), r["name"].strip()
        where = row_label(title, i, code, name)
        for key in r:
            if key not in ("code", "name") and key not in allowed:
                spot.add(path + (key,), where, f"这张表没有“{key}”这一列", expected="、".join(
                    f"{k}（{labels[k]}）" for k in keys), got=key, hint="请核对列名，或把数字移到正确的表中")
                ok = False
        if not code.isdigit() or len(code) not in lengths or not code.startswith(first_digit):
            kind_name = "功能分类" if classification == "functional" else "经济分类"
            spot.add(path + ("code",), where, f"{kind_name}科目编码格式不正确",
                     expected=f"{'/'.join(str(n) for n in lengths)} 位数字（{'类/款/项' if len(lengths) == 3 else '类/款'}），"
                              f"以 {first_digit} 开头，例如 {'2080201' if classification == 'functional' else '30101'}",
                     got=code, hint="科目编码按《政府收支分类科目》填写；基本支出按经济分类公开到款级（5 位）")
            ok = False
            continue
        level = b.code_level(code, classification)
        if code in seen:
            spot.add(path + ("code",), where, "科目编码重复", got=code,
                     hint=f"与第 {seen[code] + 1} 行重复；同一科目只列一行")
            ok = False
        seen[code] = i
        if level == 1 and code in classes and classes[code] != name:
            spot.add(path + ("name",), where, "类级科目名称与《政府收支分类科目》不一致",
                     expected=f"{code} {classes[code]}", got=name, hint="请按科目表核对名称")
            ok = False
        elif level == 1 and code not in classes:
            spot.add(path + ("code",), where, "不是《政府收支分类科目》中的类级科目", got=code,
                     expected="、".join(f"{c} {n}" for c, n in classes.items()), hint="请核对科目编码")
            ok = False
        if level > 1:
            parent = code[: lengths[level - 2]]
            if parents.get(level - 1) != parent:
                spot.add(path + ("code",), where, f"科目 {code} 没有列在上级科目 {parent} 之下",
                         expected=f"先列 {parent}，紧接着列它的下级科目", got=f"上一个{'类' if level == 2 else '款'}级科目是 "
                         f"{parents.get(level - 1, '（无）')}", hint="类、款、项逐级列出：208 → 20805 → 2080505")
                ok = False
        parents[level] = code
        for deeper in [lv for lv in parents if lv > level]:
            del parents[deeper]
        values = {}
        for key in keys:
            value = r.get(key, ZERO)
            amount_places(spot, path + (key,), f"{where}{labels[key]}", value)
            values[key] = Decimal(value)
        rows.append(b.CodedRow(code, name, MappingProxyType(values), level))

    total_raw = raw.get("total")
    if rows and total_raw is None:
        spot.add(base, f"{title} ({base[-1]})", "缺少合计行", hint="在 rows 之后写 total: {…}，与公开表的合计行一致")
        return None
    if not rows and total_raw and any(Decimal(v) != 0 for v in total_raw.values()):
        spot.add(base + ("total",), f"{title} 合计", "空表的合计不为零", got=str(dict(total_raw)),
                 hint="本单位无此项收支时，删除 total 这一行，只写 rows: []")
        return None
    total = {}
    for key in keys:
        value = (total_raw or {}).get(key, ZERO)
        amount_places(spot, base + ("total", key), f"{title} 合计{labels[key]}", value)
        total[key] = Decimal(value)
    if total_raw:
        for key in total_raw:
            if key not in allowed:
                spot.add(base + ("total", key), f"{title} 合计", f"这张表没有“{key}”这一列",
                         expected="、".join(f"{k}（{labels[k]}）" for k in keys), got=key)
                ok = False
    if not ok:
        return None

    # Each row: the total column is the sum of its parts. The row an editor changed breaks here first, so
    # these come before the parent sums below, which only say that something under them is wrong.
    parts = keys[1:] if keys[0] == "total" and len(keys) > 1 else []
    if parts:
        for i, row in enumerate(rows):
            _sum_of_parts(spot, base + ("rows", i, "total"), row_label(title, i, row.code, row.name) + "合计",
                          row.values, parts, labels)
        if rows:
            _sum_of_parts(spot, base + ("total", "total"), f"{title} 合计行 合计", total, parts, labels,
                          rank=PARENT_RANK + 1)

    # Each parent row is the sum of its children; the 合计 row is the sum of the 类 rows. Deeper rows first;
    # a parent whose difference comes from a child that is itself inconsistent says which child.
    off = inconsistent_rows(rows, parts)
    for i, row in enumerate(rows):
        children = [c for c in rows if c.level == row.level + 1 and c.code[: len(row.code)] == row.code]
        if not children:
            continue
        for key in keys:
            want = sum((c.values[key] for c in children), ZERO)
            if row.values[key] != want:
                spot.add(base + ("rows", i, key), row_label(title, i, row.code, row.name) + labels[key],
                         f"上级科目的{labels[key]}不等于下级科目之和",
                         expected=f"{money.money(want)}（{'、'.join(c.code for c in children)} 之和）",
                         got=difference(row.values[key], want), rank=PARENT_RANK - row.level,
                         hint=_blame_child(rows, children, off) or "请核对这一行和它的下级科目")
    if rows:
        classes_rows = [r for r in rows if r.level == 1]
        for key in keys:
            want = sum((r.values[key] for r in classes_rows), ZERO)
            if total[key] != want:
                spot.add(base + ("total", key), f"{title} 合计行 {labels[key]}", f"合计不等于各类级科目之和",
                         expected=f"{money.money(want)}（{'、'.join(r.code for r in classes_rows)} 之和）",
                         got=difference(total[key], want), rank=PARENT_RANK,
                         hint=_blame_child(rows, classes_rows, off) or "合计行应等于所有类级（3 位）科目之和")
    return b.CodedTable(tid, title, classification, columns, tuple(rows), MappingProxyType(total))


# Parent sums are reported after the rows' own problems: 项 before 款 before 类 before the 合计 row.
PARENT_RANK = 4


def _blame_child(rows: list[b.CodedRow], children: list[b.CodedRow], off: set[str]) -> str | None:
    """When a parent's sum is off because a row below is wrong, name that row: it is the one to check first."""
    wrong = [c for c in children if c.code in off]
    if not wrong:
        return None
    deepest = wrong
    while True:   # follow the inconsistency down to the lowest row that shows it
        below = [r for r in rows for w in deepest
                 if r.level == w.level + 1 and r.code.startswith(w.code) and r.code in off]
        if not below:
            break
        deepest = below
    named = "、".join(f"第 {rows.index(r) + 1} 行（{r.code} {r.name}）" for r in deepest)
    return f"下级科目 {named}本身的数字就不一致（见上），多半是那一行改错了：请先核对那一行，这一行可能无需改动"


def _sum_of_parts(spot: Spot, path: tuple, field: str, values: Mapping, parts: list[str], labels: Mapping,
                  rank: int = 0) -> None:
    want = sum((values[p] for p in parts), ZERO)
    if values["total"] != want:
        shown_parts = " + ".join(f"{labels[p]} {money.money(values[p])}" for p in parts if values[p] or len(parts) <= 3)
        spot.add(path, field, f"合计不等于{'、'.join(labels[p] for p in parts) if len(parts) <= 3 else '各列'}之和",
                 expected=f"{money.money(want)}（{shown_parts}）", got=difference(values["total"], want),
                 hint="请核对这一行的合计和各列数字", rank=rank)


def _summary(tid: str, title: str, raw: Mapping, kind: str, base: tuple, spot: Spot) -> b.SummaryTable | None:
    spec = b.spec()
    items = [i for i in b.kind_spec(kind)["income_items"] if tid != "fiscal_summary" or spec["income_items"][i]["fiscal"]]
    before = spot.errors()
    income = []
    for key, value in raw["income"].items():
        if key not in items:
            spot.add(base + ("income", key), f"{title} 收入", f"这张表没有收入项目“{key}”",
                     expected="、".join(f"{i}（{b.income_label(i, kind)}）" for i in items), got=key,
                     hint="请核对收入项目的写法")
            continue
        amount_places(spot, base + ("income", key), f"{title} {b.income_label(key, kind)}", value)
    for key in items:
        income.append((key, b.income_label(key, kind), Decimal(raw["income"].get(key, ZERO))))
    expenditure = []
    classes = spec["functional_classes"]
    for i, r in enumerate(raw["expenditure"]):
        code, name = str(r["code"]).strip(), r["name"].strip()
        where = f"{title} 支出第 {i + 1} 项（{code} {name}）"
        if code not in classes:
            spot.add(base + ("expenditure", i, "code"), where, "收支总表的支出按功能分类类级科目（3 位）列出",
                     expected="、".join(f"{c} {n}" for c, n in classes.items()), got=code)
        elif classes[code] != name:
            spot.add(base + ("expenditure", i, "name"), where, "类级科目名称与《政府收支分类科目》不一致",
                     expected=f"{code} {classes[code]}", got=name)
        amount_places(spot, base + ("expenditure", i, "amount"), where, r["amount"])
        expenditure.append(b.CodedRow(code, name, MappingProxyType({"amount": Decimal(r["amount"])}), 1))
    for key in ("income_total", "expenditure_total", "carried_in", "carried_out"):
        amount_places(spot, base + (key,), f"{title} {key}", raw.get(key, ZERO))
    if spot.errors() != before:
        return None
    table = b.SummaryTable(tid, title, tuple(income), tuple(expenditure), Decimal(raw["income_total"]),
                           Decimal(raw["expenditure_total"]), Decimal(raw.get("carried_in", ZERO)),
                           Decimal(raw.get("carried_out", ZERO)))
    want = sum((a for _, _, a in table.income), ZERO)
    if table.income_total != want:
        spot.add(base + ("income_total",), f"{title} 本年收入合计", "本年收入合计不等于各项收入之和",
                 expected=f"{money.money(want)}（{'、'.join(f'{n} {money.money(a)}' for _, n, a in table.income if a)}）",
                 got=difference(table.income_total, want))
    want = sum((r.values["amount"] for r in table.expenditure), ZERO)
    if table.expenditure_total != want:
        spot.add(base + ("expenditure_total",), f"{title} 本年支出合计", "本年支出合计不等于各项支出之和",
                 expected=f"{money.money(want)}（{'、'.join(_code_amounts(table.expenditure))}）",
                 got=difference(table.expenditure_total, want))
    k = b.kind_spec(kind)
    income_side = table.income_total + table.carried_in
    spending_side = table.expenditure_total + table.carried_out
    if income_side != spending_side:
        spot.add(base + ("carried_out",), f"{title} 收支平衡", "收入总计不等于支出总计",
                 expected=f"本年收入合计 + {k['carried_in']} = 本年支出合计 + {k['carried_out']}",
                 got=f"收入总计 {money.money(income_side)}，支出总计 {money.money(spending_side)}，"
                     f"相差 {money.signed(income_side - spending_side)}",
                 hint="收支总表两边的总计必须相等；请核对结转数和两边的合计")
    return table


def _code_amounts(rows) -> list[str]:
    return [f"{r.code} {money.money(r.values['amount'])}" for r in rows]


def _three_public_expenses(tid: str, title: str, raw: Mapping, base: tuple, spot: Spot) -> b.ThreePublic | None:
    before = spot.errors()
    sides = {}
    labels = {i["key"]: i["label"].removeprefix("其中：") for i in b.spec()["three_public_expenses_items"]}
    labels["total"] = "合计"
    for side in ("previous", "current"):
        values = raw[side]
        for key, value in values.items():
            amount_places(spot, base + (side, key), f"{title} {labels.get(key, key)}", value)
        parts = {k: Decimal(values.get(k, ZERO)) for k in ("abroad", "vehicle_purchase", "vehicle_operation", "reception")}
        for stated, want, explain in (
                ("vehicles", parts["vehicle_purchase"] + parts["vehicle_operation"], "购置费 + 运行费"),
                ("total", parts["abroad"] + parts["vehicle_purchase"] + parts["vehicle_operation"] + parts["reception"],
                 "因公出国（境）费 + 公务用车购置及运行费 + 公务接待费")):
            if stated in values and Decimal(values[stated]) != want:
                spot.add(base + (side, stated), f"{title} {'上年/年初' if side == 'previous' else '本年/决算'}"
                         f"{labels[stated]}", f"{labels[stated]}不等于各项之和",
                         expected=f"{money.money(want)}（{explain}）", got=difference(Decimal(values[stated]), want))
        sides[side] = MappingProxyType(parts)
    if spot.errors() != before:
        return None
    return b.ThreePublic(tid, title, sides["previous"], sides["current"])


def _year(kind: str, year: int, published: int | None, spot: Spot) -> None:
    if published is None:
        return
    want = published if kind == b.BUDGET else published - 1
    if year != want:
        spot.add(("budget", "year"), "年度 (budget.year)", f"{b.kind_spec(kind)['document']}的年度与发布日期不相符",
                 expected=f"{want}（{'预算当年发布' if kind == b.BUDGET else '决算次年发布'}）", got=str(year),
                 hint="请核对 year 和发布日期", severity=WARNING)


def _text_sections(body: str, spot: Spot) -> None:
    headings = [line.lstrip("#").strip() for line in body.split("\n") if line.startswith("#")]
    for section in b.spec()["text_sections"]:
        if not any(k in h for h in headings for k in section["keywords"]):
            spot.add(("budget",), "正文", f"正文缺少“{section['name']}”部分", severity=WARNING,
                     expected="含有 " + "、".join(section["keywords"]) + " 的小标题",
                     hint="预决算公开的文字说明应包括部门概况、收支说明、“三公”经费、机关运行经费、政府采购、"
                          "国有资产占用、绩效和名词解释")


# ---- between records ---------------------------------------------------------------------------------------

def check_across(records, spots: dict[str, Spot]) -> None:
    """预算 and 决算 of one department: 年初预算 in the 决算 is the 预算 as published; each 预算's 上年预算数 is
    the previous 预算. Differences are reminders (a 预算 may have been adjusted), naming both files."""
    reports = {}
    for r in records:
        for d in r.datasets:
            if isinstance(d, b.BudgetReport):
                key = (r.publisher.id, d.kind, d.year)
                if key in reports:
                    spots[r.source].add(("budget", "year"), "年度 (budget.year)",
                                        f"{r.publisher.name}{d.year}年{d.document}已有一条信息", severity=WARNING,
                                        got=reports[key][0].source, hint="调整后重新公开的，请在正文中说明；否则请核对年度")
                    continue
                reports[key] = (r, d)
    labels = {i["key"]: i["label"].removeprefix("其中：") for i in b.spec()["three_public_expenses_items"]}
    for (org, kind, year), (record, report) in reports.items():
        if report.three_public_expenses is None:
            continue
        if kind == b.FINAL:
            other = reports.get((org, b.BUDGET, year))
            side, what = "previous", f"{year}年部门预算中的本年预算数"
        else:
            other = reports.get((org, b.BUDGET, year - 1))
            side, what = "previous", f"{year - 1}年部门预算中的本年预算数"
        if other is None or other[1].three_public_expenses is None:
            continue
        mine, theirs = getattr(report.three_public_expenses, side), other[1].three_public_expenses.current
        for key in ("abroad", "vehicle_purchase", "vehicle_operation", "reception"):
            if mine[key] != theirs[key]:
                column = b.kind_spec(kind)["three_public_expenses_columns"][side]
                spots[record.source].add(("budget", "tables", "three_public_expenses", side, key),
                                         f"{report.three_public_expenses.title} {column} {labels[key]}",
                                         f"与{what}不一致", severity=WARNING,
                                         expected=f"{money.money(theirs[key])}（{other[0].source}）",
                                         got=difference(mine[key], theirs[key]),
                                         hint="年初预算数应与当年公开的部门预算一致；预算调整过的请在正文中说明")
