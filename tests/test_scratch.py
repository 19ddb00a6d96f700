"""The search stage's short-lived files (stubs, Pagefind's own output before the recut) live in a scratch
folder in memory when there is room (generator/scratch.py): the index is the same wherever they were, nothing
is left behind by a build that ends or fails, and what a killed build left is removed by the next one."""
import errno
import fcntl
import json
import os
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator import scratch, search, searchchunks
from generator.pagefind_files import read
from tests.files import indexed_text, never_published


class Made:
    """The scratch folders made, noted in a file (the search stage runs in a forked process)."""

    def __init__(self, log):
        self.log = log

    def __iter__(self):
        return iter([Path(line) for line in self.log.read_text().split("\n") if line] if self.log.exists() else [])

    def __bool__(self):
        return bool(list(self))

    def clear(self):
        self.log.unlink(missing_ok=True)


@pytest.fixture
def memory(tmp_path, monkeypatch):
    """A stand-in for /dev/shm; every scratch folder made is noted."""
    folder = tmp_path / "memory"
    folder.mkdir()
    monkeypatch.setattr(scratch, "MEMORY", folder)
    made = Made(tmp_path / "made.log")
    real = scratch.scratch_folder

    @contextmanager
    def noted(fallback, memory=True):
        with real(fallback, memory) as place:
            with open(made.log, "a") as log:
                log.write(f"{place}\n")
            yield place
    monkeypatch.setattr(search, "scratch_folder", noted)
    return folder, made


def _index(site):
    """Each page's indexed words and what its result shows, per index (pages are numbered in the order Pagefind
    found their stubs, which is the file system's)."""
    return {bundle.name: {url: (words, _shown(bundle, url)) for url, words in indexed_text(bundle).items()}
            for bundle in site.glob("pagefind*") if (bundle / "pagefind-entry.json").exists()}


def _shown(bundle, url):
    for fragment in (bundle / "fragment").iterdir():
        data = json.loads(read(fragment))
        if data["url"] == url:
            return data["meta"]


def test_the_index_is_the_same_from_memory_and_from_disk(run, mini, memory, monkeypatch):
    folder, made = memory
    assert run("build", "--content", mini, "--out", mini.parent / "site-a", "--work", mini.parent / "work-a")[0] == 0
    assert made and all(m.parent == folder for m in made), made
    assert not list(folder.iterdir()), "nothing left in memory"
    never_published(mini)
    monkeypatch.setattr(scratch, "MEMORY_SPARE", 1 << 62)      # no room: the work directory instead
    made.clear()
    assert run("build", "--content", mini, "--out", mini.parent / "site-b", "--work", mini.parent / "work-b")[0] == 0
    assert made and all(mini.parent / "work-b" in m.parents for m in made), made
    assert not [m for m in made if m.exists()], "nothing left in the work directory"
    index = _index(mini.parent / "site-a")
    assert index["pagefind"] and index == _index(mini.parent / "site-b")


def test_a_build_whose_index_fails_leaves_no_scratch_behind(run, mini, memory, monkeypatch):
    folder, made = memory

    def cut_short(*args, **kwargs):
        raise IndexError("a chunk cut short")
    monkeypatch.setattr(searchchunks, "_entries", cut_short)
    code, out = run("build", "--content", mini, "--out", mini.parent / "site", "--work", mini.parent / "work")
    assert code == 2 and made, out
    assert not list(folder.iterdir())


def test_what_a_killed_build_left_is_removed_by_the_next(memory, monkeypatch):
    """A folder nobody holds is removed, even when memory is too full to be used; one a running build holds
    (in this or another container: a lock, not a process id), a link named like ours, and others' files stay."""
    folder, _ = memory
    gone = folder / f"{scratch.PREFIX}{os.getpid()}-x1"     # a killed build's: same id or not, nobody holds it
    (gone / "stubs").mkdir(parents=True)
    (gone / "stubs" / "index.html").write_text("<p>stub</p>", encoding="utf-8")
    running = folder / f"{scratch.PREFIX}1-x2"
    running.mkdir()
    held = os.open(running, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(held, fcntl.LOCK_EX)
    target = folder.parent / "elsewhere"
    target.mkdir()
    (folder / f"{scratch.PREFIX}1-x3").symlink_to(target)
    other = folder / "someone-elses"
    other.mkdir()
    monkeypatch.setattr(scratch, "MEMORY_SPARE", 1 << 62)
    try:
        assert scratch.memory_root() is None        # no room: the disk, but the leftovers are gone first
        assert not gone.exists() and running.exists() and other.exists() and target.exists()
    finally:
        os.close(held)
    scratch.sweep(folder)
    assert not running.exists(), "once let go, it is removed"


def test_memory_that_runs_out_while_indexing_means_the_disk(run, mini, memory, monkeypatch):
    folder, made = memory
    real = search._write_stubs

    def full(pages, target):
        if scratch.in_memory(target.parent):
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real(pages, target)
    monkeypatch.setattr(search, "_write_stubs", full)
    code, out = run("build", "--content", mini, "--out", mini.parent / "site", "--work", mini.parent / "work")
    assert code == 0, out
    places = list(made)
    assert any(p.parent == folder for p in places) and any(mini.parent / "work" in p.parents for p in places)
    assert not [p for p in places if p.exists()]
    assert _index(mini.parent / "site")["pagefind"]
