"""A Pagefind bundle recut for readers: a query fetches its own words' lists, not their neighbours', and a
metadata file without Pagefind's long fragment names.

Pagefind writes the words in chunks of about 50 KB and a query fetches the whole chunk of each of its words: a
six-character query (five pairs, each then also as a title word) fetched twenty chunks, 245 KB of the 539 KB a
first query cost at 10,000 records, for words whose own lists were 3 to 4 KB. recut() cuts the chunks to about
CHUNK_BYTES each (a word's list is never cut; a word longer than that is a chunk of its own), so each word
costs about its own size plus a few bytes in the metadata's chunk list.

Two rules keep every query's answer as it was:
- A one-character query's prefix search (x04fdd…) finds words only in the chunks fetched before it:
  gk-search.js fetches every chunk whose lower bound starts with the prefix, so a chunk's lower bound is
  search_words.chunk_start of its first word (not the word itself), and no boundary falls inside a run of words
  with the same chunk_start. A chunk of a pair's run is all a query for that pair fetches: keeping every pair
  a character begins in one chunk made a six-character query fetch five such chunks (33 KB for 保 alone).
- Only words no query can ask for are dropped: every word gk-search.js asks for is ASCII (search_words.py writes
  pairs as hex codes), and Pagefind makes non-ASCII words only of meta values (the stubs give it none now, see
  below; they were more than half of the index when the result list's title and text were meta).

A page's fragment is what the result list shows of it: Pagefind writes there the words it indexed (of no use to
a reader) and the meta values, which it also indexes as words. So the stubs hold what is shown in a script
element Pagefind does not read (SHOWN, search.shown_json), and recut() writes each fragment with that as its
meta and without the words: Pagefind indexes a shard in three quarters of the time and memory, and a result
costs a reader about half the bytes.

The metadata lists every page by its fragment's name, and a first query loads it whole: Pagefind's names
(unknown_ and seven hex digits of the fragment's digest) were half of it. Fragments are renamed behind a prefix
drawn from the bundle's own metadata (the same for all its pages, so it costs nothing compressed): a fragment's
name still changes whenever the index it belongs to is written again, so a browser never takes a cached
fragment of an earlier index for a page of this one. Behind the prefix is what the
ranking needs (gk-search.js), so the metadata needs no more: the count of title words (TITLE_WORDS) and the
发布日期 as a day number, in base 36, and only where pages share both, a count of those before it. (A page
number there instead made the metadata 40 % larger compressed: gzip finds no repeats in counting.)
Pagefind's own sort by date (a list of every page, a quarter of the metadata) and its word counts (for a
relevance score the ranking does not use; another quarter) are gone: every page counts one word.

Pagefind lists the filters, and each filter's values, in its hash maps' order, which changes from run to run; its
metadata then differs, and with it every fragment's name. recut() writes them in order of name and value, so
the same pages make the same files (a deploy after a build that changed nothing copies no search file again).

Word entries are found at C speed (pagefind_files.word_entries); anything unknown leaves Pagefind's files as they
are.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import zlib
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Mapping

from .atomic import write_text
from .pagefind_files import (SIGNATURE, BundleFormatError, bundle_meta, decode, encode, encode_head, packed, read,
                             write)
from .pagefind_files import word_entries as _entries
from .search_words import chunk_start

CHUNK_BYTES = 12_000        # uncompressed; about 5 KB as sent
SHOWN = re.compile(r'<script type="application/json" id="gk-shown">(.*?)</script>', re.S)
# How many of a page's first index words are its title's and 主题词's (search.stub): written into its fragment's
# name after a dot, so that gk-search.js tells a title match from where a phrase is first found, with no words of
# its own for titles (they made a second search, and chunks, of every query).
TITLE_WORDS = "gk-title-words"
_TITLE_WORDS = re.compile(f'<meta name="{TITLE_WORDS}" content="([0-9]+)">')

def _pieces(meta_chunks: list, folder: Path, limit: int):
    """The ASCII word entries of the bundle's chunks, in order, in pieces of about limit bytes: [(word, entry)]."""
    piece: list[tuple[bytes, bytes]] = []
    size = 0
    for first, _, name in meta_chunks:
        if not first[:1].isascii():
            break               # words are in byte order: every word from here on starts with a non-ASCII letter
        data = read(folder / f"{name}.pf_index")
        for word, start, end in _entries(data):
            if not word.isascii():
                continue        # a meta value that starts with a digit (2024年…) sorts among the ASCII words
            if piece and size + end - start > limit and \
                    chunk_start(word.decode("ascii")) != chunk_start(piece[-1][0].decode("ascii")):
                yield piece
                piece, size = [], 0
            piece.append((word, data[start:end]))
            size += end - start
    if piece:
        yield piece


