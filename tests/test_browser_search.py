"""Search on the demo, as a reader uses it (issue 13): the records a reader looks for are in the first five,
newest first among equally good matches; words that are nowhere find nothing; whole words are marked; the count
is the number of records; 按时间排序 orders by date.

The expected records are read from the demo content when the test runs (a newer 标准调整 record, another
township or 文号 moves the expectation with it); the queries are the readers' own words.
"""
import re
import urllib.parse
from pathlib import Path

import pytest

from tests.browser import serve

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
DONE = "Number(document.querySelector('[data-gk-search]').getAttribute('data-gk-done') || 0)"
NOTHING = ("xyzzy不存在", "低保xyzzy", "氪氙氡钋")


@pytest.fixture(scope="module")
def demo_records():
    from generator.pipeline import check
    checked = check(ROOT / "content")
    assert checked.ok
    return checked, [r for r in checked.records if r.is_published]


def newest(records, keep):
    found = sorted((r for r in records if keep(r)), key=lambda r: r.published_on)
    assert found, "the demo should hold such a record"
    return found[-1]


def expectations(checked, records) -> dict[str, str]:
    """Query -> title of a record a reader expects among the first five."""
    from generator.kinds.social_assistance.model import Standards
    standards = newest(records, lambda r: any(isinstance(d, Standards) for d in r.datasets) and "低保" in r.keywords)
    budget = newest(records, lambda r: r.category.id == "budgets" and "三公" in r.body)
    air = newest(records, lambda r: "PM2.5" in r.body)
    chickens = newest(records, lambda r: "养鸡" in r.title)
    township = next(o for o in checked.settings.organisations if o.kind == "乡镇")
    in_township = newest(records, lambda r: township.short_name in r.title)
    numbered = newest(records, lambda r: r.doc_no and r.category.id == "normative_documents")
    oldest = sorted(records, key=lambda r: (r.published_on, r.index_no))[0]
    return {"低保": standards.title, "最低生活保障": standards.title, "三公经费": budget.title, "PM2.5": air.title,
            "养鸡": chickens.title, township.short_name: in_township.title, oldest.index_no: oldest.title,
            numbered.doc_no: numbered.title}


def ask(page, base, query):
    page.goto(base + "?q=" + urllib.parse.quote(query))
    page.wait_for_function(f"() => {DONE} > 0")


def titles(page):
    return page.locator("[data-gk-results] h1").all_inner_texts()


def test_readers_find_what_they_look_for_in_the_first_five(demo_built, demo_records, browser):
    checked, records = demo_records
    page = browser.new_page()
    ranks = {}
    with serve(demo_built / "site") as base:
        for query, expected in expectations(checked, records).items():
            ask(page, base, query)
            found = titles(page)
            ranks[query] = found.index(expected) + 1 if expected in found else None
            assert expected in found[:5], (query, expected, found[:5])
            # The words are marked whole: a lone character of the query is never marked on its own.
            marks = page.locator("[data-gk-results] mark").all_inner_texts()
            if not re.search(r"\d{4}", query):
                wanted = re.sub(r"[\"“”]", "", query).lower()
                assert marks and all(re.sub(r"[\"“”]", "", m).lower() == wanted for m in marks), (query, set(marks))
        for query in NOTHING:
            ask(page, base, query)
            assert titles(page) == [] and "没有找到" in page.inner_text("[data-gk-status]"), query
    page.close()
    print("\n".join(f"{q}: {r}" for q, r in ranks.items()))


def test_title_matches_come_first_then_the_newest(demo_built, demo_records, browser):
    _, records = demo_records
    page = browser.new_page()
    with serve(demo_built / "site") as base:
        ask(page, base, "低保")
        shown = page.locator("[data-gk-results] li").all()[:10]
        by_title = {r.title: r for r in records}
        first = [by_title[t] for t in titles(page)[:10]]
        named = [("低保" in r.title or "低保" in r.keywords) for r in first]
        assert named == sorted(named, reverse=True), "title or 主题词 matches first"
        dates = [r.published_on for r, n in zip(first, named) if n]
        assert dates == sorted(dates, reverse=True), "newest first among them"
        # Snippets: Chinese punctuation, no ASCII full stop joining two parts.
        for li in shown:
            text = li.locator("p.gk-result-text").inner_text()
            assert not re.search(r"[\u4e00-\u9fff]\. ", text) and "..." not in text, text
    page.close()


def test_count_is_the_number_of_records_and_time_order_on_request(demo_built, browser):
    page = browser.new_page()
    with serve(demo_built / "site") as base:
        ask(page, base, "最低生活保障")
        count = int(re.search(r"找到 (\d+) 条", page.inner_text("[data-gk-status]")).group(1))
        while page.is_visible("[data-gk-more]"):
            shown = page.locator("[data-gk-results] li").count()
            page.click("[data-gk-more]")
            page.wait_for_function(f"() => document.querySelectorAll('[data-gk-results] li').length > {shown}")
        hrefs = page.locator("[data-gk-results] a").evaluate_all("(a) => a.map(x => x.getAttribute('href'))")
        assert len(hrefs) == len(set(hrefs)) == count
        before = page.evaluate(DONE)
        page.check("[data-gk-bytime]")
        page.wait_for_function(f"() => {DONE} > {before}")
        dates = [re.search(r"发布日期：(\S+)", t).group(1)
                 for t in page.locator("[data-gk-results] .gk-result-facts").all_inner_texts()]
        assert dates == sorted(dates, reverse=True) and len(dates) == min(count, 10)
    page.close()


