"""The folders of a replaced site, kept for the next build to stage into.

A site of ten thousand pages has ten thousand folders. Making them for every build and removing the old ones
after it cost more than linking the pages themselves (0.1-0.2 ms of system time a folder on an ext4 disk
mounted with discard: a second of a rebuild that changes one page). So the site a build replaces is emptied of
its files in the background, at once (a withdrawn record's page is gone as soon as it is today), and its
folders are kept beside the site (workspace.py journals it as a skeleton). The next build of the same site
renames it to its staging folder and fills it; before the swap, folders that build did not fill are removed
(prune), so the site is the one a build into a fresh folder makes: a site has no empty folders.

Nothing is deleted while a build writes into the folder: the emptying holds a lock on the folder's marker
file (the one file it keeps) until it has finished, and a build takes the folder only with that lock in hand.
An emptying that finished says so at the end of the marker (EMPTIED); without that line (a killed emptying
leaves files behind) the build empties the folder again itself, a walk of every folder (1.5 s at 100,000 pages).
"""
from __future__ import annotations

import fcntl
import glob
import os
import shutil
import subprocess
from pathlib import Path

EMPTIED = b"emptied\n"         # appended to the marker by an emptying that finished

def lock(folder: Path, keep: str) -> int | None:
    """The marker file opened, locked for this process alone; None when it is not there or already locked."""
    try:
        fd = os.open(folder / keep, os.O_RDWR | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _find_files(folder: Path, keep: str) -> list[str]:
    """find(1) arguments for every file below folder (never through a link, never onto another file system)
    but folder/keep (the marker that says the folder is ours)."""
    return ["find", str(folder), "-xdev", "-mindepth", "1", "!", "-type", "d",
            "!", "-path", glob.escape(str(folder / keep)), "-delete"]


def empty_later(folder: Path, keep: str) -> bool:
    """Delete folder's files but its marker keep in the background (this run returns to the editor at once);
    False when that could not start, and the folder should be removed instead."""
    fd = lock(folder, keep) if shutil.which("find") else None
    if fd is None:
        return False
    try:
        # The shell leaves find running, with the lock's descriptor: the lock is held until find is done, and
        # find's parent is then init (no process of ours waits for it or is left a zombie).
        script = 'm=$1; shift; { "$@" && printf "emptied\\n" >> "$m"; } </dev/null >/dev/null 2>&1 &'
        subprocess.run(["sh", "-c", script, "sh", str(folder / keep), *_find_files(folder, keep)], pass_fds=(fd,),
                       check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=30)
        return True
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        os.close(fd)


def take(folder: Path, keep: str, staged: Path) -> bool:
    """Rename a kept site's folder to staged, emptied of every file but its marker keep; False (nothing
    changed but files deleted) when it is still being emptied or cannot be."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    fd = lock(folder, keep)
    if fd is None:
        return False
    try:
        if not os.pread(fd, 4096, 0).endswith(EMPTIED):
            emptied = subprocess.run(_find_files(folder, keep), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, check=False)
            if emptied.returncode != 0:
                return False
        folder.rename(staged)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def prune(staged: Path) -> None:
    """Remove the folders left empty (deepest first): those of pages a kept site had and this build has not.
    A link is never followed (os.walk lists it, rmdir refuses it)."""
    for folder, _, files in os.walk(staged, topdown=False):
        if not files and folder != str(staged):
            try:
                os.rmdir(folder)
            except OSError:
                pass            # not empty: a folder below it was kept
