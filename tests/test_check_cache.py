"""`check` keeps what it learned about unchanged files (generator/checkcache.py): a warm check says exactly
what a cold one says, and anything that changes a file's outcome makes it be checked again."""
import dataclasses

from generator import pipeline
from generator.checkcache import CACHE_FILE
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
    assert run("check", "--content", mini, "--work", work) == expected
    cache.write_bytes(b"")
    assert run("check", "--content", mini, "--work", work) == expected


def test_a_work_directory_that_is_not_ours_is_left_alone(run, mini):
    foreign = mini.parent / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("not the generator's", encoding="utf-8")
    code, out = run("check", "--content", mini, "--work", foreign)
    assert code == 0, out
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]
