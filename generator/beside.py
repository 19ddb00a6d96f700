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
import threading
import time
import traceback
from pathlib import Path
from typing import Callable, TypeVar

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


T = TypeVar("T")


def yielding(work: Callable[[], T], niceness: int) -> T:
    """work's value, computed in a thread of this process that is `niceness` steps nicer than the caller: on
    Linux a nice value belongs to a thread, and the processes that thread starts inherit it. The caller's own
    priority is untouched (a process that builds many times, the tests or the preview, never grows nicer).
    work's error is raised here; an interrupt while waiting is raised in work's thread too, and waited for, so
    that nothing of it runs on while the caller cleans up."""
    outcome: dict = {}

    def run() -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, 0, min(19, os.getpriority(os.PRIO_PROCESS, 0) + niceness))
        except OSError:         # not allowed here (a sandbox): only the order of work is lost
            pass
        try:
            outcome["value"] = work()
        except BaseException as exc:    # noqa: BLE001 - raised in the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="yielding")
    thread.start()
    try:
        thread.join()
    except BaseException as interrupt:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(type(interrupt)))
        thread.join()
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


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
