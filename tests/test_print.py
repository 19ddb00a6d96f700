"""Print: real WeasyPrint PDFs of the print fixture, read back with pypdf and pdfplumber.

The fixture's internal, exempt and draft records are given every print field (公示期, a 公开栏 posting, a
明白纸, a recipient list) so that, were the public filter missing anywhere, they would be printed. Everything
runs as of TODAY (GK_TODAY), inside the approval list's 公示期, whatever day the tests run.
"""
from __future__ import annotations

import atexit
import csv
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote

import pdfplumber
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from generator.cli import main
from generator.export.qr import qr_svg
from generator.export.text import markdown_html, strip_cjk_newlines
from tests.missions import today
from tests.print_fixture import (AID_Q2, APPROVAL, FINANCE, GOLDEN_PRINT, LEAFLET, MEDICAL, TODAY,
                                 all_print_html, print_content)

A4, A3, A4_LANDSCAPE = (595.3, 841.9), (841.9, 1190.6), (841.9, 595.3)
HIDDEN = {"help/2025/internal-finance.md": "11999900MB0B00002Y/2025-00002",
          "help/2025/exempt-report.md": "11999900MB0B00002Y/2025-00003",
          "help/2025/draft-notice.md": "11999900MB0B00002Y/2025-00004"}
HIDDEN_TEXT = ["内部秘密词甲乙丙", "免予公开词丁戊己", "草稿词庚辛壬", "机关内部财务收支情况", "救助对象家庭经济状况核对报告",
               "尚未定稿的办事指南草稿", "秘*密", "隐秘村", "隐秘申请条件"] + list(HIDDEN.values())
# Everything that would put a public record on paper, added to each hidden record.
HIDDEN_PRINT_FIELDS = """notice_period: {start: 2026-07-01, end: 2026-07-07}
postings:
  - {form: 公开栏, place: 东岭村村务公开栏, posted_on: 2026-07-01}
leaflet: {who: 隐秘申请条件, how_to_apply: 隐秘申请条件, contact: 隐秘申请条件}
recipients:
  - {name: 秘*密, village: 隐秘村}
"""


def add_front_matter(path: Path, text: str) -> None:
    source = path.read_text(encoding="utf-8")
    head, sep, body = source[4:].partition("\n---\n")
    assert sep, f"{path} has no front matter end"
    path.write_text("---\n" + head + "\n" + text.rstrip("\n") + sep + body, encoding="utf-8")


_WORK = tempfile.mkdtemp(prefix="gkgen-print-work-")     # `print` locks a work directory; not the project's build/
atexit.register(shutil.rmtree, _WORK, True)


def run(*argv) -> int:
    if argv[0] == "print" and "--work" not in argv:
        argv = (*argv, "--work", _WORK)
    return main([str(a) for a in argv])


@pytest.fixture(autouse=True)
def print_day(monkeypatch):
    monkeypatch.setenv("GK_TODAY", TODAY.isoformat())


@pytest.fixture(scope="session")
def print_dir(tmp_path_factory):
    """Print fixture with print fields on the hidden records; `print` (everything) and `print --quarter` run once."""
    base = tmp_path_factory.mktemp("print")
    content = print_content(base / "content")
    for rel in HIDDEN:
        add_front_matter(content / rel, HIDDEN_PRINT_FIELDS)
    with today(TODAY.isoformat()):
        assert run("print", "--content", content, "--out", base / "out") == 0
        assert run("print", "--content", content, "--out", base / "pack", "--quarter", "2026Q3") == 0
    return base


@pytest.fixture(scope="session")
def built_print(print_dir):
    """A real build of the same content: record pages and the PDFs they link to."""
    site = print_dir / "site"
    with today(TODAY.isoformat()):
        assert run("build", "--content", print_dir / "content", "--out", site, "--work", print_dir / "build") == 0
    return site


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def flat(text: str) -> str:
    """Extracted text without the line breaks and letter-spacing gaps that layout puts in."""
    return re.sub(r"[\s\u3000]+", "", text)


