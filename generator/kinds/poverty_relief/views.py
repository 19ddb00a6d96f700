"""乡村振兴 on pages: a project's notice elements, plans, allocations, progress; and for each year the project
list with status and a funds summary that reconciles the plan, the allocations and the project notices."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ...datasets import money
from . import model as p
from ...datasets.grid import COUNT, MONEY, SIGNED, TEXT, Chart, Column, Grid, Link, Row
from ...export import charts, downloads
from ...dataviews import DATA_DIR, DataPage, Download, RecordData, Section, add_tables, file_name

ZERO = Decimal("0")
HEADINGS = {p.Project: "项目公示要素", p.Allocation: "资金分配结果", p.Progress: "项目实施进度"}


class Mission:
    def __init__(self, index):
        self.index = index
        self.years: dict[tuple[str, int], dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for kind in (p.Project, p.Plan, p.Allocation, p.Progress):
            for record, d in index.of(kind):
                self.years[(record.category.id, d.year)][kind.__name__].append((record, d))

    def year_path(self, category: str, year: int) -> str:
        return f"{category}/{DATA_DIR}/projects-{year}.md"

    def record(self, record, data: RecordData) -> None:
        for d in record.datasets:
            if not isinstance(d, (p.Project, p.Plan, p.Allocation, p.Progress)):
                continue
            grids = d.grids()
            add_tables(data, record, grids)
            data.json[d.kind_name] = d.to_json()
            heading = HEADINGS.get(type(d)) or ("项目计划" if d.kind == "计划" else "项目计划调整")
            data.sections.append(Section("grids.md.j2", heading, grids))
            data.links.append((f"{d.year}年度项目清单和资金核对", self.year_path(record.category.id, d.year)))

    def category_links(self, category_id: str) -> list[tuple[str, str]]:
        if any(c == category_id for c, _ in self.years):
            return [("历年项目清单、项目进度和资金核对", f"{category_id}/{DATA_DIR}/index.md")]
        return []

    def pages(self) -> list[DataPage]:
        pages, summaries = [], defaultdict(list)
        for (category, year), kinds in sorted(self.years.items()):
            page, summary = self.year_page(category, year, kinds)
            pages.append(page)
            summaries[category].append(summary)
        for category, rows in summaries.items():
            columns = (Column("year", "年度", TEXT), Column("count", "计划项目个数", COUNT, "个"),
                       Column("planned", "计划衔接资金（调整后）", MONEY, "万元"), Column("allocated", "已公告分配资金", MONEY, "万元"),
                       Column("published", "已公示项目", COUNT, "个"))
            grid = Grid("years", "历年衔接资金项目", columns, tuple(Row(r) for r in reversed(rows)), unit="万元", header_column=0)
            path = f"{category}/{DATA_DIR}/index.md"
            pages.append(DataPage(path, "data/overview.md.j2", "乡村振兴项目和资金",
                                  {"category_id": category, "grids": [grid], "charts": [], "downloads": [],
                                   "lead": "各年度衔接资金项目计划、资金分配和项目公示的汇总。点击年度查看当年项目清单、项目状态和资金核对。"}))
        return pages

    def year_page(self, category: str, year: int, kinds: dict) -> tuple[DataPage, tuple]:
        path = self.year_path(category, year)
        base = path[:-3] + "/"
        plans = sorted(kinds.get("Plan", []), key=lambda rd: rd[0].published_on)
        plan = next(((r, d) for r, d in plans if d.kind == "计划"), None)
        adjustments = [(r, d) for r, d in plans if d.kind == "调整"]
        projects = sorted(kinds.get("Project", []), key=lambda rd: rd[0].published_on)
        progress = sorted(kinds.get("Progress", []), key=lambda rd: rd[0].published_on)
        allocations = sorted(kinds.get("Allocation", []), key=lambda rd: rd[0].published_on)

        # The project list: the plan's lines, adjusted, with each project's latest published status.
        entries: dict[str, dict] = {}
        if plan:
            for item in plan[1].items:
                entries[item.name] = {"name": item.name, "type": item.type, "where": item.location, "planned": item.amount,
                                      "count": item.count, "status": "已列入计划" if item.count == 1 else "另行分乡镇公示",
                                      "source": plan[0], "notice": None, "notice_amount": None}
        for r, d in adjustments:
            for c in d.changes:
                entry = entries.get(c.name)
                if entry is None:
                    entry = entries[c.name] = {"name": c.name, "type": "—", "where": "—", "planned": None, "count": 1,
                                               "status": "已列入计划", "source": r, "notice": None, "notice_amount": None,
                                               "added": c.change != "新增"}
                entry["planned"] = (entry["planned"] or ZERO) + c.amount if not entry.get("added") else None
                entry["change"] = f"{c.change} {money.signed(c.amount)}"
                if c.change == "取消":
                    entry["status"], entry["source"] = "已取消", r
        events = [(r.published_on, r, item.name, item.status, item.type) for r, d in progress for item in d.items]
        events += [(r.published_on, r, d.name, d.status, d.type) for r, d in projects]
        for day, r, name, status, kind in sorted(events, key=lambda e: e[0]):
            entry = entries.setdefault(name, {"name": name, "type": kind, "where": "—", "planned": None, "count": 1,
                                              "status": status, "source": r, "notice": None, "notice_amount": None})
            entry["status"], entry["source"] = status, r
        for r, d in projects:
            entry = entries[d.name]
            entry["notice"], entry["notice_amount"] = r, d.fiscal_amount
            entry["type"] = d.type if entry["type"] == "—" else entry["type"]
            entry["where"] = d.location if entry["where"] == "—" else entry["where"]

        columns = (Column("name", "项目名称", TEXT), Column("type", "类型", TEXT), Column("where", "实施地点", TEXT),
                   Column("planned", "计划衔接资金", MONEY, "万元"), Column("notice_amount", "项目公示衔接资金", MONEY, "万元"),
                   Column("status", "状态", TEXT), Column("source", "状态依据", TEXT))
        rows = []
        for e in entries.values():
            name = Link(e["name"], e["notice"].page_path + ".md") if e["notice"] else e["name"]
            status = e["status"] + (f"（{e['change']}）" if e.get("change") else "")
            rows.append(Row((name, e["type"], e["where"], e["planned"], e["notice_amount"], status,
                             Link(f"{_kind_of(e['source'])} {e['source'].published_on.isoformat()}",
                                  e["source"].page_path + ".md"))))
        count = plans[-1][1].count if plans else None
        planned = plans[-1][1].amount if plans else None
        if rows:
            # Without a plan the list is the projects published so far: the total row adds up what they show.
            listed = list(entries.values())
            planned_total = planned if plans else _total(e["planned"] for e in listed)
            projects_count = count or sum(e["count"] for e in listed)
            rows.append(Row((f"合计（{projects_count}个项目）", None, None, planned_total,
                             _total(e["notice_amount"] for e in listed), None, None), total=True))
        project_grid = Grid("projects", f"{year}年度项目清单", columns, tuple(rows), unit="万元", header_column=0,
                            note="状态取自最近一次公开的项目公示、实施进度或计划调整；合并列出的项目由乡镇另行公示。")

        # Funds: the plan (after adjustments), what was allocated by source and township, what project notices show.
        allocated_by_source: dict[str, Decimal] = defaultdict(lambda: ZERO)
        allocated_by_town: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for _, a in allocations:
            for s, v in a.by_source().items():
                allocated_by_source[s] += v
            for town, amounts in a.rows:
                allocated_by_town[town] += sum(amounts, ZERO)
        noticed_by_source: dict[str, Decimal] = defaultdict(lambda: ZERO)
        noticed_by_town: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for _, d in projects:
            for f in d.funds:
                if f.source in p.fiscal_sources():
                    noticed_by_source[f.source] += f.amount
                    noticed_by_town[d.township or "县级统筹"] += f.amount
        allocated = sum(allocated_by_source.values(), ZERO)
        noticed = sum(noticed_by_source.values(), ZERO)
        planned_of_noticed = sum((entries[d.name]["planned"] or ZERO for _, d in projects), ZERO)
        check_rows = [Row(("年度项目计划衔接资金" + ("（调整后）" if adjustments else ""), planned, None,
                           f"{len(plans)} 份计划及调整公告" if plans else "本年度尚未公告项目计划"))]
        if allocations:
            batches = "、".join(a.batch for _, a in allocations)
            check_rows.append(Row(("已公告分配的衔接资金", allocated, None if planned is None else allocated - planned,
                                   f"分配结果公告：{batches}；差额为分配数减计划数")))
        if projects and plans:
            check_rows.append(Row((f"已公示项目的衔接资金（{len(projects)}个项目）", noticed, noticed - planned_of_noticed,
                                   f"这些项目在计划中的金额合计 {money.money(planned_of_noticed)} 万元；差额为公示数减计划数")))
        elif projects:   # nothing to reconcile against: a difference from an absent plan would read as an excess
            check_rows.append(Row((f"已公示项目的衔接资金（{len(projects)}个项目）", noticed, None,
                                   "本年度尚未公告项目计划，暂无可核对的计划数")))
        check = Grid("funds_check", "资金核对", (Column("item", "项目", TEXT), Column("amount", "金额", MONEY, "万元"),
                                              Column("difference", "差额", SIGNED, "万元"), Column("note", "说明", TEXT)),
                     tuple(check_rows), unit="万元", header_column=0)
        grids = [check]
        # A year without an allocation notice shows a dash, not a zero: nothing was announced.
        def alloc(value):
            return value if allocations else None

        sources = [s for s in p.fiscal_sources() if allocated_by_source.get(s) or noticed_by_source.get(s)]
        if sources:
            grids.append(Grid("funds_by_source", "按资金来源", (Column("source", "资金来源", TEXT),
                              Column("allocated", "已公告分配", MONEY, "万元"), Column("noticed", "已公示项目", MONEY, "万元")),
                              tuple(Row((p.source_label(s), alloc(allocated_by_source.get(s, ZERO)), noticed_by_source.get(s, ZERO)))
                                    for s in sources)
                              + (Row(("合计", alloc(allocated), noticed), total=True),), unit="万元", header_column=0))
        towns = list(dict.fromkeys(list(allocated_by_town) + list(noticed_by_town)))
        if towns:
            grids.append(Grid("funds_by_township", "按乡镇", (Column("township", "乡镇", TEXT),
                              Column("allocated", "已公告分配", MONEY, "万元"), Column("noticed", "已公示项目", MONEY, "万元")),
                              tuple(Row((t, alloc(allocated_by_town.get(t, ZERO)), noticed_by_town.get(t, ZERO))) for t in towns)
                              + (Row(("合计", alloc(allocated), noticed), total=True),), unit="万元", header_column=0))
        grids.append(project_grid)

        files, downloads_, chart_refs = {}, [], []
        if allocations:
            town_rows = [(t, [sum((amounts[a.sources.index(s)] for _, a in allocations for town, amounts in a.rows
                                   if town == t and s in a.sources), ZERO) for s in p.fiscal_sources()])
                         for t in allocated_by_town]
            desc = "；".join(f"{t}{money.money(allocated_by_town[t])}万元" for t in allocated_by_town)
            title = f"{year}年衔接资金分乡镇分配"
            svg, w, h = charts.stacked_bars(title, "万元", town_rows, [p.source_label(s) for s in p.fiscal_sources()], desc)
            chart = Chart("allocation.svg", title, f"{title}（按中央、省级、市级、县级资金来源）：{desc}。", svg, w, h,
                          "万元", "乡镇", tuple(p.source_label(s) for s in p.fiscal_sources()),
                          tuple((t, tuple(v)) for t, v in town_rows))
            files[base + chart.file] = chart.svg
            chart_refs.append((base + chart.file, chart))
        for g in grids:
            files[base + g.id + ".csv"] = downloads.csv_text(g)
            downloads_.append(Download(g.title, "CSV", base + g.id + ".csv", file_name(f"{year}年衔接资金", g.title) + ".csv"))
        facts = []
        if plans:
            facts.append(("年度计划", f"{count} 个项目，衔接资金 {money.money(planned)} 万元"
                          + ("（已调整）" if adjustments else "")))
        if allocations:
            facts.append(("已公告分配", f"{money.money(allocated)} 万元"))
        facts.append(("已公示项目", f"{len(projects)} 个"))
        page = DataPage(path, "kinds/poverty_relief/year.md.j2", f"{year}年度衔接资金项目清单和资金核对",
                        {"category_id": category, "year": year, "facts": facts, "grids": grids, "charts": chart_refs,
                         "downloads": downloads_,
                         "sources": [r for r, _ in plans + allocations + progress + projects]}, files)
        summary = (Link(f"{year}年", path), count, planned, allocated if allocations else None, len(projects))
        return page, summary


def _total(values) -> Decimal | None:
    """The sum of the amounts shown; None (a dash) when the column shows none at all."""
    shown = [v for v in values if v is not None]
    return sum(shown, ZERO) if shown else None


def _kind_of(record) -> str:
    """What kind of notice a status comes from, for the 状态依据 column."""
    for d in record.datasets:
        if isinstance(d, p.Project):
            return "项目公示"
        if isinstance(d, p.Progress):
            return "实施进度"
        if isinstance(d, p.Plan):
            return "项目计划" if d.kind == "计划" else "计划调整"
    return "信息"
