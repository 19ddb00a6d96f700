"""Child processes die with the build.

A build starts MkDocs and Pagefind as programs and forks Python workers (half of the record pages, the search
index, print sheets). Killed with SIGKILL, a build cannot stop them itself: they went on writing into a staging
folder nobody would publish, holding the work directory's lock. So every child asks the kernel to kill it
when its parent dies (PR_SET_PDEATHSIG, Linux), and on SIGTERM or Ctrl-C the build stops its descendants
itself before it removes its staging folders (cli.py).

The death signal is tied to the thread that started the child; children here are started by threads that
wait for them.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
from pathlib import Path

PR_SET_PDEATHSIG = 1

# Run a Python module (`python -m module args`) that dies with the process that started it. The death signal
# survives exec, so it also covers Pagefind's binary, which its Python wrapper execs.
_LAUNCH = ("import ctypes,os,runpy,signal,sys;"
           "ctypes.CDLL(None).prctl(1,signal.SIGKILL);"
           "os.getppid()==int(sys.argv[1]) or os._exit(1);"
           "sys.argv=sys.argv[2:];"
           "runpy.run_module(sys.argv[0],run_name='__main__',alter_sys=True)")


def python_module(module: str, *args: str) -> list[str]:
    """The command line of `python -m module args`, tied to this process."""
    return [sys.executable, "-c", _LAUNCH, str(os.getpid()), module, *args]


def die_with_parent(parent: int) -> None:
    """In a forked child: killed when parent dies; interrupts are the parent's to handle."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:          # the parent died before the line above
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def descendants(pid: int | None = None) -> list[int]:
    """Every process below pid (this process by default), read from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue        # it ended while we looked
        fields = stat.rsplit(")", 1)[1].split()
        parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, queue = [], [pid or os.getpid()]
    while queue:
        for child in parents.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def stop_descendants(wait: float = 5.0) -> None:
    """SIGKILL every descendant (found all first, so none escapes to init half-way), then wait until they
    are gone, so the work directory's lock they share is free when this process exits."""
    victims = descendants()
    for pid in victims:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + wait
    while victims and time.monotonic() < deadline:
        victims = [pid for pid in victims if _alive(pid)]
        if victims:
            time.sleep(0.02)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")
