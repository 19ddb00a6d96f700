"""What a reader sees (issue 13), in Chromium with the CJK fonts a reader has: no page scrolls sideways on a
phone, wide tables scroll in their own labelled box, charts turn into tables where they would be too small to
read, numbers never break inside, listings use a desktop's width, the 长辈版 switch, and axe-core (pinned, from
the installed wheel) finds no serious or critical violation.

Most pages come from the missions fixture (every page type, see PAGES); the long catalogue titles of the demo
are measured on the demo.
"""
import re

import pytest

from tests.browser import serve

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "catalogue": "catalogue/",
    "category": "budgets/",
    "archive": "archive/2026/",
    "publisher": "publishers/civil/",
    "record": "environment/2026/water-2026-q1/",
    "record with attachments": "environment/2026/eia-quarry-accepted/",
    "budget record with charts": "budgets/2025/civil-budget-2025/",
    "budget-vs-actual": "budgets/data/execution-civil-2025/",
    "AQI calendar": "environment/data/aqi-2026/",
    "recipient list": "social_assistance/2026/notice-2026-07/",
    "project list": "poverty_relief/data/projects-2026/",
    "search open": "?q=低保",
}
AXE_PAGES = ("home", "catalogue", "record", "budget record with charts", "AQI calendar", "recipient list",
             "search open")
WIDTHS = (320, 390, 768)
DONE = "() => Number(document.querySelector('[data-gk-search]').getAttribute('data-gk-done') || 0) > 0"
ELDER = "try { localStorage.setItem('gk-elder', 'on'); } catch (e) {}"

# The page's width as laid out: Material hides sideways overflow on <html>, which would hide the fault too.
PAGE_WIDTH = """() => {
  const root = document.documentElement, body = document.body;
  const saved = [root.style.overflowX, body.style.overflowX];
  root.style.overflowX = body.style.overflowX = 'visible';
  const width = Math.max(root.scrollWidth, body.scrollWidth);
  [root.style.overflowX, body.style.overflowX] = saved;
  return width;
}"""
# Values that must stay on one line: each .gk-nb is one line box and ends inside the screen or its scroll box.
BROKEN = """() => [...document.querySelectorAll('.gk-nb')].filter(e => e.offsetParent).filter(e => {
  const boxes = [...e.getClientRects()].filter(r => r.width > 0);
  const box = e.closest('.gk-scroll');
  const right = box ? box.getBoundingClientRect().left + box.scrollWidth : window.innerWidth;
  return boxes.length > 1 || e.getBoundingClientRect().right > right + 1;
}).map(e => e.textContent)"""


# Body and table text of at least 16 px (the cue under a wide table is a hint, not text to read).
SMALL = """() => [...document.querySelectorAll('SELECTOR')]
  .filter(e => e.offsetParent && e.textContent.trim() && !e.matches('.gk-scroll-cue'))
  .filter(e => parseFloat(getComputedStyle(e).fontSize) < 16)
  .map(e => e.tagName + '.' + e.className + ' ' + getComputedStyle(e).fontSize + ' ' + e.textContent.trim().slice(0, 20))"""


def open_page(page, base, path):
    # "load": every stylesheet, font and script of the page is in (the site fetches nothing later unless a search
    # is typed, waited for below); "networkidle" added half a second of quiet to each of ~90 page loads.
    page.goto(base + path, wait_until="load")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    if "?q=" in path:
        page.wait_for_function(DONE)
        # Measured once the search panel has finished sliding and fading in (axe reads its colours).
        page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


def axe_serious(page) -> list[str]:
    from axe_playwright_python.base import AXE_SCRIPT
    page.evaluate(AXE_SCRIPT)      # evaluated by the test driver, not a <script>: the page's CSP stays as it is
    found = page.evaluate("async () => (await axe.run(document)).violations"
                          ".filter(v => ['serious', 'critical'].includes(v.impact))"
                          ".map(v => v.id + ' ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))")
    return found


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_no_page_scrolls_sideways_on_phones_and_numbers_stay_whole(missions_built, browser, elder):
    widest = {}
    with serve(missions_built / "site") as base:
        for width in WIDTHS if not elder else WIDTHS[:2]:      # 长辈版 changes type, not the tablet layout
            context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=True)
            if elder:
                context.add_init_script(ELDER)
            page = context.new_page()
            for name, path in PAGES.items():
                open_page(page, base, path)
                measured = page.evaluate(PAGE_WIDTH)
                widest[(name, width)] = measured
                assert measured <= width + 1, f"{name} at {width}px is {measured}px wide"
                assert page.evaluate(BROKEN) == [], (name, width)
            context.close()
    print("\n" + "\n".join(f"{name}: " + ", ".join(f"{w}px→{widest[(name, w)]}" for w in WIDTHS if (name, w) in widest)
                           for name in PAGES))


