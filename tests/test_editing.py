"""Editors' mistakes caught where they are made (issue 15, editing half).

Each case is a mistake an editor of a second county made from the README alone; the message must point at
the cause, in the file and on the line where it was made, and say nothing about files that were not touched.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.pipeline import check
from tests.files import edit, line_of
from tests.locality import leaked, write_locality
from tests.missions import MISSIONS, TODAY

ROOT = Path(__file__).resolve().parent.parent
NOTICE = "docs/2025/subsidy-notice.md"
EXPLAINED = "notes/2025/subsidy-notice-explained.md"


def report(run, content) -> tuple[int, str]:
    return run("check", "--content", content)


def section(out: str, file: str) -> str:
    """The lines printed for one file."""
    start = out.index(f"文件 {file}\n")
    end = out.find("\n\n", start)
    return out[start:end if end >= 0 else None]


@pytest.fixture
def county(tmp_path, monkeypatch):
    """A fresh copy of the second locality (柳溪县); the working directory is its parent."""
    monkeypatch.chdir(tmp_path)
    return write_locality(tmp_path / "county")


# ---- 1. No placeholder ever publishes ---------------------------------------------------------------------

def new_record(run, content, *args):
    code, out = run("new", *args, "--content", content)
    assert code == 0, out
    return content.parent / out.split("\n")[0].removeprefix("已新建 "), out


def test_placeholders_of_a_new_record_are_errors_once_draft_is_removed(run, county):
    path, _ = new_record(run, county, "docs", "--title", "关于做好冬春救助工作的通知", "--publisher", "mz",
                         "--date", "2025-11-03")
    edit(path, "draft: true\n", "")
    code, out = report(run, county)
    assert code == 1, out
    own = section(out, "county/docs/2025/mz-0003.md")
    assert "第 6 行 字段 文号 (doc_no)：还是模板中的占位文字，不能发布" in own
    assert "实际：柳民发〔2025〕×号" in own
    assert "第 13 行 字段 内容概述 (summary)：还是模板中的占位文字，不能发布" in own
    assert "第 16 行 字段 正文：正文中还有模板中的占位文字，不能发布" in own     # draft: true is gone
    assert "第 18 行 字段 正文：正文中还有模板中的占位文字" in own
    assert "（占位文字来自 county/docs/_template.md 第 13 行）" in own
    # The placeholder 文号 is reported as such, not as a badly formed 文号.
    assert "文号格式不正确" not in own


def test_a_draft_with_placeholders_is_a_warning_that_lists_what_remains(run, county):
    path, out = new_record(run, county, "docs", "--title", "关于做好冬春救助工作的通知", "--publisher", "mz",
                           "--date", "2025-11-03")
    assert "发布前还要改写模板中的占位文字：文号 (doc_no)（第 6 行）、内容概述 (summary)（第 13 行）、正文（第 17、19 行）" in out
    code, out = report(run, county)
    assert code == 0, out
    assert "[提醒] 第 14 行 字段 草稿 (draft)：草稿，不会发布" in out


def test_placeholders_are_read_from_the_template_not_from_code(run, county):
    """An editor's own template sentence, in any width of brackets, still blocks publishing."""
    template = county / "docs/_template.md"
    edit(template, "请在此填写主送机关和正文。", "此处写明本县执行口径并删去本句。")
    path, _ = new_record(run, county, "docs", "--title", "关于做好冬春救助工作的通知", "--date", "2025-11-03")
    edit(path, "draft: true\n", "")
    edit(path, "请在此填写内容概述(5 到 300 字)", "请在此填写内容概述（5到300字）")
    code, out = report(run, county)
    assert code == 1
    own = section(out, "county/docs/2025/gov-0001.md")
    assert "实际：此处写明本县执行口径并删去本句。" in own
    assert "实际：请在此填写内容概述（5到300字）" in own


