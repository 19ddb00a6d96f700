"""The search index recut for readers (searchchunks.py): the same word lists in small chunks, no word a query
cannot ask for, each chunk's lower bound one a one-character query reaches (search_words.chunk_start). The
browser side: the demo build (conftest.demo_built) has chunks of a few words, and test_browser_search.py counts what its searches find."""
import json
import shutil
import subprocess
import sys

import pytest

from generator import pipeline, search, searchchunks
from generator.pagefind_files import BundleFormatError, bundle_meta, encode, encode_head, read, write
from generator.search_words import chunk_start, query_prefix
from tests.conftest import MINI, tree_files


@pytest.fixture(scope="module")
def as_pagefind_wrote_it(tmp_path_factory):
    """The mini content's search stubs indexed by Pagefind, not recut."""
    base = tmp_path_factory.mktemp("chunks")
    checked = pipeline.check(MINI)
    records = [r for r in checked.records if r.is_published]
    search._write_stubs({f"{r.page_path}/index.html": search.stub(r) for r in records}, base / "stubs")
    index(base / "stubs", base / "bundle")
    return base / "bundle"


def index(stubs, bundle):
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(stubs), "--output-path", str(bundle), "--silent"],
                   check=True)


def word_entries(bundle):
    """Every word of the bundle's index -> its entry's bytes, and the chunks as (first, last, [words], raw size)."""
    _, _, _, meta = bundle_meta(bundle)
    words, chunks = {}, []
    for first, last, name in meta[2]:
        data = read(bundle / "index" / f"{name}.pf_index")
        found = searchchunks._entries(data)
        for word, start, end in found:
            assert word not in words
            words[word] = data[start:end]
        chunks.append((first, last, [w.decode("utf-8") for w, _, _ in found], len(data)))
    return words, chunks


@pytest.fixture
def bundle(as_pagefind_wrote_it, tmp_path):
    shutil.copytree(as_pagefind_wrote_it, tmp_path / "bundle")
    return tmp_path / "bundle"


def test_pagefind_indexes_only_words_a_query_can_ask_for_and_each_keeps_its_list(as_pagefind_wrote_it, bundle):
    """What a result shows travels outside what Pagefind reads (search.shown_json): Pagefind indexed every meta
    value as words (half its index), none of which a query asks for (all index words are ASCII)."""
    before, _ = word_entries(as_pagefind_wrote_it)
    assert before and all(w.isascii() for w in before), [w.decode() for w in before if not w.isascii()][:5]
    searchchunks.recut(bundle, 300)
    after, _ = word_entries(bundle)
    assert after == before


def test_words_made_of_meta_values_are_dropped(tmp_path):
    """A page that still gives Pagefind meta values (another tool's stub): their words go, the rest stays."""
    for n, (title, words) in enumerate([("城乡低保标准2025年调整", "x04f4e04fdd x04fdd06807 2025"),
                                        ("临时救助", "x04e3407684 x0767606551 2025")]):
        (tmp_path / "pages" / f"p{n}").mkdir(parents=True)
        (tmp_path / "pages" / f"p{n}" / "index.html").write_text(
            f'<html><body data-pagefind-body><h1 data-pagefind-meta="title">{title}</h1><p>{words}</p></body></html>',
            encoding="utf-8")
    index(tmp_path / "pages", tmp_path / "bundle")
    before, _ = word_entries(tmp_path / "bundle")
    assert any(not w.isascii() for w in before), "Pagefind indexes meta values as words"
    searchchunks.recut(tmp_path / "bundle", 300)
    after, _ = word_entries(tmp_path / "bundle")
    assert after == {w: entry for w, entry in before.items() if w.isascii()}
    assert {b"x04f4e04fdd", b"x04e3407684", b"2025"} <= after.keys()


