"""Checks of consultations and adoption reports, one record at a time and across records.

- a window is real dates, its end not before its start, and (提醒) not shorter than `min_days`;
- an adoption report's counts add up: 收到 = 采纳 + 部分采纳 + 未采纳, and match its list of opinions;
- across records: a report names a consultation of this site, is published after the window closed; a
  consultation closed for more than `report_within` days without a published report is a 提醒.
"""
from __future__ import annotations

from collections import Counter
from typing import Mapping

from ...datasets.clock import today
from ...model import NoticePeriod, freeze
from ...problems import WARNING
from ...rules.dates import impossible_date_hint, parse_date
from ...rules.spot import Spot
from ..columns import column_of, TableSpec
from ..table.checks import read as read_table
from ..table.model import DeclaredTable
from .model import COUNT_FIELDS, RESULTS, AdoptionReport, Consultation

DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "YYYY-MM-DD 格式的日期"}
OPINION_COLUMNS = {
    "summary": {"title": "意见摘要", "type": "string", "minLength": 2},
    "result": {"title": "采纳情况", "enum": list(RESULTS), "description": "、".join(RESULTS) + " 之一"},
    "reason": {"title": "理由或说明", "type": "string"},
}


def fields(options: Mapping) -> dict:
    """The two fields a consultation category's records may carry."""
    return {
        "consultation": {
            "title": "征求意见", "type": "object", "required": ["start", "end", "how_to_comment"],
            "additionalProperties": False,
            "description": "征求意见的开始日期 start、截止日期 end（两天都算）和意见反馈方式 how_to_comment",
            "x-hint": "例如 consultation: {start: 2026-07-01, end: 2026-07-30, how_to_comment: 请发送电子邮件至……}",
            "properties": {"start": {"title": "开始日期", **DATE}, "end": {"title": "截止日期", **DATE},
                           "how_to_comment": {"title": "意见反馈方式", "type": "string", "minLength": 4,
                                              "description": "电子邮件、信函地址、电话等，公众怎样提出意见"}}},
        "adoption_report": {
            "title": "意见采纳情况", "type": "object", "required": ["consultation"], "additionalProperties": False,
            "description": "所报告的征求意见信息的索引号 consultation，收到和采纳意见的条数，逐条意见及采纳情况",
            "x-hint": "consultation 写征求意见那条信息的索引号；逐条意见写在 opinions 中",
            "properties": {
                "consultation": {"title": "征求意见的信息", "type": "string",
                                 "description": "征求意见那条信息的索引号"},
                **{key: {"title": label, "type": "integer", "minimum": 0, "description": f"{label}的条数"}
                   for key, label in COUNT_FIELDS},
                "opinions": {"title": "意见和采纳情况", "type": "array", "x-table": True,
                             "items": {"type": "object", "required": ["summary", "result"],
                                       "additionalProperties": False, "properties": OPINION_COLUMNS}}}},
    }


def _window(data: Mapping, spot: Spot) -> NoticePeriod | None:
    days = {}
    for key in ("start", "end"):
        text = data["consultation"][key]
        days[key] = parse_date(text)
        if days[key] is None:
            spot.add(("consultation", key), f"征求意见 (consultation) {'开始' if key == 'start' else '截止'}日期 ({key})",
                     "日期不存在", expected="真实存在的日期，格式 YYYY-MM-DD", got=text, hint=impossible_date_hint(text))
    if None in days.values():
        return None
    if days["end"] < days["start"]:
        spot.add(("consultation", "end"), "征求意见 (consultation) 截止日期 (end)", "截止日期早于开始日期",
                 expected=f"不早于开始日期 {days['start'].isoformat()}", got=days["end"].isoformat())
        return None
    return NoticePeriod(days["start"], days["end"])


def read_consultation(data: Mapping, options: Mapping, spot: Spot) -> Consultation | None:
    window = _window(data, spot)
    if window is None:
        return None
    least = options.get("min_days")
    if least and window.days < least:
        spot.add(("consultation", "end"), "征求意见 (consultation) 截止日期 (end)",
                 f"征求意见期 {window.days} 天，少于规定的 {least} 天", severity=WARNING,
                 expected=f"至少 {least} 天（{window.start.isoformat()} 起）", got=f"{window.days} 天",
                 hint="重大行政决策征求意见期一般不少于 30 日；确需缩短的，请在正文中说明理由")
    return Consultation(window, data["consultation"]["how_to_comment"].strip(), options.get("report_within"))


