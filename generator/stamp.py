"""Record and listing pages stamped into a page the engine drew, instead of one MkDocs page build each.

On a site of ten thousand records MkDocs spent most of the build drawing the same theme around every record:
a record page differs from another at the same depth only in its title, description, address, table of
contents and content. So the engine builds one probe page per shape (depth and front matter; under
_gk-probe/, never published) beside the nav pages, and every record page, and every listing page two folders
deep or more, is that page with its own parts put in: its Markdown converted with the
extensions and settings the engine itself would use (its configuration, loaded through its own API), its
table of contents drawn by the theme's own toc partial, its slots filled as main.html fills them.

Stamping is exact or not used. The probe page is stamped as well, and unless that reproduces the engine's
own page byte for byte, every record goes to the engine as before. A page is left to the engine when its
Markdown makes links or images (MkDocs rewrites and checks those) or its front matter holds anything but a
title, a description and slots. tests/test_stamp.py compares stamped sites with sites the engine built whole.

Stamped pages are kept in work/stamp/flat (cached_name) by the digest of their Markdown and of the probe
page: a rebuild converts only the pages whose text changed.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import os
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import markdown
from markdown.treeprocessors import Treeprocessor

from . import ownfront, pagestore
from .atomic import read_json, write_new, write_text
from .beside import Beside
from .environment import link_all
from .stampmd import StructuralMarkdown

PROBE = "_gk-probe"             # a folder no category can have (content ignores "_" folders)
MARK = "gkprobe9"
FIELDS = ("content", "toc", "title", "description", "url", "skip")
OPTIONAL = ("toc", "description")
_SLOT = '<div data-gk-slot="{}"></div>'
_PLAIN_PATH = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)+\.md$")
STAMP_IN_TWO = 2000             # pages from which half are stamped in a second process


def _is_index(page: str) -> bool:
    return page.endswith("/index.md")


def page_depth(page: str) -> int:
    """Folders between the site root and a page's index.html: cat/2025/x.md -> cat/2025/x/index.html -> 3,
    cat/2025/index.md -> cat/2025/index.html -> 2."""
    return page.count("/") + (0 if _is_index(page) else 1)


def page_url(page: str) -> str:
    """The page's address relative to the site (use_directory_urls), as MkDocs computes it for plain names."""
    return page[:-len("index.md")] if _is_index(page) else page[:-3] + "/"


_FRONT = re.compile(r"\A---\n(.*?)\n(?:gk_slots:\n|---\n)", re.S)


# Comment lines a shape's front matter carries (the engine ignores them): pages drawn differently by the
# engine share a probe only when they share these too.
NO_DESCRIPTION, INDEX_PAGE = "#gk-no-description", "#gk-index-page"
# A page below a folder the theme's own links point into (archive/, publishers/) gets shorter links to it
# from the engine (../../, not ../../../archive/): its shape names the folder, and its probe is drawn there.
HOME = "#gk-home "


def front_without_slots(text: str) -> str | None:
    """A generated page's front matter up to its slots (move_slots writes them last), or None when the page has
    no front matter of our form."""
    match = _FRONT.match(text)
    return None if match is None else match.group(1)


def extra_front(text: str) -> str | None:
    """A page's front matter but for its title, description and slots (e.g. `hide: [navigation]`), and
    whether it has no description: pages that share it (and a depth) share a probe. None when the page has
    no front matter of our form."""
    front = front_without_slots(text)
    if front is None:
        return None
    lines = front.split("\n")
    extra = [line for line in lines if not line.startswith(("title: ", "description: "))]
    if not any(line.startswith("description: ") for line in lines):
        extra.append(NO_DESCRIPTION)
    return "\n".join(extra)


Shape = tuple[int, str]         # (depth, extra front matter)


def shape_of(page: str, text: str) -> Shape | None:
    """A listing page (x/index.md) is the engine's index page of its folder: its probe is one too."""
    extra = extra_front(text)
    if extra is None:
        return None
    return page_depth(page), extra + ("\n" + INDEX_PAGE if _is_index(page) else "")


def home_of(shape: Shape) -> str:
    """The folder a shape's pages are below when the theme links into it, or ""."""
    return next((line[len(HOME):] for line in shape[1].split("\n") if line.startswith(HOME)), "")


