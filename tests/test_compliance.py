"""The compliance engine: working days, deadlines, 定期公开 coverage, consistency, the 依申请 register, `report`
and the 年度报告. Fixture locality: 测试县 (tests/compliance_fixture.py)."""
from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from generator.compliance.workdays import CountingRule, WorkCalendar, data_years, library_years
from tests.compliance_fixture import APPLICANTS, CIVIL, GOV, REQUEST_TEXT, build_tree, record, register_yaml, stats
from tests.conftest import ROOT

D = date.fromisoformat


# ---- working days -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("anchor, n, due", [
    ("2026-02-11", 7, "2026-02-27"), ("2026-02-11", 20, "2026-03-17"), ("2026-02-11", 40, "2026-04-15"),
    ("2025-09-26", 7, "2025-10-13"), ("2025-09-26", 20, "2025-10-30"), ("2025-09-26", 40, "2025-11-27"),
    ("2026-09-18", 7, "2026-09-29"), ("2026-09-18", 20, "2026-10-22"), ("2026-09-18", 40, "2026-11-19"),
])
def test_working_day_fixtures(anchor, n, due):
    assert WorkCalendar().add(D(anchor), n) == D(due)


def test_the_data_file_agrees_with_chinesecalendar_on_every_day_both_cover():
    import chinese_calendar
    both = set(data_years()) & set(library_years())
    assert both, "the data file should repeat at least one year the library has, so it is cross-checked"
    for year in both:
        data = data_years()[year]
        day = date(year, 1, 1)
        while day.year == year:
            ours = day in data.workdays or (day.weekday() < 5 and day not in data.holidays)
            assert ours == chinese_calendar.is_workday(day), day
            day += timedelta(days=1)


def test_a_december_deadline_runs_into_a_year_the_library_lacks():
    calendar = WorkCalendar()
    assert 2027 not in library_years() and 2027 in data_years()
    # 2027-01-01 (元旦) is a holiday in the data file: Monday to Friday alone would give 2027-01-12.
    assert calendar.add(D("2026-12-15"), 20) == D("2027-01-13")
    assert calendar.estimated == {2027} and "2027 年的节假日安排是预估的" in calendar.notes()[0]


def test_a_year_no_data_covers_counts_monday_to_friday_with_a_loud_note():
    calendar = WorkCalendar()
    assert calendar.add(D("2031-12-24"), 5) == D("2031-12-31")      # Wednesday + 5 weekdays
    assert calendar.uncovered == {2031}
    assert "2031 年没有节假日安排数据" in calendar.notes()[0] and "周一至周五" in calendar.notes()[0]


def test_the_counting_rule_is_configurable():
    assert WorkCalendar(CountingRule(first_day="当日")).add(D("2026-02-11"), 7) == D("2026-02-26")
    # Without 调休 working Saturdays (2026-02-14, 2026-02-28) the seventh working day moves to March.
    assert WorkCalendar(CountingRule(adjusted_workdays=False)).add(D("2026-02-11"), 7) == D("2026-03-02")


def _walked(calendar: WorkCalendar, anchor: date, n: int) -> date:
    """The n-th working day found by stepping through every day (the definition the year tables must keep)."""
    day = anchor
    if calendar.rule.first_day == "当日" and n > 0 and calendar.is_workday(anchor):
        n -= 1
    while n > 0:
        day += timedelta(days=1)
        n -= calendar.is_workday(day)
    return day


