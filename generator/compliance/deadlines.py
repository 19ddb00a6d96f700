"""公开时限: when each published record was due, from its category's (or its kind's) deadline, and how late it was.

A deadline is data in _category.yml: n 工作日 or 日 from an anchor date that a named record field holds
(generator/data/deadlines.yml gives each anchor its default field), or a fixed day of the following year
(`by: 01-31`, the 年度报告). Late records still publish: the law wants them out, late or not.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..datasets.spec import load
from ..model import Deadline, Record
from ..rules.dates import parse_date
from .workdays import WorkCalendar

WORKING = "工作日"


def spec():
    return load("deadlines")


def describe(deadline: Deadline) -> str:
    """公开时限 as the category page shows it."""
    if deadline.by:
        return f"次年{int(deadline.by[:2])}月{int(deadline.by[3:])}日前"
    anchor = spec()["interprets_label"] if deadline.field == "interprets" else spec()["anchors"][deadline.anchor]["label"]
    return f"{anchor}之日起 {deadline.n} 个工作日内" if deadline.unit == WORKING else f"{anchor}之日起 {deadline.n} 日内"


def rule_of(record: Record) -> tuple[Deadline | None, str]:
    """The deadline that applies to a record and the name of its kind: a kind's own rule first."""
    for d in record.datasets:
        kind = record.category.kinds.get(d.kind_name)
        if kind is not None and kind.deadline is not None:
            return kind.deadline, kind.title
    return record.category.deadline, record.category.title


def anchor_field(deadline: Deadline) -> str:
    return deadline.field or spec()["anchors"][deadline.anchor]["field"]


def record_year(record: Record) -> int:
    """The year a yearly record is about (年度报告 2025), else the year it was formed."""
    for d in record.datasets:
        year = getattr(d, "report_year", None)
        if year:
            return year
    report = record.data.get("annual_report")
    if report is not None and isinstance(report.get("year"), int):
        return report["year"]
    return record.written_on.year


@dataclass(frozen=True)
class Due:
    """A record measured against its deadline."""
    record: Record
    deadline: Deadline
    kind: str
    anchor_label: str       # 成文, 批复 … ; empty for a fixed day
    anchor: date | None
    due: date
    late: int               # 工作日 or 日 past the due date; 0 when on time

    @property
    def unit(self) -> str:
        return "天" if self.deadline.by or self.deadline.unit != WORKING else "个工作日"

    def arithmetic(self) -> str:
        """「成文 2026-02-11，应于 2026-03-17 前公开，实际 2026-03-20 公开，逾期 3 个工作日」"""
        start = f"{self.anchor_label} {self.anchor.isoformat()}，" if self.anchor else f"{record_year(self.record)} 年度，"
        tail = f"逾期 {self.late} {self.unit}" if self.late else "按时"
        return (f"{start}应于 {self.due.isoformat()} 前公开，实际 {self.record.published_on.isoformat()} 公开，"
                f"{tail}")


@dataclass(frozen=True)
class MissingAnchor:
    record: Record
    deadline: Deadline
    field: str


def anchor_of(record: Record, deadline: Deadline, published: dict[str, Record]) -> tuple[str, date | None]:
    """(label, date) the deadline runs from; the date is None when the record lacks it."""
    labels = spec()["field_labels"]
    field = anchor_field(deadline)
    if field == "interprets":
        target = published.get(record.interprets or "")
        return labels["interprets"], target.published_on if target else None
    value = _date(record, field)
    changed_field = spec()["anchors"].get(deadline.anchor, {}).get("changed_field")
    changed = _date(record, changed_field) if changed_field and not deadline.field else None
    if changed and (value is None or changed > value):
        return labels.get(changed_field, changed_field), changed
    return labels.get(field, field), value


def _date(record: Record, field: str) -> date | None:
    if field == "written_on":
        return record.written_on
    if field == "published_on":
        return record.published_on
    value = record.data.get(field)
    return parse_date(value) if isinstance(value, str) else None


def due_date(deadline: Deadline, anchor: date | None, year: int, calendar: WorkCalendar) -> date | None:
    if deadline.by:
        return date(year + 1, int(deadline.by[:2]), int(deadline.by[3:]))
    if anchor is None:
        return None
    if deadline.unit == WORKING:
        return calendar.add(anchor, deadline.n)
    return anchor + timedelta(days=deadline.n)


def measure(records: list[Record], calendar: WorkCalendar) -> tuple[list[Due], list[MissingAnchor]]:
    """Every published 主动公开 record with a deadline, measured; and those whose anchor date is missing."""
    published = {r.index_no: r for r in records if r.is_published}
    dues, missing = [], []
    for record in records:
        if not record.is_published or record.disclosure != "主动公开":
            continue
        deadline, kind = rule_of(record)
        if deadline is None:
            continue
        label, anchor = ("", None) if deadline.by else anchor_of(record, deadline, published)
        due = due_date(deadline, anchor, record_year(record), calendar)
        if due is None:
            if anchor_field(deadline) != "interprets":   # a missing document is a consistency finding
                missing.append(MissingAnchor(record, deadline, anchor_field(deadline)))
            continue
        if deadline.by or deadline.unit != WORKING:
            late = max(0, (record.published_on - due).days)
        else:
            late = calendar.between(due, record.published_on)
        dues.append(Due(record, deadline, kind, label, anchor, due, late))
    return dues, missing
