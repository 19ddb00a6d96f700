"""The offline copy (`build --offline`): a site that works opened from file://, in real Chromium."""
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from generator.cli import main
from generator.offline import file_url
from tests.lifecycle import AMENDMENT, AMENDMENT_TITLE, NOTICE, make_lifecycle


@pytest.fixture(scope="module")
def offline(tmp_path_factory):
    """The lifecycle content built twice: the normal site and the offline copy, from the same work folder."""
    base = tmp_path_factory.mktemp("offline")
    content = make_lifecycle(base / "content")
    work = base / "build"
    assert main(["build", "--quiet", "--content", str(content), "--out", str(base / "site"), "--work", str(work)]) == 0
    assert main(["build", "--quiet", "--offline", "--content", str(content), "--out", str(base / "site-offline"),
                 "--work", str(work)]) == 0
    return base


def test_folder_links_become_index_html_and_nothing_else_changes():
    assert [file_url(u) for u in ("../", "../..", ".", "./", "a/b/", "a/b/#x", "a/?q=1", "#top", "x.pdf",
                                  "https://e.gov.cn/", "mailto:a@b.cn", "../print/a.pdf", "")] == [
        "../index.html", "../../index.html", "./index.html", "./index.html", "a/b/index.html", "a/b/index.html#x",
        "a/index.html?q=1", "#top", "x.pdf", "https://e.gov.cn/", "mailto:a@b.cn", "../print/a.pdf", ""]


def test_every_link_of_the_offline_copy_opens_a_file(offline):
    site = offline / "site-offline"
    checked = 0
    for page in site.rglob("*.html"):
        for a in BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").select("a[href]"):
            href = a["href"]
            if re.match(r"^([a-z]+:|#)", href):
                continue
            target = (page.parent / unquote(urlsplit(href).path)).resolve()
            assert target.is_file(), f"{page.relative_to(site)}: {href}"
            checked += 1
    assert checked > 500


def test_the_offline_copy_searches_without_a_server_and_says_what_it_is(offline):
    site, online = offline / "site-offline", offline / "site"
    assert not (site / "pagefind").exists() and (site / "search/offline-index.js").is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "javascripts/gk-offline.js" in home and "gk-search.js" not in home and "离线版：生成于 " in home
    index = (site / "search/offline-index.js").read_text(encoding="utf-8")
    assert index.startswith("window.GK_OFFLINE_INDEX = ") and AMENDMENT in index and "撤回正文独有词" not in index
    # The normal build is as it was: folder links, Pagefind, no label.
    normal = (online / "index.html").read_text(encoding="utf-8")
    assert 'href="catalogue/"' in normal and "gk-search.js" in normal and "离线版" not in normal
    assert (online / "pagefind/pagefind.js").is_file()


@pytest.mark.browser
def test_offline_copy_from_file_url(offline, browser):
    site = (offline / "site-offline").resolve()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(site.as_uri() + "/index.html")
        assert "离线版" in page.inner_text(".gk-offline-label")
        # Follow links: the catalogue, a category, a record; each opens a page, never a folder listing.
        page.click(".md-tabs a:has-text('信息公开目录')")
        page.wait_for_load_state()
        assert page.url.endswith("/catalogue/index.html") and page.locator("table.gk-table").count() == 1
        page.locator("table.gk-table a", has_text="关于修改临时救助标准通知的决定").first.click()
        page.wait_for_load_state()
        assert page.url.endswith("/docs/2025/subsidy-amendment/index.html")
        assert page.locator("h1").first.inner_text() == AMENDMENT_TITLE
        page.locator(".gk-related a").first.click()
        page.wait_for_load_state()
        assert page.url.endswith("/docs/2025/subsidy-notice/index.html")

        def search(query):
            done = "Number(document.querySelector('[data-gk-search]').getAttribute('data-gk-done') || 0)"
            before = page.evaluate(done)
            page.fill("[data-gk-query]", query)
            page.wait_for_function(f"() => {done} > {before}")
            return page.locator("[data-gk-results] h1").all_inner_texts()

        page.click("[data-gk-query]")
        # By a word of the title, by 索引号 (exact, written with other brackets too) and by 文号.
        assert search("修改临时救助") == [AMENDMENT_TITLE]
        assert search(NOTICE)[0] == "测试县人民政府办公室关于调整临时救助标准的通知"
        assert search("测政办发[2025]9号") == [AMENDMENT_TITLE]
        assert search("撤回正文独有词") == [] and "没有找到" in page.inner_text("[data-gk-status]")
        # Facets narrow the results.
        titles = search("临时救助")
        assert len(titles) == 4 and page.locator("[data-gk-bytime]").count() == 0
        page.select_option("select[data-facet='分类']", "政策解读")
        page.wait_for_function("() => document.querySelectorAll('[data-gk-results] li').length == 1")
        assert page.locator("[data-gk-results] h1").all_inner_texts() == ["《关于调整临时救助标准的通知》政策解读"]
        page.locator("[data-gk-results] a").first.click()
        page.wait_for_load_state()
        assert page.url.endswith("/notes/2025/subsidy-notice-explained/index.html")
        assert all(url.startswith("file://") for url in requests), [u for u in requests if not u.startswith("file://")]
        assert errors == []
    finally:
        context.close()