def test_each_fragment_shows_what_its_stub_holds_and_not_the_indexed_words(as_pagefind_wrote_it, bundle):
    stubs = as_pagefind_wrote_it.parent / "stubs"
    searchchunks.recut(bundle, 300, stubs=stubs)
    records = {f"/{r.page_path}/": r for r in pipeline.check(MINI).records if r.is_published}
    _, _, _, meta = bundle_meta(bundle)
    assert len(meta[1]) == len(records)
    for name, *_ in meta[1]:
        fragment = json.loads(read(bundle / "fragment" / f"{name}.pf_fragment"))
        record = records[fragment["url"]]
        assert fragment["content"] == ""
        assert fragment["meta"]["title"] == record.title
        assert fragment["meta"]["索引号"] == record.index_no
        assert fragment["meta"]["发布日期"] == record.published_on.isoformat()
        assert fragment["meta"]["text"]
        assert fragment["meta"] == json.loads(searchchunks.SHOWN.search(search.stub(record)).group(1))
        assert fragment["filters"]["分类"] == [record.category.title]


def test_a_recut_into_another_folder_writes_what_one_in_place_does_and_leaves_pagefinds_files(
        as_pagefind_wrote_it, bundle, tmp_path):
    """The build recuts the bundle Pagefind made in memory straight into the work folder on disk (no copy of
    ten thousand files after it): the same files, byte for byte, and Pagefind's bundle untouched."""
    stubs = as_pagefind_wrote_it.parent / "stubs"
    before = tree_files(bundle)
    searchchunks.recut(bundle, 300, stubs=stubs, into=tmp_path / "kept" / "bundle")
    assert tree_files(bundle) == before
    searchchunks.recut(bundle, 300, stubs=stubs)
    assert tree_files(tmp_path / "kept" / "bundle") == tree_files(bundle)


def test_a_recut_into_another_folder_that_fails_leaves_no_folder(as_pagefind_wrote_it, bundle, tmp_path, monkeypatch):
    written = []
    usual = searchchunks.write

    def fails_second(folder, prefix, suffix, body):
        written.append(suffix)
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        return usual(folder, prefix, suffix, body)

    monkeypatch.setattr(searchchunks, "write", fails_second)
    with pytest.raises(OSError):
        searchchunks.recut(bundle, 300, stubs=as_pagefind_wrote_it.parent / "stubs", into=tmp_path / "kept")
    assert not (tmp_path / "kept").exists()


def test_a_recut_in_place_that_fails_at_its_last_write_leaves_the_bundle_as_it_was(as_pagefind_wrote_it, bundle,
                                                                                    monkeypatch):
    before = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}

    def full(path, text):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(searchchunks, "write_text", full)
    with pytest.raises(OSError):
        searchchunks.recut(bundle, 300, stubs=as_pagefind_wrote_it.parent / "stubs")
    assert {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()} == before


def test_chunks_are_cut_small_and_bounded_where_a_one_character_query_looks(as_pagefind_wrote_it, bundle):
    """A chunk's lower bound is its first word's chunk_start and no run of one chunk_start is cut: every chunk
    holding words a character begins has a bound gk-search.js fetches for that character (probes)."""
    _, before = word_entries(as_pagefind_wrote_it)
    assert max(size for *_, size in before) > 2000, "Pagefind's own chunks are larger than the limit"
    searchchunks.recut(bundle, 300)
    _, after = word_entries(bundle)
    assert len(after) > 3 * len(before)
    previous = None
    for first, last, words, size in after:
        assert (first, last) == (chunk_start(words[0]), words[-1])
        if size > 300 + 10:     # over the limit only when a run of one chunk_start (or one word) would be cut
            assert len(words) == 1 or chunk_start(words[-1]) == chunk_start(words[-2])
        if previous is not None:
            assert previous < first and chunk_start(previous) != first, (previous, first)
        previous = last
    # What Pagefind's strict lookup (a bound at or below the term, the last word at or above it) fetches for
    # gk-search.js's probes of a character: every chunk holding a word the character begins, and no other.
    probes = lambda prefix: [prefix] + [prefix + f"{i:03x}" for i in range(0x100)] + [prefix + d for d in "123"]
    split = 0
    for prefix in {query_prefix(w) for *_, words, _ in after for w in words if query_prefix(w) != w}:
        holding = {n for n, (*_, words, _) in enumerate(after) if any(query_prefix(w) == prefix for w in words)}
        fetched = {next((n for n, (first, last, *_) in enumerate(after) if first <= term <= last), None)
                   for term in probes(prefix)} - {None}
        assert fetched == holding, prefix
        split += len(holding) > 1
    assert split, "the mini content has a character whose pairs fill more than one chunk"


