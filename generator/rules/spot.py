"""Where a problem in structured data is: file, line of a YAML path, and a field label an editor recognises."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..datasets import money
from ..problems import ERROR, Problems
from ..sourcefile import YamlDocument


@dataclass
class Spot:
    doc: YamlDocument
    file: str
    problems: Problems

    def add(self, path: tuple, field: str, message: str, expected=None, got=None, hint=None,
            severity: str = ERROR, rank: int = 0) -> None:
        self.problems.add(self.file, self.doc.line_of(path), field, message, expected=expected, got=got,
                          hint=hint, severity=severity, rank=rank)

    def errors(self) -> int:
        return len(self.problems.errors)


def difference(got: Decimal, want: Decimal) -> str:
    """'165.63，相差 +0.27' : the figure as written and how far it is from what the rows add up to."""
    return f"{money.money(got)}，相差 {money.signed(got - want)}"


def amount_places(spot: Spot, path: tuple, field: str, value, places: int = 2, unit: str = "万元") -> None:
    """Amounts carry at most `places` decimals (万元 to the cent)."""
    if isinstance(value, (int, Decimal)) and money.decimals(value) > places:
        spot.add(path, field, f"金额最多保留 {places} 位小数", expected=f"以{unit}为单位、{places} 位小数，例如 2172.46",
                 got=str(value), hint="请按公开表的口径四舍五入到分（0.01 万元）后填写")
