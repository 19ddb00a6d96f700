"""Raw records -> frozen Records, collecting every problem on the way.

A record that has any error is left out of the result, but checking goes on for all of them: the editor
gets the whole list in one run.
"""
from __future__ import annotations

import difflib
import re
import shlex
from datetime import date
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from .beside import Beside, cores
from .compliance import checks as compliance_checks
from .contenttypes import thaw
from .lifecycle import links as lifecycle_links
from .lifecycle.fields import read_lifecycle
from .load import RawRecord, Unreadable
from .model import SERVICE_ELEMENT_LABELS, Attachment, Category, Record, Settings, freeze
from .problems import WARNING, Problems, display_path, new_command
from .scaffold import TEMPLATE
from .rules.dates import impossible_date_hint, parse_date
from .rules.doc_numbers import doc_no_problem
from .rules.doc_numbers import example as doc_number_example
from .rules.index_numbers import IndexTemplate
from .rules import datasets, file_types, placeholders, privacy, references
from .rules.body_shape import body_shape
from .rules.markup import link_forms, marked_texts, placed, read_markup
from .schema_check import check_against
from .sourcefile import inside as _inside
from .rules.publicity import read_publicity


ACROSS_BESIDE = 2000    # records from which the checks across records run beside compliance (a fork costs 10-30 ms)


def validate(raws: list[RawRecord], settings: Settings, categories: dict[str, Category],
             content: Path, problems: Problems, unreadable: Iterable[Unreadable] = (), cache=None,
             each: OneRecord | None = None,
             then: Callable[[list[Record], Problems], None] | None = None) -> list[Record]:
    """Frozen records of every raw record without errors (cache: a checkcache.CheckCache holding the records
    of unchanged files that were clean last time; the checks across records run on all of them; each: the
    caller's OneRecord for these settings and categories, if it made one; then: what the caller checks next on
    the records, with the problems to add to, run while the checks across records may still run beside)."""
    records = []
    each = each or OneRecord(settings, categories, content, problems)
    for raw in raws:
        known = cache.record(raw.page_path, raw) if cache else None
        if known is not None:
            records.append(known)
            continue
        before, said = len(problems.errors), len(problems)
        record = each.validate(raw, problems)
        if record is not None and len(problems.errors) == before:
            records.append(record)
            if cache and len(problems) == said and not raw.front.duplicates:
                cache.keep(raw.page_path, raw, record)     # nothing to say about it: next time it is reused
    # Checks across records: numbers, pairs of document and interpretation, links. A number held by two files
    # resolves to neither: their records take no part in any check that looks a record up.
    unreadable = list(unreadable)
    duplicated = references.check_unique_index_numbers(raws, content, problems)
    settled = [r for r in records if r.index_no not in duplicated]
    # 预算 vs 决算, a year's projects, an EIA's stages: a category with a record left out (unreadable, in error,
    # sharing a number) would be judged on part of its records, so its comparisons wait until it is whole.
    kept = {r.source for r in settled}
    incomplete = {u.category_id for u in unreadable} | {raw.category_id for raw in raws if raw.shown not in kept}

    def across(found: Problems) -> Problems:
        references.check_all(settled, raws, categories, content, found, unreadable)
        lifecycle_links.check(settled, raws, found, unreadable)     # 替代 and 修改 by 索引号
        datasets.check_across([r for r in settled if r.category.id not in incomplete], raws, found)
        return found

    # Compliance: 公开时限, validity, the 依申请 register; annual reports get their computed tables.
    then = then or (lambda checked, found: None)
    # On a large site with a second core the checks that only report run in a forked process (that core is
    # idle while the check runs) beside compliance and `then` here: a third of a rebuild's check. Problems
    # keep their order. Where no process can be forked (a process limit), they run here: only time is lost.
    other = None
    if len(settled) >= ACROSS_BESIDE and cores() >= 2:
        try:
            other = Beside(lambda: across(Problems()).in_order())
        except OSError:
            other = None
    if other is None:
        across(problems)
        checked = compliance_checks.run(settled, raws, settings, content, problems)
        then(checked, problems)
        return checked
    mine = Problems()
    try:
        checked = compliance_checks.run(settled, raws, settings, content, mine)
        then(checked, mine)
    except BaseException:
        other.wait()
        raise
    problems.extend(other.result())
    problems.extend(mine.in_order())
    return checked