def test_the_built_in_template_placeholders_and_empty_text_are_errors(run, mini):
    (mini / "notes/_schema.yml").write_text("required: []\n", encoding="utf-8")
    path, _ = new_record(run, mini, "notes", "--title", "关于低保政策的解读", "--date", "2025-06-02")
    edit(path, "draft: true\n", "")
    code, out = report(run, mini)
    own = section(out, "content/notes/2025/gov-00004.md")
    assert "内容概述 (summary)：还是模板中的占位文字" in own and "实际：请在此填写正文。" in own
    assert "占位文字来自新建信息的内置模板" in own
    text = path.read_text(encoding="utf-8").replace("请在此填写正文。", "").replace(
        "请在此填写内容概述(5 到 300 字)", '"      "')
    path.write_text(text, encoding="utf-8")
    code, out = report(run, mini)
    own = section(out, "content/notes/2025/gov-00004.md")
    assert "内容概述 (summary)：必填内容为空" in own and "正文：正文为空" in own


def test_new_takes_the_publishers_defaults_and_names_the_file_from_the_index_number(run, county):
    path, out = new_record(run, county, "jiedu", "--title", "临时救助政策问答", "--publisher", "mz",
                           "--date", "2025-11-03")
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    # 县民政局's own default topic wins over the category's (综合政务); the file carries the 索引号's sequence
    # as the template prints it ({seq:04d}).
    assert front["topic"] == "民政、扶贫、救灾"
    assert front["index_no"] == "12888800MB1C00012B-2025-0003" and path.name == "mz-0003.md"
    path, _ = new_record(run, county, "gonggao", "--title", "城关街道停水通知", "--name", "tingshui-2025-11",
                         "--date", "2025-11-04")
    assert path == county / "gonggao/2025/tingshui-2025-11.md"
    code, out = run("new", "gonggao", "--title", "又一个通知", "--name", "停水", "--content", county)
    assert code == 2 and "只能用英文字母、数字" in out


def test_hints_use_the_content_directory_given(run, county):
    _, out = new_record(run, county, "gonggao", "--title", "城关街道停水通知", "--date", "2025-11-04")
    assert "再运行 make check CONTENT=county 检查" in out
    edit(county / "docs/2025/mz-0001.md", "index_no: 12888800MB1C00012B-2025-0001", "index_no: 2025-1")
    code, out = report(run, county)
    assert "新建信息请用 .venv/bin/python -m generator new docs --title \"标题\" --content county 自动分配索引号" in out


def test_path_hints_are_the_paths_given(run, county, monkeypatch):
    """Run from a sibling directory with --content ../county: paths in hints must work from there."""
    elsewhere = county.parent / "work"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    edit(county / "docs/2025/mz-0001.md", "summary:", "attachments:\n  - {file: mz-0001/附件1.pdf}\nsummary:")
    code, out = run("check", "--content", "../county")
    assert "文件 ../county/docs/2025/mz-0001.md" in out
    assert "请把附件放到 ../county/docs/2025/mz-0001 目录中" in out, out


def test_make_check_takes_the_content_directory(county, tmp_path):
    edit(county / "docs/2025/mz-0001.md", "written_on: 2025-03-03", "written_on: 2025-02-30")
    done = subprocess.run(["make", "-s", "-C", str(ROOT), "-o", ".venv/.installed", f"PY={sys.executable}",
                           "check", f"CONTENT={county}"], capture_output=True, text=True)
    assert done.returncode != 0
    assert "日期不存在" in done.stdout and "mz-0001.md" in done.stdout, done.stdout + done.stderr


def test_messages_take_examples_from_the_sites_own_organisations(run, county):
    edit(county / "docs/2025/mz-0001.md", "doc_no: 柳民发〔2025〕2号", "doc_no: 柳民发2025年2号")
    code, out = report(run, county)
    assert "应为：机关代字〔年份〕序号号，例如 柳民发〔2025〕3号" in out
    assert not leaked(out)


