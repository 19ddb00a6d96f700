"""社会救助: 保障标准, 救助对象和资金支出统计, and 公示名单 with their 公示期 and what may be shown when.

Vocabularies (programmes, units, the recipient-list columns, programmes published as aggregates only) come from
generator/data/assistance.yml; assistance_checks.py builds these models.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ...model import NoticePeriod, Recipient
from ...datasets import money
from ...datasets.grid import COUNT, MONEY, NUMBER, TEXT, Column, Grid, Row
from ...datasets.period import Period
from ...datasets.spec import load

ZERO = Decimal("0")


def spec():
    return load("assistance")


@dataclass(frozen=True)
class Standard:
    item: str
    amount: Decimal
    unit: str
    effective_from: date
    previous: Decimal | None = None


@dataclass(frozen=True)
class Standards:
    items: tuple[Standard, ...]
    kind_name: str = "allowance_standards"

    def grids(self) -> tuple[Grid, ...]:
        columns = (Column("item", "项目", TEXT), Column("amount", "保障标准", NUMBER, "元"), Column("unit", "单位", TEXT),
                   Column("effective_from", "执行日期", TEXT), Column("previous", "原标准", NUMBER, "元"),
                   Column("change", "提高", NUMBER, "元"))
        rows = tuple(Row((s.item, s.amount, s.unit, s.effective_from.isoformat(), s.previous,
                          None if s.previous is None else s.amount - s.previous)) for s in self.items)
        return (Grid("standards", "保障标准", columns, rows, header_column=0),)

    def to_json(self) -> list:
        return [{"item": s.item, "amount": money.plain(s.amount), "unit": s.unit,
                 "effective_from": s.effective_from.isoformat(),
                 "previous": money.plain(s.previous) if s.previous is not None else None} for s in self.items]


@dataclass(frozen=True)
class Figures:
    """One line of the statistics: households, persons, 人次, spending (万元) in the period and year to date."""
    name: str
    households: int | None = None
    persons: int | None = None
    times: int | None = None
    spending: Decimal | None = None
    spending_ytd: Decimal | None = None


FIGURE_FIELDS = ("households", "persons", "times", "spending", "spending_ytd")


@dataclass(frozen=True)
class StatisticsRow:
    figures: Figures
    parts: tuple[Figures, ...] = ()


@dataclass(frozen=True)
class Statistics:
    period: Period
    rows: tuple[StatisticsRow, ...]
    total: Figures | None = None
    kind_name: str = "statistics"

    def row(self, programme: str) -> Figures | None:
        return next((r.figures for r in self.rows if r.figures.name == programme), None)

    def grids(self) -> tuple[Grid, ...]:
        span = "本月" if re.fullmatch(r"\d{4}-\d{2}", self.period.text) else "本季度" if "Q" in self.period.text else "本年"
        columns = (Column("programme", "救助项目", TEXT), Column("households", "对象户数", COUNT, "户"),
                   Column("persons", "对象人数", COUNT, "人"), Column("times", "救助人次", COUNT, "人次"),
                   Column("spending", f"{span}资金支出", MONEY, "万元"), Column("spending_ytd", "本年累计支出", MONEY, "万元"))
        rows = []
        for r in self.rows:
            rows.append(Row(_cells(r.figures)))
            rows += [Row(_cells(p, "其中：" if i == 0 else ""), level=2) for i, p in enumerate(r.parts)]
        if self.total is not None:
            rows.append(Row(_cells(self.total), total=True))
        return (Grid("statistics", f"{self.period.label}救助对象和资金支出", columns, tuple(rows), header_column=0,
                     note="临时救助、医疗救助按救助人次统计；医疗救助只公布汇总数据。"),)

    def to_json(self) -> dict:
        def one(f: Figures) -> dict:
            out = {"name": f.name}
            for key in FIGURE_FIELDS:
                value = getattr(f, key)
                if value is not None:
                    out[key] = money.plain(value) if key.startswith("spending") else value
            return out
        return {"period": self.period.text,
                "rows": [{**one(r.figures), **({"parts": [one(p) for p in r.parts]} if r.parts else {})}
                         for r in self.rows],
                "total": one(self.total) if self.total else None}


def _cells(f: Figures, prefix: str = "") -> tuple:
    return (prefix + f.name, f.households, f.persons, f.times, f.spending, f.spending_ytd)


NOTICE_ON, NOTICE_OVER, NOTICE_AHEAD = "公示中", "公示已结束", "尚未开始公示"


@dataclass(frozen=True)
class NoticeList:
    """A 公示 list: the masked rows are on the page during the 公示期 (or for good, 长期公布); after it, totals only."""
    notice_kind: str
    period: NoticePeriod
    long_term: bool
    recipients: tuple[Recipient, ...]
    kind_name: str = "notice_list"

    @property
    def label(self) -> str:
        """初审公示, 审批公示 … or just 公示 for a list with a bare 公示期."""
        return self.notice_kind if self.notice_kind.endswith("公示") else f"{self.notice_kind}公示"

    def status(self, today: date) -> str:
        if today < self.period.start:
            return NOTICE_AHEAD
        return NOTICE_ON if today <= self.period.end else NOTICE_OVER

    def shows_list(self, today: date) -> bool:
        return self.long_term or today <= self.period.end

    def expired(self, on: date) -> bool:
        """True once the 公示期 is over and the list is not 长期公布: the names come off the web page, its board
        sheet off the website, and paper prints them only as an archive copy (export/stamps.py)."""
        return not self.shows_list(on)

    @property
    def households(self) -> int:
        return len(self.recipients)

    @property
    def persons(self) -> int:
        return sum(r.household_size or 0 for r in self.recipients)

    @property
    def monthly_amount(self) -> Decimal:
        return sum((r.monthly_amount or ZERO for r in self.recipients), ZERO)

    def list_grid(self) -> Grid:
        columns = tuple(Column(c["key"], c["label"], COUNT if c["key"] == "household_size" else
                               NUMBER if c["key"] == "monthly_amount" else TEXT, c.get("unit", ""))
                        for c in spec()["recipient_columns"])
        rows = tuple(Row(tuple(getattr(r, c.key) if getattr(r, c.key) not in ("", None) else None for c in columns))
                     for r in self.recipients)
        rows += (Row(("合计", "", self.persons, self.monthly_amount, "", ""), total=True),)
        return Grid("recipients", f"{self.label}名单（{self.households}户）", columns, rows, header_column=0)

    def summary_grid(self) -> Grid:
        """Totals by 村/社区 and 类别: what stays on the page after the 公示期."""
        groups: OrderedDict[tuple[str, str], list[Recipient]] = OrderedDict()
        for r in self.recipients:
            groups.setdefault((r.village, r.kind or "—"), []).append(r)
        columns = (Column("village", "村/社区", TEXT), Column("kind", "类别", TEXT), Column("households", "户数", COUNT, "户"),
                   Column("persons", "保障人数", COUNT, "人"), Column("monthly_amount", "月保障金额合计", NUMBER, "元"))
        rows = tuple(Row((v, k, len(rs), sum(r.household_size or 0 for r in rs),
                          sum((r.monthly_amount or ZERO for r in rs), ZERO))) for (v, k), rs in groups.items())
        rows += (Row(("合计", "", self.households, self.persons, self.monthly_amount), total=True),)
        return Grid("recipients_summary", "按村（社区）汇总", columns, rows, header_column=0)

    def to_json(self, with_list: bool) -> dict:
        out = {"notice_kind": self.notice_kind, "notice_period": {"start": self.period.start.isoformat(),
                                                                   "end": self.period.end.isoformat()},
               "long_term": self.long_term, "households": self.households, "persons": self.persons,
               "monthly_amount": money.plain(self.monthly_amount)}
        if with_list:
            out["recipients"] = [{c["key"]: (money.plain(getattr(r, c["key"])) if c["key"] == "monthly_amount"
                                             and getattr(r, c["key"]) is not None else getattr(r, c["key"]))
                                  for c in spec()["recipient_columns"]} for r in self.recipients]
        return out
