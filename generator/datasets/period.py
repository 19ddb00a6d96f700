"""所属期间: the month (2025-06), quarter (2025-Q2) or year (2025) a record reports on.

Statistics, a quarter's decisions, a year's results: any kind whose records carry `period:` reads it here.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

QUARTERS = "一二三四"


@dataclass(frozen=True)
class Period:
    """所属期间: a month (2025-06), a quarter (2025-Q2) or a year (2025)."""
    text: str
    first: date
    last: date
    label: str

    @staticmethod
    def parse(text: str) -> "Period | None":
        m = re.fullmatch(r"(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?", text)
        if not m:
            return None
        year = int(m.group(1))
        if m.group(2):
            q = int(m.group(2))
            first, last_month = date(year, 3 * q - 2, 1), 3 * q
            label = f"{year}年第{QUARTERS[q - 1]}季度"
        elif m.group(3):
            month = int(m.group(3))
            first, last_month, label = date(year, month, 1), month, f"{year}年{month}月"
        else:
            first, last_month, label = date(year, 1, 1), 12, f"{year}年"
        last = date(year, last_month, calendar.monthrange(year, last_month)[1])
        return Period(text, first, last, label)

    def contains_month(self, month: str) -> bool:
        """month is YYYY-MM."""
        y, m = (int(p) for p in month.split("-"))
        return self.first <= date(y, m, 1) <= self.last