def _base36(n: int) -> str:
    digits = ""
    while True:
        n, d = divmod(n, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[d] + digits
        if not n:
            return digits


def _stub_text(stubs: Path | Mapping[str, str], url: str) -> str:
    """The stub Pagefind indexed at url: from the folder it read, or from the stubs by path (search._Stubs)."""
    path = url.lstrip("/") + "index.html"
    if isinstance(stubs, Mapping):
        try:
            return stubs[path]
        except KeyError:
            return ""
    stub = stubs / path
    return stub.read_text(encoding="utf-8") if stub.is_file() else ""


def _fragment_shown(fragment: Path, stubs: Path | Mapping[str, str]) -> tuple[bytes, str]:
    """The fragment rewritten with what its stub shows as meta and without the indexed words, and its name's
    ending: title words (TITLE_WORDS) and 发布日期 as a day number."""
    data = json.loads(read(fragment))
    text = _stub_text(stubs, data["url"])
    titled = _TITLE_WORDS.search(text)
    found = SHOWN.search(text)
    if not found or not titled:     # every stub the build writes shows its record and counts its title words
        raise BundleFormatError(f"no shown text in the stub of {data['url']}")
    shown = json.loads(found.group(1))
    day = date.fromisoformat(shown["发布日期"]).toordinal()
    data["meta"], data["content"] = shown, ""
    body = SIGNATURE + json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return body, f"{_base36(int(titled.group(1)))}.{_base36(day)}"


def recut(bundle: Path, limit: int | None = None, stubs: Path | Mapping[str, str] | None = None,
          into: Path | None = None) -> None:
    """Rewrite the bundle: words no query asks for dropped, chunks of about limit bytes (CHUNK_BYTES), short
    fragment names, and with stubs (the folder Pagefind indexed, or its stubs by path) each fragment's meta what
    its stub shows. In place, or into a new folder `into` (bundle is then only read: Pagefind's bundle made in
    memory is written to the disk once, as recut, instead of recut there and then copied file by file).
    On any failure the files it wrote are removed (`into` whole) and Pagefind's stay as they were; files in a
    form it does not know (cut short, not gzip, not the CBOR it reads) raise BundleFormatError, the disk's own
    errors OSError."""
    try:
        _recut(bundle, limit or CHUNK_BYTES, stubs, into)
    except (gzip.BadGzipFile, zlib.error, EOFError, IndexError, KeyError, ValueError, TypeError) as problem:
        raise BundleFormatError(f"{type(problem).__name__}: {problem}") from None


def _sorted_filter(data: bytes) -> bytes:
    """A filter chunk, [filter, [[value, [page numbers]]...]], with its values in order: Pagefind writes them in
    its hash map's order, which differs from run to run."""
    (name, values), end = decode(data)
    if end != len(data) or not isinstance(name, str) or not isinstance(values, list) or not all(
            isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) and isinstance(v[1], list) for v in values):
        raise BundleFormatError("filter chunk")
    return encode([name, sorted(values, key=lambda value: value[0])])


