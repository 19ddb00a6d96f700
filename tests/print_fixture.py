"""The print fixture and its golden HTML.

The print fixture is tests/fixtures/mini with tests/fixtures/print_overlay copied over it: two board categories
(`board` on A4, `village` on A3) and records with a 公示期, postings, a 明白纸, and a recipient list that spans
two villages and more than one A4 page. Golden print HTML (what WeasyPrint is given) lives in
tests/golden/print and is refreshed by `make golden` together with the Markdown golden files.
"""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from generator.export.board import Quarter, sheet_html
from generator.export.layout import make_environment
from generator.export.leaflet import leaflet_html
from generator.export.pack import PackEntry, due_records, pack_html
from generator.export.register import register_html, register_records, register_rows
from generator.pipeline import check

HERE = Path(__file__).resolve().parent
MINI = HERE / "fixtures" / "mini"
OVERLAY = HERE / "fixtures" / "print_overlay"
GOLDEN_PRINT = HERE / "golden" / "print"
TODAY = date(2026, 9, 30)          # the date printed on the pack cover and the register, fixed for golden files

APPROVAL = "11999900MB0B00002Y/2026-00001"     # A4 board sheet, 48 recipients in two villages
AID_Q2 = "11999900MB0B00002Y/2026-00002"       # A4 board sheet, due in 2026Q2
LEAFLET = "11999900MB0B00002Y/2026-00003"      # 明白纸 only
MEDICAL = "11999900MB0B00002Y/2026-00004"      # on the board through a 公开栏 posting
FINANCE = "11999900MB0B00001X/2026-00001"      # A3 board sheet


def print_content(dest: Path) -> Path:
    shutil.copytree(MINI, dest)
    shutil.copytree(OVERLAY, dest, dirs_exist_ok=True)
    return dest


def print_html(content: Path) -> dict[str, str]:
    """The HTML of each print layout for the print fixture, by golden file name."""
    checked = check(content)
    assert checked.ok, [str(p) for p in checked.problems.errors]
    by_index = {r.index_no: r for r in checked.records}
    env, settings = make_environment(), checked.settings
    quarter = Quarter(2026, 3)
    # Page counts come from layout; the golden file fixes the contents' text, so a stand-in count of 1 is used.
    entries = [PackEntry(n, r, 1, "") for n, r in enumerate(due_records(checked.records, quarter), start=1)]
    return {
        "sheet-a4.html": sheet_html(env, settings, by_index[APPROVAL]),
        "sheet-a4-village.html": sheet_html(env, settings, by_index[APPROVAL], village="东岭村"),
        "sheet-a4-pack.html": sheet_html(env, settings, by_index[MEDICAL], pack_label="2026年第三季度公开栏　第 3 份"),
        "sheet-a3.html": sheet_html(env, settings, by_index[FINANCE]),
        "leaflet.html": leaflet_html(env, settings, by_index[LEAFLET]),
        "pack.html": pack_html(env, settings, quarter, entries, TODAY),
        "register.html": register_html(env, settings, register_rows(checked.records, settings),
                                       len(register_records(checked.records)), TODAY),
    }


def refresh_print_golden(tmp: Path) -> None:
    html = print_html(print_content(tmp / "print-content"))
    if GOLDEN_PRINT.exists():
        shutil.rmtree(GOLDEN_PRINT)
    GOLDEN_PRINT.mkdir(parents=True)
    for name, text in html.items():
        (GOLDEN_PRINT / name).write_text(text, encoding="utf-8")
    print(f"golden print HTML refreshed in {GOLDEN_PRINT.relative_to(HERE.parent)}")
