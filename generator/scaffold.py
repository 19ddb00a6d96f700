"""`new`: the next free 索引号 and a record file written from the category's template.

Numbers are never reused: content/_ledger.yml remembers the last number issued per organisation and year,
so deleting a record does not free its number.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from jinja2 import Environment, StrictUndefined

from .kinds import template_for
from .load import record_files
from .model import Category, Organisation, Settings
from .rules.index_numbers import IndexTemplate
from .sourcefile import SourceError, read_text, split_front_matter

LEDGER = "_ledger.yml"
DEFAULT_TEMPLATE = """---
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
---

请在此填写正文。
"""


class ScaffoldError(Exception):
    pass


@dataclass(frozen=True)
class NewRecord:
    path: Path
    index_no: str


def resolve_publisher(settings: Settings, category: Category, wanted: str | None) -> Organisation:
    name = wanted or category.default_publisher
    if not name:
        raise ScaffoldError("请用 --publisher 指定发布机构，可选："
                            + "、".join(f"{o.id}({o.name})" for o in settings.organisations))
    for org in settings.organisations:
        if name in (org.id, org.name, org.short_name):
            return org
    raise ScaffoldError(f"未知发布机构 {name},可选：" + "、".join(f"{o.id}({o.name})" for o in settings.organisations))


def used_numbers(content: Path, template: IndexTemplate, org_code: str, year: int) -> list[int]:
    """Every number in use in any record file, valid or not."""
    found = []
    for path in record_files(content):
        try:
            data = split_front_matter(read_text(path)).front.data
        except SourceError:
            continue
        value = data.get("index_no") if isinstance(data, dict) else None
        parsed = template.parse(value) if isinstance(value, str) else None
        if parsed and parsed.get("org_code", org_code) == org_code and parsed.get("year", year) == year:
            found.append(parsed["seq"])
    return found


def next_number(content: Path, settings: Settings, org: Organisation, year: int) -> tuple[int, dict]:
    ledger_path = content / LEDGER
    ledger = yaml.safe_load(ledger_path.read_text(encoding="utf-8")) if ledger_path.exists() else {}
    ledger = ledger or {}
    last = int(ledger.get(org.org_code, {}).get(year, 0))
    seq = max([last, *used_numbers(content, IndexTemplate(settings.index_template), org.org_code, year)]) + 1
    ledger.setdefault(org.org_code, {})[year] = seq
    return seq, ledger


def create(content: Path, settings: Settings, category: Category, title: str,
           publisher: str | None = None, on: date | None = None) -> NewRecord:
    title = title.strip()
    if len(title) < 2:
        raise ScaffoldError("标题至少 2 个字，请用 --title \"……\" 给出标题")
    org = resolve_publisher(settings, category, publisher)
    on = on or date.today()
    seq, ledger = next_number(content, settings, org, on.year)
    index_no = IndexTemplate(settings.index_template).format(org_code=org.org_code, year=on.year, seq=seq)
    path = category.directory / str(on.year) / f"{org.id}-{seq:05d}.md"
    if path.exists():
        raise ScaffoldError(f"文件 {path} 已存在，未做任何改动")
    template_path = category.directory / "_template.md"
    source = template_path.read_text(encoding="utf-8") if template_path.exists() else \
        template_for(category) if category.kind else DEFAULT_TEMPLATE
    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True)
    text = env.from_string(source).render(
        index_no=index_no, title=title, publisher=org.name, date=on.isoformat(), category=category.title,
        topic=category.default_topic or settings.topics[0])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    (content / LEDGER).write_text(
        "# 已分配的最后一个索引号流水号（按机构代码和年份）。由 new 命令维护，请勿手工改小。\n"
        + yaml.safe_dump(ledger, allow_unicode=True, sort_keys=True), encoding="utf-8")
    return NewRecord(path, index_no)
