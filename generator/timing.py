"""Wall-clock time per build phase, for the build report and `bench`; and the progress line of each phase.

The command line passes `progress` (it is the only place that prints): called as each phase starts, with what
the phase works on (a count, or None), so a long first build is never a silent terminal.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager


class Phases:
    def __init__(self, progress: Callable[[str, int | None], None] | None = None) -> None:
        self.seconds: dict[str, float] = {}
        self.progress = progress

    def announce(self, name: str, count: int | None = None) -> None:
        if self.progress is not None:
            self.progress(name, count)

    @contextmanager
    def __call__(self, name: str, count: int | None = None):
        self.announce(name, count)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
