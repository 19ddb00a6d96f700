"""kind: table — records carry declared tables (清单, 双公示 decisions): checked, shown, downloaded, searched."""
from __future__ import annotations

from .checks import read as read_table
from .model import DeclaredTable
from .views import TableViews as Views


def read(raw, category, published, notice, spot) -> list:
    return [t for t in (read_table(raw.front.data, spec, spot) for spec in category.tables) if t is not None]


__all__ = ["DeclaredTable", "Views", "read"]
