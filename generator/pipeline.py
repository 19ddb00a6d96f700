"""The build, top to bottom: load -> validate -> catalogue -> render -> mkdocs (search index beside) -> print -> swap."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .beside import Beside
from .catalogue import Catalogue, build_catalogue
from .compliance.annual_output import write_site_pdfs
from .contenttypes import load_base_schema, load_categories
from .export.jobs import write_site_prints
from .export.paths import PRINT_DIR
from .load import Loaded, load_records
from .model import PUBLIC, Category, Record, Settings
from .problems import Problems
from .render import render_site
from .search import write_search_index
from .settings import load_settings
from .shards import build_shards
from .site import write_mkdocs_config
from .timing import Phases
from .validate import validate
from .workspace import PRINT, SITE, Workspace, check_paths, mark


@dataclass
class Checked:
    problems: Problems
    settings: Settings | None = None
    categories: dict[str, Category] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems.errors


def check(content: Path, phases: Phases | None = None) -> Checked:
    """Load and validate everything; every problem is collected, nothing is written."""
    phases = phases or Phases()
    problems = Problems()
    with phases("load"):
        # Load: site settings, the content types declared next to the content, the record files.
        settings = load_settings(content, problems)
        base_schema = load_base_schema(content, problems)
        categories = load_categories(content, base_schema, problems) if base_schema else {}
        # Without the shared schema no category can be read: report that alone, not every record as unknown.
        loaded = load_records(content, set(categories), problems) if base_schema else Loaded([], [])
    with phases("validate"):
        # Validate: schema per category, then rule checks; records with errors are left out.
        records = (validate(loaded.records, settings, categories, content, problems, loaded.unreadable)
                   if settings else [])
    return Checked(problems, settings, categories, records)


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
    checked = check(content, phases)
    if not checked.ok:
        return Prepared(checked)
    # Catalogue: what this audience sees, in which order.
    prepared = Prepared(checked, build_catalogue(checked.records, checked.settings, checked.categories, audience))
    with Workspace(work):       # not while a build renders into the same work/
        return render(prepared, work, phases, preview)


def render(prepared: Prepared, work: Path, phases: Phases, preview: bool = False) -> Prepared:
    """Markdown pages and attachments into work/docs, and work/mkdocs.yml."""
    with phases("render"):
        work.mkdir(parents=True, exist_ok=True)
        docs = work / "docs"
        prepared.pages = render_site(prepared.catalogue, docs)
        prepared.config = write_mkdocs_config(prepared.catalogue, work, docs, preview)
    return prepared


def build(content: Path, out: Path, work: Path, audience: str = PUBLIC, phases: Phases | None = None) -> Prepared:
    """Check, render and build the site into out; on any problem out is left exactly as it was."""
    phases = phases or Phases()
    # Paths: an output or work directory that would overwrite content or someone else's files is refused first.
    check_paths(content, work, out, SITE)
    checked = check(content, phases)
    if not checked.ok:
        return Prepared(checked)
    prepared = Prepared(checked, build_catalogue(checked.records, checked.settings, checked.categories, audience))

    # One build at a time in work/; what a killed build left there and beside out is cleared first.
    with Workspace(work) as space:
        staged = space.staging(out, SITE)
        # Search: Pagefind indexes the records (in shards on large sites) from the catalogue alone, so it runs
        # in a process of its own on the second core while the pages render and MkDocs builds them.
        searching = Beside(lambda: write_search_index(prepared.catalogue, staged, work))
        try:
            render(prepared, work, phases)
            # MkDocs: HTML in parallel shards, unchanged pages reused, assembled into the staging directory.
            with phases("mkdocs"):
                prepared.shards = build_shards(prepared.config, work / "docs", work, staged)
        except BaseException:
            searching.wait()        # the first problem is the one reported
            raise
        searching.result()
        phases.seconds["search index"] = searching.seconds
        # Print: the 公开栏 sheets and 明白纸 PDFs that record pages link to (打印公示版).
        with phases("print"):
            write_site_prints(prepared.catalogue.records, prepared.checked.settings, content, staged / PRINT_DIR,
                              work / "print-cache")
            # 年度报告 as A4 PDFs, linked from their pages.
            write_site_pdfs(prepared.catalogue.records, prepared.checked.settings, staged / PRINT_DIR)
            if (staged / PRINT_DIR).exists():
                mark(staged / PRINT_DIR, PRINT)
        # Swap: only now does out change.
        space.publish(staged, out)
    return prepared
