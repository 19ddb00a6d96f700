"""The bundled demo content: what `make site` builds on a fresh machine. Fixtures are small; the demo is the
one site in the suite large enough to take the multi-process paths (print workers, two render processes).

It is also built with ProperDocs (`engine: properdocs` in site.yml, the maintained fork of MkDocs): the pages
must be the same but for the generator meta tag, so a county can change engines without a visible change."""
from __future__ import annotations

import re
import shutil

import pytest

from generator.cli import main
from tests.conftest import ROOT


def build_demo(base, capsys, engine=None):
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    if engine:
        site_yml = content / "site.yml"
        text = site_yml.read_text(encoding="utf-8")
        assert "  # engine: properdocs" in text, "the demo shows the setting, commented out"
        site_yml.write_text(text.replace("  # engine: properdocs", f"  engine: {engine}"), encoding="utf-8")
    code = main(["build", "--content", str(content), "--out", str(base / "site"), "--work", str(base / "build")])
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    return base / "site"


def pages(site):
    """Every page and the sitemap, the generator meta tag and the sitemap's build dates aside."""
    found = {}
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".xml") and path.is_file():
            text = path.read_text(encoding="utf-8")
            text = re.sub(r'<meta name="generator" content="[^"]*">', "", text)
            found[path.relative_to(site).as_posix()] = re.sub(r"<lastmod>[^<]*</lastmod>", "", text)
    return found


@pytest.mark.slow
def test_the_demo_builds_the_same_with_mkdocs_and_properdocs(tmp_path, capsys):
    site = build_demo(tmp_path / "mkdocs", capsys)
    assert (site / "index.html").is_file() and (site / "pagefind").is_dir()
    assert list((site / "print").rglob("*.pdf")), "the demo's board sheets and 明白纸 are offered on the website"
    assert 'content="mkdocs-' in (site / "index.html").read_text(encoding="utf-8")

    proper = build_demo(tmp_path / "properdocs", capsys, engine="properdocs")
    assert "properdocs" in (proper / "index.html").read_text(encoding="utf-8").lower()
    mine, theirs = pages(site), pages(proper)
    assert mine.keys() == theirs.keys()
    different = [name for name in mine if mine[name] != theirs[name]]
    assert not different, different[:5]
    # Generated configurations name their files relative to their own folder (engines such as Zensical
    # refuse absolute paths).
    import yaml
    config = yaml.safe_load((tmp_path / "properdocs/build/mkdocs.yml").read_text(encoding="utf-8"))
    for path in (config["INHERIT"], config["docs_dir"], config["theme"]["custom_dir"]):
        assert not path.startswith("/"), path
    assert (tmp_path / "properdocs/build" / config["INHERIT"]).resolve() == ROOT / "mkdocs.yml"