@pytest.mark.parametrize("rule", [CountingRule(), CountingRule(first_day="当日"), CountingRule(adjusted_workdays=False)])
def test_counts_from_year_tables_equal_a_walk_through_every_day(rule):
    """Anchors on holidays, 调休 Saturdays, year ends, and into years the library lacks (2027: 预估) and no
    source covers (2031); the years noted are those the count went through, no more."""
    anchors = [D("2025-09-26"), D("2025-12-31"), D("2026-01-01"), D("2026-02-14"), D("2026-09-30"), D("2026-12-25"),
               D("2027-12-28"), D("2030-12-20"), D("2030-12-31"), D("2031-06-01")]
    for anchor in anchors:
        for n in (0, 1, 5, 7, 20, 40, 300):
            fast, walked = WorkCalendar(rule), WorkCalendar(rule)
            assert fast.add(anchor, n) == _walked(walked, anchor, n), (anchor, n)
            assert (fast.uncovered, fast.estimated) == (walked.uncovered, walked.estimated), (anchor, n)
            end = anchor + timedelta(days=n * 2)
            stepped = sum(walked.is_workday(anchor + timedelta(days=i)) for i in range(1, n * 2 + 1))
            assert fast.between(anchor, end) == stepped and fast.between(end, anchor) == 0, (anchor, n)
            assert (fast.uncovered, fast.estimated) == (walked.uncovered, walked.estimated), (anchor, n)


def test_the_project_prints_the_working_day_fixtures(capsys):
    """The figures as the project's own code prints them (the lead's report quotes this)."""
    calendar = WorkCalendar()
    for anchor in ("2026-02-11", "2025-09-26", "2026-09-18"):
        print(anchor, *(f"+{n}={calendar.add(D(anchor), n)}" for n in (7, 20, 40)))
    out = capsys.readouterr().out
    assert "2026-02-11 +7=2026-02-27 +20=2026-03-17 +40=2026-04-15" in out
    assert "2025-09-26 +7=2025-10-13 +20=2025-10-30 +40=2025-11-27" in out
    assert "2026-09-18 +7=2026-09-29 +20=2026-10-22 +40=2026-11-19" in out


# ---- the fixture tree ---------------------------------------------------------------------------------------