class OneRecord:
    """What validating one record needs besides the record: each category's schema and templates, the index
    number template (problems: where a category's unusable template is reported, once)."""

    def __init__(self, settings: Settings, categories: dict[str, Category], content: Path, problems: Problems):
        self.settings, self.categories, self.content = settings, categories, content
        self.template = IndexTemplate(settings.index_template)
        self.schemas = {cat_id: thaw(category.schema) for cat_id, category in categories.items()}
        self.templates = {}
        for cat_id, category in categories.items():
            self.templates[cat_id], unusable = placeholders.templates_for(category, self.schemas[cat_id])
            if unusable:
                problems.add(display_path(category.directory / TEMPLATE), None, None, unusable,
                             hint="模板中的变量写成 {{ title }} 这样；可用的变量见 README 的“新建一条信息”")

    def validate(self, raw: RawRecord, problems: Problems) -> Record | None:
        """The frozen record, or None when it cannot be made (every problem found is in problems)."""
        cat_id = raw.category_id
        return _validate_one(raw, self.settings, self.categories[cat_id], self.schemas[cat_id], self.template,
                             self.content, problems, self.templates[cat_id])


def _validate_one(raw: RawRecord, settings: Settings, category: Category, schema: dict, template: IndexTemplate,
                  content: Path, problems: Problems, templates: list) -> Record | None:
    data, doc, file = raw.front.data, raw.front, raw.shown
    if check_against(schema, data, doc, file, problems):
        return None
    # First the body's shape: the passes over it below (and Markdown later) assume its limits.
    shape = body_shape(raw.body, raw.body_line)
    for finding in shape:
        problems.add(file, finding.line, "正文", finding.message, got=finding.got, hint=finding.hint)
    if shape:
        return None

    def add(key, message, **kw):
        problems.add(file, doc.line_of((key,)), category.label(key), message, **kw)

    # Template text still in the record: an error, or for a draft one reminder listing what remains.
    left = placeholders.unfinished(raw, schema, templates)
    if data.get("draft"):
        fields = [f"{u.label}（第 {u.line} 行）" for u in left if u.path]
        body = [str(u.line) for u in left if not u.path]
        remaining = "、".join(fields + ([f"正文（第 {'、'.join(body)} 行）"] if body else []))
        add("draft", "草稿，不会发布", severity=WARNING,
            hint=(f"发布前还要改写模板中的占位文字：{remaining}；改完后" if remaining else "确认内容无误后")
            + "删除 draft: true 这一行即可发布")
    else:
        for u in left:
            problems.add(file, u.line, u.label, u.message, got=u.got, hint=u.hint)
    unfinished_keys = {u.path[0] for u in left if u.path}

    written, published = parse_date(data["written_on"]), parse_date(data["published_on"])
    for key, value in (("written_on", written), ("published_on", published)):
        if value is None:
            add(key, "日期不存在", expected="真实存在的日期，格式 YYYY-MM-DD", got=data[key],
                hint=impossible_date_hint(data[key]))
    if written and published and published < written:
        add("published_on", "发布日期早于成文日期", expected=f"不早于成文日期 {data['written_on']}",
            got=data["published_on"], hint="请核对两个日期：信息应在形成之后才能发布")

    if published and published > date.today():
        add("published_on", "发布日期晚于今天", got=data["published_on"],
            hint="请核对发布日期；信息会按这个日期显示在目录中", severity=WARNING)
    if data["summary"].strip() == data["title"].strip():
        add("summary", "内容概述与标题相同", expected="概括主要内容，不要重复标题", got=data["summary"],
            hint="用一两句话说明这条信息的要点，例如涉及的对象、标准、时间")

    publisher = settings.organisation_named(data["publisher"])
    if publisher is None:
        close = difflib.get_close_matches(data["publisher"], [o.name for o in settings.organisations], n=1)
        add("publisher", "未知发布机构", expected="site.yml 中登记的机构全称："
            + "、".join(o.name for o in settings.organisations), got=data["publisher"],
            hint=f"是否应为 {close[0]}?" if close else "新机构请先在 site.yml 的 organisations 中登记")

    if data["topic"] not in settings.topics:
        # 民政 for 民政、扶贫、救灾: a topic written short is one of the listed topics that contains it.
        close = ([t for t in settings.topics if data["topic"].strip() and data["topic"].strip() in t][:1]
                 or difflib.get_close_matches(data["topic"], settings.topics, n=1))
        add("topic", "未知主题分类", expected="site.yml 中 topics 列出的主题分类之一", got=data["topic"],
            hint=f"是否应为 {close[0]}?" if close else "可选的主题分类见 site.yml 的 topics")

    if "doc_no" in data and "doc_no" not in unfinished_keys:
        sample = doc_no_example(settings, publisher, written.year if written else date.today().year)
        bad = doc_no_problem(data["doc_no"], sample)
        if bad:
            add("doc_no", bad[0], expected=f"机关代字〔年份〕序号号，例如 {sample}", got=data["doc_no"], hint=bad[1])

    index = template.parse(data["index_no"])
    if index is None:
        add("index_no", "索引号不符合本网站的索引号规则", expected=f"按模板 {settings.index_template} 生成，例如 "
            + template.format(org_code=publisher.org_code if publisher else "机构代码", year=2025, seq=1),
            got=data["index_no"], hint=f"新建信息请用 {new_command(content, category.id)} 自动分配索引号")
    else:
        if publisher and "org_code" in index and index["org_code"] != publisher.org_code:
            add("index_no", "索引号中的机构代码与发布机构不一致", expected=f"{publisher.name} 的机构代码 {publisher.org_code}",
                got=index["org_code"], hint="索引号按发布机构编号；更换发布机构时请重新分配索引号")
        if published and "year" in index and index["year"] != published.year:
            add("index_no", "索引号中的年份与发布日期不一致", expected=str(published.year), got=str(index["year"]),
                hint="索引号的年份取发布日期所在年份")
        if index["seq"] == 0:
            add("index_no", "索引号流水号不能为 0", got=data["index_no"])

    links = []          # what the page and sheets will link to or show, checked across records (references.py)
    for field, text, line, as_written in marked_texts(raw, category.label):
        findings, found = read_markup(text, line)
        for finding in findings:
            problems.add(file, placed(finding.line, (finding.got,), as_written), field, finding.message,
                         got=finding.got, hint=finding.hint)
        links += [(field, replace(link, line=placed(link.line, link_forms(link.url), as_written))) for link in found]

    attachments = _attachments(raw, settings, content, problems)
    if data.get("audience", "public") != "exempt":
        privacy.scan(raw, attachments, settings.public_numbers, problems, category.label)

    moved = _year_folder_move(raw, published)
    if moved:
        folder_year, command = moved
        add("published_on", f"文件放在 {folder_year} 年的目录中，但发布日期在 {published.year} 年",
            expected=f"放在发布年份 {published.year} 的目录中（页面网址和归档都按发布年份）", got=data["published_on"],
            hint=f"发布日期无误的，请在项目目录运行：{command}（不用 git 的，把 git mv 换成 mv）；"
                 "发布日期写错的，请改正发布日期")

    publicity = read_publicity(data, doc, file, category.schema, problems)   # 公示期, postings, 明白纸, 名单
    lifecycle = read_lifecycle(data, doc, file, category.schema, published, problems)   # validity, 更正, 撤回
    tables = datasets.read_datasets(raw, category, published, publicity.notice_period, problems)   # budget, AQI …

    if None in (written, published, publisher) or index is None:
        return None
    elements = data.get("service_elements") or {}
    return Record(
        source=file,
        source_digest=raw.digest,
        category=category,
        page_path=raw.page_path,
        index_no=data["index_no"],
        title=data["title"].strip(),
        topic=data["topic"],
        publisher=publisher,
        written_on=written,
        published_on=published,
        summary=data["summary"].strip(),
        body=raw.body,
        doc_no="" if "doc_no" in unfinished_keys else data.get("doc_no", ""),   # a placeholder is no 文号
        validity=data.get("validity", ""),
        disclosure=data.get("disclosure", "主动公开"),
        audience=data.get("audience", "public"),
        genre=data.get("genre", ""),
        keywords=tuple(data.get("keywords", ())),
        draft=bool(data.get("draft", False)),
        interprets=data.get("interprets"),
        attachments=attachments,
        links=tuple(links),
        service_elements=tuple((label, elements[key].strip()) for key, label in SERVICE_ELEMENT_LABELS
                               if elements.get(key)),
        notice_period=publicity.notice_period or tables.notice_period,
        postings=publicity.postings,
        leaflet=publicity.leaflet,
        recipients=publicity.recipients,
        datasets=tables.items,
        data=freeze(data),
        lifecycle=lifecycle,
    )


