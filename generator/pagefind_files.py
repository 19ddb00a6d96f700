"""Pagefind's bundle files as this project reads and writes them: CBOR, as much of it as the files use, and the
gzip envelope with its signature.

The format is Pagefind's own, not a published interface (pyproject.toml caps the versions tested): a reader
that meets anything else raises BundleFormatError, and the caller falls back to what Pagefind wrote.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import zlib
from pathlib import Path

from .atomic import write_bytes

SIGNATURE = b"pagefind_dcd"


class BundleFormatError(Exception):
    """The bundle is not in the form this module knows: the caller indexes the shard again instead."""


# --- CBOR, as much as Pagefind's files use -------------------------------------------------------------

def head(data: bytes, i: int) -> tuple[int, int, int]:
    """(major type, argument, position after the head) of the item at i."""
    first = data[i]
    major, info = first >> 5, first & 31
    if info < 24:
        return major, info, i + 1
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
    if size is None:
        raise BundleFormatError(f"unexpected CBOR head {first:#x}")
    return major, int.from_bytes(data[i + 1:i + 1 + size], "big"), i + 1 + size


ONE_INT = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38].|[\x19\x39]..|[\x1a\x3a]....|[\x1b\x3b]........)"
INTS: dict[int, re.Pattern] = {}


def skip(data: bytes, i: int) -> int:
    """The position after the item at i (integer arrays skipped by a regular expression, at C speed)."""
    major, value, j = head(data, i)
    if major in (0, 1, 7):
        return j
    if major in (2, 3):
        return j + value
    if major == 4:
        if value:
            ints = INTS.get(value) or INTS.setdefault(value, re.compile(ONE_INT + b"{%d}" % value, re.S))
            match = ints.match(data, j)
            if match:
                return match.end()
        for _ in range(value):
            j = skip(data, j)
        return j
    if major == 5:
        for _ in range(2 * value):
            j = skip(data, j)
        return j
    raise BundleFormatError(f"unexpected CBOR major type {major}")


def encode_head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + value.to_bytes(size, "big")
    raise BundleFormatError("number too large")


def encode(value) -> bytes:
    if isinstance(value, bool) or value is None:
        return bytes([0xF4 if value is False else 0xF5 if value is True else 0xF6])
    if isinstance(value, int):
        return encode_head(0, value) if value >= 0 else encode_head(1, -1 - value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return encode_head(3, len(raw)) + raw
    if isinstance(value, bytes):
        return encode_head(2, len(value)) + value
    if isinstance(value, list):
        return encode_head(4, len(value)) + b"".join(encode(v) for v in value)
    raise BundleFormatError(f"cannot encode {type(value).__name__}")


def decode(data: bytes, i: int = 0):
    major, value, j = head(data, i)
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
            item, j = decode(data, j)
            items.append(item)
        return items, j
    if major == 7:
        return {20: False, 21: True, 22: None}.get(value), j
    raise BundleFormatError(f"unexpected CBOR major type {major}")


# --- Index chunks ------------------------------------------------------------------------------------

_NEXT_ENTRY = re.compile(rb"\x80(?=\x83[\x60-\x7b])")


def word_entries(data: bytes) -> list[tuple[bytes, int, int]]:
    """(word, start, end) of each word entry of an index chunk, in order (found at C speed: an entry is [word,
    [page entries], extra] and ends with an empty extra list, and an entry (0x83) starts with a text head where a
    page entry (also 0x83) starts with an integer; a count that differs from the chunk's own, or a word out of
    order, means the slow walk or BundleFormatError)."""
    major, count, i = head(data, 0)
    if major != 4 or count != 1:
        raise BundleFormatError("index chunk")
    major, words, i = head(data, i)
    if major != 4:
        raise BundleFormatError("index chunk words")
    if not words:
        return []
    starts = [i] + [m.end() for m in _NEXT_ENTRY.finditer(data, i)]
    if len(starts) != words or data[-1] != 0x80:
        starts = [i]
        for _ in range(words):
            starts.append(skip(data, starts[-1]))
        if starts.pop() != len(data):
            raise BundleFormatError("index chunk end")
    ends = starts[1:] + [len(data)]       # the chunk is [words]: its last entry ends the file
    found, last = [], b""
    for start, end in zip(starts, ends):
        major, size, j = head(data, start + 1)
        if data[start] != 0x83 or major != 3 or data[j:j + size] <= last:
            raise BundleFormatError("word entry")
        last = data[j:j + size]
        found.append((last, start, end))
    return found


# --- Pagefind's files ------------------------------------------------------------------------------------

def read(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise BundleFormatError(f"{path.name} is not a Pagefind file")
    return data[len(SIGNATURE):]


def packed(data: bytes) -> bytes:
    """data gzipped as a bundle file is (level 6, no time), with a window no larger than data needs.

    Setting up deflate with its default 32 KB window cost 50 µs a call, most of gzip.compress on a fragment of
    2 KB (10,000 of them a build); a window as large as the data finds the same matches: the same size, a
    third of the time. Any gzip reader takes it (the window only bounds how far back a match may reach)."""
    bits = min(15, max(10, (len(data) - 1).bit_length()))
    deflate = zlib.compressobj(6, zlib.DEFLATED, 16 + bits)
    return deflate.compress(data) + deflate.flush()


def write(folder: Path, prefix: str, suffix: str, body: bytes) -> str:
    """A new file named like Pagefind's (prefix + short digest); returns its hash part."""
    packed_body = packed(SIGNATURE + body)
    digest = hashlib.sha256(packed_body).hexdigest()
    for length in range(7, 65):
        name = f"{prefix}{digest[:length]}"
        if not (folder / f"{name}{suffix}").exists():
            break
    write_bytes(folder / f"{name}{suffix}", packed_body)
    return name


def bundle_meta(bundle: Path) -> tuple[dict, str, Path, list]:
    """The entry file's contents, the bundle's one language, its metadata file and the decoded metadata."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (language, info), = entry["languages"].items()
    meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
    meta, _ = decode(read(meta_path))
    return entry, language, meta_path, meta
