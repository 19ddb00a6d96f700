"""Structured data in a record's front matter: what the category's kind reads, checked, as frozen models.

validate.py calls read_datasets() once per record and check_across() once for the whole site. The JSON Schema
of the category has already checked the shapes; each kind (generator/kinds) checks arithmetic, vocabulary and
what holds across records. The 公示名单 (`recipients`) is the one dataset any category may carry.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import kinds
from ..kinds.social_assistance.checks import read_notice
from ..model import Category, NoticePeriod, Record
from ..problems import Problems
from .spot import Spot


@dataclass(frozen=True)
class Datasets:
    items: tuple = ()
    notice_period: NoticePeriod | None = None   # the default 公示期 of the record's 公示类型, when not written


def read_datasets(raw, category: Category, published: date | None, notice: NoticePeriod | None,
                  problems: Problems) -> Datasets:
    spot = Spot(raw.front, raw.shown, problems)
    # Only the category's own kind reads: a field that shares a name with another kind's (allocation, statistics)
    # is the county's own shape there, and a built-in field without its kind is refused in _category.yml.
    items = list(kinds.read(raw, category, published, notice, spot))
    notice_list, default_notice = read_notice(raw.front.data, category, spot, published, notice, raw.body,
                                              raw.body_line)
    items.append(notice_list)
    default_notice = default_notice or (None if notice else kinds.default_notice(items))
    return Datasets(tuple(i for i in items if i is not None), default_notice)


def check_across(records: list[Record], raws: list, problems: Problems) -> None:
    """Checks between records: 预算 and 决算 of one department, 保障标准, a year's projects, an EIA's stages,
    a consultation and its adoption report."""
    docs = {raw.shown: raw.front for raw in raws}
    spots = {r.source: Spot(docs[r.source], r.source, problems) for r in records if r.datasets and r.source in docs}
    kinds.check_across(records, spots, problems)
