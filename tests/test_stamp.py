"""Record pages stamped into the engine's probe page (generator/stamp.py) are the pages the engine would draw.

Each fixture is built twice, once stamping and once with every page drawn by MkDocs, and every published file
but the search index (Pagefind's own output is not byte-stable between runs) must be the same bytes."""
import shutil

import pytest

from generator import pipeline, stamp
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
    assert built.shards["stamped"] == len(built.catalogue.records)
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
