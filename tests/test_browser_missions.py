"""The mission data pages in Chromium: nothing scrolls the page sideways on a phone (wide tables scroll inside
their own box), the AQI calendar shows text in every coloured cell, and the CSV download is what Excel opens."""
import re

import pytest

from tests.browser import serve

pytestmark = pytest.mark.browser

PAGES = ("budgets/2025/civil-budget-2025/", "budgets/2025/civil-budget-2025/tables/", "budgets/data/execution-civil-2025/",
         "social_assistance/2026/notice-2026-07/", "social_assistance/data/", "poverty_relief/data/projects-2026/",
         "environment/2026/aqi-2026-05/", "environment/data/aqi-2026/", "environment/2026/key-polluters-2026/",
         "environment/data/eia/")


@pytest.fixture(scope="module")
def site(missions_built):
    return missions_built / "site"


def test_data_pages_do_not_scroll_sideways_on_a_phone(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    with serve(site) as base:
        for path in PAGES:
            page.goto(base + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"
            # Every wide table sits in a focusable region that scrolls by itself.
            loose = page.evaluate("""[...document.querySelectorAll('table.gk-data')]
                .filter(t => !t.classList.contains('gk-card') && !t.closest('.gk-scroll')).length""")
            assert loose == 0, path
    context.close()


def test_calendar_cells_carry_text_and_charts_load(site, browser):
    page = browser.new_page()
    with serve(site) as base:
        page.goto(base + "environment/data/aqi-2026/")
        texts = page.locator("table.gk-aqi-calendar td[class*='gk-swatch-']").all_inner_texts()
        assert len(texts) == 7 and all("AQI" in t and re.search("[一二三四五六]级", t)
                                       and t.split()[-1].endswith(("优", "良", "污染")) for t in texts), texts
        page.goto(base + "budgets/2025/civil-budget-2025/")
        # The charts load lazily: bring each into view, then every one must have decoded.
        for image in page.locator("figure.gk-chart img").all():
            image.scroll_into_view_if_needed()
        page.wait_for_function("() => [...document.querySelectorAll('figure.gk-chart img')].every(i => i.complete)")
        widths = page.evaluate("[...document.querySelectorAll('figure.gk-chart img')].map(i => i.naturalWidth)")
        assert widths and all(w > 0 for w in widths), widths
    page.close()


def test_csv_download_opens_as_utf8_with_bom(site, browser):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    with serve(site) as base:
        page.goto(base + "budgets/2025/civil-budget-2025/")
        with page.expect_download() as download:
            page.click("a[href='general_expenditure.csv']")
        assert download.value.suggested_filename == "测试县民政局2025年部门预算-一般公共预算支出表.csv"
        data = download.value.path().read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8-sig").startswith("科目编码,科目名称,合计（万元）")
    context.close()
