"""The command line: the only place that prints or exits.

Exit codes: 0 clean, 1 content problems, 2 usage or environment error.
"""
from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import threading
import time
from datetime import date
from pathlib import Path

from .lifeline import stop_descendants
from .problems import Problems, check_command, display_path, format_report
from .environment import BuildEnvironmentError
from .timing import Phases
from .workspace import PRINT, Workspace, check_paths

OK, CONTENT_PROBLEMS, USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"命令用法有误：{message}\n可运行 python -m generator --help 查看说明。", file=sys.stderr)
        sys.exit(USAGE)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m generator", description="政府信息公开网站生成工具")
    p.add_argument("--version", action="version", version=version_line(), help="显示版本号后退出")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    sub.required = True

    def command(name, help_text):
        c = sub.add_parser(name, help=help_text, description=help_text)
        c.add_argument("--content", default="content", type=Path, help="内容目录（默认 content）")
        return c

    c = command("check", "检查全部内容，列出所有问题，不生成任何网页")
    c.add_argument("--work", default="build", type=Path,
                   help="中间文件目录（默认 build）：记下未改动文件的检查结果，下次检查更快")
    b = command("build", "检查内容并生成网站")
    b.add_argument("--out", type=Path, help="网站输出目录（默认 site；内网版默认 site-internal）")
    b.add_argument("--work", default="build", type=Path, help="中间文件目录（默认 build）")
    b.add_argument("--audience", default="public", choices=["public", "internal"],
                   help="public 生成对外网站；internal 生成内网网站（含内部公开信息）")
    b.add_argument("--offline", action="store_true",
                   help="生成离线版：用浏览器直接打开 index.html 就能浏览和搜索（默认输出到 site-offline）")
    b.add_argument("--quiet", action="store_true", help="不显示各阶段的进度（用于持续集成）")
    n = command("new", "新建一条信息：自动分配索引号并按分类模板生成文件")
    n.add_argument("category", help="分类目录名，例如 social_assistance")
    n.add_argument("--title", required=True, help="标题")
    n.add_argument("--publisher", help="发布机构（全称、简称或标识）,默认取分类的默认发布机构")
    n.add_argument("--date", help="发布日期 YYYY-MM-DD，默认今天")
    n.add_argument("--name", help="文件名（英文字母、数字和 -，例如 dibao-2026-01）；默认为 机构标识-流水号，例如 mzj-00003")
    bench = sub.add_parser("bench", help="性能基准：生成 N 条合成信息并测量生成时间、内存和搜索流量")
    bench.add_argument("--records", type=int, default=10000, help="合成信息条数（默认 10000）")
    bench.add_argument("--keep", type=Path, help="保留合成内容和输出的目录")
    bench.add_argument("--no-baseline", action="store_true", help="不构建 plain mkdocs-material 对照")
    bench.add_argument("--no-browser", action="store_true", help="不测量浏览器搜索流量")
    bench.add_argument("--no-boards", action="store_true", help="合成内容不设公开栏分类（只测网站，不生成公示版 PDF）")
    s = command("serve", "本地预览：修改内容后自动重新生成")
    s.add_argument("--work", default="build", type=Path, help="中间文件目录（默认 build）")
    s.add_argument("--port", default=8000, type=int, help="端口（默认 8000）")
    pr = command("print", "生成公开栏公示版、明白纸、季度公开栏合订本和政务公开登记簿（PDF）")
    pr.add_argument("--out", default="print", type=Path,
                    help="输出目录（默认 print，在 site 旁边；不能放在网站目录中）")
    pr.add_argument("--work", default="build", type=Path, help="中间文件目录（默认 build；同一目录同时只能有一个任务）")
    pr.add_argument("--quarter", metavar="季度", help="例如 2026Q3：把该季度要上公开栏的信息合成一册")
    pr.add_argument("--record", metavar="索引号", help="只打印这一条信息的公示版和明白纸")
    pr.add_argument("--register", action="store_true", help="生成政务公开登记簿（CSV 和 PDF）")
    d = command("deploy", "检查并生成网站，然后发布：推送到 git 仓库（--git）、替换网站服务器的目录（--dir）或打包（--zip）")
    d.add_argument("--git", metavar="远程仓库", help="推送到这个 git 远程仓库（地址、路径或远程仓库名称）")
    d.add_argument("--branch", default="gh-pages", help="与 --git 一起使用：推送到哪个分支（默认 gh-pages）")
    d.add_argument("--dir", type=Path, metavar="目录", help="用新网站整体替换这个目录（网站服务器的网站目录）")
    d.add_argument("--zip", type=Path, metavar="文件", help="把网站打包成这个 zip 文件")
    d.add_argument("--out", default="site", type=Path, help="网站输出目录（默认 site）")
    d.add_argument("--work", default="build", type=Path, help="中间文件目录（默认 build）")
    d.add_argument("--quiet", action="store_true", help="不显示各阶段的进度（用于持续集成）")
    ar = command("archive", "生成某一年的归档包（页面、附件、目录 CSV/JSON、公示版 PDF 和 SHA-256 校验清单），交档案室保存")
    ar.add_argument("year", type=int, metavar="年份", help="例如 2025：归档该年发布的信息")
    ar.add_argument("--out", type=Path, help="归档目录（默认 archive-年份，例如 archive-2025）")
    ar.add_argument("--work", default="build", type=Path, help="中间文件目录（默认 build）")
    ar.add_argument("--quiet", action="store_true", help="不显示各阶段的进度")
    rp = command("report", "合规报告：公开时限、定期公开、文件一致性和依申请公开办理情况；--annual 生成年度报告")
    rp.add_argument("--out", type=Path, help="报告输出目录（默认 site-internal/report，内网版，不在公开网站中）")
    rp.add_argument("--strict", action="store_true", help="有任何发现时以退出码 1 结束（用于持续集成）")
    rp.add_argument("--annual", type=int, metavar="年度", help="生成该年度的政府信息公开工作年度报告（HTML 和 PDF）")
    return p


