"""The print fixtures and their golden HTML.

The print fixture is tests/fixtures/mini with tests/fixtures/print_overlay copied over it: two board categories
(`board` on A4, `village` on A3) and records with a 公示期, postings, a 明白纸, and a recipient list that spans
two villages and more than one A4 page.

The mission print fixture is tests/fixtures/missions (structured data: budgets, 社会救助, 乡村振兴, 生态环境)
with every category put on the board (乡村振兴 on A3) and tests/fixtures/print_missions_overlay copied over it:
a five-household 初审 list over three villages whose body was written for the web (本网站, 本页, 点击), and a
2025 明白纸 superseded by the 2026 保障标准 and the 2026 明白纸. It is printed as of MISSION_DAY, when one
初审 list is current, one expired and the 审批 list 长期公布.

Golden print HTML (what WeasyPrint is given) lives in tests/golden/print and is refreshed by `make golden`
together with the Markdown golden files.
"""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from generator.export.board import Quarter
from generator.export.sheet import BoardSheets
from generator.export.layout import make_environment
from generator.export.leaflet import leaflet_html
from generator.export.pack import PackEntry, due_records, pack_html
from generator.export.register import register_html, register_records, register_rows
from generator.export.qr import with_qr_codes
from generator.pipeline import check
from tests.missions import today

HERE = Path(__file__).resolve().parent
MINI = HERE / "fixtures" / "mini"
OVERLAY = HERE / "fixtures" / "print_overlay"
GOLDEN_PRINT = HERE / "golden" / "print"
# The day the fixture is printed (GK_TODAY): inside the 公示期 of the approval list, so its sheets are current.
# Also the date on the pack cover and the register, fixed for golden files.
TODAY = date(2026, 7, 3)

APPROVAL = "11999900MB0B00002Y/2026-00001"     # A4 board sheet, 48 recipients in two villages
AID_Q2 = "11999900MB0B00002Y/2026-00002"       # A4 board sheet, due in 2026Q2
LEAFLET = "11999900MB0B00002Y/2026-00003"      # 明白纸 only
MEDICAL = "11999900MB0B00002Y/2026-00004"      # on the board through a 公开栏 posting
FINANCE = "11999900MB0B00001X/2026-00001"      # A3 board sheet


MISSIONS = HERE / "fixtures" / "missions"
MISSION_OVERLAY = HERE / "fixtures" / "print_missions_overlay"
MISSION_DAY = date(2026, 7, 10)
MISSION_PAPER = {"budgets": "A4", "environment": "A4", "poverty_relief": "A3", "social_assistance": "A4"}

BATCH = "11999900MB0B00005B/2026-00005"          # 初审, current: 5 households in 柳湾村, 河口村, 河口社区
EXPIRED = "11999900MB0B00005B/2026-00001"        # 初审, 公示期 2026-06-08 to 06-14: over on MISSION_DAY
LONG_TERM = "11999900MB0B00005B/2026-00003"      # 审批: 长期公布
OLD_LEAFLET = "11999900MB0B00002Y/2025-00005"    # 明白纸 of 2025, before the 2026 保障标准
NEW_LEAFLET = "11999900MB0B00002Y/2026-00005"    # 明白纸 of 2026
STANDARDS = "11999900MB0B00002Y/2026-00003"      # the 2026 保障标准
STATISTICS = "11999900MB0B00002Y/2026-00002"
BUDGET = "11999900MB0B00002Y/2025-00001"
PROJECT = "11999900MB0B00005B/2026-00004"        # 乡村振兴 项目公示 (A3)
PLAN = "11999900MB0B00003Z/2026-00001"           # 乡村振兴 年度项目计划 (A3)
POLLUTERS = "11999900MB0B00004A/2026-00003"
EIA = "11999900MB0B00004A/2026-00005"


def print_content(dest: Path) -> Path:
    shutil.copytree(MINI, dest)
    shutil.copytree(OVERLAY, dest, dirs_exist_ok=True)
    return dest


