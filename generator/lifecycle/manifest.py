"""The manifest of published records (发布清单): content/_published.json, so nothing published is lost in silence.

`build` of the public site writes it, once the site is in place: for each published record its 索引号, path
(its address), title, publication date, a digest of what readers see, and how many corrections (更新记录) it
had. It lives inside content/ and is committed with it. A later `check` or `build` compares against it:

- a published record whose file is gone, moved (its address changes) or carries another 索引号 is refused,
  naming it, until the file is put back; a record that has to come off the site is marked `withdrawn` instead
  (a tombstone then stays at its address). Only after the retention years (site.yml `retention_years`,
  default 10) from its publication may it leave content/;
- a published record made a draft, internal or exempt is refused the same way (it, too, would vanish);
- a published record whose text or key fields changed without a new 更新记录 entry is refused: a correction
  needs its note (更正). Fields that record the record's life (validity, corrections, withdrawal, postings)
  may change without one.

The manifest is enforced only where it exists: content that was never built (a fixture, a new county) has
none, and `build` creates it. It is JSON, one record a line, sorted by path: quick to read at 100,000 records,
no YAML aliases to expand, and a small diff in git.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

from ..atomic import write_text
from ..load import Loaded
from ..model import Record, Settings
from ..problems import CAUSE, Problems, display_path
from ..worlddigest import MANIFEST     # named there, for the quick path of check (checkmemo.py)

# Front-matter fields that record a record's life rather than what it says: they change without a 更新记录.
LIFE_FIELDS = frozenset({"change_log", "withdrawn", "validity", "valid_from", "valid_until", "repealed_on",
                         "repealed_by", "superseded_by", "amends", "postings", "keywords", "privacy_exceptions"})
_NOTE = ("发布清单：记录已经发布过的每一条信息，由 build 自动维护，请不要手工修改，请和内容文件一起提交。"
         "已发布的信息不能删除或改名；要从网站撤下，请在信息头中写 withdrawn（撤回日期和原因）。")


@dataclass(frozen=True)
class Entry:
    index_no: str
    path: str               # page path: category/year/slug (its address on the site)
    title: str
    published_on: str       # YYYY-MM-DD
    digest: str             # of what readers see (text_digest)
    notes: int = 0          # 更新记录 entries when it was last built
    withdrawn_on: str = ""  # YYYY-MM-DD when only its tombstone is published


_FIELDS = {f.name for f in fields(Entry)}


def manifest_path(content: Path) -> Path:
    return content / MANIFEST


def text_digest(record: Record) -> str:
    """What a correction changes: the body, the front matter but its life fields, the attachments' bytes.

    Kept on the frozen record once computed (compare, then write_manifest, ask for it in one build), and so
    in the check cache with it (checkcache.py keeps records without attachments, whose digest is final)."""
    known = record.__dict__.get(_MEMO)
    if known is None:
        known = _text_digest(record)
        object.__setattr__(record, _MEMO, known)
    return known


_MEMO = "_text_digest"


def _text_digest(record: Record) -> str:
    from ..contenttypes import thaw
    front = {k: v for k, v in thaw(record.data).items() if k not in LIFE_FIELDS}
    body = "\n".join(line.rstrip() for line in record.body.replace("\r\n", "\n").split("\n")).strip()
    h = hashlib.sha256(json.dumps(front, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8"))
    h.update(b"\0" + body.encode("utf-8"))
    for a in record.attachments:
        h.update(b"\0" + a.docs_path.encode("utf-8") + b"\0" + a.title.encode("utf-8") + b"\0")
        with a.source.open("rb") as f:
            h.update(hashlib.file_digest(f, "sha256").digest())
    return h.hexdigest()


def read_manifest(content: Path, problems: Problems) -> dict[str, Entry] | None:
    """path -> Entry; None when there is no manifest (nothing is enforced) or it cannot be read (reported)."""
    path = manifest_path(content)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_bytes())
        entries = [Entry(**{k: v for k, v in item.items()}) for item in data["records"]]
        if not all(isinstance(e.path, str) and isinstance(e.index_no, str) and isinstance(e.notes, int)
                   for e in entries):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        problems.add(display_path(path), None, "发布清单", "发布清单已损坏，无法读取", rank=CAUSE,
                     hint="这个文件由 build 自动维护，请不要手工修改。请用 git 恢复最近一次提交的版本："
                          f"git checkout -- {display_path(path)}")
        return None
    return {e.path: e for e in entries}


def compare(content: Path, loaded: Loaded, records: list[Record], settings: Settings, categories, problems: Problems,
            today: date) -> None:
    """Refuse what would lose or silently change a published record (see the module's docstring).

    categories: those that could be read; the records of a category whose declaration has errors were not
    loaded (the errors are reported in its _category.yml), so they are not called missing."""
    entries = read_manifest(content, problems)
    if not entries:
        return
    raws = {raw.page_path: raw for raw in loaded.records}
    unreadable = {u.page_path for u in loaded.unreadable}
    valid = {r.page_path: r for r in records}
    where = {r.index_no: r for r in records}
    shown_manifest = display_path(manifest_path(content))
    for path, entry in entries.items():
        shown = display_path(content / (path + ".md")) if path not in raws else ""   # asked for when gone
        name = f"「{entry.title}」（索引号 {entry.index_no}，{entry.published_on} 发布）"
        if path in unreadable or path.split("/")[0] not in categories:
            continue                    # reported where it is: its number cannot be read
        raw = raws.get(path)
        if raw is None:
            if _retained_until(entry, settings) < today:
                continue                # kept for the retention years: it may go now
            moved = where.get(entry.index_no)
            if moved is not None:
                problems.add(moved.source, None, "文件位置", f"已发布的信息{name}换了位置，网址会改变",
                             expected=f"留在原来的位置 {shown}", got=moved.source,
                             hint="已发布的信息网址不能改变，读者和其他网站的链接会失效：请把文件（和同名的附件目录）"
                                  f"移回 {shown}（用 git mv）")
            else:
                problems.add(shown, None, "发布清单", f"已发布的信息{name}不见了", rank=CAUSE,
                             expected=f"文件 {shown}",
                             hint=f"已发布的信息不能删除（发布清单 {shown_manifest} 中有它）。误删的请用 git 恢复："
                                  f"git checkout -- {shown}；确实要从网站撤下的，请恢复文件，在信息头中写 "
                                  "withdrawn: {date: 撤回日期, reason: 撤回原因}，原网址会保留一页撤回说明。"
                                  f"发布满 {settings.retention_years} 年（site.yml 的 retention_years）后才可以删除")
            continue
        current = raw.front.data.get("index_no") if isinstance(raw.front.data, dict) else None
        if isinstance(current, str) and current != entry.index_no:
            problems.add(raw.shown, raw.front.line_of(("index_no",)), "索引号 (index_no)",
                         "已发布的信息换了索引号", expected=entry.index_no, got=current, rank=CAUSE,
                         hint="索引号发布后不能改变，请改回原来的索引号。要发布另一份信息，请用 new 命令新建一个文件")
            continue
        record = valid.get(path)
        if record is None:
            continue                    # errors of its own are reported in its file
        if record.withdrawn:
            continue
        if not record.is_published:
            state = "草稿" if record.draft else {"internal": "内部公开", "exempt": "免予公开"}.get(record.audience, "不公开")
            key = "draft" if record.draft else "audience"
            problems.add(record.source, raw.front.line_of((key,)), key, f"已发布的信息{name}改成了{state}，会从网站上消失",
                         hint="已发布的信息不能悄悄撤下：请恢复原来的设置；确实要撤下的，请写 "
                              "withdrawn: {date: 撤回日期, reason: 撤回原因}，原网址会保留一页撤回说明")
            continue
        notes = len(record.lifecycle.change_log)
        if notes < entry.notes:
            problems.add(record.source, raw.front.line_of(("change_log",)), "更新记录 (change_log)",
                         "更新记录少了：已发布的更新记录不能删除", expected=f"至少 {entry.notes} 项", got=f"{notes} 项",
                         hint="请用 git 恢复删掉的更新记录；更新记录只能增加")
        elif notes == entry.notes and text_digest(record) != entry.digest:
            example = f"{{date: {today.isoformat()}, level: 一般, note: 更正第二段中的错别字}}"
            has_log = ("change_log",) in raw.front.lines
            problems.add(record.source, raw.front.lines.get(("change_log",)) or max(raw.front.lines.values(), default=1),
                         "更新记录 (change_log)", f"已发布的信息{name}有改动，但没有写更新说明",
                         hint=(f"请在 change_log 下面加一行 - {example}" if has_log else
                               f"请在信息头中加一行 change_log: [{example}]")
                              + "。影响办事、金额、期限、权利义务的更正写 level: 重大（订阅者会收到通知）；"
                                "错别字、格式等写 level: 一般")


def _retained_until(entry: Entry, settings: Settings) -> date:
    start = date.fromisoformat(entry.withdrawn_on or entry.published_on)
    try:
        return start.replace(year=start.year + settings.retention_years)
    except ValueError:          # 29 February
        return start.replace(year=start.year + settings.retention_years, day=28)


def write_manifest(content: Path, records: list[Record]) -> int:
    """After a successful public build: every published record (tombstones included) as it is now. An entry
    whose record left after its retention years is dropped. Written whole or not at all; returns the count."""
    entries = sorted(({"index_no": r.index_no, "path": r.page_path, "title": r.title,
                       "published_on": r.published_on.isoformat(), "digest": text_digest(r),
                       "notes": len(r.lifecycle.change_log),
                       "withdrawn_on": r.lifecycle.withdrawn.on.isoformat() if r.lifecycle.withdrawn else ""}
                      for r in records if r.is_published), key=lambda e: e["path"])
    assert not entries or entries[0].keys() == _FIELDS, "an entry is written with the fields Entry reads"
    # One encoder for every line: json.dumps with options makes a new one each call (a tenth of a second of a
    # rebuild of 10,000 records); the text is the same.
    encode = json.JSONEncoder(ensure_ascii=False).encode
    lines = ",\n".join(encode(e) for e in entries)
    text = "{\"说明\": " + json.dumps(_NOTE, ensure_ascii=False) + ",\n\"records\": [\n" + lines + "\n]}\n"
    path = manifest_path(content)
    try:
        if path.read_text(encoding="utf-8") == text:
            return len(entries)         # unchanged: the file (and git) stay untouched
    except OSError:
        pass
    write_text(path, text)
    return len(entries)
