"""The build, top to bottom: load -> validate -> catalogue -> render -> mkdocs -> swap into site/."""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .catalogue import Catalogue, build_catalogue
from .contenttypes import load_base_schema, load_categories
from .export.jobs import write_site_prints
from .export.paths import PRINT_DIR
from .load import load_records
from .model import PUBLIC, Category, Record, Settings
from .problems import Problems
from .render import render_site
from .search import write_search_index
from .settings import load_settings
from .site import run_mkdocs, staging_dir, swap_into, write_mkdocs_config
from .validate import validate


@dataclass
class Checked:
    problems: Problems
    settings: Settings | None = None
    categories: dict[str, Category] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems.errors


def check(content: Path) -> Checked:
    """Load and validate everything; every problem is collected, nothing is written."""
    problems = Problems()
    # Load: site settings, the content types declared next to the content, the record files.
    settings = load_settings(content, problems)
    base_schema = load_base_schema(content, problems)
    categories = load_categories(content, base_schema, problems) if base_schema else {}
    # Without the shared schema no category can be read: report that alone, not every record as unknown.
    raws = load_records(content, set(categories), problems) if base_schema else []
    # Validate: schema per category, then rule checks; records with errors are left out.
    records = validate(raws, settings, categories, content, problems) if settings else []
    return Checked(problems, settings, categories, records)


@dataclass
class Prepared:
    checked: Checked
    catalogue: Catalogue | None = None
    pages: list[str] = field(default_factory=list)
    config: Path | None = None


def prepare(content: Path, work: Path, audience: str = PUBLIC) -> Prepared:
    """Check, then render the Markdown site and its MkDocs configuration into work/."""
    checked = check(content)
    if not checked.ok:
        return Prepared(checked)

    # Catalogue: what this audience sees, in which order.
    catalogue = build_catalogue(checked.records, checked.settings, checked.categories, audience)

    # Render: Markdown pages and attachments into work/docs, and work/mkdocs.yml.
    work.mkdir(parents=True, exist_ok=True)
    docs = work / "docs"
    pages = render_site(catalogue, docs)
    config = write_mkdocs_config(catalogue, work, docs)
    return Prepared(checked, catalogue, pages, config)


def build(content: Path, out: Path, work: Path, audience: str = PUBLIC) -> Prepared:
    """Prepare, then build the site into out; on any problem out is left exactly as it was."""
    prepared = prepare(content, work, audience)
    if not prepared.checked.ok:
        return prepared

    # MkDocs: HTML into a staging directory beside out.
    staged = staging_dir(out)
    try:
        run_mkdocs(prepared.config, staged)
        # Print: the 公开栏 sheets and 明白纸 PDFs that record pages link to (打印公示版).
        write_site_prints(prepared.catalogue.records, prepared.checked.settings, content, staged / PRINT_DIR)
        # Search: Pagefind indexes the records (in shards on large sites) into the staged site.
        write_search_index(prepared.catalogue, staged, work)
        # Swap: only now does out change.
        swap_into(staged, out)
    finally:
        if staged.exists():
            shutil.rmtree(staged)
    return prepared
