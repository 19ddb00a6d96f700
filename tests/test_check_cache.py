"""`check` keeps what it learned about unchanged files (generator/checkcache.py): a warm check says exactly
what a cold one says, and anything that changes a file's outcome makes it be checked again."""
import dataclasses
import os

import pytest

from generator import pipeline
from generator.checkcache import CACHE_FILE
from generator.checkmemo import MEMO_FILE
from tests.files import edit

NOTE = "notes/2025/subsidy-notice-explained.md"    # no attachments: its record is kept in the cache


def check_twice(run, mini, *args):
    """The output of a check, and of the same check run again on the cache the first one left."""
    work = mini.parent / "build"
    first = run("check", "--content", mini, "--work", work, *args)
    second = run("check", "--content", mini, "--work", work, *args)
    return first, second


def test_a_warm_check_says_what_a_cold_one_says(run, mini):
    first, second = check_twice(run, mini)
    assert first == second and first[0] == 0, first
    assert (mini.parent / "build" / CACHE_FILE).is_file()
    assert (mini.parent / "build" / ".gkgen-lock").is_file(), "a later build must accept the work directory"


def test_warm_records_equal_fresh_ones(mini):
    work = mini.parent / "build"
    cold = pipeline.check(mini)
    pipeline.check(mini, work=work)
    warm = pipeline.check(mini, work=work)
    assert warm.ok and cold.ok
    assert cold.reused == 0 and warm.reused >= 1
    fields = lambda r: {f.name: getattr(r, f.name) for f in dataclasses.fields(r) if f.name != "data"}
    assert [fields(r) for r in warm.records] == [fields(r) for r in cold.records]
    assert [dict(r.data) for r in warm.records] == [dict(r.data) for r in cold.records]
    assert any(r.source.endswith(NOTE) for r in warm.records)
    # Categories and organisations are this run's objects, not copies from the cache.
    assert all(r.category is warm.categories[r.category.id] for r in warm.records)
    assert all(r.publisher in warm.settings.organisations for r in warm.records)


def test_an_edited_file_is_checked_again(run, mini):
    work = mini.parent / "build"
    assert run("check", "--content", mini, "--work", work)[0] == 0
    edit(mini / NOTE, "written_on: 2025-03-14", "written_on: 2025-02-30")
    code, out = run("check", "--content", mini, "--work", work)
    assert code == 1 and "日期不存在" in out, out


def test_a_failed_check_writes_no_cache(run, mini):
    edit(mini / NOTE, "written_on: 2025-03-14", "written_on: 2025-02-30")
    assert run("check", "--content", mini, "--work", mini.parent / "build")[0] == 1
    assert not (mini.parent / "build").exists()


def test_a_changed_schema_checks_every_record_again(run, mini):
    work = mini.parent / "build"
    assert run("check", "--content", mini, "--work", work)[0] == 0
    edit(mini / "notes" / "_schema.yml", "required: [interprets]", "required: [interprets, doc_no]")
    code, out = run("check", "--content", mini, "--work", work)
    assert code == 1 and "缺少必填字段" in out and NOTE in out, out


def test_warnings_are_said_again_on_a_warm_check(run, mini):
    edit(mini / NOTE, "title:", "draft: true\ntitle:")
    (code1, out1), (code2, out2) = check_twice(run, mini)
    assert code1 == code2 == 0
    assert "草稿，不会发布" in out1 and out1 == out2


def test_a_damaged_cache_is_a_cold_check(run, mini):
    work = mini.parent / "build"
    expected = run("check", "--content", mini, "--work", work)
    cache = work / CACHE_FILE
    data = bytearray(cache.read_bytes())
    data[len(data) // 2] ^= 0xFF
    cache.write_bytes(bytes(data))
    (work / MEMO_FILE).unlink()         # else unchanged content is answered from the memo (checkmemo.py)
    assert run("check", "--content", mini, "--work", work) == expected
    cache.write_bytes(b"")
    (work / MEMO_FILE).unlink()
    assert run("check", "--content", mini, "--work", work) == expected


def test_a_work_directory_that_is_not_ours_is_left_alone(run, mini):
    foreign = mini.parent / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("not the generator's", encoding="utf-8")
    code, out = run("check", "--content", mini, "--work", foreign)
    assert code == 0, out
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]


# ---- the memo of a whole check (checkmemo.py) ------------------------------------------------------------