def version_line() -> str:
    """This program's version and the versions of the tools that shape its output."""
    from importlib.metadata import PackageNotFoundError, version

    def of(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "未安装"
    return (f"gkgen {of('gkgen')}（MkDocs {of('mkdocs')}，Material {of('mkdocs-material')}，"
            f"Pagefind {of('pagefind')}，Python {sys.version.split()[0]}）")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "bench":
        from .bench import run
        return run(args.records, args.keep, baseline=not args.no_baseline, browser=not args.no_browser,
                   boards=not args.no_boards)
    if not args.content.is_dir():
        print(f"找不到内容目录 {args.content}。请在项目根目录运行，或用 --content 指定内容目录。", file=sys.stderr)
        return USAGE
    # The preview handles its own interruption (Ctrl+C ends it normally).
    handlers = _stop_on_signals() if args.command != "serve" else {}
    try:
        return {"check": _check, "build": _build, "new": _new, "serve": _serve,
                "print": _print, "report": _report, "deploy": _deploy,
                "archive": _archive}[args.command](args)
    except BuildEnvironmentError as exc:
        print(f"生成失败：{exc.message}", file=sys.stderr)
        if exc.detail:
            print(exc.detail, file=sys.stderr)
        return USAGE
    except OSError as exc:
        print(f"生成失败：{_os_error(exc)}。原有网站目录未作改动。", file=sys.stderr)
        return USAGE
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return USAGE
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


INTERRUPTED = "已中断：没有完成，原有网站目录未作改动。"


def _stop_on_signals() -> dict:
    """SIGTERM and Ctrl+C stop the run at once: children killed, staging folders removed, one Chinese line.

    Unwinding instead would wait for MkDocs shards and print workers to finish (threads and processes the
    interrupt does not reach), and the default SIGTERM would leave them running and the staging behind."""
    if threading.current_thread() is not threading.main_thread():
        return {}

    def stop(signum, frame):
        stop_descendants()
        if Workspace.current is not None:
            Workspace.current.abandon()
        print(INTERRUPTED, file=sys.stderr, flush=True)
        sys.stdout.flush()
        os._exit(USAGE)

    return {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGINT)}


_ERRNO_TEXT = {errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.EROFS: "磁盘或目录是只读的",
               errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "磁盘配额已用完", errno.ENOENT: "文件或目录不存在",
               errno.ENOTDIR: "路径中有一段不是目录", errno.EISDIR: "这是一个目录，不是文件",
               errno.ENOTEMPTY: "目录不是空的（可能另一个任务同时在写）"}


