"""The lifecycle fields of a record's front matter -> model.Lifecycle.

They are the generator's own (generator/schemas/lifecycle.schema.yml), added to every category's schema, so a
county's content/_schema.yml does not have to declare them; a field it does declare keeps its own definition.
The JSON Schema has checked their shapes; this module checks what a schema cannot: real dates, in an order
that makes sense (a correction or a withdrawal after the publication, an end of validity after its start).
"""
from __future__ import annotations

from datetime import date
from typing import Mapping

from ..model import ChangeNote, Lifecycle, Withdrawal
from ..problems import Problems
from ..rules.dates import impossible_date_hint, parse_date
from ..schema_check import field_label
from ..settings import load_schema
from ..sourcefile import YamlDocument

_FIELDS = None


def lifecycle_fields() -> Mapping:
    global _FIELDS
    if _FIELDS is None:
        _FIELDS = load_schema("lifecycle.schema.yml")["properties"]
    return _FIELDS


def with_lifecycle_fields(schema: dict) -> dict:
    """The merged schema of a category, with the lifecycle fields it does not declare itself."""
    properties = dict(schema.get("properties", {}))
    for key, node in lifecycle_fields().items():
        properties.setdefault(key, node)
    return {**schema, "properties": properties}


def read_lifecycle(data: Mapping, doc: YamlDocument, file: str, schema: Mapping, published: date | None,
                   problems: Problems) -> Lifecycle:
    """Every problem is added to problems; the caller drops a record whose error count grew.

    valid_until and repealed_on that are not real days are reported by compliance (compliance/checks.py)."""

    def add(path: tuple, message: str, **kw) -> None:
        problems.add(file, doc.line_of(path), field_label(schema, path), message, **kw)

    def real_date(path: tuple, quiet: bool = False):
        text = _get(data, path)
        if not isinstance(text, str):
            return None
        value = parse_date(text)
        if value is None and not quiet:
            add(path, "日期不存在", expected="真实存在的日期，格式 YYYY-MM-DD", got=text,
                hint=impossible_date_hint(text))
        return value

    valid_from, valid_until = real_date(("valid_from",)), real_date(("valid_until",), quiet=True)
    if valid_from and valid_until and valid_until < valid_from:
        add(("valid_until",), "有效期的最后一天早于施行日期", expected=f"不早于施行日期 {valid_from.isoformat()}",
            got=valid_until.isoformat(), hint="请核对施行日期（valid_from）和有效期至（valid_until）")

    notes = []
    for i, item in enumerate(data.get("change_log") or ()):
        on = real_date(("change_log", i, "date"))
        if on is None:
            continue
        if published and on < published:
            add(("change_log", i, "date"), "更新日期早于发布日期", expected=f"不早于发布日期 {published.isoformat()}",
                got=on.isoformat(), hint="更新记录只记发布以后的修改；发布之前的修改不用记")
            continue
        notes.append(ChangeNote(on, item["level"], " ".join(item["note"].split())))

    withdrawn = None
    if isinstance(data.get("withdrawn"), Mapping):
        on = real_date(("withdrawn", "date"))
        if on and published and on < published:
            add(("withdrawn", "date"), "撤回日期早于发布日期", expected=f"不早于发布日期 {published.isoformat()}",
                got=on.isoformat(), hint="请核对撤回日期；还没有发布的信息不用撤回，删除文件或改为草稿即可")
        elif on:
            withdrawn = Withdrawal(on, " ".join(data["withdrawn"]["reason"].split()))

    amends = data.get("amends") or ()
    return Lifecycle(
        valid_from=valid_from,
        valid_until=valid_until,
        repealed_on=real_date(("repealed_on",), quiet=True),
        repealed_by=(data.get("repealed_by") or "").strip(),
        superseded_by=(data.get("superseded_by") or "").strip(),
        amends=tuple(dict.fromkeys(a.strip() for a in amends)),
        change_log=tuple(notes),
        withdrawn=withdrawn,
    )


def _get(data: Mapping, path: tuple):
    value = data
    for key in path:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return None
    return value
