"""Structured data in a record's front matter: read each dataset key, check it, build its frozen model.

validate.py calls read_datasets() once per record and check_across() once for the whole site. The JSON Schema
of the category has already checked the shapes; the *_checks modules check arithmetic and vocabulary.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import kinds
from ..model import Category, NoticePeriod, Record
from ..problems import Problems
from . import assistance_checks, budget_checks, environment_checks, poverty_checks
from .spot import Spot


@dataclass(frozen=True)
class Datasets:
    items: tuple = ()
    notice_period: NoticePeriod | None = None   # the default 公示期 of the record's 公示类型, when not written


def read_datasets(raw, category: Category, published: date | None, notice: NoticePeriod | None,
                  problems: Problems) -> Datasets:
    data = raw.front.data
    spot = Spot(raw.front, raw.shown, problems)
    if category.kind:
        # A generic kind reads only what its category declares: a field that happens to share a name with a
        # built-in dataset key (allocation, statistics …) is the county's own shape, not the built-in one.
        items = kinds.read(raw, category, published, notice, spot)   # declared tables, benefit lists, consultations
        return Datasets(tuple(items), None if notice else kinds.default_notice(items))
    items = []
    if "budget" in data:
        items.append(budget_checks.read_budget(data["budget"], spot, raw.body, published.year if published else None))
    items += assistance_checks.read(data, spot)
    notice_list, default_notice = assistance_checks.read_notice(data, category, spot, published, notice, raw.body,
                                                                raw.body_line)
    items.append(notice_list)
    items += poverty_checks.read(data, spot)
    items += environment_checks.read(data, spot, raw, notice)
    return Datasets(tuple(i for i in items if i is not None), default_notice)


def check_across(records: list[Record], raws: list, problems: Problems) -> None:
    """Checks between records: 预算 and 决算 of one department, 保障标准, a year's projects, an EIA's stages."""
    docs = {raw.shown: raw.front for raw in raws}
    spots = {r.source: Spot(docs[r.source], r.source, problems) for r in records if r.datasets and r.source in docs}
    budget_checks.check_across(records, spots)
    assistance_checks.check_across(records, spots)
    poverty_checks.check_across(records, spots)
    environment_checks.check_across(records, spots)
    kinds.check_across(records, spots, problems)
