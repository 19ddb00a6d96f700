"""`bench`: build a synthetic corpus of N records and print what it cost, beside plain mkdocs-material.

Figures: time per phase, peak memory of the whole process tree (PSS sampled from /proc), output size, median
record-page weight, a rebuild after one record changes, and the bytes a browser transfers for a first and a
second search query (Debian's Chromium through Playwright, the site served on 127.0.0.1). The same pages are
then built by plain mkdocs-material, records out of the nav, once with its built-in search and once without.
Tests never assert on these numbers; they are for people.
"""
from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

from . import pipeline
from .site import ROOT
from .synthetic import make_corpus
from .timing import Phases


def _pss(pid: int) -> int:
    """Proportional set size: pages a forked child still shares with its parent count once, not twice."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class MemorySampler:
    """Peak memory (PSS) of this process and all its descendants, summed, sampled every 0.2 s."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree_rss(self) -> int:
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
                rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
            except (OSError, IndexError, ValueError):
                continue
        mine, frontier = {os.getpid()}, [os.getpid()]
        while frontier:
            pid = frontier.pop()
            for child, parent in parents.items():
                if parent == pid and child not in mine:
                    mine.add(child)
                    frontier.append(child)
        return sum(_pss(pid) or rss.get(pid, 0) for pid in mine)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._tree_rss())
            self._stop.wait(0.2)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _corrected(text: str, notes: int) -> str:
    """A record's text with `notes` 一般 entries in its 更新记录, dated on its publication day."""
    day = re.search(r"^published_on: (\S+)$", text, re.M).group(1)
    log = ", ".join(f"{{date: {day}, level: 一般, note: 基准测试中的第 {i} 次修改}}" for i in range(1, notes + 1))
    return text.replace("---\n", f"---\nchange_log: [{log}]\n", 1)


def _timed_build(content: Path, out: Path, work: Path) -> tuple[float, Phases, int, dict]:
    phases = Phases()
    with MemorySampler() as memory:
        started = time.perf_counter()
        prepared = pipeline.build(content, out, work, phases=phases)
        elapsed = time.perf_counter() - started
    if not prepared.checked.ok:
        raise SystemExit("合成内容未通过检查：" + "; ".join(p.message for p in prepared.checked.problems.errors[:5]))
    return elapsed, phases, memory.peak, prepared.shards


def _plain_docs(work: Path) -> Path:
    """Our generated pages as a plain MkDocs user would write them: the HTML we keep out of Python-Markdown
    (slots.py) back inline, so the baseline builds the same content, not pages lighter than ours."""
    from .slots import inline_slots
    docs, plain = work / "docs", work / "plain-docs"
    if plain.exists():
        shutil.rmtree(plain)
    for path in docs.rglob("*"):
        if path.is_file():
            target = plain / path.relative_to(docs)
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".md":
                target.write_text(inline_slots(path.read_text(encoding="utf-8")), encoding="utf-8")
            else:
                os.link(path, target)
    return plain


def _plain_material(work: Path, out: Path, with_search: bool) -> tuple[float, int]:
    """The same generated pages built by plain mkdocs-material: one process, no overrides."""
    generated = yaml.safe_load((work / "mkdocs.yml").read_text(encoding="utf-8"))
    config = {
        "site_name": generated["site_name"], "site_url": generated["site_url"],
        "docs_dir": str(work / "plain-docs"), "nav": generated["nav"], "use_directory_urls": True,
        "theme": {"name": "material", "language": "zh", "font": False},
        "plugins": ["search"] if with_search else [],
        "markdown_extensions": ["tables", "attr_list", "admonition", "toc"],
        "not_in_nav": "*.md", "validation": {"nav": {"omitted_files": "ignore"}},
    }
    path = work / ("plain-search.yml" if with_search else "plain.yml")
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    with MemorySampler() as memory:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(path), "-d", str(out)],
                       check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        elapsed = time.perf_counter() - started
    return elapsed, memory.peak


def _search_transfer(site: Path, queries: tuple[str, str]) -> dict:
    """Bytes a browser fetches for a record page and two queries, from the files it requested.

    The test server sends files as they are; 'gz' also counts text files (JS, CSS, HTML, JSON) at their gzip
    size, as a county portal's web server would send them. Pagefind's own index files are already compressed.
    """
    import gzip
    from urllib.parse import unquote, urlsplit

    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve    # the same server and flags as the browser tests

    def weigh(urls: list[str], base: str) -> tuple[int, int]:
        raw = packed = 0
        root = urlsplit(base).path
        for url in dict.fromkeys(urls):
            path = site / unquote(urlsplit(url).path)[len(root):]
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                continue
            data = path.read_bytes()
            raw += len(data)
            packed += len(gzip.compress(data)) if path.suffix in (".js", ".css", ".html", ".json", ".svg") else len(data)
        return raw, packed

    result: dict = {}
    record = next(p for p in sorted(site.glob("*/*/*/index.html")))
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        urls: list[str] = []
        page.on("request", lambda r: urls.append(r.url))
        page.goto(base + record.parent.relative_to(site).as_posix() + "/")
        page.wait_for_load_state("networkidle")
        result["page"] = weigh(urls, base)
        for n, query in enumerate(queries, start=1):
            urls.clear()
            done = "Number(document.querySelector('[data-gk-search]').getAttribute('data-gk-done') || 0)"
            before = page.evaluate(done)
            page.click("[data-gk-query]")
            started = time.perf_counter()
            page.fill("[data-gk-query]", query)
            page.wait_for_function(f"() => {done} > {before}", timeout=60000)   # a function: the CSP refuses eval
            result[f"query{n}_ms"] = round((time.perf_counter() - started) * 1000)
            page.wait_for_load_state("networkidle")
            time.sleep(0.5)
            result[f"query{n}"] = weigh(urls, base)
            result[f"query{n}_results"] = page.inner_text("[data-gk-status]")
        browser.close()
    return result


