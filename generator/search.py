"""The search stage: Pagefind indexes the built HTML (record pages only; see theme/overrides/main.html)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .site import BuildEnvironmentError


def run_pagefind(site_dir: Path) -> None:
    """Write site_dir/pagefind/; Pagefind segments Chinese itself (the 'extended' build, from PyPI)."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", "pagefind", "--silent"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as exc:
        raise BuildEnvironmentError("无法运行搜索索引工具 Pagefind", str(exc)) from None
    if proc.returncode != 0:
        raise BuildEnvironmentError("生成搜索索引失败，原有网站目录未作改动",
                                    (proc.stdout + proc.stderr).strip()
                                    + "\n（请运行 make site 重新安装依赖：pagefind[extended]）")
