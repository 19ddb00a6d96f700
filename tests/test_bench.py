"""The benchmark's synthetic corpus must pass `check`: a bench that stops at its own content measures nothing."""
import inspect
import json
import os
from pathlib import Path

import pytest

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


def _merged(data: dict) -> dict:
    """The first record's places widened over the second's row, the second's key gone: the places still tile."""
    at = data["at"]
    at[1] += at[5]
    at[3] += at[7] + 2
    data["at"] = at[:4] + at[8:]
    data["keys"] = data["keys"][:1] + data["keys"][2:]
    return data


def _swapped(data: dict) -> dict:
    data["at"][0:4], data["at"][4:8] = data["at"][4:8], data["at"][0:4]
    return data


@pytest.mark.parametrize("damage", [
    _swapped,                                                                        # places of other rows
    _merged,                                                                         # two rows as one
    lambda data: data | {"keys": [["a list"]] + data["keys"][1:]},                  # a key that cannot be one
    lambda data: data | {"at": [0, 10**12] + data["at"][2:]},                       # past the end of the file
    lambda data: data | {"csv": None},
    lambda data: data | {"at": [2**70] + data["at"][1:]},
    lambda data: "rows",
    None,                                                                            # undamaged, copied in pieces
])
def test_a_catalogue_rows_file_that_does_not_describe_the_files_makes_every_row(mini, tmp_path, monkeypatch, damage):
    """The rows file is read as damaged input: whatever it says (rows of other records at their places, keys
    that are not text, places past the end), the catalogue is the one a write from nothing makes, nothing is
    raised and no file is left open. Copies go in pieces of whole rows (COPY_PIECE), never the whole file."""
    from generator.export import downloads
    prepared = pipeline.build(mini, tmp_path / "site", tmp_path / "work")
    assert prepared.checked.ok
    records, withdrawn = prepared.catalogue.records, prepared.catalogue.withdrawn
    base = prepared.checked.settings.base_url
    fresh = [tmp_path / "fresh.csv", tmp_path / "fresh.json"]
    downloads.write_catalogue(records, base, withdrawn, *fresh)
    paths, rows_file = [tmp_path / "c.csv", tmp_path / "c.json"], tmp_path / "rows.json"
    downloads.write_catalogue(records, base, withdrawn, *paths, rows_file=rows_file, world="w")
    if damage is not None:
        rows_file.write_text(json.dumps(damage(json.loads(rows_file.read_text()))))
    monkeypatch.setattr(downloads, "COPY_PIECE", 1)
    made = []
    real = downloads.catalogue_row
    monkeypatch.setattr(downloads, "catalogue_row", lambda r, b: made.append(r) or real(r, b))
    open_before = len(os.listdir("/proc/self/fd"))
    downloads.write_catalogue(records, base, withdrawn, *paths, rows_file=rows_file, world="w")
    assert len(os.listdir("/proc/self/fd")) == open_before
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in fresh]
    assert len(made) == (0 if damage is None else len(records) + len(withdrawn))


def test_the_memory_sampler_counts_a_childs_own_memory_and_nothing_once_it_has_gone(monkeypatch):
    """A forked stage that ended between the sampler's list of processes and the reading of its PSS was counted
    at its resident size, every page it shared with the main process included: 0.8 GB no process held."""
    import signal
    from generator import bench
    read, write = os.pipe()
    child = os.fork()
    if child == 0:          # a stage beside: 200 MB of its own, then it waits to be stopped
        held = bytearray(200 * 2**20)
        held[::4096] = b"x" * len(held[::4096])
        os.write(write, b"ready")
        signal.pause()
        os._exit(0)
    try:
        os.read(read, 5)
        sampler = bench.MemorySampler()
        alone = bench._pss(os.getpid())
        assert sampler._tree_pss() - alone > 150 * 2**20, "the child's own memory counts"
        real = bench._pss
        monkeypatch.setattr(bench, "_pss", lambda pid: 0 if pid == child else real(pid))    # gone, as read
        assert sampler._tree_pss() - alone < 50 * 2**20, "a process gone since the list holds nothing"
    finally:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
