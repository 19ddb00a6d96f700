"""What `check` says about compliance: late records and mismatched documents are 提醒 (they still publish),
a broken 依申请 register or annual report is an error. validate.py calls run() once, after the records."""
from __future__ import annotations

from pathlib import Path

from ..datasets.clock import today
from ..model import Record, Settings
from ..problems import ERROR, WARNING, Problems, display_path
from ..rules.dates import parse_date
from . import annual
from .consistency import mismatches
from .deadlines import describe, measure
from .request_register import load_request_registers, register_files
from .workdays import CountingRule, WorkCalendar

# Dates a deadline or a consistency check reads besides 成文/发布 (their shape is checked by the schemas).
DATE_FIELDS = ("changed_on", "approved_on", "valid_until", "repealed_on")
WORKDAYS_FILE = Path(__file__).resolve().parent.parent / "data" / "workdays.yml"


def calendar_for(settings: Settings) -> WorkCalendar:
    c = settings.compliance
    return WorkCalendar(CountingRule(c.first_day, c.adjusted_workdays))


def run(records: list[Record], raws: list, settings: Settings, content: Path, problems: Problems) -> list[Record]:
    docs = {raw.shown: raw.front for raw in raws}

    def line(record: Record, key: str):
        doc = docs.get(record.source)
        return doc.line_of((key,)) if doc is not None else None

    failed = set()
    for record in records:
        for key in DATE_FIELDS:
            value = record.data.get(key)
            if isinstance(value, str) and parse_date(value) is None:
                problems.add(record.source, line(record, key), key, "日期不存在", got=value,
                             expected="真实存在的日期，格式 YYYY-MM-DD")
                failed.add(record.source)
    records = [r for r in records if r.source not in failed]

    calendar = calendar_for(settings)
    dues, missing = measure(records, calendar)
    for due in dues:
        if due.late:
            problems.add(due.record.source, line(due.record, "published_on"), "发布日期 (published_on)",
                         f"超过公开时限（{due.kind}：{describe(due.deadline)}）", got=due.arithmetic(),
                         hint="信息照常发布；请查明原因，今后按时公开。如果日期填错了，请更正", severity=WARNING)
    for gap in missing:
        problems.add(gap.record.source, None, gap.field, "缺少计算公开时限的日期",
                     expected=f"{describe(gap.deadline)}：请填写 {gap.field}（YYYY-MM-DD）",
                     hint="公开时限从这个日期起算；填写后 check 和 report 才能核对是否按时公开", severity=WARNING)
    for m in mismatches(records, today()):
        if m.in_check:
            problems.add(m.record.source, line(m.record, m.field), m.field, m.message, hint=m.hint,
                         severity=ERROR if m.refused else WARNING)

    registers = load_request_registers(content, settings, problems)
    broken = {int(f.stem[:4]) for f in register_files(content) if f.stem[:4].isdigit()} - set(registers)
    records = annual.attach(records, registers, settings, problems, docs, broken)
    for note in calendar.notes():
        problems.add(display_path(WORKDAYS_FILE), None, "节假日安排", note, severity=WARNING)
    return records
