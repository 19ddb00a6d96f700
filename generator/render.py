"""Render the catalogue into Markdown pages under build/docs from the jinja2 templates in theme/markdown.

Links between generated pages sit inside raw HTML blocks, which MkDocs does not rewrite, so they are
computed here as relative URLs (urls.py). Editors' text reaches pages escaped: by autoescape in HTML, by the
`md` filter in Markdown, by `front_text` in front matter; bodies as sanitised HTML (body.py).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Mapping
from datetime import date
from html import escape
from pathlib import Path

from jinja2 import meta
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup

from .atomic import read_json, unlinked, write_text
from . import pagestore
from .beside import Beside
from .body import body_markdown, markdown_text
from .catalogue import EXEMPT_LABEL, Catalogue, by_month, by_year, paginate
from .listing import COLUMN_LABELS, make_record_table, unbroken
from .model import Category, Organisation, Record
from .dataviews import DataIndex, install as install_data_templates, write_files
from .kinds.environment.views import LEVELS_CSS, levels_stylesheet
from .export.downloads import CATALOGUE_FIELDS, FIELD_DESCRIPTIONS, write_catalogue
from .export.feeds import OPEN_DATA_PAGE, atom, feed_entries, feed_list
from .feedback import Feedback, feedback
from .kinds.fields import title_of, value_of
from .export.paths import print_links
from .privacy.sanitise import publish_copy
from .slots import move_slots, slot
from .urls import relative_url

TEMPLATES = Path(__file__).resolve().parent.parent / "theme" / "markdown"
RENDER_IN_TWO = 2000      # records from which half the record pages render in a second process (render_site)
CATALOGUE_FILES = ("catalogue/catalogue.csv", "catalogue/catalogue.json")
CATALOGUE_ROWS = ".catalogue-rows.json"   # beside docs: where each row is in them (export.downloads.write_catalogue)


def exact_token(value: str) -> str:
    """One searchable word standing for a whole 索引号 or 文号; gk-search.js computes the same from a query."""
    text = re.sub(r"\s+", "", value)
    text = re.sub(r"[\[［【(（]", "〔", text)
    text = re.sub(r"[\]］】)）]", "〕", text).upper()
    digest = 0x811C9DC5
    for byte in text.encode("utf-8"):
        digest = ((digest ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"gkexact{digest:08x}"


_OPTIONS = dict(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                keep_trailing_newline=True)


def make_environment(compiled: Path | None = None) -> Environment:
    """compiled: a folder that keeps the templates compiled between runs (a rebuild compiled fifty of them
    again, a fifth of a second). Jinja checks each template's source; the folder's name covers Jinja's
    version and the options here, which also shape the compiled code."""
    cache = None
    if compiled is not None:
        from importlib.metadata import version
        options = hashlib.sha1(repr([version("jinja2"), sorted(map(repr, _OPTIONS.items()))]).encode()).hexdigest()
        folder = compiled / f"jinja-{options[:12]}"
        folder.mkdir(parents=True, exist_ok=True)
        cache = FileSystemBytecodeCache(str(folder))
    # One environment per render, so a template's file is read once a render: Jinja's auto_reload looked at its
    # time on disk each time a page imported or included it (71,000 stat calls for 10,000 records).
    env = Environment(loader=FileSystemLoader(TEMPLATES), bytecode_cache=cache, auto_reload=False, **_OPTIONS)

    @pass_context
    def link(ctx, target: str) -> str:
        return relative_url(ctx["page_path"], target)

    env.filters["unbroken"] = unbroken
    env.filters["link"] = link
    env.filters["md"] = lambda text: Markup(markdown_text(text))
    # Front matter: MkDocs and Material print page titles and descriptions as HTML, so they are escaped here.
    env.filters["front_text"] = lambda text: Markup(json.dumps(escape(str(text), quote=True), ensure_ascii=False))
    env.filters["date"] = lambda d: d.isoformat() if d else ""
    env.filters["lines"] = lambda text: Markup("<br>").join(str(text).strip().split("\n"))
    @pass_context
    def body(ctx, text: str, source_page: str | None = None) -> Markup:
        """A body as headings and slots of sanitised HTML (body.py); links are written from source_page."""
        return Markup(body_markdown(text, source_page or ctx["page_path"], ctx["page_path"]))

    env.filters["body"] = body
    env.filters["slot"] = slot

    @pass_context
    def record_feedback(ctx, record) -> Feedback:
        return feedback(record, ctx["site"])

    env.globals["feedback"] = record_feedback
    env.globals.update(COLUMN_LABELS=COLUMN_LABELS, AUDIENCE_LABEL=EXEMPT_LABEL, print_links=print_links,
                       record_table=make_record_table(relative_url), meta_rows=meta_rows)
    install_data_templates(env)
    return env


SHORT_META = 12     # characters: a value this short shares its row of the 信息属性 grid with the next one


def meta_rows(record) -> list[tuple]:
    """Rows the category adds to the record's 信息属性 grid (meta_fields): two short values to a row like the
    grid's own, a long one (服务承诺, 违诺投诉) across the whole row so it does not squeeze the 索引号."""
    cells = [(title_of(record.category, key), value_of(record, key) or "—") for key in record.category.meta_fields]
    rows, pending = [], []
    for cell in cells:
        if len(cell[1]) > SHORT_META:
            rows += [tuple(pending), (cell,)] if pending else [(cell,)]     # declared order kept
            pending = []
        elif pending:
            rows.append((pending.pop(), cell))
        else:
            pending.append(cell)
    return rows + [tuple(pending)] if pending else rows


