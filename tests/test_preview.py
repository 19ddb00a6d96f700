"""The preview matches the site: `serve` prints the address MkDocs really serves, and search and 打印公示版
work there; builds say what they do, phase by phase, unless --quiet."""
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.cli import PHASE_LINES
from generator.preview import preview_address
from tests.conftest import ROOT
from tests.lifecycle import make_lifecycle
from tests.test_cli import _free_port


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


@contextmanager
def _serving(tmp_path, **env):
    """`serve` on the lifecycle content in a process of its own (env: more of its environment); yields (address
    it printed, port, content, process)."""
    content = make_lifecycle(tmp_path / "content")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--content", str(content),
                             "--work", str(tmp_path / "build"), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=tmp_path, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    try:
        address, deadline = None, time.monotonic() + 120
        while address is None and time.monotonic() < deadline:
            try:
                found = re.search(r"预览地址：(\S+)", lines.get(timeout=1))
            except queue.Empty:
                continue
            address = found and found.group(1)
        assert address, "serve printed no address"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                _fetch(address)
                break
            except OSError:
                time.sleep(0.5)
        yield address, port, content, proc
    finally:
        proc.terminate()
        proc.wait(timeout=40)


@pytest.fixture
def preview(tmp_path):
    """(address `serve` printed, port, content) while it runs."""
    with _serving(tmp_path) as (address, port, content, _):
        yield address, port, content


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_preview_leaves_no_copy_of_the_site_behind(tmp_path, stop):
    """MkDocs serves a copy of the site from a temporary folder, removed only if it is stopped as by Ctrl+C:
    every preview ended with SIGTERM (a closed terminal, a service manager, `serve`'s own shutdown) left one."""
    # A temporary folder of its own: another preview running at the same time (a test in another worker) makes
    # its copies in the system's.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with _serving(tmp_path, TMPDIR=str(scratch)) as (address, _, _, proc):
        assert _fetch(address)
        served = set(scratch.glob("mkdocs_*"))
        assert served, "MkDocs serves from a temporary folder of its own"
        proc.send_signal(stop)
        proc.wait(timeout=40)
    assert not any(folder.exists() for folder in served)


def test_preview_address_is_the_one_mkdocs_serves():
    assert preview_address("https://www.example.gov.cn/county/xxgk/", 8123) == "http://127.0.0.1:8123/county/xxgk/"
    assert preview_address("https://xxgk.example.gov.cn/", 8000) == "http://127.0.0.1:8000/"


def test_preview_serves_search_and_board_sheets(preview):
    address, port, content = preview
    assert address == f"http://127.0.0.1:{port}/county/xxgk/"
    assert "测试县政府信息公开" in _fetch(address).decode("utf-8")
    assert _fetch(address + "pagefind/pagefind.js")
    page = address + "notes/2025/subsidy-notice-explained/"
    link = BeautifulSoup(_fetch(page), "lxml").find("a", string="打印公示版")
    assert _fetch(urljoin(page, link["href"])).startswith(b"%PDF")
    # After an edit the preview follows, search and sheets included.
    note = content / "notes/2025/subsidy-notice-explained.md"
    note.write_text(note.read_text(encoding="utf-8").replace("## 为什么调整", "## 为什么要调整标准"), encoding="utf-8")
    deadline = time.monotonic() + 90
    while "为什么要调整标准" not in _fetch(page).decode("utf-8") and time.monotonic() < deadline:
        time.sleep(1)
    assert "为什么要调整标准" in _fetch(page).decode("utf-8")
    for attempt in range(30):     # MkDocs may be rebuilding once more for the files written after the pages
        try:
            assert _fetch(address + "pagefind/pagefind.js") and _fetch(urljoin(page, link["href"])).startswith(b"%PDF")
            break
        except OSError:
            time.sleep(1)
    else:
        raise AssertionError("search or sheets gone after an edit")


def test_a_build_in_the_same_work_folder_leaves_the_preview_serving_record_pages(tmp_path):
    """A build keeps record pages in its page store, not as the files the preview serves from the shared work
    folder: the preview notices another command's render there and renders its own again. (The first build also
    writes content/_published.json, which the preview follows as an edit; the second leaves content as it is.)"""
    source = tmp_path / "build/docs/notes/2025/subsidy-notice-explained.md"
    with _serving(tmp_path) as (address, _, content, _):
        page = address + "notes/2025/subsidy-notice-explained/"
        assert "政策解读" in _fetch(page).decode("utf-8")
        for _ in range(2):
            built = subprocess.run([sys.executable, "-m", "generator", "build", "--quiet", "--content", str(content),
                                    "--work", str(tmp_path / "build"), "--out", str(tmp_path / "site")],
                                   cwd=tmp_path, capture_output=True, text=True,
                                   env={**os.environ, "PYTHONPATH": str(ROOT)})
            assert built.returncode == 0, built.stdout + built.stderr
            assert not source.exists()
            deadline = time.monotonic() + 60
            while not source.exists() and time.monotonic() < deadline:
                time.sleep(1)
            assert source.exists(), "the preview rendered its pages again"
            time.sleep(3)       # MkDocs' own rebuild after the files came back
            assert "政策解读" in _fetch(page).decode("utf-8")


@pytest.mark.browser
def test_search_works_in_the_preview(preview, browser):
    from tests.test_browser import search
    address, _, _ = preview
    page = browser.new_page()
    try:
        page.goto(address)
        page.click("[data-gk-query]")
        assert "《关于调整临时救助标准的通知》政策解读" in search(page, "政策解读")
    finally:
        page.close()


def test_build_says_each_phase_and_is_quiet_when_asked(mini, run):
    code, out = run("build", "--content", mini, "--work", mini.parent / "build")
    assert code == 0
    shown = [line for line in out.split("\n") if line.startswith("正在")]
    assert shown == ["正在读取内容……", "正在检查 8 个信息文件……", "正在生成搜索索引：5 条信息（与生成网页同时进行）……",
                     "正在生成页面：5 条公开信息……", "正在用 MkDocs 生成网页：31 个页面……",
                     "正在生成公示版、明白纸和年度报告 PDF：0 条信息……"]
    assert set(PHASE_LINES) >= {"load", "validate", "render", "mkdocs", "search index", "print"}
    code, out = run("build", "--quiet", "--content", mini, "--work", mini.parent / "build")
    assert code == 0 and "正在" not in out and "网站已生成到 site/" in out


def test_pre_commit_hook_runs_check():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for repo in config["repos"] if repo["repo"] == "local" for h in repo["hooks"]]
    assert hook["language"] == "system" and hook["pass_filenames"] is False
    assert re.search(hook["files"], "content/docs/2025/a.md") and not re.search(hook["files"], "generator/cli.py")
    argv = hook["entry"].split()
    assert argv[1:4] == ["-m", "generator", "check"]
    # The hook as pre-commit runs it, from the project directory: the demo content passes.
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