def _with_home(shape: Shape, folder: str) -> Shape:
    """The shape as drawn below folder (any home it named before replaced)."""
    depth, extra = shape
    bare = "\n".join(line for line in extra.split("\n") if not line.startswith(HOME))
    return depth, bare + f"\n{HOME}{folder}" if folder else bare


def homed_shapes(shapes: dict[str, Shape], linked: frozenset[str]) -> dict[str, Shape]:
    """The shapes with the folder named for every page below a folder in linked (and for no other)."""
    return {page: _with_home(shape, folder if (folder := page.split("/", 1)[0]) in linked else "")
            for page, shape in shapes.items()}


def probe_page(shape: Shape, number: int) -> str | None:
    """Where a shape's probe is drawn: at the page's depth, below its home folder if it has one (None
    where that leaves no room for the probe's own folder)."""
    depth, extra = shape
    index, home = INDEX_PAGE in extra.split("\n"), home_of(shape)
    folders = [home] if home else []
    # A page's depth is the number of names in its path, the file's own (an index page's: its folder's).
    room = depth - len(folders) - 2             # folders between the probe folder and the probe
    if room < -1:
        return None
    name = f"{PROBE}{number}" if room == -1 else PROBE + "/d" * room + f"/p{number}"
    return "/".join([*folders, name]) + ("/index.md" if index else ".md")


def probe_source(shape: Shape) -> str:
    """A record-shaped page: front matter with a slot, a title heading, nested sections, raw HTML."""
    depth, extra = shape
    described = NO_DESCRIPTION not in extra.split("\n")
    return (f'---\ntitle: "{MARK}title"\n' + (f'description: "{MARK}description"\n' if described else "")
            + (extra + "\n" if extra else "")
            + f"gk_slots:\n  s0: |2-\n    <p>{MARK} slot {depth}</p>\n---\n\n"
            f'{_SLOT.format("s0")}\n\n# {MARK}skip\n\n<p class="x">{MARK} text</p>\n\n## {MARK} a\n\n'
            f"### {MARK} b\n\n#### {MARK} c\n\n## {MARK} d\n\n<p>{MARK} end</p>\n")


class _LinksOrImages(Treeprocessor):
    """Notes whether Markdown made a link or an image: the engine rewrites and checks those itself."""
    found = False

    def run(self, root):
        self.found = any(element.tag in ("a", "img") for element in root.iter())


class _Marker(markdown.Extension):
    def __init__(self, processor: _LinksOrImages):
        super().__init__()
        self.processor = processor

    def extendMarkdown(self, md):
        md.treeprocessors.register(self.processor, "gk_links_or_images", 0)


@dataclass
class Skeleton:
    """A probe page cut where a page's own parts go: literal text and field names, alternating."""
    pieces: tuple[str, ...]
    sitemap_entry: str                  # the probe's <url> block, its address replaced by the field "url"
    digest: str = field(default="")
    # First folders of the site the theme's own links (nav, tabs) point into. Those links are the probe's,
    # relative to its address: a page below one of them would get a shorter link from the engine (../../,
    # not ../../../archive/), so it is stamped only into a probe drawn in that folder (home).
    linked: frozenset[str] = frozenset()
    home: str = ""

    def fill(self, values: dict[str, str]) -> str:
        return "".join(values[piece] if i % 2 else piece for i, piece in enumerate(self.pieces))


