"""`deploy`: publish a site that has just been built, and only such a site.

The command line runs `build` first (which refuses on any content problem and leaves the previous site in
place); what is published is then the complete new site, in one step the readers never see half of:

- git (`--git REMOTE [--branch B]`): ghp-import commits the site as the tip of branch B, on top of what the
  remote has, and pushes: a push is atomic. The commit is made in a repository of our own under the work
  directory, so the project's own repository and working tree are never touched. REMOTE is a URL, a path, or
  the name of a remote of the project's repository.
- a directory (`--dir PATH`, nginx or IIS serving PATH): the site is copied beside PATH, then swapped in with
  two renames (workspace.py); PATH must be empty, missing or an earlier output of ours.
- a zip file (`--zip FILE`): written beside FILE under a temporary name, then renamed over it.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .lifeline import python_module
from .site import BuildEnvironmentError, run_tool, tool_output
from .workspace import SITE, Workspace, WorkspaceError, check_paths

DEPLOY_REPO = "deploy-git"      # under --work: the repository ghp-import commits in
REMOTE_NAME = "gkgen-deploy"
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://|^[^/\s]+@[^:\s]+:")   # scheme://… or user@host:path


class DeployError(BuildEnvironmentError):
    """Publishing failed; the message is Chinese. The built site is in place, the target unchanged."""


@dataclass(frozen=True)
class Deployed:
    where: str          # what the operator is told
    detail: str = ""


def _git(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_tool(["git", *args], "git", cwd=cwd, env=env)


def remote_url(remote: str, project: Path) -> str:
    """A URL or path as it is (a relative path made absolute); otherwise a remote of the project's repository."""
    if _URL.match(remote):
        return remote
    if Path(remote).exists():
        return str(Path(remote).resolve())
    proc = _git(["remote", "get-url", remote], project)
    if proc.returncode != 0:
        raise DeployError(f"找不到 git 远程仓库 {remote}",
                          "--git 后面写远程仓库的地址（例如 ssh://git@192.168.1.10/site.git 或 /srv/git/site.git），"
                          "或本项目 git 中已登记的远程仓库名称（git remote -v 可以查看）")
    return proc.stdout.strip()


def to_git(site: Path, remote: str, branch: str, work: Path, message: str) -> Deployed:
    """Under the work directory's lock: no build swaps the site, no other deploy uses the repository meanwhile."""
    with Workspace(work):
        return _to_git(site, remote, branch, work, message)


def _to_git(site: Path, remote: str, branch: str, work: Path, message: str) -> Deployed:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", branch) or ".." in branch or branch.endswith((".lock", "/")):
        raise DeployError(f"分支名 {branch} 不可用", "分支名只用英文字母、数字、-、_、. 和 /，例如 gh-pages")
    url = remote_url(remote, Path.cwd())
    repo = work / DEPLOY_REPO
    if not (repo / ".git").is_dir():
        repo.mkdir(parents=True, exist_ok=True)
        _checked(_git(["init", "-q"], repo), "无法建立发布用的 git 仓库")
    _git(["remote", "remove", REMOTE_NAME], repo)
    _checked(_git(["remote", "add", REMOTE_NAME, url], repo), "无法登记远程仓库")
    heads = _git(["ls-remote", "--heads", REMOTE_NAME], repo)
    if heads.returncode != 0:
        raise DeployError(f"无法连接 git 远程仓库 {remote}，网站没有发布", tool_output(heads)
                          + "\n请检查地址、网络和访问权限（ssh 密钥或用户名密码）；已生成的网站在本机保持不变")
    if re.search(rf"\srefs/heads/{re.escape(branch)}$", heads.stdout, re.M):
        # The remote's branch first: the new commit goes on top of it and the push is a fast-forward.
        _checked(_git(["fetch", "-q", REMOTE_NAME, f"+refs/heads/{branch}:refs/remotes/{REMOTE_NAME}/{branch}"], repo),
                 f"无法取得远程仓库 {remote} 的 {branch} 分支")
    else:
        # A new branch there: no history from another remote this repository published to before.
        _git(["update-ref", "-d", f"refs/heads/{branch}"], repo)
    before = _git(["rev-parse", "--verify", "-q", f"refs/heads/{branch}"], repo).stdout.strip()
    env = dict(os.environ)
    for key, config, default in (("GIT_COMMITTER_NAME", "user.name", "gkgen"),
                                 ("GIT_COMMITTER_EMAIL", "user.email", "gkgen@localhost")):
        if not env.get(key) and not _git(["config", config], repo).stdout.strip():
            env[key] = default
    proc = run_tool(python_module("ghp_import", str(site.resolve()), "-m", message, "-r", REMOTE_NAME,
                                  "-b", branch, "-n", "-p"), "ghp-import", cwd=repo, env=env)
    after = _git(["rev-parse", "--verify", "-q", f"refs/heads/{branch}"], repo).stdout.strip()
    if proc.returncode != 0 or not after or after == before:
        raise DeployError(f"推送到 git 远程仓库 {remote} 失败，网站没有发布", tool_output(proc)
                          + "\n已生成的网站在本机保持不变；请检查访问权限后重新运行 deploy")
    return Deployed(f"git 远程仓库 {remote} 的 {branch} 分支", f"提交 {after[:10]}")