@pytest.fixture
def tree(tmp_path, monkeypatch):
    content = build_tree(tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GK_TODAY", "2026-11-29")
    return content


def test_the_fixture_is_clean(tree, run):
    code, out = run("check", "--content", tree)
    assert code == 0, out
    assert "超过公开时限" not in out and "勾稽" not in out


# ---- deadlines ----------------------------------------------------------------------------------------------

def late_doc(content: Path, written: str, published: str) -> Path:
    return record(content / "docs" / published[:4] / "late-notice.md", f"""
index_no: {GOV}/{published[:4]}-00031
title: 测试县关于某事项的通知
topic: 综合政务
publisher: 测试县人民政府办公室
doc_no: 测政办发〔{written[:4]}〕31号
genre: 通知
validity: 失效
written_on: {written}
published_on: {published}
summary: 测试用的迟发文件。
""")


def test_a_late_record_is_a_warning_with_the_arithmetic_and_still_publishes(tree, run):
    path = late_doc(tree, "2026-02-11", "2026-03-20")
    code, out = run("check", "--content", tree)
    assert code == 0, out
    assert "[提醒]" in out and "超过公开时限（规范性文件：信息形成或变更之日起 20 个工作日内）" in out
    assert "成文 2026-02-11，应于 2026-03-17 前公开，实际 2026-03-20 公开，逾期 3 个工作日" in out
    assert f"文件 {path.relative_to(tree.parent).as_posix()}" in out
    code, out = run("report", "--content", tree)
    assert code == 0 and "逾期公开" in out and "逾期 3 个工作日" in out
    code, _ = run("report", "--content", tree, "--strict")
    assert code == 1


def test_a_record_published_on_its_last_day_is_on_time(tree, run):
    late_doc(tree, "2026-02-11", "2026-03-17")
    code, out = run("check", "--content", tree)
    assert code == 0 and "超过公开时限" not in out, out


def test_a_change_date_restarts_the_deadline(tree, run):
    path = late_doc(tree, "2026-02-11", "2026-03-20")
    path.write_text(path.read_text(encoding="utf-8").replace("written_on:", "changed_on: 2026-03-02\nwritten_on:"),
                    encoding="utf-8")
    code, out = run("check", "--content", tree)
    assert code == 0 and "超过公开时限" not in out, out


def test_an_interpretation_is_due_three_working_days_after_its_document(tree, run):
    (tree / "notes" / "_category.yml").write_text((tree / "notes" / "_category.yml").read_text(encoding="utf-8")
                                                  + "deadline: {n: 3, unit: 工作日, anchor: 印发, field: interprets}\n",
                                                  encoding="utf-8")
    path = tree / "notes" / "2025" / "subsidy-notice-explained.md"
    path.write_text(path.read_text(encoding="utf-8").replace("published_on: 2025-03-14", "published_on: 2025-03-21"),
                    encoding="utf-8")
    code, out = run("check", "--content", tree)
    # The document was published on Friday 2025-03-14: the third working day after it is Wednesday 03-19.
    assert "文件公开 2025-03-14，应于 2025-03-19 前公开，实际 2025-03-21 公开，逾期 2 个工作日" in out, out
    assert "被解读文件公开之日起 3 个工作日内" in out


def test_calendar_days_from_the_approval_date(tree, run):
    (tree / "help" / "_category.yml").write_text((tree / "help" / "_category.yml").read_text(encoding="utf-8")
                                                 + "deadline: {n: 20, unit: 日, anchor: 批复}\n", encoding="utf-8")
    (tree / "_schema.yml").write_text((tree / "_schema.yml").read_text(encoding="utf-8").replace(
        "  disclosure:", "  approved_on: {type: string, pattern: '^\\d{4}-\\d{2}-\\d{2}$'}\n  disclosure:", 1),
        encoding="utf-8")
    code, out = run("check", "--content", tree)
    assert "缺少计算公开时限的日期" in out and "approved_on" in out, out
    path = tree / "help" / "2025" / "temporary-assistance-guide.md"
    path.write_text(path.read_text(encoding="utf-8").replace("written_on:", "approved_on: 2025-03-01\nwritten_on:"),
                    encoding="utf-8")
    code, out = run("check", "--content", tree)
    assert "批复 2025-03-01，应于 2025-03-21 前公开，实际 2025-04-02 公开，逾期 12 天" in out, out


def test_the_annual_report_is_due_on_the_31st_of_january(tree, run):
    path = tree / "reports" / "2026" / "annual-report-2025.md"
    path.write_text(path.read_text(encoding="utf-8").replace("published_on: 2026-01-22", "published_on: 2026-02-03"),
                    encoding="utf-8")
    code, out = run("check", "--content", tree)
    assert "2025 年度，应于 2026-01-31 前公开，实际 2026-02-03 公开，逾期 3 天" in out, out


def test_a_deadline_in_a_year_without_holiday_data_gets_a_note_in_check(tree, run):
    late_doc(tree, "2003-12-22", "2003-12-30")
    path = tree / "docs" / "2003" / "late-notice.md"
    path.write_text(path.read_text(encoding="utf-8").replace(f"{GOV}/2003-00031", f"{GOV}/2003-00001"), encoding="utf-8")
    code, out = run("check", "--content", tree)
    assert "2004 年没有节假日安排数据" not in out
    assert "2003 年没有节假日安排数据，这些年份的工作日暂按周一至周五计算" in out, out


# ---- 定期公开 and stale 栏目 ------------------------------------------------------------------------------------

def report_of(tree, today: str):
    from generator import pipeline
    from generator.compliance.checks import calendar_for
    from generator.compliance.request_register import load_request_registers
    from generator.compliance.report import compile_report
    from generator.problems import Problems
    checked = pipeline.check(tree)
    assert checked.ok, [p for p in checked.problems][:3]
    return compile_report(checked.records, checked.categories, checked.settings,
                          load_request_registers(tree, checked.settings, Problems()), D(today), calendar_for(checked.settings))


def test_every_missing_period_is_listed_per_publisher_once_it_is_due(tree):
    gaps = [f.detail for f in report_of(tree, "2025-08-20").findings if f.kind == "定期公开缺失"]
    # July is due 10 working days after 07-31 (2025-08-14): missing; August is not due yet.
    assert gaps == ["县民政局 2025年3月 统计数据 缺失（应于 2025-04-15 前公开）",
                    "县民政局 2025年7月 统计数据 缺失（应于 2025-08-14 前公开）"], gaps
    gaps = [f.detail for f in report_of(tree, "2025-08-14").findings if f.kind == "定期公开缺失"]
    assert len(gaps) == 1


def test_a_second_publisher_is_measured_on_its_own(tree):
    stats(tree, "2025-01", 40, publisher="测试县人民政府办公室", code=GOV)
    gaps = [f.detail for f in report_of(tree, "2025-04-01").findings if f.kind == "定期公开缺失"]
    assert "县政府办 2025年2月 统计数据 缺失（应于 2025-03-14 前公开）" in gaps
    assert "县民政局 2025年2月 统计数据 缺失（应于 2025-03-14 前公开）" not in gaps


def test_a_stale_column_is_reported_with_its_limit(tree):
    (tree / "help" / "_category.yml").write_text((tree / "help" / "_category.yml").read_text(encoding="utf-8")
                                                 + "stale_days: 30\n", encoding="utf-8")
    stale = [f.detail for f in report_of(tree, "2025-06-01").findings if f.kind == "栏目未更新"]
    assert stale == ["栏目「办事服务」最近一次更新是 2025-04-02，已 60 天没有新信息（期限 30 天）"], stale


# ---- consistency ----------------------------------------------------------------------------------------------

def test_documents_that_do_not_match(tree, run):
    doc = tree / "docs" / "2025" / "subsidy-notice.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("validity: 有效", "validity: 有效\nvalid_until: 2025-12-31"),
                   encoding="utf-8")
    old = tree / "docs" / "2024" / "old-notice.md"
    old.write_text(old.read_text(encoding="utf-8").replace("repealed_on: 2025-03-10\n", "").replace(
        "repealed_by: 测政办发〔2025〕7号\n", ""), encoding="utf-8")
    code, out = run("check", "--content", tree)
    # A 废止 without its date is refused (the page could not say since when); the rest are 提醒.
    assert code == 1, out
    assert "有效期至 2025-12-31，已过期，有效性仍为「有效」" in out
    assert "[错误] 第 8 行 字段 validity：文件「测试县人民政府办公室关于临时救助标准的通知」（测政办发〔2024〕3号）已废止，但没有写明废止日期（repealed_on）" in out
    assert "[提醒] 第 8 行 字段 validity：文件「测试县人民政府办公室关于临时救助标准的通知」（测政办发〔2024〕3号）已废止，但没有写明由哪份文件废止" in out
    old.write_text(old.read_text(encoding="utf-8").replace("validity: 废止", "validity: 废止\nrepealed_on: 2025-03-10"),
                   encoding="utf-8")
    assert run("check", "--content", tree)[0] == 0
    (tree / "notes" / "2025" / "subsidy-notice-explained.md").unlink()
    kinds = {(f.kind, f.detail.split("（")[0][:8]) for f in report_of(tree, "2026-11-29").findings}
    assert ("文件不一致", "规范性文件「测试") in kinds


