"""Git verbs run in another repository than the command's own: moving its refs is a push.

``git -C ../origin.git update-ref refs/heads/x HEAD``, ``GIT_DIR=../origin.git git branch -f x``,
``cd ../origin.git && git tag v9`` and ``git send-pack ../origin.git main`` change the refs of the
remote without ``git push`` (checked with git 2.39: the remote's ``for-each-ref`` changed). A verb
that only reads (``log``, ``for-each-ref``, ``branch --list``) moves nothing. ``repository_at``
finds the repository git would use from a directory (a ``.git`` in it or above it, or the
directory itself when it is a bare one). Standard library only.
"""

from __future__ import annotations

import os

from integration_engineer.bash import script_files

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    TextOf = Callable[[str], "str | bool | None"]

# Verbs that never write a ref (each checked run in a bare remote: its refs stayed as they were).
READ_ONLY = frozenset(
    {"log", "show", "rev-parse", "rev-list", "for-each-ref", "show-ref", "cat-file", "ls-tree", "ls-files"}
    | {"status", "diff", "diff-tree", "diff-index", "diff-files", "describe", "name-rev", "count-objects"}
    | {"grep", "blame", "annotate", "shortlog", "merge-base", "verify-commit", "verify-tag", "fsck", "ls-remote"}
    | {"help", "version", "var", "check-ref-format", "check-attr", "check-ignore", "archive", "whatchanged"}
    | {"cherry", "range-diff", "format-patch", "config", "show-branch", "get-tar-commit-id"}
)
# Options of branch and tag that only list (with them, a name is a pattern to list).
_LISTING = frozenset({"-l", "--list", "-a", "--all", "-r", "--remotes", "-v", "-vv", "--verbose", "-n"})
_LISTING |= {"--show-current", "--contains", "--no-contains", "--merged", "--no-merged", "--points-at"}
_LISTING |= {"--sort", "--format", "--column", "--no-column", "--color", "--no-color", "-i", "--ignore-case"}
# Plumbing that updates another repository's refs from here (``--dry-run`` only shows).
PUSHING = frozenset({"send-pack", "http-push"})


def moves_refs(verb: str, args: Sequence[str | None]) -> bool:
    """Whether ``git VERB ARGS`` may write a ref of the repository it runs in."""
    if verb in READ_ONLY:
        return False
    words = [a for a in args if a is None or not a.startswith("-")]
    options = [a for a in args if a is not None and a.startswith("-")]
    if any(a is None for a in args):
        return True
    if verb in ("branch", "tag"):
        names = [o.split("=", 1)[0] for o in options]
        if verb == "tag" and any(n in ("-v", "--verify") for n in names):
            return False
        listing = any(n in _LISTING for n in names) and all(n in _LISTING for n in names)
        return not (listing or (not words and all(n in _LISTING for n in names)))
    if verb == "symbolic-ref":
        return len(words) > 1 or any(o in ("-d", "--delete") for o in options)
    if verb == "stash":
        return words[:1] not in (["list"], ["show"])
    if verb in ("worktree", "remote", "reflog", "notes"):
        return not (words[:1] in (["list"], ["show"], ["get-url"], ["exists"]) or (not words and verb == "remote"))
    return True


def pushes(verb: str, args: Sequence[str | None]) -> bool:
    """``send-pack``/``http-push`` to a repository: they move its refs unless ``--dry-run``."""
    return verb in PUSHING and not any(a in ("--dry-run", "-h", "--help") for a in args)


def repository_at(directory: str, text_of: TextOf) -> str | bool | None:
    """The git directory git uses from ``directory`` (its normalized path), None when there is none
    (git stops: not a repository), False when the directory does not exist (yet)."""
    here = os.path.abspath(directory)
    if not script_files.is_dir(here):
        return False
    for _ in range(64):
        dotgit = os.path.join(here, ".git")
        if text_of(os.path.join(dotgit, "HEAD")) not in (None, False):
            return _common(dotgit, text_of)
        line = text_of(dotgit)
        if isinstance(line, str) and line.startswith("gitdir:"):
            return _common(os.path.normpath(os.path.join(here, line[7:].strip())), text_of)
        if _is_gitdir(here, text_of):
            return _common(here, text_of)
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent
    return None


def gitdir_at(path: str, text_of: TextOf) -> str | bool:
    """``GIT_DIR``/``--git-dir``: the directory named, when it is one (False otherwise: it may
    be made first, or git stops)."""
    here = os.path.abspath(path)
    return _common(here, text_of) if _is_gitdir(here, text_of) else False


def _is_gitdir(here: str, text_of: TextOf) -> bool:
    head = text_of(os.path.join(here, "HEAD"))
    return isinstance(head, str) and script_files.is_dir(os.path.join(here, "objects"))


def _common(gitdir: str, text_of: TextOf) -> str:
    text = text_of(os.path.join(gitdir, "commondir"))
    common = os.path.join(gitdir, text.strip()) if isinstance(text, str) else gitdir
    return os.path.normpath(os.path.abspath(common))  # a link to it compares as another: refused
