"""kind: consultation — 重大决策预公开 / 征求意见 with its window, and the 意见采纳情况 that answers it."""
from __future__ import annotations

from .checks import check_across as _check_across, fields as _fields, read as _read
from .model import AdoptionReport, Consultation
from .views import ConsultationViews as Views


def fields(own, options) -> dict:
    return _fields(options or {})


def read(raw, category, published, notice, spot) -> list:
    return _read(raw, category, published, notice, spot)


def check_across(records, spots, problems) -> None:
    _check_across(records, spots, problems)


__all__ = ["AdoptionReport", "Consultation", "Views", "fields", "read", "check_across"]