def page_sizes(path: Path) -> list[tuple[float, float]]:
    return [(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in PdfReader(path).pages]


def footers(texts: list[str]) -> list[tuple[int, int]]:
    return [tuple(int(n) for n in re.search(r"第 (\d+) 页 共 (\d+) 页", t).groups()) for t in texts]


def sizes_of(path: Path, phrase: str) -> list[float]:
    """Font sizes of the characters of every occurrence of phrase, page by page."""
    found = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = page.chars
            text = "".join(c["text"] for c in chars)
            for m in re.finditer(re.escape(phrase), text):
                found += [round(c["size"], 1) for c in chars[m.start():m.end()]]
    assert found, f"{phrase} not found in {path}"
    return found


# ---------- board sheets ----------

def test_a4_sheet_has_the_facts_a_board_needs_and_numbered_pages(print_dir):
    path = print_dir / "out/board/2026/dibao-approval-q3.pdf"
    texts = pdf_text(path)
    assert len(texts) >= 3, "48 recipients at wall size take more than two A4 pages"
    assert set(page_sizes(path)) == {A4}
    first, last = flat(texts[0]), flat(texts[-1])
    assert "测试县民政局" in first and "新增城乡最低生活保障对象的公示" in first
    assert "索引号" + APPROVAL in first
    assert "发布日期2026年7月1日" in first
    assert "公示期：2026年7月1日至2026年7月7日（共7天）" in first
    assert "监督电话：0999-7654321" in last and "监督邮箱：gk@example.gov.cn" in last
    assert "盖章" in last and "扫码查看网上原文" in last
    assert "https://www.example.gov.cn/county/xxgk/board/2026/dibao-approval-q3/" in last
    assert footers(texts) == [(n, len(texts)) for n in range(1, len(texts) + 1)]
    # Every page after the first says whose continuation it is.
    assert all("公示（续）" in flat(t) for t in texts[1:]) and "（续）" not in first


def test_recipient_table_repeats_its_header_and_never_splits_a_row(print_dir):
    path = print_dir / "out/board/2026/dibao-approval-q3.pdf"
    header = ["序号", "姓名", "村/社区", "类别", "保障人数", "月保障金额（元）", "批准月份"]
    numbers = []
    with pdfplumber.open(path) as pdf:
        pages_with_list = 0
        for page in pdf.pages:
            for table in page.extract_tables():
                cells = [[(c or "").replace("\n", "") for c in row] for row in table]
                if cells[0][:2] != ["序号", "姓名"]:
                    continue
                pages_with_list += 1
                assert cells[0] == header
                for row in cells[1:]:
                    # A row split across pages would leave a fragment without its number or its amount.
                    assert row[0].isdigit() and row[1] and row[5].replace(",", "").isdigit(), row
                    numbers.append(int(row[0]))
    assert pages_with_list >= 2
    assert numbers == list(range(1, 49))


def test_sheet_embeds_a_real_regular_and_bold_chinese_font(print_dir):
    reader = PdfReader(print_dir / "out/board/2026/dibao-approval-q3.pdf")
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]).split("+")[-1])
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
    assert names == {"GK-Noto-Sans-CJK-SC", "GK-Noto-Sans-CJK-SC-Bold"}


def test_wall_sized_type(print_dir):
    a4 = print_dir / "out/board/2026/dibao-approval-q3.pdf"
    assert min(sizes_of(a4, "经本人申请")) >= 14           # body
    assert min(sizes_of(a4, "农村低保")) >= 14             # recipient list
    a3 = print_dir / "out/village/2026/finance-q3.pdf"
    assert min(sizes_of(a3, "欢迎村民监督")) >= 20
    assert min(sizes_of(a3, "村级组织运转经费")) >= 20


def test_a3_sheet(print_dir):
    path = print_dir / "out/village/2026/finance-q3.pdf"
    assert page_sizes(path) == [A3]
    text = flat(pdf_text(path)[0])
    assert FINANCE in text and "2026年7月15日" in text and "第1页共1页" in text
    assert "公示期" not in text.replace("公示期间", ""), "no 公示期 line for a record without one"


def test_one_set_of_sheets_per_village(print_dir):
    folder = print_dir / "out/board/2026/dibao-approval-q3"
    assert sorted(p.name for p in folder.iterdir()) == ["东岭村.pdf", "西河社区.pdf"]
    east, west = flat("".join(pdf_text(folder / "东岭村.pdf"))), flat("".join(pdf_text(folder / "西河社区.pdf")))
    assert "公示名单（东岭村）" in east and "公示名单（西河社区）" in west
    assert "王*明" in east and "王*明" not in west          # row 1 is in 东岭村
    assert "程*国" in west and "程*国" not in east          # row 31 is in 西河社区
    assert "合计：30户" in east and "合计：18户" in west
    assert "公示期：2026年7月1日至2026年7月7日" in west
    assert footers(pdf_text(folder / "西河社区.pdf"))[0][0] == 1


def test_sheet_through_a_board_posting_only(print_dir):
    """medical-aid-board is in a category without board sheets; its 公开栏 posting puts it on the board."""
    text = flat(pdf_text(print_dir / "out/help/2026/medical-aid-board.pdf")[0])
    assert MEDICAL in text and "公示期：" not in text
    assert not (print_dir / "out/help/2026/dibao-leaflet.pdf").exists()