def test_the_files_replaced_are_removed_and_the_entry_names_the_new_metadata(bundle):
    old = {p.name for p in (bundle / "index").iterdir()}
    _, _, old_meta, _ = bundle_meta(bundle)
    searchchunks.recut(bundle, 300)
    _, _, meta_path, meta = bundle_meta(bundle)
    assert meta_path != old_meta and not old_meta.exists()
    assert {p.name for p in (bundle / "index").iterdir()} == {f"{name}.pf_index" for *_, name in meta[2]}
    assert not old & {p.name for p in (bundle / "index").iterdir()}


def test_fragments_get_short_names_that_change_with_the_index(as_pagefind_wrote_it, bundle, tmp_path):
    """The metadata a first query loads whole lists every page by its fragment's name: short names, each naming
    the fragment Pagefind wrote for the page, and new names for an index written again (no browser takes a
    cached fragment of an earlier index for a page of this one)."""
    _, _, _, before = bundle_meta(as_pagefind_wrote_it)
    searchchunks.recut(bundle, 300)
    _, _, _, after = bundle_meta(bundle)
    assert [p[2:] for p in after[1]] == [p[2:] for p in before[1]], "the pages in their order"
    assert {p[1] for p in after[1]} == {1}, "no word counts: the ranking does not use them (gk-search.js)"
    for old, new in zip(before[1], after[1]):
        assert len(new[0]) < len(old[0]) - 4
        assert (bundle / "fragment" / f"{new[0]}.pf_fragment").read_bytes() == \
            (as_pagefind_wrote_it / "fragment" / f"{old[0]}.pf_fragment").read_bytes()
    assert len(encode(after[1])) < len(encode(before[1])) * 0.75
    # The same pages indexed again with one page changed: none of the names is used again.
    stubs = tmp_path / "stubs"
    shutil.copytree(as_pagefind_wrote_it.parent / "stubs", stubs)
    changed = sorted(stubs.rglob("index.html"))[0]
    changed.write_text(changed.read_text(encoding="utf-8").replace("</p></body>", " x0000100002</p></body>"),
                       encoding="utf-8")
    index(stubs, tmp_path / "again")
    searchchunks.recut(tmp_path / "again", 300)
    names = lambda b: {p.name for p in (b / "fragment").iterdir()}
    assert len(names(tmp_path / "again")) == len(names(bundle))
    assert not names(tmp_path / "again") & names(bundle)


def test_a_chunk_in_a_form_it_does_not_know_leaves_pagefinds_files_as_they_were(bundle):
    _, _, _, meta = bundle_meta(bundle)
    name = meta[2][-1][2]
    # A chunk whose outer list holds a second item: not the form Pagefind 1.5 writes.
    data = read(bundle / "index" / f"{name}.pf_index")
    odd = write(bundle / "index", "odd_", ".pf_index", encode_head(4, 2) + data[1:] + b"\x80")
    (bundle / "index" / f"{odd}.pf_index").replace(bundle / "index" / f"{name}.pf_index")
    before = tree_files(bundle)
    with pytest.raises(BundleFormatError):
        searchchunks.recut(bundle, 300)
    assert tree_files(bundle) == before


