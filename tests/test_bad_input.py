"""Each class of bad input: exit code 1, a Chinese message naming file and line, and site/ untouched."""

import pytest

from tests.conftest import tree_digest
from tests.files import edit, line_of

NOTICE = "content/docs/2025/subsidy-notice.md"


@pytest.fixture
def previous_site(mini):
    site = mini.parent / "site"
    (site / "docs").mkdir(parents=True)
    (site / "index.html").write_text("<html>上一次发布的网站</html>", encoding="utf-8")
    (site / "docs" / "keep.html").write_text("旧页面", encoding="utf-8")
    (site / ".gkgen-site").write_text("上一次生成的网站", encoding="utf-8")
    return site


def build_fails(run, mini, site, *fragments, line=None, file=NOTICE):
    before = tree_digest(site)
    code, out = run("build", "--content", mini, "--out", site, "--work", mini.parent / "build")
    assert code == 1, out
    assert f"文件 {file}" in out, out
    if line is not None:
        assert f"第 {line} 行" in out, out
    for fragment in fragments:
        assert fragment in out, out
    assert "没有生成或修改任何网站文件" in out
    assert tree_digest(site) == before
    assert not (mini.parent / "build").exists(), "a failed check must not write intermediate files either"
    assert not list(site.parent.glob(".site.*"))
    return out


def test_yaml_syntax_error(run, mini, previous_site):
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "genre: 通知", "genre: 通知: 其他")
    build_fails(run, mini, previous_site, "YAML 格式错误", line=line_of(path, "genre:"))


def test_missing_required_field(run, mini, previous_site):
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "summary: 自2025年4月1日起调整临时救助标准，急难型救助一次不超过当地月低保标准的6倍。\n", "")
    build_fails(run, mini, previous_site, "缺少必填字段", "内容概述 (summary)", line=2)


def test_wrong_type(run, mini, previous_site):
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "genre: 通知", "genre: 通知\nkeywords: 救助")
    build_fails(run, mini, previous_site, "类型错误", "主题词 (keywords)", "应为：列表",
                line=line_of(path, "keywords:"))


def test_impossible_date(run, mini, previous_site):
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "written_on: 2025-03-10", "written_on: 2025-02-30")
    build_fails(run, mini, previous_site, "日期不存在", "成文日期 (written_on)", "2025-02-30", "只有 28 天",
                line=line_of(path, "written_on:"))


def test_badly_shaped_date(run, mini, previous_site):
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "written_on: 2025-03-10", "written_on: 2025/3/10")
    build_fails(run, mini, previous_site, "格式不正确", "YYYY-MM-DD", line=line_of(path, "written_on:"))


def test_published_before_written(run, mini, previous_site):
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "published_on: 2025-03-14", "published_on: 2025-03-01")
    build_fails(run, mini, previous_site, "发布日期早于成文日期", line=line_of(path, "published_on:"))


def test_unknown_category(run, mini, previous_site):
    (mini / "reports/2025").mkdir(parents=True)
    target = mini / "reports/2025/report.md"
    target.write_text((mini / "docs/2024/old-notice.md").read_text(encoding="utf-8"), encoding="utf-8")
    build_fails(run, mini, previous_site, "未知分类", "reports", file="content/reports/2025/report.md")


def test_unknown_publisher(run, mini, previous_site):
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "publisher: 测试县人民政府办公室", "publisher: 测试县政府办公室")
    build_fails(run, mini, previous_site, "未知发布机构", "是否应为 测试县人民政府办公室",
                line=line_of(path, "publisher:"))


def test_duplicate_index_number(run, mini, previous_site):
    path = mini / "notes/2025/subsidy-notice-explained.md"
    edit(path, "index_no: 11999900MB0B00001X/2025-00003", "index_no: 11999900MB0B00001X/2025-00002")
    out = build_fails(run, mini, previous_site, "索引号重复", "content/docs/2025/subsidy-notice.md",
                      file="content/notes/2025/subsidy-notice-explained.md", line=2)
    assert "第 2 行重复" in out


def test_index_number_not_matching_template(run, mini, previous_site):
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "index_no: 11999900MB0B00001X/2025-00002", "index_no: 11999900MB0B00001X-2025-2")
    build_fails(run, mini, previous_site, "索引号不符合本网站的索引号规则", "{org_code}/{year}-{seq:05d}", line=2)


def test_index_number_of_another_organisation(run, mini, previous_site):
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "index_no: 11999900MB0B00001X/2025-00002", "index_no: 11999900MB0B00002Y/2025-00009")
    build_fails(run, mini, previous_site, "机构代码与发布机构不一致", line=2)


@pytest.mark.parametrize("doc_no", ["测政办发[2025]7号", "测政办发(2025)7号"])
def test_document_number_brackets(run, mini, previous_site, doc_no):
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "doc_no: 测政办发〔2025〕7号", f"doc_no: {doc_no}")
    build_fails(run, mini, previous_site, "六角括号", "测政办发〔2025〕7号", line=line_of(path, "doc_no:"))


