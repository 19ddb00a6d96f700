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
The emptying also lists the folder's folders (FOLDERS, a file beside the marker): the prune before the swap
then tries only those no page of the build was linked into, instead of walking ten thousand folders (0.1 s
of a one-record rebuild of 10,000 records). Without that list (a folder kept by an earlier version) it walks.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
from pathlib import Path

# Appended to the marker by an emptying that finished. It names the list of folders: an earlier version, whose
# line was b"emptied\n", does not take it for its own and empties the folder again itself, list included (it
# would publish the list otherwise); a folder that version emptied is emptied again here, listing its folders.
EMPTIED = b"emptied, folders listed\n"
FOLDERS = ".gkgen-folders"     # the kept folder's folders, as the emptying found them (NUL-separated, relative)

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


def _literal(path: Path) -> str:
    """A path as a find -path pattern that matches it alone (glob.escape leaves the backslash, find's escape)."""
    return re.sub(r"([\\*?\[])", r"\\\1", str(path))


def _find_files(folder: Path, keep: str) -> list[str]:
    """find(1) arguments that delete every file below folder (never through a link, never onto another file
    system) but folder/keep (the marker that says the folder is ours) and the list of folders, and print
    every folder below it (its path relative to folder, NUL-terminated) for that list."""
    return ["find", str(folder), "-xdev", "-mindepth", "1", "(", "-type", "d", "-printf", "%P\\0", ")", "-o",
            "(", "!", "-path", _literal(folder / keep), "!", "-path", _literal(folder / FOLDERS),
            "-delete", ")"]


def empty_later(folder: Path, keep: str) -> bool:
    """Delete folder's files but its marker keep in the background (this run returns to the editor at once);
    False when that could not start, and the folder should be removed instead."""
    fd = lock(folder, keep) if shutil.which("find") else None
    if fd is None:
        return False
    try:
        # The shell leaves find running, with the lock's descriptor: the lock is held until find is done, and
        # find's parent is then init (no process of ours waits for it or is left a zombie).
        script = ('m=$1; l=$2; e=$3; shift 3; { "$@" >"$l" && printf "%s\\n" "$e" >> "$m"; } '
                  '</dev/null >/dev/null 2>&1 &')
        subprocess.run(["sh", "-c", script, "sh", str(folder / keep), str(folder / FOLDERS),
                        EMPTIED.decode().rstrip("\n"), *_find_files(folder, keep)],
                       pass_fds=(fd,),
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
            with open(folder / FOLDERS, "wb") as listed:
                emptied = subprocess.run(_find_files(folder, keep), stdin=subprocess.DEVNULL, stdout=listed,
                                         stderr=subprocess.DEVNULL, check=False)
            if emptied.returncode != 0:
                return False
        folder.rename(staged)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def folders(staged: Path) -> frozenset[str] | None:
    """The folders a kept site had when it was emptied (FOLDERS, taken out of staged: it is never published),
    or None when it has no such list."""
    listed = staged / FOLDERS
    try:
        data = listed.read_bytes()
        listed.unlink()
    except OSError:
        return None
    # find prints names below the folder; anything else (a damaged or planted list) is not one of its folders.
    names = (os.fsdecode(name) for name in data.split(b"\0") if name)
    return frozenset(name for name in names if not name.startswith("/") and ".." not in name.split("/"))


def prune(staged: Path, known: frozenset[str] | None = None, filled: frozenset[str] = frozenset()) -> None:
    """Remove the folders left empty: those of pages a kept site had and this build has not. known: the kept
    site's folders (folders()), of which those filled (a page linked into each) are not even tried; without
    them every folder is walked, deepest first. A link is never followed (rmdir refuses it, os.walk lists it)."""
    if known is not None:
        for relative in sorted(known - filled, key=lambda name: name.count("/"), reverse=True):
            folder = staged / relative
            # rmdir removes only an empty folder: one a page or file filled again stays. A folder whose last
            # folder went may be empty now: its parents are tried at once.
            while folder != staged:
                try:
                    os.rmdir(folder)
                except OSError:
                    break
                folder = folder.parent
        return
    for folder, _, files in os.walk(staged, topdown=False):
        if not files and folder != str(staged):
            try:
                os.rmdir(folder)
            except OSError:
                pass            # not empty: a folder below it was kept
