"""Pages taken out of a Pagefind bundle without indexing it again.

When a record leaves the site or loses text, its old entry may not stay in the published search files: its
fragment holds the old text and the index chunks hold its words (a name taken out must be gone). Indexing a
shard of ten thousand records again took most of a rebuild, so its pages are cut out of the bundle instead:
the fragment is dropped, the page is removed from every word's list (a word no other page has goes with it)
and from every filter value, and the chunks, filters, metadata and entry file that changed are written under
new names (the published site holds hard links to the old files, which are never written in place).

The bundle format is Pagefind's own (not a published interface; pyproject.toml caps the versions tested):
gzip of b"pagefind_dcd" + CBOR. An index chunk is [[word entry...]], a word entry [word, [page entry...],
extra], a page entry [page number as the difference from the previous entry's, locations, meta locations];
a filter chunk is [filter, [[value, [page numbers]]...]]; the metadata [version, [[fragment, word count]...],
[[first word, last word, chunk]...], [[filter, chunk]...], sorts, meta fields]. Chunks are edited as bytes:
only the lists that change are written anew, everything else is copied as it was.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from pathlib import Path

from .atomic import write_bytes, write_text
from .beside import Beside

SIGNATURE = b"pagefind_dcd"


class BundleFormatError(Exception):
    """The bundle is not in the form this module knows: the caller indexes the shard again instead."""


# --- CBOR, as much as Pagefind's files use -------------------------------------------------------------

def _head(data: bytes, i: int) -> tuple[int, int, int]:
    """(major type, argument, position after the head) of the item at i."""
    first = data[i]
    major, info = first >> 5, first & 31
    if info < 24:
        return major, info, i + 1
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
    if size is None:
        raise BundleFormatError(f"unexpected CBOR head {first:#x}")
    return major, int.from_bytes(data[i + 1:i + 1 + size], "big"), i + 1 + size


_ONE_INT = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38].|[\x19\x39]..|[\x1a\x3a]....|[\x1b\x3b]........)"
_INTS: dict[int, re.Pattern] = {}


def _skip(data: bytes, i: int) -> int:
    """The position after the item at i (integer arrays skipped by a regular expression, at C speed)."""
    major, value, j = _head(data, i)
    if major in (0, 1, 7):
        return j
    if major in (2, 3):
        return j + value
    if major == 4:
        if value:
            ints = _INTS.get(value) or _INTS.setdefault(value, re.compile(_ONE_INT + b"{%d}" % value, re.S))
            match = ints.match(data, j)
            if match:
                return match.end()
        for _ in range(value):
            j = _skip(data, j)
        return j
    if major == 5:
        for _ in range(2 * value):
            j = _skip(data, j)
        return j
    raise BundleFormatError(f"unexpected CBOR major type {major}")


def _encode_head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + value.to_bytes(size, "big")
    raise BundleFormatError("number too large")


def _encode(value) -> bytes:
    if isinstance(value, bool) or value is None:
        return bytes([0xF4 if value is False else 0xF5 if value is True else 0xF6])
    if isinstance(value, int):
        return _encode_head(0, value) if value >= 0 else _encode_head(1, -1 - value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _encode_head(3, len(raw)) + raw
    if isinstance(value, bytes):
        return _encode_head(2, len(value)) + value
    if isinstance(value, list):
        return _encode_head(4, len(value)) + b"".join(_encode(v) for v in value)
    raise BundleFormatError(f"cannot encode {type(value).__name__}")


def _decode(data: bytes, i: int = 0):
    major, value, j = _head(data, i)
    if major == 0:
        return value, j
    if major == 1:
        return -1 - value, j
    if major == 2:
        return data[j:j + value], j + value
    if major == 3:
        return data[j:j + value].decode("utf-8"), j + value
    if major == 4:
        items = []
        for _ in range(value):
            item, j = _decode(data, j)
            items.append(item)
        return items, j
    if major == 7:
        return {20: False, 21: True, 22: None}.get(value), j
    raise BundleFormatError(f"unexpected CBOR major type {major}")


# --- Pagefind's files ------------------------------------------------------------------------------------

def _read(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise BundleFormatError(f"{path.name} is not a Pagefind file")
    return data[len(SIGNATURE):]


def _write(folder: Path, prefix: str, suffix: str, body: bytes) -> str:
    """A new file named like Pagefind's (prefix + short digest); returns its hash part."""
    packed = gzip.compress(SIGNATURE + body, compresslevel=6, mtime=0)
    digest = hashlib.sha256(packed).hexdigest()
    for length in range(7, 65):
        name = f"{prefix}{digest[:length]}"
        if not (folder / f"{name}{suffix}").exists():
            break
    write_bytes(folder / f"{name}{suffix}", packed)
    return name


