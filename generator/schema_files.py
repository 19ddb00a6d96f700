"""Editors' _schema.yml files, checked before any record is validated against them.

A mistake in a schema (an unknown type, a `required` that is not a list, a pattern that is not a regular
expression, a misspelt keyword that JSON Schema would silently ignore) would otherwise surface as a traceback
from jsonschema halfway through the records, or not at all when no record uses the field. Every schema file
is checked whole when it is loaded: against the JSON Schema 2020-12 meta-schema, for keywords we know, for
patterns Python can compile, and for references that stay inside the schema ("#/$defs/name", no cycles:
jsonschema would fetch any other address, or recurse without end).
"""
from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Mapping

import jsonschema_rs
from jsonschema import Draft202012Validator

from .problems import Problems, shown
from .schema_check import TYPE_NAMES, surely_valid
from .sourcefile import YamlDocument

_META = Draft202012Validator(Draft202012Validator.META_SCHEMA)

# JSON Schema 2020-12 keywords a content schema may use, and the x- extensions of this project (x-hint).
KEYWORDS = {
    "$schema", "$ref", "$defs", "$comment",
    "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
    "maxProperties", "minProperties", "required", "dependentRequired",
    "properties", "patternProperties", "additionalProperties", "propertyNames", "dependentSchemas",
    "items", "prefixItems", "contains", "unevaluatedItems", "unevaluatedProperties",
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
    "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly", "format",
}
_ONE_SCHEMA = ("additionalProperties", "propertyNames", "items", "contains", "unevaluatedItems",
               "unevaluatedProperties", "not", "if", "then", "else")
_NAMED_SCHEMAS = ("properties", "patternProperties", "dependentSchemas", "$defs")
_LISTED_SCHEMAS = ("prefixItems", "allOf", "anyOf", "oneOf")
_LOCAL_REF = re.compile(r"^#/\$defs/([^/~]+)$")


# Digests of schemas the 2020-12 meta-schema found nothing wrong with (checkcache.py keeps them between runs
# of unchanged code): that check costs tens of milliseconds a schema, more than reading every record file.
CLEAN_META: set[str] = set()


def check_schema(schema, doc: YamlDocument, file: str, problems: Problems, shared_defs: Mapping | None = None) -> bool:
    """Add a problem for every mistake in one schema file; True when it can be used."""
    before = len(problems.errors)

    def add(path, message, expected=None, got=None, hint=None):
        problems.add(file, doc.line_of(tuple(path), 1), " → ".join(str(p) for p in path) or None,
                     f"字段定义有误：{message}", expected=expected, got=got,
                     hint=hint or "字段定义的写法见 JSON Schema 2020-12；可参照其他分类的 _schema.yml")

    if not isinstance(schema, Mapping):
        add((), "必须是一组“关键字: 值”", got=f"{shown(schema)}", hint="文件应以 properties: 或 required: 这样的关键字开头")
        return False
    seen = set()
    try:
        known = hashlib.sha256(json.dumps(schema, sort_keys=True, default=repr, ensure_ascii=False).encode()).hexdigest()
    except (TypeError, ValueError):     # keys of mixed types (1: and a:) cannot be sorted: the meta-schema says why
        known = ""
    # jsonschema-rs's meta-schema check first (0.1 ms against 25 ms a schema); jsonschema words any error.
    clean = known in CLEAN_META or surely_valid(jsonschema_rs.meta, schema)
    for err in ([] if clean else _META.iter_errors(schema)):
        key = (tuple(err.absolute_path), err.message)
        if key in seen:
            continue
        seen.add(key)
        _meta_problem(err, add)
    if not seen and known:
        CLEAN_META.add(known)
    defs = {**(shared_defs or {}), **(schema.get("$defs") if isinstance(schema.get("$defs"), Mapping) else {})}
    references: dict[tuple, str] = {}
    for path, node in _subschemas(schema, ()):
        for keyword in node:
            if keyword not in KEYWORDS and not str(keyword).startswith("x-"):
                close = difflib.get_close_matches(str(keyword), sorted(KEYWORDS), n=1)
                add(path + (keyword,), "未知的关键字", got=str(keyword),
                    hint=f"是否应为 {close[0]}?" if close else "请检查拼写；自定义说明请用 x- 开头，例如 x-hint")
        patterns = [(path + ("pattern",), node["pattern"])] if isinstance(node.get("pattern"), str) else []
        if isinstance(node.get("patternProperties"), Mapping):
            patterns += [(path + ("patternProperties", k), k) for k in node["patternProperties"]]
        for where, pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                add(where, "正则表达式无法使用", got=f"{pattern}（{exc.msg}）",
                    hint="请检查括号、方括号是否配对，反斜杠是否写全，例如 '^\\d{4}-\\d{2}$'")
        if "$ref" in node:
            references[path] = node["$ref"]
    for path, ref in references.items():
        m = _LOCAL_REF.match(ref) if isinstance(ref, str) else None
        if not m:
            add(path + ("$ref",), "只能引用本文件 $defs 中的定义", expected="#/$defs/名称", got=shown(ref))
        elif m.group(1) not in defs:
            add(path + ("$ref",), "引用的定义不存在", expected="、".join(sorted(defs)) or "（没有 $defs）",
                got=ref)
    cycle = _cycle(defs)
    if cycle:
        add(("$defs", cycle[0]), "定义之间循环引用", got=" → ".join(cycle + [cycle[0]]),
            hint="一个定义不能（直接或间接）引用它自己")
    return len(problems.errors) == before


