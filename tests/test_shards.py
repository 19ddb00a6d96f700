"""MkDocs in shards: the assembled site equals a one-shard build, unchanged shards are reused, changed ones patched."""
import json
import re
import shutil

import pytest

from generator import pipeline, shards, stamp
from tests.files import never_published
from tests.conftest import MINI


def files_of(site):
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and "pagefind" not in p.parts}


@pytest.fixture
def content(tmp_path):
    shutil.copytree(MINI, tmp_path / "content")
    return tmp_path / "content"


def test_sharded_site_equals_single_run(content, tmp_path, monkeypatch):
    single = pipeline.build(content, tmp_path / "one", tmp_path / "work-one")
    assert single.shards | {"stamped": 0} == {"shards": 1, "built": 1, "patched": 0, "stamped": 0}
    assert single.shards["stamped"] > len(single.catalogue.records), "the records and listing pages"
    monkeypatch.setattr(shards, "PAGES_PER_SHARD", 4)
    never_published(content)
    split = pipeline.build(content, tmp_path / "many", tmp_path / "work-many")
    assert split.shards["shards"] >= 4 and split.shards["built"] == split.shards["shards"]
    assert files_of(tmp_path / "one") == files_of(tmp_path / "many")
    for name in ("index.html", "catalogue/index.html", "docs/2025/subsidy-notice/index.html",
                 "docs/2025/subsidy-notice/附件1-临时救助标准表.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "many" / name).read_bytes(), name
    sitemap = (tmp_path / "many/sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<url>") == (tmp_path / "one/sitemap.xml").read_text(encoding="utf-8").count("<url>")


def test_rebuild_reuses_unchanged_shards(content, tmp_path, monkeypatch):
    """Records drawn by MkDocs (no stamping, as when the probe cannot be reproduced): a changed one is patched."""
    monkeypatch.setattr(stamp, "stampable", lambda pages: [])
    monkeypatch.setattr(shards, "PAGES_PER_SHARD", 4)
    first = pipeline.build(content, tmp_path / "site", tmp_path / "work")
    never_published(content)
    again = pipeline.build(content, tmp_path / "site", tmp_path / "work")
    assert again.shards == {"shards": first.shards["shards"], "built": 0, "patched": 0, "stamped": 0}
    notice = content / "help/2025/temporary-assistance-guide.md"
    notice.write_text(notice.read_text(encoding="utf-8") + "\n新增一段说明文字。\n", encoding="utf-8")
    never_published(content)
    changed = pipeline.build(content, tmp_path / "site", tmp_path / "work")
    assert (changed.shards["built"], changed.shards["patched"]) == (0, 1)
    page = (tmp_path / "site/help/2025/temporary-assistance-guide/index.html").read_text(encoding="utf-8")
    assert "新增一段说明文字" in page


def site_files(site):
    """Every published file and its bytes; the sitemap's build dates aside."""
    found = {}
    for p in site.rglob("*"):
        if p.is_file() and "pagefind" not in p.parts[len(site.parts):][0] and p.name != "sitemap.xml.gz":
            data = p.read_bytes()
            if p.name == "sitemap.xml":
                data = re.sub(rb"<lastmod>[^<]*</lastmod>", b"", data)
            found[p.relative_to(site).as_posix()] = data
    return found


def test_patched_shards_equal_a_fresh_build(content, tmp_path, monkeypatch):
    """Edits, a removal and an addition patched into existing shards give exactly the site a clean build gives."""
    monkeypatch.setattr(shards, "PAGES_PER_SHARD", 3)
    monkeypatch.setattr(shards, "PATCH_SHARE", 0.9)
    notice = content / "help/2025/temporary-assistance-guide.md"
    original = notice.read_text(encoding="utf-8")

    def sibling(name, number):
        (content / "help/2025" / name).write_text(
            original.replace("2025-00001", number).replace("临时救助申请办事指南", f"办事指南{number}"), encoding="utf-8")

    sibling("guide-a.md", "2025-00008")
    pipeline.build(content, tmp_path / "site", tmp_path / "work")
    notice.write_text(original + "\n新增一段说明文字。\n", encoding="utf-8")
    (content / "help/2025/guide-a.md").unlink()
    sibling("guide-b.md", "2025-00009")
    never_published(content)
    patched = pipeline.build(content, tmp_path / "site", tmp_path / "work")
    assert patched.checked.ok, patched.checked.problems.errors
    assert patched.shards["patched"] >= 1
    never_published(content)
    fresh = pipeline.build(content, tmp_path / "fresh", tmp_path / "work-fresh")
    assert fresh.shards["patched"] == 0
    mine, theirs = site_files(tmp_path / "site"), site_files(tmp_path / "fresh")
    assert sorted(mine) == sorted(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []
    assert "help/2025/guide-a/index.html" not in mine and "help/2025/guide-b/index.html" in mine
    assert "guide-a/" not in mine["sitemap.xml"].decode() and "guide-b/" in mine["sitemap.xml"].decode()


def test_render_rewrites_only_changed_pages_and_removes_stale_ones(content, tmp_path):
    from generator.catalogue import build_catalogue
    from generator.pipeline import check
    from generator.render import render_site

    def render():
        checked = check(content)
        render_site(build_catalogue(checked.records, checked.settings, checked.categories), tmp_path / "docs")

    render()
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "docs").rglob("*.md")}
    render()
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "docs").rglob("*.md")} == before
    (content / "docs/2024/old-notice.md").unlink()
    notice = content / "docs/2025/subsidy-notice.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("原[2024年通知](../2024/old-notice.md)", "原通知"),
                      encoding="utf-8")
    render()
    assert not (tmp_path / "docs/docs/2024/old-notice.md").exists()
    assert (tmp_path / "docs/docs/2025/subsidy-notice/附件1-临时救助标准表.csv").exists()
    changed = {p for p, t in before.items() if p.exists() and p.stat().st_mtime_ns != t}
    assert tmp_path / "docs/docs/2025/subsidy-notice.md" in changed
    assert tmp_path / "docs/notes/2025/subsidy-notice-explained.md" not in changed