def run(records: int, keep: Path | None = None, baseline: bool = True, browser: bool = True,
        boards: bool = True) -> int:
    base = keep or Path(tempfile.mkdtemp(prefix="gk-bench-"))
    print(f"合成 {records} 条信息到 {base} ……", flush=True)
    content = make_corpus(ROOT / "content", base / "corpus", records, boards=boards)
    out, work = base / "site", base / "build"
    for path in (out, work):
        if path.exists():
            shutil.rmtree(path)

    full, phases, peak, shard_info = _timed_build(content, out, work)
    pages = [p for p in out.rglob("index.html")]
    record_pages = [out / Path(p).relative_to(content) / "index.html" for p in
                    (str(f.with_suffix("")) for f in content.rglob("*.md") if not f.name.startswith("_"))]
    record_pages = [p for p in record_pages if p.exists()]
    weights = sorted(p.stat().st_size for p in record_pages)

    # One record changes: its body gets a paragraph; everything else stays. A published record is corrected
    # with a note in its 更新记录, as an editor must (lifecycle/manifest.py).
    victim = sorted(content.rglob("*.md"))[len(record_pages) // 2]
    original = victim.read_text(encoding="utf-8")
    victim.write_text(_corrected(original + "\n补充说明：本条信息于基准测试中修改。\n", 1), encoding="utf-8")
    rebuild, rephases, _, reshards = _timed_build(content, out, work)
    # The same record loses a sentence: its old search entry may not stay published (search.py), so its
    # search shard is indexed again.
    lines = original.rstrip("\n").split("\n")
    victim.write_text(_corrected("\n".join(lines[:-1]) + "\n", 2), encoding="utf-8")
    cut, cutphases, _, _ = _timed_build(content, out, work)

    print()
    print(f"记录数 {records}，页面 {len(pages)}，其中记录页 {len(record_pages)}")
    site_only = full - phases.seconds.get("print", 0.0)
    print(f"完整生成：{full:.1f} 秒（其中公开栏 PDF {phases.seconds.get('print', 0.0):.1f} 秒，网站本身 {site_only:.1f} 秒）；各阶段（秒）：" + "，".join(f"{k} {v:.1f}" for k, v in phases.seconds.items())
          + f"（mkdocs 与 search index 并行）；MkDocs 分片 {shard_info['shards']}")
    print(f"峰值内存（整个进程树）：{peak / 2**30:.2f} GB")
    print(f"输出大小：{_size(out) / 2**20:.0f} MB（其中搜索索引 {sum(_size(p) for p in out.glob('pagefind*')) / 2**20:.0f} MB）")
    print(f"记录页 HTML 中位数：{statistics.median(weights) / 1024:.1f} KB，最大 {weights[-1] / 1024:.1f} KB")
    print(f"修改一条信息（增加一段）后重新生成：{rebuild:.1f} 秒（完整生成的 {rebuild / full:.0%}，网站本身的 "
          f"{(rebuild - rephases.seconds.get('print', 0.0)) / site_only:.0%}）；整片重建 {reshards['built']}/{reshards['shards']}，"
          f"修补 {reshards.get('patched', 0)}；" + "，".join(f"{k} {v:.1f}" for k, v in rephases.seconds.items()))
    print(f"修改一条信息（删去一句，搜索分片须重建索引）后重新生成：{cut:.1f} 秒（完整生成的 {cut / full:.0%}，网站本身的 "
          f"{(cut - cutphases.seconds.get('print', 0.0)) / site_only:.0%}）；" + "，".join(f"{k} {v:.1f}" for k, v in cutphases.seconds.items()))
    if browser:
        transfer = _search_transfer(out, ("最低生活保障", "空气质量"))
        kb = lambda pair: f"{pair[0] / 1024:.0f} KB（压缩传输 {pair[1] / 1024:.0f} KB）"
        print(f"记录页首次加载：{kb(transfer['page'])}")
        print(f"搜索：首次查询 {kb(transfer['query1'])}，输入后 {transfer['query1_ms']} ms 显示结果（{transfer['query1_results']}）；"
              f"再次查询 {kb(transfer['query2'])}，{transfer['query2_ms']} ms（{transfer['query2_results']}）")
    if baseline:
        _plain_docs(work)
        plain, plain_peak = _plain_material(work, base / "plain-site", with_search=False)
        plain_search, search_peak = _plain_material(work, base / "plain-search-site", with_search=True)
        index = base / "plain-search-site" / "search" / "search_index.json"
        print(f"对照：plain mkdocs-material 无搜索 {plain:.1f} 秒（峰值 {plain_peak / 2**30:.2f} GB），"
              f"内置搜索 {plain_search:.1f} 秒（峰值 {search_peak / 2**30:.2f} GB，索引 {index.stat().st_size / 2**20:.0f} MB）")
        print(f"比值（网站本身，不含 PDF）：本工具 / 内置搜索 = {site_only / plain_search:.2f}；"
              f"本工具 / 无搜索 = {site_only / plain:.2f}")
    if keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return 0
