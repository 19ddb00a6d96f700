"""Search index upkeep: a few changed records go to a delta index, their old entries are hidden; many changes
re-index the shard. The browser side is in test_browser.py (test_changed_record_is_found_once_...)."""
import gzip
import json
import shutil

import pytest

from generator import pipeline, search
from generator.pagefind_files import bundle_meta
from tests.files import never_published
from tests.conftest import MINI


@pytest.fixture
def content(tmp_path):
    shutil.copytree(MINI, tmp_path / "content")
    return tmp_path / "content"


def fragment_urls(bundle):
    return sorted(json.loads(gzip.decompress(p.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
                  for p in (bundle / "fragment").glob("*.pf_fragment"))


def overlay(site):
    return json.loads((site / "pagefind" / search.OVERLAY).read_text(encoding="utf-8"))


def search_text(site):
    """Everything the published search files hold, decompressed (fragments and index chunks)."""
    text = []
    for path in site.glob("pagefind*/**/*"):
        if path.is_file():
            data = path.read_bytes()
            try:
                data = gzip.decompress(data)
            except OSError:
                pass
            text.append(data.decode("utf-8", "ignore").replace("\u200b", ""))
    return "\n".join(text)


def test_added_text_goes_to_a_delta_and_the_old_entry_is_hidden(content, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "DELTA_SHARE", 0.9)
    site, work = tmp_path / "site", tmp_path / "work"
    pipeline.build(content, site, work)
    assert overlay(site) == {"delta": None, "hidden": {}}
    main = fragment_urls(site / "pagefind")
    ids = {json.loads(gzip.decompress(p.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]: p.name.removesuffix(".pf_fragment")
           for p in (site / "pagefind/fragment").glob("*.pf_fragment")}

    guide = content / "help/2025/temporary-assistance-guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n新增的先行救助流程。\n", encoding="utf-8")
    never_published(content)
    pipeline.build(content, site, work)
    assert fragment_urls(site / "pagefind") == main, "the main index is kept as it was"
    assert fragment_urls(site / search.DELTA_DIR) == ["/help/2025/temporary-assistance-guide/"]
    hidden = overlay(site)["hidden"]
    assert list(hidden) == [ids["/help/2025/temporary-assistance-guide/"]]
    assert hidden[ids["/help/2025/temporary-assistance-guide/"]]["分类"] == ["办事服务"]

    # Back to the indexed text: nothing is newer than the index any more.
    guide.write_text((MINI / "help/2025/temporary-assistance-guide.md").read_text(encoding="utf-8"), encoding="utf-8")
    never_published(content)
    pipeline.build(content, site, work)
    assert not (site / search.DELTA_DIR).exists() and overlay(site) == {"delta": None, "hidden": {}}


def test_text_taken_out_leaves_every_published_file(content, tmp_path, monkeypatch):
    """An old entry may not stay behind holding text the editor removed (a name, an ID number)."""
    monkeypatch.setattr(search, "DELTA_SHARE", 0.9)
    site, work = tmp_path / "site", tmp_path / "work"
    guide = content / "help/2025/temporary-assistance-guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n联系人误写为甲乙丙丁戊。\n", encoding="utf-8")
    pipeline.build(content, site, work)
    assert "甲乙丙丁戊" in search_text(site)
    main = fragment_urls(site / "pagefind")
    guide.write_text(guide.read_text(encoding="utf-8").replace("联系人误写为甲乙丙丁戊。", "联系人见附件。"), encoding="utf-8")
    never_published(content)
    pipeline.build(content, site, work)
    published = search_text(site)
    assert not any(ch in published for ch in "甲乙丙丁戊"), "no word of the removed text is left in any file"
    # Cut out of the main index (not indexed again), the new text in the delta, nothing left to hide.
    assert fragment_urls(site / "pagefind") == [u for u in main if u != "/help/2025/temporary-assistance-guide/"]
    assert fragment_urls(site / search.DELTA_DIR) == ["/help/2025/temporary-assistance-guide/"]
    assert "联系人见附件" in search_text(site)
    assert overlay(site) == {"delta": search.DELTA_DIR, "hidden": {}}


def test_a_record_leaving_the_site_leaves_the_search_files(content, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "DELTA_SHARE", 0.9)
    site, work = tmp_path / "site", tmp_path / "work"
    pipeline.build(content, site, work)
    note = content / "notes/2025/subsidy-notice-explained.md"
    assert "政策解读" in search_text(site)
    note.write_text(note.read_text(encoding="utf-8").replace("---\n", "---\naudience: internal\n", 1), encoding="utf-8")
    never_published(content)
    built = pipeline.build(content, site, work)
    assert built.checked.ok, built.checked.problems.errors
    assert "subsidy-notice-explained" not in search_text(site)
    assert overlay(site)["hidden"] == {}


def test_many_changes_index_the_shard_again(content, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "DELTA_SHARE", 0.05)
    site, work = tmp_path / "site", tmp_path / "work"
    pipeline.build(content, site, work)
    guide = content / "help/2025/temporary-assistance-guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n新增的先行救助流程。\n", encoding="utf-8")
    never_published(content)
    pipeline.build(content, site, work)
    assert overlay(site) == {"delta": None, "hidden": {}}
    assert not (site / search.DELTA_DIR).exists()
    assert "先行救助流程" in search_text(site)