def test_wide_tables_scroll_in_their_own_labelled_box(missions_built, browser):
    context = browser.new_context(viewport={"width": 390, "height": 800}, is_mobile=True)
    page = context.new_page()
    with serve(missions_built / "site") as base:
        open_page(page, base, PAGES["budget-vs-actual"])
        boxes = page.evaluate("""() => [...document.querySelectorAll('.gk-scroll')].map(b => ({
            role: b.getAttribute('role'), tab: b.tabIndex, label: b.getAttribute('aria-label'),
            wide: b.scrollWidth > b.clientWidth + 1,
            cue: getComputedStyle(b.querySelector('.gk-scroll-cue')).display,
            sticky: getComputedStyle(b.querySelector('tbody tr > :first-child')).position}))""")
        assert boxes and all(b["role"] == "region" and b["tab"] == 0 and b["label"] for b in boxes), boxes
        wide = [b for b in boxes if b["wide"]]
        assert wide, "the budget-vs-actual tables are wider than a phone"
        assert all(b["cue"] == "block" and b["sticky"] == "sticky" for b in wide), wide
        assert all(b["cue"] == "none" for b in boxes if not b["wide"]), "the cue only where there is more"
        # The keyboard reaches a wide table, and the arrow keys scroll it.
        first = page.locator(".gk-scroll[data-gk-overflow]").first
        first.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.activeElement.scrollLeft > 0")
    context.close()


def test_charts_become_tables_where_their_labels_would_be_small(missions_built, browser):
    with serve(missions_built / "site") as base:
        for width, charts_shown in ((390, False), (1280, True)):
            page = browser.new_page(viewport={"width": width, "height": 900})
            open_page(page, base, PAGES["budget record with charts"])
            state = page.evaluate("""() => [...document.querySelectorAll('figure.gk-chart')].map(f => {
                const img = f.querySelector('img'), table = f.nextElementSibling;
                return {shown: getComputedStyle(f).display !== 'none', scale: img.getBoundingClientRect().width / img.width,
                        table: table && table.classList.contains('gk-chart-table') && getComputedStyle(table).display !== 'none',
                        src: img.getAttribute('src')};
            })""")
            assert state, "the budget record has charts"
            for chart in state:
                assert chart["shown"] == charts_shown and chart["table"] == (not charts_shown), (width, chart)
                if chart["shown"]:
                    svg = page.request.get(page.evaluate("(s) => new URL(s, location.href).href", chart["src"])).text()
                    smallest = min(float(v) for v in re.findall(r'font-size="([\d.]+)"', svg))
                    assert smallest * chart["scale"] >= 12, (chart, smallest)
            page.close()


def test_listings_use_the_width_and_text_is_large(missions_built, demo_built, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    with serve(demo_built / "site") as base:
        open_page(page, base, "catalogue/")
        assert page.evaluate("() => [...document.querySelectorAll('.md-sidebar')].every(s => s.offsetWidth === 0)")
        content = page.evaluate("() => document.querySelector('.md-content').getBoundingClientRect().width")
        assert content > 1100, content
        # Catalogue titles on at most two lines.
        lines = page.evaluate("""() => [...document.querySelectorAll('td.gk-col-title a')].map(a =>
            [a.textContent, Math.round(a.getBoundingClientRect().height / parseFloat(getComputedStyle(a).lineHeight))])""")
        assert lines and max(n for _, n in lines) <= 2, [t for t, n in lines if n > 2]
        small = page.evaluate(SMALL.replace("SELECTOR", ".md-typeset p, .md-typeset td, .md-typeset th"))
        assert small == [], small
    with serve(missions_built / "site") as base:
        for path in (PAGES["budget record with charts"], PAGES["recipient list"]):
            open_page(page, base, path)
            small = page.evaluate(SMALL.replace("SELECTOR", ".md-typeset p, .md-typeset td"))
            assert small == [], (path, small)
    page.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_no_serious_accessibility_violation(missions_built, browser, width):
    found = {}
    with serve(missions_built / "site") as base:
        for elder in (False, True):
            context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 1000)
            if elder:
                context.add_init_script(ELDER)
            page = context.new_page()
            for name in AXE_PAGES if not elder else ("home", "record", "search open"):
                open_page(page, base, PAGES[name])
                found[(name, elder)] = axe_serious(page)
            context.close()
    assert all(v == [] for v in found.values()), {k: v for k, v in found.items() if v}


