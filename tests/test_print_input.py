"""Bad print fields (公示期, postings, 明白纸, 名单, _category.yml print): exit 1, a Chinese message naming file,
line and field with expected / got / hint, and nothing written."""
import pytest

from tests.test_bad_input import build_fails, edit, line_of, previous_site  # noqa: F401  (previous_site: fixture)
from tests.conftest import tree_digest

NOTICE = "content/docs/2025/subsidy-notice.md"
ANCHOR = "genre: 通知"


def add_fields(mini, text):
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, ANCHOR, ANCHOR + "\n" + text.strip("\n"))
    return path


def test_notice_period_ending_before_it_starts(run, mini, previous_site):
    path = add_fields(mini, "notice_period:\n  start: 2025-03-20\n  end: 2025-03-14")
    out = build_fails(run, mini, previous_site, "公示结束日期早于开始日期", "公示期 (notice_period) 结束日期 (end)",
                      "应为：不早于开始日期 2025-03-20", "实际：2025-03-14", "提示：", line=line_of(path, "end:"))
    assert "检查通过" not in out


def test_impossible_notice_date(run, mini, previous_site):
    path = add_fields(mini, "notice_period: {start: 2025-02-29, end: 2025-03-07}")
    build_fails(run, mini, previous_site, "日期不存在", "公示期 (notice_period) 开始日期 (start)", "只有 28 天",
                line=line_of(path, "notice_period:"))


def test_notice_period_needs_both_dates(run, mini, previous_site):
    add_fields(mini, "notice_period: {start: 2025-03-14}")
    build_fails(run, mini, previous_site, "缺少必填字段", "结束日期 (end)")


def test_posting_with_an_impossible_date(run, mini, previous_site):
    path = add_fields(mini, "postings:\n  - {form: 公开栏, place: 东岭村村务公开栏, posted_on: 2025-02-30}")
    build_fails(run, mini, previous_site, "日期不存在", "公开记录 (postings) 第 1 项 张贴日期 (posted_on)",
                "2025-02-30", line=line_of(path, "- {form"))


def test_posting_in_an_unknown_form(run, mini, previous_site):
    path = add_fields(mini, "postings:\n  - {form: 宣传栏, place: 东岭村, posted_on: 2025-03-14}")
    build_fails(run, mini, previous_site, "取值不在允许范围内", "公开形式 (form)", "网站、公开栏、明白纸、政务新媒体、其他",
                "实际：宣传栏", line=line_of(path, "- {form"))


def test_posting_removed_before_it_was_posted(run, mini, previous_site):
    path = add_fields(mini, "postings:\n  - form: 公开栏\n    place: 东岭村村务公开栏\n"
                            "    posted_on: 2025-03-14\n    removed_on: 2025-03-01")
    build_fails(run, mini, previous_site, "撤除日期早于张贴日期", "撤除日期 (removed_on)",
                line=line_of(path, "removed_on:"))


def test_unmasked_name_in_a_recipient_list(run, mini, previous_site):
    path = add_fields(mini, "recipients:\n  - {name: 张三明, village: 东岭村}")
    build_fails(run, mini, previous_site, "公示名单 (recipients) 第 1 项 姓名 (name)", "张三明",
                line=line_of(path, "- {name"))


def test_recipient_column_outside_the_whitelist(run, mini, previous_site):
    path = add_fields(mini, "recipients:\n  - {name: 张*明, village: 东岭村, id_card: '1234'}")
    build_fails(run, mini, previous_site, "未知字段", "id_card", line=line_of(path, "- {name"))


def test_village_that_would_escape_the_print_folder(run, mini, previous_site):
    add_fields(mini, "recipients:\n  - {name: 张*明, village: ../../东岭村}")
    build_fails(run, mini, previous_site, "格式不正确", "村/社区 (village)")


def test_leaflet_without_how_to_apply(run, mini, previous_site):
    add_fields(mini, "leaflet:\n  who: 困难群众\n  contact: 县民政局")
    build_fails(run, mini, previous_site, "缺少必填字段", "明白纸 (leaflet) 怎么申请 (how_to_apply)")


