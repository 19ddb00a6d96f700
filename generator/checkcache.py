"""What `check` learned about each unchanged record file, kept in the work directory for the next run.

On a large site a warm `check` spent its time parsing YAML and validating records that had not changed. A
record file's own outcome depends on its bytes and on what every record shares: the code, site.yml, the
shared and category schemas and templates (every `_` file beside them), mkdocs.yml's Markdown settings, the
library versions and today's date. The shared part is one digest (`world`); a file whose path, bytes and
world match reuses its parsed form and its frozen Record. A file is not even read when its file system facts
(device, inode, size, modification and change times in nanoseconds) are those the last run saw, and were at
least two seconds old then: a file rewritten within one tick of the clock keeps its times, so only times that
were already in the past when they were taken can vouch for the bytes (git's "racily clean" rule).

Only records that validated without any problem and have no attachments are kept: everything else is checked
afresh each run (attachments are other files, and hints look at the disk). Checks across records (numbers,
interpretations, links, deadlines) always run on every record.

Records refer to the settings, organisations and categories of the run that made them; in the cache those
are names, bound to this run's objects when read, so nothing shared is stored twice or goes
stale. The file is written by rename (atomic.py) and read back only whole: a damaged cache is a cold check.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
import stat
import time
from pathlib import Path
from types import MappingProxyType

from . import schema_files
from .atomic import write_bytes
from .lifecycle.manifest import text_digest
from .load import RawRecord
from .model import Category, Organisation, Record, Settings
from .workspace import claim
from .worlddigest import world_digest

CACHE_FILE = "check-cache.pickle"
FORMAT = b"gkgen-check-cache 4\n"
SETTLED_NS = 2_000_000_000      # how old a file's times must be to vouch for its bytes


def _mapping(items: dict) -> MappingProxyType:
    return MappingProxyType(items)


_BOUND = {Category: "category", Organisation: "organisation", Settings: "settings"}
_RUN: dict[tuple, object] = {}      # this run's settings, categories and organisations while entries are read


def _bound(kind: str, name: str):
    """A cached record's settings, category or organisation: this run's object of that name."""
    return _RUN[(kind, name)]


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        # Called only for objects that are not plain values (persistent_id was called for two million
        # objects a 10,000-record cache holds): shared objects by name, frozen YAML data as a mapping.
        kind = _BOUND.get(type(obj))
        if kind is not None:
            return _bound, (kind, "" if kind == "settings" else obj.id)
        if type(obj) is MappingProxyType:          # frozen YAML data (model.freeze)
            return _mapping, (dict(obj),)
        return NotImplemented


def bound_objects(settings: Settings, categories: dict[str, Category]) -> dict[tuple, object]:
    """This run's objects by the names the cache gives them (_Pickler.reducer_override)."""
    return {("settings", ""): settings, **{("category", k): v for k, v in categories.items()},
            **{("organisation", o.id): o for o in settings.organisations}}