def test_missing_attachment(run, mini, previous_site):
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "file: subsidy-notice/附件1-临时救助标准表.csv", "file: subsidy-notice/附件2.csv")
    build_fails(run, mini, previous_site, "附件文件不存在", "附件2.csv", line=line_of(path, "file:"))


def test_attachment_outside_content(run, mini, previous_site):
    (mini.parent / "secret.csv").write_text("a,b\n", encoding="utf-8")
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "file: subsidy-notice/附件1-临时救助标准表.csv", "file: ../../../secret.csv")
    build_fails(run, mini, previous_site, "附件路径超出了内容目录", line=line_of(path, "file:"))


def test_attachment_symlink_escaping_content(run, mini, previous_site):
    (mini.parent / "secret.csv").write_text("a,b\n", encoding="utf-8")
    link = mini / "docs/2025/subsidy-notice/link.csv"
    link.symlink_to(mini.parent / "secret.csv")
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "file: subsidy-notice/附件1-临时救助标准表.csv", "file: subsidy-notice/link.csv")
    build_fails(run, mini, previous_site, "附件路径超出了内容目录", line=line_of(path, "file:"))


def test_non_utf8_file(run, mini, previous_site):
    path = mini / "docs/2025/subsidy-notice.md"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    build_fails(run, mini, previous_site, "不是 UTF-8 编码", "GBK", line=3)


@pytest.mark.parametrize("snippet,fragment", [
    ("<script>alert('x')</script>", "<script>"),
    ("[点击查看](javascript:alert(1))", "不安全的链接"),
    ('<a href="javascript:alert(1)">查看</a>', "不安全的链接"),
    ('<img src="x.png" onerror="alert(1)">', "onerror"),
])
def test_unsafe_markup(run, mini, previous_site, snippet, fragment):
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "## 二、执行时间", f"{snippet}\n\n## 二、执行时间")
    build_fails(run, mini, previous_site, fragment, line=line_of(path, snippet[:8]))


def test_link_to_unpublished_record(run, mini, previous_site):
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "../2024/old-notice.md", "../../help/2025/internal-finance.md")
    build_fails(run, mini, previous_site, "不存在或不公开", line=line_of(path, "internal-finance"))


def test_absolute_link(run, mini, previous_site):
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "../2024/old-notice.md", "/docs/2024/old-notice/")
    build_fails(run, mini, previous_site, "不能以 / 开头", line=line_of(path, "/docs/2024"))


def test_unknown_field_suggests_spelling(run, mini, previous_site):
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "genre: 通知", "genre: 通知\npublsher: 测试县民政局")
    build_fails(run, mini, previous_site, "未知字段", "是否应为 publisher", line=line_of(path, "publsher"))


def test_every_problem_is_reported_in_one_run(run, mini, previous_site):
    a = mini / "docs/2025/subsidy-notice.md"
    b = mini / "notes/2025/subsidy-notice-explained.md"
    edit(a, "written_on: 2025-03-10", "written_on: 2025-02-30")
    edit(a, "doc_no: 测政办发〔2025〕7号", "doc_no: 测政办发[2025]7号")
    edit(b, "publisher: 测试县人民政府办公室", "publisher: 不存在的机构")
    out = build_fails(run, mini, previous_site, "日期不存在", "六角括号", "未知发布机构")
    assert "共发现 3 个错误（涉及 2 个文件）" in out


def test_check_reports_without_writing(run, mini):
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "written_on: 2025-03-10", "written_on: 2025-02-30")
    code, out = run("check", "--content", mini)
    assert code == 1 and "日期不存在" in out
    assert sorted(p.name for p in mini.parent.iterdir()) == ["content"]


def test_mkdocs_failure_leaves_previous_site(run, mini, previous_site, monkeypatch):
    from generator import site as site_module

    def broken(config, site_dir, engine="mkdocs"):
        site_dir.mkdir(parents=True)
        (site_dir / "half.html").write_text("半成品")
        raise site_module.BuildEnvironmentError("MkDocs 生成网页失败,原有网站目录未作改动", "boom")

    monkeypatch.setattr("generator.shards.run_mkdocs", broken)
    before = tree_digest(previous_site)
    code, out = run("build", "--content", mini, "--out", previous_site, "--work", mini.parent / "build")
    assert code == 2 and "原有网站目录未作改动" in out
    assert tree_digest(previous_site) == before
    assert not list(previous_site.parent.glob(".site.*"))


def test_summary_repeating_title(run, mini, previous_site):
    path = mini / "docs/2025/subsidy-notice.md"
    text = path.read_text(encoding="utf-8")
    summary = next(line for line in text.split("\n") if line.startswith("summary:"))
    edit(path, summary, "summary: 测试县人民政府办公室关于调整临时救助标准的通知")
    build_fails(run, mini, previous_site, "内容概述与标题相同", line=line_of(path, "summary:"))


