"""The folders of a replaced site kept for the next build (generator/recycle.py), with real builds: what the
public gets is the site a build into a fresh folder makes, and the replaced site's files are gone at once."""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import pipeline, recycle, workspace
from generator.bench import Edits
from tests.conftest import ROOT
from tests.test_workspace import previous, site_files, spawn, wait_until  # noqa: F401  (previous: a fixture)


@pytest.fixture(scope="module")
def fresh_mini(tmp_path_factory) -> Path:
    """The unchanged fixture built into a fresh folder, once: what every rebuild of it must equal."""
    from tests.conftest import MINI
    place = tmp_path_factory.mktemp("fresh")
    shutil.copytree(MINI, place / "content")
    assert pipeline.build(place / "content", place / "site", place / "work").checked.ok
    return place / "site"


def kept_folders(site: Path) -> list[Path]:
    return sorted(site.parent.glob(".site.old-*"))


EMPTIED = sorted([".gkgen-site", recycle.FOLDERS])     # what an emptied kept site holds: its marker, its folders


def files_below(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir())


def empty_folders(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_dir() and not any(p.iterdir()))


def same_site(site: Path, fresh: Path) -> None:
    """The same files with the same bytes (Pagefind's files by name only: its page order is the file
    system's), and no empty folder in either."""
    assert site_files(site) == site_files(fresh)
    for path in fresh.rglob("*"):
        relative = path.relative_to(fresh)
        if path.is_file() and not relative.parts[0].startswith("pagefind"):
            assert (site / relative).read_bytes() == path.read_bytes(), relative
    assert empty_folders(site) == empty_folders(fresh) == []


def test_a_rebuild_into_the_kept_folders_is_the_site_a_fresh_folder_gets(mini, previous):
    """Records withdrawn, added and changed, and folders the kept site had that no page of this build has:
    the rebuilt site equals a build from nothing, and the replaced site's files are deleted at once."""
    site, work = previous
    (site / "sentinel").write_text("上一版网站")
    # Folders no page of the next build fills (a page that has gone), deep and shallow, and print/ folders of
    # sheets no longer printed (print/ is marked only when this build prints into it).
    (site / "gone" / "deeper").mkdir(parents=True)
    (site / "gone" / "deeper" / "index.html").write_text("已删除的页面")
    (site / "print" / "docs" / "2025").mkdir(parents=True)
    (site / "print" / "docs" / "2025" / "sheet.pdf").write_bytes(b"%PDF-")
    assert pipeline.build(mini, site, work).checked.ok
    kept = kept_folders(site)
    assert len(kept) == 1
    wait_until(lambda: files_below(kept[0]) == EMPTIED, "the replaced site is emptied", seconds=60)
    assert (kept[0] / "gone" / "deeper").is_dir(), "its folders are kept"
    listed = (kept[0] / recycle.FOLDERS).read_bytes().split(b"\0")
    assert b"gone/deeper" in listed and b"print/docs/2025" in listed, "and listed for the prune"
    edits = Edits(mini)
    edits.victim, edits.other = mini / "help/2025/temporary-assistance-guide.md", mini / "docs/2024/old-notice.md"
    edits.original = edits.victim.read_text(encoding="utf-8")
    edits.withdrawn()
    edits.record_added()
    edits.paragraph_added()
    assert pipeline.build(mini, site, work).checked.ok
    assert not list(site.parent.glob(".site.tmp-*"))
    assert not (site / "gone").exists() and not (site / "sentinel").exists() and not (site / "print").exists()
    assert not (site / recycle.FOLDERS).exists(), "the list of kept folders is not published"
    fresh = mini.parent / "fresh"
    assert pipeline.build(mini, fresh, mini.parent / "fresh-work").checked.ok
    same_site(site, fresh)


def test_a_kept_site_that_was_not_emptied_is_emptied_by_the_next_build(mini, previous, monkeypatch, fresh_mini):
    """The machine stopped before the emptying ran: the next build (a process of its own) deletes the files
    itself before it stages into the folders."""
    site, work = previous
    monkeypatch.setattr(recycle, "empty_later", lambda folder, keep: True)     # said so, did nothing
    (site / "sentinel").write_text("上一版网站")
    assert pipeline.build(mini, site, work).checked.ok
    kept = kept_folders(site)
    assert len(kept) == 1 and (kept[0] / "sentinel").exists()
    later = spawn("build", "--content", mini, "--out", site, "--work", work, cwd=mini.parent)
    assert later.wait(timeout=300) == 0
    assert not (site / "sentinel").exists() and not kept[0].exists()
    same_site(site, fresh_mini)


