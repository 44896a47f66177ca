"""What git would answer about worktrees and HEAD, read from the repository's files. Stdlib only.

PreToolUse(Agent) needs two facts that used to cost a git process each (hot path):

- ``worktrees(project)``: what ``git -C PROJECT worktree list --porcelain`` lists, resolved: the
  main working tree first, then every registered linked worktree. Read the way git builds that
  list (``worktree.c``): the main tree is the common directory without its ``/.git``; each
  ``<common>/worktrees/<id>/gitdir`` whose content is not empty names a linked worktree's ``.git``
  file (trailing whitespace trimmed, then ``/.git`` stripped).
- ``head(worktree)``: what ``git -C WORKTREE rev-parse --verify -q HEAD`` prints: ``<gitdir>/HEAD``
  (the gitdir named by the worktree's ``.git`` file), a symbolic ref resolved through the loose
  ref (per-worktree refs in the worktree's gitdir, the others in the common directory named by
  ``<gitdir>/commondir``), then ``packed-refs``. Like git, the object itself is not looked up.

Both return None whenever anything is unusual, and the caller then asks git itself: git
environment variables that move the repository (``GIT_DIR``...), a project whose ``.git`` is not
a plain directory (a subdirectory of a repository, a worktree, a submodule), files owned by
another user (git's safe.directory check), a ``.git`` that git would not take for a repository,
relative or odd paths in the administrative files, the reftable backend, a ref that is missing
everywhere (an unborn branch), symlinked HEADs and refs, or any read error.
"""

from __future__ import annotations

import os

# Variables that change which repository git -C DIR finds, or how its refs are read.
GIT_ENV = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY",
    "GIT_NAMESPACE",
    "GIT_REF_STORAGE",
    "GIT_DEFAULT_REF_FORMAT",
)
PER_WORKTREE_REFS = ("refs/bisect/", "refs/worktree/", "refs/rewritten/")
HEX = frozenset("0123456789abcdef")
MAX_SYMREF_DEPTH = 5


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as fh:
            return fh.read()
    except (OSError, ValueError):
        return None


def _unusual_environment() -> bool:
    if any(name in os.environ for name in GIT_ENV):
        return True
    return os.geteuid() == 0 and "SUDO_UID" in os.environ  # git's ownership check differs


def _owned(*paths: str) -> bool:
    """Every path is ours (else git's safe.directory check decides: ask git)."""
    uid = os.geteuid()
    try:
        return all(os.stat(p).st_uid == uid for p in paths)
    except OSError:
        return False


def _object_id(text: str) -> str | None:
    """A full lowercase object id (SHA-1 or SHA-256) followed by nothing but whitespace."""
    value = text.rstrip()
    if len(value) in (40, 64) and not set(value) - HEX:
        return value
    return None


def _is_plain_dir(path: str) -> bool:
    return os.path.isdir(path) and not os.path.islink(path)


def _looks_like_repository(gitdir: str) -> bool:
    """git's is_git_directory: objects/ and refs/ directories and a valid HEAD file."""
    if not (os.path.isdir(os.path.join(gitdir, "objects")) and os.path.isdir(os.path.join(gitdir, "refs"))):
        return False
    head_text = _head_text(gitdir)
    if head_text is None:
        return False
    return head_text.startswith("ref: refs/") or _object_id(head_text) is not None


def _head_text(gitdir: str) -> str | None:
    """The HEAD file of a git directory; None when missing, unreadable or a symlink (git's own
    handling of a symlinked HEAD is not reproduced: callers fall back on git)."""
    head_path = os.path.join(gitdir, "HEAD")
    if os.path.islink(head_path):
        return None
    return _read(head_path)


# ---------------------------------------------------------------- worktree list


def _may_be_bare(common: str) -> bool:
    """A config that mentions ``bare`` other than ``bare = false`` (git lists a bare main tree
    differently), or that cannot be read."""
    text = _read(os.path.join(common, "config"))
    if text is None:
        return True
    for line in text.splitlines():
        squashed = "".join(line.split()).lower()
        if "bare" in squashed and squashed != "bare=false":
            return True
    return False


