"""乡村振兴 (巩固拓展脱贫攻坚成果): project notices, the year's project plan and its adjustments, fund allocations
by source and township, and progress reports. Vocabularies in generator/data/poverty.yml."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ...datasets import money
from ...datasets.grid import COUNT, MONEY, PERCENT, SIGNED, TEXT, Column, Grid, Row
from ...datasets.spec import load

ZERO = Decimal("0")


def spec():
    return load("poverty")


def source_label(key: str) -> str:
    return spec()["fund_sources"][key]["label"]


def fiscal_sources() -> list[str]:
    return [k for k, v in spec()["fund_sources"].items() if v["fiscal"]]


@dataclass(frozen=True)
class Fund:
    source: str
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class Project:
    """项目公示 / 验收公告: the nine elements of a project notice and its progress."""
    year: int
    name: str
    type: str
    township: str
    location: str
    tasks: str
    subsidy_standard: str
    funds: tuple[Fund, ...]
    period: tuple[str, str]          # YYYY-MM, YYYY-MM
    implementer: str
    responsible: str
    targets: str
    poverty_link: str
    status: str
    progress_note: str = ""
    percent: Decimal | None = None
    kind_name: str = "project"

    @property
    def fiscal_amount(self) -> Decimal:
        """衔接资金: the fiscal sources only (自筹 is not 衔接资金)."""
        return sum((f.amount for f in self.funds if f.source in fiscal_sources()), ZERO)

    def funds_text(self) -> str:
        parts = [f"{source_label(f.source)}{money.money(f.amount)}万元" + (f"（{f.note}）" if f.note else "")
                 for f in self.funds]
        total = sum((f.amount for f in self.funds), ZERO)
        return "；".join(parts) + f"；合计{money.money(total)}万元，其中衔接资金{money.money(self.fiscal_amount)}万元"

    def grids(self) -> tuple[Grid, ...]:
        start, end = (f"{p[:4]}年{int(p[5:])}月" for p in self.period)
        rows = [("项目名称", self.name), ("项目类型", self.type), ("实施地点", self.location), ("建设任务", self.tasks),
                ("补助标准", self.subsidy_standard), ("资金来源及规模", self.funds_text()),
                ("实施期限", f"{start}至{end}"), ("实施单位及责任人", f"{self.implementer}；责任人：{self.responsible}"),
                ("绩效目标", self.targets), ("带贫减贫机制", self.poverty_link),
                ("项目进度", self.status + (f"（完成 {self.percent}%）" if self.percent is not None else "")
                 + (f"：{self.progress_note}" if self.progress_note else ""))]
        return (Grid("project", "项目公示要素", (Column("element", "公示要素", TEXT), Column("content", "内容", TEXT)),
                     tuple(Row(r) for r in rows), header_column=0),
                Grid("project_funds", "资金来源", (Column("source", "来源", TEXT), Column("amount", "金额", MONEY, "万元"),
                                              Column("note", "说明", TEXT)),
                     tuple(Row((source_label(f.source), f.amount, f.note or None)) for f in self.funds)
                     + (Row(("合计", sum((f.amount for f in self.funds), ZERO), None), total=True),),
                     unit="万元", header_column=0))

    def to_json(self) -> dict:
        return {"year": self.year, "name": self.name, "type": self.type, "township": self.township,
                "location": self.location, "tasks": self.tasks, "subsidy_standard": self.subsidy_standard,
                "funds": [{"source": f.source, "amount": money.plain(f.amount), "note": f.note} for f in self.funds],
                "period": {"start": self.period[0], "end": self.period[1]}, "implementer": self.implementer,
                "responsible": self.responsible, "targets": self.targets, "poverty_link": self.poverty_link,
                "progress": {"status": self.status, "note": self.progress_note,
                             "percent": str(self.percent) if self.percent is not None else None}}


@dataclass(frozen=True)
class PlanItem:
    name: str
    type: str
    township: str                # "" for 全县 / county-wide items
    location: str
    scale: str
    amount: Decimal
    implementer: str
    households: int | None
    count: int = 1               # a lumped line such as 其他项目（77个） stands for several projects


@dataclass(frozen=True)
class PlanChange:
    name: str
    change: str                  # 调减 | 调增 | 新增 | 取消
    amount: Decimal              # signed change in 万元
    reason: str
    source: str = ""


@dataclass(frozen=True)
class Plan:
    """年度项目计划 (kind 计划) or its adjustment (kind 调整)."""
    year: int
    kind: str
    items: tuple[PlanItem, ...]
    changes: tuple[PlanChange, ...]
    count: int
    amount: Decimal
    previous: tuple[int, Decimal] | None = None     # (count, amount) before an adjustment
    kind_name: str = "plan"

    def grids(self) -> tuple[Grid, ...]:
        if self.kind == "计划":
            columns = (Column("name", "项目名称", TEXT), Column("type", "项目类型", TEXT), Column("location", "实施地点", TEXT),
                       Column("scale", "建设内容及规模", TEXT), Column("amount", "衔接资金", MONEY, "万元"),
                       Column("implementer", "实施单位", TEXT), Column("households", "受益户数", COUNT, "户"))
            rows = tuple(Row((i.name, i.type, i.location, i.scale, i.amount, i.implementer, i.households)) for i in self.items)
            rows += (Row((f"合计（{self.count}个项目）", None, None, None, self.amount, None, None), total=True),)
            return (Grid("plan", f"{self.year}年度衔接资金项目计划", columns, rows, unit="万元", header_column=0),)
        columns = (Column("name", "项目名称", TEXT), Column("change", "调整", TEXT), Column("amount", "调整金额", SIGNED, "万元"),
                   Column("source", "资金来源", TEXT), Column("reason", "原因", TEXT))
        rows = tuple(Row((c.name, c.change, c.amount, c.source or None, c.reason)) for c in self.changes)
        rows += (Row(("合计", None, sum((c.amount for c in self.changes), ZERO), None,
                      f"调整前 {self.previous[0]} 个项目 {money.money(self.previous[1])} 万元，调整后 {self.count} 个项目 "
                      f"{money.money(self.amount)} 万元"), total=True),)
        return (Grid("plan_changes", f"{self.year}年度衔接资金项目计划调整", columns, rows, unit="万元", header_column=0),)

    def to_json(self) -> dict:
        out = {"year": self.year, "kind": self.kind, "count": self.count, "amount": money.plain(self.amount)}
        if self.items:
            out["projects"] = [{"name": i.name, "type": i.type, "township": i.township, "location": i.location,
                                "scale": i.scale, "amount": money.plain(i.amount), "implementer": i.implementer,
                                "households": i.households, "count": i.count} for i in self.items]
        if self.changes:
            out["changes"] = [{"name": c.name, "change": c.change, "amount": money.plain(c.amount), "reason": c.reason,
                               "source": c.source} for c in self.changes]
        if self.previous:
            out["previous"] = {"count": self.previous[0], "amount": money.plain(self.previous[1])}
        return out


@dataclass(frozen=True)
class Allocation:
    """资金分配结果: amounts by township and source."""
    year: int
    batch: str
    sources: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Decimal, ...]], ...]      # township, amounts in sources order
    kind_name: str = "allocation"

    def by_source(self) -> dict[str, Decimal]:
        return {s: sum((amounts[i] for _, amounts in self.rows), ZERO) for i, s in enumerate(self.sources)}

    @property
    def total(self) -> Decimal:
        return sum(self.by_source().values(), ZERO)

    def grids(self) -> tuple[Grid, ...]:
        columns = (Column("township", "乡镇", TEXT),) + tuple(Column(s, source_label(s), MONEY, "万元") for s in self.sources) \
            + (Column("total", "合计", MONEY, "万元"),)
        rows = tuple(Row((t,) + amounts + (sum(amounts, ZERO),)) for t, amounts in self.rows)
        totals = self.by_source()
        rows += (Row(("合计",) + tuple(totals[s] for s in self.sources) + (self.total,), total=True),)
        return (Grid("allocation", f"{self.year}年衔接资金分配结果（{self.batch}）", columns, rows, unit="万元", header_column=0),)

    def to_json(self) -> dict:
        return {"year": self.year, "batch": self.batch, "sources": list(self.sources),
                "rows": [{"township": t, **{s: money.plain(a) for s, a in zip(self.sources, amounts)}}
                         for t, amounts in self.rows]}


@dataclass(frozen=True)
class ProgressItem:
    name: str
    type: str
    amount: Decimal
    paid: Decimal
    percent: Decimal
    status: str


@dataclass(frozen=True)
class Progress:
    """项目实施进度: as of a date."""
    year: int
    as_of: date
    items: tuple[ProgressItem, ...]
    kind_name: str = "progress"

    def grids(self) -> tuple[Grid, ...]:
        columns = (Column("name", "项目名称", TEXT), Column("type", "项目类型", TEXT), Column("amount", "衔接资金", MONEY, "万元"),
                   Column("paid", "已支付", MONEY, "万元"), Column("paid_rate", "支付进度", PERCENT, "%"),
                   Column("percent", "工程量完成比例", PERCENT, "%"), Column("status", "状态", TEXT))
        rows = tuple(Row((i.name, i.type, i.amount, i.paid, money.percent(i.paid, i.amount), i.percent, i.status))
                     for i in self.items)
        return (Grid("progress", f"重点项目实施进度（截至{self.as_of.year}年{self.as_of.month}月{self.as_of.day}日）",
                     columns, rows, unit="万元", header_column=0),)

    def to_json(self) -> dict:
        return {"year": self.year, "as_of": self.as_of.isoformat(),
                "projects": [{"name": i.name, "type": i.type, "amount": money.plain(i.amount), "paid": money.plain(i.paid),
                              "percent": str(i.percent), "status": i.status} for i in self.items]}
