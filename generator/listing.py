"""The catalogue table of listing pages, written in Python rather than as a template macro.

Listing pages are most of the render time on a large site: every record appears in several of them (the
catalogue, its category and year, its month, its publisher), so each record's cells are escaped once.
"""
from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup, escape

from .kinds.fields import title_of, value_of
from .slots import slot

COLUMN_LABELS = {
    "index_no": "索引号", "title": "标题", "publisher": "发布机构", "topic": "主题分类",
    "written_on": "成文日期", "published_on": "发布日期", "doc_no": "文号", "validity": "有效性", "genre": "体裁",
}


def unbroken(value: str) -> Markup:
    """A 索引号 or 文号 that never breaks inside its parts: a narrow screen may only break it after its "/"
    (机构代码/年份-流水号), so that 2026-00012 is never cut in two. The parts are inline blocks (gk.css .gk-code):
    a line may break between them unless the cell says nowrap, which a <wbr> would not obey in Chromium."""
    parts = str(value).split("/")
    return Markup("").join(Markup('<span class="gk-nb gk-code">{}</span>').format(p + ("/" if i < len(parts) - 1 else ""))
                           for i, p in enumerate(parts))


class CellCache:
    def __init__(self) -> None:
        self._cells: dict[tuple[int, str], str] = {}

    def cell(self, record, column: str) -> str:
        key = (id(record), column)
        cached = self._cells.get(key)
        if cached is None:
            if column == "publisher":
                value = record.publisher.name
            elif column in ("written_on", "published_on"):
                value = getattr(record, column).isoformat()
            elif column == "index_no":
                cached = self._cells[key] = str(unbroken(record.index_no))
                return cached
            elif column in COLUMN_LABELS:
                value = getattr(record, column) or "—"
            else:
                value = value_of(record, column) or "—"    # any field the category declares (kinds/fields.py)
            cached = self._cells[key] = str(escape(value))
        return cached


def make_record_table(relative_url):
    """A template global bound to one render: relative_url(from_docs, to_docs) makes the links."""
    cache = CellCache()

    @pass_context
    def record_table(ctx, records, columns, caption) -> Markup:
        if not records:
            return Markup('<p class="gk-empty">暂无公开信息。</p>')
        page = ctx["page_path"]
        # A declared field's label comes from its category's schema; its cells carry it for the phone layout.
        labels = {c: COLUMN_LABELS.get(c) or title_of(records[0].category, c) for c in columns}
        head = "".join(f'<th scope="col" class="gk-col-{c}">{escape(labels[c])}</th>' for c in columns)
        declared = {c: f' data-label="{escape(labels[c])}"' for c in columns if c not in COLUMN_LABELS}
        rows = []
        for r in records:
            cells = []
            for c in columns:
                if c == "title":
                    text = f'<a href="{relative_url(page, r.page_path + ".md")}">{cache.cell(r, "title")}</a>'
                    if r.validity in ("失效", "废止"):
                        text += f' <span class="gk-badge gk-badge--void">{r.validity}</span>'
                else:
                    text = cache.cell(r, c)
                # No data-label here: the phone layout labels cells from their class (gk.css), which keeps
                # the thousands of rows on listing pages cheaper for MkDocs to parse and lighter to send.
                cells.append(f'<td class="gk-col-{c}"{declared.get(c, "")}>{text}</td>')
            rows.append("<tr>" + "".join(cells) + "</tr>")
        table = (f'<table class="gk-table">\n<caption>{escape(caption)}</caption>\n'
                 f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>")
        return slot(table)      # kept out of Python-Markdown (slots.py)

    return record_table
