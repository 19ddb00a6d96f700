"""Board sheets that say what the web page says, for paper: the mission print fixture (every category on the
board, 乡村振兴 on A3) printed as of MISSION_DAY, PDFs read back with pypdf and pdfplumber.

What is checked: `print` writes beside the site, never into it; the website offers no expired name list and
no register; expired lists and superseded 明白纸 are left out of a full run and stamped when asked for; a
village's sheet states the village's figures; every sheet prints the record page's tables; the body is worded
for paper; a five-household list fits on page 1.
"""
from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from generator.cli import main
from generator.export.sheet import PRINTED_SECTIONS
from generator.export.stamps import superseded_leaflets
from generator.export.wording import Totals, VillageShare, Wording, sentences, village_figures
from generator.pipeline import check
from tests.missions import today
from tests.print_fixture import (EXPIRED, MISSION_DAY, NEW_LEAFLET, OLD_LEAFLET, STANDARDS, mission_print_content)

A4, A3 = (595.3, 841.9), (841.9, 1190.6)
DAY = MISSION_DAY.isoformat()
WEB_WORDS = ("本网站", "本页", "点击", "本网页")


def run(*argv) -> int:
    return main([str(a) for a in argv])


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def flat(text) -> str:
    if isinstance(text, list):
        text = "".join(text)
    return re.sub(r"[\s\u3000]+", "", text)


