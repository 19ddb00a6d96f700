"""The jinja2 environment for print HTML (theme/print/*.html.j2) and the small formatting rules of paper.

Dates on paper are written the Chinese way (2026年7月1日), as on an official document; the online catalogue
keeps ISO dates.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..datasets.grid import Grid, Swatch, shown
from ..urls import url_of
from ..model import NoticePeriod, Record, Settings
from .qr import qr_place
from .text import markdown_html

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "theme" / "print"
STYLESHEET = TEMPLATES / "print.css"

QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


def cn_date(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def notice_text(period: NoticePeriod) -> str:
    """公示期 as people read it aloud: 2026年7月1日至2026年7月7日（共7天）."""
    return f"{cn_date(period.start)}至{cn_date(period.end)}（共{period.days}天）"


def money(value: Decimal | None) -> str:
    """3,290 or 1,234.50: with thousands separators, as the web page's totals and the notice's own text write
    them (a sheet read 「合计3,290元」 in its text and 「3290元」 in its 合计 line)."""
    if value is None:
        return ""
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


def online_url(settings: Settings, record: Record) -> str:
    """The record's page on the public site: what the QR code opens."""
    return settings.base_url.rstrip("/") + "/" + url_of(record.page_path + ".md")


# A grid with more columns than this, mostly of text, prints as one small table per row (cards): at wall-size
# type a ninth text column would leave each a character or two wide.
CARD_COLUMNS = 7


def as_cards(grid: Grid) -> bool:
    text = sum(1 for c in grid.columns if not c.numeric)
    return len(grid.columns) > CARD_COLUMNS and text * 2 > len(grid.columns)


def make_environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(cn_date=cn_date, notice=notice_text, money=money, markdown=markdown_html, qr=qr_place,
                       cell=shown)
    env.tests.update(swatch=lambda v: isinstance(v, Swatch), cards=as_cards)
    return env
