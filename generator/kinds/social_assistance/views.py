"""社会救助 on pages: 保障标准, statistics with the trend across periods, and 公示名单 by 公示期 status.

A 公示 list is on the page (and in the CSV and JSON) only during its 公示期, or for good when its 公示类型 is
长期公布; afterwards the page shows totals by 村/社区 and says the list is no longer published online.
"""
from __future__ import annotations

from collections import defaultdict

from . import model as a
from ...datasets import money
from ...datasets.grid import COUNT, MONEY, NUMBER, TEXT, Chart, Column, Grid, Link, Row
from ...export import charts, downloads
from ...dataviews import DATA_DIR, DataPage, Download, RecordData, Section, add_tables, file_name
from ...datasets.clock import today

TREND = (("城市低保", "persons"), ("农村低保", "persons"), ("特困供养", "persons"))


class Mission:
    def __init__(self, index):
        self.index = index
        self.today = today()
        self.categories = sorted({r.category.id for kind in (a.Standards, a.Statistics, a.NoticeList)
                                  for r, _ in index.of(kind)})

    def _data_page(self, record) -> str:
        return f"{record.category.id}/{DATA_DIR}/index.md"

    def record(self, record, data: RecordData) -> None:
        for d in record.datasets:
            if isinstance(d, a.Statistics):
                grids = d.grids()
                add_tables(data, record, grids)
                data.json["statistics"] = d.to_json()
                data.sections.append(Section("grids.md.j2", "救助对象和资金支出", grids))
                data.links.append(("社会救助数据：保障标准变化和救助人数趋势", self._data_page(record)))
            elif isinstance(d, a.Standards):
                grids = d.grids()
                add_tables(data, record, grids)
                data.json["allowance_standards"] = d.to_json()
                data.sections.append(Section("grids.md.j2", "保障标准", grids))
            elif isinstance(d, a.NoticeList):
                shown = d.shows_list(self.today)
                grids = (d.list_grid(), d.summary_grid()) if shown else (d.summary_grid(),)
                add_tables(data, record, grids)
                data.json["notice_list"] = d.to_json(with_list=shown)
                data.sections.append(Section("kinds/social_assistance/notice.md.j2", "公示名单", grids,
                                             extra={"notice": d, "status": d.status(self.today), "shown": shown}))

    def pages(self) -> list[DataPage]:
        return [self._index_page(c) for c in self.categories]

    def category_links(self, category_id: str) -> list[tuple[str, str]]:
        if category_id in self.categories:
            return [("社会救助数据：保障标准变化、救助人数趋势和公示名单", f"{category_id}/{DATA_DIR}/index.md")]
        return []

    def _index_page(self, category: str) -> DataPage:
        path = f"{category}/{DATA_DIR}/index.md"
        base = path[:-len("index.md")]
        files, downloads_, grids, chart_refs = {}, [], [], []

        # 保障标准: one row per 执行日期, one column per item.
        standards: dict = defaultdict(dict)
        sources: dict = {}
        for record, d in self.index.of(a.Standards):
            if record.category.id != category:
                continue
            for s in d.items:
                standards[s.effective_from][s.item] = s
                sources.setdefault(s.effective_from, record)
        items = [i for i in a.spec()["standard_items"] if any(i in v for v in standards.values())]
        if standards:
            columns = (Column("effective_from", "执行日期", TEXT),) + tuple(
                Column(i, f"{i}（{next(v[i].unit for v in standards.values() if i in v)}）", NUMBER, "元") for i in items)
            rows = tuple(Row((Link(day.isoformat(), sources[day].page_path + ".md"),)
                             + tuple(standards[day][i].amount if i in standards[day] else None for i in items))
                         for day in sorted(standards, reverse=True))
            grids.append(Grid("standards_history", "保障标准历年变化", columns, rows, header_column=0,
                              note="单位：元；“—”表示该次调整未涉及此项。点击执行日期查看公布标准的信息。"))

        # Statistics across periods: persons by programme, in a chart and in a table (the chart's text alternative).
        series = sorted(((r, d) for r, d in self.index.of(a.Statistics) if r.category.id == category),
                        key=lambda p: (p[1].period.last, p[1].period.first))
        if series:
            labels = [d.period.label.replace("年第", "年").replace("季度", "季") for _, d in series]
            lines = [(name, [getattr(d.row(name), field) if d.row(name) else None for _, d in series])
                     for name, field in TREND]
            desc = "；".join(f"{d.period.label}" + "，".join(f"{name}{money.count(getattr(d.row(name), f))}人"
                                                            for name, f in TREND if d.row(name)) for _, d in series)
            svg, w, h = charts.lines("城乡低保和特困供养对象人数", "人", labels, lines, desc)
            chart = Chart("assistance-trend.svg", "城乡低保和特困供养对象人数",
                          f"城乡低保和特困供养对象人数变化：{desc}。", svg, w, h, "人", "期间",
                          tuple(name for name, _ in lines),
                          tuple((label, tuple(v[i] for _, v in lines)) for i, label in enumerate(labels)))
            files[base + chart.file] = chart.svg
            chart_refs.append((base + chart.file, chart))
            columns = (Column("period", "期间", TEXT),) + tuple(Column(n, f"{n}人数", COUNT, "人") for n, _ in TREND) + (
                Column("temporary", "临时救助人次", COUNT, "人次"), Column("medical", "医疗救助人次", COUNT, "人次"),
                Column("spending", "资金支出合计", MONEY, "万元"))
            rows = []
            for r, d in reversed(series):
                temp, med = d.row("临时救助"), d.row("医疗救助")
                total = d.total.spending if d.total else None
                rows.append(Row((Link(d.period.label, r.page_path + ".md"),) + tuple(
                    getattr(d.row(n), f) if d.row(n) else None for n, f in TREND)
                    + (temp.times if temp else None, med.times if med else None, total)))
            grids.append(Grid("statistics_history", "各期救助对象人数和资金支出", columns, tuple(rows), header_column=0,
                              note="资金支出为该期（月或季度）的支出；月度和季度数据不宜直接相加。"))

        # 公示名单: every list with its 公示期 and status; only totals, never names, on this page.
        notices = sorted(((r, d) for r, d in self.index.of(a.NoticeList) if r.category.id == category),
                         key=lambda p: p[1].period.start, reverse=True)
        if notices:
            columns = (Column("title", "公示", TEXT), Column("kind", "类型", TEXT), Column("period", "公示期", TEXT),
                       Column("status", "状态", TEXT), Column("households", "户数", COUNT, "户"),
                       Column("persons", "人数", COUNT, "人"), Column("amount", "月保障金额合计", NUMBER, "元"))
            rows = tuple(Row((Link(r.title, r.page_path + ".md"), d.notice_kind,
                              f"{d.period.start.isoformat()} 至 {d.period.end.isoformat()}",
                              "长期公布" if d.long_term and d.status(self.today) == a.NOTICE_OVER else d.status(self.today),
                              d.households, d.persons, d.monthly_amount)) for r, d in notices)
            grids.append(Grid("notices", "公示名单一览", columns, rows, header_column=0))

        for g in grids:
            files[base + g.id + ".csv"] = downloads.csv_text(g)
            downloads_.append(Download(g.title, "CSV", base + g.id + ".csv", file_name("社会救助数据", g.title) + ".csv"))
        return DataPage(path, "data/overview.md.j2", "社会救助数据",
                        {"category_id": category, "lead": "全县城乡低保、特困供养等保障标准的历次调整，各期救助对象人数和资金支出，以及各乡镇公示名单的公示期和汇总数。",
                         "grids": grids, "charts": chart_refs, "downloads": downloads_}, files)