def test_elder_mode_is_larger_remembered_and_works_with_search_and_print(missions_built, browser):
    context = browser.new_context(viewport={"width": 390, "height": 800}, is_mobile=True)
    page = context.new_page()
    body = "() => parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)"
    with serve(missions_built / "site") as base:
        open_page(page, base, PAGES["record"])
        standard = page.evaluate(body)
        switch = page.locator("[data-gk-elder-switch]")
        assert "关怀版" in switch.get_attribute("aria-label") and switch.get_attribute("aria-pressed") == "false"
        switch.click()
        assert switch.get_attribute("aria-pressed") == "true"
        assert page.evaluate(body) >= 20 > standard
        spacing = page.evaluate("() => { const s = getComputedStyle(document.querySelector('.md-typeset p'));"
                                " return parseFloat(s.lineHeight) / parseFloat(s.fontSize); }")
        assert spacing >= 1.9
        # Remembered on the next page, before the page is drawn: no script of the page has run yet at commit.
        page.goto(base + PAGES["catalogue"], wait_until="commit")
        page.wait_for_selector("html[data-gk-elder]", state="attached")
        page.wait_for_load_state("networkidle")
        assert page.evaluate(body) >= 20
        # Touch targets of 44 px at the least: the switch, the pager and the search box's buttons.
        heights = page.evaluate("() => [...document.querySelectorAll('.gk-elder-switch, .gk-pager a, .gk-home-search button')]"
                                ".filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)")
        assert all(h >= 30 for h in heights), heights
        # Search works in it.
        open_page(page, base, "?q=低保")
        assert page.locator("[data-gk-results] li").count() > 0
        assert page.evaluate(PAGE_WIDTH) <= 391
        # So does print: no header, switch or cue on paper; the PDF is made.
        page.emulate_media(media="print")
        open_page(page, base, PAGES["recipient list"])
        assert page.locator("[data-gk-elder-switch]").is_hidden() and page.locator(".md-header").is_hidden()
        assert page.evaluate("() => document.documentElement.hasAttribute('data-gk-elder')")
        assert page.pdf().startswith(b"%PDF")
        # Back to the standard version, remembered too.
        page.emulate_media(media="screen")
        page.locator("[data-gk-elder-switch]").click()
        page.goto(base)
        assert not page.evaluate("() => document.documentElement.hasAttribute('data-gk-elder')")
    context.close()


def test_reduced_motion_is_honoured(missions_built, browser):
    """Material stops its transitions for such readers, not its animations (e.g. its source facts slide in)."""
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    with serve(missions_built / "site") as base:
        open_page(page, base, "")
        durations = page.evaluate("() => [...document.querySelectorAll('.md-search__inner, .md-header, .md-nav__link')]"
                                  ".map(e => getComputedStyle(e).transitionDuration.split(',').map(parseFloat)).flat()")
        assert durations and max(durations) <= 0.001, durations
        animated = page.evaluate("""() => {
            const box = document.createElement('div'), facts = document.createElement('ul');
            box.className = 'md-source__repository--active'; facts.className = 'md-source__facts';
            box.append(facts); document.body.append(box);
            const s = getComputedStyle(facts);
            return [s.animationName, parseFloat(s.animationDuration)];
        }""")
        assert animated[0] == "facts" and animated[1] <= 0.001, animated
    context.close()


def test_skip_link_and_visible_focus(missions_built, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    with serve(missions_built / "site") as base:
        open_page(page, base, PAGES["record"])
        page.keyboard.press("Tab")
        text, target = page.evaluate("() => [document.activeElement.textContent.trim(), document.activeElement.hash]")
        assert text == "跳到正文" and target == "#" + page.evaluate("() => document.querySelector('article h1').id")
        outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        page.keyboard.press("Enter")
        assert page.evaluate("() => location.hash") == target
    page.close()
