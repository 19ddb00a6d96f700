"""The search stage: a Pagefind index built from the records themselves, not from the themed pages.

Each record becomes a small HTML stub holding only what should be found (title, 主题词, summary, body, 索引号,
文号, publisher) as index words (search_words.py), with Pagefind's filter attributes; what a result shows and
the date it ranks by reach the index through searchchunks.recut, not Pagefind's meta and sort. Indexing stubs
instead of the built site is about three times faster, leaves the navigation chrome out, and lets the index be
built while MkDocs runs.

Pagefind's memory grows with the words in one index: with the character-pair words (search_words.py) it
needed 3.1 GB for one index of 10,000 records, so large sites are split into search shards of at most
SHARD_SIZE records. 5,000 halves the build's peak at 10,000 records (3.5 -> 1.9 GB); the price is a first query
of 485 KB gzip instead of 379 (one index chunk per word and shard, and each shard's metadata):
pagefind/ holds the first, pagefind-1/ … the others, and
the browser merges them (gk-search.js, mergeIndex). A shard whose stubs did not change is copied from the
previous build; one with a few changed records keeps its index and the changes go to a small delta index.
"""
from __future__ import annotations

import contextlib
import fnmatch
import gzip
import hashlib
import html
import json
import os
import pickle
import re
import shutil
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

from . import chunkpages, kinds, searchchunks, searchpurge
from .atomic import read_json, write_bytes, write_text
from .beside import give_back_free_memory
from .catalogue import Catalogue
from .model import Record
from .pagefind_files import BundleFormatError
from .render import exact_token
from .lifeline import python_module
from .masks import MASKED_NAME
from .environment import BuildEnvironmentError, link_all, run_tool, tool_output
from .scratch import in_memory, scratch_folder
from .search_words import Texts

SHARD_SIZE = 5000
INDEXED_FILE = "indexed.pickle"   # the stubs a shard's index holds (_write_indexed)
DELTA_DIR = "pagefind-delta"     # records changed since their shard was indexed (see write_search_index)
OVERLAY = "gk-overlay.json"      # in the first bundle: the delta to merge, the old entries to hide
DELTA_SHARE = 0.05
# Pagefind's own UIs and highlighter: the site has its own panel (gk-search.js), so these are not published.
UNUSED = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*", "pagefind-highlight.js")
# Each alternative stops at the next character that could start another (and at the line's end), so every
# character is read a bounded number of times: "<[^>]+>" read to the end of the body from every "<".
_MARKUP = re.compile(r"<[^<>\n]+>|[#>*_`|]+|!?\[([^\[\]\n]*)\]\([^()\n]*\)|^-{3,}$|:?-{3,}:?|^[ \t]*[-+][ \t]+", re.M)


@dataclass(frozen=True)
class SearchShard:
    directory: str            # under the site root: pagefind, pagefind-1, ...
    records: tuple[Record, ...]


PLAN_FILE = "plan.json"         # in work/search: how many shards the last build had
KEEP_COUNT = 0.25               # the shard count stays while shards are within this share of SHARD_SIZE