class Stamper:
    """The engine's Markdown conversion and theme parts, loaded once through the engine's API."""

    def __init__(self, config: Path, engine: str):
        module = lambda name: importlib.import_module(f"{engine}.{name}")
        self.config = module("config").load_config(str(config))
        self._meta = module("utils.meta").get_data
        self.build_date = module("utils").get_build_date
        self._toc = module("structure.toc").get_toc
        self._links = _LinksOrImages()
        self._md = markdown.Markdown(extensions=[*self.config.markdown_extensions, _Marker(self._links)],
                                     extension_configs=self.config.mdx_configs)
        # Pages of headings and generated HTML alone, converted as this Markdown would without it (stampmd.py).
        self._structural = StructuralMarkdown.for_markdown(self._md)
        env = self.config.theme.get_env()
        self._toc_template = env.get_template("partials/toc.html")
        self._lang = env.get_template("partials/language.html").make_module({"config": self.config})
        self.skeletons: dict[Shape, Skeleton] = {}
        # What the engine's conversion depends on (its configuration, versions, this module): set by the
        # caller, part of every stamped page's cache entry. The skeleton digest alone misses a setting that
        # changes only content or table of contents (toc_depth).
        self.key = ""
        self.drawn: list[Shape] = []        # the shapes the probe was drawn with (set by the caller)

    def parts(self, text: str) -> dict[str, str] | None:
        """A page's own parts (every field but its address), or None when the engine must draw it."""
        # The render's own form read directly (ownfront.py); anything else by the engine's reader.
        source, meta = ownfront.read(text) or self._meta(text)
        title, description, slots = meta.get("title"), meta.get("description", ""), meta.get("gk_slots")
        if (not {"title", "gk_slots"} <= set(meta) or not isinstance(title, str) or not title
                or not isinstance(description, str) or ("description" in meta and not description)
                or not isinstance(slots, dict)
                or not all(isinstance(k, str) and isinstance(v, str) for k, v in slots.items())):
            return None
        converted = self._structural.convert(source) if self._structural else None
        if converted is None:
            self._md.reset()
            content = self._md.convert(source)
            if self._links.found:
                return None
            converted = content, getattr(self._md, "toc_tokens", [])
        content, tokens = converted
        toc = self._toc(tokens)
        first = next(iter(toc), None)
        if first is None or first.level != 1:
            return None         # the probe's skip link and table of contents assume a title heading
        # As main.html fills them: in dictsort order (case-insensitive), one replace each.
        for name, html in sorted(slots.items(), key=lambda item: item[0].lower()):
            content = content.replace(_SLOT.format(name), html)
        page = _Page(toc)
        toc_html = self._toc_template.render(page=page, config=self.config, lang=self._lang)
        return {"content": content, "toc": toc_html, "title": title, "description": description,
                "skip": first.id}

    def learn(self, shape: Shape, number: int, probe_html: str, sitemap_entry: str) -> bool:
        """Cut the engine's probe page into a skeleton; True only when stamping the probe gives it back."""
        parts = self.parts(probe_source(shape))
        if parts is None:
            return False
        where = probe_page(shape, number)
        if where is None:
            return False
        parts["url"] = page_url(where)
        marked = probe_html
        for name in FIELDS:
            value = parts[name]
            if name in OPTIONAL and (not value or marked.count(value) == 0):
                continue        # not drawn for this shape (hide: toc; no description): not drawn for its pages
            if not value or marked.count(value) == 0 or (name in ("content", "toc") and marked.count(value) != 1):
                return False
            marked = marked.replace(value, f"\0{name}\0")
        pieces = tuple(marked.split("\0"))
        if len(pieces) % 2 != 1 or any(p not in FIELDS for p in pieces[1::2]):
            return False
        entry = sitemap_entry.replace(parts["url"], "\0url\0")
        home = home_of(shape)
        skeleton = Skeleton(pieces, entry, hashlib.sha256("\0".join(pieces + (entry,)).encode()).hexdigest(),
                            _linked_folders(pieces[0::2], parts["url"]), home)
        if skeleton.fill(parts) != probe_html or (home and not _links_to_home_root(pieces[0::2], parts["url"], home)):
            return False
        self.skeletons[shape] = skeleton
        return True

    def covers(self, page: str, skeleton: Skeleton | None) -> bool:
        """Whether a page of this skeleton's shape may be stamped at its address at all."""
        if skeleton is None or not _PLAIN_PATH.match(page):
            return False
        folder = page.split("/", 1)[0]
        return folder == skeleton.home if skeleton.home else folder not in skeleton.linked

    def stamp(self, page: str, text: str, home: str = "") -> str | None:
        """The page stamped into the skeleton of its shape (its other front matter is the probe's, so the
        engine would read the same values), or None when the engine must draw it."""
        shape = shape_of(page, text)
        if shape is not None and home:
            shape = _with_home(shape, home)
        skeleton = self.skeletons.get(shape)
        parts = self.parts(text) if self.covers(page, skeleton) else None
        if parts is None:
            return None
        parts["url"] = page_url(page)
        return skeleton.fill(parts)