def test_a_kept_site_still_being_emptied_is_not_staged_into(mini, previous, fresh_mini):
    """While the emptying holds its lock the next build stages into a fresh folder; the kept one is removed
    after the swap, and the site is whole."""
    site, work = previous
    assert pipeline.build(mini, site, work).checked.ok
    kept = kept_folders(site)
    wait_until(lambda: files_below(kept[0]) == EMPTIED, "the replaced site is emptied", seconds=60)
    (kept[0] / "sentinel").write_text("删除进行中")
    fd = os.open(kept[0] / ".gkgen-site", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)      # an emptying still running
        later = spawn("build", "--content", mini, "--out", site, "--work", work, cwd=mini.parent)
        assert later.wait(timeout=300) == 0, later.stdout.read()
        assert not (site / "sentinel").exists()
        wait_until(lambda: not kept[0].exists(), "the kept site, not taken, is removed", seconds=60)
    finally:
        os.close(fd)
    assert len(kept_folders(site)) == 1, "the site just replaced is kept in its place"
    same_site(site, fresh_mini)


def test_an_emptying_that_cannot_start_means_the_replaced_site_is_removed(mini, previous, monkeypatch):
    site, work = previous
    monkeypatch.setattr(recycle, "empty_later", lambda folder, keep: False)
    assert pipeline.build(mini, site, work).checked.ok
    wait_until(lambda: not kept_folders(site), "the replaced site is removed", seconds=60)
    assert '"skeleton"' not in (work / workspace.JOURNAL).read_text()


def test_a_kept_site_whose_site_has_gone_is_removed_not_put_back(mini, previous):
    """Someone deleted site/: the empty folders must not come back as the site (an interrupted swap's old
    output does), and the next build makes the site afresh."""
    site, work = previous
    assert pipeline.build(mini, site, work).checked.ok
    kept = kept_folders(site)
    wait_until(lambda: files_below(kept[0]) == EMPTIED, "the replaced site is emptied", seconds=60)
    shutil.rmtree(site)
    with workspace.Workspace(work):
        pass
    assert not site.exists() and not kept[0].exists()
    assert pipeline.build(mini, site, work).checked.ok
    assert (site / "index.html").is_file()


def test_the_folders_of_a_site_not_for_the_public_are_not_kept(mini):
    """An internal site's folders name internal records: replaced by the public site, it is removed whole."""
    site, work = mini.parent / "site", mini.parent / "build"
    assert pipeline.build(mini, site, work, audience="internal").checked.ok
    assert pipeline.build(mini, site, work).checked.ok
    wait_until(lambda: not kept_folders(site), "the internal site is removed", seconds=60)
    assert not (site / "help/2025/internal-finance").exists()


