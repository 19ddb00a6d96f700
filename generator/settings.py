"""Typed site configuration read from content/site.yml."""
from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType

from .model import ComplianceSettings, Organisation, Settings, Supervision
from .problems import Problems, display_path
from .schema_check import check_against
from .sourcefile import SourceError, load_own_yaml, parse_yaml, read_text

SCHEMA_DIR = Path(__file__).parent / "schemas"


def load_schema(name: str):
    return load_own_yaml(SCHEMA_DIR / name)


def load_settings(content: Path, problems: Problems) -> Settings | None:
    """Read and check site.yml; None (with problems added) when it cannot be used."""
    path = content / "site.yml"
    shown = display_path(path)
    if not path.exists():     # anything else there is refused by read_text, named as what it is
        problems.add(shown, None, None, "找不到网站配置文件 site.yml",
                     hint="每个内容目录都需要一个 site.yml，可参考示例内容 content/site.yml")
        return None
    try:
        doc = parse_yaml(read_text(path))
    except SourceError as exc:
        problems.add(shown, exc.line, None, exc.message, expected=exc.expected, got=exc.got, hint=exc.hint,
                     detail=exc.detail)
        return None
    if check_against(load_schema("site.schema.yml"), doc.data, doc, shown, problems):
        return None
    data = doc.data
    orgs = tuple(Organisation(**{**o, "defaults": MappingProxyType(dict(o.get("defaults", {})))})
                 for o in data["organisations"])
    for attr, label in (("id", "机构标识"), ("name", "机构全称"), ("org_code", "机构代码")):
        seen = {}
        for i, org in enumerate(orgs):
            value = getattr(org, attr)
            if value in seen:
                problems.add(shown, doc.line_of(("organisations", i, attr)), f"{label} ({attr})",
                             f"{label}重复，与第 {seen[value] + 1} 个机构相同", got=value,
                             hint="每个机构的标识、全称和机构代码都必须唯一")
            seen.setdefault(value, i)
    for i, org in enumerate(orgs):
        topic = org.defaults.get("topic")
        if topic is not None and topic not in data["topics"]:
            problems.add(shown, doc.line_of(("organisations", i, "defaults", "topic")), "默认主题分类 (defaults.topic)",
                         "不是 topics 中列出的主题分类", got=topic, expected="、".join(data["topics"]),
                         hint="请从本文件 topics 中复制一项")
    site = data["site"]
    return Settings(
        name=site["name"],
        host=site["host"],
        base_url=site["base_url"],
        site_code=site["site_code"],
        icp=site.get("icp", ""),
        police_record=site.get("police_record", ""),
        page_size=site.get("page_size", 50),
        latest_count=site.get("latest_count", 15),
        engine=site.get("engine", "mkdocs"),
        index_template=data["index_no"]["template"],
        supervision=Supervision(**data["supervision"]),
        organisations=orgs,
        topics=tuple(data["topics"]),
        attachment_types=MappingProxyType({k.lower(): v for k, v in data["attachment_types"].items()}),
        public_numbers=_public_numbers(data),
        compliance=ComplianceSettings(**data.get("compliance", {})),
        retention_years=site.get("retention_years", 10),
    )


def _public_numbers(data: dict) -> frozenset[str]:
    """Declared numbers plus every contact number the site itself prints."""
    numbers = list(data.get("public_numbers", []))
    numbers += [data["supervision"].get(k, "") for k in ("phone", "fax")]
    numbers += [o.get("phone", "") for o in data["organisations"]]
    return frozenset(re.sub(r"\D", "", n) for n in numbers if re.sub(r"\D", "", n))
