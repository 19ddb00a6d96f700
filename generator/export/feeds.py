"""Atom feeds (RFC 4287): all records, and one per category; what subscribers and other platforms read.

An entry is a record. Its <updated> moves with a 重大 correction or a withdrawal, never with a 一般 one, so
feeds announce major changes only (the page's 更新记录 lists all). Dates are the records' own days at
00:00 China time (RFC 3339), and the feed's <updated> is its newest entry's, so a rebuild without changes
writes the same bytes. Every text goes through ElementTree, which escapes it; characters XML cannot carry
(control characters) are left out.
"""
from __future__ import annotations

import heapq
import re
import xml.etree.ElementTree as ET
from datetime import date

from ..catalogue import Catalogue
from ..model import Category, Record

ATOM = "http://www.w3.org/2005/Atom"
FEEDS_DIR = "feeds"
ALL_FEED = f"{FEEDS_DIR}/all.xml"
OPEN_DATA_PAGE = "open-data.md"
FEED_ENTRIES = 50           # the newest entries a feed carries; older ones stay in catalogue.json
CHINA_TIME = "+08:00"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

ET.register_namespace("", ATOM)


def feed_path(category: Category | None = None) -> str:
    return ALL_FEED if category is None else f"{FEEDS_DIR}/{category.id}.xml"


def feed_list(catalogue: Catalogue) -> list[tuple[str, str]]:
    """(title, docs path) of every feed, the whole site's first."""
    return [("全部信息", ALL_FEED)] + [(c.title, feed_path(c)) for c in catalogue.categories]


def stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00{CHINA_TIME}"


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def entry_updated(record: Record) -> tuple[date, str]:
    """(day, why): when the entry last changed for subscribers: published, a 重大 correction, withdrawn."""
    life = record.lifecycle
    if life.withdrawn:
        return life.withdrawn.on, "withdrawn"
    major = life.last_major if life.change_log else None
    if major and major.on > record.published_on:
        return major.on, "corrected"
    return record.published_on, "published"


def _entry(feed: ET.Element, record: Record, base: str) -> None:
    day, why = entry_updated(record)
    url = f"{base}{record.page_path}/"
    e = ET.SubElement(feed, f"{{{ATOM}}}entry")
    ET.SubElement(e, f"{{{ATOM}}}id").text = _text(url)
    prefix = {"withdrawn": "【已撤回】", "corrected": "【更正】"}.get(why, "")
    ET.SubElement(e, f"{{{ATOM}}}title", type="text").text = _text(prefix + record.title)
    ET.SubElement(e, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=_text(url))
    ET.SubElement(e, f"{{{ATOM}}}published").text = stamp(record.published_on)
    ET.SubElement(e, f"{{{ATOM}}}updated").text = stamp(day)
    ET.SubElement(ET.SubElement(e, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = _text(record.publisher.name)
    ET.SubElement(e, f"{{{ATOM}}}category", term=record.category.id, label=_text(record.category.title))
    life = record.lifecycle
    if why == "withdrawn":
        summary = f"本信息已于 {life.withdrawn.on.isoformat()} 撤回。撤回原因：{life.withdrawn.reason}"
    elif why == "corrected":
        summary = f"{life.last_major.on.isoformat()} 重大更新：{life.last_major.note}\n{record.summary}"
    else:
        summary = record.summary
    facts = f"索引号：{record.index_no}" + (f"；文号：{record.doc_no}" if record.doc_no else "")
    ET.SubElement(e, f"{{{ATOM}}}summary", type="text").text = _text(f"{summary}\n{facts}")


def _order(record: Record) -> tuple:
    """Where a record's entry stands in a feed: the newest change first (索引号 are unique: no two are equal)."""
    return entry_updated(record)[0], record.published_on, record.index_no


def newest(records: list[Record], order=_order) -> list[Record]:
    """A feed's entries: the FEED_ENTRIES records changed last for subscribers, newest first (order: _order, or
    a look-up of it made once for records in several feeds)."""
    return heapq.nlargest(FEED_ENTRIES, records, key=order)


def atom(catalogue: Catalogue, title: str, path: str, ordered: list[Record]) -> str:
    """The feed of these entries (newest's order)."""
    s = catalogue.settings
    base = s.base_url if s.base_url.endswith("/") else s.base_url + "/"
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})
    ET.SubElement(feed, f"{{{ATOM}}}id").text = _text(base + path)
    ET.SubElement(feed, f"{{{ATOM}}}title", type="text").text = _text(f"{s.name}：{title}")
    ET.SubElement(feed, f"{{{ATOM}}}subtitle", type="text").text = _text(
        f"{s.host}主动公开的政府信息：新发布的信息、重大更正和撤回")
    newest = entry_updated(ordered[0])[0] if ordered else date(2000, 1, 1)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = stamp(newest)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=_text(base + path))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=_text(base))
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = _text(s.host)
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "gkgen"
    for record in ordered:
        _entry(feed, record, base)
    ET.indent(feed)
    # Registered again here: the registry is global, and WeasyPrint's PDF metadata module replaces this entry
    # when it is imported (a second build in the same process wrote <ns0:feed>).
    ET.register_namespace("", ATOM)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def feed_entries(catalogue: Catalogue) -> dict[str, tuple[str, list[Record]]]:
    """feeds/all.xml and feeds/<category>.xml: (title, entries) of each, published records and withdrawals,
    newest change first."""
    everything = [*catalogue.records, *catalogue.withdrawn]
    orders = {id(r): _order(r) for r in everything}       # each record is in two feeds: ordered once
    order = lambda r: orders[id(r)]     # noqa: E731
    feeds = {ALL_FEED: ("全部信息", newest(everything, order))}
    by_category: dict[str, list] = {category.id: [] for category in catalogue.categories}
    for record in everything:       # one pass, not one per category (25 x 10,000 at 10,000 records)
        by_category.setdefault(record.category.id, []).append(record)
    for category in catalogue.categories:
        feeds[feed_path(category)] = (category.title, newest(by_category[category.id], order))
    return feeds


def feed_files(catalogue: Catalogue) -> dict[str, str]:
    return {path: atom(catalogue, title, path, entries) for path, (title, entries) in feed_entries(catalogue).items()}
