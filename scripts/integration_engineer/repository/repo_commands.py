"""Whether a repository's own configuration or hooks may make a plain read-only git command start
a program. Standard library only (hot path).

One literal ``git status`` (``git log -1``, ``git branch tmp``...) is let through without the full
analysis (``bash.triggers.single_git``), unless its repository could make it run something: a hook
that such verbs run (``reference-transaction``, ``post-index-change``, ``post-checkout``) in its
hooks directory, or configuration that names commands or moves the hooks (``core.hooksPath``,
``core.fsmonitor``, diff drivers, filters, ``diff.external``, pagers, signature display,
includes). Then the full analysis reads them (git_guard.git_runs). A few ``stat`` calls and one
small read: cheap enough for every such command.
"""

from __future__ import annotations

import os

# Hooks a read-only verb of single_git may run (branch creates refs; status refreshes the index).
READ_VERB_HOOKS = ("reference-transaction", "post-index-change", "post-checkout")
# Words in a configuration file's text (lower case) after which the full analysis must read it.
_MARKERS = (
    "hookspath",
    "fsmonitor",
    "textconv",
    "external",
    "[diff",
    "[filter",
    "pager",
    "include",
    "showsignature",
    "gpg",
    "[pretty",
    "[format",
    "attributesfile",
)
_MAX_CONFIG = 256 * 1024


def may_run(cwd: str) -> bool:
    """Whether the repository around ``cwd`` may start a command on a read-only verb (True when
    it cannot be read: the full analysis decides)."""
    if not cwd:
        return False
    gitdir = _git_dir(cwd)
    if gitdir is None:
        return False
    common = _common(gitdir)
    try:
        hooks = os.listdir(os.path.join(common, "hooks"))
    except OSError:
        hooks = []
    if any(name in hooks for name in READ_VERB_HOOKS):
        return True
    for path in (os.path.join(common, "config"), os.path.join(gitdir, "config.worktree")):
        try:
            with open(path, "rb") as fh:
                text = fh.read(_MAX_CONFIG + 1).decode("utf-8", "replace").lower()
        except FileNotFoundError:
            continue
        except OSError:
            return True
        if len(text) > _MAX_CONFIG or any(marker in text for marker in _MARKERS):
            return True
    return False


def _git_dir(cwd: str) -> str | None:
    here = os.path.abspath(cwd)
    for _ in range(64):
        dotgit = os.path.join(here, ".git")
        if os.path.isfile(os.path.join(dotgit, "HEAD")):
            return dotgit
        if os.path.isfile(dotgit):
            try:
                with open(dotgit, encoding="utf-8", errors="replace") as fh:
                    line = fh.readline().strip()
            except OSError:
                return None
            if line.startswith("gitdir:"):
                return os.path.normpath(os.path.join(here, line[7:].strip()))
            return None
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent
    return None


def _common(gitdir: str) -> str:
    try:
        with open(os.path.join(gitdir, "commondir"), encoding="utf-8", errors="replace") as fh:
            return os.path.normpath(os.path.join(gitdir, fh.read().strip()))
    except OSError:
        return gitdir