def doc_no_example(settings: Settings, publisher, year: int) -> str:
    """A 文号 to show in messages: the publisher's 机关代字, another organisation's of this site, or neutral."""
    prefixes = [o.doc_prefix for o in ((publisher,) if publisher else ()) + settings.organisations if o.doc_prefix]
    return doc_number_example(prefixes[0] if prefixes else None, year)


def _year_folder_move(raw: RawRecord, published: date | None) -> tuple[str, str] | None:
    """(folder year, the command that moves the file and its attachment folder) when they disagree.

    The command uses the path as the editor gave it (content/… or ../county/…), so it can be pasted."""
    page_parts = raw.page_path.split("/")
    if published is None or len(page_parts) < 3 or not re.fullmatch(r"\d{4}", page_parts[1]):
        return None
    if int(page_parts[1]) == published.year:
        return None
    shown = PurePosixPath(Path(raw.shown).as_posix()).with_suffix("")
    k = len(shown.parts) - len(page_parts) + 1        # where the year folder is in the path as given
    target = PurePosixPath(*shown.parts[:k], str(published.year), *shown.parts[k + 1:])
    year_dir = raw.path.parents[len(page_parts) - 2]
    commands = []
    if not year_dir.parent.joinpath(str(published.year), *page_parts[2:-1]).is_dir():
        commands.append(f"mkdir -p {shlex.quote(str(target.parent))}")
    commands.append(f"git mv {shlex.quote(str(shown) + '.md')} {shlex.quote(str(target) + '.md')}")
    if raw.path.with_suffix("").is_dir():     # the record's attachments travel with it
        commands.append(f"git mv {shlex.quote(str(shown))} {shlex.quote(str(target))}")
    return page_parts[1], " && ".join(commands)


