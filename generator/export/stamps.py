"""Printed documents that are no longer current, and the stamp they carry when they are printed anyway.

Two kinds, each left out of the full print run (`print` without a selection) and stamped on every page when
printed on request (`print --record`), so an old sheet can never pass for a current one:

- an expired 公示 name list (Record.list_expired: its 公示期 is over and it is not 长期公布). Its names are off
  the web page and its board sheet off the website; the clerk's archive copy says 「公示期已结束，仅供存档」.
- a superseded 明白纸: one written before a 保障标准 of its category changed. A 保障标准 changes when a record
  published after the 明白纸 states a standard taking effect after it (and differing from the one before).
  The stamp says 「已更新，以最新标准为准」 and names where the current standard is: the newest 明白纸 of the
  category published since the change, else the record that announced the change. The website still offers
  it (its page is part of the record), stamped the same way.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..kinds.social_assistance.model import Standards
from ..model import Record


@dataclass(frozen=True)
class Stamp:
    headline: str        # 公示期已结束，仅供存档
    detail: str          # one sentence under it, naming what to read instead
    list_over: bool = False     # the 公示期 is over (the sheet says so beside it)


def list_stamp(record: Record, today: date) -> Stamp | None:
    if not record.list_expired(today):
        return None
    period = record.notice_period
    ended = f"{period.end.year}年{period.end.month}月{period.end.day}日" if period else ""
    return Stamp("公示期已结束，仅供存档",
                 f"本公示的公示期已于{ended}结束，名单不再张贴，本件仅供存档，不得作为公示张贴。", list_over=True)


def superseded_leaflets(records) -> dict[str, Record]:
    """index_no of each superseded 明白纸 -> the record a reader should turn to instead."""
    changes: dict[str, list[tuple[date, Record]]] = {}       # category id -> (effective_from, announcing record)
    for record in records:
        for dataset in record.datasets:
            if isinstance(dataset, Standards):
                for s in dataset.items:
                    if s.previous is None or s.amount != s.previous:
                        changes.setdefault(record.category.id, []).append((s.effective_from, record))
    leaflets = sorted((r for r in records if r.leaflet), key=lambda r: (r.published_on, r.index_no))
    out = {}
    for leaflet in leaflets:
        later = [(day, r) for day, r in changes.get(leaflet.category.id, ())
                 if r.published_on > leaflet.published_on and day > leaflet.published_on]
        if not later:
            continue
        newest_day = max(day for day, _ in later)
        announced = min((r for day, r in later if day == newest_day), key=lambda r: (r.published_on, r.index_no))
        since = max(announced.published_on, leaflet.published_on + timedelta(days=1))
        newer = [r for r in leaflets if r.category.id == leaflet.category.id and r.published_on >= since]
        out[leaflet.index_no] = newer[-1] if newer else announced
    return out


def leaflet_stamp(instead: Record | None) -> Stamp | None:
    if instead is None:
        return None
    return Stamp("已更新，以最新标准为准",
                 f"本明白纸所列标准已经调整，请以最新标准为准：见《{instead.title}》（索引号 {instead.index_no}）。")