_SIZE = {24: 1, 25: 2, 26: 4, 27: 8}


def _page_entries(data: bytes, i: int, count: int, gone: set[int]):
    """Walk count page entries from i: (kept entry bytes, whether any was dropped, position after them).

    The hot loop of a purge (a million entries on a large site): the common shapes are read inline, the
    rest through _head and _skip."""
    entries, page, dropped, carried = [], 0, False, 0
    ints = _INTS
    for _ in range(count):
        start = i
        if data[i] == 0x83:                         # [page, locations, meta locations]
            i += 1
            first = data[i]
            if first < 24:
                delta, after = first, i + 1
            elif first in (24, 25, 26, 27):
                size = _SIZE[first]
                delta, after = int.from_bytes(data[i + 1:i + 1 + size], "big"), i + 1 + size
            else:
                raise BundleFormatError("page number")
            head = data[after]
            if 0x80 <= head <= 0x97:
                n, j = head - 0x80, after + 1
            elif head == 0x98:
                n, j = data[after + 1], after + 2
            elif head == 0x99:
                n, j = int.from_bytes(data[after + 1:after + 3], "big"), after + 3
            else:
                n, j = -1, after
            if n > 0:
                pattern = ints.get(n) or ints.setdefault(n, re.compile(_ONE_INT + b"{%d}" % n, re.S))
                match = pattern.match(data, j)
                j = match.end() if match else _skip(data, after)
            elif n < 0:
                j = _skip(data, after)
            i = _skip(data, j) if data[j] != 0x80 else j + 1
            delta_at = start + 1
        else:
            major, fields, i = _head(data, i)
            if major != 4 or fields < 1:
                raise BundleFormatError("page entry")
            delta_at = i
            delta, after = _decode(data, i)
            i = after
            for _ in range(fields - 1):
                i = _skip(data, i)
        page += delta
        if page in gone:
            dropped, carried = True, carried + delta
            continue
        if carried:         # the next kept entry counts from the last kept page
            entries.append(data[start:delta_at] + _encode(delta + carried) + data[after:i])
            carried = 0
        elif dropped:
            entries.append(data[start:i])
        else:
            entries.append((start, i))              # unchanged so far: sliced only if needed
    return entries, dropped, i


def _without_pages_index(data: bytes, gone: set[int]) -> bytes | None:
    """An index chunk without the given pages, or None when none of them is in it."""
    major, count, i = _head(data, 0)
    if major != 4 or count < 1:
        raise BundleFormatError("index chunk")
    major, words, i = _head(data, i)
    if major != 4:
        raise BundleFormatError("index chunk words")
    kept_words, changed = [], False
    for _ in range(words):
        start = i
        major, parts, i = _head(data, i)
        if major != 4 or parts < 2:
            raise BundleFormatError("word entry")
        i = _skip(data, i)                          # the word
        pages_at = i
        major, pages, i = _head(data, i)
        if major != 4:
            raise BundleFormatError("word pages")
        entries, dropped, i = _page_entries(data, i, pages, gone)
        rest_start = i
        for _ in range(parts - 2):
            i = _skip(data, i)
        if not dropped:
            kept_words.append(data[start:i])
            continue
        changed = True
        if entries:
            body = b"".join(data[e[0]:e[1]] if isinstance(e, tuple) else e for e in entries)
            kept_words.append(data[start:pages_at] + _encode_head(4, len(entries)) + body + data[rest_start:i])
    if not changed:
        return None
    return data[:_head(data, 0)[2]] + _encode_head(4, len(kept_words)) + b"".join(kept_words) + data[i:]