def test_nothing_of_the_demo_in_what_another_county_is_told(run, county):
    """Many ordinary mistakes at once in 柳溪县: every message speaks of 柳溪县 only."""
    doc, jiedu = county / "docs/2025/mz-0001.md", county / "jiedu/2025/mz-0002.md"
    edit(doc, "doc_no: 柳民发〔2025〕2号", "doc_no: 柳民发〔2025〕第2号")
    edit(doc, "publisher: 柳溪县民政局", "publisher: 柳溪县民政")
    edit(doc, "summary:", "attachments:\n  - {file: ../../../../secret.pdf}\nsummary:")
    edit(jiedu, "index_no: 12888800MB1C00012B-2025-0002", "index_no: 2025-2")
    edit(jiedu, "topic: 民政、扶贫、救灾", "topic: 民政")
    edit(county / "gonggao/2025/cg-0001.md", "genre: 公告", "genre：公告")
    path, out = new_record(run, county, "xiangcun", "--title", "石门镇项目公示", "--date", "2025-11-03")
    assert not leaked(out), out
    edit(path, "draft: true\n", "")
    code, out = report(run, county)
    assert code == 1
    assert not leaked(out), out
    assert "例如 柳政办发〔2025〕3号" in out and "改为 柳民发〔2025〕2号" in out
    assert "是否应为 民政、扶贫、救灾" in out          # a topic written short


def test_templates_hold_no_localitys_values():
    sources = [ROOT / "generator/scaffold.py", *sorted((ROOT / "content").glob("*/_template.md"))]
    for path in sources:
        assert not leaked(path.read_text(encoding="utf-8")), path


# ---- 2. Messages point at the cause -----------------------------------------------------------------------

@pytest.mark.parametrize("old,new,message,got", [
    ("genre: 解读", "genre：解读", "YAML 格式错误：字段名后用了全角冒号“：”", "实际：genre：解读"),
    ("genre: 解读", "\tgenre: 解读", "YAML 格式错误：行首有制表符（Tab 键）", "实际：[Tab]genre: 解读"),
    ("genre: 解读", "\u3000genre: 解读", "YAML 格式错误：行首有全角空格", "实际：[全角空格]genre: 解读"),
    ("title: 《关于规范临时救助审批的通知》政策解读", 'title: "《关于规范临时救助审批的通知》政策解读',
     "YAML 格式错误：引号没有闭合", "实际：title: \"《关于规范"),
    ("genre: 解读", "genre:解读", "YAML 格式错误：冒号后缺少空格", "实际：genre:解读"),
])
def test_yaml_mistakes_are_named_on_their_own_line(run, county, old, new, message, got):
    path = county / "jiedu/2025/mz-0002.md"
    edit(path, old, new)
    code, out = report(run, county)
    assert code == 1
    own = section(out, "county/jiedu/2025/mz-0002.md")
    assert f"第 {line_of(path, new.strip()[:6])} 行：{message}" in own, own
    assert got in own
    assert "此文件无法解析，其他文件中引用它的检查已跳过" in own
    # PyYAML's English is a detail, never the message; and the untouched document hears nothing.
    assert "原始信息：" in own or "全角空格" in message
    assert "county/docs/2025/mz-0001.md" not in out, out
    assert out.count("[错误]") == 1 and "[提醒]" not in out


def test_a_document_whose_interpretation_is_refused_is_not_told_to_get_one(run, county):
    """Before: 「这份文件还没有政策解读」 on the untouched document."""
    edit(county / "jiedu/2025/mz-0002.md", "genre: 解读", "genre：解读")
    code, out = report(run, county)
    assert "这份文件还没有政策解读" not in out


def test_an_interpretation_of_a_refused_document_is_not_told_it_is_missing(run, county):
    edit(county / "docs/2025/mz-0001.md", "validity: 有效", "validity：有效")
    code, out = report(run, county)
    assert code == 1
    assert "找不到被解读的文件" not in out and "county/jiedu" not in out, out


def test_a_link_to_a_refused_record_is_not_reported_missing(run, mini):
    edit(mini / "docs/2024/old-notice.md", "genre: 通知", "genre：通知")
    code, out = report(run, mini)
    assert "链接指向的信息不存在" not in out
    assert "文件 content/docs/2025/subsidy-notice.md" not in out


