"""What the record pages and the data pages show of structured data, and the files written beside them.

render.py calls three things: `DataIndex(records)` once (cross-record lookups), `index.record(record)` for each
record page (sections for the template, downloads, files to write) and `index.pages()` for the generated data
pages under <category>/data/. One module per mission builds its sections and pages.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..datasets.grid import Chart, Grid
from ..export import downloads
from ..model import Record

DATA_DIR = "data"      # <category>/data/: reserved in load.py, so no record can take these paths


@dataclass(frozen=True)
class Download:
    label: str          # 一般公共预算支出表
    format: str         # CSV | JSON | SVG
    docs_path: str
    name: str           # the file name a browser saves it under


@dataclass
class Section:
    """One block of a record page: a heading, tables, charts, and whatever the mission's template needs."""
    template: str                       # theme/markdown/data/<template>
    heading: str
    grids: tuple[Grid, ...] = ()
    charts: tuple[tuple[str, Chart], ...] = ()   # (docs path, chart)
    extra: dict = field(default_factory=dict)


@dataclass
class CategoryBlock:
    """A block a category page shows above its catalogue (the lists in force, what is open for comment); never on
    a board sheet, which prints one record."""
    template: str
    heading: str
    extra: dict = field(default_factory=dict)


@dataclass
class RecordData:
    sections: list[Section] = field(default_factory=list)
    downloads: list[Download] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)     # (label, docs path) of related data pages
    files: dict[str, str] = field(default_factory=dict)            # docs path -> text, written beside the page
    json: dict = field(default_factory=dict)                        # dataset key -> what data.json publishes
    owns_body: bool = False     # a section places the editor's text itself (the 年度报告's sections 一, 五, 六)
    lead: list[Section] = field(default_factory=list)   # shown above the editor's text (a consultation's window)


@dataclass
class DataPage:
    path: str                           # docs path, e.g. budgets/data/execution-mzj-2024.md
    template: str
    title: str
    context: dict = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def file_name(*parts: str) -> str:
    return "-".join(_UNSAFE.sub("_", p).strip("_") for p in parts if p)


def beside(record: Record, name: str) -> str:
    """docs path of a file next to a record's page: x.md is served at x/, so x/name is relative 'name'."""
    return f"{record.page_path}/{name}"


def add_tables(data: RecordData, record: Record, grids, title_prefix: str = "") -> None:
    for grid in grids:
        path = beside(record, f"{grid.id}.csv")
        data.files[path] = downloads.csv_text(grid)
        data.downloads.append(Download(grid.title, "CSV", path, file_name(title_prefix or record.title, grid.title) + ".csv"))


def add_chart(data: RecordData, record: Record, chart: Chart) -> tuple[str, Chart]:
    path = beside(record, chart.file)
    data.files[path] = chart.svg
    data.downloads.append(Download(chart.title, "SVG", path, file_name(record.title, chart.title) + ".svg"))
    return path, chart


class DataIndex:
    """The datasets of every visible record, grouped for the cross-record pages; built once per render."""

    def __init__(self, records, organisations=()):
        from . import annual
        from .. import kinds
        self.records = list(records)
        self.organisations = tuple(organisations)    # site.yml order, for lists shown per publisher
        self.by_type: dict[type, list[tuple[Record, object]]] = defaultdict(list)
        for r in self.records:
            for d in r.datasets:
                self.by_type[type(d)].append((r, d))
        # Each kind's views (generator/kinds/<kind>/views.py), and the 年度报告 computed by compliance.
        views = kinds.views(self)
        self.missions = views[:len(kinds.BUILT_IN)] + [annual.Mission(self)] + views[len(kinds.BUILT_IN):]

    def of(self, kind: type) -> list[tuple[Record, object]]:
        return self.by_type.get(kind, [])

    def record(self, record: Record) -> RecordData | None:
        """Sections, downloads and files of one record page; None when it holds no structured data."""
        data = RecordData()
        for mission in self.missions:
            mission.record(record, data)
        if not data.sections and not data.lead:
            return None
        payload = {"index_no": record.index_no, "title": record.title, "publisher": record.publisher.name,
                   "published_on": record.published_on.isoformat(),
                   "datasets": data.json}
        path = beside(record, "data.json")
        data.files[path] = downloads.json_text(payload)
        data.downloads.append(Download("全部数据", "JSON", path, file_name(record.title) + ".json"))
        return data

    def pages(self) -> list[DataPage]:
        out = []
        for mission in self.missions:
            out += mission.pages()
        return out

    def category_sections(self, category) -> list[CategoryBlock]:
        """Blocks a category page shows above its catalogue: the lists in force, what is open for comment."""
        out = []
        for mission in self.missions:
            out += getattr(mission, "category_sections", lambda c: [])(category)
        return out

    def links(self, category_id: str) -> list[tuple[str, str]]:
        """(label, docs path) of the data pages a category page links to."""
        out = []
        for mission in self.missions:
            out += mission.category_links(category_id)
        return out


def write_files(files: dict[str, str], out) -> None:
    """CSV, JSON and SVG files into the docs tree, beside the pages that link to them.

    An unchanged file is left as it is, so later stages see it unchanged.
    """
    for path, text in files.items():
        target = out / path
        if not (target.is_file() and target.read_text(encoding="utf-8") == text):
            downloads.write(target, text)


def install(env) -> None:
    """Filters and tests the data templates (theme/markdown/data/) use."""
    from ..datasets import grid as g
    from ..datasets import money
    env.filters["cell"] = g.shown
    env.filters["money"] = money.money
    env.filters["count"] = money.count
    env.filters["number"] = lambda v: f"{v:,}"
    env.tests["swatch"] = lambda v: isinstance(v, g.Swatch)
    env.tests["datalink"] = lambda v: isinstance(v, g.Link)
