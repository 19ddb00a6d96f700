"""The sectors fixture (河湾县): four categories defined purely as data — 权力清单 (kind: table, a list in force
with versions), 救灾资金发放 (kind: recipients), 重大决策预公开 (kind: consultation) and 双公示 (kind: table with
decision types) — and its golden files: the record pages, category pages and the CSV and JSON beside them.

公示 and consultation status depend on the date, so the fixture is rendered as of TODAY (tests.missions.today).
Refreshed by `make golden`.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from generator.catalogue import build_catalogue
from generator.pipeline import check
from generator.render import render_site
from tests.files import write_tree
from tests.missions import today

HERE = Path(__file__).resolve().parent
SECTORS = HERE / "fixtures" / "sectors"
GOLDEN = HERE / "golden" / "sectors"
TODAY = "2026-07-10"
CATEGORIES = ("powers", "relief", "consult", "licensing")
TEXT = (".md", ".csv", ".json")


def render_sectors(out: Path, content: Path = SECTORS) -> None:
    with today(TODAY):
        checked = check(content)
        assert checked.ok, [p for p in checked.problems]
        render_site(build_catalogue(checked.records, checked.settings, checked.categories), out)


def sector_files(root: Path) -> dict[str, str]:
    """Every text file under the four categories: record pages, category pages, downloads."""
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for category in CATEGORIES for p in sorted((root / category).rglob("*"))
            if p.is_file() and p.suffix in TEXT}


def refresh() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        render_sectors(Path(tmp) / "docs")
        if GOLDEN.exists():
            shutil.rmtree(GOLDEN)
        write_tree(GOLDEN, sector_files(Path(tmp) / "docs"), newline="")
