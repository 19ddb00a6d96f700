"""QR codes to a record's online page, as inline SVG that scales to whatever box the stylesheet gives it."""
from __future__ import annotations

import io

import segno
from markupsafe import Markup


def qr_svg(url: str) -> Markup:
    """An <svg> with a viewBox and no width/height; error level M survives a scuffed or sun-faded sheet."""
    code = segno.make(url, error="m", micro=False, boost_error=False)
    out = io.BytesIO()
    # The 4-module quiet zone is part of the QR standard; phone readers fail without it on busy boards.
    code.save(out, kind="svg", xmldecl=False, svgns=True, nl=False, omitsize=True, border=4,
              svgclass="qr", lineclass=None, title="二维码：" + url)
    return Markup(out.getvalue().decode("utf-8"))