_HREF = re.compile(r'(?:href|src)="([^"#?]*)')


def _link_targets(literal: list[str], url: str) -> list[str]:
    """The site paths the literal parts of a page at url link to (absolute addresses and schemes left out:
    they read the same from any page)."""
    return [posixpath.normpath(posixpath.join(url, target)) for piece in literal for target in _HREF.findall(piece)
            if target and not re.match(r"^[a-z][a-z0-9+.-]*:|^/", target, re.I)]


def _links_to_home_root(literal: list[str], url: str, home: str) -> bool:
    """Whether the theme's links into home all go to its root: the probe, elsewhere below home, then links
    to it as any page at its depth there would. A link deeper into home would differ from page to page."""
    return all(path.split("/", 1)[0] != home or path in (home, f"{home}/index.html")
               for path in _link_targets(literal, url))


def _linked_folders(literal: list[str], url: str) -> frozenset[str]:
    """The first folders under the site root that the literal parts of a page at url link into."""
    return frozenset(first for first in (path.split("/", 1)[0] for path in _link_targets(literal, url))
                     if first not in (".", ".."))


@dataclass
class _Page:
    toc: object
    meta: dict = field(default_factory=dict)


def stampable(pages: list[str]) -> list[str]:
    """Pages that may be stamped at all: plain names below a category, and listing pages (x/index.md) at
    least two folders deep (the engine draws the others)."""
    return [p for p in pages if _PLAIN_PATH.match(p) and PROBE not in p
            and (not _is_index(p) or page_depth(p) >= 2)]


def write_probes(docs: Path, shapes: list[Shape]) -> list[str]:
    """The probe pages into docs (the engine builds them with the nav pages); returns their paths."""
    written = []
    for number, shape in enumerate(shapes):
        path = probe_page(shape, number)
        if path is None:
            continue
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(probe_source(shape), encoding="utf-8")
        written.append(path)
    return written


def learn_from(stamper: Stamper, site: Path, shapes: list[Shape]) -> bool:
    """Each shape's skeleton from the engine's probe pages in site (and its sitemap); a shape whose probe
    cannot be reproduced has none (its pages go to the engine). False when no shape has one."""
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8") if (site / "sitemap.xml").exists() else ""
    entries = re.findall(r"<url>.*?</url>", sitemap, flags=re.S)
    for number, shape in enumerate(shapes):
        where = probe_page(shape, number)
        if where is None:
            continue
        url = page_url(where)
        built = site / url / "index.html"
        entry = next((block for block in entries if f"/{url}<" in block), None)
        if entry is not None and built.is_file():
            stamper.learn(shape, number, built.read_text(encoding="utf-8"), entry)
    return bool(stamper.skeletons)


def page_shapes(docs: pagestore.Pages, pages: list[str], work: Path, digests: dict[str, str]) -> dict[str, Shape]:
    """Each page's shape, read from its head, or from the last stamp's state for a page whose text is
    unchanged (render's digests). Shapes as the page's text gives them, no home folder named: the state
    keeps them homed (homed_shapes), and a probe drawn from those lacked the shape a changed page brings."""
    previous = read_json(work / "stamp" / "state.json")
    previous = previous if isinstance(previous, dict) else {}
    shapes = {}
    for page in pages:
        known = previous.get(page)
        if isinstance(known, dict) and digests.get(page) and known.get("digest") == digests[page]:
            extra = known.get("extra")
            shapes[page] = _with_home((page_depth(page), extra), "") if isinstance(extra, str) else None
            continue
        if page in docs:
            head = docs.text(page)[:4096]
        else:
            with open(docs.docs / page, encoding="utf-8") as f:
                head = f.read(4096)
        shapes[page] = shape_of(page, head)
    return {page: shape for page, shape in shapes.items() if shape is not None and shape[1] is not None}


