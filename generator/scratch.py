"""Scratch folders for files that live only while one step runs, in memory when the system has room.

The search stage writes ten thousand stubs for Pagefind to read, Pagefind writes a fragment per page, and the
recut writes each fragment again: three files made and removed per record. On the disk of a build machine
(ext4, journal, discard) making and removing those files cost more system time than Pagefind's indexing. In
/dev/shm (tmpfs, on every Linux) they cost little; only what is kept goes to the work directory.

A build that is killed cannot remove its scratch folder, and memory in /dev/shm stays taken until a reboot.
A folder in use is locked (flock) by the process using it; the next build removes every folder of ours that
nobody holds. (A process id would not do: builds in other containers sharing /dev/shm have ids this one
cannot see.) If memory runs out while the files are written, the step runs again on disk (search.py).
"""
from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

MEMORY = Path("/dev/shm")
PREFIX = "gkgen-scratch-"
# Room the memory folder must have left, besides what one search shard's files take (about 50 MB at 5,000
# records): a nearly full /dev/shm (a container's default is 64 MB) means the disk instead.
MEMORY_SPARE = 1 << 30


@contextmanager
def scratch_folder(fallback: Path, memory: bool = True):
    """A fresh folder in memory if there is room (and memory is wanted), else below fallback (created); locked
    while in use, removed afterwards."""
    root = memory_root() if memory else None
    if root is None:
        fallback.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=root or fallback))
    held = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(held)


def in_memory(folder: Path) -> bool:
    return folder.parent == MEMORY


def memory_root() -> Path | None:
    """The memory folder, once what killed builds left there is removed, if it has room; else None."""
    if not os.path.isdir(MEMORY) or not os.access(MEMORY, os.W_OK | os.X_OK):
        return None
    sweep(MEMORY)
    try:
        room = os.statvfs(MEMORY)
    except OSError:
        return None
    return MEMORY if room.f_bavail * room.f_frsize >= MEMORY_SPARE else None


def memory_in_use() -> int:
    """Bytes taken in the memory folder (the bench adds what a build adds to it to the processes' memory)."""
    try:
        room = os.statvfs(MEMORY)
    except OSError:
        return 0
    return (room.f_blocks - room.f_bfree) * room.f_frsize


def sweep(root: Path) -> None:
    """Remove our scratch folders that no process holds (left by a build that was killed): real folders of
    this user only, never what a name points to."""
    for folder in root.glob(PREFIX + "*"):
        try:
            held = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:         # a link, a file, gone, or not ours to read
            continue
        try:
            if os.fstat(held).st_uid != os.geteuid():
                continue
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:         # held by a build that is running
            continue
        else:
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            os.close(held)
