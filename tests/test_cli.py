import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def test_missing_content_directory_is_a_usage_error(run, tmp_path):
    code, out = run("check", "--content", tmp_path / "nope")
    assert code == 2 and "找不到内容目录" in out


def test_bad_arguments_are_a_usage_error(run):
    with pytest.raises(SystemExit) as exc:
        run("frobnicate")
    assert exc.value.code == 2


def test_missing_site_yml(run, mini):
    (mini / "site.yml").unlink()
    code, out = run("check", "--content", mini)
    assert code == 1 and "找不到网站配置文件 site.yml" in out


def test_bad_site_yml_field(run, mini):
    text = (mini / "site.yml").read_text(encoding="utf-8").replace(
        "base_url: https://www.example.gov.cn/county/xxgk/", "base_url: www.example.gov.cn")
    (mini / "site.yml").write_text(text, encoding="utf-8")
    code, out = run("check", "--content", mini)
    assert code == 1 and "网站地址 (base_url)" in out and "第 4 行" in out


def test_reserved_or_non_ascii_file_names(run, mini):
    src = (mini / "docs/2024/old-notice.md").read_text(encoding="utf-8")
    (mini / "docs/2024/通知.md").write_text(src, encoding="utf-8")
    code, out = run("check", "--content", mini)
    assert code == 1 and "文件名或目录名只能使用英文字母" in out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(predicate, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def test_serve_previews_and_follows_edits(mini):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--content", str(mini),
                             "--work", str(mini.parent / "build"), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=mini.parent,
                            env={**__import__("os").environ, "PYTHONPATH": str(__import__("pathlib").Path(__file__).resolve().parent.parent)})
    try:
        # MkDocs serves under the path of site_url.
        page = f"http://127.0.0.1:{port}/county/xxgk/docs/2025/subsidy-notice/"
        assert _wait_for(lambda: "调整临时救助标准" in _get(page)), "preview did not come up"
        notice = mini / "docs/2025/subsidy-notice.md"
        notice.write_text(notice.read_text(encoding="utf-8").replace(
            "title: 测试县人民政府办公室关于调整临时救助标准的通知", "title: 预览中修改后的标题"), encoding="utf-8")
        assert _wait_for(lambda: "预览中修改后的标题" in _get(page)), "preview did not follow the edit"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    # The preview's MkDocs server went with it.
    assert not _wait_for(lambda: bool(_get(f"http://127.0.0.1:{port}/")), seconds=3)
