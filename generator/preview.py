"""Live preview for editors: regenerate the Markdown when content changes; MkDocs' dev server reloads."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

from . import pipeline
from .lifeline import python_module
from .problems import format_report
from .workspace import WorkspaceBusy, check_paths


def _snapshot(content: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime for p in content.rglob("*") if p.is_file()}


def _rendered(work: Path) -> tuple[int, int] | None:
    """Which render last wrote into work (its manifest, render.Writer, is a new file each time): another command's
    is noticed. A build in the same work folder keeps record pages in its page store (pagestore.py), not as the
    files the preview serves."""
    try:
        found = (work / "docs.manifest.json").stat()
    except OSError:
        return None
    return found.st_ino, found.st_mtime_ns


def preview_address(base_url: str, port: int) -> str:
    """Where `mkdocs serve` really serves: its mount path is the path of site_url."""
    return f"http://127.0.0.1:{port}{urlsplit(base_url).path or '/'}"


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def serve(content: Path, work: Path, port: int) -> int:
    check_paths(content, work)
    prepared = pipeline.prepare(content, work, preview=True)
    print(format_report(prepared.checked.problems))
    if prepared.config is None:
        print("内容有错误，无法启动预览。请按上面的提示修改后重试。")
        return 1
    # In a session of its own: Ctrl+C in the terminal reaches this process alone, which then stops the server
    # once (below) instead of interrupting it a second time while it removes its files.
    server = subprocess.Popen(python_module("mkdocs", "serve", "--config-file", str(prepared.config),
                                            "--dev-addr", f"127.0.0.1:{port}", "--livereload"),
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, start_new_session=True)
    # MkDocs serves the site under the path of its address (site.yml base_url), as it will be on the portal.
    print(f"预览地址：{preview_address(prepared.checked.settings.base_url, port)} （修改内容后页面会自动刷新；"
          "按 Ctrl+C 结束）", flush=True)
    seen, mine = _snapshot(content), _rendered(work)
    # A terminated preview takes its MkDocs server with it (the default SIGTERM handling would skip finally).
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        while server.poll() is None:
            time.sleep(1)
            now = _snapshot(content)
            if now == seen and _rendered(work) == mine:
                continue
            try:
                again = pipeline.prepare(content, work, preview=True)
            except WorkspaceBusy as exc:
                if seen is not None:
                    print(f"{exc.message}，稍后自动重新生成预览。")
                seen = None         # not taken in: tried again next second
                continue
            seen, mine = now, _rendered(work)
            print(format_report(again.checked.problems))
            if again.config is None:
                print("内容有错误，预览仍显示上一次正确的版本。")
    except KeyboardInterrupt:
        pass
    finally:
        # As Ctrl+C would: MkDocs then removes the copy of the site it served (a temporary folder as large as the
        # site, left behind by every preview that SIGTERM ended).
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return 0
