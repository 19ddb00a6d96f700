"""The four mission categories as structured data: golden pages, wrong figures named by table, row and
difference, CSV round trips, AQI from concentrations, 公示 status by date, and the data pages."""
import json
import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from generator.kinds.environment import hj633
from generator.export.downloads import read_csv
from generator.sourcefile import parse_yaml, read_text
from tests.files import edit, line_of
from tests.missions import GOLDEN, MISSIONS, TODAY, data_files, render_missions, today

ROOT = Path(__file__).resolve().parent.parent


# ---- golden files --------------------------------------------------------------------------------------

def test_mission_pages_and_downloads_match_golden_files(tmp_path):
    render_missions(tmp_path / "docs")
    got = data_files(tmp_path / "docs")
    want = {rel: (GOLDEN / rel).read_text(encoding="utf-8") for rel in _golden_files()}
    assert sorted(got) == sorted(want), "files added or removed: run `make golden` and review the diff"
    for rel in want:
        assert got[rel] == want[rel], f"{rel} differs from its golden file: run `make golden` and review the diff"


def _golden_files():
    return sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())


def test_every_category_has_a_golden_record_page_and_a_data_page():
    files = _golden_files()
    for category in ("budgets", "social_assistance", "poverty_relief", "environment"):
        assert any(re.fullmatch(rf"{category}/\d{{4}}/[^/]+\.md", f) for f in files), category
        assert f"{category}/data/index.md" in files, category


def test_category_schemas_in_the_fixture_are_the_demo_schemas():
    """The fixture tests the shapes editors use: its _schema.yml files are copies of content/."""
    for name in ("_schema.yml", "budgets/_schema.yml", "social_assistance/_schema.yml", "poverty_relief/_schema.yml",
                 "environment/_schema.yml"):
        assert (MISSIONS / name).read_text(encoding="utf-8") == (ROOT / "content" / name).read_text(encoding="utf-8"), name


# ---- wrong figures: the message names the table, the row and the difference ------------------------------

