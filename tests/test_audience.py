"""Audiences: public builds leak nothing that is not public; the intranet build shows internal records."""
import gzip
from pathlib import Path

import pytest

from generator.pipeline import check
from generator.privacy.documents import extract
from tests.conftest import MINI


def published_text(site: Path):
    """Every file of the site as text: HTML, XML, JSON, JS, CSV, gzip members (search index), PDF text."""
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        if path.suffix == ".pdf":
            yield path, "\n".join(piece.text for piece in extract(path).pieces)
        else:
            yield path, data.decode("utf-8", errors="ignore")


def secrets_of_hidden_records():
    """Every string a non-public record could leak: title, summary, body lines, attachment contents."""
    checked = check(MINI)
    hidden = [r for r in checked.records if not r.is_published]
    assert {r.audience for r in hidden} >= {"internal", "exempt"} and any(r.draft for r in hidden)
    secrets = []
    for r in hidden:
        strings = [r.title, r.summary] + [line.strip() for line in r.body.split("\n") if len(line.strip()) >= 4]
        for a in r.attachments:
            strings += [p.text for p in extract(a.source).pieces if len(p.text) >= 4]
            strings.append(a.title)
        secrets += [(r.index_no, s) for s in strings]
    return hidden, secrets


def test_no_string_of_a_non_public_record_reaches_the_public_site(built_mini):
    hidden, secrets = secrets_of_hidden_records()
    assert len(secrets) > 10
    leaks = [(str(path.relative_to(built_mini / "site")), index_no, s)
             for path, text in published_text(built_mini / "site")
             for index_no, s in secrets if s in text]
    assert leaks == []
    for r in hidden:
        assert not any(r.index_no in text for _, text in published_text(built_mini / "site"))


def test_exempt_records_count_in_statistics_only(built_mini):
    page = (built_mini / "site/help/index.html").read_text(encoding="utf-8")
    assert "另有依法免予公开 1 条" in page
    assert "救助对象家庭经济状况核对报告" not in page


@pytest.fixture(scope="module")
def internal_site(tmp_path_factory):
    import shutil

    from generator.cli import main
    base = tmp_path_factory.mktemp("internal")
    shutil.copytree(MINI, base / "content")
    assert main(["build", "--audience", "internal", "--content", str(base / "content"),
                 "--out", str(base / "site-internal"), "--work", str(base / "build")]) == 0
    return base / "site-internal"


def test_internal_build_shows_internal_records_and_marks_every_page(internal_site):
    record = internal_site / "help/2025/internal-finance/index.html"
    assert "内部秘密词甲乙丙" in record.read_text(encoding="utf-8")
    for page in internal_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "内部" in text.split("<title>")[1].split("</title>")[0], page
        assert "内部网站" in text, page


def test_internal_build_still_hides_exempt_and_drafts(internal_site):
    for path, text in published_text(internal_site):
        assert "免予公开词丁戊己" not in text and "草稿词庚辛壬" not in text, path


def test_internal_build_defaults_to_its_own_directory(mini, run):
    code, out = run("build", "--audience", "internal", "--content", mini, "--work", mini.parent / "build")
    assert code == 0, out
    assert (mini.parent / "site-internal/index.html").exists()
    assert not (mini.parent / "site").exists()


def test_public_build_right_after_an_internal_one_in_the_same_work_leaks_nothing(tmp_path):
    """Both builds default to --work build: the public one may reuse nothing that holds internal records."""
    import shutil

    from generator import pipeline
    shutil.copytree(MINI, tmp_path / "content")
    work = tmp_path / "build"
    assert pipeline.build(tmp_path / "content", tmp_path / "site-internal", work, audience="internal").checked.ok
    assert pipeline.build(tmp_path / "content", tmp_path / "site", work).checked.ok
    hidden, secrets = secrets_of_hidden_records()
    leaks = [(str(path.relative_to(tmp_path / "site")), s) for path, text in published_text(tmp_path / "site")
             for _, s in secrets if s in text]
    assert leaks == []
    assert not (tmp_path / "site/help/2025/internal-finance").exists()


def test_a_site_with_no_public_record_still_builds(tmp_path):
    import shutil

    from generator import pipeline
    shutil.copytree(MINI, tmp_path / "content")
    for record in (tmp_path / "content").rglob("*.md"):
        if not record.name.startswith("_") and "draft: true" not in record.read_text(encoding="utf-8"):
            record.write_text(record.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    built = pipeline.build(tmp_path / "content", tmp_path / "site", tmp_path / "work")
    assert built.checked.ok and (tmp_path / "site/index.html").exists()
    assert not list((tmp_path / "site").glob("pagefind*"))


def test_a_build_for_another_audience_never_rewrites_the_public_sites_files(tmp_path):
    """A 更新记录 correction changes only the catalogue's CSV and JSON; the rebuild took them from the render's
    folder as hard links, and the next render (here for the intranet, in the same work folder) rewrote them in
    place: the public site's downloadable catalogue listed the internal records."""
    import os
    import shutil

    from generator import pipeline
    from tests.files import never_published
    content, site, work = tmp_path / "content", tmp_path / "site", tmp_path / "work"
    shutil.copytree(MINI, content)
    assert pipeline.build(content, site, work).checked.ok
    note = content / "notes/2025/subsidy-notice-explained.md"
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("written_on: 2025-03-14\n", "written_on: 2025-03-14\nchange_log:\n"
                                 "  - {date: 2025-03-20, level: 一般, note: 更正一处错别字}\n", 1), encoding="utf-8")
    never_published(content)
    again = pipeline.build(content, site, work)
    assert again.shards["patched"] == 1 and "更正一处错别字" in (site / "catalogue/catalogue.json").read_text(encoding="utf-8")
    rendered = {os.stat(p).st_ino for p in (work / "docs").rglob("*") if p.is_file()}
    assert not [p for p in site.rglob("*") if p.is_file() and os.stat(p).st_ino in rendered]
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}

    assert pipeline.build(content, tmp_path / "intranet", work, audience="internal").checked.ok
    hidden, _ = secrets_of_hidden_records()
    leaked = [(path.name, r.title) for path, text in published_text(site) for r in hidden if r.title in text]
    assert not leaked
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_a_render_never_rewrites_a_file_the_site_may_hold(tmp_path):
    """Earlier versions linked the render's own files into the site (feeds, attachments, data files taken
    without the engine), and such links outlive an upgrade. The render rewrote those files in place: an intranet
    build in the same work folder put internal records into the public site's feeds, and a build that stopped
    while copying attachments left a published one cut short. Every file the render writes is a new file."""
    import os
    import shutil

    from generator import pipeline
    content, site, work = tmp_path / "content", tmp_path / "site", tmp_path / "work"
    shutil.copytree(MINI, content)
    assert pipeline.build(content, site, work).checked.ok
    # What an earlier version left behind: the site holding the render's files (all but its Markdown) as links.
    linked = []
    for source in (work / "docs").rglob("*"):
        target = site / source.relative_to(work / "docs")
        if source.is_file() and source.suffix != ".md" and target.is_file():
            target.unlink()
            os.link(source, target)
            linked.append(target)
    assert any(p.suffix == ".xml" for p in linked) and any("附件" in p.name for p in linked)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in site.rglob("*") if p.is_file()}

    assert pipeline.build(content, tmp_path / "intranet", work, audience="internal").checked.ok
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in site.rglob("*") if p.is_file()} == before
    hidden, _ = secrets_of_hidden_records()
    assert not [(path.name, r.title) for path, text in published_text(site) for r in hidden if r.title in text]
