"""`archive YEAR`: a yearly archive bundle for the records office (档案室), as a folder.

The bundle holds what the public could see of the records published in YEAR, as files that open without a
server (taken from an offline build, generator/offline.py):

    archive-2025/
      index.html               the year's records, each linking to its page
      说明.txt                  what the bundle holds and how to verify it
      SHA256SUMS               a SHA-256 digest of every other file (check with: sha256sum -c SHA256SUMS)
      catalogue-2025.csv/.json the year's catalogue rows (withdrawn records included, marked)
      <category>/2025/<slug>/  each record page with its data files and attachments; withdrawn: the tombstone
      print/                   the board sheets and 明白纸 of the year's records (expired lists stamped 仅供存档)
      assets/ stylesheets/ javascripts/ search/   what the pages need to display, and a search of the year

The folder is written beside its final place and swapped in whole (workspace.py), like the site.
"""
from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from html import escape
from pathlib import Path

from .datasets.clock import today
from .export.downloads import write_catalogue
from .export.jobs import print_outputs
from .offline import OFFLINE_INDEX, offline_index
from .pipeline import Prepared
from .workspace import ARCHIVE, Workspace

SUMS = "SHA256SUMS"
README = "说明.txt"
SHARED = ("assets", "stylesheets", "javascripts")


class NothingToArchive(Exception):
    """No public record was published in that year; the message is Chinese."""


@dataclass(frozen=True)
class Archived:
    folder: Path
    records: int
    withdrawn: int
    prints: int
    files: int
    size: int


def assemble(built: Prepared, year: int, site: Path, out: Path, work: Path, content: Path) -> Archived:
    """Pick the year's files out of the offline build in site and write the bundle into out."""
    catalogue = built.catalogue
    records = [r for r in catalogue.records if r.published_on.year == year]
    withdrawn = [r for r in catalogue.withdrawn if r.published_on.year == year]
    if not records and not withdrawn:
        years = sorted({r.published_on.year for r in catalogue.records})
        raise NothingToArchive(f"{year} 年没有发布过公开信息，没有生成归档包。"
                               + (f"有公开信息的年份：{'、'.join(map(str, years))}。" if years else ""))
    settings = built.checked.settings
    with Workspace(work) as space:
        staged = space.staging(out, ARCHIVE)
        for folder in SHARED:
            if (site / folder).is_dir():
                shutil.copytree(site / folder, staged / folder)
        for r in [*records, *withdrawn]:
            shutil.copytree(site / r.page_path, staged / r.page_path, dirs_exist_ok=True)
        for r in records:
            for a in r.attachments:          # an attachment kept outside the record's own folder
                if not (staged / a.docs_path).exists():
                    (staged / a.docs_path).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(site / a.docs_path, staged / a.docs_path)
        prints = 0
        for r in records:
            if r.on_board or r.leaflet:
                report = print_outputs(built.checked.records, settings, content, staged / "print", space=space,
                                       index_no=r.index_no)
                prints += len(report.files)
        write_catalogue(records, settings.base_url, withdrawn, staged / f"catalogue-{year}.csv",
                        staged / f"catalogue-{year}.json")
        (staged / OFFLINE_INDEX).parent.mkdir(parents=True, exist_ok=True)
        (staged / OFFLINE_INDEX).write_text(offline_index(records), encoding="utf-8")
        (staged / "index.html").write_text(_index_html(settings.name, year, records, withdrawn), encoding="utf-8")
        (staged / README).write_text(_readme(settings.name, year, len(records), len(withdrawn)), encoding="utf-8")
        files = write_sums(staged)
        size = sum(p.stat().st_size for p in staged.rglob("*") if p.is_file())
        space.publish(staged, out)
    return Archived(out, len(records), len(withdrawn), prints, files, size)


def write_sums(folder: Path) -> int:
    """SHA256SUMS in the format of `sha256sum` (two spaces, the path relative to folder); returns the count."""
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != SUMS):
        with path.open("rb") as f:
            lines.append(f"{hashlib.file_digest(f, 'sha256').hexdigest()}  {path.relative_to(folder).as_posix()}")
    (folder / SUMS).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def read_sums(folder: Path) -> dict[str, str]:
    """path -> digest, as written by write_sums."""
    pairs = (line.split("  ", 1) for line in (folder / SUMS).read_text(encoding="utf-8").splitlines() if line)
    return {path: digest for digest, path in pairs}


def _index_html(name: str, year: int, records, withdrawn) -> str:
    e = escape
    rows = "\n".join(f'<tr><td>{e(r.index_no)}</td><td><a href="{e(r.page_path)}/index.html">{e(r.title)}</a></td>'
                     f"<td>{e(r.publisher.name)}</td><td>{r.published_on.isoformat()}</td>"
                     f"<td>{'已撤回（' + r.lifecycle.withdrawn.on.isoformat() + '）' if r.withdrawn else '已发布'}</td></tr>"
                     for r in sorted([*records, *withdrawn], key=lambda r: (r.published_on, r.index_no)))
    return (f'<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{e(name)} {year} 年归档</title>'
            f"</head><body><h1>{e(name)} {year} 年归档</h1><p>生成日期：{today().isoformat()}；共 {len(records)} 条"
            f"公开信息{f'，另有已撤回 {len(withdrawn)} 条' if withdrawn else ''}。说明见 {README}。</p>"
            f'<p>目录下载：<a href="catalogue-{year}.csv">catalogue-{year}.csv</a>、'
            f'<a href="catalogue-{year}.json">catalogue-{year}.json</a></p>'
            "<table><thead><tr><th>索引号</th><th>标题</th><th>发布机构</th><th>发布日期</th><th>状态</th></tr></thead>"
            f"<tbody>\n{rows}\n</tbody></table></body></html>\n")


def _readme(name: str, year: int, records: int, withdrawn: int) -> str:
    return f"""{name} {year} 年政府信息公开归档包
生成日期：{today().isoformat()}
内容：{year} 年发布的 {records} 条公开信息{f'，已撤回 {withdrawn} 条（只保留撤回说明页）' if withdrawn else ''}。

index.html                  本年全部信息的列表，用浏览器打开即可逐条查看
catalogue-{year}.csv          本年信息公开目录（可用 Excel、WPS 打开）
catalogue-{year}.json         同上，JSON 格式，含每条信息的更新记录
各分类目录/{year}/…           每条信息的页面（index.html）、数据文件和附件
print/                      公开栏公示版和明白纸（PDF）；公示期已满的名单标有“公示期已结束，仅供存档”
SHA256SUMS                  除它自己以外每个文件的 SHA-256 校验值

核对文件是否完整、未被改动：在本目录中运行
    sha256sum -c SHA256SUMS
（Windows 可用 PowerShell 的 Get-FileHash 逐个核对。）每一行都显示“成功”或“OK”即为完整。

页面上方的导航链接指向完整网站，在归档包中可能打不开；每条信息的页面本身是完整的。
"""
