"""Raw records -> frozen Records, collecting every problem on the way.

A record that has any error is left out of the result, but checking goes on for all of them: the editor
gets the whole list in one run.
"""
from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path, PurePosixPath

from .contenttypes import thaw
from .load import RawRecord
from .model import SERVICE_ELEMENT_LABELS, Attachment, Category, Record, Settings, freeze
from .problems import WARNING, Problems
from .rules.dates import impossible_date_hint, parse_date
from .rules.doc_numbers import doc_no_problem
from .rules.index_numbers import IndexTemplate
from .rules import datasets, privacy, references
from .rules.markup import unsafe_markup
from .schema_check import check_against
from .sourcefile import inside as _inside
from .rules.publicity import read_publicity


def validate(raws: list[RawRecord], settings: Settings, categories: dict[str, Category],
             content: Path, problems: Problems) -> list[Record]:
    records = []
    template = IndexTemplate(settings.index_template)
    schemas = {cat_id: thaw(category.schema) for cat_id, category in categories.items()}
    for raw in raws:
        before = len(problems.errors)
        record = _validate_one(raw, settings, categories[raw.category_id], schemas[raw.category_id], template,
                               content, problems)
        if record is not None and len(problems.errors) == before:
            records.append(record)
    # Checks across records: numbers, pairs of document and interpretation, links.
    references.check_all(records, raws, categories, content, problems)
    datasets.check_across(records, raws, problems)   # 预算 vs 决算, a year's projects, an EIA's stages
    return records


def _validate_one(raw: RawRecord, settings: Settings, category: Category, schema: dict, template: IndexTemplate,
                  content: Path, problems: Problems) -> Record | None:
    data, doc, file = raw.front.data, raw.front, raw.shown
    if check_against(schema, data, doc, file, problems):
        return None

    def add(key, message, **kw):
        problems.add(file, doc.line_of((key,)), _label(category, key), message, **kw)

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
        close = difflib.get_close_matches(data["topic"], settings.topics, n=1)
        add("topic", "未知主题分类", expected="site.yml 中 topics 列出的主题分类之一", got=data["topic"],
            hint=f"是否应为 {close[0]}?" if close else "可选的主题分类见 site.yml 的 topics")

    if "doc_no" in data:
        bad = doc_no_problem(data["doc_no"])
        if bad:
            add("doc_no", bad[0], expected="机关代字〔年份〕序号号，例如 示民发〔2025〕3号",
                got=data["doc_no"], hint=bad[1])

    index = template.parse(data["index_no"])
    if index is None:
        add("index_no", "索引号不符合本网站的索引号规则", expected=f"按模板 {settings.index_template} 生成，例如 "
            + template.format(org_code=publisher.org_code if publisher else "机构代码", year=2025, seq=1),
            got=data["index_no"], hint="新建信息请用 python -m generator new 自动分配索引号")
    else:
        if publisher and "org_code" in index and index["org_code"] != publisher.org_code:
            add("index_no", "索引号中的机构代码与发布机构不一致", expected=f"{publisher.name} 的机构代码 {publisher.org_code}",
                got=index["org_code"], hint="索引号按发布机构编号；更换发布机构时请重新分配索引号")
        if published and "year" in index and index["year"] != published.year:
            add("index_no", "索引号中的年份与发布日期不一致", expected=str(published.year), got=str(index["year"]),
                hint="索引号的年份取发布日期所在年份")
        if index["seq"] == 0:
            add("index_no", "索引号流水号不能为 0", got=data["index_no"])

    for finding in unsafe_markup(raw.body, raw.body_line):
        problems.add(file, finding.line, "正文", finding.message, got=finding.got, hint=finding.hint)

    attachments = _attachments(raw, settings, content, problems)
    if data.get("audience", "public") != "exempt":
        privacy.scan(raw, attachments, settings.public_numbers, problems, lambda key: _label(category, key))

    if raw.page_path.split("/")[1:2] and raw.page_path.split("/")[1].isdigit() and published:
        folder_year = raw.page_path.split("/")[1]
        if len(folder_year) == 4 and int(folder_year) != published.year:
            problems.add(file, doc.line_of(("published_on",)), _label(category, "published_on"),
                         f"文件放在 {folder_year} 年的目录中，但发布日期在 {published.year} 年",
                         hint="建议把文件移到发布年份的目录，便于查找", severity=WARNING)

    if data.get("draft"):
        problems.add(file, doc.line_of(("draft",)), _label(category, "draft"), "草稿，不会发布",
                     hint="确认内容无误后删除 draft: true 这一行即可发布", severity=WARNING)

    publicity = read_publicity(data, doc, file, category.schema, problems)   # 公示期, postings, 明白纸, 名单
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
        doc_no=data.get("doc_no", ""),
        validity=data.get("validity", ""),
        disclosure=data.get("disclosure", "主动公开"),
        audience=data.get("audience", "public"),
        genre=data.get("genre", ""),
        keywords=tuple(data.get("keywords", ())),
        draft=bool(data.get("draft", False)),
        interprets=data.get("interprets"),
        attachments=attachments,
        service_elements=tuple((label, elements[key].strip()) for key, label in SERVICE_ELEMENT_LABELS
                               if elements.get(key)),
        notice_period=publicity.notice_period or tables.notice_period,
        postings=publicity.postings,
        leaflet=publicity.leaflet,
        recipients=publicity.recipients,
        datasets=tables.items,
        data=freeze(data),
    )


def _label(category: Category, key: str) -> str:
    title = category.schema["properties"].get(key, {}).get("title")
    return f"{title} ({key})" if title else key


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
                         hint="附件必须放在 content 目录内，路径相对于本文件所在目录，例如 dibao-2025/附件1.pdf")
            continue
        if not target.is_file():
            problems.add(raw.shown, line, field, "附件文件不存在", got=name,
                         hint=f"请把附件放到 {target.parent.relative_to(content.parent) if _inside(target.parent, content.parent) else target.parent} 目录中，并核对文件名（包括扩展名）")
            continue
        ext = target.suffix.lower().lstrip(".")
        if ext not in settings.attachment_types:
            problems.add(raw.shown, line, field, "不支持的附件类型", got=target.suffix or "（无扩展名）",
                         expected="、".join(sorted(settings.attachment_types)),
                         hint="请转换为 PDF 或 OFD 等允许的格式后再上传")
            continue
        # Mirror the content tree so relative links in the body keep working in the built site.
        docs_path = target.resolve().relative_to(content.resolve()).as_posix()
        result.append(Attachment(target, docs_path, item.get("title") or target.stem,
                                 settings.attachment_types[ext], target.stat().st_size))
    return tuple(result)