# ---- the 依申请 register --------------------------------------------------------------------------------------

def test_due_dates_with_correction_and_extension(tree):
    from generator.compliance.request_register import Request, standing
    from generator.model import Organisation
    org = Organisation("x", "测试机关", "测试", "县政府部门", "X")
    calendar = WorkCalendar()
    base = dict(id="t", file="f", line=1, publisher=org, received_on=D("2026-02-11"), channel="邮寄",
                applicant_type="自然人", request="r")
    assert standing(Request(**base), D("2026-03-01"), calendar).due == D("2026-03-17")
    # 补正: the 20 working days run from receipt of the corrected application, not from the first receipt.
    corrected = Request(**base, correction_requested=D("2026-02-13"), correction_received=D("2026-09-18"))
    assert corrected.due(calendar) == D("2026-10-22")
    waiting = standing(Request(**base, correction_requested=D("2026-02-13")), D("2026-06-01"), calendar)
    assert waiting.due is None and waiting.status == "等待补正"
    extended = Request(**base, extension_approved=D("2026-03-10"), extension_days=20)
    assert extended.due(calendar) == D("2026-04-15")
    late_notice = standing(Request(**base, correction_requested=D("2026-03-02"), correction_received=D("2026-03-03")),
                           D("2026-03-04"), calendar)
    assert late_notice.correction_late == 2       # 7th working day after 02-11: 02-27; then 02-28 (调休) and 03-02
    overdue = standing(Request(**base), D("2026-03-20"), calendar)
    assert overdue.status == "逾期未答复" and overdue.days == 3
    answered_late = standing(Request(**base, answered_on=D("2026-03-19"), answer="予以公开"), D("2026-04-01"), calendar)
    assert answered_late.status == "逾期答复" and answered_late.days == 2


