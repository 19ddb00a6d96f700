"""替代 (superseded_by) and 修改 (amends): links between records by 索引号, checked across records.

Both pages show the link (the old one names its successor in a banner, the new one links back), so a link to a
record that does not exist, or is not public while the page naming it is, is refused, like an interpretation
of a missing document (rules/references.py).
"""
from __future__ import annotations

from typing import Iterable

from ..load import RawRecord, Unreadable
from ..model import Record
from ..problems import WARNING, Problems

IN_FORCE = ("", "有效")


def check(records: list[Record], raws: list[RawRecord], problems: Problems,
          unreadable: Iterable[Unreadable] = ()) -> None:
    """records: those whose 索引号 is unique; a target with errors of its own (or unreadable, or sharing its
    number) is reported where it is, not here."""
    by_index = {r.index_no: r for r in records}
    anywhere = ({raw.front.data.get("index_no") for raw in raws if isinstance(raw.front.data, dict)}
                | {u.index_no for u in unreadable})
    docs = {raw.shown: raw.front for raw in raws}

    def line(record: Record, *path) -> int | None:
        doc = docs.get(record.source)
        return doc.line_of(path) if doc is not None else None

    def target(record: Record, key: str, label: str, index_no: str, path: tuple) -> Record | None:
        if index_no == record.index_no:
            problems.add(record.source, line(record, *path), label, "不能填写本文件自己的索引号", got=index_no,
                         hint="请填写另一份文件的索引号")
            return None
        found = by_index.get(index_no)
        if found is None:
            if index_no not in anywhere:
                problems.add(record.source, line(record, *path), label, f"找不到{key}", got=index_no,
                             expected="本网站已有信息的索引号",
                             hint="请从那份文件信息头的 index_no 复制索引号；它还没有建立时，请先新建它")
            return None
        if record.is_published and (not found.is_published or found.withdrawn):
            problems.add(record.source, line(record, *path), label, f"{key}不公开或已撤回，本文件却要公开并链接它",
                         got=index_no, hint="请先公开那份文件，或核对索引号")
            return None
        return found

    for record in records:
        life = record.lifecycle
        if life.superseded_by:
            label = "替代文件 (superseded_by)"
            successor = target(record, "替代文件", label, life.superseded_by, ("superseded_by",))
            if successor is not None and record.validity in IN_FORCE:
                problems.add(record.source, line(record, "validity"), "有效性 (validity)",
                             "已被替代的文件，有效性不能是「有效」", got=record.validity or "（没有填写）",
                             expected="失效 或 废止",
                             hint=f"本文件已由 {life.superseded_by} 替代：请把 validity 改为 失效，"
                                  "或改为 废止 并写明废止日期 repealed_on")
        for i, index_no in enumerate(life.amends):
            amended = target(record, "被修改的文件", f"修改的文件 (amends) 第 {i + 1} 项", index_no, ("amends", i))
            if amended is not None and amended.validity in IN_FORCE and record.is_published:
                problems.add(amended.source, line(amended, "validity"), "有效性 (validity)",
                             "这份文件已被修改，有效性应为「已修改」", got=amended.validity or "（没有填写）",
                             hint=f"{record.title}（{record.index_no}）修改了本文件：请把 validity 改为 已修改",
                             severity=WARNING)
    _check_cycles(records, by_index, problems, line)


def _check_cycles(records: list[Record], by_index: dict, problems: Problems, line) -> None:
    """A → B → A: each page would name the other as its successor, and neither is in force."""
    for record in records:
        seen, current = [record.index_no], by_index.get(record.lifecycle.superseded_by)
        while current is not None and current.index_no not in seen:
            seen.append(current.index_no)
            current = by_index.get(current.lifecycle.superseded_by)
        if current is not None and current.index_no == record.index_no:
            problems.add(record.source, line(record, "superseded_by"), "替代文件 (superseded_by)",
                         "替代关系形成了循环", got=" → ".join(seen + [record.index_no]),
                         hint="新文件替代旧文件：只在旧文件中写 superseded_by，新文件中不要写回旧文件")
