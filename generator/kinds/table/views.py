"""Declared tables on pages: a section per table on the record page, and on the category page the list in force.

A kind declared `current: true` in _category.yml `kinds` (权力清单, 责任清单, 随机抽查事项清单) is a list that each
publisher keeps up to date: its newest record is the list in force and the older ones are its versions. The
category page shows every publisher's list in force with links to the versions; a record page says whether it is
the version in force and, when the table declares an `x-key` column, what changed since the version before.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ...datasets.grid import Grid
from ...dataviews import CategoryBlock, RecordData, Section, add_tables
from ..columns import TableSpec
from .model import DeclaredTable


@dataclass(frozen=True)
class Changes:
    """What a version of a list changed against the version before, by the table's x-key column."""
    previous: object                 # the Record of the version before
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def item_name(spec: TableSpec, row) -> str:
    key = spec.key_column
    name = next((row.get(c.key) for c in spec.columns if c.type == "string" and not c.key_column and not c.enum
                 and isinstance(row.get(c.key), str)), "")
    return f"{row.get(key.key)} {name}".strip() if key else name


def changes(spec: TableSpec, previous_record, previous: DeclaredTable, current: DeclaredTable) -> Changes | None:
    key = spec.key_column
    if key is None:
        return None
    before = {str(r.get(key.key)): r for r in previous.rows}
    after = {str(r.get(key.key)): r for r in current.rows}
    return Changes(previous_record,
                   tuple(item_name(spec, r) for k, r in after.items() if k not in before),
                   tuple(item_name(spec, r) for k, r in before.items() if k not in after),
                   tuple(item_name(spec, r) for k, r in after.items() if k in before and dict(before[k]) != dict(r)))


def subset(grid: Grid, keys: tuple[str, ...], grid_id: str) -> Grid:
    """The grid with only these columns (listing_columns on the category page), in the declared order; grid_id
    keeps the element id unique on a page showing several publishers' lists."""
    if not keys:
        keys = tuple(c.key for c in grid.columns)
    wanted = [i for i, c in enumerate(grid.columns) if c.key in keys] or list(range(len(grid.columns)))
    rows = tuple(type(r)(tuple(r.cells[i] for i in wanted), r.level, r.total) for r in grid.rows)
    if any(r.total for r in rows) and all(rows[-1].cells[i] in ("", None) for i in range(len(wanted))):
        rows = rows[:-1]
    return Grid(grid_id, grid.title, tuple(grid.columns[i] for i in wanted), rows, grid.unit, grid.number,
                grid.empty_note, grid.note, 0)


class TableViews:
    def __init__(self, index):
        self.index = index
        # Versions of each current list: (category, kind, publisher) -> [(record, table)], oldest first.
        self.versions: dict[tuple, list] = defaultdict(list)
        for record, table in sorted(index.of(DeclaredTable), key=lambda p: (p[0].published_on, p[0].index_no)):
            kind = record.category.kinds.get(table.kind_name)
            if kind is not None and kind.current:
                self.versions[(record.category.id, table.kind_name, record.publisher.id)].append((record, table))

    def _history(self, record, table):
        versions = self.versions.get((record.category.id, table.kind_name, record.publisher.id))
        if not versions:
            return None
        at = next(i for i, (r, _) in enumerate(versions) if r is record)
        previous = versions[at - 1] if at else None
        return {"versions": [r for r, _ in versions], "current": versions[-1][0], "is_current": at == len(versions) - 1,
                "changes": changes(table.spec, previous[0], previous[1], table) if previous else None}

    def record(self, record, data: RecordData) -> None:
        for d in record.datasets:
            if type(d) is not DeclaredTable:
                continue
            grids = d.grids()
            add_tables(data, record, grids)
            data.json[d.kind_name] = d.to_json()
            data.sections.append(Section("kinds/table/table.md.j2", d.spec.title, grids,
                                         extra={"table": d, "history": self._history(record, d),
                                                "kind": record.category.kinds.get(d.kind_name)}))

    def category_sections(self, category) -> list[CategoryBlock]:
        """The list in force of every publisher, one block each, for each current kind of the category."""
        out = []
        for key, kind in category.kinds.items():
            if not kind.current:
                continue
            lists = [(versions[-1], [r for r, _ in versions]) for (cat, k, _), versions in self.versions.items()
                     if cat == category.id and k == key]
            if not lists:
                continue
            order = {o.id: i for i, o in enumerate(self.index.organisations)}
            lists.sort(key=lambda item: (order.get(item[0][0].publisher.id, len(order)), item[0][0].publisher.id))
            blocks = [{"record": record, "table": table, "versions": versions,
                       "grid": subset(table.grids()[0], category.listing_columns, f"{key}-{record.publisher.id}")}
                      for (record, table), versions in lists]
            out.append(CategoryBlock("kinds/table/current.md.j2", f"现行{kind.title}", extra={"blocks": blocks, "kind": kind}))
        return out

    def pages(self):
        return []

    def category_links(self, category_id: str):
        return []
