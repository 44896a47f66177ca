"""``git config`` invocations that change configuration (``core.hooksPath``, aliases...).

Reading stays allowed (``git config --get x``, ``git config x``, ``git config --list``,
``git config get x``). Found at any depth of the command, through wrappers and literal
``bash -c`` scripts. Standard library only.
"""

from __future__ import annotations

from integration_engineer.bash import commands
from integration_engineer.bash.parser import ShellSyntaxError, Word
from integration_engineer.repository import git_options

WRITE_SUBCOMMANDS = frozenset({"set", "unset", "rename-section", "remove-section", "edit"})
READ_SUBCOMMANDS = frozenset({"get", "list"})
WRITE_OPTIONS = frozenset(
    {"--unset", "--unset-all", "--add", "--replace-all", "--rename-section", "--remove-section", "-e", "--edit"}
)
READ_OPTIONS = frozenset(
    {"--get", "--get-all", "--get-regexp", "--get-urlmatch", "--get-color", "--get-colorbool", "-l", "--list"}
)
VALUE_OPTIONS = frozenset(
    {"-f", "--file", "--blob", "--type", "--default", "--comment", "--value", "--worktree-config"}
)
SHELLS = frozenset({"bash", "sh", "dash", "zsh", "ksh"})


def find(source: str, depth: int = 0) -> list[str]:
    """A line per configuration-changing ``git config`` in ``source``."""
    try:
        script = commands.parsed(source)
    except ShellSyntaxError:
        return []  # the isolation policy refuses what cannot be parsed
    found = []
    for cmd in commands.simple_commands(script):
        words = cmd.words
        if not words:
            continue
        program = cmd.program
        if program in SHELLS and depth < 4:
            found += _nested(words, depth)
        elif program == "git" and _changes_config(words[1:]):
            found.append(f"{' '.join(w.raw for w in words)}: changes git configuration")
    return found


def _nested(words: list[Word], depth: int) -> list[str]:
    flags = [w.value or "" for w in words[1:] if (w.value or "").startswith("-")]
    operands = [w for w in words[1:] if not (w.value or "").startswith("-")]
    if any("c" in f for f in flags) and operands and operands[0].value:
        return find(operands[0].value, depth + 1)
    return []


def _changes_config(args: list[Word]) -> bool:
    i = git_options.parse([w.value for w in args]).verb_at
    if i >= len(args) or args[i].value != "config":
        return False
    rest = args[i + 1 :]
    values = [w.value for w in rest]
    if any(v is None for v in values):
        return True  # cannot tell: treat as a write
    if values and values[0] in WRITE_SUBCOMMANDS:
        return True
    if values and values[0] in READ_SUBCOMMANDS:
        return False
    if any(v in WRITE_OPTIONS for v in values):
        return True
    if any(v in READ_OPTIONS for v in values):
        return False
    operands, _ = commands.split_options(rest, VALUE_OPTIONS, "f")
    return len(operands) >= 2
