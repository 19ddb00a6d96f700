"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against the built site on 127.0.0.1."""
import re
import time

import pytest

from tests.browser import serve

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.requests = requests
    yield page
    context.close()


def search(page, query):
    """Type a query; wait until the panel says it rendered a search started after the typing."""
    done = "Number(document.querySelector('[data-gk-search]').getAttribute('data-gk-done') || 0)"
    before = page.evaluate(done)
    page.fill("[data-gk-query]", query)
    page.wait_for_function(f"() => {done} > {before}")   # a function: the CSP refuses eval of a string
    return page.locator("[data-gk-results] h1").all_inner_texts()


def test_search_facet_and_open_a_record(built_mini, page):
    with serve(built_mini / "site") as base:
        page.goto(base)
        page.click("[data-gk-query]")
        started = time.monotonic()
        titles = search(page, "救助")
        typed_to_results = time.monotonic() - started
        assert "测试县人民政府办公室关于调整临时救助标准的通知" in titles and len(titles) == 4
        # Every title holds the word: newest first.
        assert titles[0] == "临时救助申请办事指南" and titles[-1] == "测试县人民政府办公室关于临时救助标准的通知"
        item = page.locator("[data-gk-results] li").first
        assert "索引号：11999900MB0B00002Y/2025-00001" in item.inner_text() and "发布日期：2025-04-02" in item.inner_text()
        assert page.locator("[data-gk-results] mark").count() > 0
        assert page.locator("select[data-facet]").count() == 0, "facets load only when asked for"
        page.click("[data-gk-open-facets]")
        page.wait_for_selector("select[data-facet='分类']")
        page.select_option("select[data-facet='分类']", "政策解读")
        page.wait_for_function("() => document.querySelectorAll('[data-gk-results] li').length == 1")
        assert page.locator("[data-gk-results] h1").all_inner_texts() == ["《关于调整临时救助标准的通知》政策解读"]
        page.locator("[data-gk-results] a").first.click()
        page.wait_for_load_state()
        assert page.url == base + "notes/2025/subsidy-notice-explained/"
        assert page.locator("h1").first.inner_text() == "《关于调整临时救助标准的通知》政策解读"
        assert all(url.startswith(base) for url in page.requests), [u for u in page.requests if not u.startswith(base)]
        print(f"typed to results: {typed_to_results * 1000:.0f} ms")


def test_exact_index_number_and_document_number(built_mini, page):
    with serve(built_mini / "site") as base:
        page.goto(base + "catalogue/")
        page.click("[data-gk-query]")
        assert search(page, "11999900MB0B00001X/2024-00003") == ["测试县人民政府办公室关于临时救助标准的通知"]
        assert search(page, "测政办发〔2025〕7号") == ["测试县人民政府办公室关于调整临时救助标准的通知"]
        assert search(page, "测政办发[2025]7号") == ["测试县人民政府办公室关于调整临时救助标准的通知"]
        assert search(page, "氪氙氡") == []
        assert "没有找到" in page.inner_text("[data-gk-status]")


def test_hidden_records_are_not_found(built_mini, page):
    with serve(built_mini / "site") as base:
        page.goto(base)
        page.click("[data-gk-query]")
        hidden = {"县民政局2025年一季度机关内部财务收支情况", "救助对象家庭经济状况核对报告", "尚未定稿的办事指南草稿"}
        for query in ("内部秘密词甲乙丙", "免予公开词丁戊己", "草稿词庚辛壬", "财务收支", "核对报告", "草稿"):
            titles = search(page, query)
            assert not hidden & set(titles)
            text = page.inner_text("[data-gk-results]")
            assert "甲乙丙" not in text and "丁戊己" not in text and "庚辛壬" not in text


def test_walk_home_catalogue_record_download(built_mini, page):
    with serve(built_mini / "site") as base:
        page.goto(base)
        page.get_by_role("link", name="查看全部 5 条信息 →").click()
        page.wait_for_load_state()
        assert page.url == base + "catalogue/"
        page.get_by_role("link", name="测试县人民政府办公室关于调整临时救助标准的通知").click()
        page.wait_for_load_state()
        assert page.url == base + "docs/2025/subsidy-notice/"
        with page.expect_download() as download:
            page.locator("ul.gk-attachments a").first.click()
        path = download.value.path()
        assert path.read_bytes().decode("utf-8-sig").startswith("类别,标准(元)")


def test_phone_layout_has_no_sideways_scroll(built_mini, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    with serve(built_mini / "site") as base:
        for path in ("", "catalogue/", "docs/2025/subsidy-notice/", "archive/"):
            page.goto(base + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path or 'home'} scrolls sideways by {overflow}px"
    context.close()


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory):
    """The mini content with search shards of two records, so the browser has to merge three indexes."""
    import shutil

    from generator import search
    from tests.conftest import MINI, build_with
    base = tmp_path_factory.mktemp("sharded")
    shutil.copytree(MINI, base / "content")
    build_with(base / "content", base, search, "SHARD_SIZE", 2)
    return base / "site"


