import hashlib
import shutil
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def tree_digest(path: Path) -> str:
    """One hash over every file name and byte below path."""
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        h.update(str(f.relative_to(path)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def tree_files(path: Path) -> dict[str, bytes]:
    """Every file below path by its relative name, with its bytes."""
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session", autouse=True)
def fixtures_stay_unpublished():
    """A build writes its manifest into the content it built (lifecycle/manifest.py): tests build copies of
    the fixtures, never the fixtures themselves, or later edits of a fixture would need 更新记录 notes."""
    yield
    left = sorted((Path(__file__).resolve().parent / "fixtures").rglob("_published.json"))
    assert not left, f"a test built a fixture in place: {left}"


@pytest.fixture
def mini(tmp_path, monkeypatch):
    """A private copy of the mini content tree; the working directory is its parent."""
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    monkeypatch.chdir(tmp_path)
    return content


@pytest.fixture
def run(capsys):
    """Run the command line in-process; returns (exit code, stdout + stderr)."""
    def _run(*argv):
        code = main([str(a) for a in argv])
        out = capsys.readouterr()
        return code, out.out + out.err
    return _run


@pytest.fixture(scope="session")
def built_mini(tmp_path_factory):
    """The mini content built once with a real mkdocs build."""
    base = tmp_path_factory.mktemp("built")
    content = base / "content"
    shutil.copytree(MINI, content)
    code = main(["build", "--content", str(content), "--out", str(base / "site"), "--work", str(base / "build")])
    assert code == 0
    return base


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Debian's Chromium through Playwright (Playwright cannot download its own browsers here), with the Noto CJK
    fonts of the print wheels: widths are measured with the glyphs a reader sees, not with fallback boxes."""
    import os

    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, fonts_config
    fonts = fonts_config(tmp_path_factory.mktemp("fonts"))
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env={**os.environ, "FONTCONFIG_FILE": str(fonts)})
        yield b
        b.close()


@pytest.fixture(scope="session")
def demo_built(tmp_path_factory):
    """The demo content (content/) built once, for what only a full county shows: search ranking, long lists.

    Its search index is cut into chunks of a few words (searchchunks.py; a county's are about 12 KB), so that
    the searches the browser tests make on it cross chunk boundaries as they do on a large site."""
    from generator import searchchunks
    base = tmp_path_factory.mktemp("demo")
    build_with(ROOT / "content", base, searchchunks, "CHUNK_BYTES", 600)
    return base


def build_with(content: Path, base: Path, module, name: str, value) -> None:
    """Build content into base/site (work: base/build) with one of a module's settings changed for the build
    (its stages run in forked processes, which inherit it)."""
    usual = getattr(module, name)
    setattr(module, name, value)
    try:
        assert main(["build", "--content", str(content), "--out", str(base / "site"),
                     "--work", str(base / "build")]) == 0
    finally:
        setattr(module, name, usual)


@pytest.fixture(scope="session")
def missions_built(tmp_path_factory):
    """The missions fixture (budgets, 社会救助, 乡村振兴, 生态环境) built once as of its day."""
    from tests.missions import MISSIONS, today
    base = tmp_path_factory.mktemp("missions-built")
    shutil.copytree(MISSIONS, base / "content")
    with today():
        assert main(["build", "--content", str(base / "content"), "--out", str(base / "site"),
                     "--work", str(base / "build")]) == 0
    return base


@pytest.fixture(scope="session")
def hostile_built(tmp_path_factory):
    """The hostile corpus (tests/hostile.py) built once, with its 登记簿, as of the missions fixture's day."""
    from tests.hostile import make_hostile
    from tests.missions import today
    base = tmp_path_factory.mktemp("hostile")
    content = make_hostile(base / "content")
    with today():
        assert main(["build", "--content", str(content), "--out", str(base / "site"), "--work", str(base / "build")]) == 0
        assert main(["print", "--register", "--content", str(content), "--out", str(base / "register")]) == 0
    return base


@pytest.fixture(scope="session")
def built_sectors(tmp_path_factory):
    """The 河湾县 sectors fixture (kinds declared as data) built once with real MkDocs and Pagefind, as of its day."""
    from tests.missions import today
    from tests.sectors import SECTORS, TODAY
    base = tmp_path_factory.mktemp("sectors")
    content = base / "content"
    shutil.copytree(SECTORS, content)      # a build writes its manifest into the content: never into a fixture
    with today(TODAY):
        code = main(["build", "--content", str(content), "--out", str(base / "site"), "--work", str(base / "build")])
    assert code == 0
    return base / "site"
