"""The search stage: a Pagefind index built from the records themselves, not from the themed pages.

Each record becomes a small HTML stub holding only what should be found (title, summary, body, 索引号, 文号,
publisher) with Pagefind's filter and meta attributes. Indexing stubs instead of the built site is about three
times faster, leaves the navigation chrome out, and lets the index be built while MkDocs runs.

Pagefind's memory grows with the pages in one index (about 150 MB per 1,000 records here), so large sites are
split into search shards of at most SHARD_SIZE records (one index up to 10,000: a query then fetches
one index chunk per word instead of one per shard): pagefind/ holds the first, pagefind-1/ … the others, and
the browser merges them (gk-search.js, mergeIndex). A shard whose stubs did not change is copied from the
previous build instead of being indexed again.
"""
from __future__ import annotations

import hashlib
import html
import re
import shutil
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue
from .model import Record
from .render import exact_token
from .shards import link_or_copy
from .site import BuildEnvironmentError

SHARD_SIZE = 10000
# Pagefind's own UIs and highlighter: the site has its own panel (gk-search.js), so these are not published.
UNUSED = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*", "pagefind-highlight.js")
_MARKUP = re.compile(r"<[^>]+>|[#>*_`|]+|!?\[([^\]]*)\]\([^)]*\)|^-{3,}$|:?-{3,}:?", re.M)


@dataclass(frozen=True)
class SearchShard:
    directory: str            # under the site root: pagefind, pagefind-1, ...
    records: tuple[Record, ...]


def plan(catalogue: Catalogue, shard_size: int | None = None) -> list[SearchShard]:
    """Stable shards: a record stays in its shard as others come and go (hash of its 索引号)."""
    records = catalogue.records
    count = max(1, -(-len(records) // (shard_size or SHARD_SIZE)))
    groups: list[list[Record]] = [[] for _ in range(count)]
    for r in records:
        groups[zlib.crc32(r.index_no.encode()) % count].append(r)
    groups = [g for g in groups if g]     # Pagefind refuses an index without pages
    return [SearchShard("pagefind" if i == 0 else f"pagefind-{i}", tuple(g)) for i, g in enumerate(groups)]


def shard_directories(catalogue: Catalogue) -> list[str]:
    return [s.directory for s in plan(catalogue)]


def _plain(markdown: str) -> str:
    return _MARKUP.sub(lambda m: f" {m.group(1)} " if m.group(1) else " ", markdown)


def stub(record: Record) -> str:
    """The searchable part of one record, as Pagefind reads it."""
    e = html.escape
    filters = (("分类", record.category.title), ("年份", f"{record.published_on.year}年"),
               ("发布机构", record.publisher.name), ("主题分类", record.topic))
    meta = [("索引号", record.index_no), ("发布机构", record.publisher.name),
            ("发布日期", record.published_on.isoformat())] + ([("文号", record.doc_no)] if record.doc_no else [])
    attrs = "".join(f'<span data-pagefind-filter="{e(k)}:{e(v.replace(",", chr(92) + ","))}"></span>'
                    for k, v in filters)
    attrs += "".join(f'<span data-pagefind-meta="{e(k)}:{e(v.replace(",", chr(92) + ","))}"></span>' for k, v in meta)
    elements = " ".join(f"{label}:{text}" for label, text in record.service_elements)
    exact = exact_token(record.index_no) + (" " + exact_token(record.doc_no) if record.doc_no else "")
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{e(record.title)}</title></head>'
            f'<body data-pagefind-body><h1>{e(record.title)}</h1>{attrs}<p>{e(record.summary)}</p>'
            f"<div>{e(_plain(record.body))}</div><p>{e(elements)}</p>"
            f"<p>{e(record.index_no)} {e(record.doc_no)} {e(record.publisher.name)} {exact}</p></body></html>")


def _index(stubs: Path, output: Path) -> None:
    cmd = [sys.executable, "-m", "pagefind", "--site", str(stubs), "--output-path", str(output), "--silent"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as exc:
        raise BuildEnvironmentError("无法运行搜索索引工具 Pagefind", str(exc)) from None
    if proc.returncode != 0:
        raise BuildEnvironmentError("生成搜索索引失败，原有网站目录未作改动",
                                    (proc.stdout + proc.stderr).strip()
                                    + "\n（请运行 make site 重新安装依赖：pagefind[extended]）")


def write_search_index(catalogue: Catalogue, site_dir: Path, work: Path) -> list[str]:
    """Index every search shard (or reuse it) and copy the bundles into site_dir; returns the directories."""
    root = work / "search"
    shards = plan(catalogue)
    wanted = {s.directory for s in shards}
    if root.exists():
        for old in root.iterdir():
            if old.name not in wanted:
                shutil.rmtree(old)
    for shard in shards:
        pages = {f"{r.page_path}/index.html": stub(r) for r in shard.records}
        digest = hashlib.sha256()
        for path in sorted(pages):
            digest.update(path.encode())
            digest.update(pages[path].encode())
        place = root / shard.directory
        stamp = place / "fingerprint"
        if not (stamp.exists() and stamp.read_text() == digest.hexdigest() and (place / "bundle").is_dir()):
            if place.exists():
                shutil.rmtree(place)
            for path, text in pages.items():
                target = place / "stubs" / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            _index(place / "stubs", place / "bundle")
            shutil.rmtree(place / "stubs")
            stamp.write_text(digest.hexdigest())
        shutil.copytree(place / "bundle", site_dir / shard.directory, copy_function=link_or_copy,
                        ignore=shutil.ignore_patterns(*UNUSED))
    return [s.directory for s in shards]