# ---------- 明白纸 ----------

def test_leaflet_is_one_a4_page_of_plain_questions(print_dir):
    path = print_dir / "out/help/2026/dibao-leaflet.leaflet.pdf"
    assert page_sizes(path) == [A4]
    text = flat(pdf_text(path)[0])
    assert "明白纸" in text and "低保怎么申请？一张纸说清楚" in text
    for heading in ("谁能申请？", "能领多少？", "怎么申请？", "有事找谁？"):
        assert heading in text
    assert "监督电话：0999-7654321" in text and LEAFLET in text
    # A newline inside a Chinese paragraph must not print as a space.
    assert "再乘以家庭人数，按月打到" in text
    assert min(sizes_of(path, "户口在本县")) >= 14


# ---------- quarterly pack ----------

def test_quarterly_pack_has_cover_contents_and_each_record_keeps_its_page_numbers(print_dir):
    path = print_dir / "pack/quarter-2026Q3.pdf"
    texts = pdf_text(path)
    cover, contents = flat(texts[0]), flat(texts[1])
    assert "政务公开栏公开内容" in cover and "2026年第三季度" in cover and "共3份" in cover
    assert "目录" in contents
    order = [contents.index(t) for t in ("新增城乡最低生活保障对象的公示", "村级财务收支情况公开", "医疗救助政策要点")]
    assert order == sorted(order)
    assert "临时救助发放情况" not in flat("".join(texts)), "a 2026Q2 notice is not due in 2026Q3"
    sheets = [print_dir / "out/board/2026/dibao-approval-q3.pdf", print_dir / "out/village/2026/finance-q3.pdf",
              print_dir / "out/help/2026/medical-aid-board.pdf"]
    counts = [len(PdfReader(s).pages) for s in sheets]
    assert len(texts) == 2 + sum(counts)
    assert footers(texts[2:]) == [(n, c) for c in counts for n in range(1, c + 1)]
    assert "2026年第三季度公开栏第1份" in flat(texts[2])
    assert "第3份" in flat(texts[-1])
    sizes = page_sizes(path)
    assert sizes[2 + counts[0]] == A3 and sizes[0] == A4, "each sheet keeps its category's paper"


def test_quarter_with_nothing_due_writes_nothing(print_dir, capsys):
    out = print_dir / "pack-q1"
    assert run("print", "--content", print_dir / "content", "--out", out, "--quarter", "2026Q1") == 0
    assert "2026年第一季度没有需要上公开栏的信息" in capsys.readouterr().out
    assert not (out / "quarter-2026Q1.pdf").exists()


def test_quarter_q2_holds_only_the_q2_notice(print_dir):
    out = print_dir / "pack-q2"
    assert run("print", "--content", print_dir / "content", "--out", out, "--quarter", "2026Q2") == 0
    text = flat("".join(pdf_text(out / "quarter-2026Q2.pdf")))
    assert "共1份" in text and AID_Q2 in text and APPROVAL not in text


# ---------- 登记簿 ----------