def test_a_build_publishes_recut_chunks(built_mini):
    """The build recuts every bundle it indexes: no published chunk holds a word no query can ask for."""
    words, _ = word_entries(built_mini / "site" / "pagefind")
    assert words and all(w.isascii() for w in words)


def test_a_fragments_name_tells_how_many_first_words_are_the_titles(as_pagefind_wrote_it, bundle):
    """gk-search.js ranks a record first when a phrase is first found among its title words: the count in the
    fragment's name must be where Pagefind's own word positions leave title and 主题词."""
    from generator.search_words import index_words, lone_words
    from tests.files import indexed_text
    searchchunks.recut(bundle, 300, stubs=as_pagefind_wrote_it.parent / "stubs")
    records = {f"/{r.page_path}/": r for r in pipeline.check(MINI).records if r.is_published}
    indexed = indexed_text(bundle)
    _, _, _, meta = bundle_meta(bundle)
    for name, *_ in meta[1]:
        url = json.loads(read(bundle / "fragment" / f"{name}.pf_fragment"))["url"]
        record = records[url]
        count = int(name.split("-")[1].split(".")[0], 36)
        named = (record.title, *record.keywords)
        titles = (" ".join(index_words(t) for t in named) + " " + lone_words(" ".join(named))).split()
        assert count == len(titles) > 0
        assert indexed[url].split()[:count] == titles
        assert indexed[url].split()[count:], "the text's words follow"


def test_a_word_cut_out_with_its_page_leaves_no_trace_in_the_chunk_bounds(as_pagefind_wrote_it, bundle):
    """A purge (searchpurge.py: a record withdrawn, or a name taken out of it) drops the words only that page
    had; when such a word was a chunk's first or last, the metadata every reader downloads named it as the
    chunk's bound (a pair word is two characters in hex: a two-character name could be read back)."""
    from generator import searchpurge
    from generator.pagefind_files import decode
    searchchunks.recut(bundle, 300, stubs=as_pagefind_wrote_it.parent / "stubs")
    _, _, _, meta = bundle_meta(bundle)
    bound = None
    for first, last, name in meta[2]:
        chunk, _ = decode(read(bundle / "index" / f"{name}.pf_index"))
        for word, pages, *_ in chunk[0]:
            if word in (first, last) and len(pages) == 1:
                bound = word, pages[0][0]       # one page: its number is the first (and only) difference
                break
        if bound:
            break
    assert bound, "the mini content has a chunk bound that one record alone holds"
    word, page = bound
    searchpurge.purge(bundle, {meta[1][page][0]})
    published = b"".join(read(p) if p.suffix.startswith(".pf_") else p.read_bytes()
                         for p in bundle.rglob("*") if p.is_file())
    assert word.encode() not in published


@pytest.mark.parametrize("where, failure, message", [
    ("_entries", IndexError("a chunk cut short"), "格式无法识别"),
    ("_entries", BundleFormatError("metadata"), "格式无法识别"),
    ("write", OSError(28, "No space left on device"), "磁盘空间")])
def test_a_recut_that_fails_stops_the_build_with_a_chinese_message(as_pagefind_wrote_it, tmp_path, monkeypatch,
                                                                   where, failure, message):
    from generator.environment import BuildEnvironmentError

    def broken(*args, **kwargs):
        raise failure
    monkeypatch.setattr(searchchunks, where, broken)
    with pytest.raises(BuildEnvironmentError) as caught:
        search._pagefind(as_pagefind_wrote_it.parent / "stubs", tmp_path / "out")
        search._recut(as_pagefind_wrote_it.parent / "stubs", tmp_path / "out")
    assert message in caught.value.message + caught.value.detail and "原有网站目录未作改动" in caught.value.message


