"""生态环境: daily AQI (levels and colours from the HJ 633-2012 data file), forecasts, drinking water by quarter,
重点排污单位 and the three stages of an EIA approval. Vocabularies in generator/data/environment.yml."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import hj633
from ...datasets import money
from ...datasets.grid import COUNT, NUMBER, PERCENT, TEXT, Column, Grid, Row, Swatch
from ...datasets.spec import load

ZERO = Decimal("0")


def spec():
    return load("environment")


def swatch(level: hj633.Level, text: str | None = None) -> Swatch:
    return Swatch(text or level.category, level.colour, level.text_colour)


@dataclass(frozen=True)
class AqiDay:
    day: date
    concentrations: dict          # pollutant key -> Decimal, in the data file's order
    aqi: int                      # computed from the concentrations (equal to the stated one: checked)
    primary: tuple[str, ...]      # pollutant keys

    @property
    def level(self) -> hj633.Level:
        return hj633.standard().level(self.aqi)

    def primary_names(self) -> tuple[str, ...]:
        return tuple(hj633.standard().pollutants[k].name for k in self.primary)


@dataclass(frozen=True)
class AirQualityMonth:
    year: int
    month: int
    station: str
    days: tuple[AqiDay, ...]
    kind_name: str = "air_quality"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    def pollutants(self) -> list[str]:
        used = {k for d in self.days for k in d.concentrations}
        return [k for k in hj633.standard().pollutants if k in used]

    def counts(self) -> list[tuple[hj633.Level, int]]:
        s = hj633.standard()
        return [(level, sum(1 for d in self.days if d.level == level)) for level in s.levels]

    @property
    def good_days(self) -> int:
        """优良天数: AQI ≤ 100."""
        return sum(1 for d in self.days if d.aqi <= 100)

    def weeks(self) -> list[list[AqiDay | int | None]]:
        """Monday-first weeks of the month: a day with data, a day number without, or None outside the month."""
        by_day = {d.day.day: d for d in self.days}
        return [[(by_day.get(n) or n) if n else None for n in week]
                for week in calendar.Calendar(firstweekday=0).monthdayscalendar(self.year, self.month)]

    def grids(self) -> tuple[Grid, ...]:
        s = hj633.standard()
        keys = self.pollutants()
        columns = (Column("date", "日期", TEXT),) + tuple(Column(k, s.pollutants[k].name, NUMBER, s.pollutants[k].unit)
                                                        for k in keys) + (
            Column("aqi", "AQI", COUNT), Column("level", "级别", TEXT), Column("category", "类别", TEXT),
            Column("primary", "首要污染物", TEXT))
        rows = tuple(Row((d.day.isoformat(),) + tuple(d.concentrations.get(k) for k in keys)
                         + (d.aqi, d.level.level, swatch(d.level), d.primary_names() or None)) for d in self.days)
        units = "；".join(f"{s.pollutants[k].name} {s.pollutants[k].unit}" for k in keys)
        return (Grid("air_quality", f"{self.label}每日空气质量", columns, rows, header_column=0,
                     note=f"浓度单位：{units}。AQI、级别、类别和首要污染物按 {s.standard} 由浓度计算。"),)

    def to_json(self) -> dict:
        return {"standard": hj633.standard().standard, "month": f"{self.year}-{self.month:02d}", "station": self.station,
                "days": [{"date": d.day.isoformat(), **{k: str(v) for k, v in d.concentrations.items()}, "aqi": d.aqi,
                          "level": d.level.level, "category": d.level.category, "colour": d.level.colour,
                          "primary_pollutant": list(d.primary_names())} for d in self.days]}


@dataclass(frozen=True)
class ForecastDay:
    day: date
    low: int
    high: int
    primary: tuple[str, ...]       # pollutant keys


@dataclass(frozen=True)
class Forecast:
    days: tuple[ForecastDay, ...]
    kind_name: str = "forecast"

    def grids(self) -> tuple[Grid, ...]:
        s = hj633.standard()
        columns = (Column("date", "日期", TEXT), Column("range", "AQI 范围", TEXT), Column("level", "级别", TEXT),
                   Column("category", "类别", TEXT), Column("primary", "首要污染物", TEXT))
        rows = []
        for d in self.days:
            low, high = s.level(d.low), s.level(d.high)
            level = low.level if low == high else f"{low.level}至{high.level}"
            category = swatch(high, low.category if low == high else f"{low.category}至{high.category}")
            rows.append(Row((d.day.isoformat(), f"{d.low}—{d.high}", level, category,
                             tuple(s.pollutants[k].name for k in d.primary) or None)))
        return (Grid("forecast", "空气质量预报", columns, tuple(rows), header_column=0,
                     note="预报给出 AQI 范围；颜色按范围上限所在级别显示。"),)

    def to_json(self) -> list:
        s = hj633.standard()
        return [{"date": d.day.isoformat(), "aqi": [d.low, d.high], "level": [s.level(d.low).level, s.level(d.high).level],
                 "primary_pollutant": [s.pollutants[k].name for k in d.primary]} for d in self.days]


@dataclass(frozen=True)
class WaterSource:
    name: str
    type: str
    point: str
    status: str
    exceedances: tuple[tuple[str, Decimal], ...]     # (indicator, times over the limit)


@dataclass(frozen=True)
class Supply:
    plant: str
    source: str
    kind: str
    points: int
    items: int
    rate: Decimal


@dataclass(frozen=True)
class WaterQuality:
    quarter: str                  # 2024-Q1
    sources: tuple[WaterSource, ...]
    supply: tuple[Supply, ...]
    kind_name: str = "water_quality"

    @property
    def label(self) -> str:
        return f"{self.quarter[:4]}年第{'一二三四'[int(self.quarter[-1]) - 1]}季度"

    def grids(self) -> tuple[Grid, ...]:
        out = []
        if self.sources:
            columns = (Column("name", "水源名称", TEXT), Column("type", "水源类型", TEXT), Column("point", "监测点位", TEXT),
                       Column("status", "达标情况", TEXT), Column("exceedances", "超标指标及超标倍数", TEXT))
            rows = tuple(Row((w.name, w.type, w.point, w.status,
                              "、".join(f"{i}（{t}倍）" for i, t in w.exceedances) or None)) for w in self.sources)
            out.append(Grid("water_sources", f"{self.label}集中式饮用水水源水质", columns, rows, header_column=0))
        if self.supply:
            columns = (Column("plant", "供水单位", TEXT), Column("source", "水源", TEXT), Column("kind", "类别", TEXT),
                       Column("points", "检测点数", COUNT, "个"), Column("items", "检测项目数", COUNT, "项"),
                       Column("rate", "达标率", PERCENT, "%"))
            rows = tuple(Row((s.plant, s.source, s.kind, s.points, s.items, s.rate)) for s in self.supply)
            out.append(Grid("water_supply", f"{self.label}出厂水和末梢水水质", columns, rows, header_column=0))
        return tuple(out)

    def to_json(self) -> dict:
        return {"quarter": self.quarter,
                "sources": [{"name": w.name, "type": w.type, "point": w.point, "status": w.status,
                             "exceedances": [{"indicator": i, "times": str(t)} for i, t in w.exceedances]}
                            for w in self.sources],
                "supply": [{"plant": s.plant, "source": s.source, "kind": s.kind, "points": s.points, "items": s.items,
                            "rate": str(s.rate)} for s in self.supply]}


@dataclass(frozen=True)
class Emission:
    pollutant: str
    concentration: Decimal
    limit: Decimal
    unit: str
    total: Decimal | None        # 吨/年

    @property
    def exceeded(self) -> bool:
        return self.concentration > self.limit


@dataclass(frozen=True)
class KeyPolluter:
    name: str
    address: str
    pollutants: tuple[str, ...]
    discharge: str
    emissions: tuple[Emission, ...]
    exceedance: str
    standard: str
    permit: str
    facilities: str


@dataclass(frozen=True)
class KeyPolluters:
    year: int
    units: tuple[KeyPolluter, ...]
    kind_name: str = "key_polluters"

    def grids(self) -> tuple[Grid, ...]:
        columns = (Column("name", "单位名称", TEXT), Column("address", "地址", TEXT), Column("pollutants", "主要污染物", TEXT),
                   Column("discharge", "排放方式", TEXT), Column("emissions", "排放浓度和总量", TEXT),
                   Column("exceedance", "超标情况", TEXT), Column("standard", "执行标准", TEXT),
                   Column("permit", "排污许可证", TEXT), Column("facilities", "防治污染设施运行情况", TEXT))
        rows = tuple(Row((u.name, u.address, u.pollutants, u.discharge,
                          "；".join(f"{e.pollutant} {e.concentration}{e.unit}（限值 {e.limit}）"
                                   + (f"，{e.total} 吨/年" if e.total is not None else "") for e in u.emissions) or None,
                          u.exceedance, u.standard, u.permit, u.facilities)) for u in self.units)
        return (Grid("key_polluters", f"{self.year}年度重点排污单位", columns, rows, header_column=0),)

    def to_json(self) -> dict:
        return {"year": self.year, "units": [
            {"name": u.name, "address": u.address, "pollutants": list(u.pollutants), "discharge": u.discharge,
             "emissions": [{"pollutant": e.pollutant, "concentration": str(e.concentration), "limit": str(e.limit),
                            "unit": e.unit, "total": str(e.total) if e.total is not None else None} for e in u.emissions],
             "exceedance": u.exceedance, "standard": u.standard, "permit": u.permit, "facilities": u.facilities}
            for u in self.units]}


@dataclass(frozen=True)
class EiaStage:
    project: str
    stage: str                     # 受理 | 拟批准 | 批复
    builder: str
    location: str
    document: str
    on: date                       # the stage's date: 受理日期, 公示开始日期, 批复日期
    kind_name: str = "eia"

    def to_json(self) -> dict:
        return {"project": self.project, "stage": self.stage, "builder": self.builder, "location": self.location,
                "document": self.document, "date": self.on.isoformat()}
