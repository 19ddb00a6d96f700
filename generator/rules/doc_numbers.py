"""发文字号 per GB/T 9704-2012: 机关代字〔年份〕序号号， hexagonal brackets, no padding, no 第.

Examples in messages are the editor's own 文号 corrected, or built from the publisher's 机关代字 in site.yml
(doc_prefix); never a fixed county's.
"""
from __future__ import annotations

import re

DOC_NO = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]+〔(\d{4})〕([1-9]\d*)号$")
_WRONG_BRACKETS = re.compile(r"[\[\(（【［](\d{4})[\]\)）】］]")
_ORDINAL = re.compile(r"(〔\d{4}〕)第")
_PADDED = re.compile(r"(〔\d{4}〕)0+(?=\d)")
NEUTRAL_PREFIX = "某政办发"     # when no organisation of the site declares its 机关代字


def example(prefix: str | None, year: int) -> str:
    """A well-formed 文号 to show: the publisher's 机关代字, or a neutral one."""
    return f"{prefix or NEUTRAL_PREFIX}〔{year}〕3号"


def doc_no_problem(text: str, sample: str) -> tuple[str, str] | None:
    """(message, hint) when text is not a well-formed 文号； None when it is. sample: see example()."""
    if DOC_NO.match(text):
        return None
    wrong = _WRONG_BRACKETS.search(text)
    if wrong:
        fixed = _WRONG_BRACKETS.sub(lambda m: f"〔{m.group(1)}〕", text)
        return ("年份括号不正确，应使用六角括号〔〕", f"改为 {fixed}（六角括号可在输入法符号中找到，或直接复制这里的〔〕）")
    if _ORDINAL.search(text):
        return ("序号前不加“第”", "改为 " + _ORDINAL.sub(r"\1", text))
    if _PADDED.search(text):
        return ("序号不补零", "改为 " + _PADDED.sub(r"\1", text))
    return ("文号格式不正确", f"格式为 机关代字〔年份〕序号号，例如 {sample}")
