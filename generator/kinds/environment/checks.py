"""生态环境: AQI recomputed from concentrations (HJ 633-2012 data file) and checked against the stated AQI and
首要污染物; forecasts; drinking-water compliance and rates; 重点排污单位 limits, permits and discharge modes; and
the three EIA stages of a project (受理 with the full report, 拟批准 with its 公示期, 批复 with its 文号) in order.
"""
from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping

from . import model as e
from . import hj633
from ...datasets import money
from ...model import NoticePeriod
from ...problems import WARNING
from ...rules.dates import impossible_date_hint, parse_date
from ...rules.spot import Spot

POLLUTANT_FIELDS = ("so2", "no2", "pm10", "co", "o3_1h", "o3_8h", "pm25")


def read(data: Mapping, spot: Spot, raw, notice: NoticePeriod | None) -> list:
    out = []
    if "air_quality" in data:
        out.append(_air_quality(data["air_quality"], spot))
    if "forecast" in data:
        out.append(_forecast(data["forecast"], spot))
    if "water_quality" in data:
        out.append(_water(data["water_quality"], spot))
    if "key_polluters" in data:
        out.append(_polluters(data["key_polluters"], spot))
    if "eia" in data:
        out.append(_eia(data, spot, notice))
    return out


def _day(spot: Spot, path: tuple, field: str, text: str) -> date | None:
    value = parse_date(text)
    if value is None:
        spot.add(path, field, "日期不存在", got=text, hint=impossible_date_hint(text))
    return value


def _names(spot: Spot, path: tuple, field: str, names) -> tuple[str, ...] | None:
    s = hj633.standard()
    keys = []
    for name in names:
        key = s.pollutant_named(name)
        if key is None:
            spot.add(path, field, "未知的首要污染物", got=name,
                     expected="、".join(p.name for p in s.pollutants.values() if p.daily), hint="例如 PM2.5、PM10、O₃-8h、NO₂")
            return None
        keys.append(key)
    return tuple(keys)


def _air_quality(raw: Mapping, spot: Spot) -> e.AirQualityMonth | None:
    before = spot.errors()
    s = hj633.standard()
    year, month = (int(x) for x in raw["month"].split("-"))
    days, seen = [], {}
    for i, d in enumerate(raw["days"]):
        path = ("air_quality", "days", i)
        where = f"空气质量日报 第 {i + 1} 行（{d['date']}）"
        day = _day(spot, path + ("date",), where, d["date"])
        if day is None:
            continue
        if (day.year, day.month) != (year, month):
            spot.add(path + ("date",), where, "日期不在本月", expected=f"{raw['month']} 的日期", got=d["date"])
            continue
        if day in seen:
            spot.add(path + ("date",), where, "日期重复", hint=f"与第 {seen[day] + 1} 行重复")
            continue
        seen[day] = i
        concentrations = {k: Decimal(d[k]) for k in POLLUTANT_FIELDS if k in d}
        if not concentrations:
            spot.add(path, where, "没有污染物浓度，无法计算 AQI", hint="至少写一项浓度，例如 pm25: 34")
            continue
        try:
            aqi, primary, iaqis = s.daily(concentrations)
        except hj633.AboveScale as exc:
            p = s.pollutants[exc.args[0]]
            spot.add(path + (p.key,), f"{where}{p.name}", f"浓度超出 {s.standard} 分指数表的上限",
                     expected=f"不超过 {p.breakpoints[-1]} {p.unit}" + (f"，或同时写 {p.instead}" if p.instead else ""),
                     got=str(concentrations[p.key]), hint="请核对浓度和单位（CO 为毫克/立方米，其余为微克/立方米）")
            continue
        workings = "，".join(f"{s.pollutants[k].name} {v}" for k, v in iaqis.items())
        if "aqi" in d and d["aqi"] != aqi:
            spot.add(path + ("aqi",), f"{where}AQI", "AQI 与浓度按 HJ 633-2012 计算的结果不一致",
                     expected=f"{aqi}（各污染物分指数：{workings}）", got=f"{d['aqi']}，相差 {d['aqi'] - aqi:+}",
                     hint="请核对这一天的浓度和 AQI；分指数按 HJ 633-2012 的分段线性公式计算并向上取整")
        stated = _names(spot, path + ("primary_pollutant",), f"{where}首要污染物", d.get("primary_pollutant", ()))
        if stated is not None and set(stated) != set(primary):
            want = "、".join(s.pollutants[k].name for k in primary) if primary else f"无（AQI 不大于 {s.primary_above} 时不确定首要污染物）"
            spot.add(path + ("primary_pollutant",), f"{where}首要污染物", "首要污染物与计算结果不一致",
                     expected=f"{want}（各污染物分指数：{workings}）",
                     got="、".join(d.get("primary_pollutant", ())) or "（没有写）", hint="首要污染物是分指数最大的污染物，并列时都列出")
        days.append(e.AqiDay(day, concentrations, aqi, primary))
    if spot.errors() != before:
        return None
    return e.AirQualityMonth(year, month, raw.get("station", "").strip(), tuple(sorted(days, key=lambda d: d.day)))


