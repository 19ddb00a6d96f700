"""Work run in a forked process beside the main one, on the other core.

The search stage is mostly Pagefind (its own process), but writing ten thousand stubs and reading back the
index is Python: in a thread it would hold the GIL against rendering. Rendering half of the record pages is
the same story. A forked child inherits the catalogue without pickling it; its outcome (a small return value
and the seconds taken, or the error) comes back on a pipe.
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import time
import traceback
from pathlib import Path
from typing import Callable

from .lifeline import die_with_parent
from .environment import BuildEnvironmentError


class Beside:
    seconds: float = 0.0        # how long the work took, once result() has returned

    def __init__(self, stage: Callable[[], object]):
        # Heap pages the parent has freed but kept (the check's cache, read and let go) would be copied the first
        # time either process reuses one, while the other keeps the old: they go back to the system first.
        # 140 MB less at the peak of a first build of 100,000 records; a few milliseconds.
        give_back_free_memory()
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        parent = os.getpid()

        def run() -> None:
            die_with_parent(parent)
            # What the child inherits is shared with the parent until written. The cycle collector would write
            # to every object it scans (copying its page): the inherited ones are left out of its scans.
            gc.freeze()
            # A stage may work beside itself in turn (the search stage's purge): multiprocessing refuses
            # children to a daemonic process, and this one is waited for or dies with its parent anyway.
            multiprocessing.current_process().daemon = False
            started = time.perf_counter()
            try:
                value = stage()
                send.send(("ok", (value, time.perf_counter() - started), ""))
            except BuildEnvironmentError as exc:
                send.send(("environment", exc.message, exc.detail))
            except OSError as exc:                      # a full disk, a folder without permission
                send.send(("os", (exc.errno, exc.strerror, exc.filename), ""))
            except BaseException:                       # reported in the parent, which stops the build
                send.send(("error", "", traceback.format_exc()))

        self._process = context.Process(target=run, daemon=True)
        try:
            self._process.start()
        except BaseException:         # no process (EAGAIN under a process limit): the pipe goes with the attempt
            self._receive.close()
            raise
        finally:
            send.close()

    def result(self):
        """Wait for the stage; its return value (seconds taken in .seconds), or its error raised here."""
        try:
            kind, value, detail = self._receive.recv()
        except EOFError:
            kind, value, detail = "error", "", f"the stage's process ended with code {self._process.exitcode}"
        self._process.join()
        if kind == "environment":
            raise BuildEnvironmentError(value, detail)
        if kind == "os":
            raise OSError(*value)
        if kind == "error":
            raise RuntimeError("work beside the build failed:\n" + detail)
        value, self.seconds = value
        return value

    def wait(self) -> None:
        """Let the stage finish and drop its outcome (the build is already stopping for another reason)."""
        # Its outcome is read, not left in the pipe: a child whose outcome is larger than the pipe's buffer
        # (64 KiB) blocks writing it until someone reads, and joining it unread would wait for ever.
        try:
            self._receive.recv_bytes()      # not unpickled: nothing in it may hide the build's own error
        except Exception:                   # noqa: BLE001 - the child died: nothing to read
            pass
        self._process.join()


CPU_QUOTA = Path("/sys/fs/cgroup/cpu.max")       # cgroup v2: "<quota> <period>" in microseconds, or "max …"


def cores() -> int:
    """CPUs this process may use (its affinity, and a container's CPU quota): with one, a second process
    only takes turns with the first."""
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        count = os.cpu_count() or 1
    try:
        quota, period = CPU_QUOTA.read_text().split()[:2]
        if quota != "max":
            count = min(count, int(quota) // max(1, int(period)))
    except (OSError, ValueError):
        pass
    return count


def give_back_free_memory() -> None:
    """glibc's malloc_trim: free pages inside the heap are returned to the system (elsewhere: nothing)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass
