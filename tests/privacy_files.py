"""Attachment files of each type, written from scratch, for the privacy tests."""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

from generator.privacy.detectors import _ID_CHECK, _ID_WEIGHTS


def id18(region="110105", birth=date(1980, 5, 17), seq="123") -> str:
    body = f"{region}{birth:%Y%m%d}{seq}"
    return body + _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS)) % 11]


def luhn_number(prefix="622202", length=16) -> str:
    body = prefix + "7" * (length - len(prefix) - 1)
    for check in "0123456789":
        candidate = body + check
        total = 0
        for i, d in enumerate(reversed(candidate)):
            d = int(d) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return candidate
    raise AssertionError


def write_csv(path: Path, rows: list[list[str]]) -> None:
    """Quoted where needed, so a cell may hold a line break (a wrapped cell in Excel or WPS)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")


def write_xlsx(path: Path, rows: list[list[str]], where: str = "visible") -> None:
    """where: visible | hidden_sheet | hidden_row | hidden_column | comment"""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append(["说明", "本表为汇总数据"])
    target = ws
    if where == "hidden_sheet":
        target = wb.create_sheet("名单")
        target.sheet_state = "hidden"
    start = target.max_row + 1 if target is ws else 1
    for r in rows:
        target.append(r)
    if where == "hidden_row":
        ws.row_dimensions[start + 1].hidden = True
    if where == "hidden_column":
        ws.column_dimensions["C"].hidden = True
    if where == "comment":
        ws["A1"].comment = Comment(rows[-1][-1], "经办人")
    wb.properties.creator = "张经办"
    wb.properties.lastModifiedBy = "李审核"
    wb.save(path)


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _para(text: str) -> str:
    """A paragraph; a line break in text becomes Word's <w:br/> (Shift+Enter)."""
    return "<w:p><w:r>" + "<w:br/>".join(f"<w:t>{line}</w:t>" for line in text.split("\n")) + "</w:r></w:p>"


def _cell(value) -> str:
    """A table cell: a string is one paragraph, a list one paragraph per item (Enter inside the cell)."""
    return "".join(_para(p) for p in ([value] if isinstance(value, str) else value))


def write_docx(path: Path, paragraphs: list[str], table: list[list] | None = None,
               header: str = "", comment: str = "", author: str = "王起草") -> None:
    body = "".join(_para(p) for p in paragraphs)
    if table:
        body += "<w:tbl>" + "".join(
            "<w:tr>" + "".join(f"<w:tc>{_cell(c)}</w:tc>" for c in row) + "</w:tr>" for row in table) + "</w:tbl>"
    if comment:
        body += ('<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>带批注</w:t></w:r><w:commentRangeEnd w:id="0"/>'
                 '<w:r><w:commentReference w:id="0"/></w:r></w:p>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document {_W}><w:body>{body}</w:body></w:document>')
        if header:
            z.writestr("word/header1.xml", f'<?xml version="1.0"?><w:hdr {_W}>{_para(header)}</w:hdr>')
        if comment:
            z.writestr("word/comments.xml", f'<?xml version="1.0"?><w:comments {_W}><w:comment w:id="0" w:author="{author}">'
                       f'{_para(comment)}</w:comment></w:comments>')
        z.writestr("docProps/core.xml",
                   '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                   'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>' + author + '</dc:creator>'
                   '<cp:lastModifiedBy>' + author + '</cp:lastModifiedBy><cp:revision>7</cp:revision></cp:coreProperties>')
        z.writestr("docProps/app.xml", '<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                   '<Company>示例县民政局</Company><Manager>赵主任</Manager></Properties>')


def write_pdf(path: Path, lines: list[str], author: str = "PDF Author Name",
              font: str = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", extra: tuple[str, ...] = ()) -> None:
    """A one-page PDF with an ASCII text layer (digits are what the detectors look for). font: its one font's
    dictionary (a standard font by default); extra: objects 7 on, which the font may refer to."""
    stream = "BT /F1 12 Tf 72 720 Td " + " ".join(f"({line}) Tj 0 -16 Td" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        font,
        f"<< /Author ({author}) /Creator (Office Suite) /Producer (Producer X) >>",
        *extra,
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(out)
