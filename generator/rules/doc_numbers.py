"""发文字号 per GB/T 9704-2012: 机关代字〔年份〕序号号， hexagonal brackets, no padding, no 第."""
from __future__ import annotations

import re

DOC_NO = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]+〔(\d{4})〕([1-9]\d*)号$")
_WRONG_BRACKETS = re.compile(r"[\[\(（【［](\d{4})[\]\)）】］]")


def doc_no_problem(text: str) -> tuple[str, str] | None:
    """(message, hint) when text is not a well-formed 文号； None when it is."""
    if DOC_NO.match(text):
        return None
    wrong = _WRONG_BRACKETS.search(text)
    if wrong:
        fixed = _WRONG_BRACKETS.sub(lambda m: f"〔{m.group(1)}〕", text)
        return ("年份括号不正确，应使用六角括号〔〕", f"改为 {fixed}（六角括号可在输入法符号中找到，或直接复制这里的〔〕）")
    if re.search(r"〔\d{4}〕第", text):
        return ("序号前不加“第”", "例如 示政办发〔2025〕3号")
    if re.search(r"〔\d{4}〕0\d", text):
        return ("序号不补零", "例如 示政办发〔2025〕3号，而不是 〔2025〕03号")
    return ("文号格式不正确", "格式为 机关代字〔年份〕序号号，例如 示民发〔2025〕3号")