def _os_error(exc: OSError) -> str:
    what = _ERRNO_TEXT.get(exc.errno, exc.strerror or str(exc))
    where = exc.filename if exc.filename is not None else ""
    return f"无法读写 {where}（{what}）" if where else f"读写文件出错（{what}）"


def _check(args) -> int:
    from .checkmemo import CheckMemo
    from .workspace import cache_directory
    work = cache_directory(args.content, args.work)
    # Content unchanged since the last clean check: its report again, before anything heavy is imported.
    memo = CheckMemo(work, args.content)
    said = memo.recall()
    if said is not None:
        print(said[0])
        return said[1]
    from . import pipeline
    checked = pipeline.check(args.content, work=work)
    text = format_report(checked.problems)
    if checked.ok:
        text += f"\n共 {len(checked.records)} 条信息，{len(checked.categories)} 个分类。"
        memo.keep(text, OK)
    print(text)
    return OK if checked.ok else CONTENT_PROBLEMS


# One line as each phase of a build starts (pipeline.py), with what it works on.
PHASE_LINES = {
    "load": "正在读取内容……",
    "validate": "正在检查 {n} 个信息文件……",
    "render": "正在生成页面：{n} 条公开信息……",
    "search index": "正在生成搜索索引：{n} 条信息（与生成网页同时进行）……",
    "offline index": "正在生成离线版搜索索引：{n} 条信息……",
    "mkdocs": "正在用 MkDocs 生成网页：{n} 个页面……",
    "offline links": "正在把链接改为直接打开文件也能用的形式……",
    "print": "正在生成公示版、明白纸和年度报告 PDF：{n} 条信息……",
}


def progress_printer(quiet: bool):
    """Phases' progress callback: one Chinese line per phase, flushed at once; nothing with --quiet."""
    if quiet:
        return None

    def show(name: str, count: int | None) -> None:
        line = PHASE_LINES.get(name)
        if line:
            print(line.format(n=count if count is not None else "?"), flush=True)

    return show


def _build(args) -> int:
    from . import pipeline
    started = time.perf_counter()
    # The intranet site never lands where the public one lives unless asked for explicitly.
    default = "site" if args.audience == "public" else "site-internal"
    args.out = args.out or Path(default + ("-offline" if args.offline else ""))
    built = pipeline.build(args.content, args.out, args.work, args.audience,
                           phases=Phases(progress_printer(args.quiet)), offline=args.offline)
    problems = built.checked.problems
    if not built.checked.ok:
        print(format_report(problems))
        print(f"网站目录 {args.out} 保持原样。")
        return CONTENT_PROBLEMS
    if len(problems):
        print(format_report(problems))
    cat = built.catalogue
    what = "离线版网站" if args.offline else "网站"
    print(f"{what}已生成到 {args.out}/，共 {len(cat.records)} 条公开信息，{len(built.pages)} 个页面，"
          f"用时 {time.perf_counter() - started:.1f} 秒。")
    if args.offline:
        print(f"用浏览器打开 {args.out / 'index.html'} 即可浏览和搜索，整个目录可以复制到 U 盘或查询机上使用。")
    return OK


def _deploy(args) -> int:
    from . import pipeline
    from . import deploy
    targets = [t for t in (args.git, args.dir, args.zip) if t]
    if len(targets) != 1:
        print("请指定一个发布方式：--git 远程仓库、--dir 目录 或 --zip 文件（只能选一个）。\n"
              "例如 python -m generator deploy --git /srv/git/site.git", file=sys.stderr)
        return USAGE
    if args.branch != "gh-pages" and not args.git:
        print("--branch 只能和 --git 一起使用。", file=sys.stderr)
        return USAGE
    # The target is checked before anything is built: a refusal costs nothing.
    if args.dir:
        deploy.check_dir_target(args.content, args.work, args.dir, args.out)
    if args.zip:
        deploy.check_zip_target(args.content, args.out, args.zip)
    started = time.perf_counter()
    built = pipeline.build(args.content, args.out, args.work, phases=Phases(progress_printer(args.quiet)))
    if len(built.checked.problems):
        print(format_report(built.checked.problems))
    if not built.checked.ok:
        print(f"内容有错误，没有发布；网站目录 {args.out} 和发布目标都保持原样。")
        return CONTENT_PROBLEMS
    print(f"网站已生成到 {args.out}/，共 {len(built.catalogue.records)} 条公开信息。正在发布……", flush=True)
    settings = built.checked.settings
    if args.git:
        message = f"发布 {settings.name}：{len(built.catalogue.records)} 条公开信息（{date.today().isoformat()}）"
        done = deploy.to_git(args.out, args.git, args.branch, args.work, message)
    elif args.dir:
        done = deploy.to_dir(args.out, args.dir, args.work)
    else:
        done = deploy.to_zip(args.out, args.zip, args.work)
    print(f"已发布到 {done.where}{'（' + done.detail + '）' if done.detail else ''}，"
          f"用时 {time.perf_counter() - started:.1f} 秒。")
    return OK


