"""WeasyPrint, set up once: fonts registered, stylesheet parsed, network closed.

One PdfRenderer serves a whole run, because registering the two 16 MB CJK fonts and parsing the stylesheet
per document would cost more than laying out most sheets.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Sources:
    """Where a document's relative image paths resolve (its record's folder) and the only files of content it
    may show: its record's own attachments (check allows no other link, rules/references.py; this is the
    second line, and it also holds for what an image shown opens in turn, an SVG under a .png name)."""
    folder: Path
    files: frozenset[str]           # real paths


def record_sources(content: Path, record) -> Sources:
    return Sources((content / record.page_path).parent,
                   frozenset(os.path.realpath(a.source) for a in record.attachments))


def _own_files_fetcher():
    """A URL fetcher for data: URLs and, of this machine's files, only the print templates' folder, the fonts
    and the files of the document being laid out (shown: set by PdfRenderer.render)."""
    from weasyprint.urls import URLFetcher
    roots = tuple(os.path.realpath(path) for path in (STYLESHEET.parent, *font_files().values()))

    class OwnFiles(URLFetcher):
        shown: frozenset[str] = frozenset()

        def fetch(self, url, headers=None):
            if url[:5].lower() == "file:":
                path = os.path.realpath(url2pathname(urlsplit(url).path))
                if path not in self.shown and not any(path == root or path.startswith(root + os.sep)
                                                      for root in roots):
                    raise ValueError(f"not a file a printed document may show: {url}")
            return super().fetch(url, headers)
    # Nor the network: a print run never waits on it, nor tells it what it prints.
    return OwnFiles(allowed_protocols={"file", "data"}, fail_on_errors=False)


_IMAGE_SOURCE = re.compile(r"<img\b[^>]*?\ssrc=\"([^\"]*)\"")


def shown_files(html: str, sources: Sources | None) -> list[str]:
    """The files of its record a document's images show, resolved as the renderer resolves them."""
    if sources is None:
        return []
    where = sources.folder.resolve().as_uri() + "/"
    found = set()
    for source in _IMAGE_SOURCE.findall(html):
        url = urljoin(where, unescape(source))
        if url[:5].lower() == "file:":
            path = os.path.realpath(url2pathname(urlsplit(url).path))
            if path in sources.files:
                found.add(path)
    return sorted(found)


class PdfRenderer:
    def __init__(self) -> None:
        wp = _weasyprint()
        from weasyprint.text.fonts import FontConfiguration
        self._wp = wp
        self.font_config = FontConfiguration()
        self.fetcher = _own_files_fetcher()
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

    def render(self, html: str, sources: Sources | None = None):
        """Lay out one HTML document (its QR codes drawn, qr.py); sources: its record's folder and files."""
        self.fetcher.shown = sources.files if sources else frozenset()
        try:
            document = self._wp.HTML(string=with_qr_codes(html), url_fetcher=self.fetcher,
                                     base_url=(sources.folder.resolve().as_uri() + "/") if sources else None)
            return document.render(stylesheets=[self.stylesheet], font_config=self.font_config)
        finally:
            self.fetcher.shown = frozenset()

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