def test_render_in_two_processes_writes_the_same_pages(content, tmp_path, monkeypatch):
    from generator import render
    from generator.catalogue import build_catalogue
    from generator.pipeline import check

    checked = check(content)
    catalogue = build_catalogue(checked.records, checked.settings, checked.categories)
    one = render.render_site(catalogue, tmp_path / "one")
    monkeypatch.setattr(render, "RENDER_IN_TWO", 1)
    two = render.render_site(catalogue, tmp_path / "two")
    assert sorted(one) == sorted(two)

    def tree(root):
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    manifest = lambda name: json.loads((tmp_path / f"{name}.manifest.json").read_text())
    assert manifest("one") == manifest("two")
    # What each page and file was made from, the catalogue download's and the feeds' too (made in the other
    # process): the next render keeps the same ones.
    inputs = lambda name: json.loads((tmp_path / f"{name}.inputs.json").read_text())
    assert inputs("one") == inputs("two") and "catalogue/catalogue.csv" in inputs("two")


def test_a_render_that_fails_in_this_process_waits_for_the_other(content, tmp_path, monkeypatch):
    """The forked process makes the catalogue download while this one renders the listings: a listing that
    fails stops the render only once the other process has ended, so nothing writes into docs after it."""
    import multiprocessing
    import time
    from generator import render
    from generator.catalogue import build_catalogue
    from generator.pipeline import check

    checked = check(content)
    catalogue = build_catalogue(checked.records, checked.settings, checked.categories)
    usual = render.write_catalogue
    monkeypatch.setattr(render, "write_catalogue", lambda *a, **k: (time.sleep(1.5), usual(*a, **k))[1])
    monkeypatch.setattr(render, "RENDER_IN_TWO", 1)
    monkeypatch.setattr(render.Writer, "latest", lambda *a, **k: (_ for _ in ()).throw(ValueError("a listing")))
    with pytest.raises(ValueError):
        render.render_site(catalogue, tmp_path / "docs")
    assert not multiprocessing.active_children()


def test_a_first_build_renders_in_one_process_beside_the_search_index_a_rebuild_and_a_preview_in_two(
        content, tmp_path, monkeypatch):
    """In a first build the search index has the other core (it takes longer than the pages): a second render
    process would only compete for the two cores and hold its own copy of what it reads (0.7 GB at 100,000
    records). A rebuild only brings the index up to date, and the preview renders before it indexes: there the
    record pages render in two processes."""
    from generator import render
    forks = []
    real = render.Beside
    monkeypatch.setattr(render, "RENDER_IN_TWO", 1)
    monkeypatch.setattr(render, "Beside", lambda stage: forks.append(stage) or real(stage))
    built = pipeline.build(content, tmp_path / "site", tmp_path / "work")
    assert built.checked.ok and forks == []
    never_published(content)
    again = pipeline.build(content, tmp_path / "site", tmp_path / "work")
    assert again.checked.ok and len(forks) == 1
    pipeline.prepare(content, tmp_path / "preview", preview=True)
    assert len(forks) == 2


