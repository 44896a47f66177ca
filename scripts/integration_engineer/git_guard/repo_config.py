"""The repository's own git configuration, as git finds it from a directory. Standard library only.

``find(directory, text_of)`` walks up to the ``.git`` directory (or a ``.git`` file's ``gitdir:``),
reads ``config`` of the common directory, then ``config.worktree``, following ``include.path``
and ``includeIf.*.path`` (every condition taken as true: more settings can only mean more
refusals). ``text_of(path)`` gives a file's text, from what the command wrote or from disk (the
script cache notes every read); None when it is missing, False when it exists and cannot be known.
Keys are ``section.subsection.name`` with section and name in lower case, the subsection as
written (git compares it case-sensitively), as ``key`` makes them of a ``-c`` option.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    from collections.abc import Callable

    TextOf = Callable[[str], "str | bool | None"]

UNKNOWN = "?"  # the key that says some configuration could not be read


def key(raw: str) -> str:
    """A configuration key as git compares it: section and name in lower case."""
    section, dot, rest = raw.partition(".")
    if not dot:
        return raw.lower()
    middle, dot2, name = rest.rpartition(".")
    if not dot2:
        return f"{section.lower()}.{rest.lower()}"
    return f"{section.lower()}.{middle}.{name.lower()}"


class Repo:
    """Where a repository's files are: the top of its work tree, its git dir, its common dir."""

    def __init__(self, top: str, gitdir: str, common: str) -> None:
        self.top, self.gitdir, self.common = top, gitdir, common


def locate(directory: str, text_of: TextOf) -> Repo | None:
    """The repository ``directory`` is in (None when it is in none that can be read)."""
    here = os.path.abspath(directory)
    for _ in range(64):
        dotgit = os.path.join(here, ".git")
        if text_of(os.path.join(dotgit, "HEAD")) not in (None, False):
            return Repo(here, dotgit, _common(dotgit, text_of))
        line = text_of(dotgit)
        if isinstance(line, str) and line.startswith("gitdir:"):
            gitdir = os.path.normpath(os.path.join(here, line[7:].strip()))
            return Repo(here, gitdir, _common(gitdir, text_of))
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent
    return None


def _common(gitdir: str, text_of: TextOf) -> str:
    text = text_of(os.path.join(gitdir, "commondir"))
    return os.path.normpath(os.path.join(gitdir, text.strip())) if isinstance(text, str) else gitdir


def read(repo: Repo, text_of: TextOf) -> dict[str, str | None]:
    """The repository's settings (later files and lines win, as in git)."""
    found: dict[str, str | None] = {}
    for path in (os.path.join(repo.common, "config"), os.path.join(repo.gitdir, "config.worktree")):
        read_file(path, text_of, found, 0)
    return found


def read_file(path: str, text_of: TextOf, into: dict[str, str | None], depth: int) -> None:
    """One configuration file into ``into``, with the files it includes."""
    text = text_of(path)
    if text is None:
        return
    if text is False or text is True or depth > 8:
        into[UNKNOWN] = None
        return
    for name, value in parse(text):
        if name == "include.path" or (name.startswith("includeif.") and name.endswith(".path")):
            if value is None:
                into[UNKNOWN] = None
                continue
            target = os.path.expanduser(value)
            read_file(os.path.join(os.path.dirname(path), target), text_of, into, depth + 1)
        else:
            into[name] = value


def parse(text: str) -> list[tuple[str, str | None]]:
    """``(key, value)`` of each setting in a configuration file's text; a name without ``=`` is
    ``true``; a line that cannot be read gives the unknown key."""
    found: list[tuple[str, str | None]] = []
    section = ""
    lines = text.replace("\\\n", "").splitlines()
    for line in lines:
        text_line = line.strip()
        if not text_line or text_line[0] in "#;":
            continue
        if text_line.startswith("["):
            section, text_line = _section(text_line)
            if section == UNKNOWN:
                found.append((UNKNOWN, None))
            if not text_line or text_line[0] in "#;":
                continue
        name, eq, rest = text_line.partition("=")
        name = name.strip()
        if not name.replace("-", "").isalnum() or not section:
            found.append((UNKNOWN, None))
            continue
        found.append((f"{section}.{name.lower()}", _value(rest) if eq else "true"))
    return found


def _section(line: str) -> tuple[str, str]:
    """``[core]``, ``[remote "origin"]``, ``[branch.main]``: the key prefix and the rest of the line."""
    end = line.find('"]') + 1 if '"' in line else line.find("]")
    if end <= 0:
        return UNKNOWN, ""
    inner, rest = line[1:end], line[end + 1 :].strip()
    if '"' in inner:
        name, _, sub = inner.partition('"')
        sub = sub[:-1] if sub.endswith('"') else sub
        return f"{name.strip().lower()}.{sub.replace(chr(92) + chr(34), chr(34)).replace(chr(92) * 2, chr(92))}", rest
    name, dot, sub = inner.partition(".")
    return (f"{name.lower()}.{sub.lower()}" if dot else name.lower()), rest


def _value(raw: str) -> str:
    """A value: quotes removed, ``\\n \\t \\" \\\\`` read, a comment after ``#``/``;`` cut."""
    out: list[str] = []
    quoted = False
    i = 0
    raw = raw.strip()
    while i < len(raw):
        c = raw[i]
        if c == "\\" and i + 1 < len(raw):
            out.append({"n": "\n", "t": "\t", "b": "\b"}.get(raw[i + 1], raw[i + 1]))
            i += 2
            continue
        if c == '"':
            quoted = not quoted
        elif c in "#;" and not quoted:
            break
        else:
            out.append(c)
        i += 1
    return "".join(out).strip() if not quoted else "".join(out)
