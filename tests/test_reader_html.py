"""What the generated pages say and how (issue 13), read from the built HTML: Chinese punctuation in every
generated sentence, units on amounts, no heading repeated as a caption, prev/next links that say where they
lead, a home title said once, tables that scroll in labelled regions, codes that break only between parts."""
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.slow

# Half-width punctuation touching a Chinese character, or "PDF,14 KB": what a Chinese government page never prints.
HALF_WIDTH = re.compile(r"[\u4e00-\u9fff][,:;()]|[,:;(][\u4e00-\u9fff]|\)[\u4e00-\u9fff]|[A-Z]{3,4},\s?\d")


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "lxml")


def text(soup: BeautifulSoup) -> str:
    for s in soup(["script", "style"]):
        s.decompose()
    return soup.get_text(" ")


def test_generated_text_uses_full_width_punctuation(missions_built):
    """The missions fixture is written with Chinese punctuation: whatever is half-width was the generator's."""
    found = {}
    for f in sorted((missions_built / "site").rglob("index.html")):
        for m in HALF_WIDTH.finditer(text(BeautifulSoup(f.read_text(encoding="utf-8"), "lxml"))):
            found.setdefault(m.group(), f.relative_to(missions_built / "site").as_posix())
    assert found == {}


def test_attachment_type_and_size_in_chinese_brackets(built_mini):
    soup = page(built_mini / "site", "docs/2025/subsidy-notice")
    kinds = [s.get_text() for s in soup.select(".gk-attachments .gk-filetype")]
    assert kinds and all(re.fullmatch(r"（[A-Z]+，[\d.]+ [KM]B）", k) for k in kinds), kinds


def test_home_title_is_the_site_name_once(built_mini):
    soup = page(built_mini / "site", "")
    name = soup.select_one(".md-header__topic .md-ellipsis").get_text(strip=True)
    assert soup.title.get_text() == name


def test_previous_and_next_say_where_they_lead(built_mini):
    """The guide and the 信息公开指南 category share a title: the footer names the category with its section."""
    for f in (built_mini / "site").rglob("index.html"):
        soup = BeautifulSoup(f.read_text(encoding="utf-8"), "lxml")
        links = soup.select("a.md-footer__link")
        labels = [a.select_one(".md-ellipsis").get_text(strip=True) for a in links]
        if len(links) == 2 and links[0]["href"] != links[1]["href"]:
            assert labels[0] != labels[1], (f, labels)
        assert all("：" in a["aria-label"] and ": " not in a["aria-label"] for a in links)
    soup = page(built_mini / "site", "catalogue")
    assert [a.select_one(".md-ellipsis").get_text(strip=True) for a in soup.select("a.md-footer__link")] == \
        ["信息公开指南", "信息公开目录 › 信息公开指南"]


def test_every_amount_column_states_its_unit(missions_built):
    seen = 0
    for f in (missions_built / "site").rglob("index.html"):
        for table in BeautifulSoup(f.read_text(encoding="utf-8"), "lxml").select("table.gk-data"):
            caption = table.caption.get_text() if table.caption else ""
            for th in table.select("thead th"):
                label = th.get_text()
                if re.search(r"金额|资金|经费|预算数|决算数|差额|保障标准", label):
                    seen += 1
                    assert re.search(r"（万?元）", label) or re.search(r"单位：万?元", caption), (f, caption, label)
    assert seen > 10


def test_no_section_heading_is_repeated_as_a_visible_caption(missions_built):
    for f in (missions_built / "site").rglob("index.html"):
        soup = BeautifulSoup(f.read_text(encoding="utf-8"), "lxml")
        for h2 in soup.select("article h2"):
            table = h2.find_next("table")
            if table is None or table.caption is None:
                continue
            visible = "".join(t for t in table.caption.find_all(string=True)
                              if not t.find_parent(class_="gk-sr-only") and not t.find_parent(class_="gk-unit"))
            assert visible.strip() != h2.get_text(strip=True), (f, visible)


def test_every_scrolling_table_is_a_labelled_focusable_region(missions_built, built_mini):
    for site in (missions_built / "site", built_mini / "site"):
        for f in site.rglob("index.html"):
            for box in BeautifulSoup(f.read_text(encoding="utf-8"), "lxml").select(".gk-scroll"):
                assert box.get("role") == "region" and box.get("tabindex") == "0" and box.get("aria-label"), f
                assert box.select_one(".gk-scroll-cue").get_text() == "左右滑动查看更多"


def test_body_tables_scroll_in_their_own_region():
    from generator.body import body_markdown
    html = body_markdown("说明\n\n| 项目 | 金额（元） |\n|---|---:|\n| 甲 | 1 |\n", "docs/2025/a.md", "docs/2025/a.md")
    soup = BeautifulSoup(html, "lxml")
    table = soup.select_one("div.gk-scroll[role=region][tabindex='0'] > table.gk-body-table")
    assert table is not None and soup.select_one(".gk-scroll")["aria-label"] == "正文表格"


def test_codes_break_only_after_their_slash():
    from generator.listing import unbroken
    html = str(unbroken("11999900MB0B00001X/2025-00012"))
    assert html == ('<span class="gk-nb gk-code">11999900MB0B00001X/</span>'
                    '<span class="gk-nb gk-code">2025-00012</span>')
    assert str(unbroken("<b>")) == '<span class="gk-nb gk-code">&lt;b&gt;</span>'


def test_aqi_colours_carry_readable_text():
    """Every level's text colour on its colour reaches 4.5:1 (WCAG AA): white on #FF0000 was 4.0:1."""
    from generator.kinds.environment import hj633

    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    for level in hj633.standard().levels:
        a, b = sorted((luminance(level.colour), luminance(level.text_colour)))
        assert (b + 0.05) / (a + 0.05) >= 4.5, level


def test_guide_says_what_the_site_offers(built_mini):
    soup = page(built_mini / "site", "guide")
    assert "“长辈版”（关怀版）" in text(soup)
    switch = soup.select_one("[data-gk-elder-switch]")
    assert switch.get_text(strip=True) == "长辈版" and "关怀版" in switch["aria-label"]