def _recut(bundle: Path, limit: int, stubs: Path | Mapping[str, str] | None, into: Path | None) -> None:
    entry, language, meta_path, meta = bundle_meta(bundle)
    if len(meta) < 5 or any(len(chunk) != 3 for chunk in meta[2]) or any(len(f) != 2 for f in meta[3]):
        raise BundleFormatError("metadata")
    folder, fragments = bundle / "index", bundle / "fragment"
    target = into or bundle
    old_chunks = [folder / f"{chunk[2]}.pf_index" for chunk in meta[2]]
    old_fragments = [fragments / f"{page[0]}.pf_fragment" for page in meta[1]]
    old_filters = [bundle / "filter" / f"{name}.pf_filter" for _, name in meta[3]]
    # Filters in order of name, their values in order: the same pages give the same files, and the same names
    # (Pagefind lists both in its hash maps' order, a new one each run: every fragment's name changed with it).
    filters = sorted(([name, _sorted_filter(read(path))] for (name, _), path in zip(meta[3], old_filters)),
                     key=lambda item: item[0])
    rewritten = [_fragment_shown(path, stubs) if stubs else (None, "") for path in old_fragments]
    shown = [body for body, _ in rewritten]
    # A new prefix whenever the metadata or any shown text differs: no fragment name is used for other content.
    # Pagefind's own metadata file is not taken whole: it lists the filters in no fixed order, and its sorts
    # (dropped below) break ties as they come.
    digest = hashlib.sha256(encode([meta[0], meta[1], meta[2], filters, *meta[5:]]))
    for body in shown:
        digest.update(hashlib.sha256(body or b"").digest())
    prefix = digest.hexdigest()[:8] + "-"
    names, shared = [], Counter()
    for n, (_, ending) in enumerate(rewritten):
        if ending:          # title words and day, and how many pages before this one have both
            names.append(prefix + ending + (f".{_base36(shared[ending])}" if shared[ending] else ""))
            shared[ending] += 1
        else:
            names.append(prefix + _base36(n))
    pages = [[name, 1, *page[2:]] for name, page in zip(names, meta[1])]
    made: list[Path] = []
    chunks: list[list] = []
    try:
        if into is not None:
            # Pagefind's files the recut leaves as they are (its scripts and WebAssembly): copied, the rest is written.
            replaced = {*old_chunks, *old_fragments, *old_filters, meta_path, bundle / "pagefind-entry.json"}
            for path in sorted(bundle.rglob("*")):
                if path.is_file() and path not in replaced:
                    (into / path.relative_to(bundle)).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, into / path.relative_to(bundle))
            for name in ("index", "fragment", "filter"):
                (into / name).mkdir(parents=True, exist_ok=True)
        for piece in _pieces(meta[2], folder, limit):
            body = encode_head(4, 1) + encode_head(4, len(piece)) + b"".join(raw for _, raw in piece)
            chunks.append([chunk_start(piece[0][0].decode("ascii")), piece[-1][0].decode("ascii"),
                           write(target / "index", f"{language}_", ".pf_index", body)])
            made.append(target / "index" / f"{chunks[-1][2]}.pf_index")
        for old, page, body in zip(old_fragments, pages, shown):
            path = target / "fragment" / f"{page[0]}.pf_fragment"
            if body is None and into is None:
                os.link(old, path)
            elif body is None:
                shutil.copyfile(old, path)
            else:
                with open(path, "wb") as f:
                    f.write(packed(body))
            made.append(path)
        filter_names = []
        for filter_name, body in filters:
            filter_names.append([filter_name, write(target / "filter", f"{language}_", ".pf_filter", body)])
            made.append(target / "filter" / f"{filter_names[-1][1]}.pf_filter")
        name = write(target, f"pagefind.{language}_", ".pf_meta", encode([meta[0], pages, chunks, filter_names, [],
                                                                        *meta[5:]]))
        made.append(target / f"{name}.pf_meta")
        entry["languages"][language]["hash"] = name.removeprefix("pagefind.")
        write_text(target / "pagefind-entry.json", json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
    except BaseException:
        if into is not None:
            shutil.rmtree(into, ignore_errors=True)
        else:
            for path in made:
                if path.exists():
                    os.unlink(path)
        raise
    if into is not None:
        return
    kept = {path.name for path in made}
    for path in old_chunks + old_fragments + old_filters + [meta_path]:
        if path.name not in kept and path.exists():
            os.unlink(path)