def _forecast(raw: list, spot: Spot) -> e.Forecast | None:
    before = spot.errors()
    days = []
    for i, f in enumerate(raw):
        path = ("forecast", i)
        where = f"空气质量预报 第 {i + 1} 行（{f['date']}）"
        day = _day(spot, path + ("date",), where, f["date"])
        low, high = f["aqi"]
        if low > high:
            spot.add(path + ("aqi",), where, "AQI 范围的下限大于上限", got=f"[{low}, {high}]", hint="写成 [下限, 上限]")
        primary = _names(spot, path + ("primary_pollutant",), where, f.get("primary_pollutant", ()))
        if day and primary is not None:
            days.append(e.ForecastDay(day, low, high, primary))
    return e.Forecast(tuple(days)) if spot.errors() == before else None


def _water(raw: Mapping, spot: Spot) -> e.WaterQuality | None:
    before = spot.errors()
    v = e.spec()
    sources, supply = [], []
    for i, w in enumerate(raw.get("sources", ())):
        path = ("water_quality", "sources", i)
        where = f"饮用水水源 第 {i + 1} 行（{w['name']}）"
        for key, allowed, what in (("type", v["water_source_types"], "水源类型"), ("status", v["water_statuses"], "达标情况")):
            if w[key] not in allowed:
                spot.add(path + (key,), where, f"未知的{what}", expected="、".join(allowed), got=w[key])
        exceedances = tuple((x["indicator"].strip(), Decimal(x["times"])) for x in w.get("exceedances", ()))
        if w["status"] == "不达标" and not exceedances:
            spot.add(path + ("status",), where, "不达标的水源须列出超标指标及超标倍数",
                     hint="例如 exceedances: [{indicator: 总磷, times: 0.35}]")
        if w["status"] == "达标" and exceedances:
            spot.add(path + ("exceedances",), where, "达标的水源不应有超标指标", got="、".join(i for i, _ in exceedances),
                     hint="请核对达标情况")
        sources.append(e.WaterSource(w["name"].strip(), w["type"], w.get("point", "").strip(), w["status"], exceedances))
    for i, s in enumerate(raw.get("supply", ())):
        path = ("water_quality", "supply", i)
        where = f"出厂水和末梢水 第 {i + 1} 行（{s['plant']} {s['kind']}）"
        if s["kind"] not in v["supply_kinds"]:
            spot.add(path + ("kind",), where, "未知的类别", expected="、".join(v["supply_kinds"]), got=s["kind"])
        rate = Decimal(s["rate"])
        if "qualified" in s:
            if s["qualified"] > s["points"]:
                spot.add(path + ("qualified",), where, "达标点数多于检测点数", expected=f"不超过 {s['points']}",
                         got=str(s["qualified"]))
            else:
                want = (Decimal(s["qualified"]) * 100 / s["points"]).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                if rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) != want:
                    spot.add(path + ("rate",), f"{where}达标率", "达标率与达标点数、检测点数不一致",
                             expected=f"{want}%（{s['qualified']} ÷ {s['points']}）", got=f"{rate}%",
                             hint="达标率 = 达标点数 ÷ 检测点数 × 100%")
        supply.append(e.Supply(s["plant"].strip(), s.get("source", "").strip(), s["kind"], s["points"], s["items"], rate))
    if not sources and not supply:
        spot.add(("water_quality",), "饮用水水质 (water_quality)", "没有水源水质，也没有出厂水、末梢水水质",
                 hint="至少写 sources 或 supply 其中一项")
    if spot.errors() != before:
        return None
    return e.WaterQuality(raw["quarter"], tuple(sources), tuple(supply))


