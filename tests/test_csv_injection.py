"""CSV formula injection (OWASP): text cells that a spreadsheet would run as a formula are neutralised with a
leading single quote in catalogue.csv, every per-record CSV and register.csv; numbers stay numbers.

The files are read back with the csv module, as a spreadsheet reads them (no openpyxl)."""
import csv
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from generator.export.csvcells import FORMULA_START
from tests.hostile import FORMULAS, PAYLOAD


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def is_number(cell: str) -> bool:
    try:
        Decimal(cell)
    except InvalidOperation:
        return False
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", cell))


def test_no_csv_cell_starts_a_formula(hostile_built):
    files = sorted((hostile_built / "site").rglob("*.csv")) + [hostile_built / "register/register.csv"]
    assert len(files) > 20
    quoted = 0
    for path in files:
        for row in rows(path):
            for cell in row:
                # A cell may begin with "-" only as a number (a negative amount in a numeric column).
                assert not cell.startswith(FORMULA_START) or is_number(cell), f"{path.name}: {cell!r}"
                quoted += cell.startswith("'") and cell[1:].startswith(FORMULA_START)
    assert quoted >= 6


def test_formulas_in_text_cells_are_neutralised_and_numbers_stay_numbers(hostile_built):
    site = hostile_built / "site"
    title = FORMULAS[0] + "关于调整项目计划的公告"
    catalogue = rows(site / "catalogue/catalogue.csv")
    assert "'" + title in [row[1] for row in catalogue]
    assert any(row[1].startswith(PAYLOAD) for row in catalogue)           # other text untouched

    polluters = rows(site / "environment/2026/key-polluters-2026/key_polluters.csv")
    unit = next(row for row in polluters if row[0].startswith("'="))
    assert unit[0] == "'" + FORMULAS[0] and unit[1] == "'" + FORMULAS[1] + PAYLOAD

    changes = rows(site / "poverty_relief/2026/plan-adjustment-2026/plan_changes.csv")
    assert changes[0][:3] == ["项目名称", "调整", "调整金额（万元）"]
    cut = changes[1]
    assert cut[2] == "-12.50" and Decimal(cut[2]) == Decimal("-12.50")     # a number, not text
    assert cut[4] == "'" + FORMULAS[2]
    assert changes[2][0] == "'" + FORMULAS[3] and changes[2][2] == "12.50"

    three = rows(site / "budgets/2025/civil-budget-2025/three_public_expenses.csv")
    assert [row[3] for row in three[1:3]] == ["-0.50", "0.00"]

    register = rows(hostile_built / "register/register.csv")
    assert "'" + title in [row[1] for row in register]


@pytest.mark.parametrize("text", ["11999900MB0B00001X/2025-00002", "A-1", "示例/2025-1", "=1+1", "－1", "@a", "a,b",
                                  'a"b', "a\\b", "a\nb", "a\rb", "\ta", " a", "a\u2028b", "a\x7fb", "a\x1fb", "'a",
                                  "a;b", "ａ，ｂ"])
def test_a_plain_index_number_is_its_own_csv_cell_and_json_string(text):
    """The catalogue's copied rows are tied to their records by the 索引号 they begin with: where the quick
    test calls a number plain, the CSV writer and the JSON encoder write it unchanged."""
    import io
    import json
    from generator.export.csvcells import text_cells
    from generator.export.downloads import _PLAIN
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(text_cells([text, "x"]))
    if _PLAIN(text):
        assert out.getvalue() == text + ",x\r\n"
        assert json.dumps(text, ensure_ascii=False) == '"' + text + '"'
