"""Shared pieces of the browser tests: the built site served on 127.0.0.1 under a sub-path, and Chromium."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"     # make test CHROMIUM=/path
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(site: Path, sub_path: str = "county/xxgk"):
    """Serve site at http://127.0.0.1:PORT/<sub_path>/ the way a county portal column would."""
    root = site.parent / "webroot"
    if root.exists():
        shutil.rmtree(root)
    (root / sub_path).parent.mkdir(parents=True)
    (root / sub_path).symlink_to(site.resolve(), target_is_directory=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{sub_path}/"
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(root)     # only the symlink and its folders: the site itself stays


def fonts_config(folder: Path) -> Path:
    """A fontconfig file adding the Noto Sans CJK fonts of the print wheels (pyproject.toml) to the system's."""
    import noto_cjk_sans_jp_bold
    import noto_cjk_sans_jp_regular
    dirs = sorted({str(Path(m.__file__).parent) for m in (noto_cjk_sans_jp_regular, noto_cjk_sans_jp_bold)})
    path = folder / "fonts.conf"
    path.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    + "".join(f"<dir>{d}</dir>" for d in dirs) + "</fontconfig>", encoding="utf-8")
    return path
