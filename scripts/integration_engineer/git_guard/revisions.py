"""The revisions a verifying git verb reads, from its arguments: the names it starts from and
whether it walks their history. Standard library only.

``verify-commit``/``verify-tag`` read the objects named; ``show`` those too (a range walks);
``log``/``whatchanged`` walk from the names (HEAD when none), except ``-1`` with only options that
change no choice of commit, which reads the one named. A name with an operator (``HEAD~2``,
``A..B``, ``^A``) is read as its base names with their history: a superset of what git reads.
Options that add starting points (``--all``, ``--branches``, ``-g``, ``--stdin``...) or that are
not known give None: the caller then counts every object as possibly signed.
"""

from __future__ import annotations

# Options of log/show that change how commits are shown, not which.
_SHOWING = frozenset(
    {"--oneline", "--show-signature", "--no-decorate", "--decorate", "--shortstat", "--numstat", "--name-only"}
    | {"--name-status", "-p", "-u", "--patch", "-s", "--no-patch", "--abbrev-commit", "--no-abbrev-commit"}
    | {"--no-color", "--color", "--graph", "--raw", "--summary", "--no-notes", "-z", "--parents", "--stat"}
    | {"--no-walk", "--full-diff", "-q", "--quiet"}
)
_SHOWING_VALUED = ("--format=", "--pretty", "--date=", "--decorate=", "--stat=", "--color=", "--abbrev=")
# Options that only leave commits out (the walk from the names reads a superset).
_FILTERING: tuple[str, ...] = ("--author=", "--committer=", "--grep=", "--since=", "--after=", "--until=")
_FILTERING += ("--before=", "--skip=")
_FILTERING += ("--merges", "--topo-order", "--date-order", "-i", "--all-match", "--invert-grep", "--follow", "-S")
_FILTERING += ("-G", "--diff-filter=", "--max-parents=", "--min-parents=", "--regexp-ignore-case", "-E", "-F")
_FILTERING += ("--max-count=", "-n", "--pickaxe", "--no-merges", "--first-parent", "--reverse")
_VERIFY_OPTIONS = frozenset({"-v", "--verbose", "--raw"})
_OPERATORS = "~^."


def picked(verb: str, args: list[str | None]) -> tuple[list[str], bool] | None:
    """(names, walk) for ``git VERB ARGS``; None when not known."""
    read = _read(verb, args)
    if read is None:
        return None
    names, count, only_showing, paths = read
    if verb in ("verify-commit", "verify-tag") and not names:
        return [], False
    walks = verb in ("log", "whatchanged") and not (count == 1 and only_showing and not paths and len(names) <= 1)
    bases: list[str] = []
    for name in names or ["HEAD"]:
        parts = name.replace("...", "..").split("..")
        bases += [p.lstrip("^").split("~", 1)[0].split("^", 1)[0] or "HEAD" for p in parts]
        walks = walks or any(c in name for c in _OPERATORS)
    return bases, walks


def _read(verb: str, args: list[str | None]) -> tuple[list[str], int | None, bool, bool] | None:
    """(names, the -N count, only options that change no choice of commit, paths given)."""
    names: list[str] = []
    count: int | None = None
    only_showing = True
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg is None:
            return None
        if arg == "--":
            return names, count, only_showing, any(a is None or a for a in args[i:])
        if verb in ("verify-commit", "verify-tag"):
            if arg.startswith("-") and arg not in _VERIFY_OPTIONS:
                return None
            names += [] if arg.startswith("-") else [arg]
        elif arg[:1] == "-" and arg[1:].isdigit():
            count = int(arg[1:])
        elif arg in ("-n", "--max-count") and i < len(args):
            value = args[i]
            i += 1
            if value is None or not value.isdigit():
                return None
            count = int(value)
        elif arg.startswith(("--max-count=", "-n")) and arg.split("=", 1)[-1].lstrip("-n").isdigit():
            count = int(arg.split("=", 1)[-1].lstrip("-n"))
        elif arg.startswith(_FILTERING):
            only_showing = False
        elif arg.startswith("-") and arg not in _SHOWING and not arg.startswith(_SHOWING_VALUED):
            return None
        elif not arg.startswith("-"):
            names.append(arg)
    return names, count, only_showing, False