def test_the_shard_count_holds_at_the_boundary():
    """A site of exactly SHARD_SIZE records that gains one keeps one shard (every record would otherwise move
    and be indexed again), and one that has two shards keeps them when it drops below."""
    size = search.SHARD_SIZE
    assert search.shard_count(size, None) == 1 and search.shard_count(size + 1, None) == 2
    assert search.shard_count(size + 1, 1) == 1
    assert search.shard_count(size - 1, 2) == 2
    assert search.shard_count(2 * size, 1) == 2, "beyond a quarter over, the shards split"
    assert search.shard_count(size // 2, 2) == 1, "far below, they merge"


def test_a_record_added_at_the_boundary_does_not_reindex(content, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "DELTA_SHARE", 0.9)
    records = len(pipeline.check(content).records)
    monkeypatch.setattr(search, "SHARD_SIZE", records)
    site, work = tmp_path / "site", tmp_path / "work"
    pipeline.build(content, site, work)
    main = sorted(p.name for p in (site / "pagefind/fragment").iterdir())
    guide = content / "help/2025/temporary-assistance-guide.md"
    (content / "help/2025/one-more-guide.md").write_text(
        guide.read_text(encoding="utf-8").replace("2025-00001", "2025-00041").replace("title: ", "title: 另一份", 1),
        encoding="utf-8")
    pipeline.build(content, site, work)
    assert not (site / "pagefind-1").exists()
    assert sorted(p.name for p in (site / "pagefind/fragment").iterdir()) == main, "the main index was kept"
    assert fragment_urls(site / search.DELTA_DIR) == ["/help/2025/one-more-guide/"]


def test_a_rebuild_writes_index_words_only_for_changed_records(content, tmp_path, monkeypatch):
    """Writing index words is most of the stage's Python time (a second per thousand records): a record whose
    inputs are those of the stub its shard holds is not written again. Before: every record, every build."""
    monkeypatch.setattr(search, "DELTA_SHARE", 0.9)
    written = tmp_path / "written.txt"
    real = search.stub

    def counting(record):
        with open(written, "a", encoding="utf-8") as f:      # the stage runs in a forked process
            f.write(record.page_path + "\n")
        return real(record)

    monkeypatch.setattr(search, "stub", counting)
    site, work = tmp_path / "site", tmp_path / "work"
    built = pipeline.build(content, site, work)
    assert sorted(written.read_text(encoding="utf-8").split()) == sorted(r.page_path for r in built.catalogue.records)
    written.unlink()
    pipeline.build(content, site, work)
    assert not written.exists(), "nothing changed: no stub written"

    guide = content / "help/2025/temporary-assistance-guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n新增的先行救助流程。\n", encoding="utf-8")
    never_published(content)
    pipeline.build(content, site, work)
    assert written.read_text(encoding="utf-8").split() == ["help/2025/temporary-assistance-guide"]
    assert fragment_urls(site / search.DELTA_DIR) == ["/help/2025/temporary-assistance-guide/"]
    # A category's title is read by its records' stubs (a filter value): renaming it writes them again.
    written.unlink()
    category = content / "help/_category.yml"
    category.write_text(category.read_text(encoding="utf-8").replace("title: 办事服务", "title: 办事服务指南", 1),
                        encoding="utf-8")
    never_published(content)
    again = pipeline.build(content, site, work)
    assert again.checked.ok, again.checked.problems.errors[:3]
    assert "help/2025/temporary-assistance-guide" in written.read_text(encoding="utf-8").split()