def test_a_paragraph_changed_leaves_the_pages_that_count_records_as_they_were(content, tmp_path, monkeypatch):
    """The catalogue, a category's and a publisher's page and the archive list the newest records and show how
    many each year (and month) has: a paragraph added to an older record keeps them from the last render."""
    from generator import render
    from generator.catalogue import build_catalogue
    from generator.pipeline import check

    old = content / "docs/2024/old-notice.md"
    original = old.read_text(encoding="utf-8")
    for n in range(10, 21):        # newer records of the same category and publisher: more than a page of them
        (old.parent / f"newer-{n}.md").write_text(
            original.replace("2024-00003", f"2024-000{n}").replace("〔2024〕3号", f"〔2024〕{n}号")
            .replace("临时救助标准的通知", f"第{n}号通知").replace("2024-02-0", "2024-06-1"), encoding="utf-8")
    reused = []
    usual = render.Writer.reuse
    monkeypatch.setattr(render.Writer, "reuse", lambda self, path, inputs, stored=False: usual(self, path, inputs, stored) and
                        (reused.append(path) or True))

    def render_into(folder):
        reused.clear()
        checked = check(content)
        assert checked.ok, checked.problems.errors
        catalogue = build_catalogue(checked.records, checked.settings, checked.categories)
        render.render_site(catalogue, folder)
        return catalogue

    render_into(tmp_path / "docs")
    old.write_text(original + "\n补充一句。\n", encoding="utf-8")
    catalogue = render_into(tmp_path / "docs")
    record = next(r for r in catalogue.records if r.page_path == "docs/2024/old-notice")
    assert record not in catalogue.in_category(record.category)[:catalogue.settings.page_size]
    counted = {"catalogue/index.md", "archive/index.md", f"{record.category.id}/index.md",
               f"publishers/{record.publisher.id}/index.md"}
    assert counted <= set(reused)
    assert "docs/2024/old-notice.md" not in reused


def test_reused_record_pages_equal_a_fresh_render(content, tmp_path):
    """Pages kept from the last render (same inputs) must be exactly what a fresh render writes."""
    from generator import render
    from generator.catalogue import build_catalogue
    from generator.pipeline import check

    def render_into(folder):
        checked = check(content)
        catalogue = build_catalogue(checked.records, checked.settings, checked.categories)
        render.render_site(catalogue, folder)

    def tree(root):
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    render_into(tmp_path / "docs")
    inputs = json.loads((tmp_path / "docs.inputs.json").read_text())
    assert "help/2025/temporary-assistance-guide.md" in inputs, "plain record pages are reusable"
    assert "docs/2025/subsidy-notice.md" not in inputs, "a record with attachments is always rendered"
    assert "notes/2025/subsidy-notice-explained.md" in inputs
    assert "catalogue/index.md" in inputs and "archive/2025/index.md" in inputs, "listing pages are reusable"
    # The interpreted document's title appears on the interpretation's page: that page must change with it.
    notice = content / "docs/2025/subsidy-notice.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("title: 测试县人民政府办公室关于调整临时救助标准的通知",
                                                                 "title: 测试县人民政府办公室关于调整临时救助标准的通知（修订）"),
                      encoding="utf-8")
    guide = content / "help/2025/temporary-assistance-guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    render_into(tmp_path / "docs")
    render_into(tmp_path / "fresh")
    assert tree(tmp_path / "docs") == tree(tmp_path / "fresh")
    assert "补充一句" in (tmp_path / "docs/help/2025/temporary-assistance-guide.md").read_text(encoding="utf-8")
    assert "标准的通知（修订）" in (tmp_path / "docs/notes/2025/subsidy-notice-explained.md").read_text(encoding="utf-8")
    assert "标准的通知（修订）" in (tmp_path / "docs/catalogue/index.md").read_text(encoding="utf-8")
    # A record added elsewhere changes counts on listing pages that do not list it (cat.* in templates).
    added = content / "help/2025/another-guide.md"
    added.write_text(guide.read_text(encoding="utf-8").replace("2025-00001", "2025-00031")
                     .replace("title: ", "title: 另一份", 1), encoding="utf-8")
    render_into(tmp_path / "docs")
    shutil.rmtree(tmp_path / "fresh")
    render_into(tmp_path / "fresh")
    assert tree(tmp_path / "docs") == tree(tmp_path / "fresh")


