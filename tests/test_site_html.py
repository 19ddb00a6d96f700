"""A real mkdocs build of the mini content, checked through its HTML."""
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

from tests.conftest import ROOT

HIDDEN_MARKERS = ["内部秘密词甲乙丙", "免予公开词丁戊己", "草稿词庚辛壬",
                  "机关内部财务收支情况", "救助对象家庭经济状况核对报告", "尚未定稿的办事指南草稿"]


def soup(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "lxml")


def test_record_page_has_metadata_grid_body_attachment_and_interpretation(built_mini):
    page = soup(built_mini / "site", "docs/2025/subsidy-notice/index.html")
    grid = {th.get_text(strip=True): th.find_next_sibling("td").get_text(strip=True)
            for th in page.select("table.gk-meta th")}
    assert grid["索引号"] == "11999900MB0B00001X/2025-00002"
    assert grid["文号"] == "测政办发〔2025〕7号"
    assert grid["发布机构"] == "测试县人民政府办公室"
    assert grid["成文日期"] == "2025-03-10" and grid["发布日期"] == "2025-03-14"
    assert grid["有效性"] == "有效" and grid["公开方式"] == "主动公开" and grid["主题分类"] == "民政、扶贫、救灾"
    text = page.get_text()
    # Hard-wrapped Chinese lines are joined: no stray space inside the sentence.
    assert "调整临时救助标准有关事项" in text
    attachment = page.select_one("ul.gk-attachments a")
    assert attachment.get_text() == "附件1 临时救助标准表"
    assert "CSV" in attachment.find_next_sibling("span").get_text()
    target = built_mini / "site/docs/2025/subsidy-notice" / unquote(attachment["href"])
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    links = [a.get_text() for a in page.select("ul.gk-list a")]
    assert links == ["《关于调整临时救助标准的通知》政策解读"]


def test_interpretation_links_back_to_its_document(built_mini):
    page = soup(built_mini / "site", "notes/2025/subsidy-notice-explained/index.html")
    related = page.select_one("p.gk-related a")
    assert related.get_text() == "测试县人民政府办公室关于调整临时救助标准的通知"
    assert related["href"] == "../../../docs/2025/subsidy-notice/"


def test_service_elements_render_as_a_table(built_mini):
    page = soup(built_mini / "site", "help/2025/temporary-assistance-guide/index.html")
    rows = {th.get_text(): td for th, td in
            ((tr.th, tr.td) for tr in page.select("table.gk-elements tr"))}
    assert list(rows) == ["办事依据", "办事职责", "办事条件", "办事程序", "办事纪律", "办事结果"]
    assert rows["办事条件"].find("br") is not None


def test_repealed_document_is_marked(built_mini):
    page = soup(built_mini / "site", "docs/2024/old-notice/index.html")
    assert "本文件已废止" in page.get_text()
    catalogue = soup(built_mini / "site", "catalogue/index.html")
    badge = catalogue.select_one("span.gk-badge--void")
    assert badge.get_text() == "废止"


def test_catalogue_lists_exactly_the_public_records(built_mini):
    page = soup(built_mini / "site", "catalogue/index.html")
    numbers = [td.get_text() for td in page.select("td.gk-col-index_no")]
    assert numbers == [
        "11999900MB0B00002Y/2025-00001", "11999900MB0B00001X/2025-00002", "11999900MB0B00001X/2025-00003",
        "11999900MB0B00001X/2025-00001", "11999900MB0B00001X/2024-00003"]
    headers = [th.get_text() for th in page.select("table.gk-table thead th")]
    assert headers == ["索引号", "标题", "发布机构", "主题分类", "成文日期", "发布日期"]


def test_category_year_month_and_publisher_indexes(built_mini):
    site = built_mini / "site"
    docs = soup(site, "docs/index.html")
    assert [th.get_text() for th in docs.select("thead th")] == ["索引号", "标题", "文号", "发布机构", "有效性", "发布日期"]
    assert "20 个工作日" in docs.get_text()
    assert len(soup(site, "docs/2024/index.html").select("tbody tr")) == 1
    archive = soup(site, "archive/index.html")
    assert [a.get_text() for a in archive.select("tbody th a")] == ["2025年", "2024年"]
    march = soup(site, "archive/2025/03/index.html")
    assert len(march.select("tbody tr")) == 2
    civil = soup(site, "publishers/civil/index.html")
    assert [a.get_text() for a in civil.select("td.gk-col-title a")] == ["临时救助申请办事指南"]


