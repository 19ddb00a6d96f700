"""Documents and interpretations that do not match: 三同步 without its 解读, a 解读 without its document, a
document past its validity end still marked 有效, a 废止 document without the date and instrument of repeal."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..model import Record
from ..rules.dates import parse_date

VALID, REPEALED = "有效", "废止"


@dataclass(frozen=True)
class Mismatch:
    record: Record
    field: str          # the front-matter key the editor fixes
    message: str
    hint: str
    in_check: bool = True   # also a 提醒 in `check` (the missing 解读 is already one, in rules/references.py)
    refused: bool = False   # in `check` an error, not a 提醒: the page would state something it cannot (废止 on no date)


def _name(record: Record) -> str:
    return f"「{record.title}」" + (f"（{record.doc_no}）" if record.doc_no else "")


def mismatches(records: list[Record], today: date) -> list[Mismatch]:
    out = []
    published = {r.index_no: r for r in records if r.is_published}
    interpreted = {r.interprets for r in records if r.interprets and r.is_published}
    for r in records:
        if not r.is_published:
            continue
        if r.category.requires_interpretation and r.validity in ("", VALID) and r.index_no not in interpreted:
            out.append(Mismatch(r, "interprets", f"规范性文件{_name(r)}没有公开的政策解读",
                                "请在政策解读分类中新建解读，用 interprets 填写本文件的索引号", in_check=False))
        if r.interprets and r.interprets not in published:
            out.append(Mismatch(r, "interprets", f"政策解读{_name(r)}所解读的文件 {r.interprets} 没有公开",
                                "请核对 interprets 中的索引号，或先公开被解读的文件", in_check=False))
        until = r.data.get("valid_until")
        until = parse_date(until) if isinstance(until, str) else None
        if until and until < today and r.validity == VALID:
            out.append(Mismatch(r, "validity", f"文件{_name(r)}有效期至 {until.isoformat()}，已过期，有效性仍为「有效」",
                                "请把 validity 改为 失效；如已延期，请更新 valid_until"))
        if r.validity == REPEALED:
            # The page's banner says since when it is repealed: without the date it cannot, so check refuses it.
            if not r.data.get("repealed_on"):
                out.append(Mismatch(r, "validity", f"文件{_name(r)}已废止，但没有写明废止日期（repealed_on）",
                                    "请写明哪一天废止，例如 repealed_on: 2024-03-18；页面会显示“本文件已于该日废止”",
                                    refused=True))
            # What repealed it: its 文号 (repealed_by) or the record replacing it (superseded_by, a link).
            if not r.data.get("repealed_by") and not r.lifecycle.superseded_by:
                out.append(Mismatch(r, "validity", f"文件{_name(r)}已废止，但没有写明由哪份文件废止",
                                    "请写明 repealed_by: 废止它的文件的文号；新文件在本网站公开的，可改写 "
                                    "superseded_by: 新文件的索引号，两个页面会互相链接"))
    return out
