"""Files -> raw records with source positions. Nothing is interpreted here beyond the file format."""
from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .problems import CAUSE, Problems, display_path, new_command
from .sourcefile import LIMITS, SourceError, YamlDocument, inside, read_text, split_front_matter
from .yaml_causes import odd_key, visible

PATH_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
TOP_LEVEL_FILES = {"site.yml", "_schema.yml", "_ledger.yml", "_published.json"}   # _published: lifecycle/manifest.py
# Generated listing pages live at <category>/index.md, <category>/page/N.md and <category>/<year>/index.md.
RESERVED_PARTS = {"index", "page", "data"}   # data: <category>/data/ holds the generated data pages


@dataclass
class RawRecord:
    path: Path            # absolute
    shown: str            # as printed in messages
    category_id: str
    page_path: str        # category/sub/dirs/slug
    front: YamlDocument
    body: str
    body_line: int
    digest: str = ""      # sha1 of the text: what a rendered page of this record may be reused on (render.py)


def candidates(content: Path) -> list[tuple[Path, str]]:
    """Everything named like a record (.md in any letter case) outside hidden and _ folders, with its path
    relative to content, in path order. Linked folders are listed but not entered. (Strings, not Path
    objects, until the end: on ten thousand files pathlib's parsing was most of a warm `check`.)"""
    found = []
    for folder, folders, files in os.walk(content):
        below = os.path.relpath(folder, content)
        prefix = "" if below == "." else below + "/"
        folders[:] = [f for f in folders if not f.startswith((".", "_"))]
        found += [prefix + name for name in (*files, *folders)
                  if not name.startswith((".", "_")) and os.path.splitext(name)[1].lower() == ".md"]
    found.sort(key=lambda rel: rel.split("/"))
    return [(content / rel, rel) for rel in found]


def _named_like_records(content: Path) -> list[Path]:
    return [path for path, _ in candidates(content)]


def lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def not_a_record(path: Path, content: Path, facts: os.stat_result | None = None) -> tuple[str, str] | None:
    """Why a file named like a record cannot be read as one (message, hint), or None when it can (facts: its
    lstat, when the caller has it)."""
    try:
        if stat.S_ISREG((facts or os.lstat(path)).st_mode):      # the common case in one system call
            return None if path.suffix == ".md" else ("扩展名必须是小写的 .md", f"请把文件改名为 {path.stem}.md")
    except OSError:
        pass
    if path.suffix != ".md":
        return ("扩展名必须是小写的 .md", f"请把文件改名为 {path.stem}.md")
    if path.is_symlink() and not path.exists():
        return ("这是一个指向不存在文件的快捷方式（符号链接）", "请删除这个快捷方式，或换成真正的文件")
    if path.is_dir():
        return ("这是一个目录，不是信息文件", "目录名不要以 .md 结尾；附件目录与信息文件同名但不带 .md，例如 dibao-2025-03/")
    if not path.is_file():
        return ("这不是普通文件", "请换成用编辑器保存的 .md 文件")
    # Only a link can lead outside: the search (rglob) does not enter linked folders, and resolving every
    # path took most of a second on a large site.
    if path.is_symlink() and not inside(path, content):
        return ("这是指向内容目录之外的快捷方式（符号链接）", "请把文件本身放进内容目录")
    return None


@dataclass(frozen=True)
class Unreadable:
    """A record file that was not read (bad YAML, bad encoding, bad name). Checks across records must neither
    call what it names missing nor resolve its number to another record, so the numbers its text holds are
    kept, read line by line."""
    shown: str
    page_path: str
    category_id: str
    index_no: str | None
    interprets: str | None


@dataclass
class Loaded:
    records: list[RawRecord]
    unreadable: list[Unreadable]


UNPARSED = "此文件无法解析，其他文件中引用它的检查已跳过。"
UNUSED = "此文件没有读取，其他文件中引用它的检查已跳过。"
_SALVAGE = {key: re.compile(rf"^{key}\s*[:：]\s*[\"']?([^\"'\s#]+)", re.MULTILINE) for key in ("index_no", "interprets")}


def salvage(path: Path, content: Path, category_id: str) -> Unreadable:
    with path.open("rb") as f:      # a file refused for its size is salvaged from its head only
        text = f.read(LIMITS["text_file_max_bytes"]).decode("utf-8", errors="replace")
    found = {key: (m.group(1) if (m := rx.search(text)) else None) for key, rx in _SALVAGE.items()}
    return Unreadable(display_path(path), path.relative_to(content).with_suffix("").as_posix(), category_id,
                      found["index_no"], found["interprets"])


def _skipped(hint: str | None, note: str = UNPARSED) -> str:
    return f"{hint.rstrip('。')}。{note}" if hint else note


def record_files(content: Path) -> list[Path]:
    """The record files that can be read; load_records reports the others."""
    return [p for p in _named_like_records(content) if not_a_record(p, content) is None]


