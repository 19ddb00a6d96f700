"""Static SVG charts, drawn at build time: readable without JavaScript, each with a title and a description.

Pages show them as <img> with an alt text that states the figures; the SVG itself carries <title> and <desc>
too, so the file makes sense when downloaded or opened alone. Colours are never the only carrier of meaning:
every series has a legend entry and every bar or point its figure as text.
"""
from __future__ import annotations

import calendar
import math
from decimal import Decimal
from html import escape

FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"
# Two series that stay apart for colour-blind readers (blue / orange), and greys for axes.
PALETTE = ("#2f6fb0", "#e07b00", "#4d9a3b", "#8c4fa5", "#b0413e", "#5a5a5a")
AXIS, GRID, INK = "#666666", "#e3e3e3", "#222222"


def text_width(text: str, size: float) -> float:
    """Rough width of a label: CJK characters are square, Latin and digits about half as wide."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.58 for ch in text)


def nice_max(value: float, ticks: int = 5) -> tuple[float, float]:
    """An axis maximum and a step of 1, 2, 2.5 or 5 × 10^n, with about `ticks` steps up to value."""
    if value <= 0:
        return 1.0, 0.2
    raw = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(f * magnitude for f in (1, 2, 2.5, 5, 10) if f * magnitude >= raw)
    return step * math.ceil(value / step - 1e-9), step


def fmt(value: float, decimals: int = 2) -> str:
    return f"{value:,.{decimals}f}"


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-labelledby="t d" font-family="{FONT}" font-size="13">'
            f'<title id="t">{escape(title)}</title><desc id="d">{escape(desc)}</desc>'
            f'<rect width="{width}" height="{height}" fill="#ffffff"/>' + "".join(body) + "</svg>\n")


def _legend(series: list[tuple[str, str]], x: float, y: float) -> list[str]:
    out = []
    for name, colour in series:
        out.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colour}"/>'
                   f'<text x="{x + 17:.1f}" y="{y:.1f}" fill="{INK}">{escape(name)}</text>')
        x += 17 + text_width(name, 13) + 22
    return out


def stacked_bars(title: str, unit: str, rows: list[tuple[str, list[Decimal]]], series: list[str],
                 desc: str, decimals: int = 2) -> tuple[str, int, int]:
    """Horizontal bars, one per row, stacked by series; the row total is printed at the end of each bar."""
    colours = [(name, PALETTE[i]) for i, name in enumerate(series)]
    label_w = max([text_width(label, 13) for label, _ in rows] + [40]) + 12
    width = 720
    value_w = 90
    plot_w = width - label_w - value_w - 16
    bar_h, gap, top = 22, 12, 54
    height = top + len(rows) * (bar_h + gap) + 34
    totals = [float(sum(values)) for _, values in rows]
    axis_max, step = nice_max(max(totals + [0]))
    body = [f'<text x="8" y="22" font-size="15" font-weight="bold" fill="{INK}">{escape(title)}</text>',
            f'<text x="{width - 8}" y="22" text-anchor="end" fill="{AXIS}">单位：{escape(unit)}</text>']
    body += _legend(colours, label_w + 8, 44) if len(series) > 1 else []
    x0 = label_w + 8
    tick = 0.0
    while tick <= axis_max + 1e-9:
        x = x0 + plot_w * tick / axis_max
        body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 28}" stroke="{GRID}"/>'
                    f'<text x="{x:.1f}" y="{height - 12}" text-anchor="middle" font-size="12" fill="{AXIS}">'
                    f'{fmt(tick, 0 if step >= 1 else 1)}</text>')
        tick += step
    for i, (label, values) in enumerate(rows):
        y = top + i * (bar_h + gap)
        body.append(f'<text x="{label_w}" y="{y + bar_h * 0.7:.1f}" text-anchor="end" fill="{INK}">{escape(label)}</text>')
        x = x0
        for j, value in enumerate(values):
            w = plot_w * float(value) / axis_max if axis_max else 0
            if w > 0:
                body.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[j]}"/>')
            x += w
        body.append(f'<text x="{x + 6:.1f}" y="{y + bar_h * 0.7:.1f}" fill="{INK}">{fmt(totals[i], decimals)}</text>')
    return _svg(width, height, title, desc, body), width, height


def _frame(title, unit, colours, width, left, right, top, plot_h, axis_max, step, legend_y) -> list[str]:
    """Title, unit, legend and the horizontal grid with its value labels: shared by the column and line charts."""
    body = [f'<text x="8" y="22" font-size="15" font-weight="bold" fill="{INK}">{escape(title)}</text>',
            f'<text x="{width - 8}" y="22" text-anchor="end" fill="{AXIS}">单位：{escape(unit)}</text>']
    body += _legend(colours, left, legend_y)
    tick = 0.0
    while tick <= axis_max + 1e-9:
        y = top + plot_h - plot_h * tick / axis_max
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>'
                    f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="{AXIS}">'
                    f'{fmt(tick, 0 if step >= 1 else 1)}</text>')
        tick += step
    return body


def grouped_columns(title: str, unit: str, groups: list[tuple[str, list[Decimal | None]]], series: list[str],
                    desc: str, decimals: int = 2) -> tuple[str, int, int]:
    """Vertical columns grouped by x label (e.g. 年度), one column per series; missing values are left out."""
    colours = [(name, PALETTE[i]) for i, name in enumerate(series)]
    width, height = 720, 320
    left, right, top, bottom = 64, 16, 60, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(v) for _, vs in groups for v in vs if v is not None]
    axis_max, step = nice_max(max(values + [0]))
    body = _frame(title, unit, colours, width, left, right, top, plot_h, axis_max, step, legend_y=46)
    slot = plot_w / max(1, len(groups))
    col_w = min(44, slot * 0.8 / max(1, len(series)))
    for i, (label, vs) in enumerate(groups):
        cx = left + slot * i + slot / 2
        start = cx - col_w * len(series) / 2
        for j, v in enumerate(vs):
            if v is None:
                continue
            h = plot_h * float(v) / axis_max
            x = start + j * col_w
            body.append(f'<rect x="{x + 2:.1f}" y="{top + plot_h - h:.1f}" width="{col_w - 4:.1f}" height="{h:.1f}" '
                        f'fill="{PALETTE[j]}"/><text x="{x + col_w / 2:.1f}" y="{top + plot_h - h - 4:.1f}" '
                        f'text-anchor="middle" font-size="12" fill="{INK}">{fmt(float(v), decimals)}</text>')
        body.append(f'<text x="{cx:.1f}" y="{height - 20}" text-anchor="middle" fill="{INK}">{escape(label)}</text>')
    body.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{AXIS}"/>')
    return _svg(width, height, title, desc, body), width, height


def lines(title: str, unit: str, labels: list[str], series: list[tuple[str, list[int | Decimal | None]]],
          desc: str, decimals: int = 0) -> tuple[str, int, int]:
    """One line per series over the x labels (periods); each point carries its figure."""
    colours = [(name, PALETTE[i]) for i, (name, _) in enumerate(series)]
    width, height = 720, 340
    left, right, top, bottom = 70, 64, 64, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(v) for _, vs in series for v in vs if v is not None]
    axis_max, step = nice_max(max(values + [0]))
    body = _frame(title, unit, colours, width, left, right, top, plot_h, axis_max, step, legend_y=48)
    n = len(labels)
    xs = [left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2) for i in range(n)]
    every = max(1, -(-n // 8))
    for i, label in enumerate(labels):
        if i % every == 0 or i == n - 1:
            body.append(f'<text x="{xs[i]:.1f}" y="{height - 30}" text-anchor="middle" font-size="12" '
                        f'fill="{INK}">{escape(label)}</text>')
    markers = ("circle", "rect", "diamond")
    ends = []          # (y, text, colour) of each series' last figure, placed apart below
    for j, (name, vs) in enumerate(series):
        points = [(xs[i], top + plot_h - plot_h * float(v) / axis_max) for i, v in enumerate(vs) if v is not None]
        if len(points) > 1:
            body.append(f'<polyline fill="none" stroke="{PALETTE[j]}" stroke-width="2" points="'
                        + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"/>')
        for (x, y), v in zip(points, [v for v in vs if v is not None]):
            shape = markers[j % len(markers)]
            if shape == "circle":
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{PALETTE[j]}"/>')
            elif shape == "rect":
                body.append(f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{PALETTE[j]}"/>')
            else:
                body.append(f'<path d="M{x:.1f} {y - 4.5:.1f}l4.5 4.5l-4.5 4.5l-4.5 -4.5z" fill="{PALETTE[j]}"/>')
        if points:
            ends.append([points[-1][1] + 4, fmt(float([v for v in vs if v is not None][-1]), decimals), PALETTE[j]])
    ends.sort()
    for i in range(1, len(ends)):
        ends[i][0] = max(ends[i][0], ends[i - 1][0] + 13)
    for y, label, colour in ends:
        body.append(f'<text x="{width - right + 6}" y="{y:.1f}" font-size="12" fill="{INK}">{label}</text>')
    body.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{AXIS}"/>')
    return _svg(width, height, title, desc, body), width, height


def calendar_month(title: str, year: int, month: int, days: dict[int, tuple[str, str, str, str]],
                   desc: str) -> tuple[str, int, int]:
    """A month as a calendar: each day's cell coloured by level, with the day, the AQI and the category in text.

    days: day -> (AQI text, category, background colour, text colour).
    """
    cell_w, cell_h, top, left = 96, 64, 56, 8
    weeks = calendar.Calendar(firstweekday=0).monthdayscalendar(year, month)
    width, height = left * 2 + cell_w * 7, top + 24 + cell_h * len(weeks) + 8
    body = [f'<text x="{left}" y="24" font-size="15" font-weight="bold" fill="{INK}">{escape(title)}</text>']
    for i, name in enumerate("一二三四五六日"):
        body.append(f'<text x="{left + cell_w * i + cell_w / 2}" y="{top + 12}" text-anchor="middle" '
                    f'fill="{AXIS}">周{name}</text>')
    for w, week in enumerate(weeks):
        for i, day in enumerate(week):
            if not day:
                continue
            x, y = left + cell_w * i, top + 24 + cell_h * w
            aqi, category, colour, ink = days.get(day, ("", "无数据", "#f2f2f2", "#666666"))
            body.append(f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{colour}" '
                        f'stroke="#ffffff"/><text x="{x + 6}" y="{y + 17}" font-size="12" fill="{ink}">{day}日</text>'
                        f'<text x="{x + cell_w - 6}" y="{y + 17}" text-anchor="end" font-size="14" font-weight="bold" '
                        f'fill="{ink}">{escape(aqi)}</text><text x="{x + cell_w / 2}" y="{y + 46}" text-anchor="middle" '
                        f'font-size="13" fill="{ink}">{escape(category)}</text>')
    return _svg(width, height, title, desc, body), width, height