def test_interpretation_published_before_its_document(run, mini, previous_site):
    path = mini / "notes/2025/subsidy-notice-explained.md"
    edit(path, "written_on: 2025-03-14\npublished_on: 2025-03-14", "written_on: 2025-03-12\npublished_on: 2025-03-13")
    build_fails(run, mini, previous_site, "解读的发布日期早于被解读的文件",
                file="content/notes/2025/subsidy-notice-explained.md", line=line_of(path, "interprets:"))


def test_duplicate_document_number(run, mini, previous_site):
    path = mini / "docs/2024/old-notice.md"
    edit(path, "doc_no: 测政办发〔2024〕3号", "doc_no: 测政办发〔2025〕7号")
    edit(path, "written_on: 2024-02-01", "written_on: 2024-02-01")
    out = build_fails(run, mini, previous_site, "文号重复", file="content/docs/2025/subsidy-notice.md")
    assert "文号中的年份 2025 与成文日期 2024-02-01 不一致" in out


def test_document_without_interpretation_is_a_warning(run, mini):
    (mini / "notes/2025/subsidy-notice-explained.md").unlink()
    code, out = run("check", "--content", mini)
    assert code == 0 and "这份文件还没有政策解读" in out


SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize("name, content, what", [
    ("地图.png", SVG.encode(), "网页或 SVG 图像"),
    ("报告.pdf", b"<!doctype html><html><body><script>alert(1)</script>", "网页或 SVG 图像"),
    ("照片.jpg", b"\x89PNG\r\n\x1a\n" + bytes(40), "PNG 图片"),
    ("名单.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(40), "旧版 Office 或 WPS 文档"),
    ("全本.pdf", "报告全文".encode(), "无法识别"),
    ("空白.pdf", b"", "空文件"),
    ("双面.pdf", b"<html><script>alert(1)</script><!--\n%PDF-1.7\n", "网页或 SVG 图像"),   # a page holding a PDF
])
def test_attachment_whose_content_is_not_its_type(run, mini, previous_site, name, content, what):
    """An attachment is published, and an image drawn on paper, as what its name says: a web page or an SVG
    image under a .png or .pdf name (it can hold a script), or a file of another type, is refused."""
    site_yml = mini / "site.yml"
    edit(site_yml, "  csv: CSV", "  csv: CSV\n  png: 图片\n  jpg: 图片")
    (mini / "docs/2025/subsidy-notice" / name).write_bytes(content)
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "file: subsidy-notice/附件1-临时救助标准表.csv", f"file: subsidy-notice/{name}")
    build_fails(run, mini, previous_site, "附件内容与扩展名不符", name, what, line=line_of(path, "file:"))


def test_attachments_whose_content_is_their_type_pass(run, mini):
    """A PDF with bytes before its header (readers accept up to 1,024), a real PNG, a type without a signature."""
    from PIL import Image
    from tests.privacy_files import write_pdf
    edit(mini / "site.yml", "  csv: CSV", "  csv: CSV\n  png: 图片")
    folder = mini / "docs/2025/subsidy-notice"
    write_pdf(folder / "全本.pdf", ["Report"])
    (folder / "全本.pdf").write_bytes(b" " * 1023 + (folder / "全本.pdf").read_bytes())   # the header at the last place
    Image.new("RGB", (4, 4), "red").save(folder / "地图.png")
    path = mini / "docs/2025/subsidy-notice.md"
    edit(path, "  - file: subsidy-notice/附件1-临时救助标准表.csv",
         "  - file: subsidy-notice/全本.pdf\n  - file: subsidy-notice/地图.png\n"
         "  - file: subsidy-notice/附件1-临时救助标准表.csv")
    code, out = run("check", "--content", mini)
    assert code == 0, out


def test_a_damaged_pdf_attachment_is_named_not_a_traceback(run, mini, previous_site):
    """pypdf's own errors (a file cut short) went up as a traceback from the privacy scan."""
    (mini / "docs/2025/subsidy-notice/全本.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    edit(mini / "docs/2025/subsidy-notice.md", "file: subsidy-notice/附件1-临时救助标准表.csv",
         "file: subsidy-notice/全本.pdf")
    build_fails(run, mini, previous_site, "附件无法读取", "全本.pdf")


def test_an_attachment_that_cannot_be_read_is_named(run, mini, previous_site, monkeypatch):
    """A file check may not open (its permissions): the message names it, not a traceback."""
    from generator.rules import file_types

    def refused(path, ext):
        raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(file_types, "mismatch", refused)
    path = mini / "docs/2025/subsidy-notice.md"
    build_fails(run, mini, previous_site, "附件无法读取", "附件1-临时救助标准表.csv", "Permission denied", "应为：",
                line=line_of(path, "file:"))
