"""The record `new` writes for a category without its own _template.md, from what the category declares.

Shared fields first (filled in by `new`: 索引号, title, publisher, topic, dates), then every other field the
category requires and the kind's fields, with empty values and a comment naming each column and its allowed
values, so `check` points the editor at exactly what is left to write. Nothing comes from any demo content.
"""
from __future__ import annotations

import json
from typing import Mapping

HEAD = """---
index_no: {{ index_no }}
title: {{ title }}
topic: {{ topic }}
publisher: {{ publisher }}
written_on: {{ date }}
published_on: {{ date }}
disclosure: 主动公开
audience: public
summary: 请在此填写内容概述(5 到 300 字)
draft: true
"""
TAIL = """---

请在此填写正文。
"""
FILLED = {"index_no", "title", "topic", "publisher", "written_on", "published_on", "summary", "disclosure",
          "audience", "draft"}


def _empty(node: Mapping) -> str:
    kind = node.get("type")
    if kind == "array":
        return "[]"
    return '""'


def _describe(key: str, node: Mapping) -> str:
    title = node.get("title") or key
    allowed = f"，可填：{'、'.join(str(v) for v in node['enum'])}" if node.get("enum") else ""
    unit = f"，单位：{node['x-unit']}" if node.get("x-unit") else ""
    return f"{title} {key}{allowed}{unit}"


def _raw(text: str) -> str:
    """Schema text (titles, allowed values) kept out of the Jinja rendering that fills in the shared fields."""
    return "{% raw %}" + text + "{% endraw %}"


def template(category) -> str:
    schema = category.schema
    properties = schema.get("properties", {})
    lines = []
    tables = {t.field: t for t in category.tables}
    for key in schema.get("required", ()):
        if key in FILLED or key in tables:
            continue
        node = properties.get(key, {})
        lines.append(f"# {_describe(key, node)}")
        lines.append(f"{key}: {_empty(node)}")
    for spec in category.tables:
        lines.append(f"# {spec.title}（{spec.field}）：每行一项，列：" + "；".join(
            _describe(c.key, {"title": c.title, "enum": list(c.enum), "x-unit": c.unit}) for c in spec.columns))
        lines.append(f"{spec.field}:")
        cells = ", ".join(f"{c.key}: 0" if c.numeric else f'{c.key}: ""' for c in spec.columns)
        lines.append(f"  - {{{cells}}}")
    if category.kind == "recipients":
        notices = list((category.notices or {}).keys())
        if notices:
            lines.append(f"# 公示类型，可填：{'、'.join(notices)}（公示期按类型的天数从发布日期起算）")
            lines.append(f"notice_kind: {json.dumps(notices[0], ensure_ascii=False)}")
        else:
            lines.append("# 公示期：开始和结束日期，两天都算在内")
            lines.append("notice_period: {start: {{ date }}, end: {{ date }}}")
    if category.kind == "consultation":
        lines.append("# 征求意见：开始日期、截止日期（两天都算在内）和公众提出意见的方式；")
        lines.append("# 公布意见采纳情况时另建一条信息，写 adoption_report: {consultation: 征求意见信息的索引号}")
        lines.append("consultation:")
        lines.append("  start: {{ date }}")
        lines.append("  end: {{ date }}")
        lines.append('  how_to_comment: ""')
    extra = "\n".join(lines)
    # Dates stay Jinja placeholders; everything from the schema is literal.
    parts = extra.split("{{ date }}")
    extra = "{{ date }}".join(_raw(p) for p in parts) if extra else ""
    return HEAD + (extra + "\n" if extra else "") + TAIL