@pytest.mark.parametrize("markdown,message", [
    ("![办事地图](map.png)", "链接的文件不是本信息的附件"),
    # A file of a record that is not public, drawn onto a public sheet.
    ("![明细](../../help/2025/internal-finance/收支明细.csv)", "链接的文件不是本信息的附件"),
    ("[内部材料](../../help/2025/internal-finance.md)", "链接指向的信息不存在或不公开"),
    ("![](../../../../../etc/hostname)", "链接指向内容目录之外"),
])
def test_a_printed_field_links_only_what_a_body_may(run, mini, previous_site, markdown, message):
    """明白纸 and 公示版 fields are printed as Markdown: an image there is drawn onto paper from the file it names."""
    (mini / "docs/2025/map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    path = add_fields(mini, f"leaflet:\n  who: 困难群众\n  how_to_apply: 到乡镇申请。{markdown}\n  contact: 县民政局")
    build_fails(run, mini, previous_site, message, "明白纸 (leaflet) how_to_apply", line=line_of(path, "how_to_apply:"))


@pytest.mark.parametrize("where", ["body", "leaflet"])
@pytest.mark.parametrize("markdown", [
    "![办事\n地图](../../help/2025/internal-finance/收支明细.csv)",
    "![地图][m]\n\n[m]:\n  ../../help/2025/internal-finance/收支明细.csv",
    '<img alt="地图"\nsrc="../../help/2025/internal-finance/收支明细.csv">',
    "![a [b] c](../../help/2025/internal-finance/收支明细.csv)",
])
def test_a_link_however_written_is_checked_as_the_page_and_sheet_will_hold_it(run, mini, previous_site, where,
                                                                               markdown):
    """Links are taken from the rendered Markdown, not read line by line: each of these showed a file of a record
    that is not public on a public sheet, and check passed."""
    if where == "body":
        path = mini / "docs/2025/subsidy-notice.md"
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + markdown + "\n", encoding="utf-8")
        field = "正文"
    else:
        indented = "\n".join("    " + line if line else "" for line in markdown.split("\n"))
        path = add_fields(mini, f"leaflet:\n  who: 困难群众\n  how_to_apply: |\n    到乡镇申请。\n\n{indented}\n"
                                "  contact: 县民政局")
        field = "明白纸 (leaflet) how_to_apply"
    # A body refuses a tag split over lines before its links are read (rules/body_shape.py).
    refused = "尖括号“<”没有配对的“>”" if where == "body" and markdown.startswith("<") else "链接的文件不是本信息的附件"
    build_fails(run, mini, previous_site, refused, field)


def test_category_paper_size(run, mini, previous_site):
    path = mini / "docs/_category.yml"
    edit(path, "archive_by: year", "archive_by: year\nprint: {paper: A5, board: true}")
    build_fails(run, mini, previous_site, "取值不在允许范围内", "纸张 (paper)", "A4、A3",
                file="content/docs/_category.yml", line=line_of(path, "print:"))


def test_board_posting_taken_down_before_the_notice_ends_is_a_warning(run, mini):
    add_fields(mini, "notice_period: {start: 2025-03-14, end: 2025-03-20}\npostings:\n"
                     "  - {form: 公开栏, place: 东岭村村务公开栏, posted_on: 2025-03-14, removed_on: 2025-03-17}")
    code, out = run("check", "--content", mini)
    assert code == 0, out
    assert "[提醒]" in out and "公示期未满就从公开栏撤除" in out and "不早于公示结束日期 2025-03-20" in out


def test_print_with_content_errors_writes_nothing(run, mini):
    add_fields(mini, "notice_period: {start: 2025-03-20, end: 2025-03-14}")
    out_dir = mini.parent / "print"
    out_dir.mkdir(parents=True)
    (out_dir / "keep.pdf").write_bytes(b"%PDF old")
    (out_dir / ".gkgen-print").write_text("an earlier print run", encoding="utf-8")
    before = tree_digest(out_dir)
    code, out = run("print", "--content", mini, "--out", out_dir)
    assert code == 1
    assert f"文件 {NOTICE}" in out and "公示结束日期早于开始日期" in out and "没有生成任何 PDF" in out
    assert tree_digest(out_dir) == before


@pytest.mark.parametrize("field", ["notice_period", "postings", "leaflet", "recipients"])
def test_print_fields_are_in_the_editor_guide(field):
    from tests.conftest import ROOT
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"| `{field}` |" in readme, f"{field} is missing from the field table in README.md"


@pytest.mark.parametrize("written", [
    "how_to_apply: >\n    到乡镇申请，\n    见 [说明](javascript:alert(1))。",              # folded
    "how_to_apply: |-\n    到乡镇申请，见 [说明](javascript:alert(1))。",                 # a literal block of one line
    "how_to_apply: 到乡镇申请，\n    见 [说明](javascript:alert(1))。",                   # plain, over two lines
    'how_to_apply: "到乡镇申请，\n    见 [说明](javascript:alert(1))。"',                 # double-quoted, two lines
    "how_to_apply:\n    到乡镇申请，见 [说明](javascript:alert(1))。",                    # on the line below its key
    "how_to_apply: |\n    到乡镇申请。\n\n    见 [说明](javascript:alert(1))。",            # literal, a later line
    "how_to_apply: >\n    到乡镇申请。\n\n    第二段。\n\n    见 [说明](javascript:alert(1))。",
    'how_to_apply: "到乡镇申请\\n\\n见 [说明](javascript:alert(1))"',               # escaped line breaks
    "how_to_apply: | # 旧的 javascript:alert(1)\n    到乡镇申请，\n    见 [说明](javascript:alert(1))。",
])
def test_a_printed_fields_problem_names_the_line_it_is_written_on(run, mini, previous_site, written):
    """However the field's text is written in YAML, the message names the file's line holding the link."""
    path = add_fields(mini, "leaflet:\n  who: 困难群众\n  " + written + "\n  contact: 县民政局")
    build_fails(run, mini, previous_site, "含有不安全的链接", "明白纸 (leaflet) how_to_apply",
                line=line_of(path, "[说明](javascript:"))
