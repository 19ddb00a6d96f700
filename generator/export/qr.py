"""QR codes to a record's online page, as inline SVG that scales to whatever box the stylesheet gives it.

Templates place a code as a placeholder holding its address (qr_place), and the PDF renderer draws it
(with_qr_codes): the HTML of a sheet or 明白纸, which keys the print cache (jobs.PrintCache), is then made
without drawing codes, so a rebuild that finds every sheet cached draws none (they were two thirds of its
print stage).
"""
from __future__ import annotations

import html
import io
import re

import segno
from markupsafe import Markup

# An element the print sanitiser never lets through from content (safehtml.py allows no such tag).
_PLACE = re.compile(r'<gk-qr data-url="([^"<>]*)"></gk-qr>')


def qr_svg(url: str) -> Markup:
    """An <svg> with a viewBox and no width/height; error level M survives a scuffed or sun-faded sheet."""
    code = segno.make(url, error="m", micro=False, boost_error=False)
    out = io.BytesIO()
    # The 4-module quiet zone is part of the QR standard; phone readers fail without it on busy boards.
    code.save(out, kind="svg", xmldecl=False, svgns=True, nl=False, omitsize=True, border=4,
              svgclass="qr", lineclass=None, title="二维码：" + url)
    return Markup(out.getvalue().decode("utf-8"))


def qr_place(url: str) -> Markup:
    """Where a code to url goes (the `qr` filter of the print templates); with_qr_codes draws it."""
    return Markup('<gk-qr data-url="{}"></gk-qr>').format(url)


def with_qr_codes(text: str) -> str:
    """The HTML with every placeholder replaced by its code."""
    return _PLACE.sub(lambda m: qr_svg(html.unescape(m.group(1))), text)
