"""The build, top to bottom: load -> validate -> catalogue -> render -> mkdocs (search index beside) -> print -> swap."""
from __future__ import annotations

import gc
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .beside import Beside, give_back_free_memory, yielding
from .catalogue import Catalogue, build_catalogue
from .checkahead import check_ahead
from .checkcache import CheckCache
from .compliance.annual_output import write_site_pdfs
from .contenttypes import load_base_schema, load_categories
from .export.jobs import write_site_prints
from .export.paths import PRINT_DIR, print_links
from .offline import WORK_SUBDIR as OFFLINE_WORK, file_links, write_offline_index
from .datasets.clock import today
from .lifecycle.manifest import compare as compare_manifest, write_manifest
from .load import Loaded, candidates, load_records
from .model import PUBLIC, Category, Record, Settings
from .problems import Problems
from .render import page_digests, render_site
from .search import previous_count, write_search_index
from .settings import load_settings
from .shards import build_shards
from .site import write_mkdocs_config
from .timing import Phases
from .validate import OneRecord, validate
from .workspace import PRINT, SITE, Workspace, cache_directory, check_paths, mark


# How much the pages and MkDocs of a first build yield to the search stage beside them (see build).
FIRST_BUILD_NICENESS = 3


@dataclass
class Checked:
    problems: Problems
    settings: Settings | None = None
    categories: dict[str, Category] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    reused: int = 0         # records taken from the last check's cache (checkcache.py) instead of validated
    world: str = ""         # what every record depends on besides its file (worlddigest.py), with a work folder

    @property
    def ok(self) -> bool:
        return not self.problems.errors


@contextmanager
def _long_lived():
    """Loading and validating make most of a run's objects, and they live until the run ends. Python's cycle
    collector scanned them again and again as they were made (2.2 of 4.0 s unpickling 100,000 cached records):
    it waits until they are made, then leaves them out of its scans (gc.freeze). The next run in the same
    process (the preview server) hands the last run's objects back to it first."""
    gc.unfreeze()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def check(content: Path, phases: Phases | None = None, work: Path | None = None) -> Checked:
    """Load and validate everything; every problem is collected, no page is written (work: where the
    records of unchanged files are kept for the next check, checkcache.py)."""
    with _long_lived():
        return _check(content, phases, work)


def _check(content: Path, phases: Phases | None, work: Path | None) -> Checked:
    phases = phases or Phases()
    problems = Problems()
    with phases("load"):
        # What the last check learned about files that have not changed since (checkcache.py).
        cache = CheckCache.read(work, content)
        # Load: site settings, the content types declared next to the content, the record files.
        settings = load_settings(content, problems)
        base_schema = load_base_schema(content, problems)
        categories = load_categories(content, base_schema, problems) if base_schema else {}
        cache.bind(settings, categories)
        found = candidates(content)
        # Validating one record: schemas and templates prepared once, for check ahead and the check proper.
        each = OneRecord(settings, categories, content, problems) if settings else None
        # A cold check: the files the cache lacks are read and validated on both cores, into the cache.
        check_ahead(cache, content, categories, each, found)
        # Without the shared schema no category can be read: report that alone, not every record as unknown.
        loaded = load_records(content, set(categories), problems, cache, found) if base_schema else Loaded([], [])
    with phases("validate", len(loaded.records)):
        # Validate: schema per category, then rule checks; records with errors are left out.
        # Then published records: none lost, moved, renumbered or changed without a 更新记录 (lifecycle/manifest.py).
        records = (validate(loaded.records, settings, categories, content, problems, loaded.unreadable, cache, each,
                            then=lambda checked, found: compare_manifest(content, loaded, checked, settings,
                                                                         categories, found, today()))
                   if settings else [])
        if not problems.errors:
            cache.save()
    return Checked(problems, settings, categories, records, cache.reused, cache.world)


@dataclass
class Prepared:
    checked: Checked
    catalogue: Catalogue | None = None
    pages: list[str] = field(default_factory=list)
    config: Path | None = None
    shards: dict = field(default_factory=dict)      # how many MkDocs shards, how many were rebuilt


def prepare(content: Path, work: Path, audience: str = PUBLIC, phases: Phases | None = None,
            preview: bool = False) -> Prepared:
    """Check, then render the Markdown site and its MkDocs configuration into work/ (preview: for `serve`)."""
    phases = phases or Phases()
    checked = check(content, phases, cache_directory(content, work))
    if not checked.ok:
        return Prepared(checked)
    # Catalogue: what this audience sees, in which order.
    prepared = Prepared(checked, build_catalogue(checked.records, checked.settings, checked.categories, audience))
    with Workspace(work):       # not while a build renders into the same work/
        render(prepared, work, phases, preview)
        if preview:
            # The preview serves work/docs as it is: search and 打印公示版 work there only if their files are in it.
            docs = work / "docs"
            for old in [*docs.glob("pagefind*"), docs / PRINT_DIR]:    # the render left their folders behind
                if old.is_dir():
                    shutil.rmtree(old)
            write_search_index(prepared.catalogue, docs, work, checked.world)
            write_site_prints(prepared.catalogue.records, checked.settings, content, docs / PRINT_DIR,
                              work / "print-cache")
        return prepared


