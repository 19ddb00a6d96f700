"""Whether an attachment's content is what its extension says (generator/data/file-signatures.yml).

A file is published and served as its extension says, and an image attachment a body shows is drawn on the board
sheet from its bytes: an SVG image or a web page under a .png or .pdf name can hold a script, and a .zip that is
a RAR archive opens for nobody. Only the first 1,024 bytes are read, and only for the types the data lists.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..sourcefile import load_own_yaml

SIGNATURES = Path(__file__).resolve().parent.parent / "data" / "file-signatures.yml"
HEAD = 1024
_MARKUP = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<", re.S)      # a web page, an SVG image, any XML


def _pattern(signatures: list[str], within: int) -> re.Pattern:
    def one(hexed: str) -> bytes:
        return b"".join(b"." if hexed[i:i + 2] == ".." else re.escape(bytes.fromhex(hexed[i:i + 2]))
                        for i in range(0, len(hexed), 2))
    body = b"|".join(one(s) for s in signatures)
    return re.compile(b"^[\\s\\S]{0,%d}?(?:%s)" % (max(0, within - 1), body) if within else b"^(?:" + body + b")",
                      re.S)


@lru_cache(maxsize=1)
def _data() -> tuple[dict[str, re.Pattern], list[tuple[str, re.Pattern]]]:
    data = load_own_yaml(SIGNATURES)
    types = {ext: _pattern(spec["signatures"], spec.get("within", 0)) for ext, spec in data["types"].items()}
    kinds = [(kind["name"], _pattern(kind["signatures"], kind.get("within", 0))) for kind in data["kinds"]]
    return types, kinds


def mismatch(path: Path, ext: str) -> str | None:
    """What the file is instead, when its type is listed and its first bytes are not that type's; else None.
    OSError when the file cannot be read."""
    types, kinds = _data()
    expected = types.get(ext.lower())
    if expected is None:
        return None
    with open(path, "rb") as f:
        head = f.read(HEAD + 16)        # a signature may start at HEAD - 1
    # Markup first: a web page that holds a PDF further on is still a web page to a browser.
    if _MARKUP.match(head):
        return "网页或 SVG 图像"
    if expected.match(head):
        return None
    if not head:
        return "空文件"
    return next((name for name, pattern in kinds if pattern.match(head)), "无法识别的内容")
