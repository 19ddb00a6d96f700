"""The missions fixture (budgets, social assistance, poverty relief, environment) and its golden files.

Golden files cover what the structured data produces: record pages, data pages and the CSV, JSON and SVG
beside them (not the catalogue listings, which tests/golden/mini covers). The 公示 status depends on the
date, so the fixture is always rendered as of TODAY. Refreshed by `make golden` with the mini golden files.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from generator.catalogue import build_catalogue
from generator.pipeline import check
from generator.render import render_site
from tests.files import write_tree

HERE = Path(__file__).resolve().parent
MISSIONS = HERE / "fixtures" / "missions"
GOLDEN = HERE / "golden" / "missions"
TODAY = "2026-07-10"
CATEGORIES = ("budgets", "social_assistance", "poverty_relief", "environment")
TEXT = (".md", ".csv", ".json", ".svg")


@contextmanager
def today(value: str = TODAY):
    before = os.environ.get("GK_TODAY")
    os.environ["GK_TODAY"] = value
    try:
        yield
    finally:
        if before is None:
            del os.environ["GK_TODAY"]
        else:
            os.environ["GK_TODAY"] = before


def render_missions(out: Path, content: Path = MISSIONS) -> None:
    with today():
        checked = check(content)
        assert checked.ok, [p for p in checked.problems]
        render_site(build_catalogue(checked.records, checked.settings, checked.categories), out)


def _listing(rel: str) -> bool:
    parts = rel.split("/")
    return parts[-1] == "index.md" and (len(parts) == 2 or parts[1].isdigit()) or "page" in parts[1:2]


def data_files(root: Path) -> dict[str, str]:
    """Text files under the four categories, listings left out."""
    out = {}
    for category in CATEGORIES:
        for p in sorted((root / category).rglob("*")):
            rel = p.relative_to(root).as_posix()
            if p.is_file() and p.suffix in TEXT and not _listing(rel):
                out[rel] = p.read_text(encoding="utf-8")
    return out


def refresh() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        render_missions(Path(tmp) / "docs")
        if GOLDEN.exists():
            shutil.rmtree(GOLDEN)
        write_tree(GOLDEN, data_files(Path(tmp) / "docs"), newline="")
