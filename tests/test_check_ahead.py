"""A cold check reads and validates the files the cache lacks on both cores (generator/checkahead.py): it says
exactly what a check in one process says, its records are the same, and a rebuild after an edit pays nothing
for it."""
import dataclasses
import os
import re
import shutil

import pytest

from generator import beside, checkahead, pipeline
from tests.conftest import ROOT
from tests.files import edit
from tests.sectors import SECTORS


@pytest.fixture
def forked(monkeypatch):
    """Every check goes ahead on two cores, however few files it has; the processes forked are counted."""
    monkeypatch.setattr(checkahead, "AHEAD_FROM", 1)
    started = []

    class Counted(checkahead.Beside):
        def __init__(self, stage):
            started.append(stage)
            super().__init__(stage)
    monkeypatch.setattr(checkahead, "Beside", Counted)
    return started


def _fields(record):
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.name != "data"} | {
        "data": dict(record.data)}


def _spoilt_demo(tmp_path):
    """The demo content with a mistake of every kind an editor makes, and things that are not record files."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    files = sorted(p for p in content.rglob("*.md") if "/_" not in p.as_posix())
    edit(files[3], "written_on: ", "x_written_on: ")                                   # an unknown field
    files[4].write_text(re.sub(r"written_on: .*", "written_on: 2025-02-30", files[4].read_text(encoding="utf-8"),
                               count=1), encoding="utf-8")                               # a day that never was
    text = files[7].read_text(encoding="utf-8")
    files[7].write_text(text.replace("title:", "title: [unclosed", 1), encoding="utf-8")     # YAML error
    text = files[11].read_text(encoding="utf-8")
    files[11].write_text(text.replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")  # a warning only
    text = files[13].read_text(encoding="utf-8")
    head, _, rest = text.partition("\ntitle:")
    files[13].write_text(head + "\ntitle: 重复的标题\ntitle:" + rest, encoding="utf-8")        # a field twice
    shutil.copy(files[20], files[20].with_name("copy-of-a-record.md"))                  # a 索引号 held twice
    files[25].write_bytes(files[25].read_bytes().replace("。".encode(), b"\xff", 1))      # not UTF-8
    os.mkfifo(files[30].with_name("pipe.md"))                                           # would block a reader
    (files[31].with_name("linked.md")).symlink_to(tmp_path / "outside.md")
    (tmp_path / "outside.md").write_text(files[31].read_text(encoding="utf-8"), encoding="utf-8")
    return content


def test_a_cold_check_on_two_cores_says_what_one_core_says(run, tmp_path, forked, monkeypatch):
    content = _spoilt_demo(tmp_path)
    monkeypatch.chdir(tmp_path)
    two = run("check", "--content", content, "--work", tmp_path / "two")
    assert forked, "the check went ahead in a second process"
    monkeypatch.setattr(checkahead, "AHEAD_FROM", 10 ** 9)
    one = run("check", "--content", content, "--work", tmp_path / "one")
    assert two == one
    code, out = one
    assert code == 1
    for said in ("日期不存在", "YAML", "草稿", "字段重复出现", "索引号", "UTF-8", "这不是普通文件", "指向内容目录之外"):
        assert said in out, said


@pytest.mark.parametrize("source", [ROOT / "content", SECTORS], ids=["demo", "second-locality"])
def test_records_made_ahead_are_those_a_check_in_one_process_makes(tmp_path, forked, monkeypatch, source):
    content = tmp_path / "content"
    shutil.copytree(source, content)
    two = pipeline.check(content, work=tmp_path / "two")
    assert len(forked) == 1
    monkeypatch.setattr(checkahead, "AHEAD_FROM", 10 ** 9)
    one = pipeline.check(content, work=tmp_path / "one")
    assert two.ok and one.ok and len(one.records) > 5
    assert [_fields(r) for r in two.records] == [_fields(r) for r in one.records]
    # Shared objects are this run's, whichever process read the record.
    assert all(r.category is two.categories[r.category.id] for r in two.records)
    assert all(r.publisher in two.settings.organisations for r in two.records)
    # Made ahead in this run is not taken from the last run's cache; the next check is warm throughout.
    assert two.reused == 0
    again = pipeline.check(content, work=tmp_path / "two")
    assert again.reused == len(one.records) - sum(1 for r in one.records if r.attachments)
    assert len(forked) == 1, "a warm check forks nothing"


def test_a_rebuild_after_an_edit_reads_nothing_ahead(tmp_path, forked):
    content = tmp_path / "content"
    shutil.copytree(SECTORS, content)
    work = tmp_path / "work"
    assert pipeline.check(content, work=work).ok and len(forked) == 1
    changed = next(p for p in sorted(content.rglob("*.md")) if "summary:" in p.read_text(encoding="utf-8"))
    edit(changed, "summary: ", "summary: 补充说明。")
    checked = pipeline.check(content, work=work)
    assert checked.ok and len(forked) == 1
    assert any("补充说明" in r.summary for r in checked.records)


def test_a_second_process_that_fails_costs_only_its_speed(tmp_path, forked, monkeypatch):
    """The check reads and validates again every file the second process left without an entry."""
    content = tmp_path / "content"
    shutil.copytree(SECTORS, content)

    counted = checkahead.Beside

    def broken(stage):
        return counted(lambda: 1 / 0)
    monkeypatch.setattr(checkahead, "Beside", broken)
    checked = pipeline.check(content, work=tmp_path / "work")
    monkeypatch.setattr(checkahead, "AHEAD_FROM", 10 ** 9)
    alone = pipeline.check(content, work=tmp_path / "alone")
    assert checked.ok and [_fields(r) for r in checked.records] == [_fields(r) for r in alone.records]


def test_no_process_to_be_had_or_one_core_means_one_process(tmp_path, forked, monkeypatch):
    """A fork refused (a limit on processes) costs nothing but speed; with one core nothing is forked."""
    content = tmp_path / "content"
    shutil.copytree(SECTORS, content)

    def refused(stage):
        raise OSError(11, "Resource temporarily unavailable")
    monkeypatch.setattr(checkahead, "Beside", refused)
    checked = pipeline.check(content, work=tmp_path / "refused")
    monkeypatch.setattr(checkahead, "AHEAD_FROM", 10 ** 9)
    alone = pipeline.check(content, work=tmp_path / "alone")
    assert checked.ok and [_fields(r) for r in checked.records] == [_fields(r) for r in alone.records]
    monkeypatch.setattr(checkahead, "AHEAD_FROM", 1)
    monkeypatch.setattr(checkahead, "Beside", refused)
    monkeypatch.setattr(checkahead, "cores", lambda: 1)
    assert pipeline.check(content, work=tmp_path / "one-core").ok      # refused() was never called


@pytest.mark.parametrize("quota, expected", [("max 100000", None), ("150000 100000", 1), ("200000 100000", 2),
                                             ("50000 100000", 0), ("garbage", None)])
def test_a_containers_cpu_quota_counts_as_cores(tmp_path, monkeypatch, quota, expected):
    (tmp_path / "cpu.max").write_text(quota + "\n")
    monkeypatch.setattr(beside, "CPU_QUOTA", tmp_path / "cpu.max")
    monkeypatch.setattr(beside.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert beside.cores() == (4 if expected is None else expected)
