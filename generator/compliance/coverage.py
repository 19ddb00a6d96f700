"""定期公开: every period of a declared cadence has its record, per publisher; and no 栏目 goes stale.

A cadence is data (`period: {every: 月, from: 2023-01}` on a category, or on one kind of record under `kinds`).
A period is expected once its deadline has passed (the kind's 公开时限 counted from the period's last day), so
this month's report is not missing before it could be due.
"""
from __future__ import annotations

import calendar as month_calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Cadence, Category, Deadline, Organisation, Record, Settings
from .deadlines import due_date
from .workdays import WorkCalendar

QUARTERS = "一二三四"


@dataclass(frozen=True, order=True)
class Period:
    first: date
    last: date
    every: str

    @property
    def label(self) -> str:
        if self.every == "日":
            return f"{self.first.year}年{self.first.month}月{self.first.day}日"
        if self.every == "月":
            return f"{self.first.year}年{self.first.month}月"
        if self.every == "季":
            return f"{self.first.year}年第{QUARTERS[(self.first.month - 1) // 3]}季度"
        return f"{self.first.year}年"

    def within(self, first: date, last: date) -> bool:
        return first <= self.first and self.last <= last


def period_of(every: str, day: date) -> Period:
    if every == "日":
        return Period(day, day, every)
    if every == "月":
        first_month, months = day.month, 1
    elif every == "季":
        first_month, months = 3 * ((day.month - 1) // 3) + 1, 3
    else:
        first_month, months = 1, 12
    last_month = first_month + months - 1
    return Period(date(day.year, first_month, 1),
                  date(day.year, last_month, month_calendar.monthrange(day.year, last_month)[1]), every)


def expected_periods(cadence: Cadence, deadline: Deadline | None, today: date,
                     calendar: WorkCalendar) -> list[tuple[Period, date]]:
    """Periods from the cadence's start whose deadline is past, with that deadline."""
    out = []
    period = period_of(cadence.every, date(int(cadence.start[:4]), int(cadence.start[5:7]), 1))
    while period.last < today:
        due = due_date(deadline, period.last, period.last.year, calendar) if deadline else period.last
        if due is None or due >= today:
            break
        out.append((period, due))
        period = period_of(cadence.every, period.last + timedelta(days=1))
    return out


def record_span(record: Record) -> tuple[date, date] | None:
    """The days a record reports on, when it says (统计 所属期间, an AQI month, a water quarter, a report's year)."""
    for d in record.datasets:
        span = getattr(d, "span", None)
        if callable(span):
            return span()
        period = getattr(d, "period", None)
        if period is not None and hasattr(period, "first") and hasattr(period, "last"):
            return period.first, period.last
        if d.kind_name == "air_quality":
            p = period_of("月", date(d.year, d.month, 1))
            return p.first, p.last
        if d.kind_name == "water_quality":
            p = period_of("季", date(int(d.quarter[:4]), 3 * int(d.quarter[-1]), 1))
            return p.first, p.last
    value = record.data.get("period")
    if isinstance(value, str) and re.fullmatch(r"\d{4}(-\d{2})?", value):
        p = period_of("年" if len(value) == 4 else "月", date(int(value[:4]), int(value[5:7] or 1), 1))
        return p.first, p.last
    return None


@dataclass(frozen=True)
class Gap:
    publisher: Organisation
    period: Period
    kind: str            # 社会救助统计
    due: date            # when the period's record was due

    def text(self) -> str:
        return f"{self.publisher.short_name or self.publisher.name} {self.period.label} {self.kind} 缺失"


def gaps(records: list[Record], categories: dict[str, Category], settings: Settings, today: date,
         calendar: WorkCalendar) -> list[Gap]:
    out = []
    for category in sorted(categories.values(), key=lambda c: c.order):
        rules = []
        if category.cadence:
            rules.append((None, category.title, category.cadence, category.deadline))
        for key, kind in category.kinds.items():
            if kind.cadence:
                rules.append((key, kind.title, kind.cadence, kind.deadline or category.deadline))
        for key, title, cadence, deadline in rules:
            mine = [r for r in records if r.category.id == category.id and r.is_published
                    and (key is None or any(d.kind_name == key for d in r.datasets))]
            if cadence.publishers:
                publishers = [o for o in (settings.organisation(i) for i in cadence.publishers) if o]
            else:
                publishers = sorted({r.publisher for r in mine}, key=lambda o: settings.organisations.index(o))
            expected = expected_periods(cadence, deadline, today, calendar)
            for org in publishers:
                spans = []
                for r in mine:
                    if r.publisher != org:
                        continue
                    span = record_span(r)
                    if span is None:   # a record without a period of its own covers the one it was published in
                        p = period_of(cadence.every, r.published_on)
                        span = (p.first, p.last)
                    spans.append(span)
                out += [Gap(org, p, title, due) for p, due in expected if not any(p.within(a, b) for a, b in spans)]
    return out


@dataclass(frozen=True)
class Stale:
    category: Category
    last: date | None      # None: nothing published at all
    days: int
    limit: int

    def text(self) -> str:
        if self.last is None:
            return f"栏目「{self.category.title}」没有任何公开信息（空栏目）"
        return (f"栏目「{self.category.title}」最近一次更新是 {self.last.isoformat()}，已 {self.days} 天没有新信息"
                f"（期限 {self.limit} 天）")


def stale(records: list[Record], categories: dict[str, Category], settings: Settings, today: date) -> list[Stale]:
    out = []
    for category in sorted(categories.values(), key=lambda c: c.order):
        limit = category.stale_days or settings.compliance.stale_days
        dates = [r.published_on for r in records if r.category.id == category.id and r.is_published]
        if not dates:
            out.append(Stale(category, None, 0, limit))
            continue
        days = (today - max(dates)).days
        if days > limit:
            out.append(Stale(category, max(dates), days, limit))
    return out
