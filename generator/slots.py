"""Generated HTML kept out of Python-Markdown.

Listing tables and a record's breadcrumbs and metadata grid are HTML we generate; Python-Markdown would only
parse them (and MkDocs scan them again for anchors) to hand them back unchanged, which was a third of a
listing page's build time. The `slot` filter marks such HTML; Writer.page (render.py) calls move_slots, which
moves it into the page's front matter (gk_slots) and leaves a placeholder; theme/overrides/main.html puts it
back in place. Only HTML without headings or anchors that links point to goes into a slot.
"""
from __future__ import annotations

import re
import secrets

from markupsafe import Markup

_SLOT_TOKEN = secrets.token_hex(8)          # editors' text cannot forge the markers
SLOT_OPEN, SLOT_CLOSE = f"<!--gk-slot-{_SLOT_TOKEN}-->", f"<!--/gk-slot-{_SLOT_TOKEN}-->"
_SLOTS = re.compile(re.escape(SLOT_OPEN) + "(.*?)" + re.escape(SLOT_CLOSE), re.S)
# Whatever YAML may not hold in a literal block (its printable set minus its line breaks, and the BOM) becomes
# an HTML character reference, which means the same in HTML (ownfront.py reads the front matter by the same set).
NOT_IN_YAML = re.compile("[^\x09\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def move_slots(text: str) -> str:
    """Marked HTML out of the Markdown body into front matter; placeholders where it stood."""
    slots: list[str] = []

    def take(m: re.Match) -> str:
        slots.append(NOT_IN_YAML.sub(lambda c: f"&#x{ord(c.group()):x};", m.group(1).strip("\n")))
        return f'\n<div data-gk-slot="s{len(slots) - 1}"></div>\n'     # a block of its own, blank lines around

    body = _SLOTS.sub(take, text)
    if not slots:
        return text
    # A literal block with an explicit indentation (|2-): HTML needs no quoting, any leading spaces are kept.
    yaml_block = "gk_slots:\n" + "".join(
        f"  s{n}: |2-\n" + "\n".join(("    " + line) if line else "" for line in html.split("\n")) + "\n"
        for n, html in enumerate(slots))
    end = body.index("\n---\n", 3) + 1           # the front matter's closing line
    return body[:end] + yaml_block + body[end:]


def slot(html) -> Markup:
    return Markup(SLOT_OPEN + str(html) + SLOT_CLOSE)


def inline_slots(text: str) -> str:
    """The page as plain Markdown again: slot HTML back in place of its placeholder (for `bench`'s baseline)."""
    if not text.startswith("---\n") or "\ngk_slots:\n" not in text:
        return text
    import yaml
    end = text.index("\n---\n", 3)
    front = yaml.load(text[4:end], Loader=yaml.CSafeLoader)
    slots = front.pop("gk_slots")
    head = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n"
    body = text[end + 5:]
    for name, html in slots.items():
        body = body.replace(f'<div data-gk-slot="{name}"></div>', html)
    return head + body