def test_a_state_without_keys_learns_them(content, tmp_path, monkeypatch):
    """An index made before stubs were keyed (or whose keys were lost) is kept, and the next build records the
    keys of the stubs it holds, so the build after writes no stub."""
    site, work = tmp_path / "site", tmp_path / "work"
    pipeline.build(content, site, work)
    state_file = work / "search" / "pagefind" / "state.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    assert state["keys"] and state["keys"].keys() == state["stubs"].keys()
    state_file.write_text(json.dumps({"stubs": state["stubs"], "code": state["code"]}), encoding="utf-8")
    pipeline.build(content, site, work)
    assert json.loads(state_file.read_text(encoding="utf-8")) == state


def test_a_shard_indexed_by_other_code_is_indexed_again(content, tmp_path, monkeypatch):
    """The stubs alone do not tell whose recut (searchchunks.py) wrote a shard's files: a state.json of other
    code (or of none: written before the code was kept) means the shard is indexed again, not kept."""
    site, work = tmp_path / "site", tmp_path / "work"
    pipeline.build(content, site, work)
    state_file = work / "search" / "pagefind" / "state.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    log = tmp_path / "indexed-whole"       # the search stage runs in a forked process: it tells through a file
    usual = search._index_whole

    def whole(place, *rest):
        with log.open("a") as f:
            f.write(place.name + "\n")
        return usual(place, *rest)
    monkeypatch.setattr(search, "_index_whole", whole)
    pipeline.build(content, site, work)
    assert not log.exists()
    for other in ({**state, "code": "0" * 64}, {"stubs": state["stubs"], "keys": state["keys"]}):
        state_file.write_text(json.dumps(other), encoding="utf-8")
        pipeline.build(content, site, work)
        assert log.read_text().split() == ["pagefind"] and json.loads(state_file.read_text(encoding="utf-8")) == state
        log.unlink()


def test_a_purge_in_two_processes_writes_what_one_writes(tmp_path, monkeypatch):
    """Half of the chunks read in a forked process: the same files, the same names, chunks in their order."""
    import random
    import subprocess
    import sys
    from generator import searchpurge
    pages = tmp_path / "pages"
    rng = random.Random(3)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8)) for _ in range(6000)]
    for n in range(200):
        (pages / f"p{n}").mkdir(parents=True)
        (pages / f"p{n}" / "index.html").write_text(
            f"<html><body data-pagefind-body><p>{' '.join(rng.sample(words, 300))}</p></body></html>")
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(pages), "--output-path", str(tmp_path / "one"),
                    "--silent"], check=True)
    one, two = tmp_path / "one", tmp_path / "two"
    assert len(list((one / "index").iterdir())) >= 4, "several chunks to split"
    shutil.copytree(one, two)
    fragments = sorted(searchpurge.fragment_urls(one).values())
    gone = set(fragments[:3])
    before = {p.relative_to(one).as_posix(): p.read_bytes() for p in one.rglob("*") if p.is_file()}
    monkeypatch.setattr(searchpurge, "PURGE_IN_TWO", 10 ** 9)
    searchpurge.purge(one, gone)
    monkeypatch.setattr(searchpurge, "PURGE_IN_TWO", 2)
    searchpurge.purge(two, gone)
    # The map of chunk pages names each chunk file by its inode and time: the same rows, each for its own files.
    from generator import chunkpages
    files = lambda root: {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
                          if p.is_file() and p.name != chunkpages.MAP_FILE}
    assert files(one) == files(two)
    assert files(one) != before, "something was cut out"
    pages = len(bundle_meta(one)[3][1])
    assert chunkpages.read_map(one, pages) == chunkpages.read_map(two, pages) != {}


