"""What a build needs from the machine: the project's own files, the programs it runs, hard links.

The lowest layer of the build: stages (render, search, beside, export) and the engine adapter (site.py,
shards.py) import from here, never the other way round. A tool that cannot start or fails is a
BuildEnvironmentError, reported by cli.py as one Chinese message with exit code 2 (no traceback).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent     # the project: mkdocs.yml, theme/


class BuildEnvironmentError(Exception):
    """Something outside the content went wrong (a tool failed); the message is Chinese, for the operator."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.message, self.detail = message, detail


def tool_output(proc: subprocess.CompletedProcess) -> str:
    """What a failed tool said, for the operator: a Python traceback shortened to its last line."""
    text = (proc.stdout + proc.stderr).strip()
    if "Traceback (most recent call last)" not in text:
        return text
    before, _, trace = text.partition("Traceback (most recent call last)")
    last = [line for line in trace.split("\n") if line.strip()][-1].strip()
    return (before.strip() + "\n" + last).strip()


def run_tool(cmd: list[str], name: str, **kwargs) -> subprocess.CompletedProcess:
    """Run a tool the build depends on; one that cannot start is an environment error with a Chinese message,
    not a traceback (a missing interpreter, a module not installed)."""
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    except OSError as exc:
        raise BuildEnvironmentError(f"无法启动 {name}：{exc.strerror}",
                                    "请运行 make site 重新安装依赖") from None
    missing = re.search(r"No module named '?([\w.]+)", proc.stderr)
    if proc.returncode != 0 and missing:
        raise BuildEnvironmentError(f"无法启动 {name}：缺少 Python 模块 {missing.group(1)}",
                                    "依赖没有装全；请运行 make site 重新安装依赖，原有网站目录未作改动")
    return proc


def link_all(pairs) -> None:
    """Hard-link many (source, target) files into a fresh folder: each folder made once, no checks per file
    (assembling ten thousand pages file by file through pathlib took seconds)."""
    made: set[str] = set()
    for src, dst in pairs:
        folder = os.path.dirname(dst)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        try:
            os.link(src, dst)
        except FileExistsError:
            link_or_copy(src, dst)
        except OSError:
            shutil.copy2(src, dst)


def link_or_copy(src: str, dst: str) -> None:
    """Hard links: assembling a site of eleven thousand pages from caches costs no copying."""
    if os.path.exists(dst):
        os.unlink(dst)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