def test_a_build_whose_search_index_cannot_be_recut_leaves_the_site_as_it_was(run, mini, monkeypatch):
    """Through the command line: one Chinese message, exit code 2, and site/ exactly as the last build left it."""
    from tests.conftest import tree_digest
    from tests.files import never_published
    site, work = mini.parent / "site", mini.parent / "build"
    assert run("build", "--content", mini, "--out", site, "--work", work)[0] == 0
    before = tree_digest(site)
    (mini / "docs/2025/subsidy-notice.md").write_text(
        (mini / "docs/2025/subsidy-notice.md").read_text(encoding="utf-8") + "\n新增一段说明。\n", encoding="utf-8")
    never_published(mini)

    def cut_short(*args, **kwargs):
        raise IndexError("a chunk cut short")
    monkeypatch.setattr(searchchunks, "_entries", cut_short)
    code, out = run("build", "--content", mini, "--out", site, "--work", work)
    assert code == 2 and "搜索索引工具 Pagefind 写出的文件格式无法识别" in out, out   # 2: the tools, not the content
    assert tree_digest(site) == before


def test_a_stub_that_shows_nothing_is_refused_and_nothing_changes(as_pagefind_wrote_it, bundle, tmp_path):
    """Every stub the build writes shows its record; one that does not would give a result with no title."""
    stubs = tmp_path / "stubs"
    shutil.copytree(as_pagefind_wrote_it.parent / "stubs", stubs)
    plain = sorted(stubs.rglob("index.html"))[0]
    plain.write_text(searchchunks.SHOWN.sub("", plain.read_text(encoding="utf-8")), encoding="utf-8")
    before = tree_files(bundle)
    with pytest.raises(BundleFormatError):
        searchchunks.recut(bundle, 300, stubs=stubs)
    assert tree_files(bundle) == before


def test_shown_text_cannot_close_its_script_element():
    """A title or text holding </script> stays data: the stub's one script element ends where it should."""
    import dataclasses
    record = next(r for r in pipeline.check(MINI).records if r.is_published)
    hostile = "</script><img src=x onerror=alert(1)><!--"
    stub = search.stub(dataclasses.replace(record, title=hostile, summary=hostile))
    assert stub.count("</script>") == 1 and "<img" not in stub
    shown = json.loads(searchchunks.SHOWN.search(stub).group(1))
    assert shown["title"] == hostile and hostile in shown["text"]


def test_a_fragments_name_carries_its_date_and_the_metadata_has_no_sort(as_pagefind_wrote_it, bundle, tmp_path):
    """gk-search.js orders results by the name alone (the 发布日期 as a day number): Pagefind's own date sort
    (every page listed again) is not in the metadata. Pages with the same title count and day get a count."""
    import re
    records = {f"/{r.page_path}/": r for r in pipeline.check(MINI).records if r.is_published}
    # Two records of one day with as many title words: the second's stub made like the first's.
    stubs = tmp_path / "stubs"
    shutil.copytree(as_pagefind_wrote_it.parent / "stubs", stubs)
    first, second = sorted(records.values(), key=lambda r: r.page_path)[:2]
    made = stubs / second.page_path / "index.html"
    like = (stubs / first.page_path / "index.html").read_text(encoding="utf-8")
    count = re.search(r'name="gk-title-words" content="(\d+)"', like).group(1)
    text = re.sub(r'(name="gk-title-words" content=")\d+', rf"\g<1>{count}", made.read_text(encoding="utf-8"))
    made.write_text(text.replace(second.published_on.isoformat(), first.published_on.isoformat()), encoding="utf-8")
    records[f"/{second.page_path}/"] = first
    searchchunks.recut(bundle, 300, stubs=stubs)
    _, _, _, meta = bundle_meta(bundle)
    assert meta[4] == []
    names = [name for name, *_ in meta[1]]
    assert len(set(names)) == len(names) == len(records)
    shared = 0
    for name in names:
        record = records[json.loads(read(bundle / "fragment" / f"{name}.pf_fragment"))["url"]]
        _, day, *count = name.split("-")[1].split(".")
        assert int(day, 36) == record.published_on.toordinal()
        shared += bool(count)
    assert shared == 1


