"""Which pages each index chunk of a search bundle holds: a purge reads only the chunks of the pages it cuts out.

A record that loses text or leaves the site is cut out of its shard's index (searchpurge.py). Its words are in
about a fifth of the chunks (98 to 157 of 733 for one record of 5,000), but which ones is known only by reading
every page entry of every chunk: that read was a purge's whole cost (0.55 CPU-seconds a shard at 10,000
records, on the critical path of a rebuild that removes a sentence or withdraws a record). So the first purge of
a bundle, which reads every chunk anyway, notes the pages of each (a byte a page, 1 where the page has a word in
the chunk) and edits only the chunks that hold a gone page; later purges read only the chunks whose row names a
gone page, and note the same rows without those pages. (Noted by the recut instead, the rows cost every full
build a second of the search stage, which shares the cores with the render.)

A row counts only for the file it was taken from: its name, size, modification time and inode, as written.
A chunk without a row that counts (written by other code, copied, touched, or of a shape the rows are not
made for) is read as before; a map that cannot be read is no map. Rows only ever decide which chunks to read,
never what is written into one.

The map is kept in the bundle (MAP_FILE), which search._publish leaves out of the site.
"""
from __future__ import annotations

import json
import os
import re
import zlib
from collections import deque
from itertools import accumulate, repeat
from operator import itemgetter
from pathlib import Path

from .atomic import write_bytes
from .pagefind_files import ONE_INT, BundleFormatError, decode, head, word_entries

MAP_FILE = "gk-chunk-pages.bin"

# A page entry as Pagefind writes it: [page number as the difference from the previous entry's, [locations],
# [meta locations]], all integers (i32 and usize in its source). Arrays of up to 23 integers (a word at most 23
# times on a page, nearly all) are matched with their exact count, so a match is a whole entry of that shape and
# nothing else; a longer array's head is captured and its entry decoded to be sure (entry_pages).
_DIFFERENCE = rb"(?:[\x00-\x17]|\x18.|\x19..|\x1a....)"
_SHORT = b"|".join(bytes([0x80 + n]) + (ONE_INT + b"{%d}" % n if n else b"") for n in (1, 0, *range(2, 24)))


def _array(group: bool) -> bytes:
    return rb"(?:" + _SHORT + rb"|" + (rb"(\x98.|\x99..)" if group else rb"(?:\x98.|\x99..)") + ONE_INT + rb"*+)"


_PAGE_ENTRIES = re.compile(rb"(\x83(" + _DIFFERENCE + rb")" + _array(True) + _array(True) + rb")", re.S).findall
_WHOLE, _DIFFERENCE_OF, _LONG, _LONG_META = itemgetter(0), itemgetter(1), itemgetter(2), itemgetter(3)
_VALUE: dict[bytes, int] = {bytes([n]): n for n in range(24)} | {bytes([0x18, n]): n for n in range(256)}


def _plain_entry(whole: bytes) -> bool:
    """Whether one page entry is [integer, [integers], [integers]] and nothing more (decoded: the slow check
    of an entry with a long array)."""
    try:
        value, end = decode(whole)
    except (BundleFormatError, IndexError, ValueError):
        return False
    return end == len(whole) and isinstance(value, list) and len(value) == 3 and type(value[0]) is int and \
        value[0] >= 0 and all(isinstance(v, list) and all(type(n) is int for n in v) for v in value[1:])


def entry_pages(raw: bytes) -> list[int] | None:
    """The page numbers of one word entry ([word, [page entries], []], as bytes), read at C speed; None when
    it is not of that shape. The entries found must cover the list exactly, one after the other, and be as many
    as its head says: each found is then a whole entry, so they are its entries and nothing else."""
    if raw[:1] != b"\x83" or raw[-1:] != b"\x80":
        return None
    major, size, i = head(raw, 1)
    if major != 3:
        return None
    major, count, i = head(raw, i + size)
    if major != 4:
        return None
    found = _PAGE_ENTRIES(raw, i, len(raw) - 1)
    if len(found) != count or sum(map(len, map(_WHOLE, found))) != len(raw) - 1 - i:
        return None
    if (any(map(_LONG, found)) or any(map(_LONG_META, found))) and \
            not all(_plain_entry(entry[0]) for entry in found if entry[2] or entry[3]):
        return None
    differences = list(map(_DIFFERENCE_OF, found))
    try:
        return list(accumulate(map(_VALUE.__getitem__, differences)))
    except KeyError:        # a difference of three or five bytes not met before: learnt, then read again
        _VALUE.update((d, int.from_bytes(d[1:], "big")) for d in differences if d not in _VALUE)
        return list(accumulate(map(_VALUE.__getitem__, differences)))


def chunk_row(entries, page_count: int) -> bytes | None:
    """The row of a chunk made of these word entries (raw bytes each), or None if one is of another shape."""
    row = bytearray(page_count)
    mark = row.__setitem__
    try:
        for raw in entries:
            pages = entry_pages(raw)
            if pages is None:
                return None
            deque(map(mark, pages, repeat(1)), maxlen=0)
    except IndexError:          # a page number past the metadata's pages
        return None
    return bytes(row)


def data_row(data: bytes, page_count: int) -> bytes | None:
    """The row of an index chunk, from its bytes (None if it is not of the shape rows are made for)."""
    try:
        entries = word_entries(data)
    except (BundleFormatError, IndexError, ValueError):
        return None
    return chunk_row((data[start:end] for _, start, end in entries), page_count)


def without(row: bytes, gone: set[int]) -> bytes:
    """The row of a chunk once the gone pages are cut out of it."""
    edited = bytearray(row)
    for page in gone:
        edited[page] = 0
    return bytes(edited)


def _facts(path: Path) -> list[int] | None:
    try:
        facts = os.stat(path)
    except OSError:
        return None
    return [facts.st_size, facts.st_mtime_ns, facts.st_ino]


def write_map(bundle: Path, page_count: int, rows: dict[str, bytes]) -> None:
    """The rows of the named chunks (files index/<name>.pf_index, as they are now) into the bundle's map."""
    names, blobs = [], []
    for name, row in rows.items():
        facts = _facts(bundle / "index" / f"{name}.pf_index")
        if facts is not None and len(row) == page_count:
            names.append([name, *facts])
            blobs.append(row)
    header = json.dumps({"pages": page_count, "chunks": names}, separators=(",", ":")).encode("utf-8")
    write_bytes(bundle / MAP_FILE, header + b"\n" + zlib.compress(b"".join(blobs), 1))


def read_map(bundle: Path, page_count: int) -> dict[str, bytes]:
    """The rows that count, by chunk name: those of chunk files that are as they were when noted."""
    try:
        header, _, blob = (bundle / MAP_FILE).read_bytes().partition(b"\n")
        known = json.loads(header)
        chunks = known["chunks"]
        if known["pages"] != page_count or not isinstance(chunks, list):
            return {}
        blob = zlib.decompress(blob)
        if len(blob) != page_count * len(chunks):
            return {}
        rows = {}
        for n, (name, *facts) in enumerate(chunks):
            if isinstance(name, str) and "/" not in name and facts == _facts(bundle / "index" / f"{name}.pf_index"):
                rows[name] = blob[n * page_count:(n + 1) * page_count]
        return rows
    except (OSError, ValueError, KeyError, TypeError, zlib.error, MemoryError):
        return {}
