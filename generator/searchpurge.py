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
[[lower bound, last word, chunk]...], [[filter, chunk]...], sorts, meta fields]. Chunks are edited as bytes:
only the lists that change are written anew, everything else is copied as it was.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from . import chunkpages
from .atomic import write_text
from .beside import Beside
from .pagefind_files import (INTS, ONE_INT, BundleFormatError, bundle_meta, decode, encode, encode_head, head, read,
                             skip, write)
from .search_words import chunk_start

_SIZE = {24: 1, 25: 2, 26: 4, 27: 8}


def _page_entries(data: bytes, i: int, count: int, gone: set[int]):
    """Walk count page entries from i: (kept entry bytes, whether any was dropped, position after them).

    The hot loop of a purge (a million entries on a large site): the common shapes are read inline, the
    rest through _head and _skip."""
    entries, page, dropped, carried = [], 0, False, 0
    ints = INTS
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
                pattern = ints.get(n) or ints.setdefault(n, re.compile(ONE_INT + b"{%d}" % n, re.S))
                match = pattern.match(data, j)
                j = match.end() if match else skip(data, after)
            elif n < 0:
                j = skip(data, after)
            i = skip(data, j) if data[j] != 0x80 else j + 1
            delta_at = start + 1
        else:
            major, fields, i = head(data, i)
            if major != 4 or fields < 1:
                raise BundleFormatError("page entry")
            delta_at = i
            delta, after = decode(data, i)
            i = after
            for _ in range(fields - 1):
                i = skip(data, i)
        page += delta
        if page in gone:
            dropped, carried = True, carried + delta
            continue
        if carried:         # the next kept entry counts from the last kept page
            entries.append(data[start:delta_at] + encode(delta + carried) + data[after:i])
            carried = 0
        elif dropped:
            entries.append(data[start:i])
        else:
            entries.append((start, i))              # unchanged so far: sliced only if needed
    return entries, dropped, i


def _without_pages_index(data: bytes, gone: set[int]) -> tuple[bytes, tuple[str, str] | None] | None:
    """An index chunk without the given pages and its first and last word (None when no word is left), or None
    when none of the pages is in it."""
    major, count, i = head(data, 0)
    if major != 4 or count < 1:
        raise BundleFormatError("index chunk")
    major, words, i = head(data, i)
    if major != 4:
        raise BundleFormatError("index chunk words")
    kept_words, changed = [], False
    for _ in range(words):
        start = i
        major, parts, i = head(data, i)
        if major != 4 or parts < 2:
            raise BundleFormatError("word entry")
        i = skip(data, i)                          # the word
        pages_at = i
        major, pages, i = head(data, i)
        if major != 4:
            raise BundleFormatError("word pages")
        entries, dropped, i = _page_entries(data, i, pages, gone)
        rest_start = i
        for _ in range(parts - 2):
            i = skip(data, i)
        if not dropped:
            kept_words.append(data[start:i])
            continue
        changed = True
        if entries:
            body = b"".join(data[e[0]:e[1]] if isinstance(e, tuple) else e for e in entries)
            kept_words.append(data[start:pages_at] + encode_head(4, len(entries)) + body + data[rest_start:i])
    if not changed:
        return None
    bounds = (chunk_start(_entry_word(kept_words[0])), _entry_word(kept_words[-1])) if kept_words else None
    return data[:head(data, 0)[2]] + encode_head(4, len(kept_words)) + b"".join(kept_words) + data[i:], bounds


def _entry_word(entry: bytes) -> str:
    major, size, j = head(entry, 1)
    if major != 3:
        raise BundleFormatError("word")
    return entry[j:j + size].decode("utf-8")


def _without_pages_filter(data: bytes, gone: set[int]) -> bytes | None:
    chunk, _ = decode(data)
    name, values = chunk[0], chunk[1]
    kept, changed = [], False
    for value in values:
        pages = [p for p in value[1] if p not in gone]
        changed |= len(pages) != len(value[1])
        if pages:
            kept.append([value[0], pages, *value[2:]])
    return encode([name, kept, *chunk[2:]]) if changed else None


def fragment_urls(bundle: Path) -> dict[str, str]:
    """Each page's URL -> its fragment id (the name of the file holding its text)."""
    found = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        found[json.loads(read(path))["url"]] = path.name.removesuffix(".pf_fragment")
    return found


PURGE_IN_TWO = 64      # index chunks from which half are read in a second process


