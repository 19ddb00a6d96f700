"""The Chinese fonts of every PDF: Noto Sans CJK from the PyPI wheels, so no system font is needed.

The wheels are named JP, but the fonts are the pan-CJK Noto Sans CJK with locl tables: with lang="zh-CN" on
the HTML, pango asks HarfBuzz for the Simplified Chinese (ZHS) glyph forms. Both weights are real faces, so
bold text is never a smeared synthetic bold.
"""
from __future__ import annotations

from pathlib import Path

FAMILY = "GK Noto Sans CJK SC"


def font_files() -> dict[int, Path]:
    """CSS font-weight -> font file inside the installed wheel."""
    import noto_cjk_sans_jp_bold
    import noto_cjk_sans_jp_regular
    return {400: Path(str(noto_cjk_sans_jp_regular.FONT_PATH)), 700: Path(str(noto_cjk_sans_jp_bold.FONT_PATH))}


def font_face_css() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{FAMILY}"; src: url("{path.as_uri()}"); font-weight: {weight}; }}'
        for weight, path in font_files().items())
