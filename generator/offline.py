"""The offline copy (`build --offline`): the site as it works opened from file:// (a kiosk, a USB stick).

A browser opening files has no server: a link to a folder (../catalogue/) shows a raw directory listing, and
the Pagefind search cannot load (ES modules, fetch of JSON and WebAssembly are refused from file://). So the
offline copy is the same build with three differences:

- every relative link to a folder points at its index.html (file_links, over the built HTML);
- search runs on a small prebuilt index of titles, 索引号 and 文号 with the four facets, loaded as a plain
  script file (search/offline-index.js, read by javascripts/gk-offline.js): no fetch, no WebAssembly;
- every page says 「离线版」 with the day it was made (theme/overrides/main.html, extra.gk.offline).

The normal build is untouched: the offline copy renders and builds in a work folder of its own.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from .catalogue import Catalogue

OFFLINE_INDEX = "search/offline-index.js"
OFFLINE_SCRIPT = "javascripts/gk-offline.js"
WORK_SUBDIR = "offline"         # under --work: its own docs, configuration and MkDocs shards
FACETS = ("分类", "年份", "发布机构", "主题分类")

_LINK = re.compile(r'(<a\s[^>]*?href=")([^"]*)(")')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def file_url(url: str) -> str:
    """A relative link to a folder, as a link to its index.html; everything else as it is."""
    if not url or url.startswith(("#", "/", "?")) or _SCHEME.match(url):
        return url
    cut = min((i for i in (url.find("#"), url.find("?")) if i >= 0), default=len(url))
    path, rest = url[:cut], url[cut:]
    if path.rsplit("/", 1)[-1] in (".", ".."):       # ../.. is a folder too
        path += "/"
    if path.endswith("/"):
        path += "index.html"
    return path + rest


def file_links(site: Path) -> int:
    """Rewrite the links of every HTML page under site; returns how many pages were read.

    404.html goes: only a web server shows it, and its links are absolute paths from the site's address."""
    (site / "404.html").unlink(missing_ok=True)
    pages = 0
    for folder, _, names in os.walk(site):
        for name in names:
            if not name.endswith(".html"):
                continue
            path = Path(folder) / name
            text = path.read_text(encoding="utf-8")
            new = _LINK.sub(lambda m: m.group(1) + file_url(m.group(2)) + m.group(3), text)
            if new != text:
                # Hard links from the MkDocs shards' cache: a new file, never a write through the link.
                path.unlink()
                path.write_text(new, encoding="utf-8")
            pages += 1
    return pages


def offline_index(records) -> str:
    """The search index as a script: facet values listed once, records refer to them by position.

    JSON inside a script file (not an inline script): what an editor typed cannot end it, and json.dumps
    escapes every quote and backslash."""
    values: dict[str, list[str]] = {f: [] for f in FACETS}
    positions: dict[tuple[str, str], int] = {}

    def ref(facet: str, value: str) -> int:
        key = (facet, value)
        if key not in positions:
            positions[key] = len(values[facet])
            values[facet].append(value)
        return positions[key]

    rows = [[r.title, r.index_no, r.doc_no, r.page_path + "/index.html", r.published_on.isoformat(), r.publisher.name,
             ref("分类", r.category.title), ref("年份", f"{r.published_on.year}年"), ref("发布机构", r.publisher.name),
             ref("主题分类", r.topic)] for r in records]
    payload = {"facets": list(FACETS), "values": values, "records": rows}
    return "window.GK_OFFLINE_INDEX = " + json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + ";\n"


def write_offline_index(catalogue: Catalogue, site: Path) -> int:
    target = site / OFFLINE_INDEX
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(offline_index(catalogue.records), encoding="utf-8")
    return len(catalogue.records)