def read_report(data: Mapping, spot: Spot) -> AdoptionReport | None:
    report = data["adoption_report"]
    before = spot.errors()
    counts = tuple((label, report[key]) for key, label in COUNT_FIELDS if key in report)
    parts = [report.get(k) for k in ("adopted", "partly_adopted", "not_adopted")]
    if "received" in report and all(p is not None for p in parts) and report["received"] != sum(parts):
        spot.add(("adoption_report", "received"), "意见采纳情况 (adoption_report) 收到意见 (received)",
                 "收到意见条数不等于采纳、部分采纳、未采纳之和", expected=f"{sum(parts)}（{' + '.join(map(str, parts))}）",
                 got=str(report["received"]), hint="请核对各项条数")
    opinions = None
    if report.get("opinions"):
        rows = report["opinions"]
        spec = TableSpec("opinions", "意见和采纳情况", tuple(column_of(k, v) for k, v in OPINION_COLUMNS.items()))
        opinions = DeclaredTable(spec, freeze(rows))
        tally = Counter(r["result"] for r in rows)
        stated = {"received": len(rows), "adopted": tally["采纳"], "partly_adopted": tally["部分采纳"],
                  "not_adopted": tally["未采纳"]}
        for key, label in COUNT_FIELDS:
            if key in report and report[key] != stated[key]:
                spot.add(("adoption_report", key), f"意见采纳情况 (adoption_report) {label} ({key})",
                         f"{label}条数与逐条列出的意见不一致", expected=f"{stated[key]}（按 opinions 逐条统计）",
                         got=str(report[key]), hint="请核对条数和 opinions 中每条意见的采纳情况")
    if spot.errors() != before:
        return None
    return AdoptionReport(report["consultation"], counts, opinions)


def read(raw, category, published, notice, spot: Spot) -> list:
    data = raw.front.data
    options = category.options or {}
    out = []
    if "consultation" in data:
        out.append(read_consultation(data, options, spot))
    if "adoption_report" in data:
        out.append(read_report(data, spot))
    # Tables the category declares itself (a 征求意见 may list its 主要条款 …) are read like kind: table's.
    out += [read_table(data, spec, spot) for spec in category.tables]
    return [d for d in out if d is not None]


def check_across(records, spots: dict, problems) -> None:
    consultations = {r.index_no: (r, d) for r in records for d in r.datasets if isinstance(d, Consultation)}
    reported = set()
    for record in records:
        for d in record.datasets:
            if not isinstance(d, AdoptionReport):
                continue
            spot = spots.get(record.source)
            if spot is None:
                continue
            target = consultations.get(d.consultation)
            field = "意见采纳情况 (adoption_report) 征求意见的信息 (consultation)"
            if target is None:
                spot.add(("adoption_report", "consultation"), field, "找不到所报告的征求意见", got=d.consultation,
                         expected="本网站一条征求意见信息（写了 consultation 的信息）的索引号",
                         hint="请核对索引号：应为征求意见那条信息的索引号")
                continue
            consulted, window = target
            if record.is_published and not consulted.is_published:
                spot.add(("adoption_report", "consultation"), field, "所报告的征求意见不公开，采纳情况却要公开",
                         got=d.consultation, hint="请先公开征求意见的信息，或把采纳情况也设为不公开")
            if record.published_on <= window.window.end:
                spot.add(("published_on",), "发布日期 (published_on)", "采纳情况在征求意见截止之前发布",
                         expected=f"晚于征求意见截止日期 {window.window.end.isoformat()}",
                         got=record.published_on.isoformat(), hint="征求意见结束、意见整理完毕后再公布采纳情况")
            if record.is_published:
                reported.add(d.consultation)
    day = today()
    for index_no, (record, d) in consultations.items():
        due = d.report_due()
        spot = spots.get(record.source)
        if record.is_published and due and due < day and index_no not in reported and spot is not None:
            spot.add(("consultation", "end"), "征求意见 (consultation) 截止日期 (end)",
                     f"征求意见已于 {d.window.end.isoformat()} 结束，超过 {d.report_within} 天仍未公布意见采纳情况",
                     expected=f"{due.isoformat()} 前公布意见采纳情况", got="没有写 adoption_report 指向本信息的公开信息",
                     hint="请在本分类新建一条信息，写 adoption_report: {consultation: 本信息的索引号, ……}",
                     severity=WARNING)
