"""Masked names in running text (罗*斌、何*怡、陈*新): the asterisks are the mask, never Markdown emphasis.

Python-Markdown reads 罗*斌、何*怡 as 罗<em>斌、何</em>怡: the reader sees 罗斌、何怡, names that look complete
and are not the people's. A masked name is one or two Han characters, a run of one to three asterisks and at
most two Han characters, standing alone: after the start of a line, a space, list punctuation or an opening
bracket, and before the end of a line, a space, punctuation or a bracket (魏*强（采购人代表）). Emphasis the editor meant
(**重点**，…) never stands alone like that: its characters touch the other asterisks.
"""
from __future__ import annotations

import re

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
MASKED_NAME = re.compile(
    rf"(?:^|(?<=[\s、，,；;：:（(【\[|“‘「『]))([{_HAN}]{{1,2}})(\*{{1,3}})([{_HAN}]{{0,2}})"
    rf"(?=$|[\s、，,；;。.：:（(【\[）)】\]|”’」』！!？?])", re.M)


def mask_offsets(text: str) -> set[int]:
    """Where each mask's run of asterisks starts."""
    return {m.start(2) for m in MASKED_NAME.finditer(text)}


def keep_masks(markdown: str) -> str:
    """The Markdown with every mask's asterisks escaped, so they show as typed."""
    return MASKED_NAME.sub(lambda m: m.group(1) + "\\*" * len(m.group(2)) + m.group(3), markdown)