def _archive(args) -> int:
    from . import pipeline
    import shutil

    from .archive import NothingToArchive, assemble
    from .workspace import ARCHIVE
    if not 1949 <= args.year <= 2200:
        print(f"年份 {args.year} 无效，请写四位数的年份，例如 2025。", file=sys.stderr)
        return USAGE
    out = args.out or Path(f"archive-{args.year}")
    check_paths(args.content, args.work, out, ARCHIVE, what="归档目录（--out）")
    # The pages come from an offline build (they open without a server), made beside the bundle.
    site = out.parent / f".{out.name}.site"
    try:
        built = pipeline.build(args.content, site, args.work, phases=Phases(progress_printer(args.quiet)),
                               offline=True)
        if len(built.checked.problems):
            print(format_report(built.checked.problems))
        if not built.checked.ok:
            print(f"内容有错误，没有生成归档包；{display_path(out)} 保持原样。")
            return CONTENT_PROBLEMS
        if not args.quiet:
            print(f"正在整理 {args.year} 年的归档包……", flush=True)
        done = assemble(built, args.year, site, out, args.work, args.content)
    except NothingToArchive as exc:
        print(str(exc), file=sys.stderr)
        return USAGE
    finally:
        if site.exists():
            shutil.rmtree(site)
    print(f"{args.year} 年归档包已生成到 {display_path(done.folder)}/：{done.records} 条信息"
          f"{f'（另有已撤回 {done.withdrawn} 条）' if done.withdrawn else ''}，公示版和明白纸 {done.prints} 份，"
          f"共 {done.files} 个文件，{done.size / 1024 / 1024:.1f} MB。\n"
          f"校验：在该目录中运行 sha256sum -c SHA256SUMS。")
    return OK


def _new(args) -> int:
    from . import pipeline
    from .scaffold import LedgerError, ScaffoldError, create
    checked = pipeline.check(args.content)
    if checked.settings is None or args.category not in checked.categories:
        if checked.settings is None:
            print(format_report(checked.problems))
            return CONTENT_PROBLEMS
        print(f"未知分类 {args.category}。可选的分类："
              + "、".join(f"{c.id}({c.title})" for c in sorted(checked.categories.values(), key=lambda c: c.order)),
              file=sys.stderr)
        return USAGE
    on = None
    if args.date:
        try:
            on = date.fromisoformat(args.date)
        except ValueError:
            print(f"日期 {args.date} 无效，请写成 YYYY-MM-DD，例如 2025-03-18。", file=sys.stderr)
            return USAGE
    try:
        made = create(args.content, checked.settings, checked.categories[args.category], args.title,
                      args.publisher, on, args.name)
    except ScaffoldError as exc:
        print(str(exc), file=sys.stderr)
        return USAGE
    except LedgerError as exc:
        print(format_report(exc.problems))
        return CONTENT_PROBLEMS
    shown = display_path(made.path)
    print(f"已新建 {shown}\n索引号：{made.index_no}\n"
          f"请打开文件填写内容；改完后删除 draft: true 这一行，再运行 {check_command(args.content)} 检查。")
    # Show at once what the new file still lacks: placeholders to replace, fields the template does not have.
    own = Problems()
    own.extend(p for p in pipeline.check(args.content).problems if p.file == shown)
    if len(own):
        print("\n新文件还需要补充：\n" + format_report(own, summary=False))
    return OK


def _serve(args) -> int:
    from .preview import serve
    return serve(args.content, args.work, args.port)


