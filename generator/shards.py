"""MkDocs in shards: the rendered pages split into groups that build in parallel and are reused when unchanged.

Python-Markdown inside MkDocs is single-threaded and dominates the build, so pages are spread over shards of
about PAGES_PER_SHARD, built by up to one MkDocs process per core, then assembled into one site. A page keeps its
shard (a hash of its path) as others come and go, so a change rebuilds only the shards it touches; the same
split would let a very large publisher build shards on several machines. Every shard also builds the pages
of the navigation (MkDocs needs them to render the nav); the first shard's copies are the ones kept.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from .site import ROOT, run_mkdocs

PAGES_PER_SHARD = 1500
MAX_SHARDS = 24      # beyond this, shards grow instead: each MkDocs run costs about a second to start


@dataclass(frozen=True)
class Shard:
    number: int
    files: tuple[str, ...]        # docs-relative paths this shard builds (pages and their files)


def nav_pages(config: Path) -> set[str]:
    def walk(items):
        for item in items:
            for value in (item.values() if isinstance(item, dict) else [item]):
                if isinstance(value, list):
                    yield from walk(value)
                else:
                    yield value
    return set(walk(yaml.safe_load(config.read_text(encoding="utf-8")).get("nav", [])))


def plan(docs: Path, navigation: set[str], pages_per_shard: int | None = None) -> list[Shard]:
    everything = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file())
    pages = [f for f in everything if f.endswith(".md")]
    page_set = set(pages)
    count = min(MAX_SHARDS, max(1, -(-len(pages) // (pages_per_shard or PAGES_PER_SHARD))))

    def shard_of_page(page: str) -> int:
        return 0 if page in navigation else zlib.crc32(page.encode()) % count

    def shard_of_file(path: str) -> int:
        # A record's attachments and downloads sit next to it (x.md, x/附件.pdf, x.csv): same shard.
        stem = path.rsplit(".", 1)[0]
        while stem:
            if stem + ".md" in page_set:
                return shard_of_page(stem + ".md")
            stem = stem.rpartition("/")[0]
        return 0

    groups: list[list[str]] = [[] for _ in range(count)]
    for path in everything:
        number = shard_of_page(path) if path in page_set else shard_of_file(path)
        groups[number].append(path)
    for number in range(1, count):
        groups[number] += sorted(navigation)
    return [Shard(n, tuple(g)) for n, g in enumerate(groups)]


def _theme_digest() -> bytes:
    digest = hashlib.sha256((ROOT / "mkdocs.yml").read_bytes())
    for path in sorted((ROOT / "theme" / "overrides").rglob("*")):
        if path.is_file():
            digest.update(str(path).encode())
            digest.update(path.read_bytes())
    return digest.digest()


def _link_or_copy(src: str, dst: str) -> None:
    if os.path.exists(dst):
        os.unlink(dst)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def build_shards(config: Path, docs: Path, work: Path, staged: Path, workers: int | None = None) -> dict:
    """Build changed shards, assemble all of them into staged; returns counts for the report."""
    root = work / "shards"
    shards = plan(docs, nav_pages(config))
    wanted = {str(s.number) for s in shards}
    if root.exists():
        for old in root.iterdir():
            if old.name not in wanted:
                shutil.rmtree(old)
    common = hashlib.sha256(_theme_digest() + config.read_bytes()).digest()
    todo = []
    for shard in shards:
        place = root / str(shard.number)
        digest = hashlib.sha256(common)
        for path in shard.files:
            digest.update(path.encode())
            digest.update(hashlib.sha256((docs / path).read_bytes()).digest())
        stamp = place / "fingerprint"
        if stamp.exists() and stamp.read_text() == digest.hexdigest() and (place / "site").is_dir():
            continue
        if place.exists():
            shutil.rmtree(place)
        for path in shard.files:
            target = place / "docs" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(str(docs / path), str(target))
        shard_config = {"INHERIT": str(config.resolve()), "docs_dir": str((place / "docs").resolve())}
        (place / "mkdocs.yml").write_text(yaml.safe_dump(shard_config, allow_unicode=True), encoding="utf-8")
        todo.append((shard, place, digest.hexdigest()))

    def run(item):
        shard, place, fingerprint = item
        run_mkdocs(place / "mkdocs.yml", place / "site")
        (place / "fingerprint").write_text(fingerprint)

    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 2) as pool:
        list(pool.map(run, todo))

    # Assemble: later shards first, the first shard last so its navigation pages and 404 win.
    for shard in sorted(shards, key=lambda s: -s.number):
        shutil.copytree(root / str(shard.number) / "site", staged, copy_function=_link_or_copy,
                        dirs_exist_ok=True)
    _merge_sitemaps([root / str(s.number) / "site" / "sitemap.xml" for s in shards], staged)
    return {"shards": len(shards), "built": len(todo)}


def _merge_sitemaps(parts: list[Path], staged: Path) -> None:
    entries: dict[str, str] = {}
    for part in parts:
        if part.exists():
            for block in re.findall(r"<url>.*?</url>", part.read_text(encoding="utf-8"), flags=re.S):
                loc = re.search(r"<loc>(.*?)</loc>", block, flags=re.S)
                entries.setdefault(loc.group(1).strip() if loc else block, block)
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "\n".join(entries[k] for k in sorted(entries)) + "\n</urlset>\n")
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        if (staged / name).exists():
            (staged / name).unlink()
    (staged / "sitemap.xml").write_text(text, encoding="utf-8")
    (staged / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
