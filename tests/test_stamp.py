"""Record pages stamped into the engine's probe page (generator/stamp.py) are the pages the engine would draw.

Each fixture is built twice, once stamping and once with every page drawn by MkDocs, and every published file
but the search index (Pagefind's own output is not byte-stable between runs) must be the same bytes."""
import json
import shutil

import pytest

from generator import pipeline, shards, stamp
from tests.conftest import MINI
from tests.files import never_published
from tests.test_shards import site_files


def engine_only(monkeypatch):
    monkeypatch.setattr(stamp, "stampable", lambda pages: [])


def both_ways(content, tmp_path, monkeypatch):
    stamped = pipeline.build(content, tmp_path / "stamped", tmp_path / "work-stamped")
    with monkeypatch.context() as m:
        engine_only(m)
        drawn = pipeline.build(content, tmp_path / "drawn", tmp_path / "work-drawn")
    assert drawn.shards["stamped"] == 0
    return stamped, site_files(tmp_path / "stamped"), site_files(tmp_path / "drawn")


def assert_same(stamped_files, drawn_files):
    assert stamped_files.keys() == drawn_files.keys()
    different = [name for name in drawn_files if stamped_files[name] != drawn_files[name]]
    assert not different, different[:5]


@pytest.fixture
def content(tmp_path):
    shutil.copytree(MINI, tmp_path / "content")
    return tmp_path / "content"


def test_mini_stamped_equals_drawn(content, tmp_path, monkeypatch):
    built, stamped, drawn = both_ways(content, tmp_path, monkeypatch)
    # Every record page, and the listing pages two folders deep or more (years, months, their later pages);
    # below the folders the nav links into (archive/, publishers/) into probes drawn there.
    listings = [p for p in built.pages if p.endswith("/index.md") and p.count("/") >= 2
                and not p.startswith(("archive/", "publishers/"))]
    pages = set(json.loads((tmp_path / "work-stamped/stamp/state.json").read_text(encoding="utf-8")))
    assert {r.page_path + ".md" for r in built.catalogue.records} | set(listings) <= pages
    assert any(p.startswith("archive/") for p in pages) and any(p.startswith("publishers/") for p in pages)
    assert built.shards["stamped"] == len(pages)
    assert_same(stamped, drawn)
    assert not any(name.startswith(stamp.PROBE) for name in stamped)
    assert stamp.PROBE not in stamped["sitemap.xml"].decode()


def test_hostile_stamped_equals_drawn(tmp_path, monkeypatch):
    """Script-shaped titles, descriptions and bodies, formulas in cells, data pages of every kind."""
    from tests.hostile import make_hostile
    from tests.missions import today
    content = make_hostile(tmp_path / "content")
    with today():
        built, stamped, drawn = both_ways(content, tmp_path, monkeypatch)
    assert built.shards["stamped"] >= len(built.catalogue.records) // 2
    assert_same(stamped, drawn)


def test_sectors_stamped_equals_drawn(tmp_path, monkeypatch):
    from tests.missions import today
    from tests.sectors import SECTORS, TODAY
    shutil.copytree(SECTORS, tmp_path / "content")
    with today(TODAY):
        built, stamped, drawn = both_ways(tmp_path / "content", tmp_path, monkeypatch)
    assert built.shards["stamped"] >= 1
    assert_same(stamped, drawn)


def test_an_edited_record_is_stamped_again(content, tmp_path, monkeypatch):
    site, work = tmp_path / "site", tmp_path / "work"
    pipeline.build(content, site, work)
    note = content / "notes/2025/subsidy-notice-explained.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n## 新增一节\n\n新增一段说明文字。\n", encoding="utf-8")
    never_published(content)
    again = pipeline.build(content, site, work)
    assert again.shards["built"] == again.shards["patched"] == 0, "no engine run for a record's own text"
    page = (site / "notes/2025/subsidy-notice-explained/index.html").read_text(encoding="utf-8")
    assert "新增一段说明文字" in page and "新增一节" in page
    with monkeypatch.context() as m:
        engine_only(m)
        pipeline.build(content, tmp_path / "drawn", tmp_path / "work-drawn")
    assert_same(site_files(site), site_files(tmp_path / "drawn"))


