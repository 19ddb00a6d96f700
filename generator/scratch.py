"""Scratch folders for files that live only while one step runs, in memory when the system has room.

The search stage writes ten thousand stubs for Pagefind to read, Pagefind writes a fragment per page, and the
recut writes each fragment again: three files made and removed per record. On the disk of a build machine
(ext4, journal, discard) making and removing those files cost more system time than Pagefind's indexing. In
/dev/shm (tmpfs, on every Linux) they cost little; only what is kept goes to the work directory.

A build that is killed cannot remove its scratch folder, and memory in /dev/shm stays taken until a reboot:
folders are named with the process id, and those whose process is gone are removed by the next build.
"""
from __future__ import annotations

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
def scratch_folder(fallback: Path):
    """A fresh folder in memory if there is room, else below fallback (created); removed afterwards."""
    root = memory_root()
    if root is None:
        fallback.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=root or fallback))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def memory_root() -> Path | None:
    try:
        room = os.statvfs(MEMORY)
    except OSError:
        return None
    if room.f_bavail * room.f_frsize < MEMORY_SPARE or not os.access(MEMORY, os.W_OK | os.X_OK):
        return None
    sweep(MEMORY)
    return MEMORY


def memory_in_use() -> int:
    """Bytes taken in the memory folder (the bench adds what a build adds to it to the processes' memory)."""
    try:
        room = os.statvfs(MEMORY)
    except OSError:
        return 0
    return (room.f_blocks - room.f_bfree) * room.f_frsize


def sweep(root: Path) -> None:
    """Remove scratch folders whose process is gone (a build that was killed)."""
    for folder in root.glob(PREFIX + "*"):
        pid = folder.name[len(PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:         # another user's process
        return True
    return True
