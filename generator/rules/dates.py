"""Calendar dates as editors write them: YYYY-MM-DD, real days only."""
from __future__ import annotations

from datetime import date


def parse_date(text: str) -> date | None:
    """None for impossible dates such as 2025-02-30 (the schema already checked the shape)."""
    try:
        year, month, day = (int(part) for part in text.split("-"))
        return date(year, month, day)
    except (ValueError, TypeError):
        return None


def impossible_date_hint(text: str) -> str:
    try:
        year, month, _ = (int(part) for part in text.split("-"))
    except ValueError:
        return "请按 YYYY-MM-DD 格式填写"
    if not 1 <= month <= 12:
        return "月份应在 01 到 12 之间"
    last = (date(year + month // 12, month % 12 + 1, 1) - date(year, month, 1)).days
    return f"{year} 年 {month} 月只有 {last} 天，请核对日期"
