"""kind: environment — AQI from concentrations (HJ 633-2012, hj633.py and generator/data/hj633-2012.yml), forecasts,
drinking water, 重点排污单位 and the stages of an EIA; the AQI calendar and EIA timeline pages."""
from __future__ import annotations

from . import checks
from .views import Mission as Views

OWNS = ("air_quality", "forecast", "water_quality", "key_polluters", "eia")


def read(raw, category, published, notice, spot) -> list:
    return checks.read(raw.front.data, spot, raw, notice)


def check_across(records, spots, problems) -> None:
    checks.check_across(records, spots)
