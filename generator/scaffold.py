"""`new`: the next free 索引号 and a record file written from the category's template.

Numbers are never reused: content/_ledger.yml remembers the last number issued per organisation and year,
so deleting a record does not free its number. The file is named <organisation id>-<sequence as printed in
the 索引号> (mzj-00003.md for …/2026-00003), or from an ASCII short form the editor gives (--name).

Everything a template writes besides its {{ variables }} is placeholder text that may not publish
(rules/placeholders.py reads the same templates), so templates hold no locality's values: the 文号 is
built from the publisher's 机关代字 (site.yml doc_prefix) with 〔年份〕×号, the number still to be given.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from jinja2 import Environment, StrictUndefined, TemplateError

from .kinds import template_for
from .kinds.scaffolding import HEAD
from .load import PATH_PART, RESERVED_PARTS, record_files, salvage
from .model import Category, Organisation, Settings
from .rules.index_numbers import IndexTemplate
from .atomic import write_text
from .problems import Problems, display_path
from .sourcefile import SourceError, parse_yaml, read_text, split_front_matter

LEDGER = "_ledger.yml"
TEMPLATE = "_template.md"
DOC_PREFIX_UNKNOWN = "机关代字"   # written into the 文号 when site.yml declares no doc_prefix for the publisher
# The shared fields of every new record (kinds/scaffolding.py), then a body to replace.
DEFAULT_TEMPLATE = HEAD + """---

请在此填写正文。
"""


class ScaffoldError(Exception):
    pass


class LedgerError(Exception):
    """_ledger.yml cannot be read: a content problem (file and line), not a usage error."""

    def __init__(self, problems: Problems):
        super().__init__("ledger")
        self.problems = problems


def read_ledger(content: Path) -> dict:
    path = content / LEDGER
    if not path.exists():
        return {}
    problems = Problems()
    try:
        ledger = parse_yaml(read_text(path)).data or {}
    except SourceError as exc:
        problems.add(display_path(path), exc.line, None, exc.message, expected=exc.expected, got=exc.got, hint=exc.hint)
        raise LedgerError(problems) from None
    if not isinstance(ledger, dict) or not all(isinstance(v, dict) for v in ledger.values()):
        problems.add(display_path(path), 1, None, "索引号登记簿的格式不对", expected="机构代码: {年份: 最后一个流水号}",
                     got=str(ledger)[:80], hint="这个文件由 new 命令维护；请从备份恢复，或改回上面的格式")
        raise LedgerError(problems)
    return ledger


@dataclass(frozen=True)
class NewRecord:
    path: Path
    index_no: str


def template_source(category: Category) -> tuple[str, Path | None]:
    """The category's _template.md, or the built-in template (path None)."""
    path = category.directory / TEMPLATE
    if path.is_file():
        return path.read_text(encoding="utf-8"), path
    # A generic kind (generator/kinds) writes its fields and table columns from what the category declares.
    return (template_for(category) or DEFAULT_TEMPLATE), None


TEMPLATE_VARIABLES = ("index_no", "title", "publisher", "date", "year", "category", "topic", "doc_prefix")


def render_template(source: str, *, index_no: str, title: str, publisher: str, date: str, category: str,
                    topic: str, doc_prefix: str) -> str:
    """The variables every template may use; rules/placeholders.py renders with the same names."""
    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True)
    return env.from_string(source).render(index_no=index_no, title=title, publisher=publisher, date=date,
                                          year=date[:4], category=category, topic=topic, doc_prefix=doc_prefix)


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
    """Every number in use in any record file, valid or not; a file YAML refuses still holds its number."""
    found = []
    for path in record_files(content):
        try:
            data = split_front_matter(read_text(path)).front.data
            value = data.get("index_no") if isinstance(data, dict) else None
        except SourceError:
            value = salvage(path, content, "").index_no
        parsed = template.parse(value) if isinstance(value, str) else None
        if parsed and parsed.get("org_code", org_code) == org_code and parsed.get("year", year) == year:
            found.append(parsed["seq"])
    return found


def next_number(content: Path, settings: Settings, org: Organisation, year: int) -> tuple[int, dict]:
    ledger = read_ledger(content)
    last = int(ledger.get(org.org_code, {}).get(year, 0))
    seq = max([last, *used_numbers(content, IndexTemplate(settings.index_template), org.org_code, year)]) + 1
    ledger.setdefault(org.org_code, {})[year] = seq
    return seq, ledger


def file_stem(org: Organisation, template: IndexTemplate, seq: int, name: str | None) -> str:
    """--name as given (checked), else <organisation id>-<sequence exactly as the 索引号 prints it>."""
    if name is None:
        return f"{org.id}-{template.format_seq(seq)}"
    name = name.strip().removesuffix(".md")
    if not PATH_PART.match(name) or name in RESERVED_PARTS or name.isdigit():
        raise ScaffoldError(f"文件名 {name} 不可用：只能用英文字母、数字、- 和 _，以字母或数字开头，"
                            "不能是纯数字、index、page 或 data，例如 --name dibao-2026-01")
    return name


def create(content: Path, settings: Settings, category: Category, title: str,
           publisher: str | None = None, on: date | None = None, name: str | None = None) -> NewRecord:
    title = title.strip()
    if len(title) < 2:
        raise ScaffoldError("标题至少 2 个字，请用 --title \"……\" 给出标题")
    org = resolve_publisher(settings, category, publisher)
    on = on or date.today()
    template = IndexTemplate(settings.index_template)
    seq, ledger = next_number(content, settings, org, on.year)
    index_no = template.format(org_code=org.org_code, year=on.year, seq=seq)
    path = category.directory / str(on.year) / f"{file_stem(org, template, seq, name)}.md"
    if path.exists():
        raise ScaffoldError(f"文件 {path} 已存在，未做任何改动" + ("" if name else "；可用 --name 另取一个文件名"))
    source, template_path = template_source(category)
    # The publisher's own defaults come first, then the category's, then the site's first topic.
    topic = org.defaults.get("topic") or category.default_topic or settings.topics[0]
    try:
        text = render_template(source, index_no=index_no, title=title, publisher=org.name, date=on.isoformat(),
                               category=category.title, topic=topic,
                               doc_prefix=org.doc_prefix or DOC_PREFIX_UNKNOWN)
    except TemplateError as exc:
        raise ScaffoldError(f"模板 {template_path} 无法使用：{exc}。模板中只能用 " + "、".join(
            "{{ " + v + " }}" for v in TEMPLATE_VARIABLES) + " 这些变量") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    write_text(content / LEDGER,
               "# 已分配的最后一个索引号流水号（按机构代码和年份）。由 new 命令维护，请勿手工改小。\n"
               + yaml.safe_dump(ledger, allow_unicode=True, sort_keys=True))
    return NewRecord(path, index_no)