def _random_bundle(tmp_path, pages_count, seed):
    """A recut Pagefind bundle of random words: one word on the first page and the 501st (differences of one, two
    and three bytes), one 30 times on a page and one 300 times on another (longer location lists)."""
    import random
    import subprocess
    import sys
    pages = tmp_path / "pages"
    rng = random.Random(seed)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8)) for _ in range(3000)]
    for n in range(pages_count):
        (pages / f"p{n:03}").mkdir(parents=True)
        extra = (" zzrare" if n in (0, 500) else "") + (" zzmany" * 30 if n == 3 else "") + \
            (" zzmany" * 300 if n == 4 else "")
        (pages / f"p{n:03}" / "index.html").write_text(
            f"<html><body data-pagefind-body><p>{' '.join(rng.sample(words, 60))}{extra}</p></body></html>")
    bundle = tmp_path / "bundle"
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(pages), "--output-path", str(bundle),
                    "--silent"], check=True)
    from generator import searchchunks
    searchchunks.recut(bundle, 2000)
    return bundle


def test_the_pages_noted_for_each_chunk_are_the_pages_its_words_hold(tmp_path):
    """The first purge, reading every chunk, notes which pages each holds (chunkpages.py): exactly the pages of
    its words' lists as a full CBOR reading finds them, for every chunk."""
    from generator import chunkpages
    from generator.pagefind_files import bundle_meta, decode, read
    from generator import searchpurge
    bundle = _random_bundle(tmp_path, 520, 5)
    assert not (bundle / chunkpages.MAP_FILE).exists(), "a full build notes nothing: the first purge does"
    searchpurge.purge(bundle, {searchpurge.fragment_urls(bundle)["/p011/"]})
    _, _, _, meta = bundle_meta(bundle)
    rows = chunkpages.read_map(bundle, len(meta[1]))
    assert len(meta[2]) > 20 and set(rows) == {name for _, _, name in meta[2]}
    for _, _, name in meta[2]:
        (words,), _ = decode(read(bundle / "index" / f"{name}.pf_index"))
        held = set()
        for _, entries, *_ in words:
            page = 0
            for difference, *_ in entries:
                page += difference
                held.add(page)
        assert {n for n, flag in enumerate(rows[name]) if flag} == held, name


def _word_entry(pages: list) -> bytes:
    from generator.pagefind_files import encode
    return encode(["ab", pages, []])


def _true_pages(pages) -> list[int] | None:
    """The pages of a word's page list when every entry is [integer >= 0, [integers], [integers]], else None."""
    if not all(isinstance(e, list) and len(e) == 3 and type(e[0]) is int and e[0] >= 0 and
               all(isinstance(v, list) and all(type(n) is int for n in v) for v in e[1:]) for e in pages):
        return None
    total, found = 0, []
    for difference, *_ in pages:
        total += difference
        found.append(total)
    return found


@pytest.mark.parametrize("raw, expected", [
    (_word_entry([[3, [1], []], [2, [5, 6], []]]), [3, 5]),
    (_word_entry([[1, list(range(-5, 30)), []], [300, [], list(range(300))]]), [1, 301]),     # long arrays
    (_word_entry([[70000, [1], []], [1, [2], []]]), [70000, 70001]),                            # four bytes
    (_word_entry([[3, [1], []]])[:-1] + b"\x80", [3]),
    (b"\x83\x62ab\x83" + _word_entry([[3, [1], []], [2, [5], []]])[4:], None),               # three said, two
    (_word_entry([[3, [1], []]])[:5] + b"\x00" + _word_entry([[3, [1], []]])[5:], None),        # a gap
    (b"\x83\x62ab\x81\x83\x01\x9a\x00\x00\x00\x01\x01\x80\x80", None),                        # 0x9a head
    (_word_entry([[1, [1], [], 5]]), None),                                                     # four fields
    (_word_entry([[-1, [1], []]]), None),                                                       # negative
    (_word_entry([[1000, [], 0], [1, [65536, [], []], 2 ** 33, -300]]), None),                  # not pages
])
def test_the_pages_of_a_word_entry_are_read_exactly_or_not_at_all(raw, expected):
    from generator import chunkpages
    assert chunkpages.entry_pages(raw) == expected


