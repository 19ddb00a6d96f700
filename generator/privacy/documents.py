"""Text and tables out of attachments, every part a reader could reach: hidden sheets, rows and columns,
comments, headers and footers, the PDF text layer. Each piece carries a location an editor can find."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Piece:
    where: str          # 第 3 页 / 工作表“名单”单元格 B4 / 第 5 行
    text: str
    line: int | None = None


@dataclass
class Table:
    where: str
    header: list[str]
    rows: list[tuple[str, list[str]]]   # (location of the row, cells)


@dataclass
class Extracted:
    pieces: list[Piece] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)    # reasons the file cannot be published at all
    # Fonts a PDF names but does not carry: a reader's phone draws their text only if it has them (read here,
    # where the file is parsed anyway for its text).
    unembedded_fonts: list[str] = field(default_factory=list)


class UnreadableAttachment(Exception):
    pass


def extract(path: Path) -> Extracted:
    ext = path.suffix.lower()
    try:
        if ext == ".csv":
            return _csv(path)
        if ext in (".xlsx", ".xlsm"):
            return _xlsx(path)
        if ext == ".docx":
            return _docx(path)
        if ext == ".pdf":
            return _pdf(path)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError, OSError) as exc:
        raise UnreadableAttachment(str(exc)) from None
    return Extracted()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _csv(path: Path) -> Extracted:
    rows = list(csv.reader(io.StringIO(_decode(path.read_bytes()))))
    out = Extracted()
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row, start=1):
            if cell.strip():
                out.pieces.append(Piece(f"第 {r} 行第 {c} 列", cell, r))
    if rows:
        out.tables.append(Table("表格", rows[0], [(f"第 {r} 行", row) for r, row in enumerate(rows[1:], start=2)]))
    return out


def _xlsx(path: Path) -> Extracted:
    from openpyxl import load_workbook
    out = Extracted()
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        out.refusals.append("表格含有宏（VBA）")
    if any(n.startswith("xl/externalLinks/") for n in names):
        out.refusals.append("表格含有指向其他文件的外部链接")
    workbook = load_workbook(path, data_only=False)
    for sheet in workbook.worksheets:
        state = "(隐藏)" if sheet.sheet_state != "visible" else ""
        rows = []
        for row in sheet.iter_rows():
            cells = []
            for cell in row:
                value = "" if cell.value is None else str(cell.value)
                cells.append(value)
                where = f"工作表“{sheet.title}”{state}单元格 {cell.coordinate}"
                if value.strip():
                    out.pieces.append(Piece(where, value))
                if cell.comment is not None:
                    out.pieces.append(Piece(where + " 的批注", cell.comment.text or ""))
            rows.append((f"工作表“{sheet.title}”第 {row[0].row} 行" if row else "", cells))
        header_at = next((i for i, (_, cells) in enumerate(rows) if any(c.strip() for c in cells)), None)
        if header_at is not None:
            out.tables.append(Table(f"工作表“{sheet.title}”", rows[header_at][1], rows[header_at + 1:]))
    return out


# Run elements as Word shows them: a break is a line break, a non-breaking hyphen a hyphen.
_RUN_TEXT = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "\u2011",
             W + "softHyphen": "\u00ad"}


def _paragraph_text(element) -> str:
    return "".join((e.text or "") if e.tag == W + "t" else _RUN_TEXT.get(e.tag, "") for e in element.iter())


def _cell_text(cell) -> str:
    """A cell's paragraphs are the lines of one value: a number wrapped in a cell is still one number."""
    return "\n".join(_paragraph_text(p) for p in cell.iter(W + "p"))


