"""Generic kinds of category, declared as data: `kind: table | recipients | consultation` in _category.yml.

A county adds a sector without Python: a category directory with `_category.yml` (its kind and settings) and
`_schema.yml` (its fields and table columns, generator/kinds/columns.py). Each kind is one package holding its
model (the frozen dataset of a record), its checks and its views; its templates are in theme/markdown/kinds/.

| kind | a record carries | the site shows |
|---|---|---|
| table | one or more declared tables (清单, 双公示 decisions) | each table (cards on phones), CSV + JSON, the list in force per publisher on the category page |
| recipients | a benefit list with masked columns and a 公示期 | the list during the 公示期, then village totals or nothing; amounts checked against a declared standard |
| consultation | a comment window (征求意见), or an adoption report (意见采纳情况) | open/closed by date, how to comment, the two records linked; a 提醒 when the report is late |

A kind's package offers `read(raw, category, published, notice, spot)` and `Views`; it may offer `fields` (what
it adds to the schema), `declaration_problems` (its _category.yml settings), `check_across` and `OWNS` (the
front-matter fields a built-in kind reads). The rest of the generator reaches the kinds through this module only: contenttypes (`extend_schema`,
`declaration_problems`), rules/datasets.py (`read`, `check_across`), dataviews (`views`), search (`search_text`,
`facet_values`), listing and the record page (`fields`), scaffold (`template_for`).
"""
from __future__ import annotations

import difflib
from typing import Mapping

from . import budget, consultation, environment, poverty_relief, recipients, social_assistance, table
from .columns import declaration_problems as table_declaration_problems, is_table, tables_of, total_schema
from .fields import declared, facet_values as _facet_values, table_columns

# Kinds a county declares without Python: their tables are the category's own (columns.py).
GENERIC = {"table": table, "recipients": recipients, "consultation": consultation}
# Kinds whose checks no column declaration can express (budget codes, AQI from concentrations, a year's projects
# against its plan, statistics with their parts): each reads the front-matter fields it OWNS.
BUILT_IN = {"budget": budget, "social_assistance": social_assistance, "poverty_relief": poverty_relief,
            "environment": environment}
KINDS = {**GENERIC, **BUILT_IN}


def tables_for(kind: str, own: dict) -> tuple:
    """The declared tables a category's records carry: only a generic kind reads its own tables."""
    return tables_of(own) if kind in GENERIC else ()


def extend_schema(kind: str, own: dict, options: Mapping) -> dict:
    """The category's own schema with what its kind brings: the kind's fields, `<table>_total` for tables with
    summed columns, and table fields marked so messages count their rows (第 3 行)."""
    if not kind:
        return own
    out = dict(own)
    properties = dict(own.get("properties") or {})
    module = KINDS[kind]
    for field, node in getattr(module, "fields", lambda own, options: {})(own, options).items():
        properties.setdefault(field, node)
    for spec in tables_for(kind, own):
        properties[spec.field] = {**properties[spec.field], "x-table": True}
        if spec.summed:
            properties.setdefault(spec.total_field, total_schema(spec))
    out["properties"] = properties
    out["required"] = list(own.get("required") or [])
    return out


def _unknown(name: str, known: Mapping[str, str]) -> tuple[str, str]:
    close = difflib.get_close_matches(name, list(known), n=1)
    listing = "、".join(f"{k}（{v}）" for k, v in known.items())
    return listing, (f"是否应为 {close[0]}?" if close else "字段名须是本分类 _schema.yml 或共用 _schema.yml 中已定义的字段")


