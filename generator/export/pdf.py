"""WeasyPrint, set up once: fonts registered, stylesheet parsed, network closed.

One PdfRenderer serves a whole run, because registering the two 16 MB CJK fonts and parsing the stylesheet
per document would cost more than laying out most sheets.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

from ..environment import BuildEnvironmentError
from .fonts import font_face_css, font_files
from .layout import STYLESHEET
from .qr import with_qr_codes

PANGO_HINT = ("WeasyPrint 需要 Debian 的 pango 库。请以 root 身份运行：\n"
              "  apt-get install -y libpango-1.0-0 libpangoft2-1.0-0\n"
              "或运行 make print（以 root 运行时会自动检查并安装）。")


def _weasyprint():
    try:
        import weasyprint
    except OSError as exc:   # cffi cannot dlopen libpango / libpangoft2
        raise BuildEnvironmentError("缺少生成 PDF 所需的 pango 库", f"{PANGO_HINT}\n原始错误：{exc}") from None
    except ImportError as exc:
        raise BuildEnvironmentError("没有安装 WeasyPrint，无法生成 PDF",
                                    f"请运行 make print 或 .venv/bin/pip install -e . 安装依赖。\n原始错误：{exc}") from None
    return weasyprint


class _Collect(logging.Handler):
    def __init__(self, into: list[str]):
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


def _own_files_fetcher(content: Path | None):
    """A URL fetcher for data: URLs and, of this machine's files, only the print templates' folder, the fonts
    and the content folder (attachments drawn on a sheet): whatever a document's HTML names, nothing outside
    them reaches paper (check refuses such links before, rules/references.py; this is the second line)."""
    from weasyprint.urls import URLFetcher
    allowed = [STYLESHEET.parent, *font_files().values(), *([content] if content else [])]
    roots = tuple(os.path.realpath(path) for path in allowed)

    class OwnFiles(URLFetcher):
        def fetch(self, url, headers=None):
            if url[:5].lower() == "file:":
                path = os.path.realpath(url2pathname(urlsplit(url).path))
                if not any(path == root or path.startswith(root + os.sep) for root in roots):
                    raise ValueError(f"not a file a printed document may show: {url}")
            return super().fetch(url, headers)
    # Nor the network: a print run never waits on it, nor tells it what it prints.
    return OwnFiles(allowed_protocols={"file", "data"}, fail_on_errors=False)


_IMAGE_SOURCE = re.compile(r"<img\b[^>]*?\ssrc=\"([^\"]*)\"")


def shown_files(html: str, base: Path | None) -> list[Path]:
    """The files of this machine a document's images name, resolved as the renderer resolves them."""
    where = (base.resolve().as_uri() + "/") if base else ""
    found = set()
    for source in _IMAGE_SOURCE.findall(html):
        url = urljoin(where, unescape(source))
        if url[:5].lower() == "file:":
            found.add(Path(url2pathname(urlsplit(url).path)))
    return sorted(found)


class PdfRenderer:
    def __init__(self, content: Path | None = None) -> None:
        """content: the folder whose files (a record's attachments) documents may show."""
        wp = _weasyprint()
        from weasyprint.text.fonts import FontConfiguration
        self._wp = wp
        self.font_config = FontConfiguration()
        self.fetcher = _own_files_fetcher(content)
        # WeasyPrint reports layout problems (unknown CSS, missing images) as log warnings; keep them for the
        # caller instead of letting English lines reach the editor's terminal.
        self.warnings: list[str] = []
        logger = logging.getLogger("weasyprint")
        logger.handlers = [h for h in logger.handlers if not isinstance(h, _Collect)] + [_Collect(self.warnings)]
        logger.propagate = False
        css = font_face_css() + "\n" + STYLESHEET.read_text(encoding="utf-8")
        self.stylesheet = wp.CSS(string=css, font_config=self.font_config, url_fetcher=self.fetcher,
                                 base_url=STYLESHEET.parent.as_uri() + "/")

    def close(self) -> None:
        """Remove the fonts WeasyPrint copied for this renderer: a temporary folder (32 MB of CJK fonts) that
        its FontConfiguration removes only when collected, which a forked print worker never is. Every build
        with board sheets left one in /tmp per worker. (A private attribute: without it nothing is removed,
        and tests/test_print_cache.py says so.)"""
        folder = getattr(self.font_config, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
            self.font_config._folder = None

    def render(self, html: str, base: Path | None = None):
        """Lay out one HTML document (its QR codes drawn, qr.py); base is the directory relative image paths in
        the body resolve from."""
        document = self._wp.HTML(string=with_qr_codes(html),
                                 base_url=(base.resolve().as_uri() + "/") if base else None, url_fetcher=self.fetcher)
        return document.render(stylesheets=[self.stylesheet], font_config=self.font_config)

    def write(self, documents: list, target: Path) -> int:
        """Write the pages of documents, in order, as one PDF; returns its page count. The file appears whole
        or not at all (written beside, then renamed)."""
        pages = [page for document in documents for page in document.pages]
        combined = documents[0] if len(documents) == 1 else documents[0].copy(pages)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.part")
        try:
            combined.write_pdf(partial)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        return len(pages)
