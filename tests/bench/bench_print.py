"""Print benchmark: seconds and peak memory for N board sheets, and for one quarterly pack of the same records.

    python -m tests.bench.bench_print [--records 100]      (or: make bench-print)

A synthetic corpus (the mini fixture plus N 公示 records in an A4 board category, with recipient lists of 0 to
60 rows) is written to a temporary directory. Each measurement runs in its own process, so the peak resident
memory (getrusage ru_maxrss) belongs to that measurement alone. The children print as of 2026-07-01
(GK_TODAY), before any 公示期 ends, so every list is printed whatever day the benchmark runs. Prints figures;
asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
VILLAGES = ("东岭村", "西河社区", "南山村", "北坪村")


def make_corpus(content: Path, count: int) -> None:
    shutil.copytree(MINI, content)
    category = content / "bench_board"
    (category / "2026").mkdir(parents=True)
    (category / "_category.yml").write_text(
        "title: 公示公告\ndescription: 基准测试用的公示分类。\norder: 9\nprint: {paper: A4, board: true}\n",
        encoding="utf-8")
    rng = random.Random(6)
    for n in range(1, count + 1):
        start = date(2026, 7, 1 + (n % 28))
        rows = [f"  - {{name: {SURNAMES[(n + i) % len(SURNAMES)]}*明, village: {VILLAGES[i % 4]}, kind: 农村低保, "
                f"household_size: {1 + i % 4}, monthly_amount: {520 * (1 + i % 4)}, approved_month: 2026-06}}"
                for i in range(rng.choice((0, 0, 5, 12, 30, 60)))]
        body = "\n\n".join(
            "经本人申请、乡镇人民政府入户调查和审核，拟将下列家庭纳入最低生活保障范围，现予公示。" * rng.randint(1, 4)
            for _ in range(rng.randint(2, 6)))
        text = (f"---\nindex_no: 11999900MB0B00002Y/2026-{n:05d}\n"
                f"title: 测试县民政局关于第{n}批城乡最低生活保障对象的公示\ntopic: 民政、扶贫、救灾\n"
                f"publisher: 测试县民政局\ngenre: 公示\nwritten_on: {start.isoformat()}\npublished_on: {start.isoformat()}\n"
                f"summary: 第{n}批拟纳入低保的家庭名单公示。\n"
                f"notice_period: {{start: {start.isoformat()}, end: {(start + timedelta(days=6)).isoformat()}}}\n"
                + ("recipients:\n" + "\n".join(rows) + "\n" if rows else "") + f"---\n\n{body}\n")
        (category / "2026" / f"batch-{n:03d}.md").write_text(text, encoding="utf-8")


def measure(mode: str, content: Path, out: Path) -> dict:
    """Runs inside the child process."""
    from generator.export.board import Quarter, board_records
    from generator.export.jobs import PrintReport, _Printer, print_outputs, write_site_prints
    from generator.pipeline import check
    from generator.workspace import Workspace
    checked = check(content)
    assert checked.ok, [str(p) for p in checked.problems.errors]
    started = time.perf_counter()
    if mode == "sheets":
        # One board sheet per record, nothing else: the "N sheets" figure.
        public = [r for r in checked.records if r.is_published]
        printer = _Printer(checked.settings, content, out, PrintReport(), public, date(2026, 7, 1))
        for record in board_records(checked.records):
            printer.sheet(record)
        result = {"files": len(printer.finish().files)}
    elif mode == "site":
        # What `build` writes: the sheets plus one set per village for lists that span several.
        report = write_site_prints(checked.records, checked.settings, content, out)
        result = {"files": len(report.files)}
    else:
        with Workspace(out.parent / f"{out.name}-work") as space:
            report = print_outputs(checked.records, checked.settings, content, out, space=space,
                                   quarter=Quarter.parse("2026Q3"))
        result = {"items": report.pack_items, "pages": report.pack_pages}
    result["seconds"] = round(time.perf_counter() - started, 2)
    result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="打印基准测试")
    parser.add_argument("--records", type=int, default=100)
    parser.add_argument("--child", choices=["sheets", "site", "pack"])
    parser.add_argument("--content", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.content, args.out)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        make_corpus(content, args.records)
        results = {}
        for mode in ("sheets", "site", "pack"):
            proc = subprocess.run([sys.executable, "-m", "tests.bench.bench_print", "--child", mode,
                                   "--content", str(content), "--out", str(Path(tmp) / f"out-{mode}")],
                                  cwd=ROOT, capture_output=True, text=True, check=True,
                                  env={**os.environ, "GK_TODAY": "2026-07-01"})
            results[mode] = json.loads(proc.stdout.strip().splitlines()[-1])
    s, b, p = results["sheets"], results["site"], results["pack"]
    print(f"{s['files']} 份公示版：{s['seconds']} 秒，内存峰值 {s['peak_mb']} MB")
    print(f"生成网站时写的全部打印文件（公示版及按村/社区分开的版本，共 {b['files']} 个 PDF）：{b['seconds']} 秒，"
          f"内存峰值 {b['peak_mb']} MB")
    print(f"季度合订本 2026Q3（{p['items']} 份材料，{p['pages']} 页）：{p['seconds']} 秒，内存峰值 {p['peak_mb']} MB")

if __name__ == "__main__":
    main()
