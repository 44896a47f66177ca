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