def test_sharded_indexes_are_merged_in_the_browser(sharded_site, page):
    assert len(list(sharded_site.glob("pagefind-*"))) >= 1, "the index should be split"
    with serve(sharded_site) as base:
        page.goto(base)
        page.click("[data-gk-query]")
        titles = search(page, "救助")
        assert len(titles) == 4, titles
        assert search(page, "11999900MB0B00002Y/2025-00001") == ["临时救助申请办事指南"]
        page.click("[data-gk-open-facets]")
        page.wait_for_selector("select[data-facet='发布机构']")
        page.select_option("select[data-facet='发布机构']", "测试县民政局")
        page.wait_for_function("() => document.querySelectorAll('[data-gk-results] li').length == 1")


@pytest.fixture(scope="module")
def delta_site(tmp_path_factory):
    """The mini site built, then one record edited and built again: its new entry comes from the delta index."""
    import shutil

    from generator import search
    from generator.cli import main
    from tests.conftest import MINI
    base = tmp_path_factory.mktemp("delta")
    shutil.copytree(MINI, base / "content")
    args = ["build", "--content", str(base / "content"), "--out", str(base / "site"), "--work", str(base / "build")]
    saved, search.DELTA_SHARE = search.DELTA_SHARE, 0.9
    try:
        assert main(args) == 0
        main_bundle = sorted(p.name for p in (base / "site/pagefind/fragment").iterdir())
        guide = base / "content/help/2025/temporary-assistance-guide.md"
        # A correction of a published record, with its note (lifecycle/manifest.py).
        guide.write_text(guide.read_text(encoding="utf-8").replace(
            "title: 临时救助申请办事指南", "title: 临时救助申请办事指南（修订）\n"
            "change_log: [{date: 2025-05-01, level: 重大, note: 增加急难型救助的先行救助流程}]")
                         + "\n本次修订增加了急难型救助的先行救助流程。\n", encoding="utf-8")
        assert main(args) == 0
    finally:
        search.DELTA_SHARE = saved
    assert sorted(p.name for p in (base / "site/pagefind/fragment").iterdir()) == main_bundle, "main index kept"
    return base / "site"


@pytest.fixture(scope="module")
def purged_site(tmp_path_factory):
    """The mini site built with a name in a record, then built again with the name taken out and another
    record made internal: both old entries are cut out of the main index's files (searchpurge.py)."""
    import shutil

    from generator import search
    from generator.cli import main
    from tests.conftest import MINI
    from tests.files import never_published
    base = tmp_path_factory.mktemp("purged")
    shutil.copytree(MINI, base / "content")
    args = ["build", "--content", str(base / "content"), "--out", str(base / "site"), "--work", str(base / "build")]
    guide = base / "content/help/2025/temporary-assistance-guide.md"
    original = guide.read_text(encoding="utf-8")
    guide.write_text(original + "\n经办人：欧阳锦绣。\n", encoding="utf-8")
    saved, search.DELTA_SHARE = search.DELTA_SHARE, 0.9
    try:
        assert main(args) == 0
        before = {p.name for p in (base / "site/pagefind/fragment").iterdir()}
        guide.write_text(original + "\n经办人见窗口公示。\n", encoding="utf-8")
        never_published(base / "content")       # edited and made internal as if never published
        note = base / "content/notes/2025/subsidy-notice-explained.md"
        note.write_text(note.read_text(encoding="utf-8").replace("---\n", "---\naudience: internal\n", 1),
                        encoding="utf-8")
        assert main(args) == 0
    finally:
        search.DELTA_SHARE = saved
    after = {p.name for p in (base / "site/pagefind/fragment").iterdir()}
    assert after < before and len(before - after) == 2, "cut out of the main index, not indexed again"
    return base / "site"


def test_records_cut_out_of_the_index_are_gone_and_the_rest_is_found(purged_site, page):
    with serve(purged_site) as base:
        page.goto(base)
        page.click("[data-gk-query]")
        assert search(page, "欧阳锦绣") == []
        assert search(page, "窗口公示") == ["临时救助申请办事指南"]
        titles = search(page, "救助")
        assert titles.count("临时救助申请办事指南") == 1
        assert not any("政策解读" in t for t in titles), titles
        assert "测试县人民政府办公室关于调整临时救助标准的通知" in titles
        assert search(page, "11999900MB0B00001X/2025-00002") == ["测试县人民政府办公室关于调整临时救助标准的通知"]


def test_changed_record_is_found_once_through_the_delta_index(delta_site, page):
    import json
    overlay = json.loads((delta_site / "pagefind/gk-overlay.json").read_text(encoding="utf-8"))
    assert overlay["delta"] == "pagefind-delta" and len(overlay["hidden"]) == 1
    with serve(delta_site) as base:
        page.goto(base)
        page.click("[data-gk-query]")
        assert search(page, "先行救助流程") == ["临时救助申请办事指南（修订）"]
        titles = search(page, "救助")
        assert len(titles) == 4 and "临时救助申请办事指南（修订）" in titles and "临时救助申请办事指南" not in titles
        assert search(page, "11999900MB0B00002Y/2025-00001") == ["临时救助申请办事指南（修订）"]
        search(page, "救助")
        page.click("[data-gk-open-facets]")
        page.wait_for_selector("select[data-facet='发布机构']")
        options = page.locator("select[data-facet='发布机构'] option").all_inner_texts()
        assert "测试县民政局（1）" in options, options