def declaration_problems(data: Mapping, schema: Mapping, tables) -> list[tuple[tuple, str, str, str, str]]:
    """Names in _category.yml that point nowhere: (path, message, got, expected, hint) for each."""
    out = []
    fields = declared(schema)
    columns = table_columns(tables)
    for key, what, allowed in (("catalogue_columns", "目录列", fields), ("meta_fields", "信息属性", fields),
                               ("facets", "搜索筛选项", {**fields, **columns}),
                               ("listing_columns", "现行清单列", {**{c: t for c, t in columns.items()},
                                                             **{c.key: c.title for t in tables for c in t.columns}})):
        for i, name in enumerate(data.get(key) or ()):
            if name not in allowed:
                listing, hint = _unknown(name, allowed)
                out.append(((key, i), f"{what}中的字段 {name} 在本分类中没有定义", name,
                            ("已定义的字段：" + listing) if allowed else "（本分类没有声明表格）", hint))
    kind = data.get("kind")
    if kind in ("table", "recipients") and not tables:
        out.append((("kind",), f"kind: {kind} 的分类须在 _schema.yml 中声明至少一个表格", kind,
                    "一个由多行组成的字段：type: array，items 下写 type: object 和各列 properties",
                    "参照 README「新增一个栏目」中的 _schema.yml 示例"))
    for key, rules in (data.get("kinds") or {}).items():
        if isinstance(rules, Mapping) and (rules.get("current") or rules.get("decision_type")) \
                and key not in {t.field for t in tables}:
            listing, hint = _unknown(key, {t.field: t.title for t in tables})
            out.append((("kinds", key), f"信息种类 {key} 不是本分类声明的表格", key,
                        "本分类的表格：" + (listing or "（没有）"), hint))
    for owner, module in BUILT_IN.items():
        owned = [f for f in module.OWNS if f in schema.get("properties", {})]
        if owned and kind != owner and kind not in GENERIC:
            # Without its kind the fields would pass the schema and then be read by nothing: a silent drop.
            out.append((("kind",) if kind else (), f"字段 {'、'.join(owned)} 由栏目类型 {owner} 读取，本分类没有声明这个类型",
                        kind or "（没有写 kind）", f"kind: {owner}",
                        f"请在 _category.yml 中写一行 kind: {owner}；或者把这些字段改成本分类自己声明的表格（见 README「新增一个栏目」）"))
    if kind and kind in KINDS:
        out += getattr(KINDS[kind], "declaration_problems", lambda *args: [])(data, schema, tables)
    return out


def schema_problems(own: Mapping) -> list[tuple[tuple, str, str]]:
    """Our keywords in a category's _schema.yml that point nowhere (x-sum-of naming a missing column …)."""
    return [p for spec in tables_of(own) for p in table_declaration_problems(spec)]


def read(raw, category, published, notice, spot) -> list:
    """The kind's datasets of one record (its tables, its list, its consultation), each checked."""
    if not category.kind:
        return []
    return KINDS[category.kind].read(raw, category, published, notice, spot)


def default_notice(items):
    """The 公示期 a benefit list took from its 公示类型 when the record wrote none (Record.notice_period)."""
    return next((d.period for d in items if isinstance(d, recipients.RecipientList)), None)


def check_across(records, spots, problems) -> None:
    for module in KINDS.values():
        getattr(module, "check_across", lambda *args: None)(records, spots, problems)


def views(index) -> list:
    """What dataviews.DataIndex asks of each kind: record sections, category sections, data pages (built-in kinds
    first, in the order their pages have always been listed)."""
    return [module.Views(index) for module in (*BUILT_IN.values(), *GENERIC.values())]


def search_text(record) -> str:
    return " ".join(d.search_text() for d in record.datasets if hasattr(d, "search_text"))


def facet_values(record) -> list[tuple[str, str]]:
    """(facet title, value) pairs the record is filed under, from its category's declared facets."""
    from .fields import title_of
    return [(title_of(record.category, key), value) for key in record.category.facets
            for value in _facet_values(record, key)]


def template_for(category) -> str:
    """The text `new` starts a record from when the category has no _template.md: the shared fields, then
    what the kind and the category's schema ask for, with empty values the check will point at."""
    if category.kind not in GENERIC:
        return ""           # a built-in kind's fields are objects with their own hints: the plain template
    from .scaffolding import template
    return template(category)


__all__ = ["KINDS", "GENERIC", "BUILT_IN", "tables_for", "extend_schema", "declaration_problems", "schema_problems", "read", "check_across", "views",
           "search_text", "facet_values", "template_for", "is_table"]
