"""kind: poverty_relief — 乡村振兴 project notices (nine elements), the year's plan and its adjustments, fund
allocations and progress; the per-year 项目清单和资金核对 page. Vocabularies in generator/data/poverty.yml."""
from __future__ import annotations

from . import checks
from .views import Mission as Views

OWNS = ("project", "plan", "allocation", "progress_report")


def read(raw, category, published, notice, spot) -> list:
    return checks.read(raw.front.data, spot)


def check_across(records, spots, problems) -> None:
    checks.check_across(records, spots)