def test_a_record_added_renders_again_only_the_listings_that_show_it_or_read_the_catalogue(content, tmp_path,
                                                                                           monkeypatch):
    """Counts (cat.* in a template or what it includes) change with a record added anywhere; a year's or a
    month's list of another category or year is the same page, kept; the result equals a fresh render."""
    from generator import render
    from generator.catalogue import build_catalogue
    from generator.pipeline import check

    reused = []
    real, real_files = render.Writer.reuse, render.Writer.reuse_files
    monkeypatch.setattr(render.Writer, "reuse", lambda self, path, inputs, stored=False: real(self, path, inputs, stored) and
                        (reused.append(path) or True))
    monkeypatch.setattr(render.Writer, "reuse_files", lambda self, paths, inputs: real_files(self, paths, inputs)
                        and (reused.append(paths[0]) or True))

    def render_into(folder):
        checked = check(content)
        render.render_site(build_catalogue(checked.records, checked.settings, checked.categories), folder)

    render_into(tmp_path / "docs")
    guide = content / "help/2025/temporary-assistance-guide.md"
    (content / "help/2025/another-guide.md").write_text(
        guide.read_text(encoding="utf-8").replace("2025-00001", "2025-00031").replace("title: ", "title: 另一份", 1),
        encoding="utf-8")
    reused.clear()
    render_into(tmp_path / "docs")
    assert "docs/2024/index.md" in reused and "notes/2025/index.md" in reused, "other categories' year lists"
    assert "archive/2024/index.md" in reused, "another year's archive page: its own counts only"
    assert "archive/2025/index.md" not in reused, "the archive year the record joins"
    assert "help/2025/index.md" not in reused, "the list the record joins"
    assert "index.md" not in reused and "catalogue/index.md" not in reused, "pages that count (cat.*)"
    assert "feeds/docs.xml" in reused, "another category's feed"
    assert not {"feeds/all.xml", "feeds/help.xml", "catalogue/catalogue.csv"} & set(reused), "files that list it"
    render_into(tmp_path / "fresh")
    tree = lambda root: {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert tree(tmp_path / "docs") == tree(tmp_path / "fresh")


def test_reuse_key_is_the_same_in_every_process():
    """Sets in settings change their order with the hash seed; the key for reusing pages must not."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT
    content = ROOT / "content"      # the demo: many organisations, so its sets of phone numbers have an order
    script = ("from pathlib import Path; from generator import pipeline; from generator.catalogue import build_catalogue;"
              "from generator.render import _world_digest; c = pipeline.check(Path(%r));"
              "print(_world_digest(build_catalogue(c.records, c.settings, c.categories)))" % str(content))
    digests = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(digests) == 1, digests


def test_reuse_key_follows_the_markdown_extensions_of_mkdocs_yml(tmp_path, monkeypatch):
    """Bodies are rendered with mkdocs.yml's extensions (body.py): changing them must render record pages again."""
    from generator import body, pipeline
    from generator.catalogue import build_catalogue
    from generator.render import _world_digest
    from tests.conftest import MINI
    c = pipeline.check(MINI)
    catalogue = build_catalogue(c.records, c.settings, c.categories)
    before = _world_digest(catalogue)
    changed = tmp_path / "mkdocs.yml"
    changed.write_text(body.MKDOCS_YML.read_text(encoding="utf-8").replace("  - admonition\n", ""), encoding="utf-8")
    monkeypatch.setattr(body, "MKDOCS_YML", changed)
    assert _world_digest(catalogue) != before


def test_a_render_that_stops_half_way_is_not_trusted(content, tmp_path, monkeypatch):
    """Pages written by an interrupted render must be rewritten by the next one, even if their text is back."""
    from generator import render
    from generator.catalogue import build_catalogue
    from generator.pipeline import check

    def render_into(folder):
        checked = check(content)
        render.render_site(build_catalogue(checked.records, checked.settings, checked.categories), folder)

    render_into(tmp_path / "docs")
    guide = content / "help/2025/temporary-assistance-guide.md"
    original = guide.read_text(encoding="utf-8")
    guide.write_text(original + "\n半途写入的文字。\n", encoding="utf-8")
    finish = render.Writer.finish
    monkeypatch.setattr(render.Writer, "finish", lambda self: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        render_into(tmp_path / "docs")
    monkeypatch.setattr(render.Writer, "finish", finish)
    assert "半途写入的文字" in (tmp_path / "docs/help/2025/temporary-assistance-guide.md").read_text(encoding="utf-8")
    guide.write_text(original, encoding="utf-8")
    render_into(tmp_path / "docs")
    assert "半途写入的文字" not in (tmp_path / "docs/help/2025/temporary-assistance-guide.md").read_text(encoding="utf-8")


def assert_same_as_a_clean_build(content, tmp_path):
    """tmp_path/site, built and rebuilt, is exactly the site a clean build of the same content gives."""
    never_published(content)
    pipeline.build(content, tmp_path / "fresh", tmp_path / "work-fresh")
    mine, theirs = site_files(tmp_path / "site"), site_files(tmp_path / "fresh")
    assert sorted(mine) == sorted(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []


def test_a_changed_data_file_alone_is_taken_without_the_engine(content, tmp_path, monkeypatch):
    """A correction noted in a record's 更新记录 changes its (stamped) page and the catalogue's CSV and JSON,
    files the engine copies as they are: the shard takes them without starting the engine, and the site is
    exactly the one a clean build gives."""
    pipeline.build(content, tmp_path / "site", tmp_path / "work")
    notice = content / "help/2025/temporary-assistance-guide.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace(
        "---\n", "---\nchange_log: [{date: 2025-06-01, level: 一般, note: 更正错别字}]\n", 1), encoding="utf-8")
    started = []
    real = shards.run_mkdocs
    monkeypatch.setattr(shards, "run_mkdocs", lambda *a, **k: started.append(a) or real(*a, **k))
    never_published(content)
    again = pipeline.build(content, tmp_path / "site", tmp_path / "work")
    assert again.checked.ok, again.checked.problems.errors
    assert again.shards["patched"] == 1 and started == []
    assert "更正错别字" in (tmp_path / "site/catalogue/catalogue.json").read_text(encoding="utf-8")
    monkeypatch.setattr(shards, "run_mkdocs", real)
    assert_same_as_a_clean_build(content, tmp_path)


def test_a_patch_draws_only_its_own_pages_and_the_engine_keeps_its_templates_compiled(content, tmp_path, monkeypatch):
    """A record added changes a few navigation pages (counts, lists). The patch draws those alone: the other
    navigation pages are stand-ins that only let the engine draw the nav (their old HTML stays), and the site is
    exactly the one a clean build gives. The engine's compiled templates are kept for its next run."""
    monkeypatch.setattr(shards, "PATCH_SHARE", 0.9)
    pipeline.build(content, tmp_path / "site", tmp_path / "work")
    docs = tmp_path / "work/docs"
    before = {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*.md")}
    compiled = {p: p.stat().st_mtime_ns for p in (tmp_path / "work" / shards.TEMPLATES).rglob("*.cache")}
    assert compiled, "the first build keeps the engine's compiled templates"
    notice = content / "help/2025/temporary-assistance-guide.md"
    (content / "help/2025/guide-c.md").write_text(notice.read_text(encoding="utf-8").replace(
        "2025-00001", "2025-00010").replace("临时救助申请办事指南", "办事指南丙"), encoding="utf-8")
    drawn = []
    real = shards.run_mkdocs

    def spy(config, site_dir, engine="mkdocs"):
        real(config, site_dir, engine)
        drawn.append({p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html")})
    monkeypatch.setattr(shards, "run_mkdocs", spy)
    never_published(content)
    again = pipeline.build(content, tmp_path / "site", tmp_path / "work")
    assert again.checked.ok, again.checked.problems.errors
    assert again.shards["patched"] == 1 and len(drawn) == 1
    changed = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
               if before.get(p.relative_to(docs).as_posix()) != p.read_bytes()}
    navigation = shards.nav_pages(tmp_path / "work/mkdocs.yml")
    assert navigation & changed and navigation - changed, "some navigation pages change, others do not"
    pages = drawn[0] - {"404.html"}
    assert pages and pages <= {shards.output_of(p) for p in changed}, pages
    assert not drawn[0] & {shards.output_of(p) for p in navigation - changed}
    # Jinja writes a template's compiled code only when it compiled it: the patch compiled none of them again.
    assert {p: p.stat().st_mtime_ns for p in compiled} == compiled
    monkeypatch.setattr(shards, "run_mkdocs", real)
    assert_same_as_a_clean_build(content, tmp_path)
