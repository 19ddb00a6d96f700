"""A cold check on two cores: the record files the check cache lacks are read and validated ahead of the check,
half in this process and half in a forked one beside it, into cache entries. The check proper then takes every
one of those records from the cache, as it takes an unchanged file's.

Reading and validating are per file until the checks across records, and on a cold check of ten thousand files
they kept one core busy for seconds while the other waited (a first build's search index and pages wait for
them). Only a record with nothing to say becomes an entry (CheckCache.entry's rule, the same as a warm check's):
a file with any problem is read and validated again by the check itself, so every message comes from the same
code, in the same order, as without this module.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .beside import Beside, cores
from .checkcache import CheckCache
from .load import RawRecord, not_a_record, refuse_odd_keys
from .model import Category
from .problems import Problems, display_path
from .sourcefile import SourceError, read_text, split_front_matter
from .validate import OneRecord

# Files without an entry from which a second process pays for itself (forking, the entries sent back).
AHEAD_FROM = 1000


def check_ahead(cache: CheckCache, content: Path, categories: dict[str, Category], each: OneRecord | None,
                found: list[tuple[Path, str]]) -> int:
    """Entries for the clean records among the record files found (load.candidates) that the cache lacks,
    made on both cores and handed to the cache; returns how many files were read (0 when too few lack an
    entry to be worth a second process). each: the validation the check proper uses (None without settings)."""
    if each is None or not cache.keeps or cores() < 2:
        return 0
    content_shown = display_path(content)
    todo = []
    # A file whose name has an entry is most likely unchanged (a rebuild after an edit): left to the check.
    for path, rel in found:
        if "/" in rel and rel.split("/", 1)[0] in categories and not cache.knows(rel[:-3]):
            todo.append((path, rel, rel if content_shown == "." else os.path.join(content_shown, rel)))
    if len(todo) < AHEAD_FROM:
        return 0

    def made(part: list[tuple], pickled: bool) -> dict[str, tuple]:
        entries = {}
        for path, rel, shown in part:
            entry = _entry(cache, each, content, path, rel, shown)
            if entry is not None:
                entries[rel[:-3]] = entry[:2] if pickled else entry
        return entries

    # The other process's records come back pickled, as cache entries are; this one's stay as they are.
    try:
        beside = Beside(lambda: made(todo[1::2], pickled=True))
    except OSError:         # no process to be had (a limit on processes, memory): the check reads them
        beside = None
    mine = made(todo[0::2], pickled=False)
    try:
        theirs = beside.result() if beside else {}
    except (RuntimeError, OSError):
        # Only speed is lost: the check reads and validates every file left without an entry, and says what
        # went wrong with it if anything does.
        theirs = {}
    cache.warmed(theirs, mine)
    return len(todo)


def _entry(cache: CheckCache, each: OneRecord, content: Path, path: Path, rel: str, shown: str) -> tuple | None:
    """The file's entry and objects (digest, pickled, raw, record) if it is a clean record, else None (the
    check reads it itself)."""
    if not_a_record(path, content) is not None:       # a link, a folder, a FIFO: the check says what it is
        return None
    try:
        text = read_text(path)
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        source = split_front_matter(text)
        refuse_odd_keys(source.front, text)
    except (SourceError, OSError):
        return None
    if not isinstance(source.front.data, dict) or source.front.duplicates:
        return None
    raw = RawRecord(path, shown, rel.split("/", 1)[0], rel[:-3], source.front, source.body, source.body_line,
                    digest)
    problems = Problems()
    record = each.validate(raw, problems)
    if record is None or len(problems):
        return None
    entry = cache.entry(raw, record)
    return None if entry is None else (*entry, raw, record)