def mission_print_content(dest: Path) -> Path:
    shutil.copytree(MISSIONS, dest)
    for category, paper in MISSION_PAPER.items():
        with (dest / category / "_category.yml").open("a", encoding="utf-8") as f:
            f.write(f"print: {{paper: {paper}, board: true}}\n")
    shutil.copytree(MISSION_OVERLAY, dest, dirs_exist_ok=True)
    return dest


def print_html(content: Path) -> dict[str, str]:
    """The HTML of each print layout for the print fixture, by golden file name."""
    checked = check(content)
    assert checked.ok, [str(p) for p in checked.problems.errors]
    by_index = {r.index_no: r for r in checked.records}
    env, settings = make_environment(), checked.settings
    sheets = BoardSheets(env, settings, [r for r in checked.records if r.is_published], TODAY)
    sheet_html = sheets.html
    quarter = Quarter(2026, 3)
    # Page counts come from layout; the golden file fixes the contents' text, so a stand-in count of 1 is used.
    entries = [PackEntry(n, r, 1, "") for n, r in enumerate(due_records(checked.records, quarter), start=1)]
    return {
        "sheet-a4.html": sheet_html(by_index[APPROVAL]),
        "sheet-a4-village.html": sheet_html(by_index[APPROVAL], village="东岭村"),
        "sheet-a4-pack.html": sheet_html(by_index[MEDICAL], pack_label="2026年第三季度公开栏　第 3 份"),
        "sheet-a3.html": sheet_html(by_index[FINANCE]),
        "leaflet.html": leaflet_html(env, settings, by_index[LEAFLET]),
        "pack.html": pack_html(env, settings, quarter, entries, TODAY),
        "register.html": register_html(env, settings, register_rows(checked.records, settings),
                                       len(register_records(checked.records)), TODAY),
    }


def mission_print_html(content: Path) -> dict[str, str]:
    """The HTML of the sheets made from structured data, and of the two stamps, for the mission print fixture."""
    with today(MISSION_DAY.isoformat()):
        checked = check(content)
        assert checked.ok, [str(p) for p in checked.problems.errors]
        public = [r for r in checked.records if r.is_published]
        by_index = {r.index_no: r for r in public}
        env = make_environment()
        sheets = BoardSheets(env, checked.settings, public, MISSION_DAY)
        return {
            "missions-sheet-a3-project.html": sheets.html(by_index[PROJECT]),
            "missions-sheet-a3-plan.html": sheets.html(by_index[PLAN]),
            "missions-sheet-a4-statistics.html": sheets.html(by_index[STATISTICS]),
            "missions-sheet-a4-budget.html": sheets.html(by_index[BUDGET]),
            "missions-sheet-a4-polluters.html": sheets.html(by_index[POLLUTERS]),
            "missions-sheet-a4-eia.html": sheets.html(by_index[EIA]),
            "missions-sheet-a4-notice.html": sheets.html(by_index[BATCH], tight=True),
            "missions-sheet-a4-notice-village.html": sheets.html(by_index[BATCH], village="柳湾村"),
            "missions-sheet-a4-expired.html": sheets.html(by_index[EXPIRED]),
            "missions-leaflet-superseded.html": leaflet_html(env, checked.settings, by_index[OLD_LEAFLET],
                                                             stamp=sheets.stamp(by_index[OLD_LEAFLET])),
        }


def all_print_html(tmp: Path) -> dict[str, str]:
    """Every golden print layout, the print fixture's and the mission print fixture's, as the PDF renderer
    lays it out (QR codes drawn)."""
    with today(TODAY.isoformat()):
        html = print_html(print_content(tmp / "print-content"))
    html |= mission_print_html(mission_print_content(tmp / "mission-print-content"))
    return {name: with_qr_codes(text) for name, text in html.items()}


def refresh_print_golden(tmp: Path) -> None:
    html = all_print_html(tmp)
    if GOLDEN_PRINT.exists():
        shutil.rmtree(GOLDEN_PRINT)
    GOLDEN_PRINT.mkdir(parents=True)
    for name, text in html.items():
        (GOLDEN_PRINT / name).write_text(text, encoding="utf-8")
    print(f"golden print HTML refreshed in {GOLDEN_PRINT.relative_to(HERE.parent)}")
