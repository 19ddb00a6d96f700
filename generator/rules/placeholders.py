"""Placeholder text a record still carries from its template: it may not publish.

The templates are the source: a category's _template.md and the built-in one (scaffold.DEFAULT_TEMPLATE).
Each is rendered with markers in place of its variables; then everything it writes besides them is a
placeholder, except
  - fields whose schema offers a choice (enum, boolean): genre: 通知 is a default, not a placeholder;
  - Markdown headings of the body: a template's 小标题 are the skeleton the editor fills in.
A record keeps a placeholder when a field still matches the template's value (variables match anything,
so 某民发〔2026〕×号 is found whatever the year), or when a sentence of the template's text is still in the
field or the body. Both sides are normalised first (NFKC, no spaces), so （5 到 300 字） and (5到300字) agree.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Mapping

from jinja2 import TemplateError

from ..load import RawRecord
from ..problems import display_path
from ..schema_check import field_label
from ..scaffold import DEFAULT_TEMPLATE, TEMPLATE_VARIABLES, render_template, template_source
from ..sourcefile import SourceError, split_front_matter

MARK = "\ue000"                           # a private-use character: no editor types it
_MARKS = re.compile(MARK + "+")
_SENTENCE_END = re.compile(r"[。;!?]")
_EDGES = "()[]{}<>\"'“”‘’「」『』【】〔〕,:、-*>#|"
_ASIDE = re.compile(r"\([^()]*\)")
BUILT_IN = "新建信息的内置模板"        # scaffold.DEFAULT_TEMPLATE: no file the editor can open, so no line
MIN_CHARACTERS = 4                        # shorter fragments (附件:) are too common to mean a placeholder


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def tolerant(sentence: str) -> re.Pattern:
    """A normalised sentence as a pattern over text as typed: full- or half-width, spaces anywhere. Searching a
    whole body with it costs far less than normalising every body of a large site."""
    parts = []
    for c in sentence:
        wide = chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else None     # ( and （, 5 and ５
        parts.append(f"[{re.escape(c)}{re.escape(wide)}]" if wide else re.escape(c))
    return re.compile(r"[\s\u3000]*".join(parts))


def sentences(literal: str) -> list[str]:
    """The template's own sentences in a piece of text, normalised, each long enough to be recognised."""
    found = []
    for part in _MARKS.split(normalise(literal)):
        for sentence in _SENTENCE_END.split(part):
            sentence = sentence.strip(_EDGES)
            core = _ASIDE.sub("", sentence).strip(_EDGES)     # 请在此填写内容概述(5到300字) → 请在此填写内容概述
            for candidate in (core, sentence):
                if len(re.sub(r"\W", "", candidate)) >= MIN_CHARACTERS:
                    found.append(candidate)
                    break
    return found


@dataclass(frozen=True)
class FieldText:
    path: tuple
    whole: re.Pattern          # the template's value with its variables as wildcards
    sentences: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class TemplateText:
    shown: str                 # where the placeholder text comes from, for hints
    fields: tuple[FieldText, ...]
    body: tuple[tuple[re.Pattern, int], ...]      # (sentence as a pattern, template line)


@dataclass(frozen=True)
class Unfinished:
    """One placeholder (or empty required text) left in a record."""
    path: tuple                # front-matter key path; () for the body
    line: int | None
    label: str
    message: str
    got: str | None
    hint: str


def read_template(source: str, shown: str, schema: Mapping) -> TemplateText:
    values = {name: MARK * 8 for name in TEMPLATE_VARIABLES}
    values["date"] = f"{MARK * 4}-{MARK * 2}-{MARK * 2}"
    values.pop("year")
    text = render_template(source, **values)
    parsed = split_front_matter(text)
    fields = []
    for path, value in _strings(parsed.front.data, ()):
        # Only variables and punctuation ({{ date }} is ____-__-__): nothing of the template's own.
        if not re.search(r"\w", _MARKS.sub("", value)) or _is_choice(schema, path):
            continue
        pieces = [re.escape(piece) for piece in _MARKS.split(normalise(value))]
        fields.append(FieldText(path, re.compile("^" + ".*?".join(pieces) + "$"), tuple(sentences(value)),
                                parsed.front.line_of(path) or 1))
    body = []
    for i, line in enumerate(parsed.body.split("\n")):
        if line.lstrip().startswith("#"):
            continue
        body += [(tolerant(s), parsed.body_line + i) for s in sentences(line)]
    return TemplateText(shown, tuple(fields), tuple(body))