def test_guide_page_shows_current_guide_and_contacts(built_mini):
    page = soup(built_mini / "site", "guide/index.html")
    text = page.get_text()
    assert "依申请公开" in text and "测试县人民政府办公室政务公开科" in text and "0999-7654321" in text


def test_home_has_latest_categories_and_supervision_phone(built_mini):
    page = soup(built_mini / "site", "index.html")
    assert len(page.select("table.gk-table tbody tr")) == 5
    assert [c.select_one(".gk-card__title").get_text() for c in page.select("a.gk-card")] == [
        "信息公开指南", "规范性文件", "政策解读", "办事服务"]
    assert page.select_one('a[href="tel:0999-7654321"]') is not None


def test_footer_identity_and_language(built_mini):
    page = soup(built_mini / "site", "docs/2025/subsidy-notice/index.html")
    footer = page.select_one(".gk-footer").get_text()
    assert "主办单位：测试县人民政府办公室" in footer
    assert "网站标识码：5199990099" in footer and "测ICP备00000099号" in footer
    assert page.html["lang"] == "zh-CN"


def test_records_stay_out_of_the_nav(built_mini):
    page = soup(built_mini / "site", "catalogue/index.html")
    nav_links = [a.get("href", "") for a in page.select("nav.md-nav a")]
    assert nav_links, "the nav should exist"
    assert not any("subsidy-notice" in href or "old-notice" in href for href in nav_links)
    titles = [a.get_text(strip=True) for a in page.select("nav.md-nav a")]
    assert "信息公开目录" in titles and "按年份归档" in titles


def test_non_public_records_appear_nowhere(built_mini):
    site = built_mini / "site"
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".js", ".txt", ".csv"}:
            text = path.read_text(encoding="utf-8", errors="ignore")
            for marker in HIDDEN_MARKERS:
                assert marker not in text, f"{marker} leaked into {path.relative_to(site)}"
    for name in ("internal-finance", "exempt-report", "draft-notice"):
        assert not list(site.rglob(f"*{name}*"))


def test_no_request_to_a_third_party_host(built_mini):
    site = built_mini / "site"
    pattern = re.compile(r"""(?:src|href)\s*=\s*["'](https?:)?//([^/"']+)""")
    for path in site.rglob("*.html"):
        for _, host in pattern.findall(path.read_text(encoding="utf-8")):
            assert host == "www.example.gov.cn", f"{path.relative_to(site)} references {host}"
    for path in site.rglob("*.css"):
        assert "fonts.googleapis" not in path.read_text(encoding="utf-8", errors="ignore")
    assert not (site / "search" / "search_index.json").exists()


def test_every_internal_link_resolves(built_mini):
    """Relative links only, so the site works from a sub-path; and every one reaches a file."""
    site = built_mini / "site"
    broken = []
    for page in site.rglob("*.html"):
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        base = "/" + page.relative_to(site).as_posix()
        for tag in doc.select("a[href], link[href], script[src], img[src]"):
            url = tag.get("href") or tag.get("src")
            if url.startswith(("#", "mailto:", "tel:", "https://www.example.gov.cn")):
                continue
            if page.name == "404.html" and page.parent == site:
                # MkDocs gives the 404 page absolute links (it is served at any path): under the sub-path.
                assert url.startswith("/county/xxgk/"), url
                url = "/" + url[len("/county/xxgk/"):]
            else:
                assert not url.startswith("/"), f"absolute link {url} in {base}"
            path = unquote(urlsplit(urljoin(base, url)).path).lstrip("/")
            target = site / path
            if target.is_dir() or path == "":
                target = target / "index.html"
            if not target.exists():
                broken.append((base, url))
    assert broken == []


def test_sitemap_uses_the_sub_path(built_mini):
    sitemap = (built_mini / "site/sitemap.xml").read_text(encoding="utf-8")
    assert "https://www.example.gov.cn/county/xxgk/docs/2025/subsidy-notice/" in sitemap
    assert "internal-finance" not in sitemap