def test_report_lists_open_requests_with_days_left_and_overdue_ones(tree, run):
    (tree / "_requests" / "2026.yml").write_text(
        "year: 2026\nrequests:\n"
        "  - {id: 2025-900, publisher: gov, received_on: 2025-12-22, channel: 当面提交, applicant_type: 自然人, request: 年底收到的申请, answered_on: 2026-01-09, answer: 予以公开}\n"
        "  - {id: 2026-001, publisher: civil, received_on: 2026-11-02, channel: 邮寄, applicant_type: 自然人, request: 办理中}\n"
        "  - {id: 2026-002, publisher: civil, received_on: 2026-09-18, channel: 邮寄, applicant_type: 自然人, request: 逾期}\n"
        "  - {id: 2026-003, publisher: gov, received_on: 2026-11-16, channel: 邮寄, applicant_type: 自然人, request: 补正中, correction: {requested_on: 2026-11-20}}\n",
        encoding="utf-8")
    code, out = run("report", "--content", tree)
    assert code == 0, out
    assert "申请 2026-002" in out and "应于 2026-10-22 前答复，至今未答复，已逾期 26 个工作日" in out
    assert "2026-001  县民政局  2026-11-02  2026-11-30" in out and "1 个工作日" in out
    assert "（等待补正，暂停计时）" in out
    report = json.loads((tree.parent / "site-internal" / "report" / "report.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in report["open_requests"]] == ["2026-001", "2026-003"]
    html = (tree.parent / "site-internal" / "report" / "report.html").read_text(encoding="utf-8")
    assert "内部" in html and "2026-002" in html
    assert not any(name in html for name in APPLICANTS)


def test_a_request_carried_over_must_appear_in_the_next_year(tree, run):
    (tree / "_requests" / "2025.yml").write_text(register_yaml(2025).replace(
        "  - {id: 2024-009", "  - {id: 2024-008"), encoding="utf-8")
    code, out = run("check", "--content", tree)
    assert code == 1
    assert "2024 年登记中年底仍在办理的申请 2024-009 没有结转到 2025 年" in out
    assert "2024 年结转下年 1 件，2025 年上年结转 1 件" in out
    assert "申请 2024-008 登记为上年结转，但在 2024 年的登记中不是年底仍在办理的申请" in out


def test_register_dates_are_checked(tree, run):
    (tree / "_requests" / "2025.yml").write_text(register_yaml(2025).replace(
        "received_on: 2025-01-05", "received_on: 2025-02-30").replace("answered_on: 2025-02-20", "answered_on: 2025-02-02"),
        encoding="utf-8")
    code, out = run("check", "--content", tree)
    assert code == 1
    assert "日期不存在" in out and "2025-02-30" in out
    assert "答复日期早于收到申请的日期" in out


def test_the_annual_tables_balance_on_a_register_with_every_answer_type(tree):
    from generator import pipeline
    from generator.compliance.annual import balance
    from generator.compliance.request_register import answer_keys
    checked = pipeline.check(tree)
    assert checked.ok, [p for p in checked.problems][:3]
    report = next(d for r in checked.records for d in r.datasets if d.kind_name == "annual_report")
    rows = {label: values for label, _, values in report.requests.rows}
    assert rows["一、本年新收政府信息公开申请数量"][-1] == len(answer_keys()) + 2     # every type, the open one, 901
    assert rows["二、上年结转政府信息公开申请数量"] == (1, 0, 0, 0, 0, 0, 1)
    assert rows["（七）总计"][-1] == len(answer_keys()) + 2
    assert rows["四、结转下年度继续办理"] == (1, 0, 0, 0, 0, 0, 1)
    assert not balance(report.requests)
    for label in ("1.属于国家秘密", "3.补正后申请内容仍不明确", "5.要求行政机关确认或重新出具已获取信息", "3.其他"):
        assert rows[label][-1] >= 1, label
    assert rows["（三）不予公开"][-1] == 8 + 1         # eight sub-rows, and 901 (第三方权益)
    for i in range(7):     # 新收 + 上年结转 = 办理结果总计 + 结转下年, column by column
        assert rows["一、本年新收政府信息公开申请数量"][i] + rows["二、上年结转政府信息公开申请数量"][i] == \
            rows["（七）总计"][i] + rows["四、结转下年度继续办理"][i]
    appeals = report.appeals.rows[0][2]
    assert appeals[:5] == (0, 1, 0, 0, 1) and appeals[10:] == (1, 0, 0, 0, 1)
    documents, permits, penalties, fees = report.proactive
    assert documents.rows[1][2][0] == 1          # 行政规范性文件 本年制发: the 2025 notice
    assert permits.rows[0][2] == (3,)
    assert penalties.rows[0][2] == (1,) and penalties.rows[1][2] == (1,)
    assert fees.rows[0][2][0] == Decimal("1.50")


def test_an_annual_report_without_its_sections_or_register_is_an_error(tree, run):
    path = tree / "reports" / "2026" / "annual-report-2025.md"
    path.write_text(path.read_text(encoding="utf-8").replace("## 五、存在的主要问题及改进情况", "## 五、问题"), encoding="utf-8")
    (tree / "_requests" / "2025.yml").unlink()
    (tree / "_requests" / "2024.yml").unlink()
    code, out = run("check", "--content", tree)
    assert code == 1
    assert "年度报告正文缺少编辑人员撰写的部分" in out and "缺少 五、存在的主要问题及改进情况" in out
    assert "没有 2025 年的依申请公开登记" in out


def test_applicant_names_are_accepted_in_the_register_and_only_there(tree, run):
    code, out = run("check", "--content", tree)
    assert code == 0, out
    path = tree / "help" / "2025" / "temporary-assistance-guide.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n\n", f"---\n\n| 姓名 | 村 |\n|---|---|\n| {APPLICANTS[0]} | 东村 |\n\n", 1),
                    encoding="utf-8")
    code, out = run("check", "--content", tree)
    assert code == 1 and "姓名" in out, out