def test_a_duplicate_index_number_resolves_to_nothing(run, mini):
    """A new document copied the 通知's number; the untouched 解读 is not told it predates 'its' document."""
    text = (mini / NOTICE).read_text(encoding="utf-8").replace("published_on: 2025-03-14", "published_on: 2025-06-01")
    text = text.replace("doc_no: 测政办发〔2025〕7号", "doc_no: 测政办发〔2025〕9号")
    (mini / "docs/2025/water-notice.md").write_text(text, encoding="utf-8")
    code, out = report(run, mini)
    assert code == 1
    assert "解读的发布日期早于被解读的文件" not in out
    assert f"文件 content/{EXPLAINED}" not in out
    for mine, other in (("water-notice.md", "subsidy-notice.md"), ("subsidy-notice.md", "water-notice.md")):
        own = section(out, f"content/docs/2025/{mine}").split("\n")
        assert own[1] == "  [错误] 第 2 行 字段 索引号 (index_no)：索引号重复", own
        assert f"与 content/docs/2025/{other} 第 2 行重复" in "\n".join(own[1:6])


def test_budget_a_wrong_leaf_is_reported_before_its_parent(run, tmp_path, monkeypatch):
    content = missions_copy(tmp_path, monkeypatch)
    path = content / "budgets/2026/civil-final-accounts-2025.md"
    replace_in_table(path, "general_expenditure:", "{code: 2080201, name: 行政运行, total: 98.20,",
                     "{code: 2080201, name: 行政运行, total: 98.02,")
    code, out = report(run, content)
    errors = [line for line in out.split("\n") if "[错误]" in line]
    assert "第 3 行（2080201 行政运行）合计：合计不等于基本支出、项目支出之和" in errors[0], out
    assert "上级科目的合计不等于下级科目之和" in errors[-1]
    assert "下级科目 第 3 行（2080201 行政运行）本身的数字就不一致" in out


def test_budget_the_same_code_must_agree_across_tables(run, tmp_path, monkeypatch):
    """Two 项 swap amounts in 一般公共预算支出表: every sum still adds up, only 部门支出总表 disagrees."""
    content = missions_copy(tmp_path, monkeypatch)
    path = content / "budgets/2026/civil-final-accounts-2025.md"
    replace_in_table(path, "general_expenditure:", "城市最低生活保障金支出, total: 66.30, basic: 0.00, project: 66.30",
                     "城市最低生活保障金支出, total: 60.30, basic: 0.00, project: 60.30")
    replace_in_table(path, "general_expenditure:", "农村最低生活保障金支出, total: 136.40, basic: 0.00, project: 136.40",
                     "农村最低生活保障金支出, total: 142.40, basic: 0.00, project: 142.40")
    code, out = report(run, content)
    assert code == 1, out
    assert ("一般公共预算财政拨款支出决算表 第 6 行（2081901 城市最低生活保障金支出）合计：同一科目在支出决算表和"
            "财政拨款支出表中的合计不一致") in out
    assert "应为：66.30（支出决算表 第 6 行 66.30）" in out and "实际：60.30，相差 -6.00" in out
    assert "第 7 行（2081902 农村最低生活保障金支出）合计" in out


def test_budget_other_income_allows_more_in_the_whole_table_but_never_less(run, tmp_path, monkeypatch):
    content = missions_copy(tmp_path, monkeypatch)
    path = content / "budgets/2026/civil-final-accounts-2025.md"
    replace_in_table(path, "general_expenditure:", "城市最低生活保障金支出, total: 66.30, basic: 0.00, project: 66.30",
                     "城市最低生活保障金支出, total: 60.30, basic: 0.00, project: 60.30")
    replace_in_table(path, "general_expenditure:", "农村最低生活保障金支出, total: 136.40, basic: 0.00, project: 136.40",
                     "农村最低生活保障金支出, total: 142.40, basic: 0.00, project: 142.40")
    spec = yaml.safe_load((ROOT / "generator/data/budget-tables.yml").read_text(encoding="utf-8"))["same_code"]
    assert spec["whole"] == "expenditure" and "general_expenditure" in spec["parts"]
    # With other income the whole table may be larger (城市), never smaller (农村).
    edit(path, "business: 0.00, other: 0.00}\n      expenditure:\n        - {code: 208",
         "business: 0.00, other: 5.00}\n      expenditure:\n        - {code: 208")
    code, out = report(run, content)
    assert "第 6 行（2081901" not in out.split("同一科目")[0] if "同一科目" in out else True
    assert "第 7 行（2081902 农村最低生活保障金支出）合计：同一科目" in out
    assert "应为：不超过 136.40" in out


