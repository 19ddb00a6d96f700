"""Board sheets are reused from earlier builds when their HTML is unchanged."""
from generator import pipeline
from tests.print_fixture import print_content


def test_unchanged_sheets_come_from_the_cache(tmp_path):
    content = print_content(tmp_path / "content")
    pipeline.build(content, tmp_path / "site", tmp_path / "work")
    cache = tmp_path / "work" / "print-cache"
    first = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pdf")}
    assert first, "board sheets should have been cached"
    pipeline.build(content, tmp_path / "site", tmp_path / "work")
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pdf")} == first
    sheets = sorted((tmp_path / "site").rglob("print/**/*.pdf"))
    cached = {p.read_bytes() for p in cache.glob("*.pdf")}
    assert sheets and any(s.read_bytes() in cached for s in sheets)

    record = next(content.glob("board/**/*.md"))
    text = record.read_text(encoding="utf-8")
    title = next(line for line in text.split("\n") if line.startswith("title:"))
    record.write_text(text.replace(title, title + "（修订）"), encoding="utf-8")
    pipeline.build(content, tmp_path / "site", tmp_path / "work")
    after = {p.name for p in cache.glob("*.pdf")}
    assert len(after) == len(first) and after != set(first), "one sheet re-rendered, the stale entry pruned"
