"""kind: budget — 部门预算 and 决算 public tables (财预〔2016〕143号): codes, sums, the tables agreeing with each other,
预算 against 决算; pages, charts, the 预算执行情况 page. Table names and codes in generator/data/budget-tables.yml."""
from __future__ import annotations

from . import checks
from .views import Mission as Views

OWNS = ("budget",)      # front-matter fields this kind reads


def read(raw, category, published, notice, spot) -> list:
    data = raw.front.data
    if "budget" not in data:
        return []
    return [checks.read_budget(data["budget"], spot, raw.body, published.year if published else None)]


def check_across(records, spots, problems) -> None:
    checks.check_across(records, spots)
