"""Files written whole or not at all, and cached files read back only when intact.

A build can be killed at any moment (a closed terminal, a full disk, a power cut). A file written in place is
then left half-written, and the next build would trust it: a truncated cached PDF was published with exit 0.
So every file a later run reads back is written to a temporary name beside it and renamed into place, and
every such file is checked when read (JSON that parses, a digest that matches).
"""
from __future__ import annotations

import hashlib
import json
import os
from contextlib import contextmanager
from pathlib import Path


def write_bytes(path: Path, data: bytes) -> None:
    """Replace path with data in one rename: readers see the old file or the new one, never a part."""
    with replacing(path, "wb") as f:
        f.write(data)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


@contextmanager
def replacing(path: Path, mode: str = "w", **options):
    """A file opened beside path and renamed onto it once written whole: what write_bytes does, for a file
    written piece by piece. Nothing is renamed when the writing stops."""
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(temporary, mode, **options) as f:
            yield f
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def unlinked(path):
    """path (a Path or a string) with no file at it, for a new one to be written: a file the published site may
    hold as a hard link is never truncated and rewritten in place (README: hard links into the site)."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    return path


def write_new(path: str, data: bytes) -> None:
    """data in a new file at path, an old one there unlinked first (README: hard links into the site). Not
    renamed into place: only for files a later run trusts through a record written after all of them (stamp.py's
    state.json), so a part written by a run that stopped is never read back. Ten thousand renames on the disk of
    a build machine cost a first build more than a second of system time."""
    with open(unlinked(path), "wb") as f:
        f.write(data)


def read_json(path: Path):
    """The JSON in path, or None when it is missing or damaged (the caller then starts afresh)."""
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
