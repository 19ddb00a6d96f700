"""Small helpers the tests share for editing fixture copies and writing golden trees."""
from __future__ import annotations

from pathlib import Path


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first old by new; fail loudly when the fixture no longer contains old."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, fragment: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if fragment in line)


def write_tree(root: Path, files: dict[str, str], newline: str | None = None) -> None:
    """Write {relative path: text} under root (golden files)."""
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline=newline)


def never_published(content: Path) -> None:
    """Forget what the last build published (content/_published.json, lifecycle/manifest.py): engine tests
    edit records between builds as if they had never been published, where a real edit would need a note."""
    (content / "_published.json").unlink(missing_ok=True)


def indexed_text(bundle: Path) -> dict[str, str]:
    """Each page's URL -> the words Pagefind indexed for it, in their order, read from the index chunks (the
    fragments hold only what a result shows: generator/searchchunks.py)."""
    import json

    from generator.pagefind_files import bundle_meta, decode, read
    _, _, _, meta = bundle_meta(bundle)
    urls = [json.loads(read(bundle / "fragment" / f"{page[0]}.pf_fragment"))["url"] for page in meta[1]]
    placed: dict[str, dict] = {url: {} for url in urls}
    for _, _, name in meta[2]:
        chunk, _ = decode(read(bundle / "index" / f"{name}.pf_index"))
        for word, pages, *_ in chunk[0]:
            number = 0
            for delta, locations, *_ in pages:
                number += delta
                at = 0
                for step in locations:
                    if step >= 0:       # a negative number marks a weight; a location is a step from the last
                        at += step
                        # Pagefind also indexes parts of a word at its place (x2025ab: x, 2025ab): the word
                        # itself is the longest.
                        if len(word) > len(placed[urls[number]].get(at, "")):
                            placed[urls[number]][at] = word
    return {url: " ".join(found[at] for at in sorted(found)) for url, found in placed.items()}
