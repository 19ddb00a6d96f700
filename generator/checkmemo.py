"""`check` of content that has not changed since the last clean check: what that check printed, at once.

The check cache (checkcache.py) spares a warm check the parsing and schema validation of unchanged files, but
ten thousand records were still unpickled and checked across each other: two seconds for an editor or a
pre-commit hook asking about content nobody touched. The outcome of a check is a function of its inputs, so
when none has changed its report is printed again instead of worked out again.

The inputs, as one digest (key):
- the world of the check cache (worlddigest.py): code, settings, content types, libraries, today's date,
  and the libraries only checks across records use (chinesecalendar's holidays);
- every record file by its bytes, the manifest of published records by its bytes;
- every other file under content (attachments) by size, modification time and inode, as git and make do;
- the folder names, the content path as given and the working directory (messages show paths from it).

Only a check without errors is remembered (a run with problems writes nothing). The memo is one small file
in the work directory, written by rename; anything unreadable in it is a miss, never an error.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

from .atomic import read_json, write_text
from .workspace import claim
from .worlddigest import MANIFEST, world_digest

MEMO_FILE = "check-outcome.json"


# Libraries the checks across records use besides those in the world digest (working days: compliance/workdays.py).
ACROSS = ("chinesecalendar",)


def inputs_key(content: Path) -> str:
    from importlib.metadata import PackageNotFoundError, version
    digest = hashlib.sha256(world_digest(content).encode())
    for name in ACROSS:
        try:
            digest.update(f"\0{name} {version(name)}".encode())
        except PackageNotFoundError:
            digest.update(f"\0{name} -".encode())
    digest.update(f"\0{os.getcwd()}\0{content}\0".encode())
    for folder, folders, names in os.walk(content):
        folders.sort()
        digest.update(b"D" + folder.encode("utf-8", "surrogateescape") + b"\0" + "\0".join(folders).encode(
            "utf-8", "surrogateescape"))
        for name in sorted(names):
            path = os.path.join(folder, name)
            encoded = path.encode("utf-8", "surrogateescape")
            try:
                st = os.lstat(path)
            except OSError:
                digest.update(b"X" + encoded)
                continue
            # Only regular files are opened: a pipe named like a record would block the check for ever.
            if stat.S_ISREG(st.st_mode) and (name.endswith(".md") or name == MANIFEST):
                try:
                    with open(path, "rb") as f:
                        digest.update(b"F" + encoded + b"\0" + hashlib.sha1(f.read()).digest())
                    continue
                except OSError:
                    pass            # unreadable: its stat below still makes the key of this state
            digest.update(b"S" + encoded + f"\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\0{st.st_mode}".encode())
    return digest.hexdigest()


class CheckMemo:
    """The last clean check's printed report and exit code, under the key of its inputs."""

    def __init__(self, work: Path | None, content: Path):
        self.path = work / MEMO_FILE if work is not None else None
        self.key = inputs_key(content) if work is not None else ""

    def recall(self) -> tuple[str, int] | None:
        if self.path is None:
            return None
        memo = read_json(self.path)
        if not (isinstance(memo, dict) and memo.get("key") == self.key and isinstance(memo.get("text"), str)
                and isinstance(memo.get("code"), int)):
            return None
        return memo["text"], memo["code"]

    def keep(self, text: str, code: int) -> None:
        """Remember a clean check's report (the key was taken before it ran: a file changed meanwhile
        makes it a miss next time)."""
        if self.path is None:
            return
        try:
            claim(self.path.parent)
            write_text(self.path, json.dumps({"key": self.key, "text": text, "code": code}, ensure_ascii=False))
        except OSError:
            pass            # only the next check's speed is lost
