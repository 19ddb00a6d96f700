"""Content types: each category directory declares itself with _category.yml and _schema.yml.

A category's _schema.yml extends the shared content/_schema.yml: its properties are added, its required
list is added, and fields known to neither are reported as unknown (usually a typo in a field name).
"""
from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType

from . import kinds
from .lifecycle.fields import with_lifecycle_fields
from .model import Cadence, Category, Deadline, KindRules, PrintSettings, freeze
from .problems import Problems, display_path
from .schema_check import check_against, field_label
from .schema_files import check_schema
from .settings import load_schema
from .sourcefile import SourceError, parse_yaml, read_text

DEFAULT_COLUMNS = ("index_no", "title", "publisher", "topic", "written_on", "published_on")
# Top-level paths the site itself uses; a category may not take them.
RESERVED = {"catalogue", "archive", "publishers", "guide", "assets", "stylesheets", "javascripts",
            "downloads", "search", "pagefind", "files", "index", "feeds"}
CATEGORY_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _read_yaml(path: Path, problems: Problems):
    try:
        return parse_yaml(read_text(path))
    except SourceError as exc:
        problems.add(display_path(path), exc.line, None, exc.message, expected=exc.expected, got=exc.got,
                     hint=exc.hint, detail=exc.detail)
        return None


def load_base_schema(content: Path, problems: Problems):
    path = content / "_schema.yml"
    if not path.exists():     # anything else there is refused by read_text, named as what it is
        problems.add(display_path(path), None, None, "找不到共用字段定义 _schema.yml",
                     hint="内容目录下需要 _schema.yml，可从示例内容复制")
        return None
    doc = _read_yaml(path, problems)
    if doc is None or not check_schema(doc.data, doc, display_path(path), problems):
        return None
    if "properties" not in doc.data:
        problems.add(display_path(path), 1, None, "共用字段定义缺少 properties")
        return None
    return doc.data


def merge_schema(base: dict, extension: dict) -> dict:
    merged = dict(base)
    merged["properties"] = {**base.get("properties", {}), **extension.get("properties", {})}
    merged["required"] = list(dict.fromkeys(base.get("required", []) + extension.get("required", [])))
    merged["$defs"] = {**base.get("$defs", {}), **extension.get("$defs", {})}
    for key, value in extension.items():
        if key not in ("properties", "required", "$schema", "$defs"):
            merged[key] = value
    merged["additionalProperties"] = False
    return merged


def load_categories(content: Path, base_schema: dict, problems: Problems) -> dict[str, Category]:
    """Every directory of content/ holding a _category.yml is a category."""
    categories: dict[str, Category] = {}
    meta_schema = load_schema("category.schema.yml")
    for path in sorted(content.glob("*/_category.yml")):
        directory = path.parent
        shown = display_path(path)
        cat_id = directory.name
        if not CATEGORY_ID.match(cat_id) or cat_id in RESERVED:
            problems.add(shown, None, None, "分类目录名不可用", got=cat_id,
                         expected="小写英文字母开头，只含小写字母、数字和下划线，且不是 "
                                  + "、".join(sorted(RESERVED)),
                         hint="请重命名分类目录，例如 social_assistance")
            continue
        doc = _read_yaml(path, problems)
        if doc is None or check_against(meta_schema, doc.data, doc, shown, problems):
            continue
        extension = {}
        schema_path = directory / "_schema.yml"
        if schema_path.is_file():
            sdoc = _read_yaml(schema_path, problems)
            if sdoc is None:
                continue
            extension = {} if sdoc.data is None else sdoc.data
            if not check_schema(extension, sdoc, display_path(schema_path), problems, base_schema.get("$defs")):
                continue
            wrong = kinds.schema_problems(extension)
            for path, message, got in wrong:
                problems.add(display_path(schema_path), sdoc.line_of(path), "表格定义", message, got=got)
            if wrong:
                continue
        data = doc.data
        # A generic kind (generator/kinds) brings its own fields; its tables are declared in the own schema.
        kind = data.get("kind", "")
        tables = kinds.tables_for(kind, extension)
        extension = kinds.extend_schema(kind, extension, data.get(kind) or {})
        # The lifecycle fields (validity links, corrections, withdrawal) are known to every category.
        merged = with_lifecycle_fields(merge_schema(base_schema, extension))
        wrong = kinds.declaration_problems(data, merged, tables)
        for path, message, got, expected, hint in wrong:
            problems.add(shown, doc.line_of(path), _category_label(meta_schema, path), message, expected=expected,
                         got=got, hint=hint)
        if wrong:
            continue
        deadline = data.get("deadline")
        period = data.get("period", "")
        cadence = _cadence(period) if isinstance(period, dict) else None
        categories[cat_id] = Category(
            id=cat_id,
            title=data["title"],
            description=data.get("description", ""),
            order=data["order"],
            default_publisher=data.get("default_publisher"),
            default_topic=data.get("default_topic"),
            catalogue_columns=tuple(data.get("catalogue_columns", DEFAULT_COLUMNS)),
            archive_by=data.get("archive_by", "month"),
            deadline=Deadline(**deadline) if deadline else None,
            period=cadence.describe() if cadence else period,
            schema=freeze(merged),
            directory=directory,
            printing=PrintSettings(**data.get("print", {})),
            requires_interpretation=data.get("requires_interpretation", False),
            notices=freeze(data.get("notices", {})),
            cadence=cadence,
            kinds=MappingProxyType({key: KindRules(k["title"], Deadline(**k["deadline"]) if "deadline" in k else None,
                                                   _cadence(k["period"]) if "period" in k else None,
                                                   k.get("current", False), k.get("decision_type", ""))
                                    for key, k in data.get("kinds", {}).items()}),
            stale_days=data.get("stale_days"),
            instrument=data.get("instrument", ""),
            kind=kind,
            tables=tables,
            options=freeze(data.get(kind) or {}) if kind else MappingProxyType({}),
            facets=tuple(data.get("facets", ())),
            meta_fields=tuple(data.get("meta_fields", ())),
            listing_columns=tuple(data.get("listing_columns", ())),
        )
    return categories


def _category_label(meta_schema, path: tuple) -> str:
    """目录列 (catalogue_columns) 第 2 项: the field of _category.yml a problem is in."""
    return field_label(meta_schema, path)


def _cadence(data: dict) -> Cadence:
    return Cadence(data["every"], data["from"], tuple(data.get("publishers", ())))


def thaw(value):
    """jsonschema wants plain dicts and lists."""
    if isinstance(value, MappingProxyType):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value
