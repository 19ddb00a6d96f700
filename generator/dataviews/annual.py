"""年度报告 on its page: the editor's sections 一, 五 and 六 around the tables 二, 三 and 四 the compliance engine
computed (generator/compliance/annual.py), and a link to the A4 PDF that `build` writes into site/print."""
from __future__ import annotations

from ..compliance.annual import AnnualReport, spec, table_html
from ..compliance.annual_output import site_link
from . import RecordData, Section


class Mission:
    def __init__(self, index):
        self.index = index

    def record(self, record, data: RecordData) -> None:
        for d in record.datasets:
            if isinstance(d, AnnualReport):
                data.sections.append(Section("annual_report.md.j2", "年度报告", extra={
                    "report": d, "sections": spec()["sections"], "table": table_html, "pdf": site_link(record)}))
                data.json[d.kind_name] = d.to_json()
                data.owns_body = True

    def pages(self) -> list:
        return []

    def category_links(self, category_id: str) -> list:
        return []
