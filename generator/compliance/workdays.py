"""Working days (工作日): Monday to Friday, minus the State Council's holidays, plus its 调休 working weekends.

The chinesecalendar package holds the schedules it has been released with; generator/data/workdays.yml holds
the years it lacks (next year's notice comes out in November, a new package release later). A year neither
covers is counted Monday to Friday and remembered, so the caller can give a loud 提醒: a December deadline
always runs into next year.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from ..datasets.spec import load

NEXT_DAY, SAME_DAY = "次日", "当日"
LIBRARY, OFFICIAL, ESTIMATE = "chinesecalendar", "正式", "预估"


@dataclass(frozen=True)
class CountingRule:
    """How deadlines in working days are counted (site.yml `compliance`)."""
    first_day: str = NEXT_DAY          # 次日: the day after the anchor is day 1; 当日: the anchor day itself counts
    adjusted_workdays: bool = True     # 调休上班日 (e.g. a working Saturday) count as working days


@dataclass(frozen=True)
class YearData:
    status: str
    source: str
    holidays: frozenset[date]
    workdays: frozenset[date]


def _days(items) -> frozenset[date]:
    out = set()
    for item in items:
        if isinstance(item, list):
            first, last = date.fromisoformat(item[0]), date.fromisoformat(item[1])
            out.update(first + timedelta(days=i) for i in range((last - first).days + 1))
        else:
            out.add(date.fromisoformat(item))
    return frozenset(out)


@lru_cache(maxsize=None)
def data_years() -> dict[int, YearData]:
    """generator/data/workdays.yml, by year."""
    years = load("workdays")["years"]
    return {int(y): YearData(v["status"], " ".join(str(v["source"]).split()), _days(v.get("holidays", ())),
                             _days(v.get("workdays", ()))) for y, v in years.items()}


def _library():
    try:
        import chinese_calendar
    except ImportError:   # the data file alone still works
        return None
    return chinese_calendar


@lru_cache(maxsize=None)
def library_years() -> frozenset[int]:
    lib = _library()
    if lib is None:
        return frozenset()
    from chinese_calendar.constants import holidays
    return frozenset(d.year for d in holidays)


@lru_cache(maxsize=None)
def _library_workday(day: date) -> bool:
    """chinesecalendar's answer, remembered: it checks the date against its whole table on every call (two
    scans of every holiday), which made deadline checks the slowest part of `check` on a large site."""
    return _library().is_workday(day)


@dataclass
class WorkCalendar:
    rule: CountingRule = field(default_factory=CountingRule)
    # Years a computation needed that no source covers (counted Monday to Friday), and 预估 years used.
    uncovered: set[int] = field(default_factory=set)
    estimated: set[int] = field(default_factory=set)
    # The working days of each year a count reached, as ordinals: a count is two bisections, not a walk over
    # every day (ten thousand deadlines stepped through twenty days each).
    _years: dict = field(default_factory=dict, repr=False, compare=False)

    def source(self, year: int) -> str | None:
        """Where a year's schedule comes from: chinesecalendar, 正式/预估 (the data file), or None."""
        if year in library_years():
            return LIBRARY
        data = data_years().get(year)
        return data.status if data else None

    def is_workday(self, day: date) -> bool:
        source = self.source(day.year)
        if source == LIBRARY:
            if not self.rule.adjusted_workdays and day.weekday() >= 5:
                return False
            return _library_workday(day)
        if source is None:
            self.uncovered.add(day.year)
            return day.weekday() < 5
        if source == ESTIMATE:
            self.estimated.add(day.year)
        data = data_years()[day.year]
        if day in data.workdays:
            return self.rule.adjusted_workdays
        return day.weekday() < 5 and day not in data.holidays

    def add(self, anchor: date, n: int) -> date:
        """The n-th working day counted from anchor: the deadline of "n 个工作日" from that date."""
        if self.rule.first_day == SAME_DAY and n > 0 and self.is_workday(anchor):
            n -= 1
        if n <= 0:
            return anchor
        after, year = anchor.toordinal(), (anchor + timedelta(days=1)).year
        while True:
            days = self._workdays_of(year)
            first = bisect_right(days, after)
            if len(days) - first >= n:
                return date.fromordinal(days[first + n - 1])
            n -= len(days) - first
            year += 1

    def between(self, start: date, end: date) -> int:
        """Working days after start up to and including end (0 when end is not after start): how late, or how
        many days are left."""
        if end <= start:
            return 0
        after, last = start.toordinal(), end.toordinal()
        return sum(bisect_right(days, last) - bisect_right(days, after)
                   for days in map(self._workdays_of, range((start + timedelta(days=1)).year, end.year + 1)))

    def _workdays_of(self, year: int) -> list[int]:
        """The year's working days as ordinals, in order; its first use notes an uncovered or estimated year,
        as counting through one of its days would."""
        days = self._years.get(year)
        if days is None:
            first, end = date(year, 1, 1).toordinal(), date(year + 1, 1, 1).toordinal()
            days = self._years[year] = [o for o in range(first, end) if self.is_workday(date.fromordinal(o))]
        return days

    def notes(self) -> list[str]:
        """The 提醒 a run that used this calendar must print."""
        out = []
        if self.uncovered:
            years = "、".join(str(y) for y in sorted(self.uncovered))
            out.append(f"{years} 年没有节假日安排数据，这些年份的工作日暂按周一至周五计算，期限可能不准确。"
                       "请在国务院办公厅公布当年节假日安排后，把放假和调休上班日期写入 generator/data/workdays.yml，"
                       "或升级 chinesecalendar")
        if self.estimated:
            years = "、".join(str(y) for y in sorted(self.estimated))
            out.append(f"{years} 年的节假日安排是预估的（只含法定节日，不含调休），期限可能相差几天。"
                       "国务院办公厅公布后请更新 generator/data/workdays.yml")
        return out
