"""A first build's pages and MkDocs yield to the search stage beside them (beside.yielding): their thread and the
processes it starts are nicer, the search stage and the caller are not, and a rebuild yields nothing."""
import os
import subprocess
import sys
import threading
import time

import pytest

from generator import beside, pipeline, shards


def _niceness_of_a_process_started_here() -> int:
    out = subprocess.run([sys.executable, "-c", "import os; print(os.nice(0))"], capture_output=True, text=True,
                         check=True)
    return int(out.stdout)


def test_a_first_builds_pages_and_mkdocs_yield_to_the_search_stage_and_the_caller_stays_as_it_was(
        mini, tmp_path, monkeypatch):
    seen = {}
    render, run_mkdocs, search = pipeline.render, shards.run_mkdocs, pipeline.write_search_index

    def rendering(*args, **kwargs):
        seen.setdefault("render", []).append(os.getpriority(os.PRIO_PROCESS, 0))
        return render(*args, **kwargs)

    def engine(*args, **kwargs):
        seen.setdefault("mkdocs", []).append(_niceness_of_a_process_started_here())
        return run_mkdocs(*args, **kwargs)

    def searching(*args, **kwargs):     # in the search stage's own process: its niceness goes through a file
        (tmp_path / "search-niceness").write_text(str(os.getpriority(os.PRIO_PROCESS, 0)))
        return search(*args, **kwargs)

    monkeypatch.setattr(pipeline, "render", rendering)
    monkeypatch.setattr(shards, "run_mkdocs", engine)
    monkeypatch.setattr(pipeline, "write_search_index", searching)
    caller = os.getpriority(os.PRIO_PROCESS, 0)
    if caller + pipeline.FIRST_BUILD_NICENESS > 19:
        pytest.skip("this process is already as nice as it gets")
    prepared = pipeline.build(mini, tmp_path / "site", tmp_path / "work")
    assert prepared.checked.ok and (tmp_path / "site" / "index.html").is_file()
    nicer = caller + pipeline.FIRST_BUILD_NICENESS
    assert seen["render"] == [nicer]
    assert seen["mkdocs"] and set(seen["mkdocs"]) == {nicer}, seen
    assert int((tmp_path / "search-niceness").read_text()) == caller
    assert os.getpriority(os.PRIO_PROCESS, 0) == caller

    # A rebuild brings the index up to date in a moment: its pages render at the caller's priority.
    seen.clear()
    assert pipeline.build(mini, tmp_path / "site", tmp_path / "work").checked.ok
    assert seen["render"] == [caller]
    assert os.getpriority(os.PRIO_PROCESS, 0) == caller


def test_yielding_gives_back_the_value_and_raises_the_error_of_its_work():
    assert beside.yielding(lambda: os.getpriority(os.PRIO_PROCESS, 0), 2) == \
        min(19, os.getpriority(os.PRIO_PROCESS, 0) + 2)

    def failing():
        raise ValueError("磁盘已满")
    with pytest.raises(ValueError, match="磁盘已满"):
        beside.yielding(failing, 1)


def test_an_interrupt_while_waiting_stops_the_work_before_the_caller_goes_on(monkeypatch):
    started, stopped = threading.Event(), threading.Event()
    join = threading.Thread.join
    interrupted = []

    def join_interrupted(self, *args, **kwargs):
        if not interrupted and self.name == "yielding":
            started.wait(5)
            interrupted.append(True)
            raise KeyboardInterrupt          # as Ctrl-C arrives in the waiting thread
        return join(self, *args, **kwargs)
    monkeypatch.setattr(threading.Thread, "join", join_interrupted)

    def work():
        started.set()
        try:
            for _ in range(1000):
                time.sleep(0.01)
        finally:
            stopped.set()
    begun = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        beside.yielding(work, 1)
    assert stopped.is_set() and time.monotonic() - begun < 5