def test_the_pages_of_random_word_entries_are_read_exactly_or_not_at_all():
    """Lists of page entries of every shape, well formed or not: entry_pages gives their true pages or says
    it cannot (a list read wrong could leave a page out of its chunk's row, and a purge would pass it by)."""
    import random
    from generator import chunkpages
    rng = random.Random(11)

    def item(depth):
        roll = rng.random()
        if depth > 2 or roll < 0.6:
            return rng.choice([0, 1, 23, 24, 255, 256, 65535, 65536, 2 ** 32, 2 ** 33, -1, -24, -25, -300])
        return [item(depth + 1) for _ in range(rng.choice([0, 1, 2, 3, 24, 30]))]

    def entry():
        if rng.random() < 0.7:
            return [rng.choice([0, 1, 5, 300, 70000]), [item(3) for _ in range(rng.choice([0, 1, 2, 25]))],
                    [item(3) for _ in range(rng.choice([0, 0, 1, 24]))]]
        return item(1)

    read = 0
    for _ in range(20000):
        pages = [entry() for _ in range(rng.choice([1, 2, 3, 5]))]
        found = chunkpages.entry_pages(_word_entry(pages))
        assert found is None or found == _true_pages(pages), pages
        read += found is not None
    assert read > 2000, "well formed lists are read"


def test_a_purge_reads_only_the_chunks_of_the_pages_it_cuts_out_and_writes_what_reading_all_writes(
        tmp_path, monkeypatch):
    """The first purge reads every chunk and notes its pages; the next read only the chunks the map names for
    their pages. Each writes the files a purge reading every chunk writes. A chunk touched since it was noted
    is read whatever its row says."""
    import os
    from generator import chunkpages, searchpurge
    one, two = _random_bundle(tmp_path, 520, 7), tmp_path / "two"
    shutil.copytree(one, two)
    monkeypatch.setattr(searchpurge, "PURGE_IN_TWO", 10 ** 9)
    edited = []
    real = searchpurge._edit_chunks
    monkeypatch.setattr(searchpurge, "_edit_chunks", lambda b, lang, todo, gone, count: (
        edited.append((b.name, len(todo), sum(row is None for _, row in todo))) or real(b, lang, todo, gone, count)))
    files = lambda root: {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
                          if p.is_file() and p.name != chunkpages.MAP_FILE}
    chunks = len(list((one / "index").iterdir()))
    for urls in (["/p011/"], ["/p007/"], ["/p500/"]):
        ids = searchpurge.fragment_urls(one)
        _, _, _, meta = bundle_meta(one)
        page = next(n for n, p in enumerate(meta[1]) if p[0] == ids[urls[0]])
        if urls[0] == "/p500/":
            # A row that says the chunk lacks the page, then the chunk touched: the row no longer counts, and
            # the chunk is read (were the row believed, the page would stay in it).
            holder = next(name for _, _, name in meta[2] if page in _chunk_pages(one, name))
            rows = chunkpages.read_map(one, len(meta[1]))
            rows[holder] = chunkpages.without(rows[holder], {page})
            chunkpages.write_map(one, len(meta[1]), rows)
            touched = one / "index" / f"{holder}.pf_index"
            os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 1))
        (two / chunkpages.MAP_FILE).unlink(missing_ok=True)      # two reads every chunk, each time
        edited.clear()
        searchpurge.purge(one, {ids[u] for u in urls})
        searchpurge.purge(two, {ids[u] for u in urls})
        assert files(one) == files(two), urls
        (_, mine, unknown), (_, every, _) = edited
        assert every == chunks, (every, chunks)
        if urls[0] == "/p011/":         # the first purge: no map yet, every chunk read and noted
            assert mine == unknown == chunks
        else:
            assert 0 < mine < chunks / 2 and unknown == (1 if urls[0] == "/p500/" else 0), (mine, unknown)
        _, _, _, meta = bundle_meta(one)
        assert not [name for _, _, name in meta[2] if page in _chunk_pages(one, name)]
        chunks = len(list((one / "index").iterdir()))


def _chunk_pages(bundle, name) -> set[int]:
    """The pages of an index chunk, by a full decoding."""
    from generator.pagefind_files import decode, read
    (words,), _ = decode(read(bundle / "index" / f"{name}.pf_index"))
    return {page for _, entries, *_ in words for page in _true_pages(entries)}


def test_the_published_search_index_holds_no_map_of_chunk_pages(content, tmp_path, monkeypatch):
    """The map a purge leaves in the bundle is the build's, not the readers'."""
    from generator import chunkpages
    monkeypatch.setattr(search, "DELTA_SHARE", 0.9)      # a purge, not the small shard indexed again
    site, work = tmp_path / "site", tmp_path / "work"
    assert pipeline.build(content, site, work).checked.ok
    guide = content / "help/2025/temporary-assistance-guide.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("因火灾、交通事故等意外事件，", ""), encoding="utf-8")
    never_published(content)
    assert pipeline.build(content, site, work).checked.ok
    assert list(work.rglob(chunkpages.MAP_FILE)) and not list(site.rglob(chunkpages.MAP_FILE))


