"""环境空气质量指数 (AQI) by HJ 633-2012, every number read from generator/data/hj633-2012.yml.

IAQI = (IH − IL) / (BPH − BPL) × (C − BPL) + IL, rounded as the data file says (up, by default); the AQI of a
day is the largest IAQI; 首要污染物 are the pollutants with that IAQI when the AQI is above 50.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from ...datasets.grid import swatch_class
from ...datasets.spec import load

STANDARD = "hj633-2012"      # the data file in force; a revised standard is a new file, not an edit


@dataclass(frozen=True)
class Level:
    upper: int | None
    level: str          # 一级 …
    category: str       # 优 …
    colour_name: str
    colour: str         # #00E400 …
    text_colour: str

    @property
    def css_class(self) -> str:
        return swatch_class(self.colour, self.text_colour)


@dataclass(frozen=True)
class Pollutant:
    key: str
    name: str
    label: str
    unit: str
    daily: bool
    breakpoints: tuple[Decimal, ...]
    instead: str | None = None


class AboveScale(ValueError):
    """A concentration above the last breakpoint of its table: no IAQI is defined for it."""


@dataclass(frozen=True)
class Standard:
    standard: str
    iaqi: tuple[int, ...]
    rounding: str
    primary_above: int
    exceeding_above: int
    levels: tuple[Level, ...]
    pollutants: dict

    def level(self, aqi: int) -> Level:
        return next(l for l in self.levels if l.upper is None or aqi <= l.upper)

    def index(self, key: str, concentration: Decimal) -> int:
        """IAQI of one pollutant; AboveScale when the table ends below the concentration."""
        p = self.pollutants[key]
        bp = p.breakpoints
        c = Decimal(concentration)
        if c < 0:
            raise ValueError("negative concentration")
        for i in range(1, len(bp)):
            if c <= bp[i]:
                # Exact rational arithmetic: 50 / 35 × 35 must be 50, not 50.000…1 rounded up to 51.
                low, high = Fraction(bp[i - 1]), Fraction(bp[i])
                value = Fraction(self.iaqi[i] - self.iaqi[i - 1]) * (Fraction(c) - low) / (high - low) + self.iaqi[i - 1]
                return math.ceil(value) if self.rounding == "ceiling" else math.floor(value + Fraction(1, 2))
        raise AboveScale(key)

    def daily(self, concentrations: dict[str, Decimal]) -> tuple[int, tuple[str, ...], dict[str, int]]:
        """(AQI, 首要污染物 keys, IAQI of each pollutant) of one day's concentrations."""
        iaqis: dict[str, int] = {}
        for key, c in concentrations.items():
            try:
                iaqis[key] = self.index(key, c)
            except AboveScale:
                instead = self.pollutants[key].instead
                if instead and instead in concentrations:
                    continue          # e.g. O₃ 8-hour above 800: the 1-hour value is reported instead
                raise
        aqi = max(iaqis.values())
        primary = tuple(k for k, v in iaqis.items() if v == aqi) if aqi > self.primary_above else ()
        return aqi, primary, iaqis

    def pollutant_named(self, text: str) -> str | None:
        """The key of a pollutant as people write it: PM2.5, O₃-8h, O3-8h, NO₂, no2 …"""
        wanted = _plain(text)
        return next((k for k, p in self.pollutants.items() if p.daily and _plain(p.name) == wanted), None)


def _plain(text: str) -> str:
    table = str.maketrans("₀₁₂₃₄₅₆₇₈₉０１２３４５６７８９．－", "01234567890123456789.-")
    return re.sub(r"\s+", "", text.translate(table)).upper()


@lru_cache(maxsize=None)
def standard(name: str = STANDARD) -> Standard:
    data = load(name)
    levels = tuple(Level(l["upper"], l["level"], l["category"], l["colour_name"], l["colour"], l["text"])
                   for l in data["levels"])
    pollutants = {k: Pollutant(k, v["name"], v["label"], v["unit"], v["daily"],
                               tuple(Decimal(b) for b in v["breakpoints"]), v.get("instead"))
                  for k, v in data["pollutants"].items()}
    return Standard(data["standard"], tuple(data["iaqi"]), data["rounding"], data["primary_above"],
                    data["exceeding_above"], levels, pollutants)
