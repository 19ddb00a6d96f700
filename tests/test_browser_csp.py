"""The Content-Security-Policy in Chromium: every kind of page, the search panel and the print links of the
hostile corpus run with zero violations and no console error, the quoted text of titles shows as typed in
search results, and no payload ever runs. A script injected on purpose is refused: the policy is live."""
import pytest

from tests.browser import serve
from tests.hostile import PAYLOAD

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "catalogue": "catalogue/",
    "record with attachments": "environment/2026/eia-quarry-accepted/",
    "budget with charts": "budgets/2025/civil-budget-2025/",
    "budget tables": "budgets/2025/civil-budget-2025/tables/",
    "AQI calendar": "environment/data/aqi-2026/",
    "AQI record": "environment/2026/aqi-2026-05/",
    "archive": "archive/2026/",
    "publisher": "publishers/civil/",
    "guide": "guide/",
}
LISTEN = ("window.__csp = []; document.addEventListener('securitypolicyviolation', e => "
          "window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));")


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("dialog", lambda d: (page.problems.append("dialog: " + d.message), d.dismiss()))
    yield page
    context.close()


def violations(page) -> list[str]:
    return page.evaluate("() => window.__csp")


def test_every_kind_of_page_runs_under_the_policy(hostile_built, watched):
    page = watched
    with serve(hostile_built / "site") as base:
        page.goto(base)
        policy = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
        assert "script-src 'self' 'wasm-unsafe-eval'" in policy and "unsafe-inline" not in policy
        # The policy is live: a script added on purpose does not run and is reported.
        page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
                      " document.body.append(s); }")
        assert page.evaluate("() => window.__ran") is None and violations(page)
        assert any("Content Security Policy" in p for p in page.problems)
        page.problems.clear()
        for name, path in PAGES.items():
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            for image in page.locator("figure.gk-chart img").all():
                image.scroll_into_view_if_needed()
            page.wait_for_function("() => [...document.images].every(i => i.complete)")
            assert violations(page) == [], name
            assert page.problems == [], name
        # 打印公示版 and 明白纸 links reach their PDFs.
        page.goto(base + PAGES["record with attachments"])
        links = page.locator("p.gk-print a").all()
        assert len(links) == 2
        for link in links:
            response = page.request.get(page.evaluate("(a) => a.href", link.element_handle()))
            assert response.status == 200 and response.body().startswith(b"%PDF")
        assert violations(page) == [] and page.problems == []


def test_search_and_open_a_result_under_the_policy(hostile_built, watched):
    page = watched
    with serve(hostile_built / "site") as base:
        page.goto(base + "catalogue/")
        page.click("[data-gk-query]")
        page.fill("[data-gk-query]", "采石场")
        page.wait_for_function("() => Number(document.querySelector('[data-gk-search]').getAttribute('data-gk-done') || 0) > 0")
        titles = page.locator("[data-gk-results] h1").all_inner_texts()
        assert titles and all(t.startswith(PAYLOAD) for t in titles), titles
        assert page.locator("[data-gk-results] img, [data-gk-results] script, [data-gk-results] b").count() == 0
        page.click("[data-gk-open-facets]")
        page.wait_for_selector("select[data-facet='分类']")
        page.locator("[data-gk-results] a").first.click()
        page.wait_for_load_state("networkidle")
        assert "/environment/2026/" in page.url
        assert page.locator("article h1").first.inner_text().startswith(PAYLOAD)
        assert violations(page) == [] and page.problems == []


def test_live_preview_reloads_under_its_policy(tmp_path, browser):
    """`serve`: MkDocs' live reload is an inline script; the preview's policy lets it run, the site's does not."""
    import os
    import shutil
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from tests.conftest import MINI
    shutil.copytree(MINI, tmp_path / "content")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    preview = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--content", str(tmp_path / "content"),
                                "--work", str(tmp_path / "build"), "--port", str(port)],
                               cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        page = browser.new_page()
        page.add_init_script(LISTEN)
        page.goto(f"http://127.0.0.1:{port}/")
        assert "'unsafe-inline'" in page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
        assert page.evaluate("() => typeof livereload") == "function"
        assert violations(page) == []
        page.close()
    finally:
        os.killpg(preview.pid, signal.SIGTERM)
        preview.wait(timeout=20)


def test_elder_mode_and_phone_layout_run_under_the_policy(hostile_built, browser):
    """长辈版 on, on a phone: its script and stylesheet rules, the chart tables and the scroll cues, with zero
    violations; switching back and forth stays inside the policy too."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    context.add_init_script(LISTEN + " try { localStorage.setItem('gk-elder', 'on'); } catch (e) {}")
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    with serve(hostile_built / "site") as base:
        for name, path in PAGES.items():
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("() => document.documentElement.hasAttribute('data-gk-elder')"), name
            assert violations(page) == [] and page.problems == [], name
        page.click("[data-gk-elder-switch]")
        page.click("[data-gk-elder-switch]")
        page.goto(base + "?q=" + "采石场")
        page.wait_for_function("() => Number(document.querySelector('[data-gk-search]').getAttribute('data-gk-done') || 0) > 0")
        page.check("[data-gk-bytime]")
        assert violations(page) == [] and page.problems == []
    context.close()