def load_records(content: Path, known_categories: set[str], problems: Problems, cache=None,
                 found: list[tuple[Path, str]] | None = None) -> Loaded:
    """Every record file read (cache: a checkcache.CheckCache whose unchanged files need no parsing; found:
    candidates(content), when the caller has listed them already)."""
    records, unreadable = [], []
    for path in sorted(content.iterdir()):
        if not path.is_dir() and path.name not in TOP_LEVEL_FILES and not path.name.startswith("."):
            problems.add(display_path(path), None, None, "内容目录顶层只能放 site.yml、_schema.yml 和分类目录",
                         got=path.name, hint="请把这个文件移到对应的分类目录中")
    content_shown = display_path(content)
    for path, rel in found if found is not None else candidates(content):
        # display_path(path), without asking for the working directory each time
        shown = rel if content_shown == "." else os.path.join(content_shown, rel)
        if "/" not in rel:
            continue  # top-level .md files were reported above
        facts = lstat(path)
        odd = not_a_record(path, content, facts)
        if odd:
            # Never skipped in silence: a record the editor believes published would otherwise be missing.
            problems.add(shown, None, "文件名", odd[0], got=path.name, hint=odd[1])
            continue
        category_id = rel.split("/")[0]
        if category_id not in known_categories and (content / category_id / "_category.yml").is_file():
            continue  # a category whose declaration has errors: they are reported in its _category.yml
        if category_id not in known_categories:
            problems.add(shown, None, "分类", "未知分类：所在目录不是已定义的分类", got=category_id,
                         expected="已定义的分类目录之一：" + "、".join(sorted(known_categories)),
                         hint=_skipped("请把文件移到已有的分类目录，或为新分类建立 _category.yml", UNUSED))
            unreadable.append(salvage(path, content, category_id))
            continue
        page_path = rel[:-3]
        parts = page_path.split("/")[1:]
        bad = [p for p in parts if not PATH_PART.match(p) or p in RESERVED_PARTS]
        if parts and (parts[-1].isdigit()):
            bad.append(parts[-1])
        if bad:
            problems.add(shown, None, "文件名", "文件名或目录名只能使用英文字母、数字、- 和 _,"
                         "且文件名不能是纯数字、index、page 或 data",
                         got="/".join(bad), hint=_skipped("网址由文件名生成；请改用 dibao-2025-03.md 这样的名称"
                                                          f"（新建信息请用 {new_command(content, category_id)}，"
                                                          "会自动命名）", UNUSED))
            unreadable.append(salvage(path, content, category_id))
            continue
        try:
            # An unchanged file of a clean record: its facts say so without reading it (checkcache.py).
            stamp = cache.stamp(facts) if cache else None
            known = cache.unread(page_path, stamp, path, shown) if cache else None
            if known is not None:
                records.append(known)
                continue
            text = read_text(path)
            digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
            known = cache.raw(page_path, digest, path, shown, stamp) if cache else None
            if known is not None:
                records.append(known)
                continue
            source = split_front_matter(text)
            refuse_odd_keys(source.front, text)
        except SourceError as exc:
            # Reported first in its file: whatever else it holds was not read.
            problems.add(shown, exc.line, None, exc.message, expected=exc.expected, got=exc.got,
                         hint=_skipped(exc.hint), rank=CAUSE, detail=exc.detail)
            unreadable.append(salvage(path, content, category_id))
            continue
        except OSError as exc:
            problems.add(shown, None, None, "无法读取文件", got=exc.strerror,
                         hint=_skipped("请检查文件是否被其他程序占用，以及当前用户是否有读取权限", UNUSED), rank=CAUSE)
            unreadable.append(salvage(path, content, category_id))
            continue
        if not isinstance(source.front.data, dict):
            problems.add(shown, 2, None, "信息头必须是一组 字段: 值", got=type(source.front.data).__name__,
                         hint=_skipped("每行写一个字段，例如 title: 关于……的通知"), rank=CAUSE)
            unreadable.append(salvage(path, content, category_id))
            continue
        for key_path, line in source.front.duplicates:
            problems.add(shown, line, str(key_path[-1]), "字段重复出现",
                         hint="同一个字段只能写一次；YAML 会用后一个值覆盖前一个，请删除多余的一行")
        records.append(RawRecord(path, shown, category_id, page_path,
                                 source.front, source.body, source.body_line, digest))
    return Loaded(records, unreadable)


def refuse_odd_keys(front: YamlDocument, text: str) -> None:
    """A full-width space before a field name parses, into a field called '　start': the file is as unusable
    as one YAML refuses, and schema messages about an unknown '　start' would not name the cause."""
    lines = text.split("\n")
    for key_path, line in front.lines.items():
        cause = odd_key(str(key_path[-1])) if key_path else None
        if cause is not None:
            raise SourceError(line, f"YAML 格式错误：{cause.message}", got=visible(lines[line - 1]), hint=cause.hint)
