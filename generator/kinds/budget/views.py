"""部门预算 / 决算 on pages: the standard tables, a composition chart, the “三公” trend, and the
budget-versus-actual page (预算执行情况) for every department and year with both a 预算 and a 决算."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from . import model as b
from ...datasets import money
from ...datasets.grid import CODE, MONEY, PERCENT, SIGNED, TEXT, Chart, Column, Grid, Link, Row
from ...export import charts, downloads
from ...dataviews import DATA_DIR, DataPage, Download, RecordData, Section, add_chart, add_tables, file_name

ZERO = Decimal("0")


class Mission:
    def __init__(self, index):
        self.index = index
        # (category id, publisher id, year) -> {预算: (record, report), 决算: (record, report)}
        self.pairs: dict[tuple, dict] = defaultdict(dict)
        self.by_publisher: dict[str, list] = defaultdict(list)
        for record, report in index.of(b.BudgetReport):
            self.pairs[(record.category.id, record.publisher.id, report.year)].setdefault(report.kind, (record, report))
            self.by_publisher[record.publisher.id].append((record, report))

    # ---- record pages ----
    def record(self, record, data: RecordData) -> None:
        for report in record.datasets:
            if not isinstance(report, b.BudgetReport):
                continue
            grids = report.grids()
            add_tables(data, record, grids)
            data.json[report.kind_name] = report.to_json()
            chart_refs = []
            composition = _composition(report)
            if composition:
                chart_refs.append(add_chart(data, record, composition))
            trend = self.three_public_expenses_trend(record.publisher, record.publisher.name)
            if trend:
                chart_refs.append(add_chart(data, record, trend))
            pair = self.pairs.get((record.category.id, record.publisher.id, report.year), {})
            if len(pair) == 2:
                data.links.append((f"{report.year}年预算执行情况（预算与决算对比）", _execution_path(record.category.id,
                                   record.publisher.id, report.year)))
            # The record page keeps 收支总表 and “三公”经费 (the most read); all tables are on the page beside it,
            # so a budget record stays a light page on a phone (a department's nine tables weigh about 25 KB).
            main = tuple(g for g in grids if g.id in ("summary", "three_public_expenses"))
            data.sections.append(Section("kinds/budget/budget.md.j2", f"{report.document}公开表", main, tuple(chart_refs),
                                         {"report": report, "tables_page": tables_path(record),
                                          "all": tuple((g.number, g.title, g.id) for g in grids)}))

    def three_public_expenses_trend(self, publisher, name: str) -> Chart | None:
        years: dict[int, dict[str, Decimal]] = defaultdict(dict)
        for _, report in self.by_publisher.get(publisher.id, []):
            if report.three_public_expenses is not None:
                years[report.year][report.kind] = b.ThreePublic.item(report.three_public_expenses.current, "total")
        if len(years) < 2:
            return None
        ordered = sorted(years.items())
        groups = [(f"{y}年", [v.get(b.BUDGET), v.get(b.FINAL)]) for y, v in ordered]
        desc = "；".join(f"{y}年" + "，".join(f"{k}{money.money(v[k])}万元" for k in (b.BUDGET, b.FINAL) if k in v)
                        for y, v in ordered)
        title = f"{name}“三公”经费"
        svg, w, h = charts.grouped_columns(title, "万元", groups, ["预算数", "决算数"], desc)
        return Chart("three-public-trend.svg", f"“三公”经费历年预算数和决算数", f"{title}历年预算数和决算数：{desc}。", svg, w, h,
                     "万元", "年度", ("预算数", "决算数"), tuple((label, tuple(v)) for label, v in groups))

    # ---- data pages ----
    def pages(self) -> list[DataPage]:
        pages = []
        for record, report in self.index.of(b.BudgetReport):
            title = f"{record.title}：公开表格"
            pages.append(DataPage(tables_path(record), "kinds/budget/tables.md.j2", title,
                                  {"r": record, "report": report, "grids": report.grids()}))
        by_category = defaultdict(list)
        for (category, org, year), pair in self.pairs.items():
            by_category[category].append((org, year, pair))
        for category, entries in by_category.items():
            rows = []
            for org, year, pair in sorted(entries, key=lambda e: (-e[1], e[0])):
                any_record = next(iter(pair.values()))[0]
                execution = _execution_path(category, org, year) if len(pair) == 2 else None
                if execution:
                    pages.append(self.execution_page(category, pair, execution))
                rows.append({"year": year, "publisher": any_record.publisher, "budget": pair.get(b.BUDGET),
                             "final": pair.get(b.FINAL), "execution": execution,
                             "three_budget": _three_total(pair.get(b.BUDGET)),
                             "three_final": _three_total(pair.get(b.FINAL))})
            pages.append(DataPage(f"{category}/{DATA_DIR}/index.md", "kinds/budget/index.md.j2", "部门预决算数据",
                                  {"rows": rows, "category_id": category}))
        return pages

    def category_links(self, category_id: str) -> list[tuple[str, str]]:
        if any(c == category_id for c, _, _ in self.pairs):
            return [("部门预决算数据和预算执行情况（预算与决算对比）", f"{category_id}/{DATA_DIR}/index.md")]
        return []

    def execution_page(self, category: str, pair: dict, path: str) -> DataPage:
        (brec, budget), (frec, final) = pair[b.BUDGET], pair[b.FINAL]
        org = brec.publisher
        title = f"{org.name}{budget.year}年预算执行情况"
        base = path[:-3]
        grids = [g for g in (_totals_grid(budget, final), _functional_grid(budget, final), _economic_grid(budget, final),
                             _three_public_expenses_grid(budget, final)) if g is not None]
        files, downloads_ = {}, []
        for g in grids:
            files[f"{base}/{g.id}.csv"] = downloads.csv_text(g)
            downloads_.append(Download(g.title, "CSV", f"{base}/{g.id}.csv", file_name(title, g.title) + ".csv"))
        chart_refs = []
        chart = _execution_chart(title, budget, final)
        if chart:
            files[f"{base}/{chart.file}"] = chart.svg
            chart_refs.append((f"{base}/{chart.file}", chart))
        trend = self.three_public_expenses_trend(org, org.name)
        if trend:
            files[f"{base}/{trend.file}"] = trend.svg
            chart_refs.append((f"{base}/{trend.file}", trend))
        return DataPage(path, "kinds/budget/execution.md.j2", title,
                        {"budget_record": brec, "final_record": frec, "budget": budget, "final": final, "org": org,
                         "grids": grids, "charts": chart_refs, "downloads": downloads_, "category_id": category},
                        files)


def tables_path(record) -> str:
    """The page of all standard tables, beside the record page: <record>/tables/."""
    return f"{record.page_path}/tables.md"


def _execution_path(category: str, org: str, year: int) -> str:
    return f"{category}/{DATA_DIR}/execution-{org}-{year}.md"


def _three_total(pair) -> Decimal | None:
    if not pair or pair[1].three_public_expenses is None:
        return None
    return b.ThreePublic.item(pair[1].three_public_expenses.current, "total")


def _composition(report: b.BudgetReport) -> Chart | None:
    table = report.spending
    if table is None or table.empty:
        return None
    classes = table.classes()
    whole = table.total["total"]
    rows = [(r.name, [r.values["basic"], r.values["project"]]) for r in classes]
    desc = "；".join(f"{r.name}{money.money(r.values['total'])}万元（占{money.percent_text(money.percent(r.values['total'], whole))}，"
                    f"基本支出{money.money(r.values['basic'])}万元，项目支出{money.money(r.values['project'])}万元）"
                    for r in classes)
    title = f"{table.title}构成（按功能分类）"
    svg, w, h = charts.stacked_bars(title, "万元", rows, ["基本支出", "项目支出"], desc)
    return Chart("composition.svg", title, f"{title}，合计{money.money(whole)}万元：{desc}。", svg, w, h,
                 "万元", "科目", ("基本支出", "项目支出"), tuple((label, tuple(v)) for label, v in rows))


def _rate_columns(first: str) -> tuple[Column, ...]:
    return (Column("budget", "预算数", MONEY, "万元"), Column("final", "决算数", MONEY, "万元"),
            Column("difference", "差额", SIGNED, "万元"), Column("rate", "执行率", PERCENT, "%"))


def _rate_row(cells: tuple, before: Decimal, after: Decimal, level: int = 0, total: bool = False) -> Row:
    return Row(cells + (before, after, after - before, money.percent(after, before)), level=level, total=total)


def _totals_grid(budget: b.BudgetReport, final: b.BudgetReport) -> Grid | None:
    s1, s2 = budget.tables.get("summary"), final.tables.get("summary")
    if s1 is None or s2 is None:
        return None
    rows = [_rate_row(("本年收入合计",), s1.income_total, s2.income_total),
            _rate_row(("本年支出合计",), s1.expenditure_total, s2.expenditure_total)]
    g1, g2 = budget.tables.get("general_expenditure"), final.tables.get("general_expenditure")
    if g1 is not None and g2 is not None and not (g1.empty and g2.empty):
        for key, label in (("basic", "其中：基本支出"), ("project", "项目支出")):
            rows.append(_rate_row((label,), g1.total.get(key, ZERO), g2.total.get(key, ZERO), level=1))
    return Grid("totals", "收支总体执行情况", (Column("item", "项目", TEXT),) + _rate_columns("项目"), tuple(rows),
                unit="万元", header_column=0)


def _classified_grid(budget: b.BudgetReport, final: b.BudgetReport, table: str, value: str, scheme: str,
                     grid_id: str, title: str) -> Grid | None:
    """Budget against final accounts, row by classification code, for one of the two classified tables."""
    t1, t2 = budget.tables.get(table), final.tables.get(table)
    if t1 is None or t2 is None:
        return None
    names = {r.code: r.name for r in t1.rows} | {r.code: r.name for r in t2.rows}
    rows = []
    for code in sorted(names):
        r1, r2 = t1.row(code), t2.row(code)
        rows.append(_rate_row((code, names[code]), r1.values[value] if r1 else ZERO, r2.values[value] if r2 else ZERO,
                              level=b.code_level(code, scheme)))
    rows.append(_rate_row(("", "合计"), t1.total.get(value, ZERO), t2.total.get(value, ZERO), total=True))
    return Grid(grid_id, title,
                (Column("code", "科目编码", CODE), Column("name", "科目名称", TEXT)) + _rate_columns("科目"), tuple(rows),
                unit="万元", empty_note=b.spec()["empty_note"])


def _functional_grid(budget: b.BudgetReport, final: b.BudgetReport) -> Grid | None:
    return _classified_grid(budget, final, "general_expenditure", "total", "functional",
                            "general_expenditure_execution", "一般公共预算支出执行情况（按功能分类）")


def _economic_grid(budget: b.BudgetReport, final: b.BudgetReport) -> Grid | None:
    return _classified_grid(budget, final, "basic_expenditure", "amount", "economic",
                            "basic_expenditure_execution", "一般公共预算基本支出执行情况（按经济分类）")


def _three_public_expenses_grid(budget: b.BudgetReport, final: b.BudgetReport) -> Grid | None:
    t1, t2 = budget.three_public_expenses, final.three_public_expenses
    if t1 is None or t2 is None:
        return None
    rows = [_rate_row(("合计",), b.ThreePublic.item(t1.current, "total"), b.ThreePublic.item(t2.current, "total"), total=True)]
    for item in b.spec()["three_public_expenses_items"]:
        rows.append(_rate_row((item["label"],), b.ThreePublic.item(t1.current, item["key"]),
                              b.ThreePublic.item(t2.current, item["key"]), level=2 if item.get("part") else 1))
    return Grid("three_public_expenses_execution", "“三公”经费执行情况", (Column("item", "项目", TEXT),) + _rate_columns("项目"),
                tuple(rows), unit="万元", header_column=0)


def _execution_chart(title: str, budget: b.BudgetReport, final: b.BudgetReport) -> Chart | None:
    t1, t2 = budget.tables.get("general_expenditure"), final.tables.get("general_expenditure")
    if t1 is None or t2 is None or (t1.empty and t2.empty):
        return None
    names = {r.code: r.name for r in t1.classes()} | {r.code: r.name for r in t2.classes()}
    groups, parts = [], []
    for code in sorted(names):
        r1, r2 = t1.row(code), t2.row(code)
        v1, v2 = (r1.values["total"] if r1 else ZERO), (r2.values["total"] if r2 else ZERO)
        groups.append((names[code], [v1, v2]))
        parts.append(f"{names[code]}预算{money.money(v1)}万元、决算{money.money(v2)}万元"
                     f"（执行率{money.percent_text(money.percent(v2, v1))}）")
    chart_title = "一般公共预算支出：预算数与决算数（按功能分类类级科目）"
    desc = "；".join(parts)
    svg, w, h = charts.grouped_columns(chart_title, "万元", groups, ["预算数", "决算数"], desc)
    return Chart("execution.svg", chart_title, f"{title}，{chart_title}：{desc}。", svg, w, h,
                 "万元", "科目", ("预算数", "决算数"), tuple((label, tuple(v)) for label, v in groups))
