"""Sectors declared as data in real Chromium: a table cell is found by search, a declared column is a facet, and
the cards of a declared table fit a phone."""
import pytest

from tests.browser import serve
from tests.test_browser import search

pytestmark = pytest.mark.browser


def test_table_text_is_found_and_a_declared_column_filters(built_sectors, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    with serve(built_sectors) as base:
        page.goto(base)
        page.click("[data-gk-query]")
        assert search(page, "特种设备使用登记") == ["河湾县市场监督管理局权力清单（2025年版）"]
        assert len(search(page, "权力清单")) == 3
        page.click("[data-gk-open-facets]")
        page.wait_for_selector("select[data-facet='职权类型']")
        options = page.locator("select[data-facet='职权类型'] option").all_inner_texts()
        assert any(o.startswith("行政确认") for o in options), options
        page.select_option("select[data-facet='职权类型']", "行政确认")
        page.wait_for_function("document.querySelectorAll('[data-gk-results] li').length == 1")
        assert page.locator("[data-gk-results] h1").all_inner_texts() == ["河湾县市场监督管理局权力清单（2025年版）"]
    page.context.close()


def test_declared_tables_are_cards_on_a_phone(built_sectors, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    with serve(built_sectors) as base:
        for path in ("powers/", "powers/2025/market-powers-2025/", "relief/2026/flood-relief-liulin-2026-06/",
                     "licensing/2026/market-decisions-2026-q2/", "consult/2025/market-plan-adoption-2025/"):
            page.goto(base + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"
        page.goto(base + "powers/2025/market-powers-2025/")
        cell = page.locator("#t-powers td[data-label='事项名称']").first
        assert page.evaluate("e => getComputedStyle(e).display", cell.element_handle()) == "block"
        label = page.evaluate("e => getComputedStyle(e, '::before').content", cell.element_handle())
        assert "事项名称" in label
    context.close()


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_declared_sector_pages_fit_and_pass_axe(built_sectors, browser, width):
    """The pages of kinds declared as data (a current list, a table record, a benefit list, a consultation and
    its adoption report): no sideways scroll on a phone, no serious or critical axe violation."""
    from tests.test_browser_reader import PAGE_WIDTH, axe_serious
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 1000)
    page = context.new_page()
    found, wide = {}, {}
    with serve(built_sectors) as base:
        for path in ("powers/", "powers/2025/market-powers-2025/", "relief/2026/flood-relief-liulin-2026-06/",
                     "licensing/2026/market-decisions-2026-q2/", "consult/2026/parking-fee-draft-2026/",
                     "consult/2025/market-plan-adoption-2025/"):
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            if width < 1000 and page.evaluate(PAGE_WIDTH) > width:
                wide[path] = page.evaluate(PAGE_WIDTH)
            found[path] = axe_serious(page)
    context.close()
    assert wide == {}
    assert all(v == [] for v in found.values()), {k: v for k, v in found.items() if v}