def test_the_title_tier_needs_the_phrase_wholly_among_the_title_words(browser):
    """gk-search.js foundInTitle, run in Chromium on the places Pagefind reports: a phrase's first match must lie
    wholly among a record's title words (their count is in the result's id); a match that begins in the title and
    ends in the text is not a title match (title 低保低, text 低保标准…, query 低保低保)."""
    source = (ROOT / "theme/overrides/javascripts/gk-search.js").read_text(encoding="utf-8")
    functions = "".join(re.search(r"\n  function %s\(.*?\n  }\n" % name, source, re.S).group(0)
                        for name in ("idPart", "titleWords", "foundInTitle"))
    cases = [("b347c7a4-3.fv5s", [0, 1, 2], True, True), ("b347c7a4-3.fv5s.1", [1, 2, 3], True, False),
             ("b347c7a4-2.fv5s", [0, 1, 2], True, False), ("b347c7a4-0.fv5s", [0], True, False),
             ("b347c7a4-a.fv5s.2", [9], True, True), ("b347c7a4-2.fv5s", [7, 1], False, True),
             ("b347c7a4-2.fv5s", [5, 9], False, False), ("b347c7a4-2.fv5s", [], True, False)]
    page = browser.new_page()
    found = page.evaluate("""([functions, cases]) => {
        const [titleWords, foundInTitle] = new Function(functions + "return [titleWords, foundInTitle];")();
        return cases.map(([id, words, exact]) => foundInTitle({id, words}, exact));
    }""", [functions, [c[:3] for c in cases]])
    page.close()
    assert found == [c[3] for c in cases]


def test_one_character_counts_only_as_the_whole_query(demo_built, browser):
    page = browser.new_page()
    with serve(demo_built / "site") as base:
        ask(page, base, "保")
        assert titles(page), "one character is a query of its own"
        shown = page.locator("[data-gk-results] li").all_inner_texts()
        assert shown and all("保" in t for t in shown), "every record found holds the character"
        ask(page, base, "氪")
        assert titles(page) == [] and "没有找到" in page.inner_text("[data-gk-status]")
        ask(page, base, "低 保")
        assert titles(page) == [] and "没有找到" in page.inner_text("[data-gk-status]")
    page.close()


def test_one_character_finds_every_record_whose_words_it_begins(demo_built, browser):
    """A one-character query is a prefix search over the chunks fetched before it: the demo's chunks are a few
    words each, so the pairs 保 and 公 begin lie in several, and every record holding one of them is found."""
    from generator.search_words import query_prefix
    from tests.files import indexed_text
    bundles = [p.parent for p in (demo_built / "site").glob("pagefind*/pagefind-entry.json")]
    assert len(bundles) == 1, "the demo is one shard: its words are all in one bundle"
    indexed = indexed_text(bundles[0])
    page = browser.new_page()
    with serve(demo_built / "site") as base:
        for character in ("保", "公"):
            prefix = f"x{ord(character):05x}"
            holding = sum(any(query_prefix(w) == prefix for w in words.split()) for words in indexed.values())
            ask(page, base, character)
            status = page.inner_text("[data-gk-status]")
            assert f"找到 {holding} 条" in status, (character, holding, status)
    page.close()


def test_a_hostile_title_and_text_show_as_typed_in_the_results(hostile_built, browser):
    """What a result shows now comes from the stub's JSON (search.shown_json, searchchunks.recut): a title or
    summary holding markup is text in the results, never an element, and nothing runs."""
    import yaml
    site = hostile_built / "site"
    eia = yaml.safe_load((hostile_built / "content/environment/2026/eia-quarry-accepted.md").read_text(
        encoding="utf-8").split("\n---\n")[0].removeprefix("---\n"))
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with serve(site) as base:
        ask(page, base, "采石场")
        assert eia["title"] in titles(page)
        results = page.locator("[data-gk-results]")
        assert results.locator("script, img, [onerror], b, i").count() == 0
        assert "<script>" in results.inner_text() or "&lt;i&gt;" in results.inner_text()
    page.close()
    assert not dialogs


def test_a_character_is_probed_at_every_bound_its_pairs_can_have_and_no_other(browser):
    """gk-search.js probes(), run in Chromium: Pagefind walks its whole chunk list for every probe that names no
    chunk (every one, twice, for a character a shard lacks: 1.3 s for 5,000 chunks), so the probes are exactly
    the lower bounds a chunk of the character's pairs can have (search_words.chunk_start of each pair with an
    element search_words makes: a letter or digit, or a Han character of _HAN), and the character itself."""
    from generator.search_words import _HAN, _pair, chunk_start
    source = (ROOT / "theme/overrides/javascripts/gk-search.js").read_text(encoding="utf-8")
    block = re.search(r"\n  // A prefix search finds words only.*?\n  function probes\(.*?\n  }\n", source, re.S).group(0)
    han = re.compile(_HAN)
    seconds = [chr(c) for c in (*range(0x30, 0x3a), *range(0x61, 0x7b), *range(0x3400, 0x31350))
               if c < 0x80 or han.fullmatch(chr(c))]
    page = browser.new_page()
    for first in ("保", "\U00020000"):
        prefix = f"x{ord(first):05x}"
        probes = page.evaluate("([block, prefix]) => new Function(block + 'return probes;')()(prefix).split(' ')",
                               [block, prefix])
        assert len(probes) == len(set(probes))
        assert set(probes) == {prefix} | {chunk_start(_pair(first, s)) for s in seconds}, first
    page.close()