class Writer:
    """Writes pages into out, leaving files whose text did not change untouched.

    Creating eleven thousand files costs more than rendering them; a rebuild after one change rewrites only
    the pages that differ (a manifest of text digests from the last render says which), and later stages
    see unchanged files as unchanged.
    """

    def __init__(self, env: Environment, out: Path, catalogue: Catalogue, shared: str = "", shape: str = "",
                 store: bool = False):
        self.env, self.out, self.catalogue = env, out, catalogue
        # Record pages in one data file beside out (pagestore.py), or each as a file (a preview serves them).
        self.store = pagestore.Store.take(out) if store else None
        if not store:
            pagestore.forget(out)
        self._prefix = f"{out}{os.sep}"     # out as a string: a page's file is looked at for ten thousand pages
        self.shared = shared        # what every listing page depends on besides its context (listing_inputs)
        self.shape = shape          # what the templates that read the catalogue (cat.*) take from it as well
        self.written: list[str] = []
        self.manifest = out.with_name(out.name + ".manifest.json")
        # Which templates read `cat` (reads_catalogue), learnt in the last render: the world digest covers every
        # template, so the answers hold while it is the same (parsing the templates again took 0.1 s a render).
        self.reads_file = out.with_name(out.name + ".reads.json")
        known = read_json(self.reads_file)
        self._reads: dict[str, bool] = dict(known["reads"]) if (
            shared and isinstance(known, dict) and known.get("world") == shared
            and isinstance(known.get("reads"), dict)) else {}
        # What each reusable page was rendered from (record_inputs); a page whose inputs match is not rendered.
        self.inputs_file = out.with_name(out.name + ".inputs.json")
        self.previous = self._take(self.manifest)
        self.previous_inputs = self._take(self.inputs_file)
        self.digests: dict[str, str] = {}
        self.inputs: dict[str, str] = {}
        self.files: set[str] = set()      # attachments and data files written by this render

    @staticmethod
    def _take(path: Path) -> dict[str, str]:
        """Read a record of the last render and remove it: a render that stops half-way leaves files that no
        record describes, so the next one rewrites them instead of trusting them."""
        data = read_json(path)
        if path.exists():
            path.unlink()
        return data if isinstance(data, dict) else {}       # missing or damaged: every page is rendered

    def attachment(self, source: Path, docs_path: str) -> None:
        publish_copy(source, self.out / docs_path)
        self.files.add(docs_path)

    def data_files(self, files: dict[str, str]) -> None:
        write_files(files, self.out)
        self.files.update(files)

    def reuse_files(self, paths: tuple[str, ...], inputs: str) -> bool:
        """Keep data files from the last render if they were made from exactly these inputs."""
        if self.previous_inputs.get(paths[0]) != inputs or not all((self.out / p).exists() for p in paths):
            return False
        self.files.update(paths)
        self.inputs[paths[0]] = inputs
        return True

    def made_of_records(self, paths: tuple[str, ...], records, make) -> None:
        """Data files made of many records, kept from the last render when made of the same records' files
        (records_inputs). make(): their texts by path, or None when it wrote the files itself."""
        inputs = records_inputs(self.shared, records)
        if inputs is not None and self.reuse_files(paths, inputs):
            return
        made = make()
        if made is None:
            self.files.update(paths)
        else:
            self.data_files(made)
        if inputs is not None:
            self.inputs[paths[0]] = inputs

    def reuse(self, path: str, inputs: str, stored: bool = False) -> bool:
        """Keep the page from the last render if it was made from exactly these inputs (stored: a record page,
        kept in the store when there is one)."""
        digest = self.previous.get(path)
        if digest is None or self.previous_inputs.get(path) != inputs:
            return False
        if stored and self.store is not None:
            if not self.store.has(path):
                return False
            self.store.keep(path)
        elif not os.path.exists(self._prefix + path):
            return False
        self.digests[path] = digest
        self.inputs[path] = inputs
        self.written.append(path)
        return True

    def page(self, path: str, template: str, inputs: str | None = None, reusable: bool = False, stored: bool = False,
             **context) -> None:
        """Render one page (reusable: a listing page, kept from the last render if made from the same inputs;
        stored: a record page, put in the store when there is one)."""
        if reusable and inputs is None and self.shared:
            shared = self.shared + (self.shape if self.reads_catalogue(template) else "")
            inputs = listing_inputs(shared, path, template, context)
            if inputs is not None and self.reuse(path, inputs):
                return
        if inputs is not None:
            self.inputs[path] = inputs
        text = move_slots(self.env.get_template(template).render(page_path=path, cat=self.catalogue,
                                                                 site=self.catalogue.settings, **context))
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        target = self.out / path
        if stored and self.store is not None:
            if self.previous.get(path) == digest and self.store.has(path):
                self.store.keep(path)
            else:
                self.store.put(path, text)
        elif self.previous.get(path) != digest or not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            unlinked(target).write_text(text, encoding="utf-8")
        self.digests[path] = digest
        self.written.append(path)

    def reads_catalogue(self, template: str) -> bool:
        """Whether the template, or one it includes, imports or extends, reads `cat`: a record added
        changes the counts those show, and only those (a year's or a month's list shows its own records).
        A template named at run time counts as reading it."""
        known = self._reads.get(template)
        if known is not None:
            return known
        self._reads[template] = False           # a template that includes itself adds nothing
        tree = self.env.parse(self.env.loader.get_source(self.env, template)[0])
        reads = "cat" in meta.find_undeclared_variables(tree) or any(
            name is None or self.reads_catalogue(name) for name in meta.find_referenced_templates(tree))
        self._reads[template] = reads
        return reads

    def finish(self) -> None:
        """Remove every file this render did not write (a page or attachment no longer published); save the
        records of what it wrote."""
        # A stored page's file (a preview's, or one written for the engine, pagestore.materialize) goes too.
        keep = (set(self.digests) - (self.store.pages() if self.store is not None else set())) | self.files
        for folder, _, names in os.walk(self.out):
            below = os.path.relpath(folder, self.out)
            prefix = "" if below == "." else below.replace(os.sep, "/") + "/"
            for name in names:
                if prefix + name not in keep:
                    os.unlink(os.path.join(folder, name))
        if self.store is not None:
            self.store.save()
        write_text(self.manifest, json.dumps(self.digests, ensure_ascii=False))
        write_text(self.inputs_file, json.dumps(self.inputs, ensure_ascii=False))
        if self.shared:
            write_text(self.reads_file, json.dumps({"world": self.shared, "reads": self._reads}))

    def listing(self, base: str, template: str, records, **context) -> None:
        for page in paginate(base, list(records), self.catalogue.settings.page_size):
            self.page(page.path, template, reusable=True, pager=page, records=page.records, **context)

    def latest(self, base: str, template: str, records, **context) -> None:
        """One page with the newest records; the complete lists are the per-year pages it links to.

        Paginating every record again under the catalogue, each category and each publisher tripled the
        listing pages of a large site (and its build time) for lists nobody pages through to the end.
        """
        records = list(records)
        page = paginate(base, records[: self.catalogue.settings.page_size], self.catalogue.settings.page_size)[0]
        self.page(page.path, template, reusable=True, pager=page, records=page.records, total=len(records),
                  **context)


