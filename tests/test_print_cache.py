"""Board sheets are reused from earlier builds when their HTML is unchanged."""
import pytest
from pypdf import PdfReader

from generator import pipeline
from tests.files import never_published
from tests.print_fixture import TODAY, print_content


@pytest.fixture(autouse=True)
def print_day(monkeypatch):
    """Inside the approval list's 公示期, so its sheets are on the website whatever day the tests run."""
    monkeypatch.setenv("GK_TODAY", TODAY.isoformat())


def test_unchanged_sheets_come_from_the_cache(tmp_path):
    content = print_content(tmp_path / "content")
    pipeline.build(content, tmp_path / "site", tmp_path / "work")
    cache = tmp_path / "work" / "print-cache"
    first = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pdf")}
    assert first, "board sheets should have been cached"
    never_published(content)
    pipeline.build(content, tmp_path / "site", tmp_path / "work")
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pdf")} == first
    sheets = sorted((tmp_path / "site").rglob("print/**/*.pdf"))
    cached = {p.read_bytes() for p in cache.glob("*.pdf")}
    assert sheets and any(s.read_bytes() in cached for s in sheets)
    # Taken as hard links of the cache's entries, not written again.
    entries = {p.stat().st_ino for p in cache.glob("*.pdf")}
    assert all(s.stat().st_ino in entries for s in sheets if s.read_bytes() in cached)

    record = next(content.glob("board/**/*.md"))
    text = record.read_text(encoding="utf-8")
    title = next(line for line in text.split("\n") if line.startswith("title:"))
    record.write_text(text.replace(title, title + "（修订）"), encoding="utf-8")
    never_published(content)
    pipeline.build(content, tmp_path / "site", tmp_path / "work")
    after = {p.name for p in cache.glob("*.pdf")}
    assert len(after) == len(first) and after != set(first), "one sheet re-rendered, the stale entry pruned"


def test_a_rebuild_that_finds_every_sheet_cached_draws_no_qr_code(tmp_path, monkeypatch):
    """A sheet's cache key is its HTML with each QR code as a placeholder holding the address (qr.py): drawing
    the codes only to find every sheet cached was two thirds of a rebuild's print stage."""
    from generator.export import qr
    content = print_content(tmp_path / "content")
    pipeline.build(content, tmp_path / "site", tmp_path / "work")
    sheets = {p.relative_to(tmp_path / "site"): p.read_bytes() for p in (tmp_path / "site").rglob("print/**/*.pdf")}
    assert sheets

    def refuse(url):
        raise AssertionError(f"a QR code drawn for {url}")
    monkeypatch.setattr(qr, "qr_svg", refuse)
    never_published(content)
    pipeline.build(content, tmp_path / "site", tmp_path / "work")
    assert {p.relative_to(tmp_path / "site"): p.read_bytes()
            for p in (tmp_path / "site").rglob("print/**/*.pdf")} == sheets

    # A 明白纸 is cached too, and drawn again when what it says changes.
    monkeypatch.undo()
    record = content / "help/2026/dibao-leaflet.md"
    record.write_text(record.read_text(encoding="utf-8").replace("一张纸说清楚", "一张纸说清楚（本县户籍居民）", 1),
                      encoding="utf-8")
    never_published(content)
    pipeline.build(content, tmp_path / "site", tmp_path / "work")
    leaflet = next((tmp_path / "site").rglob("print/**/dibao-leaflet*.pdf"))
    assert "本县户籍居民" in "".join(page.extract_text() for page in PdfReader(leaflet).pages).replace("\n", "")
    assert leaflet.read_bytes() != sheets[leaflet.relative_to(tmp_path / "site")]


def test_website_offers_sheets_of_recent_board_records_only(tmp_path):
    content = print_content(tmp_path / "content")
    category = content / "board/_category.yml"
    text = category.read_text(encoding="utf-8")
    category.write_text(text.replace("board: true}", "board: true, site_days: 0}"), encoding="utf-8")
    (content / "board/2025").mkdir(parents=True, exist_ok=True)
    (content / "board/2025/old-board.md").write_text(
        "---\nindex_no: 11999900MB0B00001X/2025-00050\ntitle: 2025年早些时候上公开栏的通知\ntopic: 综合政务\n"
        "publisher: 测试县人民政府办公室\nwritten_on: 2025-05-01\npublished_on: 2025-05-02\n"
        "summary: 一条较早的公开栏信息，没有公示期。\n---\n\n正文。\n", encoding="utf-8")
    built = pipeline.build(content, tmp_path / "site", tmp_path / "work")
    reference = built.catalogue.print_reference
    on_site = {p.relative_to(tmp_path / "site/print").with_suffix("").as_posix()
               for p in (tmp_path / "site/print").rglob("*.pdf")}
    seen = set()
    for record in built.catalogue.records:
        if record.category.id != "board":
            continue
        offered = record.printed_with_site(reference)
        seen.add(offered)
        assert offered == (bool(record.notice_period) or any(p.form == "公开栏" for p in record.postings)
                           or record.published_on == reference)
        assert (record.page_path in on_site) == offered
        page = (tmp_path / "site" / record.page_path / "index.html").read_text(encoding="utf-8")
        assert ("打印公示版" in page) == offered
    assert seen == {True, False}, "the fixture should have board records on both sides of the window"