def test_register_csv_lists_every_posting_of_every_public_record(print_dir):
    with (print_dir / "out/register.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["索引号", "标题", "发布机构", "分类", "公开形式", "公开地点", "张贴日期", "撤除日期", "公示期", "备注"]
    approval = [r for r in rows if r["索引号"] == APPROVAL]
    assert [(r["公开形式"], r["公开地点"], r["张贴日期"], r["撤除日期"]) for r in approval] == [
        ("公开栏", "东岭村村务公开栏", "2026-07-01", "2026-07-08"),
        ("公开栏", "西河社区居务公开栏", "2026-07-01", ""),
        ("网站", "测试县政府信息公开网站", "2026-07-01", "")]     # the recorded 网站 line, not a second one
    assert approval[0]["公示期"] == "2026-07-01至2026-07-07"
    aid = [r for r in rows if r["索引号"] == AID_Q2]
    assert [(r["公开形式"], r["张贴日期"]) for r in aid] == [("网站", "2026-04-10")]
    assert aid[0]["备注"] == "应上公开栏，未登记张贴"
    assert [r["公开形式"] for r in rows if r["索引号"] == LEAFLET] == ["网站", "明白纸"]
    public = {"11999900MB0B00001X/2024-00003", "11999900MB0B00001X/2025-00001", "11999900MB0B00001X/2025-00002",
              "11999900MB0B00001X/2025-00003", "11999900MB0B00002Y/2025-00001", APPROVAL, AID_Q2, LEAFLET, MEDICAL,
              FINANCE}
    assert {r["索引号"] for r in rows} == public
    dates = [r["张贴日期"] for r in rows if r["公开形式"] == "网站"]
    assert dates == sorted(dates), "the register is in publication order"


def test_register_pdf_is_landscape_with_repeated_header(print_dir):
    path = print_dir / "out/register.pdf"
    texts = pdf_text(path)
    assert len(texts) >= 2 and set(page_sizes(path)) == {A4_LANDSCAPE}
    assert "政务公开登记簿" in flat(texts[0])
    for text in texts:
        assert "公开形式" in flat(text) and "张贴日期" in flat(text)
    assert footers(texts) == [(n, len(texts)) for n in range(1, len(texts) + 1)]


# ---------- what must never be printed ----------

def test_records_that_are_not_public_never_reach_paper(print_dir, built_print):
    pdfs = sorted((print_dir / "out").rglob("*.pdf")) + sorted((print_dir / "pack").rglob("*.pdf")) \
        + sorted((built_print / "print").rglob("*.pdf"))
    assert len(pdfs) >= 10
    for path in pdfs:
        text = flat("".join(pdf_text(path)))
        for marker in HIDDEN_TEXT:
            assert marker not in text, f"{marker} printed in {path}"
    register = (print_dir / "out/register.csv").read_text(encoding="utf-8-sig")
    for marker in HIDDEN_TEXT:
        assert marker not in register
    for rel in HIDDEN:
        stem = rel[:-3]
        for root in (print_dir / "out", built_print / "print"):
            assert not list(root.glob(stem + "*")), f"a print file exists for {rel}"


@pytest.mark.parametrize("index_no", sorted(HIDDEN.values()))
def test_print_refuses_a_record_that_is_not_public(print_dir, index_no, capsys):
    out = print_dir / "refused"
    assert run("print", "--content", print_dir / "content", "--out", out, "--record", index_no) == 2
    assert "找不到索引号为" in capsys.readouterr().err
    assert not out.exists()


# ---------- build: record pages link their PDFs ----------

def test_record_pages_link_their_print_files(built_print):
    def page(rel):
        return BeautifulSoup((built_print / rel / "index.html").read_text(encoding="utf-8"), "lxml")

    approval = page("board/2026/dibao-approval-q3")
    links = {a.get_text(): a["href"] for a in approval.select("p.gk-print a")}
    assert list(links) == ["打印公示版", "东岭村公示版", "西河社区公示版"]
    for href in links.values():
        assert (built_print / "board/2026/dibao-approval-q3" / unquote(href)).resolve().is_file(), href
    assert "公示期：2026-07-01 至 2026-07-07（共 7 天）" in approval.get_text()
    leaflet = page("help/2026/dibao-leaflet")
    assert [a.get_text() for a in leaflet.select("p.gk-print a")] == ["打印明白纸"]
    assert page("docs/2025/subsidy-notice").select("p.gk-print") == []
    assert PdfReader(built_print / "print/village/2026/finance-q3.pdf").pages[0].mediabox.height > 1000


# ---------- the command ----------

def test_print_one_record(print_dir, capsys):
    out = print_dir / "one"
    assert run("print", "--content", print_dir / "content", "--out", out, "--record", AID_Q2) == 0
    assert [p.relative_to(out).as_posix() for p in out.rglob("*.pdf")] == ["board/2026/temporary-aid-q2.pdf"]
    assert "公示版 1 份" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["--quarter", "2026Q5"], "季度 2026Q5 无效"),
    (["--quarter", "三季度"], "请写成 年份Q季度"),
    (["--record", "11999900MB0B00001X/2099-00001"], "找不到索引号为"),
    (["--record", "11999900MB0B00001X/2024-00003"], "不上公开栏，也没有明白纸"),
])
def test_print_usage_errors(print_dir, argv, message, capsys):
    assert run("print", "--content", print_dir / "content", "--out", print_dir / "usage", *argv) == 2
    assert message in capsys.readouterr().err
    assert not (print_dir / "usage").exists()


def test_full_print_run_replaces_stale_files(tmp_path, print_dir):
    out = tmp_path / "out"
    (out / "board/2026").mkdir(parents=True)
    (out / "board/2026/withdrawn.pdf").write_bytes(b"%PDF old")
    (out / ".gkgen-print").write_text("an earlier print run", encoding="utf-8")
    assert run("print", "--content", print_dir / "content", "--out", out, "--record", AID_Q2) == 0
    assert (out / "board/2026/withdrawn.pdf").exists(), "a selection only adds files"
    assert run("print", "--content", print_dir / "content", "--out", out) == 0
    assert not (out / "board/2026/withdrawn.pdf").exists()
    assert (out / "register.pdf").is_file()


