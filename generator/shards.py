"""MkDocs in shards: the rendered pages split into groups that build in parallel, patched when few change.

Python-Markdown inside MkDocs is single-threaded and dominates the build, so pages are spread over a few
shards per core, built by one MkDocs process per core, then assembled into one site. A page keeps its shard
(a hash of its path) as others come and go; the same split would let a very large publisher build shards on
several machines.

A page's HTML depends only on its own Markdown, the configuration and theme, and the navigation (records and
listings are never in the nav; navigation pages sit in every shard because MkDocs needs them to draw it).
So when a few pages of a shard change, MkDocs builds just those pages with the navigation pages beside them
("a patch"), and their HTML replaces the old in the shard's output. When the configuration, theme or nav
changes, or many pages change, the shard is built whole. The first shard's navigation pages are the ones
published.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import engine_hook, pagestore, stamp, stampmd
from .beside import Beside
from .atomic import read_json, write_text
from .environment import ROOT, BuildEnvironmentError, link_all, link_or_copy
from .site import THEME, relative_to_config, run_mkdocs
from .sourcefile import load_own_yaml

PAGES_PER_SHARD = 6000   # per shard; the count is rounded up to a multiple of the workers so they finish together
MAX_SHARDS = 24          # beyond this, shards grow instead: each MkDocs run costs most of a second to start
SMALL_SITE = 1000        # up to this many pages one MkDocs run is quicker than starting two
PATCH_SHARE = 0.3        # a shard with more than this share of its pages changed is built whole
TEMPLATES = "engine-templates"   # beside the site's configuration: the engine's compiled templates


@dataclass(frozen=True)
class Shard:
    number: int
    files: tuple[str, ...]        # docs-relative paths this shard builds (pages and their files)


def nav_of(config: Path) -> list:
    """The nav of a generated configuration."""
    return load_own_yaml(config).get("nav", []) or []


def nav_pages(config: Path, nav: list | None = None) -> set[str]:
    """Every page the nav names (nav: the config's, when already read)."""
    def walk(items):
        for item in items:
            for value in (item.values() if isinstance(item, dict) else [item]):
                if isinstance(value, list):
                    yield from walk(value)
                else:
                    yield value
    return set(walk(nav_of(config) if nav is None else nav))


def top_folders(nav: list) -> frozenset[str]:
    """The first folders of the pages the nav's top level leads to (a section: its first page). A guess at the
    folders the theme links into from every page, which the probe learns for certain (stamp.HOME)."""
    def first(value):
        while isinstance(value, list) and value:
            value = next(iter(value[0].values())) if isinstance(value[0], dict) else value[0]
        return value if isinstance(value, str) else ""
    tops = (first(next(iter(item.values()))) if isinstance(item, dict) and item else first(item) for item in nav)
    return frozenset(folder for page in tops if (folder := page.split("/", 1)[0].removesuffix(".md"))
                     and folder != "index")


def shard_count(pages: int, workers: int, pages_per_shard: int | None = None) -> int:
    per = pages_per_shard or PAGES_PER_SHARD
    if pages <= min(per, SMALL_SITE):
        return 1
    return min(MAX_SHARDS, workers * -(-pages // (workers * per)))


def plan(docs: Path, navigation: set[str], workers: int = 2, pages_per_shard: int | None = None,
         stamped: frozenset[str] = frozenset(), stored: frozenset[str] = frozenset()) -> list[Shard]:
    """The shards: every docs file but the stamped pages (stamp.py), a page with the files it owns (stored:
    pages the render put in its page store, pagestore.py, owners as well; those not stamped are files too)."""
    everything = sorted(_files(docs))
    page_set = {f for f in everything if f.endswith(".md")} | stored    # owners, stamped pages among them
    everything = [f for f in everything if f not in stamped]
    count = shard_count(len(page_set) - len(stamped), workers, pages_per_shard)

    def shard_of_page(page: str) -> int:
        return 0 if page in navigation else zlib.crc32(page.encode()) % count

    groups: list[list[str]] = [[] for _ in range(count)]
    for path in everything:
        owner = owner_page(path, page_set)
        groups[shard_of_page(owner) if owner else 0].append(path)
    for number in range(1, count):
        groups[number] += sorted(navigation)
    return [Shard(n, tuple(g)) for n, g in enumerate(groups)]


def _files(docs: Path) -> list[str]:
    """Every file under docs, relative, with '/' (os.walk: pathlib's rglob took a third of a second here)."""
    found = []
    for folder, _, names in os.walk(docs):
        below = os.path.relpath(folder, docs)
        prefix = "" if below == "." else below.replace(os.sep, "/") + "/"
        found += [prefix + name for name in names]
    return found


def owner_page(path: str, pages: set[str]) -> str | None:
    """The page a file belongs to: itself, or the record it sits beside (x.md owns x/附件.pdf and x.csv)."""
    if path in pages:
        return path
    stem = path.rsplit(".", 1)[0]
    while stem:
        if stem + ".md" in pages:
            return stem + ".md"
        stem = stem.rpartition("/")[0]
    return None


def output_of(path: str) -> str:
    """Where MkDocs (use_directory_urls) writes a docs file."""
    if not path.endswith(".md"):
        return path
    if path == "index.md" or path.endswith("/index.md"):
        return path[:-3] + ".html"
    return path[:-3] + "/index.html"


def _common_digest(config: Path, docs: Path, navigation: set[str], engine: str = "mkdocs") -> str:
    """What every page of every shard depends on: the engine, MkDocs, Material and Python-Markdown (their
    versions), the configuration, theme overrides, nav and the nav pages' titles."""
    from importlib.metadata import PackageNotFoundError, version
    digest = hashlib.sha256((ROOT / "mkdocs.yml").read_bytes() + config.read_bytes())
    digest.update(" ".join(version(p) for p in ("mkdocs", "mkdocs-material", "markdown")).encode())
    try:
        digest.update(f" {engine} {version(engine)}".encode())
    except PackageNotFoundError:
        digest.update(f" {engine}".encode())
    for path in sorted((ROOT / "theme" / "overrides").rglob("*")):
        if path.is_file():
            digest.update(str(path).encode())
            digest.update(path.read_bytes())
    for page in sorted(navigation):
        source = docs / page
        head = source.read_text(encoding="utf-8")[:400] if source.exists() else ""
        title = re.search(r"^title:(.*)$", head, re.M) or re.search(r"^# (.*)$", head, re.M)
        digest.update(f"{page}={title.group(1).strip() if title else ''}".encode())
    return digest.hexdigest()


def _stage_docs(docs: Path, target: Path, paths) -> None:
    for path in paths:
        place = target / path
        place.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(str(docs / path), str(place))


def _write_config(config: Path, place: Path) -> Path:
    """place/mkdocs.yml: the site's configuration for the pages staged in place/docs. Relative paths in an
    INHERITed file are read from the file that inherits it, so the theme folder is named again from here.
    The engine's compiled templates are kept beside the site's configuration (engine_hook.py)."""
    shard_config = {"INHERIT": relative_to_config(config, place), "docs_dir": "docs",
                    "theme": {"custom_dir": relative_to_config(THEME, place)},
                    "hooks": [relative_to_config(Path(engine_hook.__file__), place)]}
    place.mkdir(parents=True, exist_ok=True)
    write_text(place / engine_hook.SETTINGS,
               json.dumps({"templates": relative_to_config(config.parent / TEMPLATES, place)}))
    path = place / "mkdocs.yml"
    path.write_text(yaml.safe_dump(shard_config, allow_unicode=True), encoding="utf-8")
    return path


def _stage_stand_ins(docs: Path, target: Path, paths) -> None:
    """Navigation pages a patch does not draw, as the engine needs them to draw the nav of those it does: their
    front matter (the title, what Material shows beside it) without the slots, drawn as nothing
    (engine_hook.UNUSED). A page without front matter of our form is staged as it is."""
    for path in paths:
        front = stamp.front_without_slots((docs / path).read_text(encoding="utf-8"))
        place = target / path
        place.parent.mkdir(parents=True, exist_ok=True)
        if front is None or not front.startswith("title: "):
            link_or_copy(str(docs / path), str(place))
            continue
        place.write_text(f"---\n{front}\ntemplate: {engine_hook.UNUSED}\n---\n", encoding="utf-8")


@dataclass
class _Job:
    shard: Shard
    place: Path
    digests: dict[str, str]
    patch: list[str] | None = None     # pages (and files) to rebuild; None: the whole shard
    removed: tuple[str, ...] = ()


def _build_whole(config: Path, docs: Path, job: _Job, engine: str) -> None:
    for name in ("docs", "site", "patch"):
        if (job.place / name).exists():
            shutil.rmtree(job.place / name)
    _stage_docs(docs, job.place / "docs", job.shard.files)
    run_mkdocs(_write_config(config, job.place), job.place / "site", engine)
    shutil.rmtree(job.place / "docs")


def _build_patch(config: Path, docs: Path, job: _Job, navigation: set[str], engine: str) -> None:
    site = job.place / "site"
    if (not job.removed and not any(p.endswith(".md") for p in job.patch)
            and all((site / output_of(p)).is_file() for p in job.patch)):
        # Only files the engine copies as they are (it copied each of them before), such as the catalogue's
        # CSV and JSON when a record changes: taken as they are, without starting the engine (~0.6 s). Copied
        # as the engine would, never linked: the render rewrites docs files in place, and a link made the next
        # render (one for another audience, or one that then failed) change the site that is online.
        for path in job.patch:
            target = site / output_of(path)
            target.unlink(missing_ok=True)
            shutil.copyfile(docs / path, target)
        return
    patch = job.place / "patch"
    if patch.exists():
        shutil.rmtree(patch)
    # The navigation pages are there for the nav the patched pages show; those not patched are stand-ins.
    _stage_docs(docs, patch / "docs", job.patch)
    _stage_stand_ins(docs, patch / "docs", sorted(navigation - set(job.patch)))
    run_mkdocs(_write_config(config, patch), patch / "site", engine)
    for path in job.removed:
        target = site / output_of(path)
        if target.exists():
            target.unlink()
    for path in job.patch:
        built = patch / "site" / output_of(path)
        target = site / output_of(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(str(built), str(target))
    for path in job.removed:
        folder = (site / output_of(path)).parent
        while folder != site and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    base = load_own_yaml(config).get("site_url") or ""
    gone = {base + output_of(p).removesuffix("index.html") for p in job.removed if p.endswith(".md")}
    _merge_sitemaps([patch / "site" / "sitemap.xml", site / "sitemap.xml"], site, drop=gone.__contains__)
    shutil.rmtree(patch)


def _plan_job(shard: Shard, root: Path, docs: Path, navigation: set[str], common: str) -> _Job | None:
    """What this shard needs: nothing (None), a patch of a few pages, or a whole build."""
    place = root / str(shard.number)
    digests = {p: hashlib.sha256((docs / p).read_bytes()).hexdigest() for p in shard.files}
    # Navigation pages in shards other than the first are only there to draw the nav: their text does not
    # matter (their titles are in the common digest).
    own = {p: d for p, d in digests.items() if shard.number == 0 or p not in navigation}
    state = place / "state.json"
    previous = read_json(state) if (place / "site").is_dir() else None
    if not (isinstance(previous, dict) and isinstance(previous.get("files"), dict)):
        previous = None         # missing or damaged: the shard is built whole
    job = _Job(shard, place, own)
    if previous is None or previous["common"] != common:
        return job
    before: dict[str, str] = previous["files"]
    changed = [p for p, d in own.items() if before.get(p) != d]
    if not changed and before.keys() <= own.keys():
        return None
    page_set = {p for p in shard.files if p.endswith(".md")}
    touched = {owner_page(p, page_set) or p for p in changed}
    if len(touched) <= PATCH_SHARE * max(1, len(page_set)):
        # A changed page brings all its files (its links to them are checked); a changed file its page.
        job.patch = [p for p in shard.files if (owner_page(p, page_set) or p) in touched]
        job.removed = tuple(p for p in before if p not in own)
    return job


def _assemble(shard: Shard, site: Path, staged: Path, navigation: set[str]) -> None:
    """Link a shard's output into staged.

    The first shard brings everything (theme files, 404, nav pages); the others only the pages and files of
    their own, so shards finishing together never write the same path. Sitemaps are merged afterwards."""
    if shard.number == 0:
        paths = [os.path.relpath(os.path.join(folder, name), site) for folder, _, names in os.walk(site)
                 for name in names]
    else:
        paths = [output_of(p) for p in shard.files if p not in navigation]
    link_all((f"{site}/{path}", f"{staged}/{path}") for path in paths if path not in ("sitemap.xml", "sitemap.xml.gz"))


def _probe(config: Path, docs: Path, work: Path, navigation: set[str], common: str, shapes: list,
           engine: str) -> stamp.Stamper | None:
    """The engine's probe pages (with the nav pages they draw), kept while nothing they depend on changes;
    a Stamper that reproduces them, or None (the engine then draws every page).

    The probe is drawn again only for what it depends on (base: configuration, nav titles, engine, stamp.py
    and stampmd.py)
    or a shape it lacks (a first withdrawal brings the tombstone's); a shape no longer used stays in it. The
    stamped pages' cache holds base and their shape's skeleton, not the list of shapes: a shape coming or
    going leaves ten thousand stamped pages as they are."""
    place = work / "stamp" / "probe"
    base = hashlib.sha256((common + engine).encode() + Path(stamp.__file__).read_bytes()
                          + Path(stampmd.__file__).read_bytes()).hexdigest()
    state = read_json(place / "state.json") if (place / "site").is_dir() else None
    drawn = None
    if isinstance(state, dict) and state.get("base") == base and isinstance(state.get("shapes"), list):
        try:
            drawn = [(int(depth), str(extra)) for depth, extra in state["shapes"]]
        except (TypeError, ValueError):
            drawn = None
    try:
        if drawn is None or not set(shapes) <= set(drawn):
            drawn = sorted(set(shapes) | set(drawn or []))
            if place.exists():
                shutil.rmtree(place)
            _stage_docs(docs, place / "docs", sorted(p for p in navigation if (docs / p).is_file()))
            stamp.write_probes(place / "docs", drawn)
            run_mkdocs(_write_config(config, place), place / "site", engine)
            shutil.rmtree(place / "docs")
            write_text(place / "state.json", json.dumps({"base": base, "shapes": drawn}, ensure_ascii=False))
        stamper = stamp.Stamper(config, engine)
        stamper.key, stamper.drawn = base, drawn
    except Exception:           # noqa: BLE001 - stamping is only ever a shortcut:
        return None             # the engine draws the records itself, and a real problem shows there
    return stamper if stamp.learn_from(stamper, place / "site", drawn) else None


def build_shards(config: Path, docs: Path, work: Path, staged: Path, workers: int | None = None,
                 engine: str = "mkdocs", pages: list[str] | tuple = (), digests: dict[str, str] | None = None
                 ) -> tuple[dict, frozenset[str]]:
    """Stamp the record pages the engine's probe allows (stamp.py), build or patch the shards that changed
    for every other page, assemble all of them into staged; returns counts for the report, and the folders
    of staged a stamped page was linked into (the prune before the swap need not try them, recycle.py)."""
    workers = workers or os.cpu_count() or 2
    root = work / "shards"
    nav = nav_of(config)
    navigation = nav_pages(config, nav)
    common = _common_digest(config, docs, navigation, engine)
    stored = pagestore.listed(docs)     # record pages the render put in one file (pagestore.py)
    candidates = stamp.stampable(sorted(p for p in pages if p not in navigation))
    shapes = stamp.page_shapes(stored, candidates, work, digests or {}) if candidates else {}
    # Pages below the folders the theme links into get probes drawn there (stamp.HOME). The folders are the
    # probe's own to say; drawn with probes below the folders the nav's top level leads to as well, a first
    # build mostly draws the probe once (it draws it again when the guess missed a folder, 0.7 s at 10,000
    # records; a rebuild finds every shape drawn).
    guessed = stamp.homed_shapes(shapes, top_folders(nav))
    stamper = (_probe(config, docs, work, navigation, common, sorted({*shapes.values(), *guessed.values()}), engine)
               if shapes else None)
    if stamper is not None:
        linked = frozenset().union(*(s.linked for s in stamper.skeletons.values() if not s.home))
        homed = stamp.homed_shapes(shapes, linked)
        if not set(homed.values()) <= set(stamper.drawn):
            stamper = _probe(config, docs, work, navigation, common, sorted(set(homed.values())), engine)
        shapes = homed
    stamped: dict[str, str] = {}
    if stamper is not None:
        stamped, _ = stamp.stamp_pages(stamper, stored, shapes, work, digests)
    else:
        stamp.forget(work)
    # Stored pages the stamp leaves to the engine (links or images in their Markdown, no probe) become files.
    stored.materialize(sorted(p for p in stored if p not in stamped))
    stored.close()
    # Every page is stamped or a file the engine builds: one that is neither would be missing without a word.
    missing = [p for p in pages if p not in stamped and not (docs / p).is_file()]
    if missing:
        raise BuildEnvironmentError("生成网页时有页面既没有套用模板也没有交给 MkDocs，原有网站目录未作改动",
                                    "、".join(missing[:5]) + "\n（请删除中间文件目录（--work，默认 build/）后重新生成）")
    # Ten thousand stamped pages are linked into staged, half on the other core while the shards are planned,
    # built and assembled here (their files never share a path), half here after them.
    pages_linked = sorted(stamped)
    linking = (Beside(lambda: stamp.assemble({p: stamped[p] for p in pages_linked[0::2]}, staged))
               if len(stamped) >= stamp.STAMP_IN_TWO else None)
    try:
        counts = _shards(config, docs, work, staged, workers, engine, navigation, common, frozenset(stamped),
                         frozenset(stored))
    except BaseException:
        if linking is not None:
            linking.wait()
        raise
    parts = [root / str(number) / "site" / "sitemap.xml" for number in range(counts["shards"])]
    if stamped:
        if linking is not None:
            stamp.assemble({p: stamped[p] for p in pages_linked[1::2]}, staged)
            linking.result()
        else:
            stamp.assemble(stamped, staged)
        parts.append(stamp.sitemap_part(stamper, stamped, shapes, work / "stamp" / "sitemap.xml"))
    _merge_sitemaps(parts, staged)
    return counts | {"stamped": len(stamped)}, frozenset(stamp.page_url(p).rstrip("/") for p in stamped)


def _shards(config: Path, docs: Path, work: Path, staged: Path, workers: int, engine: str, navigation: set[str],
            common: str, stamped: frozenset[str], stored: frozenset[str] = frozenset()) -> dict:
    """Build or patch the shards that changed for every page not stamped, and link them into staged."""
    root = work / "shards"
    shards = plan(docs, navigation, workers, stamped=stamped, stored=stored)
    wanted = {str(s.number) for s in shards}
    if root.exists():
        for old in root.iterdir():
            if old.name not in wanted:
                shutil.rmtree(old)
    jobs = [job for job in (_plan_job(s, root, docs, navigation, common) for s in shards) if job]

    def run(job: _Job) -> str:
        state = job.place / "state.json"
        if state.exists():
            state.unlink()      # a build that stops half-way leaves no claim to be current
        kind = "whole"
        if job.patch is not None:
            try:
                _build_patch(config, docs, job, navigation, engine)
                kind = "patch"
            except BuildEnvironmentError:
                _build_whole(config, docs, job, engine)     # the whole build reports the problem, if it is real
        else:
            _build_whole(config, docs, job, engine)
        write_text(state, json.dumps({"common": common, "files": job.digests}))
        _assemble(job.shard, job.place / "site", staged, navigation)   # while the other shards still build
        return kind

    with ThreadPoolExecutor(max_workers=workers) as pool:
        kinds = list(pool.map(run, jobs))
        built = {job.shard.number for job in jobs}
        list(pool.map(lambda s: _assemble(s, root / str(s.number) / "site", staged, navigation),
                      [s for s in shards if s.number not in built]))
    return {"shards": len(shards), "built": kinds.count("whole"), "patched": kinds.count("patch")}


def _merge_sitemaps(parts: list[Path], target: Path, drop=lambda loc: False) -> None:
    """One sitemap from several; the first part's entry for a page wins."""
    entries: dict[str, str] = {}
    for part in parts:
        if part.exists():
            for block in re.findall(r"<url>.*?</url>", part.read_text(encoding="utf-8"), flags=re.S):
                loc = re.search(r"<loc>(.*?)</loc>", block, flags=re.S)
                key = loc.group(1).strip() if loc else block
                if not drop(key):
                    entries.setdefault(key, block)
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "\n".join(entries[k] for k in sorted(entries)) + "\n</urlset>\n")
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        if (target / name).exists():
            (target / name).unlink()
    (target / "sitemap.xml").write_text(text, encoding="utf-8")
    (target / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
