"""Golden files: the Markdown the generator writes for the mini content, kept under tests/golden/mini.

Refresh after an intended change with `make golden` (python -m tests.golden refresh), then read the diff.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from generator.catalogue import build_catalogue
from generator.pipeline import check
from generator.render import render_site
from tests.files import write_tree
from tests.print_fixture import refresh_print_golden
from tests.missions import refresh as refresh_missions
from tests.sectors import refresh as refresh_sectors

HERE = Path(__file__).resolve().parent
MINI = HERE / "fixtures" / "mini"
GOLDEN = HERE / "golden" / "mini"


def render_mini(out: Path) -> None:
    checked = check(MINI)
    assert checked.ok, [p for p in checked.problems]
    render_site(build_catalogue(checked.records, checked.settings, checked.categories), out)


def markdown_files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.md"))}


def refresh() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        render_mini(Path(tmp) / "docs")
        if GOLDEN.exists():
            shutil.rmtree(GOLDEN)
        write_tree(GOLDEN, markdown_files(Path(tmp) / "docs"))
        refresh_print_golden(Path(tmp))
    refresh_missions()   # budgets, social assistance, poverty relief, environment: tests/golden/missions
    refresh_sectors()    # sectors declared as data (generator/kinds): tests/golden/sectors
    print(f"golden files refreshed in {GOLDEN.relative_to(HERE.parent)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["refresh"]:
        sys.exit("usage: python -m tests.golden refresh")
    refresh()