@pytest.fixture
def missions(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(MISSIONS, content)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GK_TODAY", TODAY)
    return content


def check_fails(run, content, path, *fragments, line=None):
    code, out = run("check", "--content", content)
    assert code == 1, out
    shown = path.relative_to(content.parent).as_posix()
    assert f"文件 {shown}" in out, out
    if line is not None:
        assert f"第 {line} 行" in out, out
    for fragment in fragments:
        assert fragment in out, out
    return out


BUDGET = "budgets/2025/civil-budget-2025.md"
FINAL = "budgets/2026/civil-final-accounts-2025.md"


def test_budget_row_total_that_is_not_basic_plus_project(run, missions):
    path = missions / BUDGET
    edit(path, "- {code: 2080201, name: 行政运行, total: 100.00, basic: 100.00, project: 0.00}\n        - {code: 2080202, name: 一般行政管理事务, total: 20.00, basic: 0.00, project: 20.00}\n        - {code: 20819, name: 最低生活保障, total: 180.00, basic: 0.00, project: 180.00}\n        - {code: 2081901, name: 城市最低生活保障金支出, total: 60.00, basic: 0.00, project: 60.00}\n        - {code: 2081902, name: 农村最低生活保障金支出, total: 120.00, basic: 0.00, project: 120.00}\n        - {code: 221",
         "- {code: 2080201, name: 行政运行, total: 100.27, basic: 100.00, project: 0.00}\n        - {code: 2080202, name: 一般行政管理事务, total: 20.00, basic: 0.00, project: 20.00}\n        - {code: 20819, name: 最低生活保障, total: 180.00, basic: 0.00, project: 180.00}\n        - {code: 2081901, name: 城市最低生活保障金支出, total: 60.00, basic: 0.00, project: 60.00}\n        - {code: 2081902, name: 农村最低生活保障金支出, total: 120.00, basic: 0.00, project: 120.00}\n        - {code: 221")
    check_fails(run, missions, path, "一般公共预算支出表 第 3 行（2080201 行政运行）合计", "合计不等于基本支出、项目支出之和",
                "100.27，相差 +0.27", "上级科目的合计不等于下级科目之和",
                line=line_of(path, "total: 100.27"))


def test_budget_total_row_that_is_not_the_sum_of_the_classes(run, missions):
    path = missions / BUDGET
    edit(path, "      total: {amount: 110.00}", "      total: {amount: 111.00}")
    out = check_fails(run, missions, path, "一般公共预算基本支出表 合计行 预算数", "合计不等于各类级科目之和",
                      "111.00，相差 +1.00", line=line_of(path, "total: {amount: 111.00}"))
    assert "与一般公共预算支出表基本支出合计不一致" not in out, "a table already wrong is not compared with others"


def test_budget_income_not_equal_to_expenditure_in_the_summary(run, missions):
    path = missions / FINAL
    edit(path, "      carried_out: 2.00\n    income:", "      carried_out: 2.50\n    income:")
    check_fails(run, missions, path, "收入支出决算总表 收支平衡", "收入总计不等于支出总计", "收入总计 354.40，支出总计 354.90，相差 -0.50",
                line=line_of(path, "carried_out: 2.50"))


def test_budget_sub_table_disagreeing_with_the_summary(run, missions):
    path = missions / BUDGET
    edit(path, "      income: {general: 310.00, fund: 30.00, capital: 0.00}",
         "      income: {general: 311.00, fund: 29.00, capital: 0.00}")
    check_fails(run, missions, path, "财政拨款收支总表 一般公共预算拨款收入", "与部门收支总表一般公共预算拨款收入不一致",
                "311.00，相差 +1.00", "财政拨款收支总表 政府性基金预算拨款收入", "29.00，相差 -1.00",
                line=line_of(path, "general: 311.00"))


def test_budget_codes_that_do_not_nest(run, missions):
    path = missions / BUDGET
    edit(path, "        - {code: 2081901, name: 城市最低生活保障金支出, total: 60.00, general: 60.00}",
         "        - {code: 2082001, name: 城市最低生活保障金支出, total: 60.00, general: 60.00}")
    check_fails(run, missions, path, "部门收入总表 第 6 行（2082001 城市最低生活保障金支出）",
                "科目 2082001 没有列在上级科目 20820 之下", line=line_of(path, "code: 2082001"))


def test_budget_class_name_from_the_classification(run, missions):
    path = missions / BUDGET
    edit(path, "        - {code: 221, name: 住房保障支出, total: 10.00, general: 10.00}",
         "        - {code: 221, name: 住房支出, total: 10.00, general: 10.00}")
    check_fails(run, missions, path, "类级科目名称与《政府收支分类科目》不一致", "221 住房保障支出")


def test_budget_amount_with_three_decimals(run, missions):
    path = missions / BUDGET
    edit(path, "reception: 2.40, total: 6.00}", "reception: 2.405, total: 6.005}")
    check_fails(run, missions, path, "金额最多保留 2 位小数", "2.405", line=line_of(path, "reception: 2.405"))


def test_budget_missing_table_and_empty_table_note(run, missions):
    path = missions / FINAL
    edit(path, "    capital_expenditure: {rows: []}\n", "")
    check_fails(run, missions, path, "缺少公开表：国有资本经营预算财政拨款支出决算表", "capital_expenditure: {rows: []}")


def test_budget_three_public_expenses_total(run, missions):
    path = missions / BUDGET
    edit(path, "reception: 2.40, total: 6.00}", "reception: 2.40, total: 6.10}")
    check_fails(run, missions, path, "合计不等于各项之和", "6.10，相差 +0.10")


def test_assistance_parts_and_totals(run, missions):
    path = missions / "social_assistance/2026/stats-2026-q2.md"
    edit(path, "{name: 集中供养, households: 120, persons: 120}", "{name: 集中供养, households: 121, persons: 121}")
    edit(path, "total: {spending: 632.30", "total: {spending: 632.40")
    check_fails(run, missions, path, "救助对象和资金支出 第 3 行（特困供养）对象户数", "对象户数不等于“其中”各项之和",
                "402，相差 -1", "救助对象和资金支出 合计本期资金支出", "632.40，相差 +0.10")


def test_assistance_persons_fewer_than_households(run, missions):
    path = missions / "social_assistance/2026/stats-2026-q2.md"
    edit(path, "households: 310, persons: 502", "households: 310, persons: 300")
    check_fails(run, missions, path, "对象人数少于户数", "不少于户数 310", line=line_of(path, "persons: 300"))


def test_recipient_list_column_outside_the_whitelist(run, missions):
    path = missions / "social_assistance/2026/notice-2026-07.md"
    edit(path, "{name: 吴*, village: 柳湾村,", "{name: 吴*, village: 柳湾村, id_card: 35*************123,")
    check_fails(run, missions, path, "未知字段", "id_card", line=line_of(path, "id_card"))


def test_recipient_approved_month_outside_the_period(run, missions):
    path = missions / "social_assistance/2026/notice-2026-07.md"
    edit(path, "kind: 农村低保, approved_month: 2026-08}\n  - {name: 吴*", "kind: 农村低保, approved_month: 2026-09}\n  - {name: 吴*")
    check_fails(run, missions, path, "批准月份不在名单的所属期间内", "2026年8月", line=line_of(path, "approved_month: 2026-09"))


def test_medical_assistance_is_never_a_list(run, missions):
    path = missions / "social_assistance/2026/notice-2026-07.md"
    edit(path, "kind: 农村低保, approved_month: 2026-08}\n---", "kind: 医疗救助, approved_month: 2026-08}\n---")
    check_fails(run, missions, path, "医疗救助只公开汇总数据，不得公示名单")


def test_recipient_totals_that_do_not_add_up(run, missions):
    path = missions / "social_assistance/2026/notice-2026-06.md"
    edit(path, "monthly_amount: 1880}", "monthly_amount: 1980}")
    check_fails(run, missions, path, "月保障金额合计与名单逐行相加不一致", "1,980.00，相差 +100.00")


@pytest.mark.parametrize("header", ["姓名", "姓　名", "**姓名**", "户主 姓名"])
def test_name_list_in_the_body_is_refused(run, missions, header):
    path = missions / "social_assistance/2026/notice-2026-06.md"
    edit(path, "河口镇对2026年5月", f"| {header} | 村/社区 |\n|---|---|\n| 王*明 | 河口村 |\n\n河口镇对2026年5月")
    check_fails(run, missions, path, "公示名单写在了正文表格中", line=line_of(path, f"| {header} |"))


def test_poverty_allocation_row_and_plan_total(run, missions):
    path = missions / "poverty_relief/2026/allocation-2026.md"
    edit(path, "{township: 柳湾乡, central: 250.00, provincial: 100.00, county: 50.00, total: 400.00}",
         "{township: 柳湾乡, central: 250.00, provincial: 100.00, county: 50.00, total: 410.00}")
    check_fails(run, missions, path, "资金分配结果 第 2 行（柳湾乡）合计", "合计不等于各资金来源之和", "410.00，相差 +10.00",
                line=line_of(path, "total: 410.00"))
    plan = missions / "poverty_relief/2026/plan-2026.md"
    edit(plan, "total: {count: 12, amount: 1000.00}", "total: {count: 13, amount: 1000.00}")
    check_fails(run, missions, plan, "项目个数与明细不一致", "13，相差 +1")


def test_poverty_finished_project_is_complete(run, missions):
    path = missions / "poverty_relief/2026/progress-2026-06.md"
    edit(path, "percent: 100, status: 已完工", "percent: 90, status: 已完工")
    check_fails(run, missions, path, "状态为已完工，完成比例应为 100%")


def test_aqi_stated_against_the_concentrations(run, missions):
    path = missions / "environment/2026/aqi-2026-05.md"
    edit(path, "o3_8h: 179, aqi: 118", "o3_8h: 179, aqi: 115")
    check_fails(run, missions, path, "空气质量日报 第 4 行（2026-05-04）AQI", "AQI 与浓度按 HJ 633-2012 计算的结果不一致",
                "118（各污染物分指数：", "115，相差 -3", line=line_of(path, "aqi: 115"))


def test_aqi_primary_pollutant_checked(run, missions):
    path = missions / "environment/2026/aqi-2026-05.md"
    edit(path, "aqi: 62, primary_pollutant: [PM2.5, PM10]", "aqi: 62, primary_pollutant: [PM10]")
    check_fails(run, missions, path, "首要污染物与计算结果不一致", "PM10、PM2.5")


def test_water_source_status_and_rate(run, missions):
    path = missions / "environment/2026/water-2026-q1.md"
    edit(path, "qualified: 7, items: 43, rate: 87.5", "qualified: 7, items: 43, rate: 90")
    edit(path, "status: 不达标, exceedances: [{indicator: 铁, times: 0.4}]", "status: 不达标")
    check_fails(run, missions, path, "达标率与达标点数、检测点数不一致", "87.5%（7 ÷ 8）", "不达标的水源须列出超标指标及超标倍数")


def test_key_polluter_over_the_limit_without_saying_so(run, missions):
    path = missions / "environment/2026/key-polluters-2026.md"
    edit(path, "exceedance: 第一季度氨氮超标0.08倍，已责令整改", "exceedance: 无")
    check_fails(run, missions, path, "排放浓度超过限值，超标情况却写“无”", "氨氮 86mg/L，限值 80，超标 0.08 倍")


def test_eia_acceptance_needs_the_full_report(run, missions):
    path = missions / "environment/2026/eia-quarry-accepted.md"
    edit(path, "attachments:\n  - file: eia-quarry-accepted/report.pdf\n    title: 北山采石场项目环境影响报告表（公开全本）\n", "")
    check_fails(run, missions, path, "受理环节须附环境影响报告书（表）全本")


def test_eia_stages_in_order(run, missions):
    path = missions / "environment/2026/eia-quarry-proposed.md"
    edit(path, "  date: 2026-05-06", "  date: 2026-03-06")
    check_fails(run, missions, path, "“拟批准”的日期早于“受理”", "不早于 2026-04-01")


# ---- AQI from concentrations --------------------------------------------------------------------------

def test_hj633_data_file_holds_the_standard_levels_and_colours():
    s = hj633.standard()
    assert s.standard == "HJ 633-2012"
    assert [l.colour for l in s.levels] == ["#00E400", "#FFFF00", "#FF7E00", "#FF0000", "#99004C", "#7E0023"]
    assert [l.category for l in s.levels] == ["优", "良", "轻度污染", "中度污染", "重度污染", "严重污染"]
    code = (ROOT / "generator").rglob("*.py")
    assert not any("#99004C" in p.read_text(encoding="utf-8") or "HJ 633-2012\"" in p.read_text(encoding="utf-8")
                   and "breakpoints" in p.read_text(encoding="utf-8") for p in code), "levels and colours live in the data file"


@pytest.mark.parametrize("concentrations, aqi, primary", [
    ({"pm25": "34", "pm10": "48", "o3_8h": "69"}, 49, ()),                 # below 50: no primary pollutant
    ({"pm25": "35", "pm10": "51"}, 51, ("pm10",)),                         # 35 is exactly IAQI 50, not 51
    ({"pm25": "44", "pm10": "74"}, 62, ("pm10", "pm25")),                  # a tie lists both
    ({"pm25": "12", "o3_8h": "179"}, 118, ("o3_8h",)),
    ({"pm25": "260", "co": "2.4"}, 310, ("pm25",)),
    ({"o3_8h": "850", "o3_1h": "900"}, 350, ("o3_1h",)),                   # O₃ 8h above 800: the 1-hour value counts
    ({"so2": "50", "no2": "40", "co": "2"}, 50, ()),
])
def test_aqi_computed_from_concentrations(concentrations, aqi, primary):
    got, got_primary, _ = hj633.standard().daily({k: Decimal(v) for k, v in concentrations.items()})
    assert (got, set(got_primary)) == (aqi, set(primary))


def test_concentration_above_the_table_is_refused():
    with pytest.raises(hj633.AboveScale):
        hj633.standard().daily({"pm25": Decimal("501")})


def test_levels_at_their_boundaries():
    s = hj633.standard()
    assert [s.level(v).level for v in (0, 50, 51, 100, 101, 150, 151, 200, 201, 300, 301, 500)] == [
        "一级", "一级", "二级", "二级", "三级", "三级", "四级", "四级", "五级", "五级", "六级", "六级"]


# ---- downloads: CSV read back equals the source data ---------------------------------------------------

@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    docs = tmp_path_factory.mktemp("missions") / "docs"
    render_missions(docs)
    return docs


def _front(rel: str) -> dict:
    text = read_text(MISSIONS / rel)
    return parse_yaml(text.split("---\n", 2)[1]).data


def money(value) -> str:
    return f"{Decimal(value):.2f}"


def test_csv_is_utf8_with_bom_for_excel(rendered):
    raw = (rendered / "budgets/2025/civil-budget-2025/general_expenditure.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    assert raw.decode("utf-8-sig").splitlines()[0] == "科目编码,科目名称,合计（万元）,基本支出（万元）,项目支出（万元）"


COLUMNS = {"income": ("total", "general", "fund", "capital", "business", "other"),
           "expenditure": ("total", "basic", "project"), "general_expenditure": ("total", "basic", "project"),
           "fund_expenditure": ("total", "basic", "project"), "basic_expenditure": ("amount",)}


@pytest.mark.parametrize("record", [BUDGET, FINAL])
@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_budget_csv_round_trip(rendered, record, table):
    """Every coded table read back from its CSV equals the front matter, row by row, to the cent."""
    source = _front(record)["budget"]["tables"][table]
    keys = COLUMNS[table]
    if table == "income" and record == FINAL:      # 决算 has 上级补助收入 among its income items
        keys = ("total", "general", "fund", "capital", "superior", "business", "other")
    want = [[str(r["code"]), r["name"]] + [money(r.get(k, 0)) for k in keys] for r in source["rows"]]
    want.append(["", "合计"] + [money(source["total"].get(k, 0)) for k in keys])
    got = read_csv(rendered / record.replace(".md", f"/{table}.csv"))
    assert got[1:] == want


def test_recipient_list_csv_round_trip_during_the_notice(rendered):
    rows = read_csv(rendered / "social_assistance/2026/notice-2026-07/recipients.csv")
    assert rows[0] == ["姓名", "村/社区", "保障人数（人）", "月保障金额（元）", "类别", "批准月份"]
    source = _front("social_assistance/2026/notice-2026-07.md")["recipients"]
    assert [r[:6] for r in rows[1:-1]] == [[s["name"], s["village"], str(s["household_size"]), str(s["monthly_amount"]),
                                            s["kind"], s["approved_month"]] for s in source]


def test_statistics_and_aqi_and_allocation_csv_round_trip(rendered):
    stats = read_csv(rendered / "social_assistance/2026/stats-2026-q2/statistics.csv")
    source = _front("social_assistance/2026/stats-2026-q2.md")["statistics"]
    lines = [r for r in stats[1:] if not r[0].startswith("其中") and r[0] not in ("分散供养", "合计")]
    assert [(r[0], r[4], r[5]) for r in lines] == [(s["programme"], money(s["spending"]), money(s["spending_ytd"]))
                                                   for s in source["rows"]]
    aqi = read_csv(rendered / "environment/2026/aqi-2026-05/air_quality.csv")
    days = _front("environment/2026/aqi-2026-05.md")["air_quality"]["days"]
    header = aqi[0]
    for row, day in zip(aqi[1:], days):
        assert row[0] == day["date"] and row[header.index("AQI")] == str(day["aqi"])
        assert row[header.index("PM2.5（μg/m³）")] == str(day["pm25"])
    allocation = read_csv(rendered / "poverty_relief/2026/allocation-2026/allocation.csv")
    source = _front("poverty_relief/2026/allocation-2026.md")["allocation"]
    assert [r[0] for r in allocation[1:-1]] == [r["township"] for r in source["rows"]]
    assert allocation[-1][-1] == money(source["total"]["total"])


def test_json_keeps_amounts_exact(rendered):
    data = json.loads((rendered / "budgets/2025/civil-budget-2025/data.json").read_text(encoding="utf-8"))
    table = data["datasets"]["budget"]["tables"]["general_expenditure"]
    assert table["rows"][0] == {"code": "208", "name": "社会保障和就业支出", "total": "300.00", "basic": "100.00",
                                "project": "200.00"}


# ---- 公示 lists by date ----------------------------------------------------------------------------------

def test_notice_list_shown_during_the_period_and_totals_only_after(rendered):
    during = (rendered / "social_assistance/2026/notice-2026-07.md").read_text(encoding="utf-8")
    assert "<strong>公示中</strong>" in during and "周*平" in during
    after = (rendered / "social_assistance/2026/notice-2026-06.md").read_text(encoding="utf-8")
    assert "<strong>公示已结束</strong>" in after and "2026-06-08 至 2026-06-14" in after
    assert "王*明" not in after and "按村（社区）汇总" in after
    assert not (rendered / "social_assistance/2026/notice-2026-06/recipients.csv").exists()
    assert "王*明" not in (rendered / "social_assistance/2026/notice-2026-06/data.json").read_text(encoding="utf-8")
    long_term = (rendered / "social_assistance/2026/approved-2026-07.md").read_text(encoding="utf-8")
    assert "本名单长期公布" in long_term and "王*明" in long_term


def test_default_notice_period_comes_from_the_category(missions):
    from generator.pipeline import check
    checked = check(missions)
    record = next(r for r in checked.records if r.page_path.endswith("notice-2026-06"))
    assert (record.notice_period.start.isoformat(), record.notice_period.end.isoformat()) == ("2026-06-08", "2026-06-14")


def test_the_list_leaves_the_page_on_the_first_render_after_the_period(tmp_path):
    docs = tmp_path / "docs"
    with today("2026-07-12"):
        from generator.catalogue import build_catalogue
        from generator.pipeline import check
        from generator.render import render_site
        checked = check(MISSIONS)
        render_site(build_catalogue(checked.records, checked.settings, checked.categories), docs)
    assert "周*平" in (docs / "social_assistance/2026/notice-2026-07.md").read_text(encoding="utf-8")
    for path in docs.rglob("*"):            # a day passes between the two builds
        if path.is_file():
            os.utime(path, (path.stat().st_mtime - 86400,) * 2)
    with today("2026-07-13"):
        render_site(build_catalogue(checked.records, checked.settings, checked.categories), docs)
    page = (docs / "social_assistance/2026/notice-2026-07.md").read_text(encoding="utf-8")
    assert "周*平" not in page and "公示已结束" in page
    assert not (docs / "social_assistance/2026/notice-2026-07/recipients.csv").exists()


def test_recipient_whitelist_and_schema_agree():
    from generator.kinds.social_assistance.model import spec
    schema = parse_yaml(read_text(ROOT / "content/_schema.yml")).data
    columns = [c["key"] for c in spec()["recipient_columns"]]
    assert sorted(columns) == sorted(schema["properties"]["recipients"]["items"]["properties"])


# ---- pages ------------------------------------------------------------------------------------------------

def test_budget_versus_actual_page(rendered):
    page = (rendered / "budgets/data/execution-civil-2025.md").read_text(encoding="utf-8")
    assert "测试县民政局2025年预算执行情况" in page
    # 2081902: budget 120.00, actual 136.40 -> +16.40, 113.7%
    assert re.search(r"2081902</td><th scope=\"row\">农村最低生活保障金支出</th><td>120.00</td><td>136.40</td>"
                     r"<td>\+16.40</td><td>113.7%</td>", page)
    assert "<td>6.00</td><td>5.20</td><td>-0.80</td><td>86.7%</td>" in page   # “三公” 合计
    assert (rendered / "budgets/data/execution-civil-2025/execution.svg").exists()
    record = (rendered / "budgets/2025/civil-budget-2025.md").read_text(encoding="utf-8")
    assert "execution-civil-2025" in record


def test_budget_tables_page_has_every_standard_table_and_the_empty_note(rendered):
    page = (rendered / "budgets/2026/civil-final-accounts-2025/tables.md").read_text(encoding="utf-8")
    assert page.count('<table class="gk-data"') == 9
    assert "表9 国有资本经营预算财政拨款支出决算表" in page and "本单位无此项收支，故本表为空表。" in page
    assert '<tr class="l3"><td class="t">2080201</td><th scope="row">行政运行</th>' in page


def test_aqi_calendar_says_the_level_in_words(rendered):
    page = (rendered / "environment/data/aqi-2026.md").read_text(encoding="utf-8")
    # Colours by class (the stylesheet is written from the same data file): no style attribute under the CSP.
    cells = [("#" + colour.upper(), *rest) for colour, *rest in re.findall(
        r'<td class="gk-swatch-([0-9a-f]{6})-[0-9a-f]{6}"><b>(\d+)</b><span><span class="gk-aqi-word">AQI </span>(\d+)</span>'
        r'<i><em>([^<]+)</em>([^<]+)</i></td>', page)]
    assert len(cells) == 7
    s = hj633.standard()
    for colour, day, aqi, level, category in cells:
        assert (colour, level, category) == (s.level(int(aqi)).colour, s.level(int(aqi)).level, s.level(int(aqi)).category)
    assert ("#7E0023", "7", "310", "六级", "严重污染") in cells
    assert '<td class="x"><b>8</b><i>无数据</i></td>' in page


def test_poverty_year_page_reconciles_funds(rendered):
    page = (rendered / "poverty_relief/data/projects-2026.md").read_text(encoding="utf-8")
    assert "已公告分配的衔接资金" in page and "<td>1,000.00</td><td>0.00</td>" in page
    assert "已公示项目的衔接资金（1个项目）" in page and "<td>120.00</td><td>0.00</td>" in page
    assert re.search(r"2026年河口村道路硬化项目</th>.*?已完工", page)


def test_eia_timeline_marks_the_missing_stage(rendered):
    page = (rendered / "environment/data/eia.md").read_text(encoding="utf-8")
    assert "审批中" in page and "3. 审批决定（批复）</span> 尚未公开" in page


def test_category_pages_link_their_data_pages(rendered):
    for category in ("budgets", "social_assistance", "poverty_relief", "environment"):
        page = (rendered / category / "index.md").read_text(encoding="utf-8")
        assert 'class="gk-data-links"' in page and "data/" in page, category


def test_demo_content_has_three_years_of_every_mission():
    from generator.pipeline import check
    checked = check(ROOT / "content")
    assert checked.ok and not checked.problems.warnings, [p for p in checked.problems][:5]
    for category, kinds in (("budgets", {"budget"}), ("social_assistance", {"statistics", "notice_list", "allowance_standards"}),
                            ("poverty_relief", {"plan", "project", "allocation"}),
                            ("environment", {"air_quality", "water_quality", "key_polluters", "eia"})):
        years = {r.published_on.year for r in checked.records if r.category.id == category
                 and any(d.kind_name in kinds for d in r.datasets)}
        assert len(years) >= 3, (category, years)


# ---- the built site (real MkDocs) -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from generator.cli import main
    base = tmp_path_factory.mktemp("missions-built")
    shutil.copytree(MISSIONS, base / "content")
    with today():
        assert main(["build", "--content", str(base / "content"), "--out", str(base / "site"),
                     "--work", str(base / "build")]) == 0
    return base / "site"


@pytest.mark.slow
def test_record_and_data_pages_stay_light(built):
    heavy = {p.relative_to(built).as_posix(): p.stat().st_size for c in ("budgets", "social_assistance",
             "poverty_relief", "environment") for p in (built / c).rglob("index.html") if p.stat().st_size > 50_000}
    assert not heavy, heavy


@pytest.mark.slow
def test_built_tables_keep_caption_unit_and_alignment(built):
    from bs4 import BeautifulSoup
    soup = BeautifulSoup((built / "budgets/2025/civil-budget-2025/tables/index.html").read_text(encoding="utf-8"), "lxml")
    tables = soup.select("table.gk-data")
    assert [t.caption.contents[0].strip() for t in tables][:2] == ["表1 部门收支总表", "表2 部门收入总表"]
    assert all(t.caption.select_one(".gk-unit").get_text() == "单位：万元" for t in tables)
    row = soup.select_one("#t-general_expenditure tr.l3")
    assert [c.name for c in row.children if c.name] == ["td", "th", "td", "td", "td"]
    assert soup.select_one("#t-capital_expenditure .gk-empty-table").get_text() == "本单位无此项收支，故本表为空表。"
    calendar = BeautifulSoup((built / "environment/data/aqi-2026/index.html").read_text(encoding="utf-8"), "lxml")
    days = calendar.select("table.gk-aqi-calendar td[class^='gk-swatch-']")
    assert len(days) == 7 and days[0].get_text(" ", strip=True) == "1 AQI 49 一级 优"
    record = BeautifulSoup((built / "environment/2026/aqi-2026-05/index.html").read_text(encoding="utf-8"), "lxml")
    img = record.select_one("figure.gk-chart img") or record.select_one("a[href$='aqi-calendar.svg']")
    assert img is not None
    assert (built / "environment/2026/aqi-2026-05/aqi-calendar.svg").read_text(encoding="utf-8").startswith("<svg")
    assert (built / "budgets/2025/civil-budget-2025/general_expenditure.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_an_expired_list_loses_its_board_sheet_on_the_website(missions):
    from generator.export.paths import print_links
    from generator.pipeline import check
    for name in ("notice-2026-06.md", "notice-2026-07.md"):
        edit(missions / "social_assistance/2026" / name, "notice_kind: 初审",
             "notice_kind: 初审\npostings:\n  - {form: 公开栏, place: 河口村村务公开栏, posted_on: 2026-06-08}")
    checked = check(missions)
    records = {r.page_path.rsplit("/", 1)[-1]: r for r in checked.records}
    reference = max(r.published_on for r in checked.records)
    assert not records["notice-2026-06"].printed_with_site(reference)            # 公示已结束: totals only
    assert not print_links(records["notice-2026-06"], reference)
    assert records["notice-2026-07"].printed_with_site(reference)                # 公示中
    assert ("打印公示版", "print/social_assistance/2026/notice-2026-07.pdf") in print_links(records["notice-2026-07"], reference)


def test_a_list_with_only_a_notice_period_shows_during_it(missions, tmp_path):
    """A category without 公示类型: the list is on the page during its 公示期, then totals only."""
    from generator.catalogue import build_catalogue
    from generator.pipeline import check
    from generator.render import render_site
    edit(missions / "poverty_relief/2026/liuwan-tea-2026.md", "project:\n",
         "notice_period: {start: 2026-07-08, end: 2026-07-14}\n"
         "recipients:\n  - {name: 孙*芳, village: 柳湾村, household_size: 3}\nproject:\n")
    checked = check(missions)
    assert checked.ok, [p for p in checked.problems]
    for day, shown in (("2026-07-10", True), ("2026-07-15", False)):
        with today(day):
            render_site(build_catalogue(checked.records, checked.settings, checked.categories), tmp_path / day)
        page = (tmp_path / day / "poverty_relief/2026/liuwan-tea-2026.md").read_text(encoding="utf-8")
        assert ("孙*芳" in page) == shown and ("公示中" if shown else "公示已结束") in page