def _checked(proc: subprocess.CompletedProcess, message: str) -> None:
    if proc.returncode != 0:
        raise DeployError(message, tool_output(proc))


def check_dir_target(content: Path, work: Path, target: Path, site: Path) -> None:
    """Before building: the directory may be replaced (empty, missing, or an earlier output of ours), and it
    is neither the built site nor inside it nor around it (the copy would copy itself)."""
    check_paths(content, work, target, SITE, what="发布目录（--dir）")
    at, built = target.resolve(), site.resolve()
    if at == built or at.is_relative_to(built) or built.is_relative_to(at):
        raise WorkspaceError(f"发布目录 {target} 与网站输出目录 {site} 重叠",
                             "发布目录是网站服务器读取的另一个目录，例如 --dir /var/www/xxgk")


def to_dir(site: Path, target: Path, work: Path) -> Deployed:
    """Copy the site beside target, then swap it in (two renames on one file system)."""
    with Workspace(work) as space:
        staged = space.staging(target, SITE)
        shutil.copytree(site, staged, dirs_exist_ok=True, symlinks=True)
        space.publish(staged, target)
    return Deployed(f"目录 {target}")


def check_zip_target(content: Path, site: Path, target: Path) -> None:
    at = target.resolve()
    for folder, what in ((content.resolve(), "内容目录"), (site.resolve(), "网站目录")):
        if at == folder or at.is_relative_to(folder):
            raise WorkspaceError(f"压缩包 {target} 在{what} {folder} 之中", "请把压缩包放在别处，例如 --zip site.zip")
    if at.is_dir():
        raise WorkspaceError(f"{target} 是一个目录，不是文件", "请写压缩包的文件名，例如 --zip site.zip")
    if at.exists() and not zipfile.is_zipfile(at):
        raise WorkspaceError(f"{target} 已存在，而且不是压缩包：为免覆盖其他文件，没有写入",
                             "请另写一个文件名，或先把这个文件删除或改名")
    if not at.parent.is_dir():
        raise WorkspaceError(f"压缩包所在的目录 {target.parent} 不存在", "请先建立这个目录，或换一个位置")


def to_zip(site: Path, target: Path, work: Path) -> Deployed:
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    with Workspace(work):           # no build swaps the site while it is read
        _zip(site, target, temporary)
    return Deployed(f"压缩包 {target}", f"{target.stat().st_size / 1024 / 1024:.1f} MB")


def _zip(site: Path, target: Path, temporary: Path) -> None:
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(site.rglob("*")):
                if path.is_file():
                    z.write(path, path.relative_to(site).as_posix())
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()
