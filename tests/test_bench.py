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