def test_builds_work_without_find(mini, tmp_path, fresh_mini):
    """find(1) is what empties a kept site in the background; without it a build removes the replaced site
    as before, and every build still succeeds."""
    tools = tmp_path / "tools"
    tools.mkdir()
    for folder in ("/usr/local/bin", "/usr/bin", "/bin"):
        for tool in Path(folder).iterdir() if Path(folder).is_dir() else ():
            if tool.name != "find" and not (tools / tool.name).exists():
                (tools / tool.name).symlink_to(tool)
    env = {**os.environ, "PATH": str(tools)}
    site, work = mini.parent / "site", mini.parent / "build"
    for _ in range(2):          # a first build, and one that replaces its site
        done = subprocess.run([sys.executable, "-m", "generator", "build", "--content", mini, "--out", site,
                               "--work", work], cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    wait_until(lambda: not kept_folders(site), "the replaced site is removed", seconds=60)
    same_site(site, fresh_mini)


def test_kept_folders_of_another_work_directory_are_not_removed_while_locked(mini, previous):
    """A build in another work directory (its process gone) left its kept folders, and is about to stage into
    them: it holds their marker's lock. This build removes other runs' leftovers only under that lock."""
    site, work = previous
    other = site.parent / ".site.old-999999"
    shutil.copytree(site, other)
    fd = recycle.lock(other, ".gkgen-site")
    assert fd is not None
    try:
        assert pipeline.build(mini, site, work).checked.ok
        time.sleep(1)
        assert (other / "index.html").exists(), "removed under a held lock"
    finally:
        os.close(fd)
    assert pipeline.build(mini, site, work).checked.ok
    wait_until(lambda: not other.exists(), "removed once unlocked", seconds=60)


def test_a_finished_emptying_spares_the_next_build_the_walk(mini, previous, monkeypatch):
    """The emptying says at the end of the marker that it finished: the next build takes the folders without
    walking them again (1.5 s at 100,000 pages); only the emptying of the site it replaces walks."""
    site, work = previous
    assert pipeline.build(mini, site, work).checked.ok
    kept = kept_folders(site)
    wait_until(lambda: (kept[0] / ".gkgen-site").read_bytes().endswith(recycle.EMPTIED), "the emptying ends", 60)
    walks = []
    real = recycle._find_files
    monkeypatch.setattr(recycle, "_find_files", lambda folder, keep: walks.append(folder) or real(folder, keep))
    assert pipeline.build(mini, site, work).checked.ok
    assert walks == kept_folders(site), walks
    # Nor does the prune before the swap walk them: it tries the listed folders no stamped page filled.
    pruned = []
    real_prune = recycle.prune
    monkeypatch.setattr(recycle, "prune", lambda staged, known=None, filled=frozenset():
                        pruned.append((known, filled)) or real_prune(staged, known, filled))
    edits = Edits(mini)
    edits.victim, edits.other = mini / "help/2025/temporary-assistance-guide.md", mini / "docs/2024/old-notice.md"
    edits.withdrawn()
    kept = kept_folders(site)
    wait_until(lambda: (kept[0] / ".gkgen-site").read_bytes().endswith(recycle.EMPTIED), "the emptying ends", 60)
    assert pipeline.build(mini, site, work).checked.ok
    [(known, filled)] = pruned
    assert known is not None and filled and filled < known, "the kept folders were listed, stamped pages known"
    assert empty_folders(site) == [] and not (site / recycle.FOLDERS).exists()
    assert not (site / ".gkgen-site").read_bytes().endswith(recycle.EMPTIED), "the site's own marker is new"


def test_the_prune_tries_the_listed_folders_alone(tmp_path, monkeypatch):
    """With the kept site's folders listed, the prune removes those left empty (and parents they leave empty)
    and nothing else, without walking the tree; filled folders are not even tried."""
    staged = tmp_path / "staged"
    for folder in ("a/b/c", "a/d", "e/f", "g"):
        (staged / folder).mkdir(parents=True)
    (staged / "a" / "d" / "index.html").write_text("页面")
    (staged / "g" / "index.html").write_text("页面")
    monkeypatch.setattr(recycle.os, "walk", lambda *a, **k: pytest.fail("walked"))
    tried = []
    real_rmdir = os.rmdir
    monkeypatch.setattr(recycle.os, "rmdir", lambda path: tried.append(Path(path).relative_to(staged).as_posix())
                        or real_rmdir(path))
    recycle.prune(staged, frozenset({"a", "a/b", "a/b/c", "a/d", "e", "e/f", "g"}), filled=frozenset({"g"}))
    assert sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*")) == \
        ["a", "a/d", "a/d/index.html", "g", "g/index.html"]
    assert "g" not in tried


def test_the_emptying_keeps_its_marker_and_list_under_any_folder_name(tmp_path):
    """find's -path takes a pattern: a backslash or glob characters in the folders above the kept site must
    not make it delete the marker or the list of folders (the next build would walk, or find no marker)."""
    folder = tmp_path / "back\\slash [g]*?" / ".site.old-1"
    for name in ("a/b", "中文 目录", "[x]"):
        (folder / name).mkdir(parents=True)
        (folder / name / "index.html").write_text("页面")
    (folder / ".gkgen-site").write_text("marker\n")
    assert recycle.empty_later(folder, ".gkgen-site")
    wait_until(lambda: (folder / ".gkgen-site").read_bytes().endswith(recycle.EMPTIED), "the emptying ends", 60)
    assert files_below(folder) == EMPTIED
    walked = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir()}
    assert recycle.folders(folder) == walked == {"a", "a/b", "中文 目录", "[x]"}


def test_a_site_an_earlier_version_emptied_is_listed_again(mini, previous, fresh_mini, monkeypatch):
    """A kept site an earlier version emptied (its marker ends in that version's line, no list of folders):
    the build empties and lists it again itself, and never publishes a list."""
    site, work = previous
    assert pipeline.build(mini, site, work).checked.ok
    kept = kept_folders(site)
    wait_until(lambda: (kept[0] / ".gkgen-site").read_bytes().endswith(recycle.EMPTIED), "the emptying ends", 60)
    marker = kept[0] / ".gkgen-site"
    marker.write_bytes(marker.read_bytes().removesuffix(recycle.EMPTIED) + b"emptied\n")
    (kept[0] / recycle.FOLDERS).unlink()
    pruned = []
    real_prune = recycle.prune
    monkeypatch.setattr(recycle, "prune", lambda staged, known=None, filled=frozenset():
                        pruned.append(known) or real_prune(staged, known, filled))
    assert pipeline.build(mini, site, work).checked.ok
    assert pruned and pruned[0], "the folders were listed again"
    assert not (site / recycle.FOLDERS).exists()
    same_site(site, fresh_mini)