def _polluters(raw: Mapping, spot: Spot) -> e.KeyPolluters | None:
    before = spot.errors()
    v = e.spec()
    permit = re.compile(v["permit_pattern"])
    units, names = [], {}
    for i, u in enumerate(raw["units"]):
        path = ("key_polluters", "units", i)
        where = f"重点排污单位 第 {i + 1} 家（{u['name']}）"
        if u["name"] in names:
            spot.add(path + ("name",), where, "单位重复", hint=f"与第 {names[u['name']] + 1} 家重复")
        names[u["name"]] = i
        if not permit.match(u["permit"]):
            spot.add(path + ("permit",), f"{where}排污许可证编号", "排污许可证编号格式不正确",
                     expected="统一社会信用代码（18 位）+ 3 位流水号 + 1 位字母，例如 91119999MA00000018001V", got=u["permit"])
        if not u["discharge"].startswith(tuple(v["discharge_modes"])):
            spot.add(path + ("discharge",), f"{where}排放方式", "排放方式应以规定的写法开头",
                     expected="、".join(v["discharge_modes"]), got=u["discharge"])
        emissions = []
        for j, m in enumerate(u["emissions"]):
            em = e.Emission(m["pollutant"].strip(), Decimal(m["concentration"]), Decimal(m["limit"]), m["unit"].strip(),
                            Decimal(m["total"]) if "total" in m else None)
            if em.pollutant not in u["pollutants"]:
                spot.add(path + ("emissions", j, "pollutant"), where, "排放浓度中的污染物不在主要污染物中",
                         expected="、".join(u["pollutants"]), got=em.pollutant)
            emissions.append(em)
        over = [em for em in emissions if em.exceeded]
        said = u["exceedance"].strip()
        if over and said in ("无", "未超标", "达标"):
            em = over[0]
            spot.add(path + ("exceedance",), f"{where}超标情况", "排放浓度超过限值，超标情况却写“无”",
                     expected=f"写明超标情况：{em.pollutant} {em.concentration}{em.unit}，限值 {em.limit}，"
                              f"超标 {((em.concentration - em.limit) / em.limit).quantize(Decimal('0.01'))} 倍",
                     got=said, hint="请核对排放浓度和限值，超标的须如实公开")
        if not over and said not in ("无", "未超标", "达标"):
            spot.add(path + ("exceedance",), f"{where}超标情况", "写了超标情况，但各项排放浓度都没有超过限值",
                     got=said, severity=WARNING, hint="请核对排放浓度或超标情况")
        units.append(e.KeyPolluter(u["name"].strip(), u["address"].strip(), tuple(u["pollutants"]), u["discharge"].strip(),
                                   tuple(emissions), said, u["standard"].strip(), u["permit"], u["facilities"].strip()))
    if spot.errors() != before:
        return None
    return e.KeyPolluters(raw["year"], tuple(units))


def _eia(data: Mapping, spot: Spot, notice: NoticePeriod | None) -> e.EiaStage | None:
    before = spot.errors()
    raw = data["eia"]
    stages = {s["name"]: s for s in e.spec()["eia_stages"]}
    rule = stages[raw["stage"]]
    where = f"建设项目环评 (eia)（{raw['project']} {rule['label']}）"
    on = _day(spot, ("eia", "date"), where, raw["date"])
    if raw["document"] not in e.spec()["eia_documents"]:
        spot.add(("eia", "document"), where, "未知的环评文件类型", expected="、".join(e.spec()["eia_documents"]),
                 got=raw["document"])
    needs = {"attachment": ("attachments", "受理环节须附环境影响报告书（表）全本", "在 attachments 中加入报告全本的 PDF"),
             "notice_period": ("notice_period", f"{rule['label']}须写公示期", "写 notice_period: {start: …, end: …}"),
             "doc_no": ("doc_no", "批复须写文号", "写批复文件的文号：doc_no: 机关代字〔年份〕序号号")}
    for need in rule["requires"]:
        key, message, hint = needs[need]
        if not data.get(key):
            spot.add(("eia", "stage"), where, message, hint=hint)
    if spot.errors() != before or on is None:
        return None
    return e.EiaStage(raw["project"].strip(), raw["stage"], raw["builder"].strip(), raw["location"].strip(),
                      raw["document"], on)


# ---- between records ----

def check_across(records, spots: dict[str, Spot]) -> None:
    """An EIA's stages come in order (受理, 拟批准, 批复), each once; an AQI month is published once."""
    order = [s["name"] for s in e.spec()["eia_stages"]]
    projects: dict[str, dict[str, tuple]] = {}
    months: dict[tuple[int, int], object] = {}
    for r in sorted(records, key=lambda r: r.published_on):
        for d in r.datasets:
            if isinstance(d, e.EiaStage):
                stages = projects.setdefault(d.project, {})
                if d.stage in stages:
                    spots[r.source].add(("eia", "stage"), f"建设项目环评 (eia)（{d.project}）", f"“{d.stage}”环节已有一条信息",
                                        got=stages[d.stage][0].source, severity=WARNING,
                                        hint="同一项目的同一环节只发布一次；重新报批的项目请在项目名称中注明")
                    continue
                stages[d.stage] = (r, d)
            elif isinstance(d, e.AirQualityMonth):
                key = (d.year, d.month)
                if key in months:
                    spots[r.source].add(("air_quality", "month"), "空气质量日报 月份", f"{d.label}的日报已有一条信息",
                                        got=months[key].source, severity=WARNING)
                months.setdefault(key, r)
    for project, stages in projects.items():
        present = [s for s in order if s in stages]
        for earlier, later in zip(present, present[1:]):
            (r1, d1), (r2, d2) = stages[earlier], stages[later]
            if d2.on < d1.on:
                spots[r2.source].add(("eia", "date"), f"建设项目环评 (eia)（{project}）", f"“{later}”的日期早于“{earlier}”",
                                     expected=f"不早于 {d1.on.isoformat()}（{r1.source}）", got=d2.on.isoformat(),
                                     hint="环评审批按 受理 → 拟批准公示 → 批复 的顺序进行")