def _print(args) -> int:
    from . import pipeline
    from .export.board import Quarter
    from .export.jobs import PrintRequestError, print_outputs
    from .export.paths import website_around
    started = time.perf_counter()
    website = website_around(args.out)
    if website is not None:
        print(f"打印文件不能输出到网站目录 {display_path(website)}/ 中：网站目录会整个上传到网上，"
              "而公示期已满的名单和政务公开登记簿不能上网。\n"
              "请换一个目录，例如不写 --out（默认输出到 print/）。", file=sys.stderr)
        return USAGE
    quarter = None
    if args.quarter:
        quarter = Quarter.parse(args.quarter)
        if quarter is None:
            print(f"季度 {args.quarter} 无效，请写成 年份Q季度，例如 2026Q3（Q1 到 Q4）。", file=sys.stderr)
            return USAGE
    check_paths(args.content, args.work, args.out, PRINT)
    checked = pipeline.check(args.content)
    if not checked.ok or len(checked.problems):
        print(format_report(checked.problems))
    if not checked.ok:
        print(f"没有生成任何 PDF，输出目录 {args.out} 保持原样。")
        return CONTENT_PROBLEMS
    try:
        with Workspace(args.work) as space:
            report = print_outputs(checked.records, checked.settings, args.content, args.out, space=space,
                                   quarter=quarter, index_no=args.record, register=args.register)
    except PrintRequestError as exc:
        print(str(exc), file=sys.stderr)
        return USAGE
    if report.sheets or report.leaflets:
        villages = f"（另有按村/社区分开的 {report.village_sheets} 份）" if report.village_sheets else ""
        print(f"公示版 {report.sheets} 份{villages}，明白纸 {report.leaflets} 份。")
    if quarter and report.pack:
        print(f"{quarter.title}公开栏合订本：{display_path(report.pack)}"
              f"（共 {report.pack_items} 份材料，{report.pack_pages} 页）")
    elif quarter:
        print(f"{quarter.title}没有需要上公开栏的信息，没有生成合订本。")
    if report.register_rows:
        print(f"政务公开登记簿：{display_path(args.out / 'register.csv')}、{display_path(args.out / 'register.pdf')}"
              f"（共 {report.register_rows} 条公开记录）")
    if report.expired_lists:
        print(f"公示期已满、不再印制的名单 {len(report.expired_lists)} 份（需要存档时用 --record 索引号 单独打印，"
              "会标明“公示期已结束，仅供存档”）：\n  "
              + "\n  ".join(f"{r.index_no} {r.title}" for r in report.expired_lists))
    if report.superseded:
        print(f"标准已更新、不再印制的明白纸 {len(report.superseded)} 份（用 --record 单独打印时会标明“已更新，以最新标准为准”）：\n  "
              + "\n  ".join(f"{old.index_no} {old.title}（最新：{new.index_no} {new.title}）"
                             for old, new in report.superseded))
    if report.stamped:
        print("以下材料已不是现行版本，已在每一页标明（仅供存档，不要张贴或发放）：\n  "
              + "\n  ".join(f"{r.index_no} {r.title}" for r in report.stamped))
    if report.warnings:
        print(f"排版提醒 {len(report.warnings)} 条（PDF 已生成，请检查版面）：\n  " + "\n  ".join(report.warnings))
    print(f"已输出到 {display_path(args.out)}/，用时 {time.perf_counter() - started:.1f} 秒。")
    return OK


def _report(args) -> int:
    from . import pipeline
    from .compliance import annual_output
    from .compliance.checks import calendar_for
    from .compliance.request_register import load_request_registers
    from .compliance.report import compile_report, format_text, write
    from .datasets.clock import today
    checked = pipeline.check(args.content)
    if not checked.ok:
        print(format_report(checked.problems))
        print("内容有错误，没有生成报告。")
        return CONTENT_PROBLEMS
    out = args.out or Path("site-internal") / "report"
    registers = load_request_registers(args.content, checked.settings, Problems())
    if args.annual:
        made = annual_output.write(args.annual, checked.records, checked.settings, registers, out)
        if made.problems:
            print(format_report(made.problems))
            return CONTENT_PROBLEMS
        print(made.summary)
        print(f"年度报告已生成：{display_path(made.html)}、{display_path(made.pdf)}")
        return OK
    report = compile_report(checked.records, checked.categories, checked.settings, registers, today(),
                            calendar_for(checked.settings))
    print(format_text(report))
    files = write(report, checked.settings, out)
    print("内部报告：" + "、".join(display_path(f) for f in files) + "（不在公开网站中）")
    return CONTENT_PROBLEMS if args.strict and report.findings else OK
