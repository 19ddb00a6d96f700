"""Where print files go, relative to the print directory (site/print in a build, print/ for `print`). One rule,
used by the record page links and by the writers."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from ..model import Record

PRINT_DIR = "print"
PRINT_OUT = Path("print")                   # where `print` writes by default: beside site/, never inside it
WEBSITE_DIRS = ("site", "site-internal")    # where `build` writes by default (cli.py)


def sheet_file(record: Record, village: str | None = None) -> str:
    """social_assistance/2026/dibao-q3.pdf, or .../dibao-q3/东岭村.pdf for one village's set."""
    return f"{record.page_path}/{village}.pdf" if village else f"{record.page_path}.pdf"


def leaflet_file(record: Record) -> str:
    return f"{record.page_path}.leaflet.pdf"


def quarter_file(label: str) -> str:
    return f"quarter-{label}.pdf"


REGISTER_CSV, REGISTER_PDF = "register.csv", "register.pdf"


def print_links(record: Record, reference: date | None = None) -> list[tuple[str, str]]:
    """(label, site path) of every PDF a record page links to; none for a record that is not public.
    With a reference date (the site's newest record), only the board sheets `build` puts on the website."""
    if not record.is_published or record.withdrawn:
        return []
    links = []
    if record.on_board if reference is None else record.printed_with_site(reference):
        links.append(("打印公示版", f"{PRINT_DIR}/{sheet_file(record)}"))
        if len(record.villages) > 1:
            links += [(f"{v}公示版", f"{PRINT_DIR}/{sheet_file(record, v)}") for v in record.villages]
    if record.leaflet:
        links.append(("打印明白纸", f"{PRINT_DIR}/{leaflet_file(record)}"))
    return links


def website_around(out: Path) -> Path | None:
    """The website folder that out is, or lies inside, if any: the default build folders, or any folder that
    holds a built site (index.html beside sitemap.xml or the Pagefind index). Everything in it is uploaded."""
    out = out.resolve()
    defaults = {(Path.cwd() / name).resolve() for name in WEBSITE_DIRS}
    for folder in (out, *out.parents):
        if folder in defaults:
            return folder
        if (folder / "index.html").is_file() and ((folder / "sitemap.xml").is_file() or (folder / "pagefind").is_dir()):
            return folder
    return None
