from datetime import date

import yaml

from generator.pipeline import check


def test_new_assigns_next_number_and_writes_a_draft(run, mini):
    code, out = run("new", "docs", "--title", "关于开展春季安全检查的通知", "--content", mini, "--date", "2025-05-06")
    assert code == 0, out
    path = mini / "docs/2025/gov-00004.md"
    assert path.exists()
    assert "索引号：11999900MB0B00001X/2025-00004" in out
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    assert front["title"] == "关于开展春季安全检查的通知"
    assert front["publisher"] == "测试县人民政府办公室"
    assert front["draft"] is True
    assert front["doc_no"] == "测政办发〔2025〕×号"      # the publisher's 机关代字 (site.yml doc_prefix)
    checked = check(mini)
    assert checked.ok, list(checked.problems)
    assert any("草稿" in p.message and p.file.endswith("gov-00004.md") for p in checked.problems.warnings)


def test_numbers_are_never_reused(run, mini):
    run("new", "help", "--title", "第一份办事指南", "--content", mini, "--date", "2025-07-01")
    first = mini / "help/2025/civil-00005.md"
    assert first.exists()
    first.unlink()
    code, out = run("new", "help", "--title", "第二份办事指南", "--content", mini, "--date", "2025-07-02")
    assert code == 0
    assert (mini / "help/2025/civil-00006.md").exists(), out
    ledger = yaml.safe_load((mini / "_ledger.yml").read_text(encoding="utf-8"))
    assert ledger["11999900MB0B00002Y"][2025] == 6


def test_new_year_starts_at_one_and_publisher_can_be_chosen(run, mini):
    code, out = run("new", "notes", "--title", "民政政策解读", "--publisher", "civil", "--content", mini,
                    "--date", "2026-01-05")
    assert code == 0, out
    assert "11999900MB0B00002Y/2026-00001" in out


def test_new_rejects_unknown_category_and_bad_date(run, mini):
    code, out = run("new", "nonsense", "--title", "标题", "--content", mini)
    assert code == 2 and "未知分类 nonsense" in out and "docs(规范性文件)" in out
    code, out = run("new", "docs", "--title", "标题", "--content", mini, "--date", "2025-02-30")
    assert code == 2 and "无效" in out
    code, out = run("new", "docs", "--title", "标题", "--publisher", "外星局", "--content", mini)
    assert code == 2 and "未知发布机构" in out
    assert not (mini / "_ledger.yml").exists()


def test_new_defaults_to_today(run, mini):
    code, out = run("new", "docs", "--title", "今天的通知", "--content", mini)
    assert code == 0
    assert f"/{date.today().year}-" in out


def test_new_says_what_a_template_less_category_still_needs(run, mini):
    (mini / "docs/_template.md").unlink()
    code, out = run("new", "docs", "--title", "没有模板的通知", "--content", mini, "--date", "2025-05-06")
    assert code == 0
    assert "新文件还需要补充" in out and "文号 (doc_no)" in out and "缺少必填字段" in out


def test_a_publisher_without_doc_prefix_gets_a_placeholder_that_says_what_is_missing(run, mini):
    code, out = run("new", "docs", "--title", "民政局的通知", "--publisher", "civil", "--content", mini,
                    "--date", "2025-05-06")
    assert code == 0, out
    path = mini.parent / out.split("\n")[0].removeprefix("已新建 ")
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    assert front["doc_no"] == "机关代字〔2025〕×号"
    assert check(mini).ok