def _docx(path: Path) -> Extracted:
    out = Extracted()
    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if re.fullmatch(
            r"word/(document|header\d*|footer\d*|comments|footnotes|endnotes)\.xml", n)]
        for name in sorted(parts):
            root = ElementTree.fromstring(z.read(name))
            label = {"document": "正文", "comments": "批注", "footnotes": "脚注", "endnotes": "尾注"}.get(
                re.sub(r"\d+$", "", Path(name).stem), "页眉页脚")
            in_cells = {id(p) for cell in root.iter(W + "tc") for p in cell.iter(W + "p")}
            for i, p in enumerate(root.iter(W + "p"), start=1):
                text = _paragraph_text(p)
                if text.strip() and id(p) not in in_cells:
                    out.pieces.append(Piece(f"{label}第 {i} 段", text))
            for t, table in enumerate(root.iter(W + "tbl"), start=1):
                rows = [[_cell_text(cell) for cell in tr.iter(W + "tc")] for tr in table.iter(W + "tr")]
                for r, row in enumerate(rows, start=1):
                    for c, text in enumerate(row, start=1):
                        if text.strip():
                            out.pieces.append(Piece(f"{label}表格 {t} 第 {r} 行第 {c} 列", text))
                if rows:
                    out.tables.append(Table(f"{label}表格 {t}", rows[0],
                                            [(f"{label}表格 {t} 第 {r} 行", row) for r, row in enumerate(rows[1:], 2)]))
    return out


# The fonts every PDF reader must have (PDF 1.7, 9.6.2.2): naming them without carrying them is allowed.
STANDARD_FONTS = frozenset(["Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Helvetica",
                            "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Courier", "Courier-Bold",
                            "Courier-Oblique", "Courier-BoldOblique", "Symbol", "ZapfDingbats"])
_SUBSET = re.compile(r"^[A-Z]{6}\+")
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def _resolved(value, kind: type):
    """A PDF value behind its reference, if it is of the kind wanted; else an empty one of that kind."""
    value = value.get_object() if hasattr(value, "get_object") else value
    return value if isinstance(value, kind) else kind()


def _unembedded(resources, seen: set[int]) -> list[str]:
    """The names of the fonts these page (or form) resources use without carrying them, forms within included;
    seen: the resources already looked at (pages share them). A font dictionary of a shape this does not know
    names nothing: the text is what the attachment is read for, not its fonts."""
    resources = _resolved(resources, dict)
    if not resources or id(resources) in seen:
        return []
    seen.add(id(resources))
    found = []
    for ref in _resolved(resources.get("/Font"), dict).values():
        font = _resolved(ref, dict)
        if not font or font.get("/Subtype") == "/Type3":     # Type3: glyphs drawn in the file itself
            continue
        described = font
        if font.get("/Subtype") == "/Type0":        # CJK fonts: the glyphs are the descendant font's
            descendants = _resolved(font.get("/DescendantFonts"), list)
            described = _resolved(descendants[0], dict) if descendants else {}
        descriptor = _resolved(described.get("/FontDescriptor"), dict)
        name = _SUBSET.sub("", str(font.get("/BaseFont", "")).lstrip("/"))
        if not any(key in descriptor for key in _FONT_FILES) and name not in STANDARD_FONTS:
            found.append(name or "未命名字体")
    for ref in _resolved(resources.get("/XObject"), dict).values():
        form = _resolved(ref, dict)
        if form.get("/Subtype") == "/Form":
            found += _unembedded(form.get("/Resources"), seen)
    return found


def _pdf(path: Path) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    out = Extracted()
    try:
        reader = PdfReader(path)
        missing: dict[str, None] = {}
        seen: set[int] = set()
        for number, page in enumerate(reader.pages, start=1):
            for line in (page.extract_text() or "").split("\n"):
                if line.strip():
                    out.pieces.append(Piece(f"第 {number} 页", line))
            missing.update(dict.fromkeys(_unembedded(page.get("/Resources"), seen)))
        out.unembedded_fonts = list(missing)
    except (PyPdfError, IndexError, TypeError, AttributeError, RecursionError) as exc:
        # pypdf's own errors (a file cut short, a broken cross-reference table) are not ValueErrors: they went
        # up as a traceback instead of a message naming the attachment.
        raise ValueError(f"{type(exc).__name__}: {exc}") from None
    return out
