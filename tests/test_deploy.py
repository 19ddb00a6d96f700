"""`deploy`: check, build, then publish the whole new site to git, a directory or a zip file; never a half."""
import subprocess
import zipfile

import pytest

from tests.conftest import tree_digest
from tests.files import edit


def git(*args, cwd=None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def remote(tmp_path):
    path = tmp_path / "remote.git"
    git("init", "-q", "--bare", str(path))
    return path


def test_deploy_to_a_local_bare_repository(mini, run, remote):
    code, out = run("deploy", "--quiet", "--content", mini, "--git", remote)
    assert code == 0, out
    assert f"已发布到 git 远程仓库 {remote} 的 gh-pages 分支" in out
    first = git("--git-dir", remote, "rev-parse", "gh-pages")
    files = git("-c", "core.quotepath=false", "--git-dir", remote, "ls-tree", "-r", "--name-only", "gh-pages").split("\n")
    assert {"index.html", "docs/2025/subsidy-notice/index.html", "pagefind/pagefind.js", "feeds/all.xml"} <= set(files)
    site_files = {p.relative_to(mini.parent / "site").as_posix() for p in (mini.parent / "site").rglob("*") if p.is_file()}
    assert set(files) - {".nojekyll"} == site_files, "the whole site, nothing else"

    # Content with an error: nothing is built, nothing is pushed.
    notice = mini / "docs/2025/subsidy-notice.md"
    edit(notice, "published_on: 2025-03-14", "published_on: 2025-02-30")
    code, out = run("deploy", "--quiet", "--content", mini, "--git", remote)
    assert code == 1 and "没有发布" in out
    assert git("--git-dir", remote, "rev-parse", "gh-pages") == first

    # Fixed and corrected: the next commit goes on top of the first (a fast-forward, history kept).
    edit(notice, "published_on: 2025-02-30", "published_on: 2025-03-14\nchange_log: [{date: 2025-04-01, level: 一般, note: 补充执行时间}]")
    edit(notice, "自2025年4月1日起执行", "自2025年4月1日零时起执行")
    assert run("deploy", "--quiet", "--content", mini, "--git", remote, "--branch", "gh-pages")[0] == 0
    assert git("--git-dir", remote, "rev-parse", "gh-pages~1") == first
    page = git("--git-dir", remote, "show", "gh-pages:docs/2025/subsidy-notice/index.html")
    assert "零时起执行" in page and "补充执行时间" in page


def test_deploy_to_another_branch_and_refusals(mini, run, remote, tmp_path):
    assert run("deploy", "--quiet", "--content", mini, "--git", remote, "--branch", "public")[0] == 0
    assert git("--git-dir", remote, "branch", "--list") == "public"
    code, out = run("deploy", "--content", mini, "--git", tmp_path / "nowhere")
    assert code == 2 and "找不到 git 远程仓库" in out and "Traceback" not in out
    code, out = run("deploy", "--content", mini)
    assert code == 2 and "请指定一个发布方式" in out
    code, out = run("deploy", "--content", mini, "--dir", tmp_path / "www", "--branch", "x")
    assert code == 2 and "--branch 只能和 --git 一起使用" in out


def test_deploy_swaps_a_directory_whole(mini, run, tmp_path):
    target = tmp_path / "www" / "xxgk"
    target.parent.mkdir()
    assert run("deploy", "--quiet", "--content", mini, "--dir", target)[0] == 0
    assert tree_digest(target) == tree_digest(mini.parent / "site")
    edit(mini / "docs/2025/subsidy-notice.md", "自2025年4月1日起执行",
         "自2025年4月1日起执行，特此说明")
    edit(mini / "docs/2025/subsidy-notice.md", "validity: 有效", "validity: 有效\nchange_log: [{date: 2025-04-01, level: 一般, note: 补充说明}]")
    assert run("deploy", "--quiet", "--content", mini, "--dir", target)[0] == 0
    assert "特此说明" in (target / "docs/2025/subsidy-notice/index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in target.parent.iterdir()) == ["xxgk"], "no staging folder left beside it"
    # A folder that is not ours is never replaced; nothing is built for it.
    foreign = tmp_path / "other"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("x", encoding="utf-8")
    code, out = run("deploy", "--content", mini, "--dir", foreign)
    assert code == 2 and "发布目录（--dir）" in out and (foreign / "keep.txt").exists()
    code, out = run("deploy", "--content", mini, "--dir", mini.parent / "site" / "copy")
    assert code == 2 and "与网站输出目录" in out and not (mini.parent / "site" / "copy").exists()


def test_deploy_to_a_zip_file(mini, run, tmp_path):
    target = tmp_path / "xxgk.zip"
    assert run("deploy", "--quiet", "--content", mini, "--zip", target)[0] == 0
    with zipfile.ZipFile(target) as z:
        names = set(z.namelist())
        assert "index.html" in names and "docs/2025/subsidy-notice/index.html" in names
        assert z.read("index.html") == (mini.parent / "site/index.html").read_bytes()
    assert not list(tmp_path.glob(".xxgk.zip.tmp-*"))
    code, out = run("deploy", "--content", mini, "--zip", mini / "site.zip")
    assert code == 2 and "内容目录" in out
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    code, out = run("deploy", "--content", mini, "--zip", tmp_path / "notes.txt")
    assert code == 2 and "不是压缩包" in out