def worktrees(project: str) -> list[str] | None:
    """Resolved paths git lists for the repository of ``project`` (main working tree first), or
    None when git must be asked."""
    if _unusual_environment():
        return None
    common = os.path.join(project, ".git")
    if not _is_plain_dir(common) or os.path.exists(os.path.join(common, "commondir")):
        return None
    if not _owned(project, common) or not _looks_like_repository(common):
        return None
    if os.path.exists(os.path.join(common, "reftable")) or _may_be_bare(common):
        return None
    found = [os.path.realpath(project)]
    admin = os.path.join(common, "worktrees")
    try:
        ids = sorted(os.listdir(admin))
    except FileNotFoundError:
        return found
    except OSError:
        return None
    for name in ids:
        text = _read(os.path.join(admin, name, "gitdir"))
        if not text:  # unreadable or empty: git skips it too
            continue
        path = text.rstrip()
        if not path.endswith("/.git") or not os.path.isabs(path):
            return None  # relative paths (worktree.useRelativePaths) or odd content
        found.append(os.path.realpath(path[: -len("/.git")] or "/"))
    return found


# ---------------------------------------------------------------- HEAD


def _gitdir_of(worktree: str) -> str | None:
    dotgit = os.path.join(worktree, ".git")
    if os.path.islink(dotgit):
        return None
    if os.path.isdir(dotgit):
        return dotgit
    text = _read(dotgit)
    if text is None or not text.startswith("gitdir: "):
        return None
    path = text[len("gitdir: ") :].rstrip()
    if not path:
        return None
    return os.path.join(worktree, path)


def _common_of(gitdir: str) -> str | None:
    path = os.path.join(gitdir, "commondir")
    if not os.path.lexists(path):
        return gitdir
    text = _read(path)
    if text is None or not text.strip():
        return None
    return os.path.normpath(os.path.join(gitdir, text.rstrip("\n")))


def _packed(common: str, refname: str) -> str | None:
    """The object id ``packed-refs`` gives ``refname``, "" when it has none, None when unreadable."""
    path = os.path.join(common, "packed-refs")
    if not os.path.lexists(path):
        return ""
    text = _read(path)
    if text is None:
        return None
    suffix = " " + refname
    for line in text.splitlines():
        if line.endswith(suffix) and not line.startswith(("#", "^")):
            return _object_id(line[: -len(suffix)]) or None
    return ""


def _resolve(gitdir: str, common: str, refname: str, depth: int) -> str | None:
    if depth > MAX_SYMREF_DEPTH or not refname.startswith("refs/") or ".." in refname:
        return None
    base = gitdir if refname.startswith(PER_WORKTREE_REFS) else common
    loose = os.path.join(base, refname)
    if os.path.islink(loose) or os.path.isdir(loose):
        return None
    if os.path.exists(loose):
        text = _read(loose)
        if text is None:
            return None
        if text.startswith("ref:"):
            return _resolve(gitdir, common, text[len("ref:") :].strip(), depth + 1)
        return _object_id(text)
    packed = _packed(common, refname)
    return packed or None  # missing everywhere (an unborn branch): let git say so


def head(worktree: str) -> str | None:
    """The commit HEAD of ``worktree`` points to, or None when git must be asked."""
    if _unusual_environment():
        return None
    gitdir = _gitdir_of(worktree)
    if gitdir is None or not os.path.isdir(gitdir):
        return None
    common = _common_of(gitdir)
    if common is None or not os.path.isdir(common) or os.path.exists(os.path.join(common, "reftable")):
        return None
    if not _owned(worktree, os.path.join(worktree, ".git"), gitdir, common):
        return None
    text = _head_text(gitdir)
    if text is None:
        return None
    if text.startswith("ref:"):
        return _resolve(gitdir, common, text[len("ref:") :].strip(), 0)
    return _object_id(text)


# ---------------------------------------------------------------- running git


def run_git(cwd: str, args: tuple[str, ...], timeout: float) -> str | None:
    """git's stdout when it exits 0, None otherwise (``git_runner.run``, the one git runner)."""
    from integration_engineer.repository import git_runner

    code, out = git_runner.run(cwd, args, timeout=timeout)
    return out if code == 0 else None
