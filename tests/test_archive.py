"""`archive YEAR`: the year's pages, attachments, catalogue rows and board PDFs, with SHA-256 digests."""
import csv
import io
import subprocess

from generator.archive import SUMS, read_sums
from tests.lifecycle import AMENDMENT, NOTICE, OLD, WITHDRAWN, make_lifecycle


def test_yearly_archive_bundle(tmp_path, run, monkeypatch):
    monkeypatch.chdir(tmp_path)
    content = make_lifecycle(tmp_path / "content")
    code, out = run("archive", "2025", "--quiet", "--content", content)
    assert code == 0, out
    bundle = tmp_path / "archive-2025"
    assert "2025 年归档包已生成到 archive-2025/：4 条信息（另有已撤回 1 条），公示版和明白纸 1 份" in out
    # The year's record pages with their attachments and the tombstone; nothing of 2024.
    assert (bundle / "docs/2025/subsidy-notice/index.html").is_file()
    assert (bundle / "docs/2025/subsidy-notice/附件1-临时救助标准表.csv").is_file()
    assert (bundle / "help/2025/temporary-assistance-guide/index.html").is_file()
    assert not (bundle / "help/2025/temporary-assistance-guide/申请表.csv").exists()
    assert not (bundle / "docs/2024").exists()
    assert (bundle / "print/notes/2025/subsidy-notice-explained.pdf").read_bytes().startswith(b"%PDF")
    rows = list(csv.DictReader(io.StringIO((bundle / "catalogue-2025.csv").read_text(encoding="utf-8-sig"))))
    assert {r["索引号"] for r in rows} == {NOTICE, AMENDMENT, WITHDRAWN, "11999900MB0B00001X/2025-00001",
                                         "11999900MB0B00001X/2025-00003"} and OLD not in {r["索引号"] for r in rows}
    assert "window.GK_OFFLINE_INDEX" in (bundle / "search/offline-index.js").read_text(encoding="utf-8")
    # Every file is listed with its digest, and sha256sum agrees.
    listed = read_sums(bundle)
    files = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file() and p.name != SUMS}
    assert set(listed) == files
    assert subprocess.run(["sha256sum", "--quiet", "-c", SUMS], cwd=bundle).returncode == 0
    (bundle / "index.html").write_text("改动过的文件", encoding="utf-8")
    assert subprocess.run(["sha256sum", "--quiet", "-c", SUMS], cwd=bundle, capture_output=True).returncode == 1
    assert not list(tmp_path.glob(".archive-2025.*")), "the offline build beside it is removed"


def test_a_year_without_records_and_a_foreign_folder_are_refused(tmp_path, run, monkeypatch):
    monkeypatch.chdir(tmp_path)
    content = make_lifecycle(tmp_path / "content")
    code, out = run("archive", "2019", "--quiet", "--content", content)
    assert code == 2 and "2019 年没有发布过公开信息" in out and "2024、2025" in out
    assert not (tmp_path / "archive-2019").exists()
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers/old.doc").write_text("x", encoding="utf-8")
    code, out = run("archive", "2025", "--content", content, "--out", tmp_path / "papers")
    assert code == 2 and "归档目录（--out）" in out and (tmp_path / "papers/old.doc").exists()
