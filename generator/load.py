"""Files -> raw records with source positions. Nothing is interpreted here beyond the file format."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .problems import Problems, display_path
from .sourcefile import SourceError, YamlDocument, read_text, split_front_matter

PATH_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
TOP_LEVEL_FILES = {"site.yml", "_schema.yml", "_ledger.yml"}
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


def record_files(content: Path) -> list[Path]:
    return sorted(p for p in content.rglob("*.md")
                  if not any(part.startswith((".", "_")) for part in p.relative_to(content).parts))


def load_records(content: Path, known_categories: set[str], problems: Problems) -> list[RawRecord]:
    records = []
    for path in sorted(content.iterdir()):
        if path.is_file() and path.name not in TOP_LEVEL_FILES and not path.name.startswith("."):
            problems.add(display_path(path), None, None, "内容目录顶层只能放 site.yml、_schema.yml 和分类目录",
                         got=path.name, hint="请把这个文件移到对应的分类目录中")
    for path in record_files(content):
        shown = display_path(path)
        rel = path.relative_to(content)
        if len(rel.parts) < 2:
            continue  # top-level .md files were reported above
        category_id = rel.parts[0]
        if category_id not in known_categories and (content / category_id / "_category.yml").is_file():
            continue  # a category whose declaration has errors: they are reported in its _category.yml
        if category_id not in known_categories:
            problems.add(shown, None, "分类", "未知分类：所在目录不是已定义的分类", got=category_id,
                         expected="已定义的分类目录之一：" + "、".join(sorted(known_categories)),
                         hint="请把文件移到已有的分类目录，或为新分类建立 _category.yml")
            continue
        parts = rel.with_suffix("").parts[1:]
        bad = [p for p in parts if not PATH_PART.match(p) or p in RESERVED_PARTS]
        if parts and (parts[-1].isdigit()):
            bad.append(parts[-1])
        if bad:
            problems.add(shown, None, "文件名", "文件名或目录名只能使用英文字母、数字、- 和 _,"
                         "且文件名不能是纯数字、index、page 或 data",
                         got="/".join(bad), hint="网址由文件名生成；请改用 dibao-2025-03.md 这样的名称"
                                                 "（新建信息请用 python -m generator new，会自动命名）")
            continue
        try:
            text = read_text(path)
            source = split_front_matter(text)
        except SourceError as exc:
            problems.add(shown, exc.line, None, exc.message, got=exc.got, hint=exc.hint)
            continue
        if not isinstance(source.front.data, dict):
            problems.add(shown, 2, None, "信息头必须是一组 字段: 值", got=type(source.front.data).__name__,
                         hint="每行写一个字段，例如 title: 关于……的通知")
            continue
        for key_path, line in source.front.duplicates:
            problems.add(shown, line, str(key_path[-1]), "字段重复出现",
                         hint="同一个字段只能写一次；YAML 会用后一个值覆盖前一个，请删除多余的一行")
        records.append(RawRecord(path, shown, category_id, rel.with_suffix("").as_posix(),
                                 source.front, source.body, source.body_line,
                                 hashlib.sha1(text.encode("utf-8")).hexdigest()))
    return records
