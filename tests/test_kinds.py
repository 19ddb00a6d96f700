"""Sectors declared as data (generator/kinds): a fixture county (河湾县) defines 权力清单, 救灾资金发放, 重大决策
预公开 and 双公示 with _category.yml and _schema.yml only. Its tables reach the page, the CSV and JSON beside it,
the search index and the catalogue; each kind's checks name the table, row and column; golden pages."""
import json
import os
import shutil

import pytest
from bs4 import BeautifulSoup

from generator.cli import main
from generator.export.downloads import read_csv
from tests.files import edit, line_of
from tests.missions import today
from tests.sectors import GOLDEN, SECTORS, TODAY, render_sectors, sector_files

POWERS = "powers/2025/market-powers-2025"
RELIEF = "relief/2026/flood-relief-liulin-2026-06"


def html(site, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def sectors(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(SECTORS, content)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GK_TODAY", TODAY)
    return content


def check_says(run, content, path, *fragments, code=1, line=None):
    got, out = run("check", "--content", content)
    assert got == code, out
    shown = path.relative_to(content.parent).as_posix()
    assert f"文件 {shown}" in out, out
    if line is not None:
        assert f"第 {line} 行" in out, out
    for fragment in fragments:
        assert fragment in out, out
    return out


# ---- a sector defined as data reaches every output ---------------------------------------------------------

def test_declared_table_is_a_table_on_the_page_labelled_for_phones(built_sectors):
    page = html(built_sectors, POWERS)
    table = page.find("table", id="t-powers")
    assert table is not None, "the declared rows must not be dropped"
    assert [th.get_text() for th in table.thead.find_all("th")] == ["事项编码", "事项名称", "职权类型", "实施依据", "承办机构"]
    cell = table.find("td", string="特种设备使用登记")
    assert cell is not None and cell["data-label"] == "事项名称"
    assert "gk-cards" in table["class"]


def test_declared_table_in_csv_and_json_beside_the_page(built_sectors):
    rows = read_csv(built_sectors / POWERS / "powers.csv")
    assert rows[0] == ["事项编码", "事项名称", "职权类型", "实施依据", "承办机构"]
    assert ["SJ-QR-004", "特种设备使用登记", "行政确认", "《中华人民共和国特种设备安全法》第三十三条", "特种设备股"] in rows
    assert (built_sectors / POWERS / "powers.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    data = json.loads((built_sectors / POWERS / "data.json").read_text(encoding="utf-8"))
    assert data["datasets"]["powers"]["rows"][2] == {
        "code": "SJ-QR-004", "name": "特种设备使用登记", "type": "行政确认",
        "basis": "《中华人民共和国特种设备安全法》第三十三条", "unit": "特种设备股"}
    money = read_csv(built_sectors / "licensing/2026/market-decisions-2026-q2/penalties.csv")
    assert money[0][4] == "罚款金额（万元）" and money[1][4] == "0.50" and money[-1][0] == "合计"


def test_declared_field_is_a_catalogue_column_and_a_metadata_row(built_sectors):
    page = html(built_sectors, "powers")
    head = [th.get_text() for th in page.select("table.gk-table thead th")]
    assert head == ["索引号", "标题", "发布机构", "清单版本", "发布日期"]
    cells = page.select("table.gk-table td.gk-col-list_version")
    assert [c.get_text() for c in cells] == ["2025年版", "2025年版", "2024年版"]
    assert cells[0]["data-label"] == "清单版本"
    meta = html(built_sectors, POWERS).find("table", class_="gk-meta")
    assert "清单版本" in [th.get_text() for th in meta.find_all("th")]


def test_category_page_shows_the_list_in_force_per_publisher_with_versions(built_sectors):
    page = html(built_sectors, "powers")
    assert page.find("h2", string="现行权力清单") is not None
    blocks = page.select("h3.gk-current-title a")
    assert [a.get_text() for a in blocks] == ["河湾县市场监督管理局", "河湾县柳林镇人民政府"]
    current = page.find("table", id="t-powers-market")
    assert [th.get_text() for th in current.thead.find_all("th")] == ["事项编码", "事项名称", "职权类型"]
    assert "计量器具强制检定监督检查" not in current.get_text(), "the superseded version is not the list in force"
    assert page.find("a", href="2024/market-powers-2024/") is not None, "the version history is linked"
    old = html(built_sectors, "powers/2024/market-powers-2024")
    assert "历史版本" in old.get_text() and old.find("a", href="../../2025/market-powers-2025/") is not None
    new = html(built_sectors, POWERS).find("div", class_="gk-changes").get_text()
    assert "新增 1 项、取消 1 项、调整 1 项" in new and "SJ-JC-003 计量器具强制检定监督检查" in new


def test_pagefind_indexes_table_text_and_declared_facets(built_sectors):
    """The search entries Pagefind indexed: a table cell is searchable (as the index words a query for it builds,
    generator/search_words.py), a declared column a filter; the readable text shown in results holds no name."""
    import gzip
    from generator.search_words import index_words
    from tests.files import indexed_text
    fragments = [json.loads(gzip.decompress(p.read_bytes()).removeprefix(b"pagefind_dcd"))
                 for p in (built_sectors / "pagefind" / "fragment").glob("*.pf_fragment")]
    indexed = indexed_text(built_sectors / "pagefind")

    def words(entry):
        return indexed[entry["url"]]

    def searchable(entry, phrase):
        return " ".join(index_words(phrase).split()) in words(entry)

    entry = next(f for f in fragments if f["url"].endswith(POWERS + "/"))
    assert searchable(entry, "特种设备使用登记")
    assert not searchable(entry, "特种设备登记使用")
    assert sorted(entry["filters"]["职权类型"]) == sorted(["行政许可", "行政处罚", "行政确认"])
    relief = next(f for f in fragments if f["url"].endswith(RELIEF + "/"))
    assert searchable(relief, "柳林村")
    shown = relief["meta"].get("text", "") + words(relief)
    assert "周*华" not in shown and "周" not in relief["meta"].get("text", ""), "names on a list never go into the index"


def test_sector_pages_and_downloads_match_golden_files(tmp_path):
    render_sectors(tmp_path / "docs")
    got = sector_files(tmp_path / "docs")
    want = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(got) == sorted(want), "files added or removed: run `make golden` and review the diff"
    for rel in want:
        assert got[rel] == want[rel], f"{rel} differs from its golden file: run `make golden` and review the diff"


# ---- table checks ----------------------------------------------------------------------------------------

def test_wrong_allowed_value_names_table_row_and_column(run, sectors):
    path = sectors / "powers/2025/liulin-powers-2025.md"
    edit(path, "type: 行政给付", "type: 行政补贴")
    check_says(run, sectors, path, "取值不在允许范围内", "权力事项 (powers) 第 2 行 职权类型 (type)", "行政补贴",
               "行政许可、行政处罚", line=line_of(path, "行政补贴"))


def test_missing_column_names_table_row_and_column(run, sectors):
    path = sectors / "powers/2025/liulin-powers-2025.md"
    edit(path, ", basis: 《社会救助暂行办法》第四十八条", "")
    check_says(run, sectors, path, "缺少必填字段", "权力事项 (powers) 第 2 行 实施依据 (basis)",
               line=line_of(path, "LL-GF-002"))


def test_row_that_is_not_the_sum_of_its_parts(run, sectors):
    path = sectors / f"{RELIEF}.md"
    edit(path, "central: 0.50, county: 0.28, total: 0.78", "central: 0.50, county: 0.28, total: 0.87")
    check_says(run, sectors, path, "合计不等于 中央资金 + 县级资金 之和", "资金分配 (allocation) 第 1 行（柳林镇）",
               "0.78", "相差 +0.09", line=line_of(path, "total: 0.87"))


def test_stated_total_that_is_not_the_rows_added_up(run, sectors):
    path = sectors / f"{RELIEF}.md"
    edit(path, "payments_total: {persons: 10, amount: 7800}", "payments_total: {persons: 10, amount: 7600}")
    check_says(run, sectors, path, "合计不等于各行补助金额之和", "发放名单合计 (payments_total) 补助金额 (amount)",
               "7,800", line=line_of(path, "payments_total"))


def test_impossible_date_in_a_table(run, sectors):
    path = sectors / "licensing/2026/market-decisions-2026-q2.md"
    edit(path, "decided_on: 2026-04-15", "decided_on: 2026-04-31")
    check_says(run, sectors, path, "日期不存在", "行政许可决定 (licences) 第 1 行", "许可决定日期 (decided_on)",
               "只有 30 天", line=line_of(path, "2026-04-31"))


# ---- recipients checks -----------------------------------------------------------------------------------

def test_amount_over_the_declared_standard(run, sectors):
    path = sectors / f"{RELIEF}.md"
    edit(path, "{name: 吴*, village: 柳林村, persons: 1, amount: 800,", "{name: 吴*, village: 柳林村, persons: 1, amount: 950,")
    edit(path, "amount: 7800}", "amount: 7950}")
    check_says(run, sectors, path, "超过补助标准", "发放名单 (payments) 第 2 行", "补助金额 (amount)",
               "不超过 800 元（每人 800 元 × 1 人，2026-01-01 起执行）", "超出 150 元", line=line_of(path, "amount: 950"))


def test_standard_in_force_is_chosen_by_date(run, sectors):
    """The same amount is within the 2026 standard and over the 2025 one."""
    path = sectors / f"{RELIEF}.md"
    edit(path, "written_on: 2026-07-02", "written_on: 2025-12-30")
    edit(path, "published_on: 2026-07-06", "published_on: 2026-01-06")
    check_says(run, sectors, path, "超过补助标准", "不超过 1,800 元（每人 600 元 × 3 人，2025-01-01 起执行）")


def test_unmasked_name_and_house_number_on_a_list(run, sectors):
    path = sectors / f"{RELIEF}.md"
    edit(path, "{name: 周*华, village: 柳林村,", "{name: 周建华, village: 柳林村3组12号,")
    out = check_says(run, sectors, path, "姓名没有遮盖", "发放名单 (payments) 第 1 行 户主姓名 (name)",
                     "地址写到了门牌号", line=line_of(path, "柳林村3组12号"))
    assert "周建华" not in out and "3组12号" not in out, "the message must not repeat what it protects"


def test_list_comes_off_after_its_notice_period(run, sectors, tmp_path):
    for day, shown in (("2026-07-10", True), ("2026-07-13", False)):
        with today(day):
            out = tmp_path / day
            code = main(["build", "--content", str(sectors), "--out", str(out / "site"), "--work", str(out / "build")])
        assert code == 0
        page = (out / "site" / RELIEF / "index.html").read_text(encoding="utf-8")
        assert ("周*华" in page) is shown, day
        assert (out / "site" / RELIEF / "payments.csv").exists() is shown, day
        assert ("公示已结束" in page) is not shown and ("按村（社区）汇总" in page)


# ---- consultation ----------------------------------------------------------------------------------------

def test_consultation_window_open_then_closed_by_date(tmp_path):
    path = "consult/2026/parking-fee-draft-2026"
    content = tmp_path / "content"
    shutil.copytree(SECTORS, content)      # a build writes its manifest into the content: never into a fixture
    for day, status in (("2026-07-10", "征求意见中"), ("2026-07-25", "征求意见已结束")):
        with today(day):
            out = tmp_path / day
            render_sectors_on = main(["build", "--content", str(content), "--out", str(out / "site"),
                                      "--work", str(out / "build")])
        assert render_sectors_on == 0
        page = html(out / "site", path)
        assert page.select_one(".gk-notice-status strong").get_text() == status, day
        assert ("如何提出意见" in page.get_text()) is (status == "征求意见中")
        index = html(out / "site", "consult").get_text()
        assert ("还剩 15 天" in index) is (status == "征求意见中")


def test_adoption_report_and_consultation_link_each_other(built_sectors):
    draft = html(built_sectors, "consult/2025/market-plan-draft-2025")
    assert draft.find("a", href="../market-plan-adoption-2025/") is not None
    report = html(built_sectors, "consult/2025/market-plan-adoption-2025")
    assert report.find("a", href="../market-plan-draft-2025/") is not None
    assert [c.get_text() for c in report.select("#t-opinions td[data-label='采纳情况']")] == ["采纳", "部分采纳", "未采纳"]


def test_closed_consultation_without_adoption_report_is_a_reminder(run, sectors, monkeypatch):
    monkeypatch.setenv("GK_TODAY", "2026-08-24")      # 31 days after the parking consultation closed
    path = sectors / "consult/2026/parking-fee-draft-2026.md"
    out = check_says(run, sectors, path, "超过 30 天仍未公布意见采纳情况", code=0)
    assert "[提醒]" in out
    monkeypatch.setenv("GK_TODAY", "2026-08-23")
    code, out = run("check", "--content", sectors)
    assert "仍未公布意见采纳情况" not in out


def test_adoption_report_counts_must_add_up(run, sectors):
    path = sectors / "consult/2025/market-plan-adoption-2025.md"
    edit(path, "  adopted: 1\n", "  adopted: 2\n")
    check_says(run, sectors, path, "收到意见条数不等于采纳、部分采纳、未采纳之和",
               "采纳条数与逐条列出的意见不一致", line=line_of(path, "adopted: 2"))


def test_adoption_report_must_name_a_consultation(run, sectors):
    path = sectors / "consult/2025/market-plan-adoption-2025.md"
    edit(path, "consultation: 11999900MB0C00001A/2025-00005", "consultation: 11999900MB0C00001A/2025-00004")
    check_says(run, sectors, path, "找不到所报告的征求意见", line=line_of(path, "2025-00004"))


# ---- declarations ----------------------------------------------------------------------------------------

def test_unknown_catalogue_column_names_the_file_and_the_fields_that_exist(run, sectors):
    """Once, the category was dropped and every record of it said 「未知分类」."""
    path = sectors / "powers/_category.yml"
    edit(path, "catalogue_columns: [index_no, title, publisher, list_version, published_on]",
         "catalogue_columns: [index_no, title, publisher, version, published_on]")
    out = check_says(run, sectors, path, "目录列中的字段 version 在本分类中没有定义", "list_version（清单版本）",
                     "powers（权力事项）", "是否应为", line=line_of(path, "catalogue_columns"))
    assert "未知分类" not in out


def test_declared_facet_and_listing_column_are_checked_too(run, sectors):
    path = sectors / "powers/_category.yml"
    edit(path, "facets: [powers.type]", "facets: [powers.kind]")
    edit(path, "listing_columns: [code, name, type]", "listing_columns: [code, title]")
    check_says(run, sectors, path, "搜索筛选项中的字段 powers.kind 在本分类中没有定义", "powers.type",
               "现行清单列中的字段 title 在本分类中没有定义")


def test_sum_of_a_column_that_does_not_exist(run, sectors):
    path = sectors / "relief/_schema.yml"
    edit(path, "x-sum-of: [central, county]", "x-sum-of: [central, city]")
    check_says(run, sectors, path, "x-sum-of 中的列 city 不存在", line=line_of(path, "x-sum-of"))


def test_formula_in_a_declared_cell_does_not_reach_the_csv_as_a_formula(sectors, tmp_path):
    path = sectors / "powers/2025/liulin-powers-2025.md"
    edit(path, "name: 对露天焚烧秸秆的处罚", "name: '=1+1 对露天焚烧秸秆的处罚'")
    with today(TODAY):
        assert main(["build", "--content", str(sectors), "--out", str(tmp_path / "site"),
                     "--work", str(tmp_path / "build")]) == 0
    rows = read_csv(tmp_path / "site/powers/2025/liulin-powers-2025/powers.csv")
    assert rows[1][1] == "'=1+1 对露天焚烧秸秆的处罚"


# ---- new -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("category, publisher", [("powers", "liulin"), ("relief", "emergency"),
                                                 ("consult", "gov"), ("licensing", "market")])
def test_new_writes_a_template_for_every_kind_without_demo_values(run, sectors, category, publisher):
    code, out = run("new", category, "--title", "新建的测试信息", "--publisher", publisher, "--content", sectors,
                    "--date", "2026-07-10")
    assert code == 0, out
    made = next((sectors / category / "2026").glob(f"{publisher}-*.md"))
    text = made.read_text(encoding="utf-8")
    for demo in ("示例", "示民", "示政", "测试县", "东岭", "西河"):
        assert demo not in text, (demo, text)
    org = {"liulin": "河湾县柳林镇人民政府", "emergency": "河湾县应急管理局", "gov": "河湾县人民政府办公室",
           "market": "河湾县市场监督管理局"}[publisher]
    assert f"publisher: {org}" in text and "draft: true" in text
    # What is left to write is named by check, field by field.
    code, out = run("check", "--content", sectors)
    shown = made.relative_to(sectors.parent).as_posix()
    mine = out.split(f"文件 {shown}")[1].split("\n文件 ")[0] if f"文件 {shown}" in out else ""
    if category == "powers":
        assert "清单版本 (list_version)" in mine and "权力事项 (powers) 第 1 行 职权类型 (type)" in mine
    if category == "consult":
        assert "how_to_comment" in text and "征求意见" in text


# ---- 双公示 rows count in the 年度报告 -------------------------------------------------------------------

def _decisions(content, year):
    from decimal import Decimal

    from generator.compliance.annual import proactive_tables
    from generator.pipeline import check
    with today(TODAY):
        checked = check(content)
    assert checked.ok, list(checked.problems)
    tables = {t.id: t for t in proactive_tables(year, checked.records, Decimal(0))}
    rows = {label: values[0] for t in tables.values() if t.id.startswith("decisions") for label, _, values in t.rows}
    return rows["行政许可"], rows["行政处罚"]


def test_each_row_of_a_decision_table_is_one_decision_in_the_annual_report(sectors):
    assert _decisions(sectors, 2026) == (2, 2)
    # A row counts in the year of its decision, not of the record that lists it.
    path = sectors / "licensing/2026/market-decisions-2026-q2.md"
    edit(path, "item: 食品经营许可, decided_on: 2026-04-15", "item: 食品经营许可, decided_on: 2025-12-30")
    assert _decisions(sectors, 2026) == (1, 2)
    assert _decisions(sectors, 2025) == (1, 0)


# ---- the README walkthrough works as written ------------------------------------------------------------

def test_readme_new_sector_walkthrough_builds_as_written(sectors, run):
    """「新增一个栏目」: its _category.yml, _schema.yml and record, copied as an editor would, pass check."""
    import re
    from pathlib import Path
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### 新增一个栏目")[1].split("\n### ")[0]
    blocks = re.findall(r"```yaml\n(.*?)```", section, re.S)
    category = next(b for b in blocks if b.startswith("# content/farm_subsidies/_category.yml"))
    schema = next(b for b in blocks if b.startswith("# content/farm_subsidies/_schema.yml"))
    rows = next(b for b in blocks if b.startswith("notice_kind:"))
    folder = sectors / "farm_subsidies" / "2026"
    folder.mkdir(parents=True)
    # The fixture county has no 农业农村局 and no 农业 topic: the walkthrough's own names are swapped for its.
    (folder.parent / "_category.yml").write_text(
        category.replace("示例县农业农村局", "河湾县柳林镇人民政府").replace("农业、林业、水利", "民政、扶贫、救灾"),
        encoding="utf-8")
    (folder.parent / "_schema.yml").write_text(schema, encoding="utf-8")
    (folder / "subsidy-2026.md").write_text(
        "---\nindex_no: 11999900MB0C00004D/2026-00003\ntitle: 2026年耕地地力保护补贴发放名单公示\ntopic: 民政、扶贫、救灾\n"
        "publisher: 河湾县柳林镇人民政府\nwritten_on: 2026-07-01\npublished_on: 2026-07-03\n"
        "summary: 公示柳林镇2026年耕地地力保护补贴发放名单。\n" + rows + "---\n\n公示期内有异议的请向镇政府反映。\n",
        encoding="utf-8")
    code, out = run("check", "--content", sectors)
    assert code == 0, out
    # And the standard it declares is enforced: 2 亩 of 玉米 at 105 元 is at most 210 元.
    edit(folder / "subsidy-2026.md", "area: 2.00, amount: 210}", "area: 2.00, amount: 260}")
    edit(folder / "subsidy-2026.md", "amount: 630}", "amount: 680}")
    code, out = run("check", "--content", sectors)
    assert code == 1 and "超过补贴标准" in out and "不超过 210 元（每亩 105 元 × 2 亩" in out, out


def test_a_built_in_field_without_its_kind_is_refused_not_dropped(run, mini):
    """A category that declares `budget` but no `kind: budget` once passed the schema and published nothing."""
    schema = mini / "docs/_schema.yml"
    schema.write_text(schema.read_text(encoding="utf-8") + "properties:\n  budget: {title: 预算公开表, type: object}\n",
                      encoding="utf-8")
    code, out = run("check", "--content", mini)
    assert code == 1, out
    assert "文件 content/docs/_category.yml" in out and "字段 budget 由栏目类型 budget 读取" in out and "kind: budget" in out
    assert "未知分类" not in out
