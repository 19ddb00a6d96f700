"""Search index upkeep: a few changed records go to a delta index, their old entries are hidden; many changes
re-index the shard. The browser side is in test_browser.py (test_changed_record_is_found_once_...)."""
import gzip
import json
import shutil

import pytest

from generator import pipeline, search
from tests.conftest import MINI


@pytest.fixture
def content(tmp_path):
    shutil.copytree(MINI, tmp_path / "content")
    return tmp_path / "content"


def fragment_urls(bundle):
    return sorted(json.loads(gzip.decompress(p.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
                  for p in (bundle / "fragment").glob("*.pf_fragment"))


def overlay(site):
    return json.loads((site / "pagefind" / search.OVERLAY).read_text(encoding="utf-8"))


def test_changes_go_to_a_delta_and_old_entries_are_hidden(content, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "DELTA_SHARE", 0.9)
    site, work = tmp_path / "site", tmp_path / "work"
    pipeline.build(content, site, work)
    assert overlay(site) == {"delta": None, "hidden": {}}
    main = fragment_urls(site / "pagefind")

    guide = content / "help/2025/temporary-assistance-guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n新增的先行救助流程。\n", encoding="utf-8")
    (content / "notes/2025/subsidy-notice-explained.md").unlink()
    pipeline.build(content, site, work)

    assert fragment_urls(site / "pagefind") == main, "the main index is kept as it was"
    assert fragment_urls(site / search.DELTA_DIR) == ["/help/2025/temporary-assistance-guide/"]
    hidden = overlay(site)["hidden"]
    ids = {json.loads(gzip.decompress(p.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]: p.name.removesuffix(".pf_fragment")
           for p in (site / "pagefind/fragment").glob("*.pf_fragment")}
    assert set(hidden) == {ids["/help/2025/temporary-assistance-guide/"], ids["/notes/2025/subsidy-notice-explained/"]}
    assert hidden[ids["/notes/2025/subsidy-notice-explained/"]]["分类"] == ["政策解读"]

    # Undo the edit: nothing is newer than the index any more except the removal.
    guide.write_text((MINI / "help/2025/temporary-assistance-guide.md").read_text(encoding="utf-8"), encoding="utf-8")
    pipeline.build(content, site, work)
    assert not (site / search.DELTA_DIR).exists()
    assert list(overlay(site)["hidden"]) == [ids["/notes/2025/subsidy-notice-explained/"]]


def test_many_changes_index_the_shard_again(content, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "DELTA_SHARE", 0.05)
    site, work = tmp_path / "site", tmp_path / "work"
    pipeline.build(content, site, work)
    guide = content / "help/2025/temporary-assistance-guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n新增的先行救助流程。\n", encoding="utf-8")
    pipeline.build(content, site, work)
    assert overlay(site) == {"delta": None, "hidden": {}}
    assert not (site / search.DELTA_DIR).exists()
    fragments = [json.loads(gzip.decompress(p.read_bytes()).removeprefix(b"pagefind_dcd"))
                 for p in (site / "pagefind/fragment").glob("*.pf_fragment")]
    assert any("先行救助流程" in f["content"].replace("\u200b", "") for f in fragments)