def templates_for(category, schema: Mapping) -> tuple[list[TemplateText], str | None]:
    """The category's template and the built-in one; an error text instead when the category's cannot be read."""
    source, path = template_source(category)
    shown = display_path(path) if path else BUILT_IN
    out = [read_template(DEFAULT_TEMPLATE, BUILT_IN, schema)]
    if path is None:
        return out, None
    try:
        out.insert(0, read_template(source, shown, schema))
    except (TemplateError, SourceError) as exc:
        return out, f"模板 {shown} 无法读取：{getattr(exc, 'message', exc)}"
    return out, None


def unfinished(raw: RawRecord, schema: Mapping, templates: list[TemplateText]) -> list[Unfinished]:
    data, doc = raw.front.data, raw.front
    found: dict[tuple, Unfinished] = {}
    for template in templates:
        for f in template.fields:
            value = _get(data, f.path)
            if not isinstance(value, str) or f.path in found:
                continue
            plain = normalise(value)
            if f.whole.match(plain) or any(s in plain for s in f.sentences):
                node = _schema_at(schema, f.path)
                what = node.get("title") or "内容"
                wanted = f"：{node['description']}" if node.get("description") else ""
                found[f.path] = Unfinished(f.path, doc.line_of(f.path), field_label(schema, f.path),
                                           "还是模板中的占位文字，不能发布", value,
                                           f"请写上正式的{what}{wanted}（占位文字来自{_where(template, f.line)}）")
    for path, value in _required_strings(schema, data, ()):
        if not value.strip() and path not in found:
            found[path] = Unfinished(path, doc.line_of(path), field_label(schema, path), "必填内容为空",
                                     "（只有空格）", "请填写这一项")
    for template in templates:
        for pattern, at in template.body:
            for match in pattern.finditer(raw.body):
                i = raw.body.count("\n", 0, match.start())
                line_no = raw.body_line + i
                if ("body", line_no) in found:
                    continue
                line = raw.body.split("\n")[i]
                found[("body", line_no)] = Unfinished((), line_no, "正文", "正文中还有模板中的占位文字，不能发布",
                                                      line.strip(), "请把这句话换成正式内容，或整句删除"
                                                      f"（占位文字来自{_where(template, at)}）")
    if not raw.body.strip():
        found[("body",)] = Unfinished((), raw.body_line, "正文", "正文为空", None,
                                      "请在信息头最后一行 --- 之后写正文；内容都在附件中的，也请写一句说明，例如“详见附件。”")
    return sorted(found.values(), key=lambda u: u.line or 0)


def _where(template: TemplateText, line: int) -> str:
    return template.shown if template.shown == BUILT_IN else f" {template.shown} 第 {line} 行"


def _strings(value, path: tuple):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, path + (i,))


def _schema_at(schema: Mapping, path: tuple) -> Mapping:
    node = schema
    for step in path:
        if not isinstance(node, Mapping):
            return {}
        node = node.get("items", {}) if isinstance(step, int) else node.get("properties", {}).get(step, {})
    return node if isinstance(node, Mapping) else {}


def _is_choice(schema: Mapping, path: tuple) -> bool:
    node = _schema_at(schema, path)
    return "enum" in node or "const" in node or node.get("type") == "boolean"


def _get(data, path: tuple):
    for step in path:
        if isinstance(step, int) and isinstance(data, list) and step < len(data):
            data = data[step]
        elif isinstance(data, dict) and step in data:
            data = data[step]
        else:
            return None
    return data


def _required_strings(schema: Mapping, data, path: tuple):
    """(path, value) of every required text field present in data: blank text passes minLength, not this."""
    if not isinstance(data, dict) or not isinstance(schema, Mapping):
        return
    properties = schema.get("properties", {})
    for key in schema.get("required", ()):
        value = data.get(key)
        if isinstance(value, str):
            yield path + (key,), value
    for key, sub in properties.items():
        value = data.get(key)
        if isinstance(value, dict):
            yield from _required_strings(sub, value, path + (key,))
        elif isinstance(value, list) and isinstance(sub, Mapping):
            for i, item in enumerate(value):
                yield from _required_strings(sub.get("items", {}), item, path + (key, i))
