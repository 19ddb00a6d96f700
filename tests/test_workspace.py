"""Where a run may write, and one run at a time (issue #14, classes 4 and 5), with real builds and processes."""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT, tree_digest

GENERATOR = [sys.executable, "-m", "generator"]


def spawn(*argv, cwd: Path) -> subprocess.Popen:
    """A real command line in its own session (so a test can stop or kill it with all its children)."""
    return subprocess.Popen([*GENERATOR, *map(str, argv)], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def wait_until(predicate, what: str, seconds: float = 120):
    """Poll for an event of a real process; the limit only keeps a broken run from hanging the suite."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


def site_files(site: Path) -> list[str]:
    """Every file of a site, with the content hashes Pagefind puts in its file names left out."""
    return sorted(re.sub(r"[0-9a-f]{7,}", "#", p.relative_to(site).as_posix())
                  for p in site.rglob("*") if p.is_file())


@pytest.fixture
def previous(mini):
    """A site built earlier into site/, with the work directory build/."""
    site, work = mini.parent / "site", mini.parent / "build"
    from generator import pipeline
    assert pipeline.build(mini, site, work).checked.ok
    return site, work


# ---- class 5: outputs and work directories that would destroy something ------------------------------------

def _refused(run, mini, argv, *fragments):
    before = tree_digest(mini)
    outside = {p.name: tree_digest(p) if p.is_dir() else p.read_bytes()
               for p in mini.parent.iterdir() if p.name != "content"}
    code, out = run(*argv)
    assert code == 2, out
    assert "Traceback" not in out
    for fragment in fragments:
        assert fragment in out, out
    assert tree_digest(mini) == before, "the content tree must be byte-identical"
    assert {p.name: tree_digest(p) if p.is_dir() else p.read_bytes()
            for p in mini.parent.iterdir() if p.name != "content"} == outside, "nothing else may be touched"
    return out


@pytest.mark.parametrize("out,fragment", [
    ("content", "就是内容目录"),
    ("content/docs", "之中"),
    ("content/site", "之中"),
    (".", "包含了内容目录"),
])
def test_build_never_writes_over_the_content(run, mini, out, fragment):
    """`build --content C --out C` replaced C with the site: every source file was lost, exit 0."""
    _refused(run, mini, ["build", "--content", mini, "--out", mini.parent / out, "--work", mini.parent / "build"],
             fragment, "内容文件将会丢失")
    assert not (mini.parent / "build").exists()


def test_build_refuses_an_output_that_overlaps_the_work_directory(run, mini):
    base = mini.parent
    _refused(run, mini, ["build", "--content", mini, "--out", base / "build", "--work", base / "build"], "重叠")
    _refused(run, mini, ["build", "--content", mini, "--out", base / "out", "--work", base / "out/build"], "重叠")
    _refused(run, mini, ["build", "--content", mini, "--out", base / "build/site", "--work", base / "build"], "重叠")


def test_build_refuses_the_project_directory(mini):
    """Run from a copy of the project, so that a regression destroys only the copy."""
    outer = mini.parent / "outer"
    project = outer / "gkgen"
    for name in ("generator", "theme"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    before = tree_digest(outer)
    for out in (project, outer):
        proc = subprocess.run([sys.executable, "-m", "generator", "build", "--content", str(mini), "--out", str(out),
                               "--work", str(mini.parent / "build")], cwd=project, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(project)}, timeout=300)
        assert proc.returncode == 2 and "项目目录" in proc.stderr, proc.stdout + proc.stderr
    assert tree_digest(outer) == before


def test_build_refuses_a_folder_of_other_files(run, mini):
    papers = mini.parent / "papers"
    papers.mkdir()
    (papers / "年度报告.docx").write_bytes(b"not ours")
    _refused(run, mini, ["build", "--content", mini, "--out", papers, "--work", mini.parent / "build"],
             "不是空目录", ".gkgen-site")


def test_build_refuses_a_file_as_output(run, mini):
    target = mini.parent / "site.html"
    target.write_text("一个文件", encoding="utf-8")
    _refused(run, mini, ["build", "--content", mini, "--out", target, "--work", mini.parent / "build"], "是一个文件")


def test_build_refuses_a_link_as_output(run, mini):
    (mini.parent / "real").mkdir()
    (mini.parent / "site").symlink_to(mini.parent / "real")
    _refused(run, mini, ["build", "--content", mini, "--out", mini.parent / "site", "--work", mini.parent / "build"],
             "符号链接")


@pytest.mark.parametrize("work,fragment", [("content", "就是内容目录"), ("content/build", "之中")])
def test_build_never_uses_the_content_as_work_directory(run, mini, work, fragment):
    _refused(run, mini, ["build", "--content", mini, "--out", mini.parent / "site", "--work", mini.parent / work],
             fragment)


def test_build_refuses_a_foreign_or_file_work_directory(run, mini):
    notes = mini.parent / "notes"
    notes.mkdir()
    (notes / "a.txt").write_text("x", encoding="utf-8")
    _refused(run, mini, ["build", "--content", mini, "--out", mini.parent / "site", "--work", notes], "不是空目录")
    (mini.parent / "w").write_text("x", encoding="utf-8")
    _refused(run, mini, ["build", "--content", mini, "--out", mini.parent / "site", "--work", mini.parent / "w"],
             "是一个文件")


@pytest.mark.parametrize("out,fragment", [("content", "就是内容目录"), ("content/print", "之中"),
                                          ("papers", "不是空目录")])
def test_print_never_writes_over_the_content_or_other_files(run, mini, out, fragment):
    (mini.parent / "papers").mkdir()
    (mini.parent / "papers" / "a.pdf").write_bytes(b"%PDF not ours")
    _refused(run, mini, ["print", "--content", mini, "--out", mini.parent / out, "--work", mini.parent / "build"],
             fragment)


def test_print_refuses_to_replace_a_website(run, mini, previous):
    site, work = previous
    before = tree_digest(site)
    code, out = run("print", "--content", mini, "--out", site, "--work", work)
    assert code == 2 and "网站目录" in out, out
    assert tree_digest(site) == before


def test_outputs_of_ours_are_replaced(run, mini, previous):
    site, work = previous
    assert (site / ".gkgen-site").is_file()
    (site / "stale.html").write_text("上次的文件", encoding="utf-8")
    code, out = run("build", "--content", mini, "--out", site, "--work", work)
    assert code == 0, out
    assert not (site / "stale.html").exists()
    # An output made before outputs were marked is recognised by its shape.
    (site / ".gkgen-site").unlink()
    code, out = run("build", "--content", mini, "--out", site, "--work", work)
    assert code == 0, out
    # print never into the website's own print folder; into a new folder it marks it as ours.
    assert run("print", "--content", mini, "--out", site / "print", "--work", work)[0] == 2
    assert run("print", "--content", mini, "--out", mini.parent / "print", "--work", work)[0] == 0
    assert (mini.parent / "print" / ".gkgen-print").is_file()


@contextmanager
def made_read_only(folder: Path):
    """folder, which this process then cannot write into (immutable when run as root: modes do not bind root)."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
    else:
        folder.chmod(0o555)
        made = True
    try:
        try:
            (folder / "probe").touch()
            (folder / "probe").unlink()
            writable = True
        except OSError:
            writable = False
        if not made or writable:
            pytest.skip("cannot make a read-only directory here")
        yield folder
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
        folder.chmod(0o755)


@pytest.fixture
def read_only(tmp_path):
    with made_read_only(tmp_path / "readonly") as folder:
        yield folder


def test_a_read_only_output_folder_is_an_environment_error(run, mini, read_only):
    code, out = run("build", "--content", mini, "--out", read_only / "site", "--work", mini.parent / "build")
    assert code == 2 and "只读" in out and "Traceback" not in out, out
    code, out = run("print", "--content", mini, "--out", read_only / "print", "--work", mini.parent / "build")
    assert code == 2 and "只读" in out, out
    code, out = run("build", "--content", mini, "--out", mini.parent / "site", "--work", read_only / "build")
    assert code == 2 and "只读" in out, out


def test_a_work_folder_that_cannot_be_written_half_way_is_an_environment_error(run, mini):
    """The search index is written by a forked process: its error comes back as a message, not a traceback."""
    work = mini.parent / "build"
    work.mkdir()
    (work / ".gkgen-lock").touch()
    with made_read_only(work / "search"):
        code, out = run("build", "--content", mini, "--out", mini.parent / "site", "--work", work)
    assert code == 2 and "无法读写" in out and "Traceback" not in out, out
    assert not (mini.parent / "site").exists() and not list(mini.parent.glob(".site.*"))


# ---- class 4: one run at a time in a work directory ---------------------------------------------------------

def test_a_second_build_stops_while_the_first_holds_the_lock(mini, previous):
    """The first build is held just after it takes the lock: the list of staging folders it reads first is a
    named pipe here, so it waits for the test to write it. The second build surely meets the lock."""
    site, work = previous
    before = tree_digest(site)
    journal = work / ".gkgen-staging"
    if journal.exists():
        journal.unlink()
    os.mkfifo(journal)
    argv = ["build", "--content", mini, "--out", site, "--work", work]
    first = spawn(*argv, cwd=mini.parent)
    try:
        lock = work / ".gkgen-lock"
        wait_until(lambda: lock.exists() and lock.read_text().strip() == str(first.pid), "the first build locks")
        second = subprocess.run([*GENERATOR, *map(str, argv)], cwd=mini.parent, capture_output=True, text=True,
                                env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
        assert second.returncode == 2, second.stdout + second.stderr
        assert f"另一个生成任务正在进行（进程 {first.pid}）" in second.stderr
        assert "Traceback" not in second.stderr
        assert tree_digest(site) == before, "the second build must not touch the site"
        with open(journal, "w") as release:
            release.write("[]")
        output, _ = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    assert first.returncode == 0, output
    assert site_files(site) == site_files_of_a_fresh_build(mini)
    only_the_replaced_site_beside(site)


def site_files_of_a_fresh_build(mini: Path) -> list[str]:
    from generator import pipeline
    fresh = mini.parent / "fresh"
    assert pipeline.build(mini, fresh, mini.parent / "fresh-work").checked.ok
    files = site_files(fresh)
    shutil.rmtree(fresh)
    return files


def test_two_builds_started_at_once_leave_one_complete_site(mini, previous):
    """Both on the same work directory and output: one builds, the other stops (or runs after it); the site
    is always a whole one, never a mix."""
    site, work = previous
    argv = ["build", "--content", mini, "--out", site, "--work", work]
    runs = [spawn(*argv, cwd=mini.parent) for _ in range(2)]
    outputs = [r.communicate(timeout=300)[0] for r in runs]
    codes = sorted(r.returncode for r in runs)
    assert codes in ([0, 0], [0, 2]), outputs
    for run_, output in zip(runs, outputs):
        assert "Traceback" not in output, output
        if run_.returncode == 2:
            assert "另一个生成任务正在进行（进程 " in output, output
    assert site_files(site) == site_files_of_a_fresh_build(mini)
    only_the_replaced_site_beside(site)


def only_the_replaced_site_beside(site: Path) -> None:
    """After a build replaced a site: no staging folder, and at most the site it replaced, whose folders the
    next build stages into (recycle.py)."""
    assert not list(site.parent.glob(".site.tmp-*"))
    assert len(list(site.parent.glob(".site.old-*"))) <= 1, list(site.parent.glob(".site.*"))


def test_the_replaced_site_is_emptied_in_the_background(mini, previous, monkeypatch):
    """The site a build replaces is emptied right after the swap by a find left running in the background (the
    build does not wait for it), its folders kept for the next build (test_recycle.py); one left by a run in
    another work directory goes, nothing that is not ours, and a retired site a removal did not finish is
    removed by the next build."""
    from generator import pipeline, recycle
    site, work = previous
    (site / "sentinel").write_text("上一版网站")
    assert pipeline.build(mini, site, work).checked.ok
    assert not (site / "sentinel").exists()
    kept = list(site.parent.glob(".site.old-*"))
    assert len(kept) == 1
    wait_until(lambda: sorted(p.name for p in kept[0].rglob("*") if not p.is_dir())
               == sorted([".gkgen-site", recycle.FOLDERS]),
               "the replaced site is emptied", seconds=60)
    # A retired site of a run in another work directory (its process gone), and a folder of someone else's
    # with a look-alike name.
    stray, foreign = site.parent / ".site.old-999999", site.parent / ".site.old-999998"
    shutil.copytree(site, stray)
    foreign.mkdir()
    (foreign / "keep.txt").write_text("别人的文件")
    assert pipeline.build(mini, site, work).checked.ok
    wait_until(lambda: not stray.exists(), "the stray retired site is removed", seconds=60)
    assert foreign in site.parent.glob(".site.old-*") and len(list(site.parent.glob(".site.old-*"))) == 2
    assert (foreign / "keep.txt").read_text() == "别人的文件"
    # A removal that did not happen (the emptying could not start, and the machine stopped): the next build's
    # sweeper takes it.
    shutil.rmtree(foreign)
    monkeypatch.setattr(recycle, "empty_later", lambda folder, keep: False)
    monkeypatch.setattr(workspace_module(), "_remove_later", lambda folders, held=(): None)
    assert pipeline.build(mini, site, work).checked.ok
    monkeypatch.undo()
    left = list(site.parent.glob(".site.old-*"))
    journal = (work / ".gkgen-staging").read_text()
    assert len(left) == 1 and '"retired": true' in journal and '"skeleton"' not in journal
    (left[0] / "sentinel").write_text("x")
    # The next build in a process of its own: its own retired site has another name.
    later = spawn("build", "--content", mini, "--out", site, "--work", work, cwd=mini.parent)
    assert later.wait(timeout=300) == 0
    wait_until(lambda: not left[0].exists(), "removed by the next build", seconds=60)


def workspace_module():
    import generator.workspace as workspace
    return workspace


def test_a_site_retired_under_the_same_process_id_is_cleared_while_another_removal_runs(mini, previous,
                                                                                          monkeypatch):
    """Builds in one long process retire the old site under the same name each time; the background removal of
    the last one may still be running when the next build swaps: the swap waits for the folder to go instead
    of failing on files that vanish under it. (The race is timing-dependent: this run shows the swap copes,
    it cannot force the moment the old code failed.)"""
    import threading
    import generator.workspace as workspace
    from generator import pipeline
    site, work = previous
    removers = []

    def slow_removal(folders, held=()):
        def run():
            for folder in folders:
                for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
                    try:
                        path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
                    except OSError:
                        pass
                    time.sleep(0.003)
        removers.append(threading.Thread(target=run))
        removers[-1].start()

    from generator import recycle
    monkeypatch.setattr(recycle, "empty_later", lambda folder, keep: False)      # removed, not kept
    monkeypatch.setattr(workspace, "_remove_later", slow_removal)
    monkeypatch.setattr(workspace, "_sweep", lambda retired: None)     # only the slow removal runs
    try:
        assert pipeline.build(mini, site, work).checked.ok      # retires the previous site under this pid
        assert removers and removers[0].is_alive(), "the removal should still be running"
        assert pipeline.build(mini, site, work).checked.ok      # the same name again, while it runs
    finally:
        for remover in removers:
            remover.join()
    assert site_files(site) == site_files_of_a_fresh_build(mini)


@contextmanager
def held_lock(work: Path):
    """The work directory's lock, taken here as another process would."""
    with open(work / ".gkgen-lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock.truncate(0)
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        yield


def test_print_and_build_respect_a_held_lock(run, mini, previous):
    site, work = previous
    before = tree_digest(site)
    with held_lock(work):
        code, out = run("print", "--content", mini, "--out", mini.parent / "print", "--work", work)
        assert code == 2 and f"另一个生成任务正在进行（进程 {os.getpid()}）" in out, out
        code, out = run("build", "--content", mini, "--out", site, "--work", work)
        assert code == 2 and "另一个生成任务正在进行" in out, out
    assert tree_digest(site) == before
    code, out = run("print", "--content", mini, "--out", mini.parent / "print", "--work", work)
    assert code == 0, out


def test_serve_respects_a_held_lock(mini, previous):
    _, work = previous
    with held_lock(work):
        proc = subprocess.run([*GENERATOR, "serve", "--content", str(mini), "--work", str(work), "--port", "0"],
                              cwd=mini.parent, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 2 and "另一个生成任务正在进行" in proc.stderr, proc.stdout + proc.stderr


# ---- class 7: a tool that cannot start is an environment error, not a traceback -----------------------------

def test_pagefind_that_cannot_start_is_an_environment_error(run, mini, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(mini.parent / "no-such-pagefind"))
    code, out = run("build", "--content", mini, "--out", mini.parent / "site", "--work", mini.parent / "build")
    assert code == 2, out
    assert "生成搜索索引失败" in out and "Traceback" not in out and 'File "' not in out, out
    assert not (mini.parent / "site").exists() and not list(mini.parent.glob(".site.*"))


def test_a_missing_python_is_an_environment_error(run, mini, monkeypatch):
    """MkDocs and Pagefind run under the build's own interpreter; gone (a venv removed mid-way), neither starts."""
    monkeypatch.setattr(sys, "executable", str(mini.parent / "no-such-python"))
    code, out = run("build", "--content", mini, "--out", mini.parent / "site", "--work", mini.parent / "build")
    assert code == 2, out
    assert "无法启动" in out and "Traceback" not in out, out
    assert not (mini.parent / "site").exists() and not list(mini.parent.glob(".site.*"))


def test_print_before_the_first_build(run, mini):
    """`print` on a fresh checkout, then `build` into site beside it: both outputs are ours, side by side."""
    site, work = mini.parent / "site", mini.parent / "build"
    code, out = run("print", "--content", mini, "--out", mini.parent / "print", "--work", work)
    assert code == 0, out
    code, out = run("build", "--content", mini, "--out", site, "--work", work)
    assert code == 0, out
    assert (site / ".gkgen-site").is_file()


def test_a_mark_that_is_a_directory_or_a_pipe_is_not_a_public_mark(tmp_path):
    """Read without a file object (which refuses a directory, naming only its handle) and without waiting."""
    from generator.workspace import MARKS, SITE, _marked_public
    (tmp_path / "a" / MARKS[SITE]).mkdir(parents=True)
    (tmp_path / "b").mkdir()
    os.mkfifo(tmp_path / "b" / MARKS[SITE])
    assert not _marked_public(tmp_path / "a", SITE) and not _marked_public(tmp_path / "b", SITE)
