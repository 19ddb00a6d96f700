"""kind: social_assistance — 保障标准 and 救助对象和资金支出 statistics (programmes and units in
generator/data/assistance.yml), the 社会救助数据 page; and the 公示名单 (`recipients`) that any category may carry."""
from __future__ import annotations

from . import checks
from .views import Mission as Views

OWNS = ("statistics", "allowance_standards")


def read(raw, category, published, notice, spot) -> list:
    return checks.read(raw.front.data, spot)


def check_across(records, spots, problems) -> None:
    checks.check_across(records, spots)
