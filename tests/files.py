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
