"""JSON Schema validation with messages an office worker can act on.

Schemas carry the Chinese field name in `title`, what to write in `description` and a fix in `x-hint`;
this module turns each jsonschema error into a Problem that names file, line, field, expected and got.
"""
from __future__ import annotations

import difflib
from decimal import Decimal
from typing import Mapping

import jsonschema_rs
from jsonschema import Draft202012Validator

from .problems import Problems, shown
from .sourcefile import YamlDocument

TYPE_NAMES = {
    "string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false",
    "array": "列表", "object": "一组字段", "null": "空值",
}


def _python_type(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "整数"
    if isinstance(value, (float, Decimal)):
        return "数字"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "一组字段"
    return "空值" if value is None else type(value).__name__


def resolved(node, root: Mapping):
    """A subschema with its local $ref ("#/$defs/amount") filled in; its own keywords win (a title beside
    the $ref names this use). References were checked when the schema was loaded (schema_files.py)."""
    if not isinstance(node, Mapping) or not isinstance(node.get("$ref"), str) or not node["$ref"].startswith("#/"):
        return node
    target = root
    for part in node["$ref"][2:].split("/"):
        target = target.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(target, Mapping) else {}
    own = {k: v for k, v in node.items() if k != "$ref"}
    target = resolved(target, root)
    return {**target, **own} if isinstance(target, Mapping) else own


def field_label(schema: Mapping, path: tuple) -> str:
    """'附件 (attachments) 第 2 项 附件文件 (file)' for path ('attachments', 1, 'file')."""
    parts, node = [], schema
    for step in path:
        node = resolved(node, schema)
        if isinstance(step, int):
            # A declared table (generator/kinds) counts rows, as the editor sees it on the page.
            table = isinstance(node, Mapping) and node.get("x-table")
            parts.append(f"第 {step + 1} {'行' if table else '项'}")
            node = node.get("items", {}) if isinstance(node, Mapping) else {}
        else:
            node = resolved(node.get("properties", {}).get(step, {}) if isinstance(node, Mapping) else {}, schema)
            title = node.get("title") if isinstance(node, Mapping) else None
            parts.append(f"{title} ({step})" if title else str(step))
    return " ".join(parts)


_VALIDATORS: dict[int, tuple[Mapping, Draft202012Validator, object]] = {}


def _validators(schema: Mapping) -> tuple[Draft202012Validator, object]:
    """One compiled pair per schema object (a category's schema serves all its records): jsonschema, whose
    errors become the messages, and jsonschema-rs (or None where it cannot compile the schema)."""
    cached = _VALIDATORS.get(id(schema))
    if cached is None or cached[0] is not schema:
        try:
            fast = jsonschema_rs.Draft202012Validator(schema, validate_formats=False)
        except Exception:       # a schema the Rust validator refuses is still checked, by jsonschema alone
            fast = None
        cached = _VALIDATORS[id(schema)] = (schema, Draft202012Validator(schema), fast)
    return cached[1], cached[2]


def _whole_decimal(value) -> bool:
    """Whether a number typed with a fraction has none (12.00): jsonschema says such a Decimal is no
    integer, jsonschema-rs that it is."""
    kind = type(value)
    if kind is Decimal:
        return value.is_finite() and value == value.to_integral_value()
    if kind is dict:
        return any(_whole_decimal(v) for v in value.values())
    if kind is list:
        return any(_whole_decimal(v) for v in value)
    return False


def surely_valid(fast, data) -> bool:
    """jsonschema-rs's verdict where it finds no error (25 times faster than jsonschema on a record).

    jsonschema stays the judge: whatever the Rust validator rejects, or cannot take (values it does not
    know), is validated again by jsonschema, which says what is wrong or, where the two differ (a pattern's
    `$` before a final newline), that nothing is. Where the Rust validator is the more lenient one (a whole
    Decimal as an integer), it is not asked. tests/test_schema_check.py compares the two verdicts."""
    if fast is None or _whole_decimal(data):
        return False
    try:
        return fast.is_valid(data)
    except Exception:
        return False


def check_against(schema: Mapping, data, doc: YamlDocument, file: str, problems: Problems) -> int:
    """Validate data; add one Problem per error; return the number of errors."""
    count = 0
    validator, fast = _validators(schema)
    if surely_valid(fast, data):
        return 0
    for err in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        count += 1
        path = tuple(err.absolute_path)
        sub = resolved(err.schema, schema) if isinstance(err.schema, Mapping) else {}
        line = doc.line_of(path)
        label = field_label(schema, path) if path else None
        hint = sub.get("x-hint")
        kind = err.validator
        if kind == "required":
            missing = err.message.split("'")[1] if "'" in err.message else err.message
            prop = resolved(sub.get("properties", {}).get(missing, {}), schema)
            name = field_label(schema, path + (missing,))
            problems.add(file, doc.line_of(path, 1), name, "缺少必填字段",
                         expected=prop.get("description"), got="（没有填写）",
                         hint=prop.get("x-hint") or f"请在信息头中增加一行 {missing}: ……")
        elif kind == "additionalProperties":
            allowed = sorted(sub.get("properties", {}))
            extras = [k for k in err.instance if k not in sub.get("properties", {})]
            for key in extras:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                problems.add(file, doc.line_of(path + (key,)), field_label(schema, path + (key,)),
                             "未知字段", expected="、".join(allowed), got=str(key),
                             hint=f"是否应为 {close[0]}?" if close else "请检查字段名拼写，或删除这个字段")
        elif kind == "type":
            wanted = sub.get("type")
            wanted = wanted if isinstance(wanted, list) else [wanted]
            problems.add(file, line, label, "类型错误",
                         expected=" 或 ".join(TYPE_NAMES.get(t, t) for t in wanted)
                         + (f":{sub['description']}" if sub.get("description") else ""),
                         got=f"{shown(err.instance)}({_python_type(err.instance)})",
                         hint=hint or ("文字中含有冒号、# 或以数字开头时，请用引号括起来" if "string" in wanted else None))
        elif kind == "enum":
            problems.add(file, line, label, "取值不在允许范围内",
                         expected="、".join(str(v) for v in err.validator_value),
                         got=shown(err.instance), hint=hint)
        elif kind == "pattern":
            problems.add(file, line, label, "格式不正确", expected=sub.get("description"),
                         got=shown(err.instance), hint=hint)
        elif kind in ("minLength", "maxLength"):
            problems.add(file, line, label, "长度不符合要求", expected=sub.get("description"),
                         got=f"{len(err.instance)} 个字：{shown(err.instance, 40)}", hint=hint)
        elif kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            problems.add(file, line, label, "数值超出范围", expected=sub.get("description") or str(err.validator_value),
                         got=shown(err.instance), hint=hint)
        elif kind in ("minItems", "maxItems"):
            problems.add(file, line, label, "项目数量不符合要求", expected=sub.get("description"),
                         got=f"{len(err.instance)} 项", hint=hint)
        else:
            problems.add(file, line, label, "内容不符合要求", expected=sub.get("description"),
                         got=shown(err.instance), hint=hint or err.message)
    return count
