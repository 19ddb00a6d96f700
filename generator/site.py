"""The engine adapter: the configuration MkDocs (or ProperDocs, `engine:` in site.yml) reads, and running it.

The edge of the build: stages below (render, search, stamp, export) never import this module. Generated
configurations name files relative to their own folder, so the work directory can move and engines that
refuse absolute paths (Zensical) read them.

MkDocs and Material print the site name, site description, nav titles and page titles as HTML, unescaped
(and apply `| e` to them only in a few attributes, which theme/overrides undoes). So every such text handed to
MkDocs is escaped once, where it is written: here for mkdocs.yml, in render.py (front_text) for front matter.
Values under extra.gk are plain text: only our own partials print them, and they escape them.
"""
from __future__ import annotations

import hashlib
import os
from html import escape
from pathlib import Path

import yaml

from .catalogue import Catalogue
from .search import shard_directories
from .environment import ROOT, BuildEnvironmentError, run_tool, tool_output  # noqa: F401 (names of this module too)
from .sourcefile import load_own_yaml

THEME = ROOT / "theme" / "overrides"


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
         + [{f"{year}年": f"archive/{year}/index.md"} for year, _ in catalogue.years]},
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
    s = catalogue.settings
    base = load_own_yaml(ROOT / "mkdocs.yml")
    config = {
        "INHERIT": relative_to_config(ROOT / "mkdocs.yml", work),
        "site_name": as_html(s.name + ("（内部）" if catalogue.audience != "public" else "")),
        "site_url": s.base_url,
        "site_description": as_html(f"{s.host}政府信息公开"),
        "docs_dir": relative_to_config(docs, work),
        "theme": {"custom_dir": relative_to_config(THEME, work)},
        # Lists are not merged by INHERIT. The AQI level colours are data (render writes them into docs).
        "extra_css": [*map(versioned, base.get("extra_css", [])), versioned(LEVELS_CSS, docs)],
        "extra_javascript": [*map(versioned, base.get("extra_javascript", []))],
        "nav": nav(catalogue),
        "extra": {"gk": {
            "host": s.host, "site_code": s.site_code, "icp": s.icp, "police_record": s.police_record,
            "phone": s.supervision.phone, "email": s.supervision.email, "office": s.supervision.office,
            "address": s.supervision.address, "audience": catalogue.audience, "preview": preview,
            # Extra Pagefind bundles the browser merges into the first one (large sites only).
            "search_shards": " ".join(shard_directories(catalogue, work)[1:]),
            "offline": offline,
            # Scripts the templates link themselves (main.html, partials/javascripts/base.html).
            "scripts": {"md": versioned("javascripts/gk-md.js"), "reader": versioned("javascripts/gk-reader.js")},
        }},
    }
    if offline:
        from .offline import OFFLINE_SCRIPT
        config["extra_javascript"] = [versioned(OFFLINE_SCRIPT)]
    path = work / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def versioned(asset: str, folder: Path = THEME) -> str:
    """The address of a file of the theme (or of folder) with its content's digest as a query: a browser that
    kept the last version's script or stylesheet fetches this one (the search script must match the index it
    reads, gk-search.js; the 长辈版 script the page it styles)."""
    path = folder / asset
    if not path.is_file():
        return asset
    return f"{asset}?v={hashlib.sha256(path.read_bytes()).hexdigest()[:10]}"


ENGINES = {"mkdocs": "MkDocs", "properdocs": "ProperDocs"}     # site.yml `engine`: module -> name shown


def relative_to_config(path: Path, config_folder: Path) -> str:
    """A path as a configuration file in config_folder names it: relative to that folder."""
    return os.path.relpath(path.resolve(), config_folder.resolve())


def run_mkdocs(config: Path, site_dir: Path, engine: str = "mkdocs") -> None:
    """Build the pages config names into site_dir with the engine (a Python module with MkDocs' command line)."""
    from .lifeline import python_module
    cmd = python_module(engine, "build", "--quiet", "--strict", "--config-file", str(config),
                        "--site-dir", str(site_dir.resolve()))
    name = ENGINES.get(engine, engine)
    proc = run_tool(cmd, name, env={**os.environ, "PYTHONUNBUFFERED": "1", "NO_MKDOCS_2_WARNING": "1",
                                    "DISABLE_MKDOCS_2_WARNING": "true"})
    if proc.returncode != 0:
        raise BuildEnvironmentError(f"{name} 生成网页失败，原有网站目录未作改动", tool_output(proc))
