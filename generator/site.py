"""Run MkDocs on the rendered Markdown and swap the result into place only when it succeeded."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .catalogue import Catalogue, by_year

ROOT = Path(__file__).resolve().parent.parent


class BuildEnvironmentError(Exception):
    """Something outside the content went wrong (a tool failed); the message is Chinese, for the operator."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.message, self.detail = message, detail


def nav(catalogue: Catalogue) -> list:
    """The nav holds only the catalogue, archives, publishers and guide: never records."""
    return [
        {"首页": "index.md"},
        {"信息公开指南": "guide.md"},
        {"信息公开目录": ["catalogue/index.md"]
         + [{c.title: f"{c.id}/index.md"} for c in catalogue.categories]},
        {"按年份归档": ["archive/index.md"]
         + [{f"{year}年": f"archive/{year}/index.md"} for year, _ in by_year(list(catalogue.records))]},
        {"发布机构": ["publishers/index.md"]
         + [{o.short_name or o.name: f"publishers/{o.id}/index.md"} for o in catalogue.publishers()]},
    ]


def write_mkdocs_config(catalogue: Catalogue, work: Path, docs: Path) -> Path:
    """build/mkdocs.yml: INHERITs the project's mkdocs.yml and adds what site.yml says."""
    from .search import shard_directories
    s = catalogue.settings
    config = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "site_name": s.name + ("（内部）" if catalogue.audience != "public" else ""),
        "site_url": s.base_url,
        "site_description": f"{s.host}政府信息公开",
        "docs_dir": str(docs.resolve()),
        "theme": {"custom_dir": str((ROOT / "theme" / "overrides").resolve())},
        "nav": nav(catalogue),
        "extra": {"gk": {
            "host": s.host, "site_code": s.site_code, "icp": s.icp, "police_record": s.police_record,
            "phone": s.supervision.phone, "email": s.supervision.email, "office": s.supervision.office,
            "address": s.supervision.address, "audience": catalogue.audience,
            # Extra Pagefind bundles the browser merges into the first one (large sites only).
            "search_shards": " ".join(shard_directories(catalogue)[1:]),
        }},
    }
    path = work / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run_mkdocs(config: Path, site_dir: Path) -> None:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--strict", "--config-file", str(config),
           "--site-dir", str(site_dir.resolve())]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1", "NO_MKDOCS_2_WARNING": "1"})
    if proc.returncode != 0:
        raise BuildEnvironmentError("MkDocs 生成网页失败，原有网站目录未作改动",
                                    (proc.stdout + proc.stderr).strip())


def staging_dir(out: Path) -> Path:
    """A fresh directory beside out (same file system, so the final rename is atomic)."""
    staged = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if staged.exists():
        shutil.rmtree(staged)
    return staged


def swap_into(staged: Path, out: Path) -> None:
    """Replace out by staged with two renames; the old site is removed only after the new one is in place."""
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    staged.rename(out)
    if old.exists():
        shutil.rmtree(old)
