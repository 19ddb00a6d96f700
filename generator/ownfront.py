"""The front matter the render writes, read without YAML.

The stamp (stamp.py) reads every record page's front matter; the engine's YAML reader took a seventh of its
time on a first build (1.1 s at 10,000 pages). The render writes one form only: title, description and
gk_feed as JSON strings (render.py, front_text: HTML-escaped first, so no quote in them), `hide:` items, and
the slots as literal blocks indented by four spaces (slots.move_slots). That form is read here; a page with
anything else in its front matter, or with a character YAML would read otherwise (a line break other than
\\n, a backslash escape, a tab in a quoted value), is left to the engine's own reader, so the result is always
the one it gives (tests/test_ownfront.py compares both on every page of the fixtures).
"""
from __future__ import annotations

import re

from .slots import NOT_IN_YAML

_QUOTED = r'"([^"\\\t]*)"'
_FRONT = re.compile(
    "---\n"
    f"title: {_QUOTED}\n"
    f"(?:description: {_QUOTED}\n)?"
    r"(?:hide:\n((?:  - [a-z]+\n)+))?"
    f"(?:gk_feed: {_QUOTED}\n)?"
    r"gk_slots:\n((?:  s[0-9]+: \|2-\n(?:(?: {4}[^\n]*)?\n)*)+)"
    "---[ \t]*\n")
# hide: values that YAML reads as plain strings (not yes/no/on/off/null …): the ones Material knows.
_HIDDEN = frozenset({"navigation", "toc", "footer", "path", "tags", "feedback"})
_SLOT = re.compile(r"^  (s[0-9]+): \|2-\n", re.M)


def read(text: str) -> tuple[str, dict] | None:
    """(the page without its front matter, the front matter), as the engine's reader gives them, or None when
    the page's front matter is not of the render's form."""
    match = _FRONT.match(text)
    # What YAML reads as written in a double-quoted scalar and in a literal block alone: its printable
    # characters but the line breaks other than \n (\r, \x85, \u2028, \u2029) and the byte-order mark.
    if match is None or NOT_IN_YAML.search(text, 0, match.end()):
        return None
    title, description, hide, feed, slots = match.groups()
    meta: dict = {"title": title}
    if description is not None:
        meta["description"] = description
    if hide is not None:
        items = [line[4:] for line in hide.split("\n") if line]
        if not set(items) <= _HIDDEN:
            return None
        meta["hide"] = items
    if feed is not None:
        meta["gk_feed"] = feed
    blocks = _SLOT.split(slots)
    names = blocks[1::2]
    if len(set(names)) != len(names):
        return None             # a key written twice: YAML keeps the last, this leaves it to YAML
    # A literal block: each line without its four spaces of indentation; the trailing line breaks stripped (-).
    meta["gk_slots"] = {name: "\n".join(line[4:] for line in body.split("\n")).rstrip("\n")
                        for name, body in zip(names, blocks[2::2])}
    return text[match.end():].lstrip("\n"), meta
