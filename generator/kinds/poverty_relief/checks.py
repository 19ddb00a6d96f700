"""乡村振兴: project notices, plans and their adjustments, fund allocations and progress reports.

Within a record: every 合计 adds up (allocation rows and columns, plan items, adjustment before/after), amounts
are ≥ 0 with at most two decimals, vocabularies (source, type, status) come from generator/data/poverty.yml,
a finished project is 100% done, paid ≤ allocated. Across records: a project notice's 衔接资金 and its line in
the year's plan, an adjustment's 调整前 and the plan it adjusts, a year's allocation and its plan (reminders).
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Mapping

from ...datasets import money
from . import model as p
from ...problems import WARNING
from ...rules.dates import impossible_date_hint, parse_date
from ...rules.spot import Spot, amount_places, difference

ZERO = Decimal("0")


def read(data: Mapping, spot: Spot) -> list:
    out = []
    if "project" in data:
        out.append(_project(data["project"], spot))
    if "plan" in data:
        out.append(_plan(data["plan"], spot))
    if "allocation" in data:
        out.append(_allocation(data["allocation"], spot))
    if "progress_report" in data:
        out.append(_progress(data["progress_report"], spot))
    return out


def _statuses() -> dict:
    return {s["name"]: s for s in p.spec()["statuses"]}


def _vocabulary(spot: Spot, path: tuple, field: str, value: str, allowed, what: str) -> bool:
    if value not in allowed:
        spot.add(path, field, f"未知的{what}", expected="、".join(allowed), got=value,
                 hint=f"{what}的写法见 generator/data/poverty.yml")
        return False
    return True


def _project(raw: Mapping, spot: Spot) -> p.Project | None:
    before = spot.errors()
    where = f"项目公示 (project)（{raw['name']}）"
    _vocabulary(spot, ("project", "type"), f"{where} 项目类型", raw["type"], p.spec()["project_types"], "项目类型")
    progress = raw["progress"]
    status = progress["status"]
    if _vocabulary(spot, ("project", "progress", "status"), f"{where} 状态", status, _statuses(), "项目状态"):
        if _statuses()[status]["finished"] and "percent" in progress and Decimal(progress["percent"]) != 100:
            spot.add(("project", "progress", "percent"), f"{where} 完成比例", f"状态为{status}，完成比例应为 100%",
                     got=f"{progress['percent']}%", hint="请核对状态和完成比例")
    funds = []
    for i, f in enumerate(raw["funds"]):
        amount_places(spot, ("project", "funds", i, "amount"), f"{where} 资金来源第 {i + 1} 项", f["amount"])
        funds.append(p.Fund(f["source"], Decimal(f["amount"]), f.get("note", "").strip()))
    start, end = raw["period"]["start"], raw["period"]["end"]
    if end < start:
        spot.add(("project", "period", "end"), f"{where} 实施期限", "结束月份早于开始月份", expected=f"不早于 {start}", got=end)
    named = re.match(r"(\d{4})年", raw["name"])
    if named and int(named.group(1)) != raw["year"]:
        spot.add(("project", "year"), f"{where} 计划年度", "项目名称中的年份与计划年度不一致", severity=WARNING,
                 expected=named.group(1), got=str(raw["year"]), hint="请核对 year，或项目名称")
    if spot.errors() != before:
        return None
    return p.Project(raw["year"], raw["name"].strip(), raw["type"], raw.get("township", "").strip(), raw["location"].strip(),
                     raw["tasks"].strip(), raw["subsidy_standard"].strip(), tuple(funds), (start, end),
                     raw["implementer"].strip(), raw["responsible"].strip(), raw["targets"].strip(),
                     raw["poverty_link"].strip(), status, progress.get("note", "").strip(),
                     Decimal(progress["percent"]) if "percent" in progress else None)


def _plan(raw: Mapping, spot: Spot) -> p.Plan | None:
    before = spot.errors()
    items, changes = [], []
    names: dict[str, int] = {}
    for i, item in enumerate(raw.get("projects", ())):
        path = ("plan", "projects", i)
        where = f"年度项目计划 第 {i + 1} 行（{item['name']}）"
        _vocabulary(spot, path + ("type",), where, item["type"], p.spec()["project_types"], "项目类型")
        amount_places(spot, path + ("amount",), f"{where}衔接资金", item["amount"])
        if item["name"] in names:
            spot.add(path + ("name",), where, "项目名称重复", hint=f"与第 {names[item['name']] + 1} 行重复")
        names[item["name"]] = i
        items.append(p.PlanItem(item["name"].strip(), item["type"], item.get("township", "").strip(),
                                item["location"].strip(), item.get("scale", "").strip(), Decimal(item["amount"]),
                                item.get("implementer", "").strip(), item.get("households"), item.get("count", 1)))
    for i, c in enumerate(raw.get("changes", ())):
        path = ("plan", "changes", i)
        where = f"项目计划调整 第 {i + 1} 行（{c['name']}）"
        amount = Decimal(c["amount"])
        amount_places(spot, path + ("amount",), f"{where}调整金额", c["amount"])
        if (c["change"] in ("调减", "取消") and amount > 0) or (c["change"] in ("调增", "新增") and amount < 0):
            spot.add(path + ("amount",), where, f"{c['change']}的金额符号不对",
                     expected="调减、取消写负数，调增、新增写正数", got=str(c["amount"]))
        changes.append(p.PlanChange(c["name"].strip(), c["change"], amount, c["reason"].strip(), c.get("source", "").strip()))
    total = raw["total"]
    amount_places(spot, ("plan", "total", "amount"), "年度项目计划 合计衔接资金", total["amount"])
    previous = None
    if raw["kind"] == "计划":
        if not items:
            spot.add(("plan",), "年度项目计划 (plan)", "计划没有列出项目", hint="在 projects 中逐项列出，合并列出的写 count")
        want_amount = sum((i.amount for i in items), ZERO)
        want_count = sum(i.count for i in items)
        explain = "各项目衔接资金之和"
    else:
        if "previous_total" not in raw or not changes:
            spot.add(("plan",), "年度项目计划 (plan)", "计划调整缺少调整前合计（previous_total）或调整明细（changes）",
                     hint="写明调整前的项目个数和金额，以及每一项调整")
            return None
        previous = (raw["previous_total"]["count"], Decimal(raw["previous_total"]["amount"]))
        want_amount = previous[1] + sum((c.amount for c in changes), ZERO)
        want_count = previous[0] + sum(1 for c in changes if c.change == "新增") - sum(1 for c in changes if c.change == "取消")
        explain = "调整前金额加各项调整金额"
    if Decimal(total["amount"]) != want_amount:
        spot.add(("plan", "total", "amount"), "年度项目计划 合计衔接资金", "合计与明细不一致",
                 expected=f"{money.money(want_amount)}（{explain}）", got=difference(Decimal(total["amount"]), want_amount))
    if total["count"] != want_count:
        spot.add(("plan", "total", "count"), "年度项目计划 合计项目个数", "项目个数与明细不一致",
                 expected=f"{want_count}（{'各行项目个数之和' if raw['kind'] == '计划' else '调整前个数加新增、减取消'}）",
                 got=f"{total['count']}，相差 {total['count'] - want_count:+}")
    if spot.errors() != before:
        return None
    return p.Plan(raw["year"], raw["kind"], tuple(items), tuple(changes), total["count"], Decimal(total["amount"]), previous)


def _allocation(raw: Mapping, spot: Spot) -> p.Allocation | None:
    before = spot.errors()
    sources = [s for s in p.fiscal_sources() if any(s in r for r in raw["rows"]) or s in raw["total"]]
    labels = {s: p.source_label(s) for s in sources} | {"total": "合计"}
    rows = []
    for i, r in enumerate(raw["rows"]):
        path = ("allocation", "rows", i)
        where = f"资金分配结果 第 {i + 1} 行（{r['township']}）"
        amounts = tuple(Decimal(r.get(s, 0)) for s in sources)
        for s in sources + ["total"]:
            if s in r:
                amount_places(spot, path + (s,), f"{where}{labels[s]}", r[s])
        want = sum(amounts, ZERO)
        if Decimal(r["total"]) != want:
            spot.add(path + ("total",), f"{where}合计", "合计不等于各资金来源之和",
                     expected=f"{money.money(want)}（{' + '.join(f'{labels[s]} {money.money(a)}' for s, a in zip(sources, amounts))}）",
                     got=difference(Decimal(r["total"]), want), hint="请核对这一行的合计和各来源金额")
        rows.append((r["township"].strip(), amounts))
    for j, s in enumerate(sources + ["total"]):
        want = sum((sum(a, ZERO) if s == "total" else a[j] for _, a in rows), ZERO)
        if s in raw["total"] and Decimal(raw["total"][s]) != want:
            spot.add(("allocation", "total", s), f"资金分配结果 合计行 {labels[s]}", "合计不等于各乡镇之和",
                     expected=f"{money.money(want)}（{len(rows)} 个乡镇之和）", got=difference(Decimal(raw["total"][s]), want),
                     hint="请核对合计行和各乡镇的数字")
    if spot.errors() != before:
        return None
    return p.Allocation(raw["year"], raw["batch"].strip(), tuple(sources), tuple(rows))


def _progress(raw: Mapping, spot: Spot) -> p.Progress | None:
    before = spot.errors()
    as_of = parse_date(raw["as_of"])
    if as_of is None:
        spot.add(("progress_report", "as_of"), "项目实施进度 截至日期", "日期不存在", got=raw["as_of"],
                 hint=impossible_date_hint(raw["as_of"]))
    items = []
    for i, r in enumerate(raw["projects"]):
        path = ("progress_report", "projects", i)
        where = f"项目实施进度 第 {i + 1} 行（{r['name']}）"
        _vocabulary(spot, path + ("type",), where, r["type"], p.spec()["project_types"], "项目类型")
        if _vocabulary(spot, path + ("status",), where, r["status"], _statuses(), "项目状态") \
                and _statuses()[r["status"]]["finished"] and Decimal(r["percent"]) != 100:
            spot.add(path + ("percent",), f"{where}完成比例", f"状态为{r['status']}，完成比例应为 100%", got=f"{r['percent']}%")
        for key in ("amount", "paid"):
            amount_places(spot, path + (key,), where, r[key])
        if Decimal(r["paid"]) > Decimal(r["amount"]):
            spot.add(path + ("paid",), f"{where}已支付", "已支付金额超过衔接资金",
                     expected=f"不超过 {money.money(Decimal(r['amount']))}", got=difference(Decimal(r["paid"]), Decimal(r["amount"])))
        items.append(p.ProgressItem(r["name"].strip(), r["type"], Decimal(r["amount"]), Decimal(r["paid"]),
                                    Decimal(r["percent"]), r["status"]))
    if spot.errors() != before or as_of is None:
        return None
    return p.Progress(raw["year"], as_of, tuple(items))


# ---- between records ----

def check_across(records, spots: dict[str, Spot]) -> None:
    plans: dict[int, tuple] = {}
    adjustments: list[tuple] = []
    allocations: dict[int, list] = {}
    for r in sorted(records, key=lambda r: r.published_on):
        for d in r.datasets:
            if isinstance(d, p.Plan):
                (plans.setdefault(d.year, (r, d)) if d.kind == "计划" else adjustments.append((r, d)))
            elif isinstance(d, p.Allocation):
                allocations.setdefault(d.year, []).append((r, d))
    for r, d in adjustments:
        base = plans.get(d.year)
        if base and d.previous != (base[1].count, base[1].amount):
            spots[r.source].add(("plan", "previous_total"), "年度项目计划 调整前合计", f"与{d.year}年度项目计划不一致",
                                expected=f"{base[1].count} 个项目，{money.money(base[1].amount)} 万元（{base[0].source}）",
                                got=f"{d.previous[0]} 个项目，{money.money(d.previous[1])} 万元", severity=WARNING)
    for r in records:
        for d in r.datasets:
            if not isinstance(d, p.Project) or d.year not in plans:
                continue
            planned = year_items(d.year, plans, adjustments).get(d.name)
            if planned is not None and planned != d.fiscal_amount:
                spots[r.source].add(("project", "funds"), f"项目公示 (project)（{d.name}）资金来源及规模",
                                    f"衔接资金与{d.year}年度项目计划不一致", severity=WARNING,
                                    expected=f"{money.money(planned)}（{plans[d.year][0].source}）",
                                    got=difference(d.fiscal_amount, planned),
                                    hint="项目实施中调整资金的，请先发布计划调整公告")
    for year, allocs in allocations.items():
        whole = [(r, a) for r, a in allocs if a.batch == "全年"]
        if year in plans and whole:
            r, a = whole[-1]
            planned = plans[year][1].amount
            if a.total != planned:
                spots[r.source].add(("allocation", "total", "total"), "资金分配结果 合计", f"与{year}年度项目计划的衔接资金不一致",
                                    expected=f"{money.money(planned)}（{plans[year][0].source}）",
                                    got=difference(a.total, planned), severity=WARNING,
                                    hint="年中追加的资金请另行公告分配结果，并发布计划调整公告")


def year_items(year: int, plans: dict, adjustments: list) -> dict[str, Decimal]:
    """Project name -> 衔接资金 after the year's adjustments (lines standing for several projects included)."""
    items = {i.name: i.amount for i in plans[year][1].items} if year in plans else {}
    for _, d in adjustments:
        if d.year != year:
            continue
        for c in d.changes:
            items[c.name] = items.get(c.name, ZERO) + c.amount
    return items
