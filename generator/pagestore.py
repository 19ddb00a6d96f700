"""Record pages' Markdown in one file beside build/docs instead of a file each.

A build stamps almost every record page (stamp.py): no engine reads its Markdown file, only the stamp does. Their
ten thousand files were a third of the files a first build created (33,000 against Hugo and Pagefind's 22,000),
on disks where creating a file can cost half a millisecond of system time: at 10,000 records the render took
11.6-18.5 s with them and 9.4-11.1 s without (three alternating builds each), and work/docs went from 10,766 files
to 766. So a build's render appends those pages to docs.pages (their text, UTF-8, one after another)
and lists them in docs.pages.json ({page: [offset, length]}); the few the stamp leaves to the engine are written
into docs just before it runs (materialize). The preview (serve) renders every page as a file, as before.

The index follows the render's manifest (render.Writer): taken away when a render starts and written when it ends,
so a render that stopped half-way leaves no index, and the next one starts a new data file. A rebuild appends the
pages whose text changed and keeps the others where they are; the data file is written again once less than half
of it is still listed. The data file is never part of the published site.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from .atomic import read_json, unlinked, write_text

DATA = ".pages"                 # beside docs: docs.pages
INDEX = ".pages.json"           # and docs.pages.json
SLACK = 1 << 20                 # bytes no longer listed that never start a rewrite of the data file


def _paths(docs: Path) -> tuple[Path, Path]:
    return docs.with_name(docs.name + DATA), docs.with_name(docs.name + INDEX)


def _entries(data) -> dict[str, tuple[int, int]]:
    if not isinstance(data, dict):
        return {}
    entries = {}
    for page, place in data.items():
        if not (isinstance(place, list) and len(place) == 2 and all(type(n) is int and n >= 0 for n in place)):
            return {}           # damaged: nothing listed in it is trusted
        entries[page] = (place[0], place[1])
    return entries


class Pages:
    """The pages a render listed, read by page (os.pread: forked readers share the descriptor safely)."""

    def __init__(self, docs: Path, entries: dict[str, tuple[int, int]]):
        self.docs = docs
        self.entries = entries
        self._fd: int | None = None

    def __contains__(self, page: str) -> bool:
        return page in self.entries

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def text(self, page: str) -> str:
        """The page's Markdown: from the data file when listed, else its file in docs."""
        place = self.entries.get(page)
        if place is None:
            return (self.docs / page).read_text(encoding="utf-8")
        if self._fd is None:
            self._fd = os.open(_paths(self.docs)[0], os.O_RDONLY)
        offset, length = place
        data = os.pread(self._fd, length, offset)
        if len(data) != length:
            raise OSError(f"{_paths(self.docs)[0]}：页面 {page} 的数据不完整，请重新运行生成命令")
        return data.decode("utf-8")

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:
        self.close()        # a build that stopped before close(): its descriptor goes with the object

    def materialize(self, pages) -> None:
        """Write these listed pages into docs as files, for the engine (the next render removes them again:
        render.Writer.finish)."""
        for page in pages:
            target = self.docs / page
            target.parent.mkdir(parents=True, exist_ok=True)
            # A new file: the engine's shards link docs files into their own folders.
            unlinked(target).write_text(self.text(page), encoding="utf-8")


def listed(docs: Path) -> Pages:
    """The pages the last render put in the data file (none after a preview's render or a stopped one)."""
    data, index = _paths(docs)
    entries = _entries(read_json(index)) if data.is_file() else {}
    size = data.stat().st_size if entries else 0
    if any(offset + length > size for offset, length in entries.values()):
        entries = {}
    return Pages(docs, entries)


class Store:
    """What a render puts in the data file: pages kept where the last render put them (keep) or appended (put)."""

    def __init__(self, docs: Path, previous: dict[str, tuple[int, int]], data: Path, fresh: bool):
        self.docs = docs
        self.previous = previous        # the last render's entries, still in the data file
        self.kept: dict[str, tuple[int, int]] = {}
        self.put_at: dict[str, tuple[int, int]] = {}    # where this render wrote its pages, in this store's file
        self.data = data
        if fresh:
            # A new file, not the old one cut short: a file object of a render that failed, flushed when it is
            # collected, can only write into the file it had.
            data.unlink(missing_ok=True)
        self._file = open(data, "wb" if fresh else "ab")
        self._end = self._file.seek(0, os.SEEK_END)

    @classmethod
    def take(cls, docs: Path) -> Store:
        """The store for a render into docs: the last index read and removed (render.Writer._take's rule)."""
        data, index = _paths(docs)
        previous = listed(docs).entries
        if index.exists():
            index.unlink()
        for left in data.parent.glob(data.name + ".*"):
            if left != index:
                left.unlink()       # a forked render's spool, or a rewrite, that a stopped run left
        return cls(docs, previous, data, fresh=not previous)

    def has(self, page: str) -> bool:
        return page in self.previous

    def keep(self, page: str) -> None:
        self.kept[page] = self.previous[page]

    def put(self, page: str, text: str) -> None:
        data = text.encode("utf-8")
        self._file.write(data)
        self.put_at[page] = (self._end, len(data))
        self._end += len(data)

    def pages(self) -> set[str]:
        return self.kept.keys() | self.put_at.keys()

    def spooled(self) -> Store:
        """A store for a forked render: a file of its own (two processes never append to one file), the same
        last render's entries. Called in the fork; the parent's file has nothing buffered (flushed first)."""
        return Store(self.docs, self.previous, self.data.with_name(f"{self.data.name}.{os.getpid()}"), fresh=True)

    def handed_back(self) -> tuple[str, dict, dict]:
        """What a spooled store hands back to the parent's (adopt)."""
        self._file.close()
        return str(self.data), self.put_at, self.kept

    def adopt(self, handed: tuple[str, dict, dict]) -> None:
        """The pages a forked render kept, and those it wrote into its spool file, appended here."""
        spool, put_at, kept = handed
        self.kept.update(kept)
        if put_at:
            base = self._end
            with open(spool, "rb") as f:
                while chunk := f.read(1 << 20):
                    self._file.write(chunk)
                    self._end += len(chunk)
            self.put_at.update({page: (base + offset, length) for page, (offset, length) in put_at.items()})
        os.unlink(spool)

    def flush(self) -> None:
        self._file.flush()

    def abandon(self) -> None:
        self._file.close()

    def save(self) -> None:
        """Close the data file, written again when less than half of it is listed; then write the index."""
        self._file.close()
        data, index = _paths(self.docs)
        entries = {**self.kept, **self.put_at}
        if self._end > 2 * sum(length for _, length in entries.values()) + SLACK:
            fresh = data.with_name(data.name + ".new")
            moved = {}
            with open(data, "rb") as old, open(fresh, "wb") as new:
                at = 0
                for page, (offset, length) in sorted(entries.items(), key=lambda item: item[1][0]):
                    old.seek(offset)
                    new.write(old.read(length))
                    moved[page] = (at, length)
                    at += length
            os.replace(fresh, data)
            entries = moved
        write_text(index, json.dumps({p: list(place) for p, place in entries.items()}, ensure_ascii=False))


def forget(docs: Path) -> None:
    """No data file or index (a render that writes every page as a file)."""
    for path in _paths(docs):
        path.unlink(missing_ok=True)
