"""The bundled demo content: what `make site` builds on a fresh machine. Fixtures are small; the demo is the
one site in the suite large enough to take the multi-process paths (print workers, two render processes)."""
from __future__ import annotations

import shutil

import pytest

from generator.cli import main
from tests.conftest import ROOT


@pytest.mark.slow
def test_the_demo_builds(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    code = main(["build", "--content", str(content), "--out", str(tmp_path / "site"), "--work", str(tmp_path / "build")])
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    site = tmp_path / "site"
    assert (site / "index.html").is_file() and (site / "pagefind").is_dir()
    assert list((site / "print").rglob("*.pdf")), "the demo's board sheets and 明白纸 are offered on the website"