def test_sheets_rendered_by_two_workers_equal_one(tmp_path):
    from generator.catalogue import build_catalogue
    from generator.export.jobs import write_site_prints
    from generator.pipeline import check
    content = print_content(tmp_path / "content")
    checked = check(content)
    records = build_catalogue(checked.records, checked.settings, checked.categories).records
    one = write_site_prints(records, checked.settings, content, tmp_path / "one", workers=1)
    two = write_site_prints(records, checked.settings, content, tmp_path / "two", workers=2)
    names = lambda report, root: sorted(p.relative_to(root).as_posix() for p in report.files)
    assert names(one, tmp_path / "one") == names(two, tmp_path / "two") and one.sheets == two.sheets > 0
    assert two.leaflets == one.leaflets


def test_print_workers_leave_no_fonts_in_the_temporary_folder(tmp_path, monkeypatch):
    """WeasyPrint copies the fonts (32 MB) into a temporary folder per renderer and removes it only when the
    renderer is collected, which a forked worker never is: every build with board sheets left one per worker."""
    import tempfile
    from generator.catalogue import build_catalogue
    from generator.export.jobs import write_site_prints
    from generator.pipeline import check
    content = print_content(tmp_path / "content")
    checked = check(content)
    records = build_catalogue(checked.records, checked.settings, checked.categories).records
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))     # forked workers inherit it
    for workers in (1, 2):
        report = write_site_prints(records, checked.settings, content, tmp_path / f"out{workers}", workers=workers)
        assert report.sheets > 0
        assert not list(scratch.iterdir()), f"{workers} worker(s) left {list(scratch.iterdir())}"


def test_website_prints_on_two_workers_with_expired_lists_and_superseded_leaflets(tmp_path, monkeypatch):
    """The forked workers of a large build report back through a pipe: what they found left out (expired lists,
    superseded 明白纸) must not carry records, which do not pickle (the demo build crashed on this)."""
    from generator.catalogue import build_catalogue
    from generator.export.jobs import write_site_prints
    from generator.pipeline import check
    from tests.print_fixture import MISSION_DAY, mission_print_content
    monkeypatch.setenv("GK_TODAY", MISSION_DAY.isoformat())
    content = mission_print_content(tmp_path / "content")
    checked = check(content)
    assert checked.ok
    records = build_catalogue(checked.records, checked.settings, checked.categories).records
    one = write_site_prints(records, checked.settings, content, tmp_path / "one", workers=1)
    assert one.stamped, "the fixture should offer a stamped (superseded) 明白纸 on the website"
    two = write_site_prints(records, checked.settings, content, tmp_path / "two", workers=2)
    names = lambda report, root: sorted(p.relative_to(root).as_posix() for p in report.files)
    assert names(one, tmp_path / "one") == names(two, tmp_path / "two") and one.sheets == two.sheets > 0
    assert sorted(two.stamped, key=str) == sorted(one.stamped, key=str)


def _png(path, size):
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, "red").save(path)


def _image_sizes(pdf):
    return {image.image.size for page in PdfReader(pdf).pages for image in page.images}


def test_a_sheet_is_drawn_again_when_an_image_it_shows_changes_under_the_same_name(tmp_path):
    """A sheet's cache key holds the bytes of the attachment images it shows, not only their names."""
    content = print_content(tmp_path / "content")
    site_yml = content / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("  csv: CSV\n", "  csv: CSV\n  png: 图片\n"),
                        encoding="utf-8")
    record = content / "board/2026/dibao-approval-q3.md"
    text = record.read_text(encoding="utf-8")
    text = text.replace("notice_period:", "attachments:\n  - {file: dibao-approval-q3/地图.png, title: 公示地点}\n"
                                          "notice_period:", 1)
    record.write_text(text.rstrip("\n") + "\n\n![公示地点](dibao-approval-q3/地图.png)\n", encoding="utf-8")
    _png(content / "board/2026/dibao-approval-q3/地图.png", (40, 20))
    pipeline.build(content, tmp_path / "site", tmp_path / "work")
    sheet = tmp_path / "site/print/board/2026/dibao-approval-q3.pdf"
    assert _image_sizes(sheet) == {(40, 20)}

    _png(content / "board/2026/dibao-approval-q3/地图.png", (20, 40))
    never_published(content)
    pipeline.build(content, tmp_path / "site", tmp_path / "work")
    assert _image_sizes(sheet) == {(20, 40)}


def test_a_sheet_drawn_with_other_fonts_is_drawn_again(tmp_path, monkeypatch):
    """Another release of a font wheel (here: its two faces swapped) changes every sheet; none comes from the cache."""
    from generator.export import fonts, jobs
    content = print_content(tmp_path / "content")
    pipeline.build(content, tmp_path / "site", tmp_path / "work")
    cache = tmp_path / "work" / "print-cache"
    first = {p.name for p in cache.glob("*.pdf")}
    assert first
    faces = fonts.font_files()
    swapped = lambda: {400: faces[700], 700: faces[400]}
    monkeypatch.setattr(fonts, "font_files", swapped)
    monkeypatch.setattr(jobs, "font_files", swapped)
    never_published(content)
    pipeline.build(content, tmp_path / "site", tmp_path / "work")
    assert not first & {p.name for p in cache.glob("*.pdf")}
