"""What every record's check depends on besides its own file, as one digest (checkcache.py, checkmemo.py).

Kept apart from both so that the quick path of `check` (checkmemo.py) imports nothing heavy before it knows
whether anything has changed.
"""
from __future__ import annotations

import hashlib
import sys
from datetime import date
from pathlib import Path

from .environment import ROOT

CODE = Path(__file__).resolve().parent
MANIFEST = "_published.json"        # lifecycle/manifest.py: compared across records each run, not per record


def world_digest(content: Path) -> str:
    """Everything besides its own file that one record's load and validation read."""
    from importlib.metadata import version

    from .datasets.clock import today
    digest = hashlib.sha256(" ".join([sys.version, *(version(p) for p in ("pyyaml", "jsonschema", "jsonschema-rs", "markdown"))]).encode())
    shared = sorted([*CODE.rglob("*.py"), *CODE.rglob("*.yml")]) + [ROOT / "mkdocs.yml"]
    # The manifest of published records is rewritten by every build and compared across records each run
    # (lifecycle/manifest.py): no record's own outcome depends on it.
    shared += sorted(p for p in content.iterdir() if p.is_file() and p.name != MANIFEST)
    for category in sorted(p for p in content.iterdir() if p.is_dir()):
        shared += sorted(p for p in category.iterdir() if p.name.startswith("_") and p.is_file())
    for path in shared:
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(f"{date.today()} {today()}".encode())
    return digest.hexdigest()
