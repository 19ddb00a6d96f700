"""The data files in generator/data, read once per process."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..sourcefile import parse_yaml, read_text

DATA = Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=None)
def load(name: str):
    """generator/data/<name>.yml as plain data (numbers with a fraction are Decimals)."""
    return parse_yaml(read_text(DATA / f"{name}.yml")).data
