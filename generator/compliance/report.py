"""`report`: every compliance finding of the content on a day, as a Chinese table, an internal HTML page and JSON.

Findings: late records (with the arithmetic), records whose deadline cannot be computed, missing periods of a
定期公开 cadence, stale 栏目, mismatched documents, and 依申请 requests answered late or overdue. Requests still
within their limit are listed beside the findings with the working days left; they are not findings.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..model import Category, Record, Settings
from . import coverage
from .consistency import mismatches
from .deadlines import describe, measure
from .request_register import RequestRegister, standing
from .workdays import WorkCalendar

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "theme" / "report"

LATE, NO_ANCHOR, GAP, STALE, MISMATCH, REQUEST = "逾期公开", "无法核对时限", "定期公开缺失", "栏目未更新", "文件不一致", "依申请逾期"


@dataclass(frozen=True)
class Finding:
    kind: str            # one of the labels above
    publisher: str       # short name of the body concerned
    subject: str         # what: a record title, a period, a 栏目, a request number
    detail: str          # the arithmetic or the reason
    file: str = ""       # where to fix it, when a file is concerned


@dataclass(frozen=True)
class OpenRequest:
    id: str
    publisher: str
    received_on: str
    due: str             # empty while a 补正 is awaited
    status: str
    days_left: int


@dataclass
class Report:
    today: date
    findings: list[Finding] = field(default_factory=list)
    open_requests: list[OpenRequest] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)        # working-day data 提醒

    def to_json(self) -> dict:
        return {"date": self.today.isoformat(), "findings": [asdict(f) for f in self.findings],
                "open_requests": [asdict(r) for r in self.open_requests], "notes": self.notes}


def _short(org) -> str:
    return org.short_name or org.name


def compile_report(records: list[Record], categories: dict[str, Category], settings: Settings,
                   registers: dict[int, RequestRegister], today: date, calendar: WorkCalendar) -> Report:
    report = Report(today)
    add = report.findings.append
    dues, missing = measure(records, calendar)
    for due in sorted(dues, key=lambda d: (d.record.published_on, d.record.source)):
        if due.late:
            add(Finding(LATE, _short(due.record.publisher), due.record.title,
                        f"{due.kind}，{describe(due.deadline)}：{due.arithmetic()}", due.record.source))
    for m in missing:
        add(Finding(NO_ANCHOR, _short(m.record.publisher), m.record.title,
                    f"{describe(m.deadline)}，但没有填写 {m.field}", m.record.source))
    for gap in coverage.gaps(records, categories, settings, today, calendar):
        add(Finding(GAP, _short(gap.publisher), f"{gap.period.label} {gap.kind}",
                    f"{gap.text()}（应于 {gap.due.isoformat()} 前公开）"))
    for s in coverage.stale(records, categories, settings, today):
        add(Finding(STALE, "", s.category.title, s.text(), str(s.category.directory.name)))
    for m in mismatches(records, today):
        add(Finding(MISMATCH, _short(m.record.publisher), m.record.title, m.message, m.record.source))
    # A request carried over into the next year's file is measured there, where its answer is entered.
    latest = {}
    for year in sorted(registers):
        for request in registers[year].requests:
            latest[request.id] = (registers[year], request)
    for register, request in latest.values():
        s = standing(request, today, calendar)
        who = _short(request.publisher)
        due = s.due.isoformat() if s.due else ""
        if s.status == "逾期答复":
            add(Finding(REQUEST, who, f"申请 {request.id}",
                        f"收到 {request.received_on.isoformat()}，应于 {due} 前答复，实际 "
                        f"{request.answered_on.isoformat()} 答复，逾期 {s.days} 个工作日", register.file))
        elif s.status == "逾期未答复":
            add(Finding(REQUEST, who, f"申请 {request.id}",
                        f"收到 {request.received_on.isoformat()}，应于 {due} 前答复，至今未答复，已逾期 {s.days} 个工作日",
                        register.file))
        elif request.answered_on is None:
            report.open_requests.append(OpenRequest(request.id, who, request.received_on.isoformat(), due,
                                                    s.status, s.days))
        if s.correction_late:
            add(Finding(REQUEST, who, f"申请 {request.id}",
                        f"补正告知晚于收到申请后 7 个工作日，超出 {s.correction_late} 个工作日（条例第三十条）",
                        register.file))
    report.notes = calendar.notes()
    return report


# ---- output -----------------------------------------------------------------------------------------------

def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(str(c)) for c in column) for column in zip(header, *rows)]
    line = "  ".join("─" * w for w in widths)
    out = ["  ".join(_pad(h, w) for h, w in zip(header, widths)), line]
    out += ["  ".join(_pad(str(c), w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(out)


def format_text(report: Report) -> str:
    parts = [f"政务公开合规报告（{report.today.isoformat()}）", ""]
    if report.findings:
        rows = [[str(i), f.kind, f.publisher or "—", f.subject, f.detail] for i, f in enumerate(report.findings, 1)]
        parts += [text_table(["序号", "类别", "机构", "事项", "说明"], rows), ""]
    else:
        parts += ["没有发现问题：信息按时公开，定期公开完整，依申请公开均在期限内。", ""]
    if report.open_requests:
        rows = [[r.id, r.publisher, r.received_on, r.due or "（等待补正，暂停计时）", r.status,
                 "—" if not r.due else f"{r.days_left} 个工作日"] for r in report.open_requests]
        parts += ["办理中的依申请公开：", text_table(["申请编号", "机构", "收到日期", "答复期限", "状态", "剩余"], rows), ""]
    for note in report.notes:
        parts.append(f"[提醒] {note}")
    counts = {}
    for f in report.findings:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    summary = "、".join(f"{k} {v} 项" for k, v in counts.items())
    parts.append(f"共 {len(report.findings)} 项发现" + (f"（{summary}）" if summary else "") + "。")
    return "\n".join(parts)


def write(report: Report, settings: Settings, out: Path) -> list[Path]:
    """report.html and report.json into out (the internal build output); returns the files written."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    out.mkdir(parents=True, exist_ok=True)
    html = env.get_template("report.html.j2").render(report=report, site=settings)
    files = [out / "report.html", out / "report.json"]
    files[0].write_text(html, encoding="utf-8")
    files[1].write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    return files