def test_the_same_pages_give_the_same_files_whatever_order_pagefind_lists_its_filters_in(as_pagefind_wrote_it,
                                                                                          tmp_path):
    """Pagefind lists the filters, and each filter's values, in its hash maps' order, a new one each run. The
    fragments' names are drawn from the metadata, so every build renamed every fragment and a deploy sent the
    whole index again, with nothing changed."""
    from generator.pagefind_files import decode
    shuffled = tmp_path / "shuffled"
    shutil.copytree(as_pagefind_wrote_it, shuffled)
    entry, language, meta_path, meta = bundle_meta(shuffled)
    # The same bundle as another run writes it: the filters, and the values of each, the other way round.
    filters = []
    for name, chunk in reversed(meta[3]):
        (filter_name, values), _ = decode(read(shuffled / "filter" / f"{chunk}.pf_filter"))
        (shuffled / "filter" / f"{chunk}.pf_filter").unlink()
        filters.append([name, write(shuffled / "filter", f"{language}_", ".pf_filter",
                                    encode([filter_name, values[::-1]]))])
        assert filter_name == name
    assert len(filters) > 1 and any(len(decode(read(shuffled / "filter" / f"{c}.pf_filter"))[0][1]) > 1
                                    for _, c in filters), "the mini content has filters of several values"
    meta_path.unlink()
    entry["languages"][language]["hash"] = write(shuffled, f"pagefind.{language}_", ".pf_meta",
                                                 encode([meta[0], meta[1], meta[2], filters, *meta[4:]])
                                                 ).removeprefix("pagefind.")
    (shuffled / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")

    searchchunks.recut(as_pagefind_wrote_it, 300, into=tmp_path / "one")
    searchchunks.recut(shuffled, 300, into=tmp_path / "other")
    assert tree_files(tmp_path / "one") == tree_files(tmp_path / "other")
    # And a filter still finds its pages: 分类's values with the pages Pagefind gave them.
    _, _, _, recut_meta = bundle_meta(tmp_path / "one")
    assert [name for name, _ in recut_meta[3]] == sorted(name for name, _ in meta[3])
    for (name, chunk), (_, original) in zip(recut_meta[3], sorted(meta[3])):
        got = decode(read(tmp_path / "one" / "filter" / f"{chunk}.pf_filter"))[0]
        want = decode(read(as_pagefind_wrote_it / "filter" / f"{original}.pf_filter"))[0]
        assert got == [want[0], sorted(want[1])]


def test_two_builds_of_the_same_content_write_the_same_files(built_mini, mini, run):
    """Search index included: a deploy after a build that changed nothing copies no search file again (every
    fragment was renamed each build before, Pagefind's filter order being new each run)."""
    assert run("build", "--quiet", "--content", mini, "--out", mini.parent / "site", "--work", mini.parent / "build")[0] == 0

    first, second = tree_files(built_mini / "site"), tree_files(mini.parent / "site")
    assert any(name.startswith("pagefind/fragment/") for name in first)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_bundle_files_are_gzip_as_small_as_level_six_with_the_default_window():
    """pagefind_files.packed fits deflate's window to the data (its set-up was most of a small fragment's cost):
    a window too small for the data would miss its repeats, so data that repeats itself 20 KB apart must pack as
    small as gzip's own level 6 does; a fragment-sized text too, and every file unpacks to what went in."""
    import gzip
    import random
    from generator.pagefind_files import packed
    rng = random.Random(5)
    block = bytes(rng.randrange(256) for _ in range(20_000))
    fragment = json.dumps({"url": "/a/b/", "meta": {"title": "城乡低保标准调整", "text": "最低生活保障" * 90}},
                          ensure_ascii=False).encode("utf-8")
    for data in (block * 3, fragment, b"x", b""):
        assert gzip.decompress(packed(data)) == data
        assert len(packed(data)) <= len(gzip.compress(data, compresslevel=6, mtime=0))
    assert packed(fragment) == packed(fragment)