def test_a_probe_that_cannot_be_reproduced_leaves_every_page_to_the_engine(content, tmp_path, monkeypatch):
    monkeypatch.setattr(stamp.Stamper, "learn", lambda self, *args: False)
    built, stamped, drawn = both_ways(content, tmp_path, monkeypatch)
    assert built.shards["stamped"] == 0
    assert_same(stamped, drawn)


def test_markdown_links_are_left_to_the_engine(tmp_path):
    """MkDocs rewrites and checks links and images Markdown makes; stamping never does."""
    from generator.site import ROOT
    config = tmp_path / "mkdocs.yml"
    (tmp_path / "docs").mkdir()
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: docs\nsite_name: x\n"
                      f"theme:\n  custom_dir: {ROOT / 'theme/overrides'}\n", encoding="utf-8")
    stamper = stamp.Stamper(config, "mkdocs")
    page = '---\ntitle: "t"\ndescription: "d"\ngk_slots:\n  s0: |2-\n    <p>x</p>\n---\n\n# t\n\n'
    assert stamper.parts(page + "<p>text</p>\n") is not None
    assert stamper.parts(page + "see [the notice](../other.md)\n") is None
    assert stamper.parts(page + "![map](map.png)\n") is None
    # A page is stamped only into the probe of its own shape (depth and other front matter, e.g. hide).
    assert stamper.stamp("docs/2025/x.md", page.replace("description", "hide: [toc]\ndescription") + "<p>x</p>\n") is None


# ---- findings of the review of the engine change (each failed before its fix) ---------------------------

def published(site):
    """Every file of a site and its bytes, for 'nothing online changed'."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_build_for_another_audience_never_changes_the_public_site(content, tmp_path):
    """Stamped pages were rewritten in place, and the site online holds hard links to them: an internal build
    in the same work folder put the internal version of a page (and an internal record's title) online."""
    note = content / "notes/2025/subsidy-notice-explained.md"
    note.write_text(note.read_text(encoding="utf-8").replace(
        "title: 《关于调整临时救助标准的通知》政策解读", "title: 内部解读仅供内部核对\naudience: internal"), encoding="utf-8")
    site, work = tmp_path / "site", tmp_path / "work"
    assert pipeline.build(content, site, work).checked.ok
    before = published(site)
    assert not any("内部解读仅供内部核对".encode() in data for data in before.values())
    never_published(content)
    internal = pipeline.build(content, tmp_path / "site-internal", work, audience="internal")
    assert internal.checked.ok and internal.shards["stamped"] >= 1
    assert published(site) == before


def built_then_edited(content, tmp_path, added):
    """A first build, every file it published, and a paragraph then added to a note (not yet built)."""
    site, work = tmp_path / "site", tmp_path / "work"
    pipeline.build(content, site, work)
    before = published(site)
    note = content / "notes/2025/subsidy-notice-explained.md"
    note.write_text(note.read_text(encoding="utf-8") + added, encoding="utf-8")
    never_published(content)
    return site, work, before, note


def test_a_build_that_fails_late_leaves_the_stamped_pages_online_as_they_were(content, tmp_path, monkeypatch):
    site, work, before, _ = built_then_edited(content, tmp_path, "\n新增一段尚未发布的文字。\n")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline, "write_site_prints", fail)
    with pytest.raises(OSError):
        pipeline.build(content, site, work)
    assert published(site) == before


