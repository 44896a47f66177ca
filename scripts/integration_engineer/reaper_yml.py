"""Reaper's project file ``.reaper.yml``: the one key the plugin honours, ``worktrees.base_path``.

Reaper (SpiceLabsHQ/Reaper) makes its session worktrees under ``worktrees.base_path``; when the key
is there it is the plugin's worktree root too (unless ``worktree_root`` is set in the plugin's own
file). Standard library only (every hook reads it): not a YAML parser, a reader of the block form
Reaper writes (``/reaper:init``)::

    worktrees:
      base_path: .claude/worktrees   # a comment
      naming_pattern: '{task_id}-{slug}'

A file it cannot read, or a ``worktrees`` written in a form it does not know (flow style, anchors,
tags, tabs, a second ``worktrees``), fails closed: ``ConfigError`` names the line and the form
expected, since a guessed root could let a worktree through that Reaper does not use.
"""

from __future__ import annotations

import os

FILE_NAME = ".reaper.yml"
KEY = "worktrees.base_path"


class ReaperConfigError(ValueError):
    """``.reaper.yml`` cannot be read, or its ``worktrees`` section is in a form not understood."""


def base_path(project: str) -> str:
    """``worktrees.base_path`` of the project's ``.reaper.yml``; "" when there is no file, no key,
    or the key is null (Reaper's "not set")."""
    path = os.path.join(project, FILE_NAME)
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ReaperConfigError(f"{path}: cannot be read ({exc}); it may name the worktree root ({KEY})") from None
    value = _read(text, path)
    return _checked(value, path) if value else ""


def _read(text: str, path: str) -> str:
    section = False
    found: str | None = None
    seen_section = False
    level: int | None = None  # the indentation of the keys directly under worktrees
    for number, raw in enumerate(text.splitlines(), 1):
        line = _uncomment(raw).rstrip()
        if not line.strip() or line.strip() in ("---", "..."):
            continue
        where = f"{path}:{number}"
        top = not line[0].isspace()
        if top:
            key, _, rest = line.partition(":")
            section = key.strip().strip("\"'") == "worktrees"
            if not section:
                continue
            if seen_section:
                raise ReaperConfigError(f"{where}: a second 'worktrees' key; keep one")
            seen_section = True
            if rest.strip():
                raise ReaperConfigError(
                    f"{where}: 'worktrees' is written as {rest.strip()!r}; expected a block mapping "
                    "('worktrees:' alone on its line, then '  base_path: PATH' indented below)"
                )
            continue
        if not section:
            continue
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise ReaperConfigError(f"{where}: indented with a tab; YAML indents with spaces")
        indent = len(line) - len(line.lstrip())
        level = indent if level is None else level
        key, colon, rest = line.strip().partition(":")
        if indent == level and colon and key.strip().strip("\"'") == "base_path":
            if found is not None:
                raise ReaperConfigError(f"{where}: a second 'base_path' under 'worktrees'; keep one")
            found = _scalar(rest.strip(), where)
    return found or ""


def _uncomment(line: str) -> str:
    """The line without its comment: ``#`` at the start or after a blank, outside quotes."""
    quote = ""
    for i, c in enumerate(line):
        if quote:
            quote = "" if c == quote else quote
        elif c in "\"'":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
    return line


def _scalar(value: str, where: str) -> str:
    if value in ("", "~", "null", "Null", "NULL"):
        return ""
    if value[0] in "\"'":
        if len(value) < 2 or value[-1] != value[0]:
            raise ReaperConfigError(f"{where}: base_path {value!r} has an unclosed quote")
        return value[1:-1]
    if value[0] in "&*!|>[{@`%":
        raise ReaperConfigError(
            f"{where}: base_path {value!r} uses a YAML form this reader does not follow "
            "(anchor, alias, tag, block or flow value); write the path as a plain or quoted string"
        )
    return value


def _checked(value: str, path: str) -> str:
    """A root relative to the project, inside it."""
    if os.path.isabs(os.path.expanduser(value)):
        raise ReaperConfigError(
            f"{path}: {KEY} is {value!r}, an absolute path; expected a directory relative to the project "
            "(e.g. .claude/worktrees)"
        )
    if ".." in value.replace("\\", "/").split("/"):
        raise ReaperConfigError(f"{path}: {KEY} is {value!r}; a worktree root inside the project has no '..'")
    if not value.strip("./"):
        raise ReaperConfigError(f"{path}: {KEY} is {value!r}, the project itself; expected a directory below it")
    return value
