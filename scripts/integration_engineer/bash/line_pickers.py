"""Programs that print some of the lines they read, whole and maybe reordered (sort, tac, shuf,
uniq, head, tail, cat): what a shell fed from a pipeline of them may run is some lines of their
input in some order. Standard library only (hot path).

``picked_lines`` gives every line such a pipeline may print (None when a program or option of
it is not one of those, or an input is not known); ``inert`` says whether a line is a command
that runs the same, changing no state another line sees, whatever lines come before or after it
(``git log -1``, ``echo hi``): a script made of inert lines is harmless in any order when it is
harmless in one.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    from collections.abc import Callable

    from integration_engineer.bash.expand import Argv

# Per program: options that change what a line holds, or read or write elsewhere (refused).
_CHANGING: dict[str, tuple[str, ...]] = {
    "sort": ("-o", "--output", "-z", "--zero-terminated", "--files0-from", "-c", "-C", "--check"),
    "uniq": ("-c", "--count", "-z", "--zero-terminated"),
    "shuf": ("-e", "--echo", "-i", "--input-range", "-o", "--output", "-z", "--zero-terminated"),
    "tac": ("-",),  # any option (-s, -r: other separators)
    "cat": ("-",),  # any option (-n, -A, -v: marks added to lines)
    "head": ("-c", "--bytes", "-z", "--zero-terminated"),
    "tail": ("-c", "--bytes", "-z", "--zero-terminated", "-f", "-F", "--follow"),
}
# git verbs that only read, whatever lines ran before them (no alias can shadow a builtin).
_READING_VERBS = frozenset(
    {"status", "log", "diff", "show", "rev-parse", "ls-files", "describe", "shortlog", "rev-list"}
    | {"blame", "grep", "cat-file", "for-each-ref", "show-ref", "ls-tree", "merge-base", "version"}
)
_INERT_PROGRAMS = frozenset({"echo", "true", ":", "pwd", "date", "ls"})
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./,:+%@^ \t")


def picked_lines(argvs: list[Argv], read: Callable[[str], str | None], stdin: str | None) -> list[str] | None:
    """The lines a pipeline of line pickers may print (``argvs`` in order, ``stdin`` what the
    first reads when given no file); None when that is not known."""
    pool: list[str] | None = None if stdin is None else stdin.splitlines()
    for argv in argvs:
        if not argv or any(a is None for a in argv):
            return None
        name = (argv[0] or "").rsplit("/", 1)[-1]
        refused = _CHANGING.get(name)
        if refused is None:
            return None
        files: list[str] = []
        for arg in (a or "" for a in argv[1:]):
            if arg.startswith("-") and arg != "-":
                if any(arg == r or arg.startswith(r + "=") or (r == "-" and arg.startswith("-")) for r in refused):
                    return None
                if not arg.startswith("--") and any(f"-{c}" in refused for c in arg[1:]):
                    return None  # a cluster holding one of them (sort -uo F)
                continue
            files.append(arg)
        if name == "uniq" and len(files) > 1:
            return None  # uniq IN OUT writes OUT
        if files:
            joined = None if pool is None else "\n".join(pool)
            texts = [joined if f == "-" else read(f) for f in files]
            if None in texts:
                return None  # a file not known, or an option's value taken as a file
            pool = [line for text in texts for line in (text or "").splitlines()]
    return pool


def inert(line: str) -> bool:
    """A line that is blank, a comment, or a plain command that only reads (see module doc)."""
    text = line.strip()
    if not text or text.startswith("#"):
        return True
    if not set(text) <= _PLAIN:
        return False  # quotes, expansions, redirections, separators, globs, continuations
    words = text.split()
    if words[0] in _INERT_PROGRAMS:
        return True
    return words[0] == "git" and len(words) > 1 and words[1] in _READING_VERBS