def missions_copy(tmp_path, monkeypatch) -> Path:
    content = tmp_path / "content"
    shutil.copytree(MISSIONS, content)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GK_TODAY", TODAY)
    return content


def replace_in_table(path: Path, table: str, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    i = text.index(table)
    assert old in text[i:], old
    path.write_text(text[:i] + text[i:].replace(old, new, 1), encoding="utf-8")


# ---- 3. Folder = year -------------------------------------------------------------------------------------

def test_a_record_in_the_wrong_year_folder_is_an_error_with_the_move_command(run, mini):
    edit(mini / NOTICE, "published_on: 2025-03-14", "published_on: 2026-01-05")
    edit(mini / NOTICE, "written_on: 2025-03-10", "written_on: 2026-01-04")
    edit(mini / NOTICE, "index_no: 11999900MB0B00001X/2025-00002", "index_no: 11999900MB0B00001X/2026-00002")
    edit(mini / NOTICE, "测政办发〔2025〕7号", "测政办发〔2026〕7号")
    code, out = report(run, mini)
    assert code == 1, out
    own = section(out, f"content/{NOTICE}")
    line = line_of(mini / NOTICE, "published_on:")
    assert f"[错误] 第 {line} 行 字段 发布日期 (published_on)：文件放在 2025 年的目录中，但发布日期在 2026 年" in own
    assert ("mkdir -p content/docs/2026"
            " && git mv content/docs/2025/subsidy-notice.md content/docs/2026/subsidy-notice.md"
            " && git mv content/docs/2025/subsidy-notice content/docs/2026/subsidy-notice") in own


# ---- 4. Demo leftovers ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built_county(tmp_path_factory):
    base = tmp_path_factory.mktemp("county")
    content = write_locality(base / "county")
    from generator.cli import main
    assert main(["build", "--content", str(content), "--out", str(base / "site"), "--work", str(base / "build")]) == 0
    return base / "site"


def test_home_page_names_the_kinds_of_organisations_the_county_has(built_county, built_mini):
    county = (built_county / "index.html").read_text(encoding="utf-8")
    assert "柳溪县人民政府办公室及所属部门、乡镇、街道依法主动公开的政府信息" in county
    mini = (built_mini / "site/index.html").read_text(encoding="utf-8")
    assert "测试县人民政府办公室及所属部门依法主动公开的政府信息" in mini


def test_project_list_total_row_adds_up_the_published_projects(built_county):
    page = (built_county / "xiangcun/data/projects-2025/index.html").read_text(encoding="utf-8")
    total = page[page.index("合计（1个项目）"):]
    total = total[: total.index("</tr>")]
    assert "<td>154.50</td>" in total, total
    # Without a plan there is nothing to reconcile against: no +154.50 "difference" from an absent plan.
    assert "+154.50" not in page and "暂无可核对的计划数" in page


def test_nothing_of_the_demo_reaches_another_countys_site(built_county):
    found = {str(p.relative_to(built_county)): leaked(p.read_text(encoding="utf-8", errors="replace"))
             for p in built_county.rglob("*") if p.suffix in (".html", ".csv", ".json", ".svg", ".js", ".xml")}
    assert not {k: v for k, v in found.items() if v}


def test_code_templates_and_rule_data_hold_no_demo_values():
    """Another county runs the same code, templates and rule data: none may name 示例县, its codes or 文号
    (a comment in hj633-2012.yml did)."""
    sources = [*sorted((ROOT / "generator").rglob("*.py")), *sorted((ROOT / "generator").rglob("*.yml")),
               *sorted((ROOT / "theme").rglob("*.j2")), *sorted((ROOT / "theme").rglob("*.html"))]
    found = {str(path.relative_to(ROOT)): leaked(path.read_text(encoding="utf-8")) for path in sources}
    assert not {path: values for path, values in found.items() if values}
