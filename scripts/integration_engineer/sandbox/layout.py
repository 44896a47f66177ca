"""What the sandbox lets a command touch: computed from the task's worktree and the settings.

Stdlib ``os`` only (hot path). The git directory is found from the worktree's ``.git`` file and
the ``commondir`` file git keeps next to it, read directly (starting git costs milliseconds).
"""

from __future__ import annotations

import os

from integration_engineer.runtime.record import record

# Environment variables that carry credentials or let a program ask for them.
SECRET_ENV = (
    "SSH_AUTH_SOCK",
    "SSH_AGENT_PID",
    "GH_TOKEN",
    "GITHUB_TOKEN",
    "GH_ENTERPRISE_TOKEN",
    "GITHUB_ENTERPRISE_TOKEN",
    "GITLAB_TOKEN",
    "GIT_ASKPASS",
    "SSH_ASKPASS",
    "GIT_SSH",
    "GIT_SSH_COMMAND",
    "GIT_CREDENTIAL_HELPER",
    "NPM_TOKEN",
    "NODE_AUTH_TOKEN",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "AZURE_CLIENT_SECRET",
)
# Always hidden, relative to the home directory: keys and git/gh credential stores.
ALWAYS_HIDDEN = (
    ".ssh",
    ".git-credentials",
    ".netrc",
    ".config/gh",
    ".config/git/credentials",
    ".gnupg",
    ".docker/config.json",
)


@record
class Layout:
    worktree: str
    git_dirs: tuple[str, ...]  # read-only even though they lie inside a writable path
    writable: tuple[str, ...]  # existing cache directories
    hidden_dirs: tuple[str, ...]
    hidden_files: tuple[str, ...]
    tmp: str  # mounted at /tmp
    under_tmp: tuple[str, ...]  # the project when it lives under /tmp: shown again, read-only
    cwd: str
    network: bool


def git_dirs(worktree: str) -> tuple[str, ...]:
    """The worktree's ``.git`` entry and the repository's whole git directory (all worktrees')."""
    dot_git = os.path.join(worktree, ".git")
    if os.path.isdir(dot_git):
        return (os.path.realpath(dot_git),)
    try:
        with open(dot_git, encoding="utf-8") as fh:
            line = fh.readline().strip()
    except OSError:
        return ()
    if not line.startswith("gitdir:"):
        return (dot_git,)
    own = os.path.realpath(os.path.join(worktree, line[len("gitdir:") :].strip()))
    common = own
    try:
        with open(os.path.join(own, "commondir"), encoding="utf-8") as fh:
            common = os.path.realpath(os.path.join(own, fh.readline().strip()))
    except OSError:
        pass
    out = [dot_git, common]
    if not own.startswith(common + os.sep):
        out.append(own)
    return tuple(out)


def build(
    worktree: str, cwd: str, tmp: str, writable: tuple[str, ...], hidden: tuple[str, ...], network: bool
) -> Layout:
    home = os.path.expanduser("~")
    caches = tuple(p for p in (_expand(w, home) for w in writable) if os.path.isdir(p))
    dirs: list[str] = []
    files: list[str] = []
    for rel in ALWAYS_HIDDEN + hidden:
        path = _expand(rel, home)
        if os.path.isdir(path):
            dirs.append(path)
        elif os.path.exists(path):
            files.append(path)
    # The command's own directory (relative paths keep their meaning); the worktree if it is gone.
    here = cwd if os.path.isdir(cwd) else worktree
    gits = git_dirs(worktree)
    project = os.path.dirname(gits[1]) if len(gits) > 1 else worktree
    shown = tuple(p for p in (project, here) if p.startswith("/tmp/"))
    return Layout(worktree, gits, caches, tuple(dirs), tuple(files), tmp, shown[:1], here, network)


def own_tmp(path: str, worktree: str, cwd: str) -> bool:
    """Whether ``path`` (absolute, links not followed) lies in what bubblewrap mounts at /tmp, the
    task's own directory: under /tmp and not in the project shown again there read-only (build)."""
    if not path.startswith("/tmp/"):
        return False
    gits = git_dirs(worktree)
    project = os.path.dirname(gits[1]) if len(gits) > 1 else worktree
    shown = [p for p in (project, cwd) if p.startswith("/tmp/")][:1]
    return not any(path == s or path.startswith(s.rstrip("/") + "/") for s in shown)


def _expand(path: str, home: str) -> str:
    if path.startswith("~/"):
        path = path[2:]
    return os.path.realpath(path if os.path.isabs(path) else os.path.join(home, path))