def _meta_problem(err, add) -> None:
    path = tuple(err.absolute_path)
    keyword = path[-1] if path else ""
    if keyword == "type" and err.validator in ("anyOf", "enum"):
        add(path, "未知的类型", expected="、".join(f"{k}（{v}）" for k, v in TYPE_NAMES.items()),
            got=shown(err.instance))
    elif err.validator == "type":
        wanted = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        add(path, f"{keyword or '文件'} 的写法不对",
            expected=" 或 ".join(TYPE_NAMES.get(t, t) for t in wanted if t != "boolean" or len(wanted) == 1),
            got=shown(err.instance),
            hint="required 写成字段名列表，例如 required: [title, summary]" if keyword == "required" else None)
    else:
        add(path, f"{keyword or '文件'} 的取值无效", got=shown(err.instance), hint=f"JSON Schema 的说明：{err.message}")


def _subschemas(node, path: tuple):
    """Every subschema (a mapping in a schema position) with its path."""
    if not isinstance(node, Mapping):
        return
    yield path, node
    for keyword in _ONE_SCHEMA:
        if keyword in node:
            yield from _subschemas(node[keyword], path + (keyword,))
    for keyword in _NAMED_SCHEMAS:
        if isinstance(node.get(keyword), Mapping):
            for name, sub in node[keyword].items():
                yield from _subschemas(sub, path + (keyword, name))
    for keyword in _LISTED_SCHEMAS:
        if isinstance(node.get(keyword), list):
            for i, sub in enumerate(node[keyword]):
                yield from _subschemas(sub, path + (keyword, i))


def _cycle(defs: Mapping) -> list[str] | None:
    """A chain of $defs that comes back to its start, if any."""
    uses = {name: {m.group(1) for _, node in _subschemas(schema, ()) if isinstance(node.get("$ref"), str)
                   for m in [_LOCAL_REF.match(node["$ref"])] if m and m.group(1) in defs}
            for name, schema in defs.items()}
    state: dict[str, int] = {}      # 1 on the current chain, 2 done

    def visit(name: str, chain: list[str]) -> list[str] | None:
        state[name] = 1
        for used in sorted(uses.get(name, ())):
            if state.get(used) == 1:
                return chain[chain.index(used):] if used in chain else [used]
            if used not in state:
                found = visit(used, chain + [used])
                if found:
                    return found
        state[name] = 2
        return None

    for name in sorted(defs):
        if name not in state:
            found = visit(name, [name])
            if found:
                return found
    return None