def _edit_filters(bundle: Path, language: str, items: list, gone: set[int]) -> tuple[list, list[Path]]:
    """Each filter's metadata entry as it stays, and the files it replaces."""
    kept, old_files = [], []
    for name, chunk in items:
        path = bundle / "filter" / f"{chunk}.pf_filter"
        edited = _without_pages_filter(read(path), gone)
        if edited is None:
            kept.append([name, chunk])
            continue
        old_files.append(path)
        kept.append([name, write(bundle / "filter", f"{language}_", ".pf_filter", edited)])
    return kept, old_files


def _edit_chunks(bundle: Path, language: str, todo: list, gone: set[int], page_count: int) -> tuple[list, list, dict]:
    """The index chunks of todo ([metadata entry, its row or None]) without the gone pages: each entry as it
    stays (None for a chunk with no word left), the files replaced, and the rows of the chunks as they now are
    (chunkpages.py). A chunk without a row gets one from its bytes, and is edited only if it names a gone page."""
    kept, old_files, rows = [], [], {}
    folder = bundle / "index"
    for item, row in todo:
        path = folder / f"{item[2]}.pf_index"
        data = read(path)
        if row is None:
            row = chunkpages.data_row(data, page_count)
        if row is not None and not any(row[page] for page in gone):
            kept.append(item)
            rows[item[2]] = row
            continue
        edited = _without_pages_index(data, gone)
        if edited is None:
            kept.append(item)
            if row is not None:
                rows[item[2]] = row
            continue
        old_files.append(path)
        edited, bounds = edited
        if bounds is None:
            kept.append(None)       # no word left in this chunk: its range is simply not found any more
            continue
        # The metadata names a chunk by its first word's chunk_start and its last word: a word that went with
        # the pages (a name taken out, as its pair words) must not stay there as a bound.
        kept.append([*bounds, write(folder, f"{language}_", ".pf_index", edited)])
        if row is not None:
            rows[kept[-1][2]] = chunkpages.without(row, gone)
    return kept, old_files, rows


def purge(bundle: Path, fragments: set[str]) -> None:
    """Take the pages whose fragments are named out of the bundle in place (new files, new names)."""
    entry, language, meta_path, meta = bundle_meta(bundle)
    pages, chunks, filters = meta[1], meta[2], meta[3]
    gone = {n for n, page in enumerate(pages) if page[0] in fragments}
    if not gone:
        return
    # A page's words are in about a fifth of its shard's chunks: the map of each chunk's pages says which
    # (chunkpages.py); a chunk it says nothing about is read, and noted. Half of those read go to a forked process.
    rows = chunkpages.read_map(bundle, len(pages))
    read_ = [n for n, chunk in enumerate(chunks)
             if chunk[2] not in rows or any(rows[chunk[2]][page] for page in gone)]
    todo = [(chunks[n], rows.get(chunks[n][2])) for n in read_]
    if len(todo) >= PURGE_IN_TWO:
        other = Beside(lambda: _edit_chunks(bundle, language, todo[1::2], gone, len(pages)))
        mine = _edit_chunks(bundle, language, todo[0::2], gone, len(pages))
        theirs = other.result()
        edited = [c for pair in zip(mine[0], theirs[0]) for c in pair] + mine[0][len(theirs[0]):]
        old_files, noted = mine[1] + theirs[1], mine[2] | theirs[2]
    else:
        edited, old_files, noted = _edit_chunks(bundle, language, todo, gone, len(pages))
    edited_chunks = list(chunks)
    for n, chunk in zip(read_, edited):
        edited_chunks[n] = chunk
    read_names = {chunks[n][2] for n in read_}
    new_rows = {name: row for name, row in rows.items() if name not in read_names} | noted
    new_chunks = [c for c in edited_chunks if c is not None]
    new_filters, old_filters = _edit_filters(bundle, language, filters, gone)
    old_files += old_filters
    chunkpages.write_map(bundle, len(pages), {c[2]: new_rows[c[2]] for c in new_chunks if c[2] in new_rows})
    meta_hash = write(bundle, f"pagefind.{language}_", ".pf_meta", encode([meta[0], pages, new_chunks, new_filters,
                                                                               *meta[4:]]))
    entry["languages"][language]["hash"] = meta_hash.removeprefix("pagefind.")
    write_text(bundle / "pagefind-entry.json", json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
    old_files.append(meta_path)
    old_files += [bundle / "fragment" / f"{f}.pf_fragment" for f in fragments]
    for path in old_files:
        if path.exists():
            os.unlink(path)         # unlinked here only: published copies are other links to the same files
