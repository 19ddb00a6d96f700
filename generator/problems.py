"""Problems found in content, and how they read in Chinese.

Every stage appends to one Problems collection; the command line prints them all grouped by file and stops
once. A problem names the file, the line, the field, what was expected, what was found and how to fix it.
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"
# Order within a file: a problem others follow from (a duplicate 索引号, a wrong leaf row under a parent sum)
# comes before what it explains, whatever its line. Lower ranks first; most problems keep rank 0, line order.
CAUSE = -1


@dataclass(frozen=True)
class Problem:
    file: str            # path relative to the project, as the editor sees it
    line: int | None     # 1-based line in that file, when known
    field: str | None    # Chinese label with the YAML key, e.g. "发布日期 (published_on)"
    message: str         # what is wrong, one sentence
    expected: str | None = None
    got: str | None = None
    hint: str | None = None
    severity: str = ERROR
    rank: int = 0        # see CAUSE
    detail: str | None = None   # the original text of a tool's error (PyYAML), for whoever helps the editor

    def sort_key(self):
        return (self.file, self.rank, self.line or 0, self.field or "", self.message)


class Problems:
    """The collection every check appends to."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def add(self, file, line, field, message, expected=None, got=None, hint=None, severity=ERROR, rank=0,
            detail=None) -> None:
        self._items.append(Problem(str(file), line, field, message, expected, got, hint, severity, rank, detail))

    def extend(self, problems) -> None:
        self._items.extend(problems)

    def in_order(self) -> list[Problem]:
        """Every problem in the order it was added (iterating sorts them for the report)."""
        return list(self._items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self._items if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self._items if p.severity == WARNING]

    def __iter__(self):
        return iter(sorted(self._items, key=Problem.sort_key))

    def __len__(self) -> int:
        return len(self._items)


def shown(value, limit: int = 80) -> str:
    """A value as the editor typed it, shortened so one bad field cannot flood the report."""
    text = str(value)
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "（空）"
    text = text.replace("\n", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def display_path(path: Path, root: Path | None = None) -> str:
    try:
        return str(path.relative_to(root or Path.cwd()))
    except ValueError:
        return str(path)


def content_arg(content: Path) -> str | None:
    """The content directory as the editor gave it, or None for the default content/ that needs no option."""
    shown_dir = display_path(Path(content))
    return None if shown_dir == "content" else shlex.quote(shown_dir)


def check_command(content: Path) -> str:
    """How to check again: `make check`, or `make check CONTENT=../county` for another content directory."""
    given = content_arg(content)
    return "make check" if given is None else f"make check CONTENT={given}"


def new_command(content: Path, category: str = "分类") -> str:
    """How to create a record with the next 索引号, on the content directory the editor works on."""
    given = content_arg(content)
    command = f'.venv/bin/python -m generator new {category} --title "标题"'
    return command if given is None else f"{command} --content {given}"


# Control characters other than line breaks and tabs: a value from a file (a PDF's font name, a YAML "\e") could
# otherwise move the cursor or recolour an editor's terminal. Shown as \x1b instead.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def format_report(problems: Problems, summary: bool = True) -> str:
    """Group by file; errors and warnings in one reading order; a summary line at the end (unless summary=False)."""
    lines: list[str] = []
    current = None
    for p in problems:
        if p.file != current:
            if current is not None:
                lines.append("")
            lines.append(f"文件 {p.file}")
            current = p.file
        where = f"第 {p.line} 行" if p.line else "整个文件"
        kind = "错误" if p.severity == ERROR else "提醒"
        field = f" 字段 {p.field}" if p.field else ""
        lines.append(f"  [{kind}] {where}{field}：{p.message}")
        if p.expected:
            lines.append(f"      应为：{p.expected}")
        if p.got is not None:
            lines.append(f"      实际：{p.got}")
        if p.hint:
            lines.append(f"      提示：{p.hint}")
        if p.detail:
            lines.append(f"      原始信息：{p.detail}")
    if not summary:
        return _visible("\n".join(lines))
    errors, warnings = len(problems.errors), len(problems.warnings)
    files = len({p.file for p in problems.errors})
    if lines:
        lines.append("")
    if errors:
        lines.append(f"共发现 {errors} 个错误（涉及 {files} 个文件）和 {warnings} 条提醒。"
                     f"请按提示修改后重新运行；本次没有生成或修改任何网站文件。")
    elif warnings:
        lines.append(f"检查通过，另有 {warnings} 条提醒，建议处理。")
    else:
        lines.append("检查通过，没有发现问题。")
    return _visible("\n".join(lines))
