"""The 年度报告 as a document of its own: HTML and an A4 PDF (WeasyPrint, the print fonts).

`report --annual YEAR` writes them for the office (from the published report record when there is one,
otherwise a preview with the editor's sections left to write); `build` puts the PDF of every published report
into site/print beside the 公示版, and the report's page links to it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..export.layout import make_environment
from ..export.paths import PRINT_DIR
from ..export.pdf import PdfRenderer
from ..model import Record, Settings
from ..problems import Problems
from .annual import KIND, AnnualReport, balance, compute, spec, table_html
from .request_register import RequestRegister


def pdf_file(record: Record) -> str:
    """Path under the print directory: annual_reports/2026/annual-report-2025.pdf."""
    return f"{record.page_path}.pdf"


def site_link(record: Record) -> str:
    return f"{PRINT_DIR}/{pdf_file(record)}"


def report_of(record: Record) -> AnnualReport | None:
    return next((d for d in record.datasets if d.kind_name == KIND), None)


def html(report: AnnualReport, settings: Settings, record: Record | None) -> str:
    env = make_environment()
    env.filters["table"] = table_html
    title = record.title if record else f"{report.organisations[0] if len(report.organisations) == 1 else settings.host}" \
                                         f"{report.report_year}年政府信息公开工作年度报告"
    return env.get_template("annual.html.j2").render(
        doc_title=title, doc_author=record.publisher.name if record else settings.host, body_class="annual",
        report=report, record=record, title=title, site=settings, sections=spec()["sections"],
        proactive_items=[t for t in report.proactive])


@dataclass
class Made:
    html: Path | None = None
    pdf: Path | None = None
    summary: str = ""
    problems: Problems = field(default_factory=Problems)


def write(year: int, records: list[Record], settings: Settings, registers: dict[int, RequestRegister], out: Path) -> Made:
    made = Made()
    found = next(((r, report_of(r)) for r in records if report_of(r) and report_of(r).report_year == year), None)
    if found:
        record, report = found
    else:
        record = None
        register = registers.get(year)
        if register is None:
            made.problems.add(f"content/_requests/{year}.yml", None, None, f"没有 {year} 年的依申请公开登记，无法生成年度报告",
                              hint=f"请建立 content/_requests/{year}.yml；当年没有收到申请的，写 year: {year} 和 requests: []")
            return made
        placeholder = "（本部分由编辑人员撰写：在 annual_reports 分类中新建年度报告，正文写第一、五、六部分。）"
        report = compute(year, tuple(o.name for o in settings.organisations), records, register, Decimal(0),
                         tuple((h, placeholder) for h in spec()["editor_sections"]), made.problems)
    out.mkdir(parents=True, exist_ok=True)
    made.html = out / f"annual-report-{year}.html"
    made.pdf = out / f"annual-report-{year}.pdf"
    text = html(report, settings, record)
    made.html.write_text(text, encoding="utf-8")
    renderer = PdfRenderer()
    try:
        pages = renderer.write([renderer.render(text)], made.pdf)
    finally:
        renderer.close()
    values = {label: v for label, _, v in report.requests.rows}
    rows = spec()["rows"]
    made.summary = (f"{year} 年度报告（{'、'.join(report.organisations)}）："
                    + ("根据已发布的年度报告" if record else "预览：尚未发布年度报告，第一、五、六部分待撰写")
                    + f"，共 {pages} 页。依申请公开：新收 {values[rows['received']][-1]} 件，上年结转 "
                      f"{values[rows['carried_in']][-1]} 件，办理 {values[rows['total']][-1]} 件，结转下年 "
                      f"{values[rows['carried_out']][-1]} 件；勾稽关系" + ("不成立" if balance(report.requests) else "成立") + "。")
    return made


def write_site_pdfs(records: list[Record], settings: Settings, print_dir: Path) -> list[Path]:
    """PDFs of the published annual reports, for the website (linked from each report's page)."""
    reports = [(r, report_of(r)) for r in records if r.is_published and report_of(r)]
    if not reports:
        return []
    renderer = PdfRenderer()
    out = []
    try:
        for record, report in reports:
            target = print_dir / pdf_file(record)
            renderer.write([renderer.render(html(report, settings, record))], target)
            out.append(target)
    finally:
        renderer.close()
    return out

