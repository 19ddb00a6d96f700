"""What `print` and `build` write, and where (paths.py names the files).

Only public records are ever passed on: the filter is applied here again, whatever the caller's audience, so
an internal, exempt or draft record cannot reach paper even through an internal build. `build` writes what the
record pages link to into the site (Record.printed_with_site); `print` writes the clerk's copies into its own
folder, never the website's, leaving out expired name lists and superseded 明白纸 unless one is asked for by
its 索引号 (then it is stamped, stamps.py).
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..atomic import digest, write_bytes
from ..environment import link_or_copy
from ..lifeline import die_with_parent
from ..datasets.clock import today as build_date
from ..model import Record, Settings
from ..workspace import PRINT, Workspace, mark
from . import paths
from .board import Quarter, board_records
from .sheet import BoardSheets, render_sheet
from .layout import make_environment
from .leaflet import leaflet_html, render_leaflet
from .pack import render_pack
from .fonts import font_files
from .pdf import PdfRenderer, Sources, record_sources, shown_files
from .register import register_html, register_records, register_rows, write_csv
from .stamps import leaflet_stamp


class PrintRequestError(Exception):
    """The operator asked for something that cannot be printed; the message is Chinese."""


@dataclass(frozen=True)
class Mention:
    """A record as a print report names it."""
    index_no: str
    title: str

    @classmethod
    def of(cls, record: Record) -> "Mention":
        return cls(record.index_no, record.title)


@dataclass
class PrintReport:
    files: list[Path] = field(default_factory=list)
    sheets: int = 0
    village_sheets: int = 0
    leaflets: int = 0
    pack: Path | None = None
    pack_items: int = 0
    pack_pages: int = 0
    register_rows: int = 0
    warnings: list[str] = field(default_factory=list)
    # What a run left out or stamped, named by Mention: a report crosses a pipe from forked workers, and records
    # (their mapping proxies) do not pickle.
    expired_lists: list[Mention] = field(default_factory=list)                  # left out: 公示期 over
    superseded: list[tuple[Mention, Mention]] = field(default_factory=list)    # left out: (明白纸, read instead)
    stamped: list[Mention] = field(default_factory=list)      # printed on request, stamped as not current


class _Printer:
    def __init__(self, settings: Settings, content: Path, out: Path, report: PrintReport, public: list[Record],
                 today: date, cache: "PrintCache | None" = None):
        self.settings, self.content, self.out, self.report = settings, content, out, report
        self.cache, self.today = cache, today
        self._renderer: PdfRenderer | None = None
        self.env = make_environment()
        self.sheets = BoardSheets(self.env, settings, public, today)
        self.superseded = self.sheets.superseded

    @property
    def renderer(self) -> PdfRenderer:
        """Set up on first use: a site with nothing to print never loads WeasyPrint or the fonts."""
        if self._renderer is None:
            self._renderer = PdfRenderer()
        return self._renderer

    def _sources(self, record: Record) -> Sources:
        return record_sources(self.content, record)

    def record_leaflet(self, record: Record) -> None:
        if record.leaflet:
            stamp = leaflet_stamp(self.superseded.get(record.index_no))
            if stamp and Mention.of(record) not in self.report.stamped:
                self.report.stamped.append(Mention.of(record))
            sources = self._sources(record)
            # Its HTML at the first size holds everything the other sizes are made of: the cache's key.
            self._cached_or_drawn(leaflet_html(self.env, self.settings, record, stamp=stamp), sources,
                                  paths.leaflet_file(record),
                                  lambda: render_leaflet(self.renderer, self.env, self.settings, record, sources, stamp))
            self.report.leaflets += 1

    def records(self, public: list[Record], reference: date | None = None) -> None:
        """With a reference date (build), the sheets the website offers and every 明白纸; without (print), every
        board sheet and 明白纸 that is still current."""
        for record in board_records(public) + [r for r in public if r.leaflet and not r.on_board]:
            if reference is not None:
                if record.printed_with_site(reference):
                    self.record(record)
                else:
                    self.record_leaflet(record)
                continue
            if self.sheets.current(record):
                self.record(record)
                continue
            self._left_out(record)
            if record.leaflet and record.index_no not in self.superseded:
                self.record_leaflet(record)        # an expired list's own 明白纸 is still current

    def _left_out(self, record: Record) -> None:
        instead = self.superseded.get(record.index_no)
        mention = Mention.of(record)
        if instead and all(old != mention for old, _ in self.report.superseded):
            self.report.superseded.append((mention, Mention.of(instead)))
        elif not instead and mention not in self.report.expired_lists:
            self.report.expired_lists.append(mention)

    def record(self, record: Record) -> None:
        """Its board sheet (plus one set per village when the list spans several), and its 明白纸."""
        if record.on_board:
            self.sheet_set(record)
        if record.leaflet:
            self.record_leaflet(record)

    def sheet_set(self, record: Record) -> None:
        self.sheet(record)
        if len(record.villages) > 1:
            for village in record.villages:
                self.sheet(record, village)

    def sheet(self, record: Record, village: str | None = None) -> None:
        if not self.sheets.current(record) and Mention.of(record) not in self.report.stamped:
            self.report.stamped.append(Mention.of(record))
        sources = self._sources(record)
        self._cached_or_drawn(self.sheets.html(record, village), sources, paths.sheet_file(record, village),
                              lambda: render_sheet(self.renderer, self.sheets, record, sources, village))
        if village:
            self.report.village_sheets += 1
        else:
            self.report.sheets += 1

    def quarter(self, records: list[Record], quarter: Quarter, today: date) -> None:
        documents, entries, left_out = render_pack(self.renderer, self.sheets, self.content, records, quarter,
                                                   today)
        for record in left_out:
            self._left_out(record)
        if not entries:
            return
        target = self._write(documents, paths.quarter_file(quarter.label))
        self.report.pack, self.report.pack_items = target, len(entries)
        self.report.pack_pages = sum(len(d.pages) for d in documents)

    def register(self, records: list[Record], today: date) -> None:
        rows = register_rows(records, self.settings)
        csv_path = self.out / paths.REGISTER_CSV
        write_csv(rows, csv_path)
        self.report.files.append(csv_path)
        html = register_html(self.env, self.settings, rows, len(register_records(records)), today)
        self._write([self.renderer.render(html)], paths.REGISTER_PDF)
        self.report.register_rows = len(rows)

    def _cached_or_drawn(self, html: str, sources: Sources, relative: str, draw) -> None:
        """The PDF whose layout html keys (draw lays it out; sources: its record's folder and files) at
        relative: from the cache when an earlier build drew the same, else drawn and cached."""
        cached = self.cache.get(html, sources) if self.cache else None
        if cached:
            # A hard link: a rebuild wrote every sheet of the board again (94 MB at 10,000 records).
            target = self.out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(str(cached), str(target))
            self.report.files.append(target)
        else:
            target = self._write([draw()], relative)
            if self.cache:
                self.cache.put(html, sources, target)

    def _write(self, documents: list, relative: str) -> Path:
        target = self.out / relative
        self.renderer.write(documents, target)
        self.report.files.append(target)
        return target

    def finish(self) -> PrintReport:
        self.report.warnings = list(dict.fromkeys(self._renderer.warnings)) if self._renderer else []
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None
        return self.report


class PrintCache:
    """Board sheets and 明白纸 from earlier builds, keyed by their HTML (QR codes as placeholders, qr.py), the
    bytes of the files it shows, the print stylesheets, templates and code, and the libraries and fonts.

    WeasyPrint takes about a third of a second a sheet (a 明白纸 up to four, one per type size tried); a site
    rebuilt after one change should not pay that for every record on the board again. Entries not used by a
    build are removed after it.

    An entry is named by its key and the digest of its bytes, written under a temporary name and renamed,
    and read back only when its bytes still match the digest: a truncated or damaged entry (a build killed
    while writing it, a bad disk) is rendered again, never published.
    """

    def __init__(self, directory: Path):
        import hashlib
        import importlib.metadata
        self.directory, self.used = directory, set()
        directory.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        theme = Path(__file__).resolve().parent.parent.parent / "theme" / "print"
        for path in sorted(theme.rglob("*")) + sorted(Path(__file__).resolve().parent.glob("*.py")):
            if path.is_file():
                digest.update(path.read_bytes())
        # What lays out and draws a sheet besides its HTML: the libraries (QR codes are drawn after the key is
        # taken, qr.py) and the fonts (another release of a font wheel, another face).
        for package in ("weasyprint", "pydyf", "segno", "noto-cjk-sans-jp-regular", "noto-cjk-sans-jp-bold"):
            digest.update(f"{package} {importlib.metadata.version(package)}\n".encode())
        for weight, path in sorted(font_files().items()):
            digest.update(f"{weight} {path.name} {path.stat().st_size}\n".encode())
        self._salt = digest.hexdigest()

    def _key(self, html: str, sources: Sources | None) -> str:
        """The salt, the HTML and the bytes of its record's files it shows (a replaced image keeps its name)."""
        import hashlib
        key = hashlib.sha256((self._salt + html).encode("utf-8"))
        for path in shown_files(html, sources):
            key.update(f"\0{path}\0".encode() + (Path(path).read_bytes() if os.path.isfile(path) else b"missing"))
        return key.hexdigest()

    def get(self, html: str, sources: Sources | None) -> Path | None:
        """The cached PDF, verified against the digest in its name; None when missing or damaged. An entry is
        never written in place (write_bytes renames it there), so the site may hold it as a hard link."""
        key = self._key(html, sources)
        for path in self.directory.glob(f"{key}-*.pdf"):
            if path.name == f"{key}-{digest(path.read_bytes())}.pdf":
                self.used.add(path.name)
                return path
            path.unlink()
        return None

    def put(self, html: str, sources: Sources | None, pdf: Path) -> None:
        data = pdf.read_bytes()
        path = self.directory / f"{self._key(html, sources)}-{digest(data)}.pdf"
        write_bytes(path, data)
        self.used.add(path.name)

    def prune(self) -> None:
        """Remove every file this build did not use: old entries, damaged ones, a killed write's leftovers."""
        for path in self.directory.iterdir():
            if path.name not in self.used and path.is_file():
                path.unlink()


_SITE_JOB: tuple = ()     # what forked workers of write_site_prints read (records do not pickle)


def _print_part(part: int) -> tuple[PrintReport, set[str]]:
    public, settings, content, out, cache_dir, reference, parts = _SITE_JOB
    cache = PrintCache(cache_dir) if cache_dir else None
    printer = _Printer(settings, content, out, PrintReport(), public, build_date(), cache)
    printer.records(public[part::parts], reference)
    return printer.finish(), (cache.used if cache else set())


def write_site_prints(records, settings: Settings, content: Path, out: Path, cache_dir: Path | None = None,
                      workers: int | None = None) -> PrintReport:
    """For `build`: every board sheet and 明白纸 the website offers, into the staged site's print/ directory.

    WeasyPrint is single-threaded and takes about a third of a second a sheet, so a large first build renders
    on every core (forked workers, each with its own WeasyPrint); later builds mostly hit the sheet cache.
    """
    global _SITE_JOB
    public = [r for r in records if r.is_published and not r.withdrawn]   # 撤回: no paper either
    reference = max((r.published_on for r in public), default=None)
    # Forking pays off from about fifty records; an explicit worker count is taken as it is.
    parts = workers or max(1, min(os.cpu_count() or 1, len(public) // 50))
    _SITE_JOB = (public, settings, content, out, cache_dir, reference, parts)
    try:
        if parts == 1:
            results = [_print_part(0)]
        else:
            with ProcessPoolExecutor(max_workers=parts, mp_context=multiprocessing.get_context("fork"),
                                     initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
                results = list(pool.map(_print_part, range(parts)))
    finally:
        _SITE_JOB = ()
    report = PrintReport()
    for part, _ in results:
        report.files += part.files
        report.sheets += part.sheets
        report.village_sheets += part.village_sheets
        report.leaflets += part.leaflets
        report.warnings += [w for w in part.warnings if w not in report.warnings]
        report.stamped += part.stamped
        report.expired_lists += part.expired_lists
        report.superseded += part.superseded
    if cache_dir:
        cache = PrintCache(cache_dir)
        cache.used = set().union(*(used for _, used in results))
        cache.prune()
    return report


def print_outputs(records, settings: Settings, content: Path, out: Path, *, space: Workspace,
                  quarter: Quarter | None = None, index_no: str | None = None, register: bool = False,
                  today: date | None = None) -> PrintReport:
    """For `print`, inside a locked workspace. With no selection, everything: all sheets and 明白纸 plus the
    register, and out is replaced as a whole (so a record withdrawn since the last run leaves no PDF behind).
    A selection only adds files."""
    public = [r for r in records if r.is_published and not r.withdrawn]   # 撤回: no paper either
    today = today or build_date()
    chosen = None
    if index_no is not None:
        chosen = next((r for r in public if r.index_no == index_no.strip()), None)
        if chosen is None:
            raise PrintRequestError(f"找不到索引号为 {index_no} 的公开信息（索引号不存在，或该信息不公开、是草稿）。")
        if not chosen.on_board and not chosen.leaflet:
            raise PrintRequestError(f"索引号 {index_no} 的信息不上公开栏，也没有明白纸，没有可打印的内容。"
                                    "上公开栏的信息：所在分类设置了 print: {board: true}，或 postings 中有公开栏。")
    if quarter or chosen or register:
        mark(out, PRINT)        # files are added to out: it becomes an output of ours if it was not one
    if quarter or chosen:
        printer = _Printer(settings, content, out, PrintReport(), public, today)
        if chosen:
            printer.record(chosen)
        if quarter:
            printer.quarter(public, quarter, today)
        if register:
            printer.register(public, today)
        return printer.finish()
    if register:
        printer = _Printer(settings, content, out, PrintReport(), public, today)
        printer.register(public, today)
        return printer.finish()

    staged = space.staging(out, PRINT)
    printer = _Printer(settings, content, staged, PrintReport(), public, today)
    printer.records(public)
    printer.register(public, today)
    report = printer.finish()
    space.publish(staged, out)
    report.files = [out / f.relative_to(staged) for f in report.files]
    return report
