"""Any declared field as a catalogue column, a search facet or a row of the record's 信息属性 grid.

A field is declared when the category's merged schema (shared fields, the kind's fields, the category's own)
has it; a facet may also name a column of a declared table as `<table>.<column>` (powers.type). Values are
shown the way an editor reads them: dates as written, lists joined with 、, a table as its row count, a
period as its two dates.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Mapping

from ..datasets.period import Period

# Fields the catalogue has always shown, with their labels (listing.py); they are read off the Record.
BUILT_IN = {
    "index_no": "索引号", "title": "标题", "publisher": "发布机构", "topic": "主题分类",
    "written_on": "成文日期", "published_on": "发布日期", "doc_no": "文号", "validity": "有效性", "genre": "体裁",
}
# Shown as the page's own parts, never as a cell: the body, attachments, lists with their own sections.
NOT_A_CELL = {"attachments", "privacy_exceptions", "postings", "leaflet", "service_elements", "draft", "audience"}


def declared(schema: Mapping) -> dict[str, str]:
    """Every field a record of the category may carry, with its Chinese title."""
    out = dict(BUILT_IN)
    for key, node in (schema.get("properties") or {}).items():
        if key not in out and key not in NOT_A_CELL:
            out[key] = str(node.get("title") or key) if isinstance(node, Mapping) else key
    return out


def table_columns(tables) -> dict[str, str]:
    """`<table>.<column>` of every declared table, with '表名·列名' titles."""
    return {f"{t.field}.{c.key}": c.title for t in tables for c in t.columns}


def title_of(category, key: str) -> str:
    if key in BUILT_IN:
        return BUILT_IN[key]
    if "." in key:
        return table_columns(category.tables).get(key, key)
    node = category.schema["properties"].get(key)
    return str(node.get("title") or key) if isinstance(node, Mapping) else key


def text(value) -> str:
    """A front-matter value as one line of text."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, Mapping):
        if "start" in value and "end" in value:
            return f"{value['start']} 至 {value['end']}"
        return "；".join(f"{text(v)}" for v in value.values() if text(v))
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(v, Mapping) for v in value):
            return f"{len(value)} 项"
        return "、".join(text(v) for v in value if text(v))
    return str(value).strip()


def value_of(record, key: str) -> str:
    """The text of a declared field of a record ('' when the record does not have it)."""
    if key == "publisher":
        return record.publisher.name
    if key in ("written_on", "published_on"):
        return getattr(record, key).isoformat()
    if key in BUILT_IN:
        return str(getattr(record, key) or "")
    if "." in key:
        field, column = key.split(".", 1)
        table = next((d for d in record.datasets if getattr(d, "kind_name", None) == field
                      and hasattr(d, "values_of")), None)
        return "、".join(table.values_of(column)) if table else ""
    value = record.data.get(key)
    if key == "period" and isinstance(value, str):      # 所属期间 as words: 2026-Q3 is 2026年第三季度
        period = Period.parse(value)
        return period.label if period else value
    return text(value)


def facet_values(record, key: str) -> list[str]:
    """The values a record is filed under for a facet: one per distinct cell of a table column."""
    if "." in key:
        field, column = key.split(".", 1)
        return [v for d in record.datasets if getattr(d, "kind_name", None) == field and hasattr(d, "values_of")
                for v in d.values_of(column)]
    value = record.data.get(key) if key not in BUILT_IN else None
    if isinstance(value, (list, tuple)) and not any(isinstance(v, Mapping) for v in value):
        return [text(v) for v in value if text(v)]
    shown = value_of(record, key)
    return [shown] if shown else []
