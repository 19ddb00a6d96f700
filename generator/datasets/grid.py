"""A table as shown and downloaded: columns with a kind, rows of raw values.

Every dataset describes its tables as Grids; the page (theme/markdown/data/_grid.j2), the CSV download and
the JSON download all read them, so a figure cannot differ between what is shown and what is downloaded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..export.csvcells import text_cell
from . import money

# Kinds of column: how a value is printed on the page and in CSV.
TEXT, CODE, MONEY, COUNT, PERCENT, SIGNED, NUMBER = "text", "code", "money", "count", "percent", "signed", "number"
NUMERIC = {MONEY, COUNT, PERCENT, SIGNED, NUMBER}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = TEXT
    unit: str = ""          # 万元, 户, %: added to the CSV header, e.g. 合计（万元）

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC

    @property
    def csv_header(self) -> str:
        return f"{self.label}（{self.unit}）" if self.unit else self.label


_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def swatch_class(colour: str, text_colour: str) -> str:
    """The CSS class of a level's colours (no style attribute: the Content-Security-Policy allows none); the
    stylesheet defining it is written from the same data (dataviews/environment.py, levels_stylesheet)."""
    for value in (colour, text_colour):
        if not _HEX_COLOUR.match(value):
            raise ValueError(f"not a #rrggbb colour: {value!r}")
    return f"gk-swatch-{colour[1:].lower()}-{text_colour[1:].lower()}"


@dataclass(frozen=True)
class Swatch:
    """A cell coloured by a level (AQI): the text says the level, the colour only repeats it."""
    text: str
    colour: str
    text_colour: str

    def __str__(self) -> str:
        return self.text

    @property
    def css_class(self) -> str:
        return swatch_class(self.colour, self.text_colour)


@dataclass(frozen=True)
class Link:
    """A cell that links to another generated page (docs path)."""
    text: str
    docs_path: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Row:
    cells: tuple
    level: int = 0          # 1 类, 2 款, 3 项: indentation by code level
    total: bool = False     # a 合计 row


@dataclass(frozen=True)
class Grid:
    id: str                 # file stem of the downloads, e.g. general_expenditure
    title: str              # caption, e.g. 一般公共预算支出表
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    unit: str = ""          # shown in the caption: 单位：万元
    number: str = ""        # 表5
    empty_note: str = ""    # shown instead of rows when there are none
    note: str = ""          # a line under the table
    header_column: int = 1  # index of the column that names the row (th scope=row)

    @property
    def caption(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def body_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if not r.total)

    @property
    def total_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.total)


def shown(value, column: Column) -> str:
    """The text of a cell on the page."""
    if value is None:
        return "—"
    if value == "":
        return ""
    if isinstance(value, (Swatch, Link)):
        return value.text
    kind = column.kind
    if kind == MONEY:
        return money.money(value)
    if kind == SIGNED:
        return money.signed(value)
    if kind == PERCENT:
        return money.percent_text(value)
    if kind == COUNT:
        return money.count(value)
    if kind == NUMBER and isinstance(value, (int, Decimal)):
        return f"{value:,}"
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value) or "—"
    return str(value)


def csv_value(value, column: Column) -> str:
    """The text of a cell in CSV: plain numbers (2172.46, 88.6) so spreadsheets compute with them; text that a
    spreadsheet would run as a formula is neutralised (export/csvcells.py)."""
    if value is None or value == "":
        return ""
    if column.numeric and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return money.plain(value) if column.kind in (MONEY, SIGNED) else str(value)
    if isinstance(value, (Swatch, Link)):
        text = value.text
    elif isinstance(value, Decimal):
        text = str(value)
    elif isinstance(value, (list, tuple)):
        text = "、".join(str(v) for v in value)
    else:
        text = str(value)
    return text_cell(text)


@dataclass(frozen=True)
class Chart:
    """An SVG chart written beside the page; alt is its text alternative (the figures in words).

    A phone shows the chart's figures as a table instead (head, series, rows): a chart drawn 720 wide would
    print its labels at a third of their size on a 320 px screen."""
    file: str               # file name beside the page, e.g. composition.svg
    title: str
    alt: str
    svg: str = field(repr=False)
    width: int = 0
    height: int = 0
    unit: str = ""          # of every figure, e.g. 万元
    head: str = ""          # what the rows are, e.g. 科目
    series: tuple = ()      # column labels, e.g. (基本支出, 项目支出)
    rows: tuple = ()        # (label, (figure or None, ...)), in the chart's order
