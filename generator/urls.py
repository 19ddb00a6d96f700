"""Where MkDocs serves a docs file, and relative URLs between generated pages.

Pages link to each other with relative URLs (use_directory_urls: a/b.md is served at a/b/), which keeps the
site working from a sub-path of a county portal.
"""
from __future__ import annotations

import posixpath
from urllib.parse import quote


def url_of(docs_path: str) -> str:
    """The URL (relative to the site root) that MkDocs gives a docs file."""
    if docs_path == "index.md":
        return ""
    if docs_path.endswith("/index.md"):
        return docs_path[: -len("index.md")]
    if docs_path.endswith(".md"):
        return docs_path[:-3] + "/"
    return docs_path


def relative_url(from_docs: str, to_docs: str) -> str:
    """posixpath.relpath without its abspath calls: this runs for every link of every page."""
    here = url_of(from_docs)
    base = [p for p in (here if here.endswith("/") else posixpath.dirname(here) + "/").split("/") if p]
    target = url_of(to_docs)
    parts = [p for p in target.split("/") if p]
    common = 0
    while common < min(len(base), len(parts)) and base[common] == parts[common]:
        common += 1
    rel = "/".join([".."] * (len(base) - common) + parts[common:])
    if target.endswith("/") or target == "":
        rel = rel + "/" if rel else "./"
    return quote(rel or ".")
