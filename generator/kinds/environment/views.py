"""生态环境 on pages: AQI calendars coloured by level (with the level in words), forecasts, drinking water,
重点排污单位 one card per unit, and one timeline per EIA project; year calendars and an overview under data/."""
from __future__ import annotations

from collections import defaultdict

from . import model as e
from . import hj633
from ...datasets import money
from ...datasets.grid import Chart
from ...export import charts, downloads
from ...dataviews import DATA_DIR, DataPage, Download, RecordData, Section, add_chart, add_tables, file_name

MONTHS = "一二三四五六七八九十"
LEVELS_CSS = "stylesheets/gk-levels.css"   # written by every render, listed in extra_css (site.py)


def levels_stylesheet() -> str:
    """The colours of the AQI levels as classes (Level.css_class): pages carry no style attribute, which the
    Content-Security-Policy would refuse, and the colours stay in the standard's data file."""
    # !important, as the style attribute these classes replace: a level's colour wins over any table style.
    rules = [f".{level.css_class} {{ background: {level.colour} !important; color: {level.text_colour} !important; }}"
             for level in hj633.standard().levels]
    return "/* Generated from generator/data/" + hj633.STANDARD + ".yml: the AQI level colours. */\n" + "\n".join(rules) + "\n"


def calendar_chart(m: e.AirQualityMonth) -> Chart:
    days = {d.day.day: (str(d.aqi), d.level.category, d.level.colour, d.level.text_colour) for d in m.days}
    desc = "；".join(f"{d.day.day}日 AQI {d.aqi} {d.level.category}" for d in m.days)
    title = f"{m.label}空气质量日历"
    svg, w, h = charts.calendar_month(title, m.year, m.month, days, desc)
    return Chart("aqi-calendar.svg", title, f"{title}：{desc}。", svg, w, h)


def legend() -> list[tuple[str, hj633.Level]]:
    s = hj633.standard()
    out, low = [], 0
    for level in s.levels:
        out.append((f"{low}—{level.upper}" if level.upper is not None else f"{low} 以上", level))
        low = (level.upper or 0) + 1
    return out