# ---------- pieces ----------

def test_qr_code_is_inline_svg_with_a_viewbox():
    svg = qr_svg("https://www.example.gov.cn/xxgk/a/")
    assert svg.startswith("<svg") and 'viewBox="0 0 ' in svg
    assert not re.search(r"<svg[^>]*\swidth=", svg), "the stylesheet sizes the code"
    assert "https://www.example.gov.cn/xxgk/a/" in svg


def test_newlines_next_to_chinese_are_removed_but_not_between_latin_words():
    assert strip_cjk_newlines("<p>经本人申请、乡镇\n人民政府审核</p>") == "<p>经本人申请、乡镇人民政府审核</p>"
    assert strip_cjk_newlines("<p>每月\n800元</p>") == "<p>每月800元</p>"
    assert strip_cjk_newlines("<p>WeasyPrint\nrenders</p>") == "<p>WeasyPrint\nrenders</p>"
    assert strip_cjk_newlines("<pre>代码\n两行</pre>") == "<pre>代码\n两行</pre>"
    assert str(markdown_html("见[附件](a.pdf)。")) == "<p>见附件。</p>"


def test_print_html_matches_golden_files(tmp_path):
    got = all_print_html(tmp_path)
    want = {p.name: p.read_text(encoding="utf-8") for p in GOLDEN_PRINT.glob("*.html")}
    assert sorted(got) == sorted(want), "print layouts added or removed: run `make golden` and review the diff"
    for name in want:
        assert got[name] == want[name], f"{name} differs from its golden file: run `make golden` and review the diff"


def test_a_leaflet_too_long_for_one_page_goes_to_two_numbered_pages_at_14pt(tmp_path):
    content = print_content(tmp_path / "content")
    path = content / "help/2026/dibao-leaflet.md"
    text = path.read_text(encoding="utf-8")
    extra = "".join(f"    - 第{i}条：申请时请如实填写家庭收入和财产情况，工作人员会入户核实，并在村里公示。\n"
                    for i in range(1, 13))
    path.write_text(text.replace("    - 户口在本县，在户籍所在地申请。\n", "    - 户口在本县，在户籍所在地申请。\n" + extra),
                    encoding="utf-8")
    assert run("print", "--content", content, "--out", tmp_path / "out", "--record", LEAFLET) == 0
    leaflet = tmp_path / "out/help/2026/dibao-leaflet.leaflet.pdf"
    texts = pdf_text(leaflet)
    assert len(texts) == 2 and footers(texts) == [(1, 2), (2, 2)]
    assert min(sizes_of(leaflet, "如实填写家庭收入")) == 14


def test_the_pdf_renderer_shows_no_file_but_its_records_own_attachments(tmp_path):
    """Whatever a document's HTML names, or an image it shows names in turn (an SVG under a .png name): check
    refuses such links before, this is the second line."""
    from PIL import Image

    from generator.export.pdf import PdfRenderer, Sources
    record, other, elsewhere = tmp_path / "content/a", tmp_path / "content/b", tmp_path / "elsewhere"
    for folder, size in ((record, (40, 20)), (other, (30, 30)), (elsewhere, (20, 40))):
        folder.mkdir(parents=True)
        Image.new("RGB", size, "red").save(folder / "image.png")
    (record / "link.png").symlink_to(elsewhere / "image.png")      # in its folder, not an attachment
    # Its own attachment, an SVG that shows another record's file.
    (record / "map.png").write_text('<svg xmlns="http://www.w3.org/2000/svg" '
                                    'xmlns:xlink="http://www.w3.org/1999/xlink" width="30" height="30">'
                                    '<image xlink:href="../b/image.png" width="30" height="30"/></svg>')
    own = frozenset(str((record / name).resolve()) for name in ("image.png", "map.png"))
    renderer = PdfRenderer()
    try:
        shown = "".join(f'<img src="{src}">' for src in (
            "image.png", "../b/image.png", "../../elsewhere/image.png", (elsewhere / "image.png").as_uri(),
            "link.png", "map.png"))
        document = renderer.render(f"<html><body>{shown}</body></html>", Sources(record, own))
        renderer.write([document], tmp_path / "out.pdf")
    finally:
        renderer.close()
    assert {image.image.size for page in PdfReader(tmp_path / "out.pdf").pages for image in page.images} == {(40, 20)}