# ---- a real build: the register never leaves content/, the annual report is a page and a PDF -------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import os

    from generator.cli import main
    base = tmp_path_factory.mktemp("compliance-built")
    content = build_tree(base / "content")
    os.environ["GK_TODAY"] = "2026-11-29"
    try:
        assert main(["build", "--content", str(content), "--out", str(base / "site"), "--work", str(base / "build")]) == 0
        assert main(["build", "--audience", "internal", "--content", str(content), "--out", str(base / "site-internal"),
                     "--work", str(base / "build-internal")]) == 0
        assert main(["report", "--content", str(content), "--out", str(base / "site-internal" / "report")]) == 0
    finally:
        del os.environ["GK_TODAY"]
    return base


@pytest.mark.slow
def test_the_register_is_never_published(built):
    secrets = [s.encode("utf-8") for s in (*APPLICANTS, REQUEST_TEXT, "年底收到的申请")]
    scanned = 0
    for out in ("site", "site-internal"):
        for f in (built / out).rglob("*"):
            if f.is_file():
                data = f.read_bytes()
                scanned += 1
                assert not any(s in data for s in secrets), f
                if "report" not in f.relative_to(built).parts:   # the internal report names the file to fix
                    assert b"_requests" not in data, f
    assert scanned > 50
    assert not list(built.glob("site/**/*2025.yml"))