def _counted(groups: list[tuple[int, list]]) -> list[tuple[int, int]]:
    """Groups of records as counts: what the pages that link to each year or month show of them. A page given
    counts is made from counts, so a paragraph changed in one of the records leaves it as it was."""
    return [(key, len(items)) for key, items in groups]


def _world_digest(catalogue: Catalogue) -> str:
    """Everything a plain record page depends on besides its own records: templates, code, settings, content
    types, audience, the print reference date and today (公示 status reads the build date), and the Markdown
    extensions of mkdocs.yml with Python-Markdown's version (bodies are rendered here, body.py)."""
    from importlib.metadata import version

    from . import body
    from .datasets.clock import today
    digest = hashlib.sha1(version("markdown").encode())
    code = Path(__file__).resolve().parent
    for path in sorted([*TEMPLATES.rglob("*"), *code.rglob("*.py"), *code.rglob("*.yml")]) + [body.MKDOCS_YML]:
        if path.is_file():
            digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    facts = (catalogue.settings, catalogue.audience, catalogue.print_reference, today(), catalogue.categories)
    digest.update(json.dumps(_canonical(facts), ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


def _canonical(value):
    """The same value in the same form in every run (sets sorted: their order changes with hash seeds)."""
    if dataclasses.is_dataclass(value):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)


class _NotReusable(Exception):
    pass


def _fingerprint(value, seen: dict | None = None):
    """A listing page's context in a comparable form: records by page and text digest, categories and
    organisations by id (their content is in the world digest). Anything else unknown: not reusable.

    Exact types first and each list once (a pager holds the page's records again): seven hundred listing
    pages of a large site hold 130,000 values."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    if kind is Record:
        return _record_print(value)
    if seen is None:
        seen = {}
    if kind is list or kind is tuple:
        known = seen.get(id(value))
        if known is None:
            known = seen[id(value)] = [_fingerprint(v, seen) for v in value]
        return known
    if isinstance(value, Record):
        return _record_print(value)
    if isinstance(value, Category):
        return f"C:{value.id}"
    if isinstance(value, Organisation):
        return f"O:{value.id}"
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return {f.name: _fingerprint(getattr(value, f.name), seen) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return [[str(k), _fingerprint(v, seen)] for k, v in sorted(value.items(), key=lambda item: str(item[0]))]
    if isinstance(value, (list, tuple)):
        return [_fingerprint(v, seen) for v in value]
    raise _NotReusable


def _record_print(value) -> str:
    if not value.source_digest:
        raise _NotReusable
    return f"R:{value.page_path}:{value.source_digest}"


def catalogue_shape(catalogue: Catalogue) -> str:
    """What listing templates read from the whole catalogue (cat.*): counts by category and publisher, the
    statistics, the years. A paragraph or a title changes none of it; a record added or withdrawn does."""
    shape = {"records": len(catalogue.records), "withdrawn": [r.page_path for r in catalogue.withdrawn],
             "statistics": _canonical(catalogue.statistics),
             "categories": [(c.id, len(catalogue.in_category(c))) for c in catalogue.categories],
             "publishers": [(o.id, len(catalogue.by_publisher(o))) for o in catalogue.publishers()],
             "years": [year for year, _ in catalogue.years]}
    return hashlib.sha1(json.dumps(shape, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def listing_inputs(shared: str, path: str, template: str, context: dict) -> str | None:
    """What a listing page is rendered from, or None when its context holds something we cannot compare."""
    try:
        fingerprint = _fingerprint(context)
    except _NotReusable:
        return None
    # repr of lists, dicts and strings is the same in every run (dicts keep their insertion order).
    return hashlib.sha1(repr([shared, path, template, fingerprint]).encode("utf-8")).hexdigest()


def record_inputs(record, interpreted, interpretations, world: str, others=()) -> str | None:
    """What a record page is rendered from, or None when it must always be rendered: pages with structured
    data draw on other records (预算 beside 决算, a year's projects), and attachments are listed with their size."""
    if not record.of_its_file_alone:
        return None
    related = [interpreted] if interpreted else []
    related += list(interpretations) + list(others)     # others: successor, predecessors, amendments
    parts = [world, record.page_path, record.source_digest] + [f"{r.page_path}:{r.source_digest}" for r in related]
    return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()


def records_inputs(world: str, records) -> str | None:
    """What a file made of many records is made from (the downloadable catalogue, a feed): the world and each
    record's file, in order; what one record shows of another (a 替代) comes from some record's file too. None
    when a record has no file digest."""
    if not all(r.source_digest for r in records):
        return None
    parts = [world] + [f"{r.page_path}:{r.source_digest}" for r in records]
    return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()


def page_digests(out: Path) -> dict[str, str]:
    """The text digest of every page the last render wrote into out, by docs path (its manifest)."""
    data = read_json(out.with_name(out.name + ".manifest.json"))
    return data if isinstance(data, dict) else {}


def render_site(catalogue: Catalogue, out: Path, in_two: bool = True, store: bool = False) -> list[str]:
    """Write every Markdown page and copy attachments; returns the docs paths written (store: record pages and
    tombstones into the page store beside out, pagestore.py, instead of files)."""
    out.mkdir(parents=True, exist_ok=True)
    world = _world_digest(catalogue)
    w = Writer(make_environment(out.parent / "compiled"), out, catalogue, shared=world, shape=catalogue_shape(catalogue),
               store=store)
    records = list(catalogue.records)
    data_index = DataIndex(records, catalogue.settings.organisations)   # structured tables: budgets, statistics …

    def record_pages(part) -> tuple[list[str], dict[str, str], dict[str, str], set[str]]:
        """Record pages and their attachments."""
        mark = len(w.written)
        for record in part:
            path = record.page_path + ".md"
            interpreted = catalogue.by_index.get(record.interprets) if record.interprets else None
            interpretations = catalogue.interpretations_of(record)
            links = catalogue.life_links(record)       # 替代 and 修改, both ways
            inputs = record_inputs(record, interpreted, interpretations, world, links.records)
            data = None
            if inputs is None or not w.reuse(path, inputs, stored=True):
                data = data_index.record(record)   # tables, charts and downloads of structured data, or None
                w.page(path, "record.md.j2", inputs=inputs, stored=True, r=record, interpreted=interpreted,
                       interpretations=interpretations, data=data, links=links)
            for attachment in record.attachments:
                w.attachment(attachment.source, attachment.docs_path)
            if data:
                w.data_files(data.files)   # CSV, JSON and SVG beside the page
        mine = w.written[mark:]
        return mine, {p: w.digests[p] for p in mine}, {p: w.inputs[p] for p in mine if p in w.inputs}, w.files

    def made_of_all() -> tuple[dict[str, str], set[str]]:
        """Files made of every record, kept when made of the same records' files: the complete catalogue, CSV and
        JSON (withdrawn records too, marked, so none vanishes from the list), and the Atom feeds (all records and
        per category). Returns their inputs and the files written."""
        w.made_of_records(CATALOGUE_FILES, [*records, *catalogue.withdrawn],
                          lambda: write_catalogue(records, catalogue.settings.base_url, catalogue.withdrawn,
                                                  *(w.out / path for path in CATALOGUE_FILES),
                                                  rows_file=w.out.with_name(w.out.name + CATALOGUE_ROWS), world=world))
        feeds = feed_entries(catalogue)
        for path, (title, entries) in feeds.items():
            w.made_of_records((path,), entries, lambda: {path: atom(catalogue, title, path, entries)})
        return {p: w.inputs[p] for p in [CATALOGUE_FILES[0], *feeds] if p in w.inputs}, w.files

    def listings() -> None:
        """Home, guide, the catalogue and every listing: by category, archive and publisher."""
        w.page("index.md", "home.md.j2")
        w.page("guide.md", "guide.md.j2", guide=catalogue.guide())
        years = catalogue.years
        w.latest("catalogue", "catalogue.md.j2", records, years=_counted(years))
        w.data_files({LEVELS_CSS: levels_stylesheet()})      # AQI level colours as classes (no inline style)

        # One catalogue per category, and per category and year.
        for category in catalogue.categories:
            in_category = catalogue.in_category(category)
            category_years = by_year(in_category)
            w.latest(category.id, "category.md.j2", in_category, category=category, years=_counted(category_years),
                      data_links=data_index.links(category.id), sections=data_index.category_sections(category))
            for year, items in category_years:
                w.listing(f"{category.id}/{year}", "category_year.md.j2", items, category=category, year=year)

        # Archives by year and month.
        archive = [(year, items, by_month(items)) for year, items in years]
        w.page("archive/index.md", "archive.md.j2", reusable=True,
               years=[(year, _counted(months)) for year, _, months in archive])
        for year, items, months in archive:
            # Counts, not records: the page shows only these, and a change elsewhere in the catalogue (a record
            # withdrawn in another year) leaves it as it was.
            counts = Counter(r.category.id for r in items)
            w.page(f"archive/{year}/index.md", "archive_year.md.j2", reusable=True, year=year, total=len(items),
                   months=_counted(months),
                   per_category=[(c, counts[c.id]) for c in catalogue.categories if counts[c.id]])
            for month, month_items in months:
                w.listing(f"archive/{year}/{month:02d}", "archive_month.md.j2", month_items, year=year, month=month)

        # Publishing bodies.
        w.page("publishers/index.md", "publishers.md.j2")
        for org in catalogue.publishers():
            own = catalogue.by_publisher(org)
            org_years = by_year(own)
            w.latest(f"publishers/{org.id}", "publisher.md.j2", own, org=org, years=_counted(org_years))
            for year, items in org_years:
                w.listing(f"publishers/{org.id}/{year}", "publisher_year.md.j2", items, org=org, year=year)

    # On a large site, half the record pages and the files made of every record in a forked process on the
    # other core, while this one renders the listings.
    def other_half():
        """In the forked process: its stored pages go to a spool file of its own, handed back."""
        if w.store is not None:
            w.store = w.store.spooled()
        pages = record_pages(records[1::2])
        return pages, made_of_all(), w.store.handed_back() if w.store is not None else None

    try:
        if w.store is not None:
            w.store.flush()         # nothing of this process's buffer is the fork's to write
        other = Beside(other_half) if in_two and len(records) >= RENDER_IN_TWO else None

        if other is None:
            listings()
            record_pages(records)
            made_of_all()
        else:
            try:
                listings()
                record_pages(records[0::2])
            except BaseException:
                other.wait()        # not left writing into out while the build stops
                raise
            (written, digests, inputs, files), (made_inputs, made_files), handed = other.result()
            if handed is not None:
                w.store.adopt(handed)
            w.written += written
            w.digests.update(digests)
            w.inputs.update(inputs | made_inputs)
            w.files |= files | made_files

        # 撤回: a tombstone at each withdrawn record's address (title, 索引号, date, reason; no body, no attachments).
        for record in catalogue.withdrawn:
            w.page(record.page_path + ".md", "lifecycle/tombstone.md.j2", stored=True, r=record)

        # The page describing the open data downloads.
        w.page(OPEN_DATA_PAGE, "open_data.md.j2", fields=CATALOGUE_FIELDS, descriptions=FIELD_DESCRIPTIONS,
               feeds=feed_list(catalogue))

        # Data pages (<category>/data/): 预算执行情况, a year's projects, AQI calendars, EIA timelines, statistics.
        for page in data_index.pages():
            w.page(page.path, page.template, title=page.title, **page.context)
            w.data_files(page.files)
        w.finish()
    except BaseException:
        if w.store is not None:
            w.store.abandon()       # closed now: what it holds is never written later, into another render's file
        raise
    return w.written