def stamp_pages(stamper: Stamper, docs: pagestore.Pages, shapes: dict[str, Shape], work: Path,
                digests: dict[str, str] | None = None) -> tuple[dict[str, str], list[str]]:
    """Stamp pages into work/stamp/flat, reusing those whose text (digests: render's, by page) and skeleton
    are unchanged. Returns {page: stamped file} for the pages stamped and the pages left to the engine. docs:
    the render's pages, stored or as files."""
    digests = digests or {}
    root = work / "stamp"
    out = root / "flat"
    state_file = root / "state.json"
    previous = read_json(state_file)
    previous = previous if isinstance(previous, dict) else {}
    if state_file.exists():
        state_file.unlink()     # a run that stops half-way leaves no claim to be current
    if (root / "pages").is_dir():
        shutil.rmtree(root / "pages")       # the folder per page of earlier versions
    pages = list(shapes)
    out.mkdir(parents=True, exist_ok=True)

    def one_half(part: list[str]) -> tuple[dict[str, dict], list[str]]:
        done, refused = {}, []
        for page in part:
            skeleton = stamper.skeletons.get(shapes[page])
            if not stamper.covers(page, skeleton):
                refused.append(page)            # drawn by the engine, every build: not tried again here
                continue
            text = None if page in digests else docs.text(page)
            entry = {"digest": digests.get(page) or hashlib.sha1(text.encode("utf-8")).hexdigest(),
                     "skeleton": skeleton.digest if skeleton else "", "extra": shapes[page][1],
                     "probe": stamper.key}
            target = f"{out}/{cached_name(page)}"      # strings: ten thousand pages a rebuild
            if previous.get(page) == entry and os.path.isfile(target):
                done[page] = entry
                continue
            if text is None:
                text = docs.text(page)
            html = stamper.stamp(page, text, home_of(shapes[page]))
            if html is None:
                refused.append(page)
                continue
            # Never in place: the published site holds hard links to these files (assemble), and a build
            # that stops later, or one for another audience, must not change the site that is online. A new
            # file, not renamed into place: state.json, removed above and written last, vouches for it.
            write_new(target, html.encode("utf-8"))
            done[page] = entry
        return done, refused

    if len(pages) >= STAMP_IN_TWO:
        other = Beside(lambda: one_half(pages[1::2]))
        done, refused = one_half(pages[0::2])
        more, also = other.result()
        done.update(more)
        refused += also
    else:
        done, refused = one_half(pages)
    # Pages no longer stamped leave the cache (they would never be published from it, but take room).
    for page in previous.keys() - done.keys():
        (out / cached_name(page)).unlink(missing_ok=True)
    write_text(state_file, json.dumps(done, ensure_ascii=False))
    return {p: f"{out}/{cached_name(p)}" for p in done}, refused


def cached_name(page: str) -> str:
    """A stamped page's file in the cache: one folder for all of them (a folder per page, as the site has, made
    ten thousand folders a first build, 0.5-2 s of it). Names hold no "." (_PLAIN_PATH), so a.b.html is a/b/ alone; a
    name too long for a file system (255 bytes) is a digest, marked by "~", which no page name holds."""
    name = page_url(page).rstrip("/").replace("/", ".")
    return name + ".html" if len(name.encode()) <= 200 else "~" + hashlib.sha1(name.encode()).hexdigest() + ".html"


def assemble(stamped: dict[str, str], staged: Path) -> None:
    link_all((source, f"{staged}/{page_url(page)}index.html") for page, source in stamped.items())


def sitemap_part(stamper: Stamper, stamped: dict[str, str], shapes: dict[str, Shape], target: Path) -> Path:
    """Sitemap entries for the stamped pages, in the probe's form, as a sitemap the shards' are merged with."""
    entries = []
    # The engine dates every page of a build with the build's date (SOURCE_DATE_EPOCH respected); the probe
    # may have been drawn on an earlier day.
    date = stamper.build_date()
    for page in stamped:
        skeleton = stamper.skeletons[shapes[page]]
        entry = skeleton.sitemap_entry.replace("\0url\0", page_url(page))
        entries.append(re.sub(r"<lastmod>[^<]*</lastmod>", f"<lastmod>{date}</lastmod>", entry))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<urlset>\n' + "\n".join(entries) + "\n</urlset>\n",
                      encoding="utf-8")
    return target


def forget(work: Path) -> None:
    if (work / "stamp").exists():
        shutil.rmtree(work / "stamp")
