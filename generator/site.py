"""Run MkDocs on the rendered Markdown and swap the result into place only when it succeeded.

MkDocs and Material print the site name, site description, nav titles and page titles as HTML, unescaped
(and apply `| e` to them only in a few attributes, which theme/overrides undoes). So every such text handed to
MkDocs is escaped once, where it is written: here for mkdocs.yml, in render.py (front_text) for front matter.
Values under extra.gk are plain text: only our own partials print them, and they escape them.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from html import escape
from pathlib import Path

import yaml

from .catalogue import Catalogue, by_year

ROOT = Path(__file__).resolve().parent.parent


class BuildEnvironmentError(Exception):
    """Something outside the content went wrong (a tool failed); the message is Chinese, for the operator."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.message, self.detail = message, detail


def as_html(text: str) -> str:
    """Text as MkDocs' templates want it: HTML, so that it shows exactly as typed."""
    return escape(text, quote=True)


def nav(catalogue: Catalogue) -> list:
    """The nav holds only the catalogue, archives, publishers and guide: never records."""
    return [
        {"首页": "index.md"},
        {"信息公开指南": "guide.md"},
        {"信息公开目录": ["catalogue/index.md"]
         + [{as_html(c.title): f"{c.id}/index.md"} for c in catalogue.categories]},
        {"按年份归档": ["archive/index.md"]
         + [{f"{year}年": f"archive/{year}/index.md"} for year, _ in by_year(list(catalogue.records))]},
        {"发布机构": ["publishers/index.md"]
         + [{as_html(o.short_name or o.name): f"publishers/{o.id}/index.md"} for o in catalogue.publishers()]},
        {"开放数据": "open-data.md"},
    ]


def write_mkdocs_config(catalogue: Catalogue, work: Path, docs: Path, preview: bool = False,
                        offline: str = "") -> Path:
    """build/mkdocs.yml: INHERITs the project's mkdocs.yml and adds what site.yml says.

    preview: for `serve`, whose live reload is an inline script the Content-Security-Policy lets run there only.
    offline: the day an offline copy is made (generator/offline.py): its pages say so, and search there runs on
    a script file instead of Pagefind."""
    from .kinds.environment.views import LEVELS_CSS
    from .search import shard_directories
    s = catalogue.settings
    base = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "site_name": as_html(s.name + ("（内部）" if catalogue.audience != "public" else "")),
        "site_url": s.base_url,
        "site_description": as_html(f"{s.host}政府信息公开"),
        "docs_dir": str(docs.resolve()),
        "theme": {"custom_dir": str((ROOT / "theme" / "overrides").resolve())},
        "extra_css": [*base.get("extra_css", []), LEVELS_CSS],     # lists are not merged by INHERIT
        "nav": nav(catalogue),
        "extra": {"gk": {
            "host": s.host, "site_code": s.site_code, "icp": s.icp, "police_record": s.police_record,
            "phone": s.supervision.phone, "email": s.supervision.email, "office": s.supervision.office,
            "address": s.supervision.address, "audience": catalogue.audience, "preview": preview,
            # Extra Pagefind bundles the browser merges into the first one (large sites only).
            "search_shards": " ".join(shard_directories(catalogue)[1:]),
            "offline": offline,
        }},
    }
    if offline:
        from .offline import OFFLINE_SCRIPT
        config["extra_javascript"] = [OFFLINE_SCRIPT]
    path = work / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run_mkdocs(config: Path, site_dir: Path) -> None:
    from .lifeline import python_module
    cmd = python_module("mkdocs", "build", "--quiet", "--strict", "--config-file", str(config),
                        "--site-dir", str(site_dir.resolve()))
    proc = run_tool(cmd, "MkDocs", env={**os.environ, "PYTHONUNBUFFERED": "1", "NO_MKDOCS_2_WARNING": "1"})
    if proc.returncode != 0:
        raise BuildEnvironmentError("MkDocs 生成网页失败，原有网站目录未作改动", tool_output(proc))


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
