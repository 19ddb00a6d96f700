"""明白纸: a record's plain-language summary on one A4 page.

The type starts large and steps down (16, 15, 14 pt) until the leaflet fits one page; below 14 pt it would
stop being easy to read, so a longer leaflet goes to two pages with page numbers instead.
"""
from __future__ import annotations

from jinja2 import Environment

from ..model import Record, Settings
from .layout import online_url
from .stamps import Stamp

SIZES = ("size-l", "size-m", "size-s")


def leaflet_html(env: Environment, settings: Settings, record: Record, size: str = SIZES[0],
                 paged: bool = False, stamp: Stamp | None = None) -> str:
    leaflet = record.leaflet
    sections = [("谁能申请？", leaflet.who)]
    if leaflet.how_much:
        sections.append(("能领多少？", leaflet.how_much))
    sections += [("怎么申请？", leaflet.how_to_apply), ("有事找谁？", leaflet.contact)]
    return env.get_template("leaflet.html.j2").render(
        doc_title=f"明白纸：{leaflet.title or record.title}", doc_author=record.publisher.name,
        body_class=f"leaflet {size}" + (" paged" if paged else ""), r=record, l=leaflet, site=settings,
        sections=sections, url=online_url(settings, record), stamp=stamp)


def render_leaflet(renderer, env: Environment, settings: Settings, record: Record, sources,
                   stamp: Stamp | None = None):
    """The largest size that fits one page; else the smallest, paginated. A superseded 明白纸 carries its stamp."""
    for size in SIZES:
        document = renderer.render(leaflet_html(env, settings, record, size, stamp=stamp), sources)
        if len(document.pages) == 1:
            return document
    return renderer.render(leaflet_html(env, settings, record, SIZES[-1], paged=True, stamp=stamp), sources)
