"""Checks across records: unique numbers, documents and their interpretations, links between records."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urlsplit

from ..load import RawRecord, Unreadable
from ..model import Category, Record
from ..problems import CAUSE, WARNING, Problems, new_command
from ..sourcefile import inside as _inside
from .markup import is_external


def check_all(records: list[Record], raws: list[RawRecord], categories: dict[str, Category], content: Path,
              problems: Problems, unreadable: Iterable[Unreadable] = ()) -> None:
    """records: those whose 索引号 is unique (see check_unique_index_numbers); unreadable: files not read, whose
    numbers and paths are known to exist, so nothing that names them is reported missing."""
    unreadable = list(unreadable)
    _check_unique_doc_numbers(records, raws, problems)
    _check_interpretations(records, raws, categories, problems, unreadable)
    _check_record_links(records, raws, content, problems, unreadable)


def check_unique_index_numbers(raws: list[RawRecord], content: Path, problems: Problems) -> set[str]:
    """Report a 索引号 used twice on every file that uses it, first in each; return the numbers used twice.

    A duplicated number resolves to no record: the caller leaves its records out of every check that looks a
    number up, so an interpretation is never linked to, or judged against, the wrong document."""
    holders: dict[str, list[RawRecord]] = defaultdict(list)
    for raw in raws:
        value = raw.front.data.get("index_no") if isinstance(raw.front.data, dict) else None
        if isinstance(value, str):
            holders[value].append(raw)
    duplicated = {value for value, group in holders.items() if len(group) > 1}
    for value in duplicated:
        group = holders[value]
        for raw in group:
            others = "、".join(f"{o.shown} 第 {o.front.line_of(('index_no',))} 行" for o in group if o is not raw)
            problems.add(raw.shown, raw.front.line_of(("index_no",)), "索引号 (index_no)", "索引号重复",
                         got=value, expected="全站唯一的索引号", rank=CAUSE,
                         hint=f"与 {others}重复。索引号一经使用不得重复：请保留原有信息的索引号，为后来新建的那一条"
                              f"重新分配（{new_command(content, raw.category_id)}，再把正文移过去）。"
                              "改正之前，按这个索引号查找信息的检查（政策解读等）都已跳过")
    return duplicated


def _check_interpretations(records: list[Record], raws: list[RawRecord], categories: dict[str, Category],
                           problems: Problems, unreadable: list[Unreadable]) -> None:
    by_index = {r.index_no: r for r in records}
    # A target that exists but has errors of its own (or could not be read, or shares its number) is reported
    # there; do not repeat it here.
    anywhere = {raw.front.data.get("index_no") for raw in raws} | {u.index_no for u in unreadable}
    lines = _Lines({raw.shown: raw.front for raw in raws}, ("interprets",))
    for record in records:
        if not record.interprets:
            continue
        target = by_index.get(record.interprets)
        if target is None and record.interprets in anywhere:
            continue
        if target is None:
            problems.add(record.source, lines.get(record.source), "解读的文件 (interprets)",
                         "找不到被解读的文件", got=record.interprets, expected="本网站已有信息的索引号",
                         hint="请核对被解读文件的索引号")
        elif record.is_published and not target.is_published:
            problems.add(record.source, lines.get(record.source), "解读的文件 (interprets)",
                         "被解读的文件不公开，解读却要公开", got=record.interprets,
                         hint="请先公开被解读的文件，或把这篇解读也设为不公开")
        elif record.published_on < target.published_on:
            problems.add(record.source, lines.get(record.source), "解读的文件 (interprets)",
                         "解读的发布日期早于被解读的文件", expected=f"不早于 {target.published_on.isoformat()}",
                         got=record.published_on.isoformat(), hint="解读应与文件同步或在文件之后发布，请核对发布日期")
    # 三同步: documents of categories that require it are published with an interpretation. An interpretation
    # with errors of its own, or one that could not be read, still counts: it is reported where it is.
    interpreted = {raw.front.data.get("interprets") for raw in raws} | {u.interprets for u in unreadable}
    for record in records:
        if (record.is_published and record.category.requires_interpretation
                and record.index_no not in interpreted and record.validity in ("", "有效")):
            problems.add(record.source, None, "政策解读", "这份文件还没有政策解读",
                         hint="请在政策解读分类中新建解读，并用 interprets 填写本文件的索引号", severity=WARNING)


def _check_record_links(records: list[Record], raws: list[RawRecord], content: Path, problems: Problems,
                        unreadable: list[Unreadable]) -> None:
    """Relative links in bodies, and in the fields printed on paper, must reach a published record or one of
    the record's own attachments (an image in a printed field is drawn onto the sheet)."""
    published = {r.page_path for r in records if r.is_published}
    # Records with errors of their own are reported there; a link to one is not a second problem.
    failed = ({raw.page_path for raw in raws} - {r.page_path for r in records}) | {u.page_path for u in unreadable}
    folders = {raw.shown: raw.path.parent for raw in raws}
    for record in records:
        if not record.is_published or not record.links:
            continue
        own = {a.source.resolve() for a in record.attachments}
        for field, link in record.links:
            _check_link(link, field, record, folders[record.source], content, published, failed, own, problems)


def _check_link(link, field: str, record: Record, folder: Path, content: Path, published: set[str],
                failed: set[str], own: set[Path], problems: Problems) -> None:
    url = link.url
    if not url or url.startswith("#") or is_external(url):
        return
    path = unquote(urlsplit(url).path)
    if path.startswith("/"):
        problems.add(record.source, link.line, field, "链接不能以 / 开头", got=url,
                     hint="网站可能部署在子目录下；请使用相对路径，例如 ../2024/other.md")
        return
    target = folder / path
    if not _inside(target, content):
        problems.add(record.source, link.line, field, "链接指向内容目录之外", got=url,
                     hint="只能链接本网站的信息（.md 文件）或本信息的附件")
    elif target.suffix == ".md":
        page = target.resolve().relative_to(content.resolve()).with_suffix("").as_posix()
        if page not in published and page not in failed:
            problems.add(record.source, link.line, field, "链接指向的信息不存在或不公开", got=url,
                         hint="请核对文件路径；不公开的信息不能被链接")
    elif target.resolve() not in own:
        problems.add(record.source, link.line, field, "链接的文件不是本信息的附件", got=url,
                     hint="请把该文件写入 attachments 列表，并核对路径")


class _Lines:
    """The line of one field in each file, looked up when a problem is reported (most files have none)."""

    def __init__(self, fronts: dict, key: tuple):
        self.fronts, self.key = fronts, key

    def get(self, shown: str) -> int | None:
        front = self.fronts.get(shown)
        return front.line_of(self.key) if front is not None else None


def _check_unique_doc_numbers(records: list[Record], raws: list[RawRecord], problems: Problems) -> None:
    lines = _Lines({raw.shown: raw.front for raw in raws}, ("doc_no",))
    first: dict[str, Record] = {}
    for record in records:
        if not record.doc_no:
            continue
        other = first.setdefault(record.doc_no, record)
        if other is not record:
            problems.add(record.source, lines.get(record.source), "文号 (doc_no)", "文号重复",
                         got=record.doc_no, hint=f"与 {other.source} 的文号相同；同一文号只能对应一份文件")
        year = record.doc_no.split("〔")[1][:4] if "〔" in record.doc_no else None
        if year and year.isdigit() and int(year) != record.written_on.year:
            problems.add(record.source, lines.get(record.source), "文号 (doc_no)",
                         f"文号中的年份 {year} 与成文日期 {record.written_on.isoformat()} 不一致",
                         hint="文号的年份一般是成文（签发）的年份，请核对", severity=WARNING)