def test_phone_layout_labels_every_listing_column():
    """Listing cells carry only their column class; gk.css must give each column the same label as the header."""
    from generator.listing import COLUMN_LABELS
    css = (ROOT / "theme" / "overrides" / "stylesheets" / "gk.css").read_text(encoding="utf-8")
    labels = dict(re.findall(r'td\.gk-col-([a-z_]+)::before \{ content: "([^"：]+)："; \}', css))
    assert labels == {k: v for k, v in COLUMN_LABELS.items() if k != "title"}


def test_latest_lists_link_to_complete_year_lists_and_the_catalogue_download(tmp_path):
    """Catalogue, category and publisher pages show the newest records; per-year pages and the CSV are complete."""
    import csv
    import json
    import shutil

    from generator import pipeline
    from generator.export.downloads import read_csv
    from tests.conftest import MINI
    shutil.copytree(MINI, tmp_path / "content")
    guide = (tmp_path / "content/help/2025/temporary-assistance-guide.md").read_text(encoding="utf-8")
    for n in range(2, 10):      # 13 public records on pages of 10
        (tmp_path / f"content/help/2025/guide-{n}.md").write_text(
            guide.replace("2025-00001", f"2025-{n + 10:05d}").replace("临时救助申请办事指南", f"办事指南{n}"), encoding="utf-8")
    assert pipeline.build(tmp_path / "content", tmp_path / "site", tmp_path / "work").checked.ok
    site = tmp_path / "site"

    catalogue = soup(site, "catalogue/index.html")
    assert len(catalogue.select("table.gk-table tbody tr")) == 10
    assert "以下为最新 10 条，共 13 条" in catalogue.get_text()
    assert not (site / "catalogue/page").exists()
    # Every record is on exactly one archive month page and one per-year category page.
    def listed(pattern):
        return sorted(a["href"].rstrip("/").rsplit("/", 1)[-1] for f in site.glob(pattern)
                      for a in soup(site, f.relative_to(site).as_posix()).select("table.gk-table td.gk-col-title a"))
    rows = read_csv(site / "catalogue/catalogue.csv")
    slugs = sorted(r[-1].rstrip("/").rsplit("/", 1)[-1] for r in rows[1:])
    assert rows[0][:2] == ["索引号", "标题"] and len(rows) == 14
    assert sorted(listed("*/20*/index.html") + listed("*/20*/page/*/index.html")) == slugs
    assert sorted(listed("archive/*/*/index.html") + listed("archive/*/*/page/*/index.html")) == slugs
    data = json.loads((site / "catalogue/catalogue.json").read_text(encoding="utf-8"))
    assert [r["index_no"] for r in data["records"]] == [r[0] for r in rows[1:]]
    assert all(r["url"].startswith("https://") for r in data["records"])
    links = [a["href"] for a in catalogue.select(".gk-downloads a")]
    assert links == ["catalogue.csv", "catalogue.json"]


def test_theme_scripts_and_stylesheets_are_linked_with_their_contents_digest(built_mini, tmp_path):
    """A browser that kept last version's gk-search.js would read this version's search index with it (another
    chunk layout and result ids: a one-character query found a third of its records): every script and
    stylesheet of the site's own (the theme's, and the AQI level colours render writes) is linked with a digest
    of its contents, on record pages (stamped) and listing pages alike. Material's own files carry theirs in
    their names (assets/)."""
    import hashlib

    from generator import site as site_module
    site = built_mini / "site"
    for rel in ("docs/2025/subsidy-notice/index.html", "catalogue/index.html", "index.html"):
        page = soup(site, rel)
        linked = [e["src"] for e in page.find_all("script", src=True)] + \
                 [e["href"] for e in page.find_all("link", rel="stylesheet")]
        own = [url for url in linked if not urlsplit(urljoin(f"http://x/{rel}", url)).path.startswith("/assets/")]
        assert {"gk-md.js", "gk-reader.js", "gk-search.js", "gk.css", "gk-levels.css"} <= \
               {Path(urlsplit(url).path).name for url in own}, (rel, own)
        for url in own:
            path = site / urlsplit(urljoin(f"http://x/{rel}", url)).path.lstrip("/")
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            assert urlsplit(url).query == f"v={digest}", (rel, url)
    assert site_module.versioned("javascripts/no-such-file.js") == "javascripts/no-such-file.js"