def page_sizes(path: Path) -> list[tuple[float, float]]:
    return [(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in PdfReader(path).pages]


@pytest.fixture(autouse=True)
def mission_day(monkeypatch):
    monkeypatch.setenv("GK_TODAY", DAY)


@pytest.fixture(scope="session")
def sheets_dir(tmp_path_factory):
    """The mission print fixture, printed in full with the default output folder, from the project folder a
    clerk would be in (content/ and print/ side by side); what the command said is kept in said.txt."""
    base = tmp_path_factory.mktemp("sheets")
    mission_print_content(base / "content")
    said = io.StringIO()
    with contextlib.chdir(base), today(DAY), contextlib.redirect_stdout(said):
        assert run("print", "--content", "content") == 0
    (base / "said.txt").write_text(said.getvalue(), encoding="utf-8")
    return base


@pytest.fixture(scope="session")
def built_sheets(sheets_dir):
    site = sheets_dir / "site"
    with today(DAY):
        assert run("build", "--content", sheets_dir / "content", "--out", site, "--work", sheets_dir / "build") == 0
    return site


def sheet(base: Path, rel: str) -> Path:
    return base / "print" / rel


# ---------- 1. print output beside the site, never inside it ----------

def test_print_writes_into_its_own_folder_beside_the_site(sheets_dir, built_sheets):
    out = sheets_dir / "print"
    assert (out / "register.pdf").is_file() and (out / "register.csv").is_file()
    assert (out / "social_assistance/2026/notice-2026-07-batch2.pdf").is_file()
    # The website folder holds no register and no pack, whatever was printed before.
    assert not list(built_sheets.rglob("register.*")) and not list(built_sheets.rglob("quarter-*"))


@pytest.mark.parametrize("where", ["site/print", "site", "site-internal/print", "www/xxgk/print"])
def test_print_refuses_to_write_into_a_website_folder(sheets_dir, built_sheets, where, monkeypatch, capsys):
    monkeypatch.chdir(sheets_dir)
    www = sheets_dir / "www/xxgk"          # a built site somewhere else: index.html beside sitemap.xml
    www.mkdir(parents=True, exist_ok=True)
    (www / "index.html").write_text("<html></html>", encoding="utf-8")
    (www / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    before = sorted(p.relative_to(sheets_dir) for p in sheets_dir.rglob("*") if "build" not in p.parts)
    assert run("print", "--content", "content", "--out", where) == 2
    err = capsys.readouterr().err
    assert "打印文件不能输出到网站目录" in err and "Traceback" not in err
    assert sorted(p.relative_to(sheets_dir) for p in sheets_dir.rglob("*") if "build" not in p.parts) == before


def test_make_print_and_the_readme_point_at_the_print_folder():
    root = Path(__file__).resolve().parent.parent
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nprint:", 1)[1].split("\n\n", 1)[0]
    assert "generator print" in recipe and "--out" not in recipe, "make print uses the default print/ folder"
    readme = (root / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `make print` |"))
    assert "`print/`" in row and "site/print" not in row
    assert "make print                                   # 现行的全部公示版、明白纸和登记簿，输出到 print/" in readme


# ---------- 1. what the website offers: current 公示 only ----------

def test_website_offers_current_lists_and_no_expired_one(built_sheets):
    offered = {p.relative_to(built_sheets / "print").as_posix() for p in (built_sheets / "print").rglob("*.pdf")}
    assert "social_assistance/2026/notice-2026-07-batch2.pdf" in offered
    assert "social_assistance/2026/notice-2026-07-batch2/柳湾村.pdf" in offered
    assert "social_assistance/2026/approved-2026-07.pdf" in offered, "长期公布: stays"
    assert not [p for p in offered if p.startswith("social_assistance/2026/notice-2026-06")]
    page = (built_sheets / "social_assistance/2026/notice-2026-06/index.html").read_text(encoding="utf-8")
    assert "打印公示版" not in page and "公示已结束" in page


def test_website_drops_a_bare_notice_list_once_its_period_is_over(tmp_path, monkeypatch):
    """A list in a category without 公示类型 (a bare 公示期) leaves the web page after its 公示期; its board
    sheet, names and all, must leave the website too."""
    from generator.catalogue import build_catalogue
    from generator.export.jobs import write_site_prints
    from tests.print_fixture import print_content
    content = print_content(tmp_path / "content")
    for day, offered in (("2026-07-03", True), ("2026-07-08", False)):
        monkeypatch.setenv("GK_TODAY", day)
        checked = check(content)
        records = build_catalogue(checked.records, checked.settings, checked.categories).records
        out = tmp_path / day
        write_site_prints(records, checked.settings, content, out)
        assert (out / "board/2026/dibao-approval-q3.pdf").exists() == offered, day
        assert (out / "board/2026/dibao-approval-q3/东岭村.pdf").exists() == offered, day


# ---------- 1. expired lists: left out, or stamped on request ----------

def test_full_print_leaves_out_the_expired_list_and_says_so(sheets_dir):
    out = sheets_dir / "print/social_assistance/2026"
    assert not list(out.glob("notice-2026-06*"))
    assert (out / "approved-2026-07.pdf").is_file(), "长期公布 lists are current"


def test_an_expired_list_printed_on_request_is_stamped_on_every_page(sheets_dir, capsys):
    out = sheets_dir / "archive"
    assert run("print", "--content", sheets_dir / "content", "--out", out, "--record", EXPIRED) == 0
    files = [out / "social_assistance/2026" / name
             for name in ("notice-2026-06.pdf", "notice-2026-06/河口村.pdf", "notice-2026-06/河口社区.pdf")]
    assert sorted(out.rglob("*.pdf")) == sorted(files)
    for path in files:
        for text in pdf_text(path):
            assert "公示期已结束，仅供存档" in flat(text), path
    first = flat(pdf_text(files[0])[0])
    assert "2026年6月14日结束" in first and "（已结束）" in first
    said = capsys.readouterr().out
    assert "已不是现行版本" in said and EXPIRED in said


def test_quarterly_pack_leaves_out_the_expired_list(sheets_dir, capsys):
    out = sheets_dir / "pack-q2"
    assert run("print", "--content", sheets_dir / "content", "--out", out, "--quarter", "2026Q2") == 0
    said = capsys.readouterr().out
    text = flat(pdf_text(out / "quarter-2026Q2.pdf"))
    assert "河口镇2026年6月最低生活保障初审公示" not in text and "测试县2026年城乡低保标准调整公告" in text
    assert "公示期已满、不再印制的名单 1 份" in said and EXPIRED in said


def test_the_print_command_lists_what_it_left_out(sheets_dir):
    said = (sheets_dir / "said.txt").read_text(encoding="utf-8")
    expired = said.split("公示期已满、不再印制的名单 1 份")[1].split("\n")[1]
    assert EXPIRED in expired and "--record" in said
    superseded = said.split("标准已更新、不再印制的明白纸 1 份")[1].split("\n")[1]
    assert OLD_LEAFLET in superseded and f"最新：{NEW_LEAFLET}" in superseded


# ---------- 2. a village sheet states the village's figures ----------

def test_village_sheet_states_its_own_totals(sheets_dir):
    village = flat(pdf_text(sheet(sheets_dir, "social_assistance/2026/notice-2026-07-batch2/柳湾村.pdf")))
    assert "本批次拟纳入低保2户5人，月保障金额合计1,560元" in village
    assert "5户11人" not in village and "4,130" not in village and "4130" not in village
    assert "柳湾村合计：2户，5人，月保障金额1,560元" in village
    whole = flat(pdf_text(sheet(sheets_dir, "social_assistance/2026/notice-2026-07-batch2.pdf")))
    assert "本批次拟纳入低保5户11人，月保障金额合计4,130元" in whole and "合计：5户，11人，月保障金额4,130元" in whole


def test_village_figures_are_found_however_they_are_typed():
    share = VillageShare("柳湾村", Totals(2, 5, 1560), Totals(5, 11, 4130))
    assert village_figures("共５户11人，合计4,130元、4130.00元；另有15户、0.41万元。", share) \
        == "共2户5人，合计1,560元、1560.00元；另有15户、0.41万元。"
    assert village_figures("5户 11 人", share) == "2户 5 人"


# ---------- 3. every board sheet prints the page's tables ----------

def test_every_page_section_has_a_print_form():
    generator = Path(__file__).resolve().parent.parent / "generator"
    sources = [*(generator / "dataviews").glob("*.py"), *(generator / "kinds").rglob("*.py")]
    used = {m for path in sources for m in re.findall(r'\bSection\(\s*"([\w./]+)"', path.read_text(encoding="utf-8"))}
    assert used and used <= set(PRINTED_SECTIONS), used - set(PRINTED_SECTIONS)
    assert "kinds/consultation/consultation.md.j2" in used, "the kinds' own sections are found too"


def test_project_sheet_prints_the_nine_elements_on_one_a3_page(sheets_dir):
    path = sheet(sheets_dir, "poverty_relief/2026/liuwan-tea-2026.pdf")
    assert page_sizes(path) == [A3], "the elements, the funds and the closing fit one A3 sheet"
    text = flat(pdf_text(path))
    for label, value in (("项目名称", "2026年河口镇柳湾村茶园提质项目"), ("项目类型", "产业发展"),
                         ("实施地点", "河口镇柳湾村三组"), ("建设任务", "改造低产茶园200亩"), ("补助标准", "每亩补助6000元"),
                         ("资金来源及规模", "中央80.00万元"), ("实施期限", "2026年4月至2026年10月"),
                         ("实施单位及责任人", "测试县河口镇人民政府；责任人：孙立（副镇长）"), ("绩效目标", "茶园亩产提高20%"),
                         ("带贫减贫机制", "合作社按保护价收购脱贫户鲜叶"), ("项目进度", "在建（完成40%）")):
        assert label + value in text, label
    assert "合计130.00" in text and "扫码查看网上原文" in text


def test_plan_sheet_lists_the_projects_instead_of_pointing_at_the_qr_code(sheets_dir):
    path = sheet(sheets_dir, "poverty_relief/2026/plan-2026.pdf")
    text = flat(pdf_text(path))
    assert set(page_sizes(path)) == {A3}
    for name in ("2026年河口镇柳湾村茶园提质项目", "2026年河口村道路硬化项目", "2026年小额信贷贴息", "其他项目（9个，另行公示）"):
        assert name in text
    assert "合计（12个项目）" in text and "1,000.00" in text and "请扫描二维码在网上查看" not in text
    with pdfplumber.open(path) as pdf:
        header = [c for c in pdf.pages[0].extract_tables()[0][0]]
    assert [(h or "").replace("\n", "") for h in header] == ["项目名称", "项目类型", "实施地点", "建设内容及规模",
                                                            "衔接资金", "实施单位", "受益户数"]


@pytest.mark.parametrize("rel, expected", [
    ("social_assistance/2026/stats-2026-q2.pdf",
     ["2026年第二季度救助对象和资金支出", "城市低保310502", "其中：集中供养120120", "合计", "1,252.60", "城市低保820元/人·月"]),
    ("social_assistance/2026/standards-2026.pdf", ["城市低保850元/人·月2026-07-01820"]),
    ("budgets/2025/civil-budget-2025.pdf", ["部门收支总表", "本年收入合计340.00", "“三公”经费", "全部"]),
    ("environment/2026/key-polluters-2026.pdf", ["单位名称", "排污许可证", "执行标准"]),
    ("environment/2026/eia-quarry-proposed.pdf", ["测试县北山采石场项目", "1.受理", "2.拟批准公示", "本公示", "尚未公开"]),
    ("poverty_relief/2026/allocation-2026.pdf", ["2026年衔接资金分配结果"]),
])
def test_data_sheets_print_the_pages_tables(sheets_dir, rel, expected):
    text = flat(pdf_text(sheet(sheets_dir, rel)))
    for part in expected:
        assert part in text, part


# ---------- 4. paper wording, and a short list on page 1 ----------

def test_sheet_is_worded_for_paper(sheets_dir):
    for rel in ("social_assistance/2026/notice-2026-07-batch2.pdf",
                "social_assistance/2026/notice-2026-07-batch2/河口村.pdf"):
        text = flat(pdf_text(sheet(sheets_dir, rel)))
        for word in WEB_WORDS:
            assert word not in text, (rel, word)
        assert "公开栏和测试县政府信息公开网站同步进行" in text
        assert "本公示同时在测试县政府信息公开网站公开" in text
        assert "公示期满后" not in text and "下载申请表" not in text, "sentences about the page are left off"


def test_wording_keeps_everything_else_and_names_the_site_however_it_is_spaced(tmp_path):
    checked = check(mission_print_content(tmp_path / "content"))
    wording = Wording(checked.settings)
    body = ("## 一、说明\n\n公示在村公开栏和本 网站同步进行。详见本页下方。\n\n- 第一条。点击这里下载。\n- 第二条。\n\n"
            "| 项目 | 本网站 |\n|---|---|\n\n```\n本页\n```")
    assert wording.body(body) == ("## 一、说明\n\n公示在村公开栏和测试县政府信息公开网站同步进行。\n\n- 第一条。\n- 第二条。\n\n"
                                  "| 项目 | 本网站 |\n|---|---|\n\n```\n本页\n```")
    assert sentences("甲。乙！“丙。”丁") == ["甲。", "乙！", "“丙。”", "丁"]
    assert wording.text("单位：元。点击执行日期查看。") == "单位：元。", "table notes too"


def test_a_five_household_list_fits_on_page_one(sheets_dir):
    path = sheet(sheets_dir, "social_assistance/2026/notice-2026-07-batch2.pdf")
    first = flat(pdf_text(path)[0])
    for name in ("孙*芳", "钱*", "郑*军", "冯*英", "陈*"):
        assert name in first
    assert "合计：5户，11人" in first
    with pdfplumber.open(path) as pdf:
        sizes = {round(c["size"], 1) for c in pdf.pages[0].chars if c["text"] in "孙钱郑冯陈"}
    assert min(sizes) >= 14, "the tight layout never goes below 14 pt on A4"


# ---------- 5. superseded 明白纸 ----------

def test_superseded_leaflet_is_not_printed_by_default(sheets_dir):
    out = sheets_dir / "print/social_assistance"
    assert not list(out.glob("2025/leaflet-2025*")), "neither its 明白纸 nor its board sheet"
    current = out / "2026/leaflet-2026.leaflet.pdf"
    assert current.is_file() and "已更新" not in flat(pdf_text(current))


def test_superseded_leaflet_printed_on_request_is_stamped_with_the_newest(sheets_dir):
    out = sheets_dir / "old-leaflet"
    assert run("print", "--content", sheets_dir / "content", "--out", out, "--record", OLD_LEAFLET) == 0
    leaflet = out / "social_assistance/2025/leaflet-2025.leaflet.pdf"
    for text in pdf_text(leaflet):
        assert "已更新，以最新标准为准" in flat(text)
    assert NEW_LEAFLET in flat(pdf_text(leaflet)) and "测试县低保政策明白纸（2026年版）" in flat(pdf_text(leaflet))
    assert "已更新，以最新标准为准" in flat(pdf_text(out / "social_assistance/2025/leaflet-2025.pdf"))


def test_without_a_newer_leaflet_the_stamp_names_the_new_standard(tmp_path):
    content = mission_print_content(tmp_path / "content")
    (content / "social_assistance/2026/leaflet-2026.md").unlink()
    public = [r for r in check(content).records if r.is_published]
    assert {k: v.index_no for k, v in superseded_leaflets(public).items()} == {OLD_LEAFLET: STANDARDS}


def test_a_standard_announced_before_the_leaflet_does_not_supersede_it(tmp_path):
    """The 2026 明白纸 came out after the 2026 standard was announced: it is current, though the standard took
    effect after it was published."""
    content = mission_print_content(tmp_path / "content")
    path = content / "social_assistance/2026/leaflet-2026.md"
    path.write_text(path.read_text(encoding="utf-8").replace("published_on: 2026-07-02", "published_on: 2026-06-20")
                    .replace("written_on: 2026-06-28", "written_on: 2026-06-18"), encoding="utf-8")
    public = [r for r in check(content).records if r.is_published]
    assert NEW_LEAFLET not in superseded_leaflets(public)
