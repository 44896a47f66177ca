"""Shell-style globs matched without regular expressions. Stdlib only (hot path).

``fnmatch`` compiles each pattern into a regular expression, and importing ``re`` alone costs ~7 ms:
more than a whole guard decision. Patterns of ``*`` and ``?`` (all the configured ones by
default) are matched here; a pattern with ``[...]`` is left to fnmatch.
"""

from __future__ import annotations


def glob_match(name: str, pattern: str) -> bool:
    """``fnmatch.fnmatchcase(name, pattern)``. Patterns of ``*`` and ``?`` are matched here (the
    usual wildcard walk: each ``*`` is retried one character further when the rest fails), which
    spares compiling a regular expression per glob on every call; ``[...]`` goes to fnmatch."""
    if "[" in pattern:
        from fnmatch import fnmatchcase

        return fnmatchcase(name, pattern)
    i = j = 0
    star, retry = -1, 0
    while i < len(name):
        if j < len(pattern) and pattern[j] == "*":
            star, retry = j, i
            j += 1
        elif j < len(pattern) and pattern[j] in ("?", name[i]):
            i += 1
            j += 1
        elif star >= 0:
            retry += 1
            i, j = retry, star + 1
        else:
            return False
    return all(c == "*" for c in pattern[j:])


def path_match(path: str, pattern: str) -> bool:
    """Whether a relative ``/``-path matches a path glob, as bash's ``globstar`` reads it from
    the same directory: ``*``, ``?`` and ``[...]`` stay within one part, a ``**`` part matches
    any number of parts (none included, so ``src/**`` names ``src`` too), a trailing ``/`` means
    everything below. A pattern without wildcards names that path and everything below it."""
    pattern = pattern.strip("/") + ("/**" if pattern.endswith("/") else "")
    parts = [p for p in path.strip("/").split("/") if p and p != "."]
    wanted = [p for p in pattern.split("/") if p and p != "."]
    if not any(c in pattern for c in "*?["):
        return parts[: len(wanted)] == wanted
    return _parts_match(parts, wanted)


def _parts_match(parts: list[str], wanted: list[str]) -> bool:
    if not wanted:
        return not parts
    head = wanted[0]
    if head == "**":
        return any(_parts_match(parts[i:], wanted[1:]) for i in range(len(parts) + 1))
    return bool(parts) and glob_match(parts[0], head) and _parts_match(parts[1:], wanted[1:])
