"""The benchmark's synthetic corpus must pass `check`: a bench that stops at its own content measures nothing."""
import inspect
from pathlib import Path

from generator import pipeline
from generator.synthetic import make_corpus
from tests.conftest import MINI

ROOT = Path(__file__).resolve().parent.parent


def test_synthetic_corpus_passes_check(tmp_path):
    content = make_corpus(ROOT / "content", tmp_path / "corpus", 80)
    checked = pipeline.check(content)
    assert checked.ok, [p.message for p in checked.problems.errors[:5]]
    assert not [p for p in checked.problems if p.file.endswith(".md")], [p.message for p in checked.problems][:5]
    assert len(checked.records) == 80


def test_rebuild_timings_go_without_the_memory_sampler(tmp_path, monkeypatch):
    """The rebuilds' peak memory is not reported, and sampling it (every process's memory map read five times a
    second) took CPU from the rebuild being timed: only the full build is sampled."""
    from types import SimpleNamespace
    from generator import bench, pipeline
    samplers = []
    monkeypatch.setattr(bench, "MemorySampler", lambda: samplers.append(1) or bench.contextlib.nullcontext(
        SimpleNamespace(peak=7)))
    monkeypatch.setattr(pipeline, "build", lambda *a, **k: SimpleNamespace(checked=SimpleNamespace(ok=True), shards={}))
    assert bench._timed_build(tmp_path, tmp_path / "site", tmp_path / "work")[2] == 7 and samplers == [1]
    assert bench._timed_build(tmp_path, tmp_path / "site", tmp_path / "work", sampled=False)[2] == 0
    assert samplers == [1]
    rebuilds = [line for line in inspect.getsource(bench.run).split("\n") if "_timed_build" in line]
    assert len(rebuilds) == 2 and "sampled=False" in rebuilds[1], rebuilds


def test_the_downloadable_catalogue_is_written_without_holding_its_rows(tmp_path):
    """At 100,000 records the catalogue's CSV and JSON were made from every row held at once as a dict, then
    as two texts (the JSON's three times over: its lines, their join, the concatenation): 0.4 GB at the end of
    a render, the moment of the build's peak. Written row by row, it holds about one row."""
    import json
    import tracemalloc

    from generator.export.downloads import read_csv, write_catalogue
    checked = pipeline.check(MINI)
    records = [r for r in checked.records if r.is_published] * 2000
    csv_path, json_path = tmp_path / "c.csv", tmp_path / "c.json"
    tracemalloc.start()
    try:
        write_catalogue(records, checked.settings.base_url, (), csv_path, json_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(json.loads(json_path.read_text(encoding="utf-8"))["records"]) == len(records)
    assert len(read_csv(csv_path)) == len(records) + 1
    assert peak < 0.1 * (csv_path.stat().st_size + json_path.stat().st_size), peak


def test_a_rebuild_copies_the_catalogue_rows_of_records_that_did_not_change(mini, tmp_path, monkeypatch):
    """The catalogue is written whole after any record changes (a 更新记录 entry changes its row): the rows of
    unchanged records are copied from the files it replaces, and the files are byte for byte those a render
    from nothing writes, after each kind of edit and after the files were touched by someone else."""
    from generator.bench import Edits, _corrected
    from generator.export import downloads
    made = []
    real = downloads.catalogue_row
    monkeypatch.setattr(downloads, "catalogue_row", lambda r, base: made.append(r.page_path) or real(r, base))
    site, work = tmp_path / "site", tmp_path / "work"
    assert pipeline.build(mini, site, work).checked.ok
    rows = len(made)
    edits = Edits(mini)
    edits.victim, edits.other = mini / "help/2025/temporary-assistance-guide.md", mini / "docs/2024/old-notice.md"
    edits.original = edits.victim.read_text(encoding="utf-8")
    catalogue = [work / "docs/catalogue/catalogue.csv", work / "docs/catalogue/catalogue.json"]

    def afresh(prepared) -> list[bytes]:
        paths = [tmp_path / "fresh.csv", tmp_path / "fresh.json"]
        real_write = downloads._write_rows
        downloads._write_rows = lambda *a: real_write(*a[:4], None, a[5])    # no row from the old files
        try:
            downloads.write_catalogue(prepared.catalogue.records, prepared.checked.settings.base_url,
                                      prepared.catalogue.withdrawn, *paths)
        finally:
            downloads._write_rows = real_write
        return [p.read_bytes() for p in paths]

    def title_changed() -> None:
        text = edits.original.replace("title: 临时救助申请办事指南", "title: 临时救助申请办事指南（修订）")
        edits.victim.write_text(_corrected(text, 2), encoding="utf-8")

    for change, changed in ((edits.paragraph_added, 1), (title_changed, 1), (edits.record_added, 1),
                            (edits.withdrawn, 1)):
        change()
        made.clear()
        prepared = pipeline.build(mini, site, work)
        assert prepared.checked.ok, (change.__name__, prepared.checked.problems.errors[:2])
        assert len(made) == changed, (change.__name__, made)
        assert [p.read_bytes() for p in catalogue] == afresh(prepared), change.__name__
        assert [(site / "catalogue" / p.name).read_bytes() for p in catalogue] == afresh(prepared)
    # Someone else's change to the files (through a link of the published site, say): every row made again.
    with open(catalogue[0], "ab") as f:
        f.write(b"x")
    edits.victim.write_text(edits.victim.read_text(encoding="utf-8").replace("基准测试中修改", "基准测试中再次修改"),
                            encoding="utf-8")
    edits.victim.write_text(edits.victim.read_text(encoding="utf-8").replace(
        "change_log: [", "change_log: [{date: 2025-04-02, level: 一般, note: 又一次修改}, ", 1), encoding="utf-8")
    made.clear()
    prepared = pipeline.build(mini, site, work)
    assert prepared.checked.ok, prepared.checked.problems.errors[:2]
    assert len(made) == rows + 1, made
    assert [p.read_bytes() for p in catalogue] == afresh(prepared)