def test_a_first_build_draws_the_probe_once_and_a_missed_guess_draws_it_again(content, tmp_path, monkeypatch):
    """The probe was drawn, then drawn again below the folders it showed the theme links into (0.7 s of a first
    build at 10,000 records). Drawn with probes below the folders the nav's top level leads to as well, it is
    drawn once; where that guess misses a folder it is drawn again, and the pages are the same."""
    real = stamp.write_probes

    def build(name):
        draws = []
        with monkeypatch.context() as m:
            m.setattr(stamp, "write_probes", lambda docs, shapes: draws.append(list(shapes)) or real(docs, shapes))
            built = pipeline.build(content, tmp_path / name, tmp_path / f"work-{name}")
        assert built.shards["stamped"] > 0
        return draws

    draws = build("guessed")
    assert len(draws) == 1 and any(stamp.home_of(shape) for shape in draws[0])
    monkeypatch.setattr(shards, "top_folders", lambda nav: frozenset())
    missed = build("missed")
    assert len(missed) == 2 and not any(stamp.home_of(shape) for shape in missed[0])
    assert_same(site_files(tmp_path / "guessed"), site_files(tmp_path / "missed"))


def test_a_page_half_written_by_a_stamp_that_stopped_is_never_reused(content, tmp_path, monkeypatch):
    """Stamped pages are written in place, not renamed into it: the state written after all of them is what
    lets a later build reuse one, so a build stopped in the middle of a page leaves nothing to trust."""
    site, work, before, note = built_then_edited(content, tmp_path, "\n新增一段说明文字。\n")
    written = stamp.write_new

    def stopped(path, data):
        written(path, data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(stamp, "write_new", stopped)
        with pytest.raises(OSError):
            pipeline.build(content, site, work)
    assert published(site) == before
    half = work / "stamp" / "flat" / "notes.2025.subsidy-notice-explained.html"
    assert half.is_file() and not half.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert not (work / "stamp" / "state.json").exists()
    # The content goes back as it was: the page is the one online, and the half-written file must not be used.
    note.write_text(note.read_text(encoding="utf-8").replace("\n新增一段说明文字。\n", ""), encoding="utf-8")
    pipeline.build(content, site, work)
    assert published(site) == before
    assert (site / "notes/2025/subsidy-notice-explained/index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_stamped_pages_follow_a_change_of_the_engines_configuration(content, tmp_path, monkeypatch):
    """A setting that changes only content or the table of contents (toc_depth) leaves the probe's skeleton as
    it was: the cache kept pages converted under the old setting. The probe key now covers the configuration."""
    from generator import shards
    site, work = tmp_path / "site", tmp_path / "work"
    first = pipeline.build(content, site, work)
    stamped = []
    real = stamp.Stamper.stamp
    monkeypatch.setattr(stamp.Stamper, "stamp", lambda self, page, text, *home: stamped.append(page) or real(self, page, text, *home))
    never_published(content)
    pipeline.build(content, site, work)
    assert stamped == [], "nothing changed: nothing stamped again"
    common = shards._common_digest
    monkeypatch.setattr(shards, "_common_digest", lambda *args: common(*args) + "another toc_depth")
    pipeline.build(content, site, work)
    assert len(stamped) == first.shards["stamped"]


def test_common_digest_names_the_engine(content, tmp_path):
    from generator import shards
    from generator.site import ROOT
    nav = set()
    assert (shards._common_digest(ROOT / "mkdocs.yml", content, nav, "mkdocs")
            != shards._common_digest(ROOT / "mkdocs.yml", content, nav, "properdocs"))


def test_stamped_pages_carry_the_builds_date_in_the_sitemap(content, tmp_path, monkeypatch):
    site, work = tmp_path / "site", tmp_path / "work"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")          # 2023-11-14
    pipeline.build(content, site, work)
    assert "<lastmod>2023-11-14</lastmod>" in (site / "sitemap.xml").read_text(encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760000000")          # 2025-10-09
    note = content / "notes/2025/subsidy-notice-explained.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")
    never_published(content)
    pipeline.build(content, site, work)
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    entry = next(block for block in sitemap.split("<url>") if "subsidy-notice-explained" in block)
    assert "<lastmod>2025-10-09</lastmod>" in entry, entry


def rebuilt_watching(content, site, work, monkeypatch):
    """Build again, noting the pages stamped and the shapes the probe is drawn with; then stop watching."""
    stamped, drawn_shapes = [], []
    real, real_probes = stamp.Stamper.stamp, stamp.write_probes
    with monkeypatch.context() as m:
        m.setattr(stamp.Stamper, "stamp", lambda self, page, text, *home: stamped.append(page) or real(self, page, text, *home))
        m.setattr(stamp, "write_probes", lambda docs, shapes: drawn_shapes.extend(shapes) or real_probes(docs, shapes))
        never_published(content)
        again = pipeline.build(content, site, work)
    assert again.checked.ok, again.checked.problems.errors
    return again, stamped, drawn_shapes


def assert_same_as_engine_drawn(content, site, tmp_path, monkeypatch):
    with monkeypatch.context() as m:
        engine_only(m)
        never_published(content)
        pipeline.build(content, tmp_path / "drawn", tmp_path / "work-drawn")
    assert_same(site_files(site), site_files(tmp_path / "drawn"))


def test_a_new_shape_leaves_the_other_stamped_pages_as_they_are(content, tmp_path, monkeypatch):
    """A year of a category outgrowing its first listing page brings a later one (2025/page/2.md, a folder
    deeper than the first): a shape the probe lacks. The probe is drawn again with it, and only the pages whose
    text changed are stamped again, not every page (their cache does not hold the list of shapes). The site
    equals one drawn by the engine."""
    site, work = tmp_path / "site", tmp_path / "work"
    first = pipeline.build(content, site, work)
    guide = content / "help/2025/temporary-assistance-guide.md"
    text = guide.read_text(encoding="utf-8")
    for n in range(101, 111):
        guide.with_name(f"guide-{n}.md").write_text(text.replace("2025-00001", f"2025-{n:05d}").replace(
            "title: 临时救助申请办事指南", f"title: 临时救助申请办事指南（第 {n} 号）"), encoding="utf-8")
    again, stamped, drawn_shapes = rebuilt_watching(content, site, work, monkeypatch)
    assert any("/page/" in page for page in stamped), (stamped, drawn_shapes)
    assert drawn_shapes, "the probe is drawn again for the new shape"
    assert not {r.page_path + ".md" for r in first.catalogue.records} & set(stamped), "unchanged records stay"
    assert again.shards["stamped"] > first.shards["stamped"]
    assert_same_as_engine_drawn(content, site, tmp_path, monkeypatch)


def test_a_probe_drawn_for_unchanged_pages_serves_them_once_they_change(content, tmp_path, monkeypatch):
    """A probe drawn again while no page changed (the tool was upgraded) learns the shapes of the pages below
    the folders the theme links into (archive/, publishers/) from the last stamp, where they are kept with
    their folder named. A page there that changes later has the same shape: the probe is not drawn again
    (it was, for every edit that changed a publisher's or an archive listing, half a second each)."""
    site, work = tmp_path / "site", tmp_path / "work"
    pipeline.build(content, site, work)
    state = work / "stamp" / "probe" / "state.json"
    upgraded = json.loads(state.read_text(encoding="utf-8")) | {"base": "an older stamp.py"}
    state.write_text(json.dumps(upgraded), encoding="utf-8")
    _, _, drawn_shapes = rebuilt_watching(content, site, work, monkeypatch)
    assert drawn_shapes, "the probe is drawn again after the upgrade"
    guide = content / "help/2025/temporary-assistance-guide.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("title: 临时救助申请办事指南",
                                                               "title: 临时救助申请办事指南（修订）"), encoding="utf-8")
    _, stamped, drawn_shapes = rebuilt_watching(content, site, work, monkeypatch)
    assert any(page.startswith(("publishers/", "archive/")) for page in stamped), stamped
    assert drawn_shapes == []
    assert_same_as_engine_drawn(content, site, tmp_path, monkeypatch)