def render(prepared: Prepared, work: Path, phases: Phases, preview: bool = False, offline: str = "",
           in_two: bool = True, store: bool = False) -> Prepared:
    """Markdown pages and attachments into work/docs, and work/mkdocs.yml (in_two: half the record pages in a
    second process, when nothing else has the other core; store: record pages into one file beside docs,
    pagestore.py, for a build that stamps them)."""
    with phases("render", len(prepared.catalogue.records)):
        work.mkdir(parents=True, exist_ok=True)
        docs = work / "docs"
        prepared.pages = render_site(prepared.catalogue, docs, in_two, store=store)
        prepared.config = write_mkdocs_config(prepared.catalogue, work, docs, preview, offline)
        # What the render let go (a tenth of a gigabyte at 100,000 records) goes back to the system now, not
        # when the stamp next starts a process: the search stage beside is at its largest meanwhile.
        give_back_free_memory()
    return prepared


def build(content: Path, out: Path, work: Path, audience: str = PUBLIC, phases: Phases | None = None,
          offline: bool = False) -> Prepared:
    """Check, render and build the site into out; on any problem out is left exactly as it was.

    offline: a copy that works opened from file:// (generator/offline.py), built in a work folder of its own."""
    phases = phases or Phases()
    # Paths: an output or work directory that would overwrite content or someone else's files is refused first.
    check_paths(content, work, out, SITE)
    checked = check(content, phases, cache_directory(content, work))
    if not checked.ok:
        return Prepared(checked)
    prepared = Prepared(checked, build_catalogue(checked.records, checked.settings, checked.categories, audience))
    records = prepared.catalogue.records

    # One build at a time in work/; what a killed build left there and beside out is cleared first.
    with Workspace(work) as space:
        staged = space.staging(out, SITE, public=audience == PUBLIC)
        tree = work / OFFLINE_WORK if offline else work
        # Search: Pagefind indexes the records (in shards on large sites) from the catalogue alone, so it runs
        # in a process of its own on the second core while the pages render and MkDocs builds them. The
        # offline copy has a small index loaded as a script instead (no fetch, no WebAssembly from file://).
        phases.announce("offline index" if offline else "search index", len(records))
        searching = Beside(lambda: write_offline_index(prepared.catalogue, staged) if offline
                           else write_search_index(prepared.catalogue, staged, work, checked.world))
        try:
            # A first build's search index is the longest stage and has the other core: the record pages render
            # in this process alone (a third process only competed for the two cores, and held 0.7 GB more at
            # 100,000 records). When the index is only brought up to date, half of them render on that core.
            in_two = offline or previous_count(work) is not None

            def pages() -> frozenset[str]:
                render(prepared, tree, phases, offline=today().isoformat() if offline else "", in_two=in_two,
                       store=True)
                # MkDocs: HTML in parallel shards, unchanged pages reused, assembled into the staging directory.
                with phases("mkdocs", len(prepared.pages)):
                    prepared.shards, filled = build_shards(prepared.config, tree / "docs", tree, staged,
                                                           engine=prepared.checked.settings.engine,
                                                           pages=prepared.pages,
                                                           digests=page_digests(tree / "docs"))
                return filled
            # The same first build's pages and MkDocs are the shorter chain of the two: on two cores they took
            # turns with the search stage as equals, and it ended seconds after them with a core idle. They yield
            # to it a little (nice 3, their own thread and the processes it starts; beside.yielding).
            filled = pages() if in_two else yielding(pages, FIRST_BUILD_NICENESS)
        except BaseException:
            searching.wait()        # the first problem is the one reported
            raise
        searching.result()
        phases.seconds["search index"] = searching.seconds
        if offline:
            with phases("offline links"):
                file_links(staged)      # folder links to …/index.html: a browser opening files lists folders
        # Print: the 公开栏 sheets and 明白纸 PDFs that record pages link to (打印公示版).
        with phases("print", sum(1 for r in records if print_links(r, prepared.catalogue.print_reference))):
            sheets = write_site_prints(prepared.catalogue.records, prepared.checked.settings, content,
                                       staged / PRINT_DIR, work / "print-cache")
            # 年度报告 as A4 PDFs, linked from their pages.
            reports = write_site_pdfs(prepared.catalogue.records, prepared.checked.settings, staged / PRINT_DIR)
            if sheets.files or reports:     # not print/'s kept folders alone (recycle.py)
                mark(staged / PRINT_DIR, PRINT)
        # Swap: only now does out change (the old site is removed in the background).
        space.publish(staged, out, retire=True, filled=filled)
        # Manifest: what the public has now seen, so that a later run can tell a loss or a silent change.
        if audience == PUBLIC:
            write_manifest(content, checked.records)
    return prepared