def _without_pages_filter(data: bytes, gone: set[int]) -> bytes | None:
    chunk, _ = _decode(data)
    name, values = chunk[0], chunk[1]
    kept, changed = [], False
    for value in values:
        pages = [p for p in value[1] if p not in gone]
        changed |= len(pages) != len(value[1])
        if pages:
            kept.append([value[0], pages, *value[2:]])
    return _encode([name, kept, *chunk[2:]]) if changed else None


def fragment_urls(bundle: Path) -> dict[str, str]:
    """Each page's URL -> its fragment id (the name of the file holding its text)."""
    found = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        found[json.loads(_read(path))["url"]] = path.name.removesuffix(".pf_fragment")
    return found


PURGE_IN_TWO = 64      # index chunks from which half are read in a second process


# The index chunks and the filter chunks: where a metadata entry names its file, the file's kind, its editor.
_INDEX = ("index", 2, ".pf_index", _without_pages_index)
_FILTER = ("filter", 1, ".pf_filter", _without_pages_filter)


def _edit_files(bundle: Path, language: str, items: list, gone: set[int], kind: tuple) -> tuple[list, list[Path]]:
    """Each metadata entry as it stays (None for an index chunk with no word left) and the files it replaces."""
    folder, at, suffix, edit = kind
    kept, old_files = [], []
    for item in items:
        path = bundle / folder / f"{item[at]}{suffix}"
        edited = edit(_read(path), gone)
        if edited is None:
            kept.append(item)
            continue
        old_files.append(path)
        if kind is _INDEX and _head(edited, _head(edited, 0)[2])[1] == 0:
            kept.append(None)   # no word left in this chunk: its range is simply not found any more
            continue
        kept.append([*item[:at], _write(bundle / folder, f"{language}_", suffix, edited), *item[at + 1:]])
    return kept, old_files


def purge(bundle: Path, fragments: set[str]) -> None:
    """Take the pages whose fragments are named out of the bundle in place (new files, new names)."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    (language, info), = entry["languages"].items()
    meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
    meta, _ = _decode(_read(meta_path))
    pages, chunks, filters = meta[1], meta[2], meta[3]
    gone = {n for n, page in enumerate(pages) if page[0] in fragments}
    if not gone:
        return
    # A page's words are in most chunks of its shard (188 of 279 for one record of 5,000): every chunk is
    # read, half of them in a forked process on the other core.
    if len(chunks) >= PURGE_IN_TWO:
        other = Beside(lambda: _edit_files(bundle, language, chunks[1::2], gone, _INDEX))
        mine = _edit_files(bundle, language, chunks[0::2], gone, _INDEX)
        theirs = other.result()
        edited_chunks = [c for pair in zip(mine[0], theirs[0]) for c in pair] + mine[0][len(theirs[0]):]
        old_files = mine[1] + theirs[1]
    else:
        edited_chunks, old_files = _edit_files(bundle, language, chunks, gone, _INDEX)
    new_chunks = [c for c in edited_chunks if c is not None]
    new_filters, old_filters = _edit_files(bundle, language, filters, gone, _FILTER)
    old_files += old_filters
    meta_hash = _write(bundle, f"pagefind.{language}_", ".pf_meta", _encode([meta[0], pages, new_chunks, new_filters,
                                                                               *meta[4:]]))
    entry["languages"][language]["hash"] = meta_hash.removeprefix("pagefind.")
    write_text(entry_path, json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
    old_files.append(meta_path)
    old_files += [bundle / "fragment" / f"{f}.pf_fragment" for f in fragments]
    for path in old_files:
        if path.exists():
            os.unlink(path)         # unlinked here only: published copies are other links to the same files