class CheckCache:
    """Parsed files and Records of the last check, by file (relative to content) and its bytes' digest.

    Each entry is pickled on its own, so a run that changed one file pickles one entry (not ten thousand)
    and unpickles only the entries whose files are unchanged."""

    def __init__(self, path: Path | None, world: str = "", entries: dict | None = None,
                 stamps: dict | None = None):
        self.path, self.world = path, world
        self._old: dict[str, tuple[str, bytes]] = entries or {}
        self._stamps_old: dict[str, tuple] = stamps or {}
        self._stamps_new: dict[str, tuple] = {}
        self._seen: dict[str, tuple] = {}
        self._settled_before = time.time_ns() - SETTLED_NS
        self._new: dict[str, tuple[str, bytes]] = {}
        self._live: dict[str, tuple[RawRecord, Record]] = {}
        self._bound: dict | None = None
        self.reused = 0
        self._warm: dict[str, tuple[str, bytes]] = {}
        self._ahead: dict[str, tuple[RawRecord, Record]] = {}
        self._schemas = set(schema_files.CLEAN_META)

    @classmethod
    def read(cls, work: Path | None, content: Path) -> CheckCache:
        """The cache in work/ (an empty one that keeps nothing without a work directory). Schemas found
        clean last time are known at once (schema_files.CLEAN_META); records are read when asked for."""
        if work is None or not content.is_dir():
            return cls(None)
        world = world_digest(content)
        path = work / CACHE_FILE
        try:
            data = path.read_bytes()
            head = len(FORMAT) + 64
            body = data[head:]
            if not (data.startswith(FORMAT) and data[len(FORMAT):head].decode() == hashlib.sha256(body).hexdigest()):
                return cls(path, world)
            stored_world, schemas, entries, stamps = pickle.loads(body)
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
            return cls(path, world)     # missing or damaged: a cold check
        if stored_world != world or not isinstance(entries, dict) or not isinstance(stamps, dict):
            return cls(path, world)
        schema_files.CLEAN_META.update(schemas)
        return cls(path, world, entries, stamps)

    def bind(self, settings: Settings | None, categories: dict[str, Category]) -> None:
        """This run's settings and categories, which cached records refer to by name."""
        if settings is None:
            self.path = None            # nothing can be checked: nothing is kept either
            return
        self._bound = bound_objects(settings, categories)

    @property
    def keeps(self) -> bool:
        """Whether this run keeps entries (it has a work directory, and settings to bind them to)."""
        return self.path is not None and self._bound is not None

    def stamp(self, facts: os.stat_result | None) -> tuple | None:
        """A plain file's facts (lstat) as kept, when they are old enough to vouch for its bytes; None for a
        link (its own times say nothing about the file it leads to) or a file changed just now."""
        if facts is None or not stat.S_ISREG(facts.st_mode):
            return None
        if max(facts.st_mtime_ns, facts.st_ctime_ns) >= self._settled_before:
            return None
        return facts.st_dev, facts.st_ino, facts.st_size, facts.st_mtime_ns, facts.st_ctime_ns

    def unread(self, relative: str, stamp: tuple | None, path: Path, shown: str) -> RawRecord | None:
        """The parsed file, unread, if its facts are those the last run saw (stamp)."""
        entry = self._old.get(relative)
        if stamp is None or entry is None or self._stamps_old.get(relative) != stamp:
            return None
        return self.raw(relative, entry[0], path, shown, stamp)

    def raw(self, relative: str, digest: str, path: Path, shown: str, stamp: tuple | None = None) -> RawRecord | None:
        """The parsed file if its bytes are those of a clean record last time, bound to this run's path (stamp:
        the file's facts, taken before it was read, kept with its entry)."""
        if stamp is not None:
            self._seen[relative] = stamp
        entry = self._old.get(relative)
        if entry is None or entry[0] != digest or self._bound is None:
            return None
        ahead = self._ahead.pop(relative, None)
        if ahead is not None:
            raw, record = ahead
        else:
            global _RUN
            _RUN = self._bound
            try:
                raw, record = pickle.loads(entry[1])
            except (ValueError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, KeyError):
                return None         # KeyError: a category or organisation this run does not have
        raw.path, raw.shown = path, shown       # this run's own copy, unpickled for it: bound in place
        self._live[relative] = (raw, record)
        return raw

    def record(self, relative: str, raw: RawRecord) -> Record | None:
        live = self._live.get(relative)
        if live is None or live[0] is not raw:
            return None
        self._new[relative] = self._old[relative]
        self._keep_stamp(relative)
        self.reused += relative not in self._warm
        record = live[1]
        object.__setattr__(record, "source", raw.shown)   # frozen for the stages after; this run's own copy
        return record

    def keep(self, relative: str, raw: RawRecord, record: Record) -> None:
        entry = self.entry(raw, record)
        if entry is not None:
            self._new[relative] = entry
            self._keep_stamp(relative)

    def _keep_stamp(self, relative: str) -> None:
        if relative in self._seen:
            self._stamps_new[relative] = self._seen[relative]

    def entry(self, raw: RawRecord, record: Record) -> tuple[str, bytes] | None:
        """A clean record's entry, or None for one that is checked afresh every run."""
        if self.path is None or record.attachments or raw.path.with_suffix("").is_dir():
            return None
        text_digest(record)     # kept on the record: the next run compares it with the manifest unread
        buffer = io.BytesIO()
        # Paths are this run's (bound again when read): Path objects are slow to unpickle.
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((dataclasses.replace(raw, path=None), record))
        return raw.digest, buffer.getvalue()

    def knows(self, relative: str) -> bool:
        """Whether some version of this file has an entry."""
        return relative in self._old

    def warmed(self, entries: dict[str, tuple[str, bytes]],
               live: dict[str, tuple[str, bytes, RawRecord, Record]]) -> None:
        """Entries made in this run ahead of the check (checkahead.py), some with their objects still live (no
        need to unpickle them): read as the last run's are, but not counted as reused."""
        self._old.update(entries)
        self._warm.update(entries)
        for relative, (digest, pickled, raw, record) in live.items():
            self._old[relative] = self._warm[relative] = (digest, pickled)
            self._ahead[relative] = (raw, record)

    def save(self) -> None:
        """Write what this run kept (files gone since are dropped); a work directory that cannot take it
        only costs the next check its speed. Only a check without errors saves: a run with problems writes
        nothing, and the last clean run's cache still holds for every file unchanged since."""
        unchanged = (self._new.keys() == self._old.keys() and self.reused == len(self._new)
                     and self._schemas >= schema_files.CLEAN_META and self._stamps_new == self._stamps_old)
        if self.path is None or unchanged:
            return
        body = pickle.dumps((self.world, sorted(schema_files.CLEAN_META), self._new, self._stamps_new),
                            protocol=pickle.HIGHEST_PROTOCOL)
        try:
            claim(self.path.parent)
            write_bytes(self.path, FORMAT + hashlib.sha256(body).hexdigest().encode() + body)
        except OSError:
            pass
