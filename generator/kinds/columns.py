"""Tables declared in a category's _schema.yml: a field whose value is a list of rows, one column per property.

A county declares a 清单 as plain JSON Schema (an array of objects: each column with its `title`, `type` or
`enum`, and `required` columns), plus a few keywords of ours that JSON Schema has no word for:

| keyword | on | means |
|---|---|---|
| `x-unit` | column | unit shown in the header and the CSV header, e.g. 万元 |
| `x-sum` | column | totalled in a 合计 row; a stated `<field>_total` is checked against it |
| `x-sum-of` | column | equals the sum of these columns in every row |
| `x-places` | column | at most this many decimals |
| `x-key` | column | names an item across versions of a list (what changed between two versions) |
| `x-mask` | column | the value must be masked: `name` (张*明), `place` (no house number) |
| `format: date` | column | a real date, YYYY-MM-DD |

The JSON Schema checks each cell (allowed values, types, missing columns); these specs say how a table is
checked across rows, shown, downloaded and searched.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

MASKS = ("name", "place")


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    title: str
    type: str = "string"            # string | integer | number | boolean
    unit: str = ""
    enum: tuple = ()
    sum: bool = False
    sum_of: tuple[str, ...] = ()
    places: int | None = None
    key_column: bool = False
    mask: str = ""
    date: bool = False

    @property
    def numeric(self) -> bool:
        return self.type in ("integer", "number")

    @property
    def label(self) -> str:
        """The column's title with its key, as messages name a field: 职权类型 (type)."""
        return f"{self.title} ({self.key})"


@dataclass(frozen=True)
class TableSpec:
    field: str                       # the front-matter key holding the rows, e.g. powers
    title: str                       # 权力事项
    columns: tuple[ColumnSpec, ...]
    description: str = ""

    @property
    def total_field(self) -> str:
        """Where a record states the table's totals (checked against the rows): powers_total."""
        return f"{self.field}_total"

    @property
    def summed(self) -> tuple[ColumnSpec, ...]:
        return tuple(c for c in self.columns if c.sum)

    @property
    def key_column(self) -> ColumnSpec | None:
        return next((c for c in self.columns if c.key_column), None)

    def column(self, key: str) -> ColumnSpec | None:
        return next((c for c in self.columns if c.key == key), None)


def is_table(node) -> bool:
    """An array of objects with declared properties: the shape of a declared table."""
    return (isinstance(node, Mapping) and node.get("type") == "array" and isinstance(node.get("items"), Mapping)
            and isinstance(node["items"].get("properties"), Mapping))


def _type(node: Mapping) -> str:
    kind = node.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind in ("integer", "number", "boolean"):
        return kind
    if "enum" in node and node["enum"] and all(isinstance(v, int) and not isinstance(v, bool) for v in node["enum"]):
        return "integer"
    return "string"


def column_of(key: str, node: Mapping) -> ColumnSpec:
    return ColumnSpec(
        key=key, title=str(node.get("title") or key), type=_type(node), unit=str(node.get("x-unit", "")),
        enum=tuple(node.get("enum", ())), sum=bool(node.get("x-sum")), sum_of=tuple(node.get("x-sum-of", ())),
        places=node.get("x-places"), key_column=bool(node.get("x-key")), mask=str(node.get("x-mask", "")),
        date=node.get("format") == "date")


def tables_of(own_schema: Mapping) -> tuple[TableSpec, ...]:
    """The tables a category declares in its own _schema.yml, in the order written."""
    out = []
    for field, node in (own_schema.get("properties") or {}).items():
        if is_table(node):
            columns = tuple(column_of(k, v if isinstance(v, Mapping) else {}) for k, v in node["items"]["properties"].items())
            out.append(TableSpec(field, str(node.get("title") or field), columns, str(node.get("description", ""))))
    return tuple(out)


def declaration_problems(spec: TableSpec) -> list[tuple[tuple, str, str]]:
    """Keywords of ours that point nowhere: (schema path, message, got)."""
    out = []
    keys = {c.key for c in spec.columns}
    for c in spec.columns:
        where = ("properties", spec.field, "items", "properties", c.key)
        for other in c.sum_of:
            if other not in keys:
                out.append((where + ("x-sum-of",), f"x-sum-of 中的列 {other} 不存在", other))
            elif not spec.column(other).numeric:
                out.append((where + ("x-sum-of",), f"x-sum-of 中的列 {other} 不是数字列", other))
        if (c.sum or c.sum_of) and not c.numeric:
            out.append((where + ("type",), f"合计列 {c.key} 必须是数字列（type: number 或 integer）", c.type))
        if c.mask and c.mask not in MASKS:
            out.append((where + ("x-mask",), f"x-mask 只能是 {'、'.join(MASKS)}", c.mask))
    return out


def total_schema(spec: TableSpec) -> dict:
    """The JSON Schema of `<field>_total`: one number per summed column."""
    return {"title": f"{spec.title}合计", "type": "object", "additionalProperties": False,
            "description": "各合计列的合计数（与逐行相加核对）：" + "、".join(c.label for c in spec.summed),
            "properties": {c.key: {"title": c.title, "type": c.type} for c in spec.summed}}