def test_a_rebuild_reads_the_stubs_only_of_shards_with_a_changed_record(content, tmp_path, monkeypatch):
    """What a shard's index holds is read only to judge a changed or removed record's old entry: the shards
    without one are taken as they are (their stubs took a quarter of a second each to read at 5,000 records)."""
    monkeypatch.setattr(search, "DELTA_SHARE", 0.9)
    records = len(pipeline.check(content).records)
    monkeypatch.setattr(search, "SHARD_SIZE", records // 2)
    site, work = tmp_path / "site", tmp_path / "work"
    pipeline.build(content, site, work)
    assert (site / "pagefind-1").is_dir()
    reads = tmp_path / "reads"
    real = search._read_indexed
    # The index is written beside the pages, in another process: the calls are counted in a file.
    monkeypatch.setattr(search, "_read_indexed", lambda path: reads.open("a").write(f"{path.parent.name}\n") and real(path))
    guide = content / "help/2025/temporary-assistance-guide.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("因火灾、交通事故等意外事件，", ""), encoding="utf-8")
    never_published(content)
    pipeline.build(content, site, work)
    assert len(reads.read_text().split()) == 1, reads.read_text()
    assert "因火灾、交通事故等意外事件" not in search_text(site), "the removed words are gone from the index"


def test_a_rebuild_keys_again_only_the_records_whose_file_or_world_changed(content, tmp_path, monkeypatch):
    """A record's stub key reads its whole text: a rebuild takes the last key of every record made of its file
    alone whose file and world (the check's worlddigest) are unchanged. Records with tables or attachments (other
    files) are keyed each time, and any change to site.yml keys every record again."""
    site, work = tmp_path / "site", tmp_path / "work"
    assert pipeline.build(content, site, work).checked.ok
    keyed = tmp_path / "keyed"
    real = search.stub_key
    # The index is written beside the pages, in another process: the calls are noted in a file.
    monkeypatch.setattr(search, "stub_key", lambda r: keyed.open("a").write(r.page_path + "\n") and real(r))
    guide = content / "help/2025/temporary-assistance-guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n补充说明一段。\n", encoding="utf-8")
    never_published(content)
    records = pipeline.build(content, site, work).catalogue.records
    others = {r.page_path for r in records if r.datasets or r.attachments}
    assert len(records) > len(others) + 3, "the mini content has records made of their file alone"
    assert set(keyed.read_text().split()) == others | {"help/2025/temporary-assistance-guide"}
    keyed.unlink()
    settings = content / "site.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "# 任何改动\n", encoding="utf-8")
    assert pipeline.build(content, site, work).checked.ok
    assert sorted(keyed.read_text().split()) == sorted(r.page_path for r in records)


