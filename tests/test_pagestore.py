"""A build keeps record pages' Markdown in one file beside build/docs (generator/pagestore.py), and publishes
exactly what it published with a file per page."""
import json
import shutil

import pytest

from generator import pagestore, pipeline, render
from tests.conftest import MINI
from tests.files import never_published
from tests.test_shards import site_files
from tests.test_stamp import assert_same


@pytest.fixture
def content(tmp_path):
    shutil.copytree(MINI, tmp_path / "content")
    return tmp_path / "content"


def with_files(monkeypatch):
    """Builds that render every page as a file, as before the page store."""
    real = render.render_site
    monkeypatch.setattr(pipeline, "render_site", lambda catalogue, out, in_two=True, store=False:
                        real(catalogue, out, in_two, store=False))


def data_and_index(work):
    return work / "docs.pages", json.loads((work / "docs.pages.json").read_text(encoding="utf-8"))


def edit(content, relative, line):
    """A line added to a record (as if never published: no 更新记录 note needed, tests/files.py)."""
    path = content / relative
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    never_published(content)


def test_record_pages_are_one_file_and_the_site_is_the_same(content, tmp_path, monkeypatch):
    built = pipeline.build(content, tmp_path / "site", tmp_path / "work")
    data, index = data_and_index(tmp_path / "work")
    records = {r.page_path + ".md" for r in built.catalogue.records}
    assert records <= index.keys()
    assert not [p for p in (tmp_path / "work/docs").rglob("*.md") if p.relative_to(tmp_path / "work/docs").as_posix()
                in index], "a stored page stamped is no file"
    assert data.stat().st_size == sum(length for _, length in index.values())
    stored = pagestore.listed(tmp_path / "work/docs")
    assert all(stored.text(p).startswith("---\n") for p in records)
    with monkeypatch.context() as m:
        with_files(m)
        pipeline.build(content, tmp_path / "files", tmp_path / "work-files")
    assert not (tmp_path / "work-files/docs.pages").exists()
    assert records <= {p.relative_to(tmp_path / "work-files/docs").as_posix()
                       for p in (tmp_path / "work-files/docs").rglob("*.md")}
    assert_same(site_files(tmp_path / "site"), site_files(tmp_path / "files"))


def test_a_rebuild_appends_the_changed_page_and_keeps_the_others_in_place(content, tmp_path):
    site, work = tmp_path / "site", tmp_path / "work"
    pipeline.build(content, site, work)
    data, before = data_and_index(work)
    size = data.stat().st_size
    page = "notes/2025/subsidy-notice-explained.md"
    edit(content, page, "新增一段说明文字。")
    pipeline.build(content, site, work)
    data, after = data_and_index(work)
    assert after[page][0] >= size, "appended"
    assert {p: e for p, e in after.items() if p != page} == {p: e for p, e in before.items() if p != page}
    assert "新增一段说明文字" in pagestore.listed(work / "docs").text(page)
    assert "新增一段说明文字" in (site / "notes/2025/subsidy-notice-explained/index.html").read_text(encoding="utf-8")
    pipeline.build(content, tmp_path / "fresh", tmp_path / "work-fresh")
    assert_same(site_files(site), site_files(tmp_path / "fresh"))


def test_a_render_that_stops_leaves_no_index_and_the_next_starts_a_new_file(content, tmp_path, monkeypatch):
    site, work = tmp_path / "site", tmp_path / "work"
    pipeline.build(content, site, work)
    edit(content, "notes/2025/subsidy-notice-explained.md", "停电前写下的一句。")
    puts = []
    real_put = pagestore.Store.put

    def put(self, page, text):
        puts.append(page)
        real_put(self, page, text)
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(pagestore.Store, "put", put)
    with pytest.raises(OSError):
        pipeline.build(content, site, work)
    assert puts and not (work / "docs.pages.json").exists()
    assert "停电前写下的一句" not in (site / "notes/2025/subsidy-notice-explained/index.html").read_text(encoding="utf-8")
    monkeypatch.setattr(pagestore.Store, "put", real_put)
    pipeline.build(content, site, work)
    data, index = data_and_index(work)
    assert data.stat().st_size == sum(length for _, length in index.values()), "a new data file"
    assert "停电前写下的一句" in (site / "notes/2025/subsidy-notice-explained/index.html").read_text(encoding="utf-8")


def rendered_as_files(content, folder):
    """Every record page's text as a render without the store writes it."""
    from generator.catalogue import build_catalogue
    checked = pipeline.check(content)
    catalogue = build_catalogue(checked.records, checked.settings, checked.categories)
    render.render_site(catalogue, folder)
    return {r.page_path + ".md": (folder / (r.page_path + ".md")).read_text(encoding="utf-8")
            for r in catalogue.records}


def assert_stored_as_rendered(content, work, tmp_path):
    stored = pagestore.listed(work / "docs")
    expected = rendered_as_files(content, tmp_path / "as-files")
    assert {page: stored.text(page) for page in expected} == expected


