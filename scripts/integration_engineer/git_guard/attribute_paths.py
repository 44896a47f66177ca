"""Which paths a verb limited by a pathspec touches, and whether an attributes pattern names one.

``git -c filter.fx.smudge=CMD checkout -- a.txt`` runs the filter only on ``a.txt``: an attributes
file giving ``filter=fx`` to ``*.json`` alone starts nothing (checked with git 2.39, GIT_TRACE),
and so for ``restore``, ``status`` and ``diff -- PATHS`` with clean filters and textconv drivers.
``index_pathspec`` gives the pathspec of the forms that read only what the index holds (``git
diff``, ``git status``). ``pathspec(verb, args)`` gives the literal paths the verb is limited to (None: any path, or
words this reading does not know); ``matches(pattern, base, path)`` follows gitattributes
patterns (a name without a slash matches at any depth under the file's directory ``base``; one
with a slash is anchored there; ``*`` here may also cross a slash, which can only match more).
Standard library only.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    from collections.abc import Sequence

_LIMITED = frozenset({"diff", "checkout", "restore", "status"})
# Options that change nothing about which paths are read (no value of their own follows).
_PLAIN = frozenset({"-q", "--quiet", "-s", "--short", "--porcelain", "-b", "--branch", "--no-color", "--stat"})
_PLAIN |= {"-W", "--worktree", "-f", "--force", "--ours", "--theirs", "--no-overlay", "--overlay", "-z", "-p"}
_PLAIN |= {"--no-ext-diff", "--name-only", "--name-status", "--exit-code", "-u", "--patch", "--text", "-a"}
_PLAIN |= {"-w", "--ignore-all-space", "-b", "--no-renames", "--long", "-v", "--verbose"}


def pathspec(verb: str, args: Sequence[str | None]) -> list[str] | None:
    """The literal paths ``git VERB ARGS`` is limited to; None when it may read any path (no
    pathspec, a revision or tree it reads paths from, a pattern, an option not known here)."""
    if verb not in _LIMITED or any(a is None for a in args):
        return None
    words: list[str] = []
    after = False
    for arg in args:
        assert arg is not None
        if after:
            words.append(arg)
        elif arg == "--":
            after = True
        elif arg.startswith("-"):
            if arg not in _PLAIN:
                return None
        elif verb in ("diff", "checkout"):
            return None  # a revision (or a path git may take for one): paths come from its tree
        else:
            words.append(arg)
    if not words or any(not _literal(w) for w in words):
        return None
    return words


def index_pathspec(verb: str, args: Sequence[str | None]) -> list[str] | None:
    """For ``git diff`` comparing the work tree with the index and ``git status`` without
    ``-v``: the literal pathspec ([] for none). Those read only paths the index holds (an
    untracked file is neither diffed nor filtered: checked with GIT_TRACE, textconv and clean
    filters set on ``*.md`` with only ``.txt`` files tracked). None for any other form."""
    if verb not in ("diff", "status"):
        return None
    words: list[str] = []
    after = False
    for arg in args:
        if arg is None:
            return None
        if after:
            words.append(arg)
        elif arg == "--":
            after = True
        elif arg.startswith("-"):
            if arg not in _PLAIN or (verb == "status" and arg in ("-v", "--verbose")):
                return None
        elif verb == "diff":
            return None  # a revision: paths come from its tree
        else:
            words.append(arg)
    return words if all(_literal(w) for w in words) else None


def other_tree(verb: str, args: Sequence[str | None]) -> bool:
    """Whether the verb may write work-tree files from another tree than the index's, whose own
    ``.gitattributes`` then give the filters (checked: ``checkout BRANCH`` runs a smudge filter
    that only BRANCH's .gitattributes names)."""
    if verb in ("checkout", "switch"):
        before = args[: args.index("--")] if "--" in args else args
        return any(a is None or a[:1] != "-" for a in before)
    if verb == "reset":
        return any(a is None or a in ("--hard", "--merge", "--keep") for a in args)
    if verb == "restore":
        return any(a is None or a.startswith(("-s", "--source")) for a in args)
    if verb == "stash":
        return any(a is None or a in ("apply", "pop", "branch") for a in args)
    return verb in ("read-tree", "worktree", "clone", "sparse-checkout", "bisect", "submodule")


def _literal(word: str) -> bool:
    return bool(word) and word[:1] != ":" and not any(c in word for c in "*?[\\") and word not in (".", "./")


def matches(pattern: str, base: str, path: str) -> bool:
    """Whether an attributes pattern of a file in directory ``base`` (relative to the top, "" for
    the top) may give its attributes to ``path`` (relative to the top)."""
    if pattern.startswith('"'):
        return True  # a quoted pattern (C-style escapes): not read here
    if base:
        if not path.startswith(base.rstrip("/") + "/"):
            return False
        path = path[len(base.rstrip("/")) + 1 :]
    if pattern.endswith("/"):
        return False  # a directory pattern gives nothing to the files in it
    if "/" not in pattern:
        return fnmatchcase(path.rsplit("/", 1)[-1], pattern)
    pattern = pattern.lstrip("/")
    variants = {pattern, pattern.replace("/**/", "/"), pattern[3:] if pattern.startswith("**/") else pattern}
    return any(fnmatchcase(path, v) for v in variants)


def giving(text: str, needle: str) -> list[str]:
    """The patterns of an attributes file that give ``needle`` (``diff=tc``), directly or through
    a macro it defines (``[attr]conv diff=tc`` then ``*.txt conv``)."""
    lines = [line.split() for line in text.splitlines()]
    lines = [w for w in lines if w and not w[0].startswith("#")]
    wanted = {needle}
    for _ in range(8):  # a macro may name another macro
        more = {w[0][6:] for w in lines if w[0].startswith("[attr]") and wanted & set(w[1:])}
        if more <= wanted:
            break
        wanted |= more
    return [w[0] for w in lines if not w[0].startswith("[attr]") and wanted & set(w[1:])]