@pytest.mark.slow
def test_the_annual_report_page_and_pdf(built):
    from bs4 import BeautifulSoup
    from pypdf import PdfReader

    from generator.compliance.request_register import answer_keys
    page = built / "site" / "reports" / "2026" / "annual-report-2025" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    headings = [h.get_text(strip=True) for h in soup.select("article h2")]
    assert headings[:6] == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    table = soup.select_one("table#annual-requests")
    assert table is not None and "本列数据的勾稽关系为" in table.get_text()
    row = next(tr for tr in table.select("tbody tr") if "（七）总计" in tr.get_text())
    assert [td.get_text() for td in row.select("td")][-1] == str(len(answer_keys()) + 2)
    assert len(soup.select("table#annual-appeals thead tr")[2].select("th")) == 10
    assert soup.get_text().count("测试县本年度总体情况良好") == 1          # the body is not shown twice
    link = soup.select_one('a[href$="annual-report-2025.pdf"]')
    assert link is not None
    pdf = (page.parent / link["href"]).resolve()
    reader = PdfReader(pdf)
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1
    text = "".join(p.extract_text() for p in reader.pages)
    assert "三、收到和处理政府信息公开申请情况" in text and "测试县的问题和改进" in text


@pytest.mark.slow
def test_report_writes_its_files_only_into_the_internal_output(built):
    assert (built / "site-internal" / "report" / "report.html").is_file()
    assert not list((built / "site").rglob("report.json"))


def test_report_annual_writes_html_and_pdf(tree, run):
    code, out = run("report", "--content", tree, "--annual", "2025", "--out", tree.parent / "ar")
    assert code == 0, out
    assert "勾稽关系成立" in out and (tree.parent / "ar" / "annual-report-2025.pdf").stat().st_size > 10_000
    code, out = run("report", "--content", tree, "--annual", "2024", "--out", tree.parent / "ar")
    assert code == 0 and "预览" in out, out
    code, out = run("report", "--content", tree, "--annual", "2019", "--out", tree.parent / "ar")
    assert code == 1 and "没有 2019 年的依申请公开登记" in out


def test_report_stops_on_content_errors(tree, run):
    (tree / "_requests" / "2025.yml").write_text("year: 2025\nrequests: [{id: x}]\n", encoding="utf-8")
    code, out = run("report", "--content", tree)
    assert code == 1 and "没有生成报告" in out


# ---- the demo -------------------------------------------------------------------------------------------------

def test_the_demo_shows_exactly_its_two_deliberate_gaps(monkeypatch):
    report = report_of(ROOT / "content", "2026-11-29")
    assert [f.detail for f in report.findings] == [
        "县民政局 2024年第四季度 社会救助统计 缺失（应于 2025-01-15 前公开）",
        "生态环境分局 2025年第三季度 饮水安全状况 缺失（应于 2025-11-04 前公开）"]
    assert {r.status for r in report.open_requests} == {"办理中", "等待补正"}


def test_an_annual_report_on_the_board_prints_its_tables(tree, run):
    """A category that puts its records on the board prints the report's tables 二 to 四 on the sheet, not just
    the editor's prose (the web page's sections all have a print form)."""
    import pypdf
    category = tree / "reports" / "_category.yml"
    category.write_text(category.read_text(encoding="utf-8") + "print: {board: true}\n", encoding="utf-8")
    out = tree.parent / "paper"
    code, text = run("print", "--content", tree, "--out", out, "--record", f"{GOV}/2026-00001")
    assert code == 0, text
    sheet = next(p for p in out.rglob("*.pdf") if "leaflet" not in p.name)
    printed = "".join(page.extract_text() for page in pypdf.PdfReader(sheet).pages)
    for heading in ("二、主动公开政府信息情况", "本年新收政府信息公开申请数量", "行政复议"):
        assert heading in printed.replace(" ", ""), heading