class Mission:
    def __init__(self, index):
        self.index = index
        self.months = defaultdict(list)       # (category, year) -> [(record, month)]
        for r, m in index.of(e.AirQualityMonth):
            self.months[(r.category.id, m.year)].append((r, m))
        self.eia = defaultdict(dict)          # (category, project) -> {stage: (record, stage)}
        for r, d in index.of(e.EiaStage):
            self.eia[(r.category.id, d.project)].setdefault(d.stage, (r, d))
        self.categories = sorted({c for c, _ in self.months} | {c for c, _ in self.eia}
                                 | {r.category.id for kind in (e.WaterQuality, e.KeyPolluters) for r, _ in index.of(kind)})

    def record(self, record, data: RecordData) -> None:
        for d in record.datasets:
            if isinstance(d, e.AirQualityMonth):
                grids = d.grids()
                add_tables(data, record, grids)
                chart = add_chart(data, record, calendar_chart(d))
                data.json["air_quality"] = d.to_json()
                data.sections.append(Section("kinds/environment/aqi.md.j2", "空气质量日历", grids, (chart,),
                                             {"months": [d], "legend": legend(), "standard": hj633.standard().standard}))
                data.links.append((f"{d.year}年空气质量日历", f"{record.category.id}/{DATA_DIR}/aqi-{d.year}.md"))
            elif isinstance(d, e.Forecast):
                grids = d.grids()
                add_tables(data, record, grids)
                data.json["forecast"] = d.to_json()
                data.sections.append(Section("grids.md.j2", "空气质量预报", grids))
            elif isinstance(d, e.WaterQuality):
                grids = d.grids()
                add_tables(data, record, grids)
                data.json["water_quality"] = d.to_json()
                data.sections.append(Section("grids.md.j2", "饮用水水质", grids))
            elif isinstance(d, e.KeyPolluters):
                grids = d.grids()
                add_tables(data, record, grids)
                data.json["key_polluters"] = d.to_json()
                # The page shows a card per unit from `extra`; the grids are what paper prints (export/board.py).
                data.sections.append(Section("kinds/environment/polluters.md.j2", f"{d.year}年度重点排污单位", grids,
                                             extra={"polluters": d}))
            elif isinstance(d, e.EiaStage):
                data.json["eia"] = d.to_json()
                data.sections.append(Section("kinds/environment/eia.md.j2", "环评审批进程", extra={
                    "timelines": [self.timeline(record.category.id, d.project)], "current": record}))
                data.links.append(("建设项目环评审批进程一览", f"{record.category.id}/{DATA_DIR}/eia.md"))

    def timeline(self, category: str, project: str) -> dict:
        stages = self.eia[(category, project)]
        first = next(iter(stages.values()))[1]
        steps = []
        for rule in e.spec()["eia_stages"]:
            found = stages.get(rule["name"])
            steps.append({"label": rule["label"], "record": found[0] if found else None,
                          "date": found[1].on if found else None,
                          "notice": found[0].notice_period if found else None})
        return {"project": project, "builder": first.builder, "location": first.location, "document": first.document,
                "steps": steps, "done": "批复" in stages}

    def category_links(self, category_id: str) -> list[tuple[str, str]]:
        if category_id in self.categories:
            return [("环境数据：空气质量日历、饮用水水质、重点排污单位和环评审批进程", f"{category_id}/{DATA_DIR}/index.md")]
        return []

    def pages(self) -> list:
        pages = []
        for (category, year), items in sorted(self.months.items()):
            path = f"{category}/{DATA_DIR}/aqi-{year}.md"
            months = [m for _, m in sorted(items, key=lambda rm: rm[1].month)]
            files, downloads_ = {}, []
            for m in months:
                chart = calendar_chart(m)
                name = f"aqi-{m.year}-{m.month:02d}.svg"
                files[f"{path[:-3]}/{name}"] = chart.svg
                downloads_.append(Download(chart.title, "SVG", f"{path[:-3]}/{name}", file_name(chart.title) + ".svg"))
            sources = {m.month: r for r, m in items}
            pages.append(DataPage(path, "kinds/environment/aqi_year.md.j2", f"{year}年空气质量日历",
                                  {"category_id": category, "year": year, "months": months, "sources": sources,
                                   "legend": legend(), "standard": hj633.standard().standard, "downloads": downloads_}, files))
        for category in self.categories:
            timelines = [self.timeline(c, p) for (c, p) in self.eia if c == category]
            timelines.sort(key=lambda t: min(s["date"] for s in t["steps"] if s["date"]), reverse=True)
            if timelines:
                pages.append(DataPage(f"{category}/{DATA_DIR}/eia.md", "kinds/environment/eia_index.md.j2", "建设项目环评审批进程",
                                      {"category_id": category, "timelines": timelines}))
            years = sorted({y for c, y in self.months if c == category}, reverse=True)
            year_rows = []
            for y in years:
                ms = [m for _, m in self.months[(category, y)]]
                days = sum(len(m.days) for m in ms)
                good = sum(m.good_days for m in ms)
                year_rows.append({"year": y, "months": sorted(m.month for m in ms), "days": days, "good": good,
                                  "rate": money.percent(good, days)})
            water = sorted(((r, d) for r, d in self.index.of(e.WaterQuality) if r.category.id == category),
                           key=lambda rd: rd[1].quarter, reverse=True)
            polluters = sorted(((r, d) for r, d in self.index.of(e.KeyPolluters) if r.category.id == category),
                               key=lambda rd: rd[1].year, reverse=True)
            pages.append(DataPage(f"{category}/{DATA_DIR}/index.md", "kinds/environment/index.md.j2", "环境数据",
                                  {"category_id": category, "years": year_rows, "water": water, "polluters": polluters,
                                   "timelines": timelines}))
        return pages