def _attachments(raw: RawRecord, settings: Settings, content: Path, problems: Problems) -> tuple[Attachment, ...]:
    result = []
    doc = raw.front
    for i, item in enumerate(raw.front.data.get("attachments", ())):
        line = doc.line_of(("attachments", i, "file"))
        field = f"附件 (attachments) 第 {i + 1} 项"
        name = item["file"]
        target = raw.path.parent / name
        if PurePosixPath(name).is_absolute() or "\\" in name or not _inside(target, content):
            problems.add(raw.shown, line, field, "附件路径超出了内容目录", got=name,
                         hint=f"附件必须放在内容目录 {display_path(content)} 内，路径相对于本文件所在目录，"
                              f"例如 {raw.path.stem}/附件1.pdf")
            continue
        if not target.is_file():
            problems.add(raw.shown, line, field, "附件文件不存在", got=name,
                         hint=f"请把附件放到 {display_path(target.parent)} 目录中，并核对文件名（包括扩展名）")
            continue
        ext = target.suffix.lower().lstrip(".")
        if ext not in settings.attachment_types:
            problems.add(raw.shown, line, field, "不支持的附件类型", got=target.suffix or "（无扩展名）",
                         expected="、".join(sorted(settings.attachment_types)),
                         hint="请转换为 PDF 或 OFD 等允许的格式后再上传")
            continue
        try:
            instead = file_types.mismatch(target, ext)
        except OSError as exc:
            problems.add(raw.shown, line, field, "附件无法读取", expected="当前用户可以读取的文件",
                         got=f"{name}：{exc.strerror or exc}",
                         hint="请确认附件没有损坏、可以打开，并且当前用户有读取权限")
            continue
        if instead is not None:
            problems.add(raw.shown, line, field, "附件内容与扩展名不符", got=f"{name}：扩展名是 .{ext}，内容是{instead}",
                         expected=f"{settings.attachment_types[ext]}（.{ext}）文件",
                         hint=f"请用原来的软件重新导出或另存为 .{ext} 文件；若文件本身无误，请把扩展名改成与内容相符的类型"
                              "（该类型须列在 site.yml 的 attachment_types 中）")
            continue
        # Mirror the content tree so relative links in the body keep working in the built site.
        docs_path = target.resolve().relative_to(content.resolve()).as_posix()
        result.append(Attachment(target, docs_path, item.get("title") or target.stem,
                                 settings.attachment_types[ext], target.stat().st_size))
    return tuple(result)
