"""Published copies of office documents and PDFs without the people behind them.

Authors, last editors, company, manager, revision counts and comment authors are stripped from the copy that
goes into the site; comment text in Word files is removed. The editor's source file is never changed.
"""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from ..atomic import unlinked

_CORE_FIELDS = ("dc:creator", "cp:lastModifiedBy", "cp:revision", "cp:lastPrinted", "dc:description",
                "cp:keywords", "cp:category", "cp:contentStatus")
_APP_FIELDS = ("Company", "Manager", "HyperlinkBase", "Template")


def _blank_elements(xml: str, names) -> str:
    for name in names:
        xml = re.sub(rf"<{name}(\s[^>]*)?>.*?</{name}>", "", xml, flags=re.S)
        xml = re.sub(rf"<{name}(\s[^>]*)?/>", "", xml)
    return xml


def _blank_authors(xml: str) -> str:
    """w:author / w:initials on tracked changes and comments; <author> lists in spreadsheet comments."""
    xml = re.sub(r'(w:(?:author|initials))="[^"]*"', r'\1=""', xml)
    return re.sub(r"<author>[^<]*</author>", "<author></author>", xml)


def _docx_without_comments(xml: str) -> str:
    xml = re.sub(r"<w:commentRange(Start|End)\b[^>]*/>", "", xml)
    return re.sub(r"<w:r>(?:(?!</w:r>).)*?<w:commentReference\b[^>]*/>\s*</w:r>", "", xml, flags=re.S)


def _office(source: Path, target: Path) -> None:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            name = item.filename
            if name.endswith(".xml") or name.endswith(".rels"):
                xml = data.decode("utf-8")
                if name == "docProps/core.xml":
                    xml = _blank_elements(xml, _CORE_FIELDS)
                elif name == "docProps/app.xml":
                    xml = _blank_elements(xml, _APP_FIELDS)
                elif name == "word/comments.xml":
                    xml = re.sub(r"<w:comment\b.*?</w:comment>", "", xml, flags=re.S)
                elif name == "word/people.xml":
                    xml = re.sub(r"<w15:person\b.*?</w15:person>", "", xml, flags=re.S)
                if name.startswith("word/") and name != "word/comments.xml":
                    xml = _docx_without_comments(xml)
                xml = _blank_authors(xml)
                data = xml.encode("utf-8")
            zout.writestr(item, data)


def _pdf(source: Path, target: Path) -> None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.metadata = None                                   # the /Info dictionary
    if "/Metadata" in writer.root_object:                     # XMP
        del writer.root_object[NameObject("/Metadata")]
    for page in writer.pages:
        annotations = page.get("/Annots")
        if annotations:
            kept = [a for a in annotations.get_object()
                    if a.get_object().get("/Subtype") not in ("/Text", "/Popup", "/FreeText")]
            if kept:
                page[NameObject("/Annots")] = ArrayObject(kept)     # a direct array: no private pypdf API
            else:
                del page[NameObject("/Annots")]
    # A cloned document keeps every object of the source, reachable or not: the annotations removed above
    # would still be in the file, readable by anyone who opens it as text.
    writer.compress_identical_objects()    # its defaults (every pypdf since 4.3) drop them
    with target.open("wb") as out:
        writer.write(out)


def publish_copy(source: Path, target: Path) -> None:
    """Copy an attachment into the site, stripped of personal metadata where the format carries it (a new
    file, never the old one rewritten: README, hard links into the site)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    unlinked(target)
    ext = source.suffix.lower()
    if ext in (".docx", ".xlsx"):
        _office(source, target)
    elif ext == ".pdf":
        _pdf(source, target)
    else:
        shutil.copyfile(source, target)