@pytest.fixture
def counted(monkeypatch):
    """How many times the check itself ran (not answered from the memo)."""
    calls = []
    real = pipeline.check
    monkeypatch.setattr(pipeline, "check", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def test_unchanged_content_is_answered_from_the_memo(run, mini, counted):
    edit(mini / NOTE, "title:", "draft: true\ntitle:")      # a 提醒 that must be said again
    work = mini.parent / "build"
    first = run("check", "--content", mini, "--work", work)
    assert first[0] == 0 and "草稿，不会发布" in first[1]
    assert run("check", "--content", mini, "--work", work) == first
    assert counted == [1]


def _same_size_same_time(path, old, new):
    before = path.stat()
    edit(path, old, new)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


CHANGES = {
    "a record, same size and time": lambda mini: _same_size_same_time(mini / NOTE, "2025-03-14", "2025-02-30"),
    "an attachment": lambda mini: (mini / ATTACHMENT).write_bytes((mini / ATTACHMENT).read_bytes() + b"1,2\n"),
    "a stray file": lambda mini: (mini / "notes" / "2025" / "notes.txt").write_text("x", encoding="utf-8"),
    "a folder named like a record": lambda mini: (mini / "notes" / "2025" / "odd.md").mkdir(),
    "a category's schema": lambda mini: edit(mini / "notes" / "_schema.yml", "required: [interprets]",
                                              "required: [interprets, doc_no]"),
    "the manifest": lambda mini: (mini / "_published.json").write_text('{"records": [}', encoding="utf-8"),
    "the date": lambda mini: os.environ.__setitem__("GK_TODAY", "2031-01-05"),
}
ATTACHMENT = "docs/2025/subsidy-notice/附件1-临时救助标准表.csv"


@pytest.mark.parametrize("change", CHANGES)
def test_any_changed_input_is_checked_again(run, mini, counted, monkeypatch, change):
    monkeypatch.setenv("GK_TODAY", "2026-01-05")
    work = mini.parent / "build"
    first = run("check", "--content", mini, "--work", work)
    assert first[0] == 0, first
    CHANGES[change](mini)
    run("check", "--content", mini, "--work", work)
    assert counted == [1, 1], f"{change}: answered from the memo"


def test_paths_are_said_from_where_check_runs(run, mini, counted, monkeypatch):
    edit(mini / NOTE, "title:", "draft: true\ntitle:")
    work = mini.parent / "build"
    first = run("check", "--content", mini, "--work", work)
    (mini.parent / "elsewhere").mkdir()
    monkeypatch.chdir(mini.parent / "elsewhere")
    again = run("check", "--content", mini, "--work", work)
    assert counted == [1, 1] and again[0] == first[0]


def test_a_check_with_errors_is_not_remembered(run, mini, counted):
    edit(mini / NOTE, "written_on: 2025-03-14", "written_on: 2025-02-30")
    work = mini.parent / "build"
    work.mkdir()
    (work / ".gkgen-lock").touch()
    assert run("check", "--content", mini, "--work", work)[0] == 1
    assert run("check", "--content", mini, "--work", work)[0] == 1
    assert counted == [1, 1] and not (work / MEMO_FILE).exists()


def test_the_cycle_collector_is_on_after_a_check_and_leaves_its_records_out_of_its_scans():
    """pipeline._long_lived: off while records are made, on again after, the records frozen."""
    import gc

    from generator import pipeline
    from tests.conftest import MINI

    gc.unfreeze()
    checked = pipeline.check(MINI)
    assert checked.records and gc.isenabled()
    assert gc.get_freeze_count() > 0
    gc.unfreeze()


def reads_of(monkeypatch) -> list[str]:
    """The record files the next checks read (load.py's read_text), by name."""
    from generator import load
    seen, real = [], load.read_text
    monkeypatch.setattr(load, "read_text", lambda path: seen.append(path.as_posix()) or real(path))
    return seen


def test_an_unchanged_file_is_not_read_again_and_a_rewritten_one_is(run, mini, monkeypatch):
    """A file whose facts (inode, size, times) are those of the last check is taken unread; one rewritten in
    place with its size and modification time kept (a copy that preserves times) is read: its change time
    moved."""
    from generator import checkcache
    monkeypatch.setattr(checkcache, "SETTLED_NS", 0)        # the files are seconds old: let them vouch
    work = mini.parent / "build"
    assert run("check", "--content", mini, "--work", work)[0] == 0
    reads = reads_of(monkeypatch)
    assert pipeline.check(mini, work=work).ok
    assert not [r for r in reads if r.endswith(NOTE)], reads
    before = os.stat(mini / NOTE)
    edit(mini / NOTE, "written_on: 2025-03-14", "written_on: 2025-02-30")      # same length
    os.utime(mini / NOTE, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(mini / NOTE).st_size == before.st_size
    code, out = run("check", "--content", mini, "--work", work)
    assert code == 1 and "日期不存在" in out, out


def test_times_of_just_now_do_not_vouch_for_a_file(run, mini, monkeypatch):
    """A file written less than two seconds before a check could be rewritten within the same tick of the
    clock with nothing in its facts to show it: it is read again by the next check."""
    work = mini.parent / "build"
    assert run("check", "--content", mini, "--work", work)[0] == 0
    reads = reads_of(monkeypatch)
    edit(mini / NOTE, "为了让困难群众", "为了让受困群众")
    assert pipeline.check(mini, work=work).ok and pipeline.check(mini, work=work).ok     # (no memo: checkmemo.py)
    assert len([r for r in reads if r.endswith(NOTE)]) == 2, reads
