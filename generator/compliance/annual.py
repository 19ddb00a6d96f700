"""The 政府信息公开工作年度报告 in the 国办公开办函〔2021〕30号 format (domain.md §2).

Section 二 is counted from the records (规章 and 行政规范性文件 by their dates and validity; 行政许可, 行政处罚 and
行政强制 decisions from 行政执法 records' `decision_type`; the 行政事业性收费 amount from the report's own data),
sections 三 and 四 from the 依申请 register, sections 一, 五 and 六 are what the editor wrote in the report's body.
Rows and columns are data (generator/data/annual-report.yml).
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from markupsafe import Markup, escape

from ..datasets.spec import load
from ..model import Record, Settings
from ..problems import Problems
from ..rules.dates import parse_date
from .request_register import RequestRegister

KIND = "annual_report"
DECISION_TYPES = ("行政许可", "行政处罚", "行政强制")


def spec():
    return load("annual-report")


@dataclass(frozen=True)
class Table:
    """One table of the report: header rows (label, colspan, rowspan) and body rows (label, level, values)."""
    id: str
    header: tuple[tuple[tuple[str, int, int], ...], ...]
    rows: tuple[tuple[str, int, tuple], ...]
    note: str = ""
    label_columns: int = 1      # columns the row labels take (2 in table 三, none in table 四)


@dataclass(frozen=True)
class AnnualReport:
    report_year: int
    organisations: tuple[str, ...]          # names of the bodies it covers
    sections: tuple[tuple[str, str], ...]   # (heading, Markdown) written by the editor: 一, 五, 六
    proactive: tuple[Table, ...]
    requests: Table
    appeals: Table
    kind_name: str = KIND

    def span(self) -> tuple[date, date]:
        return date(self.report_year, 1, 1), date(self.report_year, 12, 31)

    def editor(self, heading_prefix: str) -> str:
        return next((text for heading, text in self.sections if heading.startswith(heading_prefix)), "")

    def to_json(self) -> dict:
        def table(t: Table):
            return {"id": t.id, "rows": [{"label": label, "values": [str(v) for v in values]}
                                         for label, _, values in t.rows if values]}
        return {"year": self.report_year, "format": spec()["format"], "organisations": list(self.organisations),
                "proactive": [table(t) for t in self.proactive], "requests": table(self.requests),
                "appeals": table(self.appeals)}


# ---- section 二: from the records -------------------------------------------------------------------------

def _date(record: Record, key: str) -> date | None:
    value = record.data.get(key)
    return parse_date(value) if isinstance(value, str) else None


def _in_force(record: Record, day: date) -> bool:
    if record.written_on > day:
        return False
    repealed, until = _date(record, "repealed_on"), _date(record, "valid_until")
    if repealed:
        return repealed > day
    if until:
        return until >= day
    return record.validity in ("", "有效", "已修改")


def table_decisions(record: Record, kind: str, year: int) -> int:
    """Decisions listed as rows of a declared table (双公示): each row of a table whose kind in _category.yml
    says `decision_type: 行政许可` is one decision, counted in the year of its decided_on (else the record's)."""
    count = 0
    for d in record.datasets:
        rules = record.category.kinds.get(getattr(d, "kind_name", ""))
        if rules is None or rules.decision_type != kind or not hasattr(d, "rows"):
            continue
        for row in d.rows:
            day = parse_date(row["decided_on"]) if isinstance(row.get("decided_on"), str) else None
            count += (day or record.written_on).year == year
    return count


def proactive_tables(year: int, records: list[Record], fees: Decimal) -> tuple[Table, ...]:
    s = spec()["proactive"]
    end = date(year, 12, 31)
    docs = s["documents"]
    rows = []
    for instrument in docs["rows"]:
        mine = [r for r in records if r.category.instrument == instrument]
        rows.append((instrument, 0, (sum(1 for r in mine if r.written_on.year == year),
                                      sum(1 for r in mine if (_date(r, "repealed_on") or date.min).year == year),
                                      sum(1 for r in mine if _in_force(r, end)))))
    out = [Table("documents", ((( docs["item"], len(docs["columns"]), 1),),
                               tuple((c, 1, 1) for c in docs["columns"])), tuple(rows))]
    for part in s["decisions"]:
        rows = [(kind, 0, (sum(int(r.data.get("decisions", 1)) for r in records
                               if r.data.get("decision_type") == kind and r.written_on.year == year)
                           + sum(table_decisions(r, kind, year) for r in records),))
                for kind in part["rows"]]
        out.append(Table("decisions-" + part["rows"][0], (((part["item"], len(part["columns"]), 1),),
                                                        tuple((c, 1, 1) for c in part["columns"])), tuple(rows)))
    f = s["fees"]
    out.append(Table("fees", (((f["item"], len(f["columns"]), 1),), tuple((c, 1, 1) for c in f["columns"])),
                     ((f["rows"][0], 0, (fees.quantize(Decimal("0.01")),)),)))
    return tuple(out)


# ---- sections 三 and 四: from the register ------------------------------------------------------------------

def request_table(register: RequestRegister, organisations) -> Table:
    s = spec()
    types = [s["applicants"]["natural"]] + list(s["applicants"]["organisations"])
    mine = [r for r in register.requests if r.publisher.name in organisations]

    def count(items) -> tuple:
        items = list(items)
        values = [sum(1 for r in items if r.applicant_type == t) for t in types]
        return tuple(values + [sum(values)])

    answered = [r for r in mine if r.answered_on and r.answered_on.year == register.year]
    rows = [(s["rows"]["received"], 0, count(r for r in mine if r.received_on.year == register.year)),
            (s["rows"]["carried_in"], 0, count(r for r in mine if r.received_on.year < register.year)),
            (s["rows"]["results"], 0, ())]
    for group in s["results"]:
        if "rows" in group:
            keys = [row["key"] for row in group["rows"]]
            rows.append((group["label"], 1, count(r for r in answered if r.answer in keys)))
            rows += [(row["label"], 2, count(r for r in answered if r.answer == row["key"])) for row in group["rows"]]
        else:
            rows.append((group["label"], 1, count(r for r in answered if r.answer == group["key"])))
    rows.append((s["rows"]["total"], 1, count(answered)))
    rows.append((s["rows"]["carried_out"], 0, count(r for r in mine if r.open_at(register.year_end))))
    a = s["applicants"]
    header = ((("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 2, 3), ("申请人情况", len(types) + 1, 1)),
              ((a["natural"], 1, 2), ("法人或其他组织", len(a["organisations"]), 1), (a["total"], 1, 2)),
              tuple((t, 1, 1) for t in a["organisations"]))
    return Table("requests", header, tuple(rows), label_columns=2)


def balance(table: Table) -> list[tuple[str, tuple, tuple]]:
    """Columns where 新收 + 上年结转 ≠ 办理结果总计 + 结转下年: (column, left side, right side)."""
    s = spec()
    values = {label: v for label, _, v in table.rows}
    received, carried_in = values[s["rows"]["received"]], values[s["rows"]["carried_in"]]
    total, carried_out = values[s["rows"]["total"]], values[s["rows"]["carried_out"]]
    types = [s["applicants"]["natural"]] + list(s["applicants"]["organisations"]) + [s["applicants"]["total"]]
    return [(types[i], (received[i], carried_in[i]), (total[i], carried_out[i])) for i in range(len(types))
            if received[i] + carried_in[i] != total[i] + carried_out[i]]


def appeal_table(register: RequestRegister, organisations) -> Table:
    a = spec()["appeals"]
    mine = [r for r in register.requests if r.publisher.name in organisations]
    columns = list(a["columns"])

    def count(results) -> list:
        values = [sum(1 for x in results if a["results"][x] == c) for c in columns[:-1]]
        return values + [sum(values)]

    review = count([r.review for r in mine if r.review])
    direct = count([r.litigation for r in mine if r.litigation_route == a["litigation"][0]])
    after = count([r.litigation for r in mine if r.litigation_route == a["litigation"][1]])
    header = (((a["groups"][0], len(columns), 1), (a["groups"][1], 2 * len(columns), 1)),
              tuple((c, 1, 2) for c in columns) + tuple((g, len(columns), 1) for g in a["litigation"]),
              tuple((c, 1, 1) for c in columns * 2))
    return Table("appeals", header, (("", 0, tuple(review + direct + after)),), label_columns=0)


# ---- the report record ------------------------------------------------------------------------------------

def editor_sections(body: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The body's "## 一、…" sections; and the expected headings that are missing or out of order."""
    wanted = spec()["editor_sections"]
    parts = re.split(r"(?m)^##\s+(.+?)\s*$", body)
    found = [(parts[i].strip(), parts[i + 1].strip()) for i in range(1, len(parts) - 1, 2)]
    headings = [h for h, _ in found]
    missing = [w for w in wanted if w not in headings]
    if not missing and [h for h in headings if h in wanted] != wanted:
        missing = ["顺序：" + "、".join(wanted)]
    return found, missing


def build(record: Record, records: list[Record], registers: dict[int, RequestRegister], settings: Settings,
          problems: Problems, line_of, broken: set[int] = frozenset()) -> AnnualReport | None:
    data = record.data["annual_report"]
    year = data["year"]
    ids = data.get("publishers") or [o.id for o in settings.organisations]
    orgs = [settings.organisation(i) for i in ids]
    for i, (org_id, org) in enumerate(zip(ids, orgs)):
        if org is None:
            problems.add(record.source, line_of(("annual_report", "publishers", i)), "年度报告 (annual_report) publishers",
                         "未知机构标识", got=org_id, expected="、".join(o.id for o in settings.organisations))
    sections, missing = editor_sections(record.body)
    if missing:
        problems.add(record.source, None, "正文", "年度报告正文缺少编辑人员撰写的部分",
                     expected="三个二级标题：" + "、".join("## " + h for h in spec()["editor_sections"]),
                     got="缺少 " + "、".join(missing),
                     hint="第二、三、四部分的表格由系统根据信息和依申请公开登记自动生成，正文只写第一、五、六部分")
    register = registers.get(year)
    if register is None and year in broken:
        pass   # the register's own errors are reported in its file
    elif register is None:
        problems.add(record.source, line_of(("annual_report", "year")), "年度报告 (annual_report) year",
                     f"没有 {year} 年的依申请公开登记，无法生成第三、四部分", got=str(year),
                     hint=f"请建立 content/_requests/{year}.yml；当年没有收到申请的，写 year: {year} 和 requests: []")
    if missing or register is None or None in orgs:
        return None
    fees = Decimal(str(data.get("administrative_fees", 0)))
    return compute(year, tuple(o.name for o in orgs), records, register, fees, tuple(sections), problems)


def compute(year: int, names: tuple[str, ...], records: list[Record], register: RequestRegister, fees: Decimal,
            sections: tuple, problems: Problems) -> AnnualReport:
    counted = [r for r in records if r.publisher.name in names and not r.draft]
    requests = request_table(register, names)
    for column, left, right in balance(requests):
        problems.add(register.file, None, "勾稽关系",
                     f"{column}：新收 {left[0]} + 上年结转 {left[1]} ≠ 办理结果总计 {right[0]} + 结转下年 {right[1]}",
                     hint="请核对登记中每件申请的收到日期、答复日期和办理结果")
    return AnnualReport(year, names, sections, proactive_tables(year, counted, fees), requests,
                        appeal_table(register, names))


def table_html(table: Table) -> Markup:
    """A table of the report as HTML, the same on the web page and in the PDF."""
    out = [f'<table class="gk-annual" id="annual-{escape(table.id)}">']
    if table.note:
        out.append(f"<caption>{escape(table.note)}</caption>")
    out.append("<thead>")
    for row in table.header:
        out.append("<tr>" + "".join(
            f'<th scope="col"{f" colspan={c}" if c > 1 else ""}{f" rowspan={r}" if r > 1 else ""}>{escape(text)}</th>'
            for text, c, r in row) + "</tr>")
    out.append("</thead><tbody>")
    width = max(sum(c for _, c, _ in row) for row in table.header) - table.label_columns
    for label, level, values in table.rows:
        cells = ""
        if table.label_columns:
            span = f' colspan="{table.label_columns}"' if table.label_columns > 1 else ""
            cells += f'<th scope="row" class="l{level}"{span}>{escape(label)}</th>'
        if values:
            cells += "".join(f'<td class="num">{escape(str(v))}</td>' for v in values)
        else:
            cells += f'<td colspan="{width}"></td>'
        out.append(f"<tr>{cells}</tr>")
    out.append("</tbody></table>")
    return Markup("\n".join(out))


def attach(records: list[Record], registers: dict[int, RequestRegister], settings: Settings, problems: Problems,
           docs: dict, broken: set[int] = frozenset()) -> list[Record]:
    """Records of annual reports get their computed report as a dataset; the others are returned as they are."""
    out = []
    for record in records:
        if "annual_report" in record.data:
            doc = docs.get(record.source)
            report = build(record, records, registers, settings, problems,
                           doc.line_of if doc is not None else (lambda path: None), broken)
            if report is not None:
                record = dataclasses.replace(record, datasets=record.datasets + (report,))
        out.append(record)
    return out