def test_a_withdrawn_records_page_is_stamped_into_the_probe_the_records_share(content, tmp_path, monkeypatch):
    """A tombstone looks like the record page it replaces (navigation hidden alike): a first withdrawal
    needs no new probe from the engine, and the site equals one the engine drew whole."""
    site, work = tmp_path / "site", tmp_path / "work"
    pipeline.build(content, site, work)
    guide = content / "help/2025/temporary-assistance-guide.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace(
        "---\n", "---\nwithdrawn: {date: 2025-06-01, reason: 内容已过时}\n", 1), encoding="utf-8")
    _, stamped, drawn_shapes = rebuilt_watching(content, site, work, monkeypatch)
    assert "help/2025/temporary-assistance-guide.md" in stamped
    assert not drawn_shapes, drawn_shapes
    assert "本信息已撤回" in (site / "help/2025/temporary-assistance-guide/index.html").read_text(encoding="utf-8")
    assert_same_as_engine_drawn(content, site, tmp_path, monkeypatch)


@pytest.mark.parametrize("depth", [2, 3, 4, 5])
@pytest.mark.parametrize("extra", ["", stamp.INDEX_PAGE, f"{stamp.HOME}archive", f"{stamp.INDEX_PAGE}\n{stamp.HOME}archive"])
def test_a_probe_is_drawn_at_its_pages_depth_and_in_their_home_folder(depth, extra):
    where = stamp.probe_page((depth, extra), 3)
    assert stamp.page_depth(where) == depth
    assert where.startswith("archive/") == ("archive" in extra)
    assert stamp.PROBE in where and stamp.stampable([where]) == []