def test_pages_rendered_in_the_second_process_are_listed_with_the_first(content, tmp_path, monkeypatch):
    monkeypatch.setattr(render, "RENDER_IN_TWO", 1)
    site, work = tmp_path / "site", tmp_path / "work"
    built = pipeline.build(content, site, work)
    records = [r.page_path for r in built.catalogue.records]
    assert len(records) >= 4
    edited = records[:2]        # the render's halves take every other record: each keeps pages and writes one
    for n, path in enumerate(edited):
        edit(content, path + ".md", f"第{n}条记录补充的一句。")
    pipeline.build(content, site, work)
    for n, path in enumerate(edited):
        assert f"第{n}条记录补充的一句" in (site / path / "index.html").read_text(encoding="utf-8")
    assert_stored_as_rendered(content, work, tmp_path)
    assert sorted(p.name for p in work.glob("docs.pages*")) == ["docs.pages", "docs.pages.json"], "no spool left"


def test_the_data_file_is_written_again_once_mostly_unlisted(content, tmp_path, monkeypatch):
    monkeypatch.setattr(pagestore, "SLACK", 0)
    site, work = tmp_path / "site", tmp_path / "work"
    pipeline.build(content, site, work)
    records = sorted(r.page_path + ".md" for r in pipeline.check(content).records)
    sizes = []
    for n in range(6):
        for record in records[1:]:      # the first page is kept, wherever the rewrite moves it
            edit(content, record, f"第{n}次补充。")
        pipeline.build(content, site, work)
        data, index = data_and_index(work)
        sizes.append((data.stat().st_size, sum(length for _, length in index.values())))
    assert all(size <= 2 * live for size, live in sizes), sizes
    assert any(size == live for size, live in sizes), sizes
    assert_stored_as_rendered(content, work, tmp_path)
    pipeline.build(content, tmp_path / "fresh", tmp_path / "work-fresh")
    assert_same(site_files(site), site_files(tmp_path / "fresh"))


def test_a_render_of_files_drops_the_store_and_a_build_brings_it_back(content, tmp_path):
    from generator.catalogue import build_catalogue
    site, work = tmp_path / "site", tmp_path / "work"
    built = pipeline.build(content, site, work)
    page = built.catalogue.records[0].page_path + ".md"
    checked = pipeline.check(content)
    render.render_site(build_catalogue(checked.records, checked.settings, checked.categories), work / "docs")
    assert (work / "docs" / page).is_file() and not list(work.glob("docs.pages*"))
    pipeline.build(content, site, work)
    assert not (work / "docs" / page).exists() and page in data_and_index(work)[1]
    pipeline.build(content, tmp_path / "fresh", tmp_path / "work-fresh")
    assert_same(site_files(site), site_files(tmp_path / "fresh"))


def test_a_damaged_index_trusts_nothing(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (tmp_path / "docs.pages").write_bytes("一二三".encode("utf-8"))
    for index in ('{"a.md": [0, 9]}', '{"a.md": [0, 10]}', '{"a.md": [-1, 3]}', '{"a.md": [0]}', "[]", "{",
                  '{"a.md": [0, true]}'):
        (tmp_path / "docs.pages.json").write_text(index, encoding="utf-8")
        stored = pagestore.listed(docs)
        assert ("a.md" in stored) == (index == '{"a.md": [0, 9]}'), index
    (tmp_path / "docs.pages.json").write_text('{"a.md": [3, 6]}', encoding="utf-8")
    assert pagestore.listed(docs).text("a.md") == "二三"


def test_the_bench_baselines_build_the_stored_pages_too(content, tmp_path):
    """Hugo and plain mkdocs-material are given our pages as Markdown files (bench._plain_docs): the record
    pages from the store among them, or the baselines would build a site without its records."""
    from generator import bench
    built = pipeline.build(content, tmp_path / "site", tmp_path / "work")
    plain = bench._plain_docs(tmp_path / "work")
    for record in built.catalogue.records:
        text = (plain / (record.page_path + ".md")).read_text(encoding="utf-8")
        assert record.title in text and 'data-gk-slot="' not in text


def test_a_page_neither_stamped_nor_a_file_stops_the_build(content, tmp_path, monkeypatch):
    """Pages the stamp leaves to the engine are written into docs (materialize); were one not, the engine would
    leave it out of the site without a word. The build stops instead and the site stays as it was."""
    from generator import stamp
    from generator.environment import BuildEnvironmentError
    site, work = tmp_path / "site", tmp_path / "work"
    pipeline.build(content, site, work)
    before = site_files(site)
    monkeypatch.setattr(stamp, "stampable", lambda pages: [])          # every page to the engine
    monkeypatch.setattr(pagestore.Pages, "materialize", lambda self, pages: None)
    with pytest.raises(BuildEnvironmentError):
        pipeline.build(content, site, work)
    assert site_files(site) == before
