"""kind: table — records carry declared tables (清单, 双公示 decisions): checked, shown, downloaded, searched."""
from __future__ import annotations

from .checks import read as read_table
from .model import DeclaredTable
from .views import TableViews as Views


def fields(own, options) -> dict:
    return {}


def required(own, options) -> list:
    return []


def declaration_problems(data, schema, tables) -> list:
    return []


def read(raw, category, published, notice, spot) -> list:
    return [t for t in (read_table(raw.front.data, spec, spot) for spec in category.tables) if t is not None]


def check_across(records, spots, problems) -> None:
    return None


__all__ = ["DeclaredTable", "Views", "fields", "required", "declaration_problems", "read", "check_across"]