def test_a_home_folder_whose_theme_links_go_deeper_than_its_root_is_not_stamped_into():
    """From a probe in archive/, a theme link to archive/2025/ would be written differently for each page
    below archive/ (the engine computes it from each page's address): only links to the root are alike."""
    url = "archive/_gk-probe/d/p1/"
    assert stamp._links_to_home_root(['<a href="../../../">', '<a href="../../../../catalogue/">'], url, "archive")
    assert not stamp._links_to_home_root(['<a href="../../../2025/">'], url, "archive")


def test_stamped_pages_are_kept_one_file_each_in_one_folder_and_reused(content, tmp_path):
    """A rebuild after one record's edit stamps that page alone; the cache of an earlier version (a folder per
    page) is removed, not left to grow."""
    site, work = tmp_path / "site", tmp_path / "work"
    pipeline.build(content, site, work)
    old_layout = work / "stamp" / "pages" / "notes" / "2025" / "x"
    old_layout.mkdir(parents=True)
    (old_layout / "index.html").write_text("<p>an earlier version's cache</p>", encoding="utf-8")
    cached = {p.name: p.stat().st_ino for p in (work / "stamp" / "flat").iterdir()}
    assert "notes.2025.subsidy-notice-explained.html" in cached
    assert all(p.is_file() for p in (work / "stamp" / "flat").iterdir())
    note = content / "notes/2025/subsidy-notice-explained.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n新增一段说明文字。\n", encoding="utf-8")
    never_published(content)
    pipeline.build(content, site, work)
    again = {p.name: p.stat().st_ino for p in (work / "stamp" / "flat").iterdir()}
    assert again.keys() == cached.keys()
    changed = [name for name in cached if again[name] != cached[name]]
    assert changed == ["notes.2025.subsidy-notice-explained.html"]
    assert not (work / "stamp" / "pages").exists()
    assert (site / "notes/2025/subsidy-notice-explained/index.html").stat().st_ino == again[changed[0]]


def test_a_cached_name_is_one_pages_alone_and_fits_a_file_system():
    pages = ["a/b-c.md", "a/b/c.md", "a/b/c/index.md", "a/b_c.md", "a/" + "x" * 240 + ".md", "a/" + "y" * 240 + ".md"]
    names = [stamp.cached_name(p) for p in pages]
    assert len(set(names)) == len(pages) - 1       # a/b/c.md and a/b/c/index.md are both the page a/b/c/
    assert stamp.cached_name("a/b/c.md") == stamp.cached_name("a/b/c/index.md") == "a.b.c.html"
    assert all(len(n.encode()) <= 255 for n in names) and names[-1].startswith("~")