def test_the_next_shards_stubs_are_written_while_pagefind_indexes_this_one(content, tmp_path, monkeypatch):
    """A first build of two shards: the second shard's stubs are written in a thread while Pagefind indexes the
    first (the search process is otherwise idle then), and the index is the one a build without it writes."""
    records = len(pipeline.check(content).records)
    monkeypatch.setattr(search, "SHARD_SIZE", records // 2)
    written = tmp_path / "written"
    real = search.stub
    # The index is written beside the pages, in another process: the threads are noted in a file.
    monkeypatch.setattr(search, "stub", lambda record: written.open("a").write(
        f"{__import__('threading').current_thread() is __import__('threading').main_thread()}\n") and real(record))
    pipeline.build(content, tmp_path / "site", tmp_path / "work")
    threads = written.read_text().split()
    assert "False" in threads and "True" in threads, threads
    assert len(threads) == len(fragment_urls(tmp_path / "site/pagefind") + fragment_urls(tmp_path / "site/pagefind-1"))
    monkeypatch.setattr(search, "stub", real)
    monkeypatch.setattr(search, "_write_ahead", lambda inputs: None)
    never_published(content)
    pipeline.build(content, tmp_path / "plain", tmp_path / "work-plain")
    assert sorted(fragment_urls(tmp_path / "site/pagefind") + fragment_urls(tmp_path / "site/pagefind-1")) == \
        sorted(fragment_urls(tmp_path / "plain/pagefind") + fragment_urls(tmp_path / "plain/pagefind-1"))


def test_a_first_build_writes_a_shards_stubs_before_it_makes_the_next_shards(content, tmp_path, monkeypatch):
    """A shard with no index yet: its stubs are made as they are written for Pagefind (once each), and the next
    shard's are made only then, while Pagefind runs; they took turns with the interpreter, which started
    Pagefind 2.8 s later at 10,000 records."""
    import time
    from generator.catalogue import build_catalogue
    checked = pipeline.check(content)
    catalogue = build_catalogue(checked.records, checked.settings, checked.categories)
    monkeypatch.setattr(search, "SHARD_SIZE", max(1, len(catalogue.records) // 2))
    shard_of = {f"{r.page_path}/index.html": n for n, shard in enumerate(search.plan(catalogue))
                for r in shard.records}
    events = []
    real_stub, real_write = search.stub, search._write_stubs

    def stub(record):
        events.append(("made", shard_of[f"{record.page_path}/index.html"]))
        return real_stub(record)

    def write_stubs(pages, folder):
        time.sleep(0.3)         # long enough for a thread started before it to make stubs meanwhile
        real_write(pages, folder)
        events.append(("written", shard_of[next(iter(pages))]))
    monkeypatch.setattr(search, "stub", stub)
    monkeypatch.setattr(search, "_write_stubs", write_stubs)
    (tmp_path / "site").mkdir()
    assert search.write_search_index(catalogue, tmp_path / "site", tmp_path / "work") == ["pagefind", "pagefind-1"]
    made = [shard for kind, shard in events if kind == "made"]
    assert sorted(made) == sorted(shard_of.values())        # each stub made once
    assert events.index(("written", 0)) < events.index(("made", 1)), events
    # The state names the stubs written: a second run finds both shards current and makes no stub.
    events.clear()
    search.write_search_index(catalogue, tmp_path / "site", tmp_path / "work")
    assert events == []


def test_a_shards_stubs_are_let_go_once_it_is_indexed(content, tmp_path, monkeypatch):
    """The stubs of a shard are kept while it is indexed and finished (beside the next shard's Pagefind), not
    after: a hundred thousand records' stubs held 0.4 GB beside Pagefind at the end of the search stage."""
    import gc
    import weakref
    from generator.catalogue import build_catalogue
    checked = pipeline.check(content)
    catalogue = build_catalogue(checked.records, checked.settings, checked.categories)
    monkeypatch.setattr(search, "SHARD_SIZE", max(1, len(catalogue.records) // 3))
    made, alive_when_indexed = [], []
    real_stubs, real_index = search._Stubs, search._index_whole

    class Tracked(real_stubs):
        def __init__(self, records):
            super().__init__(records)
            made.append(weakref.ref(self))

    def index_whole(place, pages, digests, keys, *rest):
        gc.collect()
        earlier = made[:len(alive_when_indexed)]       # the shards indexed before this one
        alive_when_indexed.append(sum(ref() is not None for ref in earlier))
        return real_index(place, pages, digests, keys, *rest)
    monkeypatch.setattr(search, "_Stubs", Tracked)
    monkeypatch.setattr(search, "_index_whole", index_whole)
    (tmp_path / "site").mkdir()
    directories = search.write_search_index(catalogue, tmp_path / "site", tmp_path / "work")
    assert len(directories) >= 3
    # Only the shard before, still being finished while this one's Pagefind runs (search._Bundle).
    assert alive_when_indexed == [0] + [1] * (len(directories) - 1), alive_when_indexed


def test_pagefind_starts_after_the_search_process_gave_back_its_free_pages(content, tmp_path, monkeypatch):
    """Pagefind is the largest process of a build; each shard's run starts after the pages the last shard's
    stubs and recut freed went back to the system (beside.give_back_free_memory)."""
    import subprocess
    from generator.catalogue import build_catalogue
    checked = pipeline.check(content)
    catalogue = build_catalogue(checked.records, checked.settings, checked.categories)
    monkeypatch.setattr(search, "SHARD_SIZE", max(1, len(catalogue.records) // 3))
    events = []
    monkeypatch.setattr(search, "give_back_free_memory", lambda: events.append("given back"))
    real_run = subprocess.run

    def run(cmd, *args, **kwargs):
        if any("pagefind" in str(part) for part in cmd):
            events.append("pagefind")
        return real_run(cmd, *args, **kwargs)
    monkeypatch.setattr(subprocess, "run", run)
    (tmp_path / "site").mkdir()
    directories = search.write_search_index(catalogue, tmp_path / "site", tmp_path / "work")
    assert len(directories) >= 3
    assert events == ["given back", "pagefind"] * len(directories), events


def test_a_shard_is_recut_while_the_next_shards_pagefind_runs(content, tmp_path, monkeypatch):
    """A first build's shards: each shard's recut and copy (Python) run while the next shard's Pagefind indexes,
    not before it starts, so the other core is not left waiting for them (search._Bundle); and one Pagefind runs
    at a time (each needs hundreds of megabytes on a large site)."""
    import threading
    import time
    from generator.catalogue import build_catalogue
    checked = pipeline.check(content)
    catalogue = build_catalogue(checked.records, checked.settings, checked.categories)
    monkeypatch.setattr(search, "SHARD_SIZE", max(1, len(catalogue.records) // 3))
    count = len(search.plan(catalogue))
    started, begun = [], [threading.Event() for _ in range(count)]
    running, most = [], []
    real_pagefind, real_recut = search._pagefind, search._recut

    def pagefind(stubs, output):
        started.append(output)
        running.append(output)
        most.append(len(running))
        begun[len(started) - 1].set()
        time.sleep(0.3)         # long enough for a second Pagefind to start beside it, if one did
        real_pagefind(stubs, output)
        running.remove(output)

    def recut(stubs, output, into=None):
        # From the stubs in memory: their files went as soon as Pagefind was done with them.
        assert not (output.parent / "stubs").exists()
        n = started.index(output)
        if n + 1 < count:
            assert begun[n + 1].wait(30), f"shard {n} was recut before the next shard's Pagefind started"
        real_recut(stubs, output, into)
    monkeypatch.setattr(search, "_pagefind", pagefind)
    monkeypatch.setattr(search, "_recut", recut)
    (tmp_path / "site").mkdir()
    directories = search.write_search_index(catalogue, tmp_path / "site", tmp_path / "work")
    assert len(directories) == count >= 3 and len(started) == count
    assert max(most) == 1, most
    for directory in directories:
        assert (tmp_path / "site" / directory / "pagefind-entry.json").is_file()


def test_a_shard_made_again_on_disk_waits_for_the_next_shards_pagefind(content, tmp_path, monkeypatch):
    """Pagefind fails for the first shard in memory: that shard is made again on disk (search._Bundle), and only
    once the next shard's Pagefind, running by then, is done; still one Pagefind at a time."""
    import time
    from generator import scratch
    from generator.catalogue import build_catalogue
    from generator.environment import BuildEnvironmentError
    (tmp_path / "memory").mkdir()
    monkeypatch.setattr(scratch, "MEMORY", tmp_path / "memory")      # "memory" with room, on this disk
    checked = pipeline.check(content)
    catalogue = build_catalogue(checked.records, checked.settings, checked.categories)
    monkeypatch.setattr(search, "SHARD_SIZE", max(1, len(catalogue.records) // 3))
    count = len(search.plan(catalogue))
    running, most, calls = [], [], []
    real_pagefind = search._pagefind

    def pagefind(stubs, output):
        calls.append(scratch.in_memory(output.parent))
        running.append(output)
        most.append(len(running))
        try:
            time.sleep(0.3)
            if len(calls) == 1:
                raise BuildEnvironmentError("生成搜索索引失败", "in memory, once")
            real_pagefind(stubs, output)
        finally:
            running.remove(output)
    monkeypatch.setattr(search, "_pagefind", pagefind)
    (tmp_path / "site").mkdir()
    directories = search.write_search_index(catalogue, tmp_path / "site", tmp_path / "work")
    assert len(directories) == count >= 3
    assert calls[0] and calls.count(False) == 1 and len(calls) == count + 1, calls     # one shard again, on disk
    assert max(most) == 1, most
    for directory in directories:
        assert (tmp_path / "site" / directory / "pagefind-entry.json").is_file()
    assert not list((tmp_path / "memory").iterdir())