def shard_count(records: int, previous: int | None, shard_size: int | None = None) -> int:
    """Shards of at most shard_size records, but the last build's count while it still fits within a quarter:
    a site of exactly 10,000 records that gains one would otherwise put every record in a new shard (and
    index them all again), and lose the second shard again the next time one is withdrawn."""
    size = shard_size or SHARD_SIZE
    wanted = max(1, -(-records // size))
    if previous and previous != wanted and (previous - 1) * size * (1 - KEEP_COUNT) < records <= previous * size * (1 + KEEP_COUNT):
        return previous
    return wanted


def previous_count(work: Path | None) -> int | None:
    data = read_json(work / "search" / PLAN_FILE) if work else None
    return data.get("count") if isinstance(data, dict) and isinstance(data.get("count"), int) else None


def plan(catalogue: Catalogue, shard_size: int | None = None, work: Path | None = None) -> list[SearchShard]:
    """Stable shards: a record stays in its shard as others come and go (hash of its 索引号), and the number
    of shards stays while it fits (shard_count)."""
    records = catalogue.records
    count = shard_count(len(records), previous_count(work), shard_size)
    groups: list[list[Record]] = [[] for _ in range(count)]
    for r in records:
        groups[zlib.crc32(r.index_no.encode()) % count].append(r)
    groups = [g for g in groups if g]     # Pagefind refuses an index without pages
    return [SearchShard("pagefind" if i == 0 else f"pagefind-{i}", tuple(g)) for i, g in enumerate(groups)]


def shard_directories(catalogue: Catalogue, work: Path | None = None) -> list[str]:
    return [s.directory for s in plan(catalogue, work=work)]


def _plain(markdown: str) -> str:
    # A masked name's asterisks are text (masks.py): held apart from the marks that are taken out.
    text = MASKED_NAME.sub(lambda m: m.group(1) + "\0" * len(m.group(2)) + m.group(3), markdown)
    return _MARKUP.sub(lambda m: f" {m.group(1)} " if m.group(1) else " ", text).replace("\0", "*")


_CLOSED = re.compile(r"[。！？；：，、…」』”）)]$")
_HAN_END = re.compile(r"[\u3400-\u9fff\uff01-\uff5e。，、；：！？）」』”]$")
_HAN_START = re.compile(r"^[\u3400-\u9fff\uff01-\uff5e（「『“]")


def passage(parts) -> str:
    """Text as one passage for result snippets: paragraphs joined with Chinese punctuation, never an ASCII full
    stop; the lines of a paragraph joined without a space between Chinese characters."""
    out = ""
    for text in parts:
        for block in re.split(r"\n\s*\n", text):
            lines = [" ".join(line.split()) for line in block.splitlines()]
            paragraph = ""
            for line in filter(None, lines):
                glue = "" if not paragraph or (_HAN_END.search(paragraph) and _HAN_START.search(line)) else " "
                paragraph += glue + line
            if paragraph:
                # A line break between paragraphs keeps each a piece of its own for _lost_text (an added
                # paragraph leaves the others as they were); gk-search.js drops the space it becomes.
                out += ("" if not out else "\n" if _CLOSED.search(out) else "。\n") + paragraph
    return out


def _code_digest() -> str:
    """The generator's own code: a stub written by other code is never taken for one written by this."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


_CODE_DIGEST: list[str] = []


def _code() -> str:
    if not _CODE_DIGEST:
        _CODE_DIGEST.append(_code_digest())
    return _CODE_DIGEST[0]


def stub_key(record: Record) -> str:
    """A digest of everything stub() reads from a record: a record whose key is unchanged has the stub it
    had, so a rebuild writes the index words (most of the stage's Python time) for changed records only."""
    inputs = (_code(), record.title, record.keywords, record.summary, record.body, record.service_elements,
              kinds.search_text(record), tuple(kinds.facet_values(record)), record.index_no, record.doc_no,
              record.publisher.name, record.category.title, record.published_on.isoformat(), record.topic)
    return hashlib.sha1(repr(inputs).encode("utf-8")).hexdigest()


def stub(record: Record) -> str:
    """The searchable part of one record, as Pagefind reads it.

    Pagefind indexes index words (search_words.py), never the text itself. What the result list shows (title,
    text, 索引号, 发布机构, 发布日期, 文号) is in the head as JSON (SHOWN), outside what Pagefind reads: Pagefind
    would index every meta value as words (half its index, memory and time), so searchchunks.recut puts it into
    each page's fragment after indexing, where gk-search.js reads it as meta. The page has no language, so
    Pagefind neither segments nor stems the words.
    """
    e = html.escape
    filters = (("分类", record.category.title), ("年份", f"{record.published_on.year}年"),
               ("发布机构", record.publisher.name), ("主题分类", record.topic)) + tuple(kinds.facet_values(record))
    attrs = "".join(f'<span data-pagefind-filter="{e(k)}:{e(v.replace(",", chr(92) + ","))}"></span>'
                    for k, v in filters)
    elements = "\n\n".join(f"{label}：{text}" for label, text in record.service_elements)
    text = passage((record.summary, _plain(record.body), elements))
    shown = {"title": record.title, "text": text, "索引号": record.index_no, "发布机构": record.publisher.name,
             "发布日期": record.published_on.isoformat()} | ({"文号": record.doc_no} if record.doc_no else {})
    exact = exact_token(record.index_no) + (" " + exact_token(record.doc_no) if record.doc_no else "")
    named = (record.title, *record.keywords)
    read = Texts()
    # Title and 主题词 first, with the characters that begin no pair in them: a phrase whose first match is among
    # these words is in the title (the ranking's first tier, gk-search.js); how many there are travels in the
    # fragment's name (searchchunks.TITLE_WORDS).
    titles = " ".join(read.index_words(named) + [read.lone_words(named)]).split()
    # Declared tables (generator/kinds) are searched by their cells' text too.
    searched = (*named, text, kinds.search_text(record), record.index_no, record.doc_no or "",
                record.publisher.name)
    words = "\n".join(read.index_words(searched[len(named):]) + [read.lone_words(searched)])
    return (f'<!doctype html><html><head><meta charset="utf-8">{shown_json(shown)}'
            f'<meta name="{searchchunks.TITLE_WORDS}" content="{len(titles)}"></head>'
            f"<body data-pagefind-body>{attrs}<p>{e(' '.join(titles))}</p><p>{e(words)} {exact}</p></body></html>")


def shown_json(shown: dict) -> str:
    """What the result list shows of a record, as a script element Pagefind does not read (searchchunks.SHOWN).
    No "<" in it (escaped in the JSON), so no text can close the element."""
    data = json.dumps(shown, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f'<script type="application/json" id="gk-shown">{data}</script>'


def _pagefind(stubs: Path, output: Path) -> None:
    cmd = python_module("pagefind", "--site", str(stubs), "--output-path", str(output), "--silent")
    proc = run_tool(cmd, "搜索索引工具 Pagefind")
    if proc.returncode != 0:
        raise BuildEnvironmentError("生成搜索索引失败，原有网站目录未作改动",
                                    tool_output(proc) + "\n（请运行 make site 重新安装依赖：pagefind[extended]）")


def _recut(stubs: Path | Mapping[str, str], output: Path, into: Path | None = None) -> None:
    try:
        searchchunks.recut(output, stubs=stubs, into=into)
    except BundleFormatError as problem:
        # Without the recut no result would show its title or text (they are put into the fragments there).
        raise BuildEnvironmentError("搜索索引工具 Pagefind 写出的文件格式无法识别，原有网站目录未作改动",
                                    f"{problem}\n（请运行 make site 重新安装依赖：pagefind[extended]，版本见 pyproject.toml）")
    except OSError as problem:
        raise BuildEnvironmentError("整理搜索索引文件失败，原有网站目录未作改动",
                                    f"{problem}\n（请检查磁盘空间和工作目录的写入权限）")


def _write_stubs(pages: Mapping[str, str], folder: Path) -> None:
    for path in pages:
        data = pages.raw(path) if isinstance(pages, _Stubs) else pages[path].encode("utf-8")
        target = os.path.join(folder, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)


class _Bundle:
    """A search bundle indexed from scratch into place/bundle, in two steps: start() writes the stubs and sets
    Pagefind indexing them in a thread; finish() waits for it, recuts its files and keeps them. Between the two
    the caller finishes the shard before: its recut (Python, 2 s at 10,000 records) then runs while this
    shard's Pagefind does, instead of the other core waiting for them.

    The stubs, and Pagefind's files until the recut has rewritten them, are in a scratch folder (in memory when
    there is room, scratch.py); only the bundle is kept. When memory runs out as the files are written (another
    program may have filled /dev/shm), or the tool fails there, the bundle is made once more on disk, where a
    failure is the build's to report."""

    def __init__(self, pages: Mapping[str, str], place: Path, memory: bool = True):
        self.pages, self.place, self.memory = pages, place, memory
        self._scratch = contextlib.ExitStack()
        self._folder: Path | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    def start(self) -> _Bundle:
        if self.place.exists():
            shutil.rmtree(self.place)
        self._folder = self._scratch.enter_context(scratch_folder(self.place.parent, memory=self.memory))
        try:
            _write_stubs(self.pages, self._folder / "stubs")
        except OSError as problem:
            if not in_memory(self._folder):
                self.abandon()
                raise
            self._failure = problem         # finish() makes the bundle on disk instead
            return self
        except BaseException:
            self.abandon()
            raise
        # Pagefind is the largest process of a build: the pages this one has freed (the last shard's stubs and
        # recut) go back to the system first.
        give_back_free_memory()
        self._thread = threading.Thread(target=self._index, daemon=True)
        self._thread.start()
        return self

    def _index(self) -> None:
        try:
            _pagefind(self._folder / "stubs", self._folder / "bundle")
            # The recut reads the stubs from memory: their files go at once, not while the next shard's are
            # written and indexed (both in /dev/shm, which the build's peak memory counts).
            shutil.rmtree(self._folder / "stubs", ignore_errors=True)
        except BaseException as problem:    # noqa: BLE001 - reported by finish(), in the caller's thread
            self._failure = problem

    def finish(self, before_retry: Callable[[], None] = lambda: None) -> None:
        """before_retry: called before the bundle is made again on disk (waits for any later shard's Pagefind:
        one at a time)."""
        try:
            self.wait()
            if self._failure is None:
                try:
                    _recut(self.pages, self._folder / "bundle", into=self.place / "bundle")
                except (OSError, BuildEnvironmentError) as problem:
                    self._failure = problem
            if self._failure is not None:
                if not in_memory(self._folder) or not isinstance(self._failure, (OSError, BuildEnvironmentError)):
                    raise self._failure
                self.abandon()
                before_retry()
                _Bundle(self.pages, self.place, memory=False).start().finish()
        finally:
            self.abandon()

    def wait(self) -> None:
        """Wait for Pagefind (one Pagefind at a time: it is the largest process of a build)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def abandon(self) -> None:
        """Wait for Pagefind and remove the scratch folder (a build stopping, or the bundle done)."""
        self.wait()
        self._scratch.close()


def _fresh_bundle(pages: Mapping[str, str], place: Path) -> None:
    """Index pages into place/bundle from scratch, at once."""
    _Bundle(pages, place).start().finish()


# Pieces of a stub: its words, and its shown text's paragraphs (lines, escaped as \n in its JSON).
_PIECES = re.compile(r'(?:[\s<>"=]|\\n)+')


def _lost_text(old: str, new: str) -> bool:
    """Whether a record's new stub lacks some text its indexed stub holds (a name or a number taken out)."""
    return not all(piece in new for piece in _PIECES.split(old) if piece)


def _fragment_ids(place: Path) -> dict[str, str]:
    """URL -> fragment id of every page in place/bundle, read once per fresh index and kept beside it."""
    known = read_json(place / "fragments.json")
    if isinstance(known, dict):
        return known
    found = searchpurge.fragment_urls(place / "bundle")
    write_text(place / "fragments.json", json.dumps(found, ensure_ascii=False))
    return found


def _publish(bundle: Path, target: Path) -> None:
    """The bundle into the site as hard links, without Pagefind's own UIs (the site has gk-search.js)."""
    unused = re.compile("|".join(fnmatch.translate(p) for p in UNUSED))
    pairs = []
    for folder, _, names in os.walk(bundle):
        below = os.path.relpath(folder, bundle)
        for name in names:
            if below == "." and (unused.match(name) or name == chunkpages.MAP_FILE):
                continue        # the chunks' pages are for purges here (chunkpages.py), not for readers
            pairs.append((os.path.join(folder, name), os.path.normpath(os.path.join(target, below, name))))
    link_all(pairs)


def write_search_index(catalogue: Catalogue, site_dir: Path, work: Path, world: str = "") -> list[str]:
    """Index every search shard (or reuse it, or bring it up to date) into site_dir; returns the directories.

    Indexing a 10,000-record shard again because one record changed would cost most of a rebuild. Instead a
    shard keeps the index it was built with, and records added or changed since go to a small delta index
    (pagefind-delta/); the browser merges it (gk-search.js). An old entry that only lacks text added since is
    hidden (listed in pagefind/gk-overlay.json, the browser drops it from results). An old entry may stay in
    the published files only if everything it holds is still public: a record removed from the site
    (deleted, made internal, exempt or a draft) or edited so that some of its text is gone (a name or an ID
    number taken out) is cut out of the shard's files (searchpurge.py). A shard with more than DELTA_SHARE
    of its records changed, or whose files cannot be edited, is indexed again whole.

    world: the check's digest of what every record depends on besides its file (worlddigest.py): a record whose
    file and world are those of the last run keeps the stub key it had then (_keys), unread.
    """
    root = work / "search"
    count = shard_count(len(catalogue.records), previous_count(work))
    shards = plan(catalogue, work=work)
    wanted = {s.directory for s in shards} | {DELTA_DIR, PLAN_FILE, KEYS_DIR}
    if root.exists():
        for old in root.iterdir():
            if old.name not in wanted:
                shutil.rmtree(old)
    delta: dict[str, str] = {}         # stub path -> stub, for records newer than their shard's index
    hidden: dict[str, dict] = {}       # fragment id -> filters of an index entry that is out of date
    inputs = [_inputs(root, shard, world) for shard in shards]
    ahead = None         # the next shard's stubs, written while Pagefind indexes this one (_write_ahead)
    pending: list = []   # shards indexed whole whose recut is still to do (_Bundle)
    try:
        for number, shard in enumerate(shards):
            # Each shard's stubs are let go once it is done (100,000 records' stubs held 0.4 GB).
            (place, state, pages, keys, known), inputs[number] = inputs[number], None
            state_file, indexed_file = place / "state.json", place / INDEXED_FILE
            if ahead is not None:
                ahead.join()
            # A record whose inputs are those of the stub the index holds keeps that stub's digest unwritten. A
            # shard with no index to compare against learns its stubs' digests as Pagefind indexes them
            # (_index_whole): its stubs are made once, as they are written for Pagefind.
            digests = None if state is None else {
                path: state["stubs"][path] if _unchanged(path, key, state, known) else pages.digest(path)
                for path, key in keys.items()}
            gone: list[str] = []
            indexed = None          # the stubs the index holds: read only for a shard with a changed record
            if state is not None:
                held = state["stubs"]
                stale = [p for p in digests if held.get(p) != digests[p]]
                indexed = _read_indexed(indexed_file) if stale or held.keys() - digests.keys() else {}
                if indexed is not None:
                    gone = [p for p in held if p not in digests
                            or (p in stale and _lost_text(_stub_text(indexed.get(p)), pages[p]))]
                    if len(stale) + len(gone) > DELTA_SHARE * max(1, len(held)):
                        state = None
            whole = None        # the second half of a shard indexed whole (_index_whole)
            if state is None or indexed is None:
                whole = _index_whole(place, pages, digests, keys, pending)
                stale = []
            elif gone or stale:
                ids = _fragment_ids(place)
                if gone:
                    state_file.unlink()         # a purge that stops half-way leaves no claim to be current
                    try:
                        searchpurge.purge(place / "bundle", {ids[url] for url in (_url(p) for p in gone) if url in ids})
                    except (BundleFormatError, OSError, ValueError, KeyError, EOFError):
                        state = None
                    if state is None:           # not a bundle this code can edit: indexed again whole
                        whole = _index_whole(place, pages, digests, keys, pending)
                        stale = []
                    else:
                        for path in gone:
                            held.pop(path, None)
                            indexed.pop(path, None)
                            ids.pop(_url(path), None)
                        write_text(place / "fragments.json", json.dumps(ids, ensure_ascii=False))
                        _write_indexed(indexed_file, indexed)
                        write_text(state_file, _state(held, _held_keys(held, digests, keys, known)))
                for path in stale:
                    delta[path] = pages[path]
                    old = ids.get(_url(path)) if state is not None else None
                    if old:
                        hidden[old] = _filters_of(place / "bundle", old)
            # The next shard's stubs are made while this one's Pagefind runs, not while its stubs are written:
            # the two took turns with the interpreter and Pagefind started 2.8 s later at 10,000 records.
            ahead = _write_ahead(inputs[number + 1]) if number + 1 < len(inputs) else None
            if state is not None and indexed is not None and not gone:
                learned = _held_keys(held, digests, keys, known)
                if learned != known:        # a state written before keys were kept, or records edited back
                    write_text(state_file, _state(held, learned))
            if whole is None:
                _publish(place / "bundle", site_dir / shard.directory)
            else:
                # The shard indexed whole before this one is finished while this one's Pagefind runs.
                pending.append((whole, place, site_dir / shard.directory))
                _finish(pending, leave=1)
        _finish(pending)
        if ahead is not None:
            ahead.join()
    except BaseException:
        for whole, _, _ in pending:
            whole.abandon()
        raise
    overlay: dict = {"delta": None, "hidden": hidden}
    if delta:
        place = root / DELTA_DIR
        # The code too: a delta written by other code (searchchunks.recut) is not this code's.
        digest = hashlib.sha256((_code() + json.dumps(delta, sort_keys=True)).encode("utf-8")).hexdigest()
        stamp = place / "fingerprint"
        if not (stamp.exists() and stamp.read_text() == digest and (place / "bundle").is_dir()):
            _fresh_bundle(delta, place)
            write_text(stamp, digest)
        _publish(place / "bundle", site_dir / DELTA_DIR)
        overlay["delta"] = DELTA_DIR
    elif (root / DELTA_DIR).exists():
        shutil.rmtree(root / DELTA_DIR)
    root.mkdir(parents=True, exist_ok=True)
    write_text(root / PLAN_FILE, json.dumps({"count": count}))
    if shards:      # a site without public records has no index (the search box then says it is unavailable)
        (site_dir / shards[0].directory / OVERLAY).write_text(json.dumps(overlay, ensure_ascii=False),
                                                              encoding="utf-8")
    return [s.directory for s in shards]


def _finish(pending: list, leave: int = 0) -> None:
    """Finish the shards indexed whole, oldest first, but the last `leave` (_index_whole), and publish them."""
    while len(pending) > leave:
        finish, place, target = pending.pop(0)
        later = [other for other, _, _ in pending]
        finish(lambda: [other.wait() for other in later])       # a retry on disk waits for their Pagefind
        _publish(place / "bundle", target)


def _inputs(root: Path, shard: SearchShard, world: str = "") -> tuple:
    """A shard's folder, the state its index was built in (None if none can be trusted), its stubs (written when
    asked for), their keys and the keys its index holds."""
    place = root / shard.directory
    state = read_json(place / "state.json") if (place / INDEXED_FILE).exists() and (place / "bundle").is_dir() else None
    # An index another version of the code wrote and recut is not this code's, however alike their stubs.
    state = state if isinstance(state, dict) and isinstance(state.get("stubs"), dict) \
        and state.get("code") == _code() else None
    pages = _Stubs({f"{r.page_path}/index.html": r for r in shard.records})
    keys = _keys(root / KEYS_DIR / f"{shard.directory}.json", pages.records, world)
    known = state.get("keys") if state and isinstance(state.get("keys"), dict) else {}
    return place, state, pages, keys, known


KEYS_DIR = "keys"     # each shard's stub keys by its records' file digests and the check's world (_keys)


def _keys(keys_file: Path, records: dict[str, Record], world: str) -> dict[str, str]:
    """Each record's stub key. The key reads the record's whole text (a fifth of a rebuild's search stage at
    10,000 records): a record made of its file alone (no tables, no attachments: other files) whose file and
    world are those of the last run is the same record (the check cache's own rule, checkcache.py) and keeps
    the key it had. Kept apart from the shard's folder (made afresh when it is indexed whole), rewritten when a
    key changes."""
    last = read_json(keys_file) if world else None
    last = last.get("keys") if isinstance(last, dict) and last.get("world") == world and \
        isinstance(last.get("keys"), dict) else {}
    keys, kept = {}, {}
    for path, record in records.items():
        alone = world and record.of_its_file_alone
        known = last.get(path) if alone else None
        if isinstance(known, list) and len(known) == 2 and known[0] == record.source_digest \
                and isinstance(known[1], str):
            keys[path] = known[1]
        else:
            keys[path] = stub_key(record)
        if alone:
            kept[path] = [record.source_digest, keys[path]]
    if world and kept != last:
        keys_file.parent.mkdir(parents=True, exist_ok=True)
        write_text(keys_file, json.dumps({"world": world, "keys": kept}, ensure_ascii=False))
    return keys


def _state(stubs: dict, keys: dict) -> str:
    """A shard's state.json: the digests of the stubs its index holds, their records' keys, and the code."""
    return json.dumps({"stubs": stubs, "keys": keys, "code": _code()}, ensure_ascii=False)


def _unchanged(path: str, key: str, state: dict | None, known: dict) -> bool:
    return state is not None and known.get(path) == key and path in state["stubs"]


def _write_ahead(inputs: tuple) -> threading.Thread | None:
    """The stubs the next shard will ask for, written in a thread: while Pagefind indexes this shard the thread
    has the interpreter to itself, and a first build's second shard finds its stubs (2 s) written."""
    _, state, pages, keys, known = inputs
    wanted = [path for path, key in keys.items() if not _unchanged(path, key, state, known)]
    if not wanted:
        return None

    def write() -> None:
        try:
            for path in wanted:
                pages.packed_stub(path)
        except Exception:   # noqa: BLE001 - the shard's own turn writes the stub again and reports the problem
            pass
    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def _held_keys(held: dict, digests: dict, keys: dict, known: dict) -> dict:
    """The key of each stub the index holds: this run's where the stub is the same (a state written before
    keys were kept learns them), the old one where the record has changed since (its new text is in the delta)."""
    learned = {p: keys[p] if digests.get(p) == digest else known.get(p) for p, digest in held.items()}
    return {p: key for p, key in learned.items() if key}


class _Stubs(Mapping):
    """Stubs of one shard by stub path, each written when first asked for, with its digest, and kept compressed
    on its own as the shard's INDEXED_FILE holds them: a rebuild decompresses only the stubs of the records it
    changed, and a shard's stubs as text took 100 MB beside Pagefind, at the build's peak."""

    def __init__(self, records: dict[str, Record]):
        self.records = records
        self.packed: dict[str, bytes] = {}
        self.digests: dict[str, str] = {}

    def _make(self, path: str) -> bytes:
        data = stub(self.records[path]).encode("utf-8")
        self.digests[path] = hashlib.sha1(data).hexdigest()
        self.packed[path] = zlib.compress(data, 1)
        return data

    def packed_stub(self, path: str) -> bytes:
        packed = self.packed.get(path)
        if packed is None:
            self._make(path)
            packed = self.packed[path]
        return packed

    def digest(self, path: str) -> str:
        self.packed_stub(path)
        return self.digests[path]

    def raw(self, path: str) -> bytes:
        packed = self.packed.get(path)
        return self._make(path) if packed is None else zlib.decompress(packed)

    def __getitem__(self, path: str) -> str:
        return self.raw(path).decode("utf-8")

    def __iter__(self):
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def all_packed(self) -> dict[str, bytes]:
        return {path: self.packed_stub(path) for path in self.records}


def _url(stub_path: str) -> str:
    return "/" + stub_path.removesuffix("index.html")


def _index_whole(place: Path, pages: _Stubs, digests: dict | None, keys: dict, pending: list = ()
                 ) -> Callable[[], None]:
    """The shard indexed from scratch, with what its index holds (to tell later whether an old entry may stay
    published, _lost_text) and the state that names it current. Returns the second half, to be called once
    (_Bundle): Pagefind runs until then. Pagefind starts once the shards pending before it are indexed.
    digests: the stubs' digests, or None to take them from the stubs once written."""
    for finish, _, _ in pending:
        finish.wait()
    bundle = _Bundle(pages, place).start()

    def finish(before_retry: Callable[[], None] = lambda: None) -> None:
        bundle.finish(before_retry)
        _write_indexed(place / INDEXED_FILE, pages.all_packed())
        made = digests if digests is not None else {path: pages.digest(path) for path in keys}
        write_text(place / "state.json", _state(made, keys))
    finish.abandon, finish.wait = bundle.abandon, bundle.wait
    return finish


def _write_indexed(path: Path, packed: dict[str, bytes]) -> None:
    write_bytes(path, pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL))


def _read_indexed(path: Path) -> dict | None:
    try:
        data = pickle.loads(path.read_bytes())
    except Exception:       # noqa: BLE001 - damaged or of another version: the shard is indexed again
        return None
    return data if isinstance(data, dict) and all(type(v) is bytes for v in data.values()) else None


def _stub_text(packed: bytes | None) -> str:
    return zlib.decompress(packed).decode("utf-8") if packed else ""


def _filters_of(bundle: Path, fragment: str) -> dict:
    data = json.loads(gzip.decompress((bundle / "fragment" / f"{fragment}.pf_fragment").read_bytes())
                      .removeprefix(b"pagefind_dcd"))
    return data.get("filters", {})
