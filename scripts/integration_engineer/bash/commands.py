"""What the Bash policies need from a parsed command: its parse (kept per source) and its commands.
Standard library only.

One hook process judges one tool call, and several policies look at the same command: each of
these is worked out once per process and shared by them.

- ``parsed(source)``: the parse, kept per source text;
- ``simple_commands(node)``: the one walk over a parse tree, the simple commands in the order
  bash meets them with the constructs they sit in (``$(...)``, ``function f``...), kept per node;
- ``unwrapped(cmd)`` / ``unwrap(words)``: the command a wrapper runs (``env X=1 timeout 5 nice cp
  ...`` -> ``cp ...``), kept per command;
- ``name(word)``: the program name of a command word (``/usr/bin/rg`` -> ``rg``);
- ``split_options``: operands of a command, given the options that take a value.
"""

from __future__ import annotations

import os

from integration_engineer.bash.parser import Script, ShellSyntaxError, SimpleCommand, Word, parse, walk
from integration_engineer.bash.resolve import two_value_options, wrapper_table
from integration_engineer.runtime.record import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from integration_engineer.bash.nodes import Node

_PARSED: dict[str, Script | ShellSyntaxError] = {}
# Keyed by id(), with the object kept beside its value so that an id is never reused for another.
_WALKED: dict[int, tuple[object, tuple[Resolved, ...]]] = {}
_UNWRAPPED: dict[int, tuple[SimpleCommand, Unwrapped]] = {}
_MAX_KEPT = 4096


def parsed(source: str) -> Script:
    """The parse of ``source`` (ShellSyntaxError when it cannot be read), cached per text."""
    hit = _PARSED.get(source)
    if hit is None:
        try:
            hit = parse(source)
        except ShellSyntaxError as exc:
            hit = exc
        if len(_PARSED) > 64:
            _PARSED.clear()
        _PARSED[source] = hit
    if isinstance(hit, ShellSyntaxError):
        raise hit
    return hit


class Resolved:
    """A simple command met by the walk, with what the policies ask of it (computed on demand, once)."""

    __slots__ = ("command", "via")

    def __init__(self, command: SimpleCommand, via: tuple[str, ...]) -> None:
        self.command = command
        self.via = via  # the constructs it sits in ("$(...)", "function f", "here-document"...)

    @property
    def unwrapped(self) -> Unwrapped:
        return unwrapped(self.command)

    @property
    def words(self) -> list[Word]:
        """The words of the command the wrappers run ([] when none)."""
        return unwrapped(self.command).words

    @property
    def program(self) -> str:
        words = self.words
        return name(words[0]) if words else ""


def simple_commands(node: Script | Node) -> tuple[Resolved, ...]:
    """Every simple command of ``node`` (a script, a function's body...) at any depth, in the
    order bash meets them (``parser.walk``), walked once per node."""
    hit = _WALKED.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    found = tuple(Resolved(cmd, via) for cmd, via in walk(node))
    if len(_WALKED) > _MAX_KEPT:
        _WALKED.clear()
    _WALKED[id(node)] = (node, found)
    return found


def unwrapped(cmd: SimpleCommand) -> Unwrapped:
    """``unwrap(cmd.words)``, worked out once per command."""
    hit = _UNWRAPPED.get(id(cmd))
    if hit is not None and hit[0] is cmd:
        return hit[1]
    found = unwrap(cmd.words)
    if len(_UNWRAPPED) > _MAX_KEPT:
        _UNWRAPPED.clear()
    _UNWRAPPED[id(cmd)] = (cmd, found)
    return found


def name(word: Word) -> str:
    value = word.value
    return os.path.basename(value) if value else ""


# Wrapper -> (options taking a value, operands before the command): the git guard's table
# (bash/resolve), plus the wrappers the write guard follows without a handler of their own.
WRAPPERS: dict[str, tuple[frozenset[str], int]] = {
    **wrapper_table(),
    "env": (frozenset({"-u", "--unset", "-S", "--split-string", "-C", "--chdir"}), 0),
    "command": (frozenset(), 0),
    "busybox": (frozenset(), 0),  # busybox APPLET ...: the applet is the program
}


_TWO_VALUES = two_value_options()


@record
class Unwrapped:
    words: list[Word]  # the wrapped command's words ([] when none)
    chdir: Word | None = None  # a directory the wrapper switches to (env -C, sudo -D)
    wrappers: tuple[str, ...] = ()


def unwrap(words: list[Word]) -> Unwrapped:
    """Skip wrappers in front of the command; stop at anything not understood."""
    i, chdir, seen = 0, None, []
    while i < len(words):
        wrapper = name(words[i])
        if wrapper not in WRAPPERS:
            break
        takes_value, skip_operands = WRAPPERS[wrapper]
        two = _TWO_VALUES.get(wrapper, frozenset())
        seen.append(wrapper)
        i += 1
        while i < len(words):
            value = words[i].value or ""
            if value == "--":
                i += 1
                break
            if wrapper == "env" and "=" in value and not value.startswith("-"):
                i += 1
                continue
            if not value.startswith("-") or value == "-":
                break
            flag = value.split("=", 1)[0]
            if (wrapper, flag) in (("env", "-C"), ("env", "--chdir"), ("sudo", "-D"), ("sudo", "--chdir")):
                chdir = words[i + 1] if "=" not in value and i + 1 < len(words) else words[i]
            i += 3 if value in two else 2 if value in takes_value else 1
        i += skip_operands
    return Unwrapped(words[i:], chdir, tuple(seen))


def split_options(
    words: list[Word], takes_value: frozenset[str], short_with_value: str = ""
) -> tuple[list[Word], dict[str, list[str]]]:
    """Operands and options of ``words`` (argv without the program).

    ``takes_value``: long or short options whose value is the next word (``--opt=value`` is
    always understood); ``short_with_value``: short letters that take a value in a cluster
    (``-n5``). Options are returned by name with their values ("" for flags); ``--`` ends them.
    """
    operands: list[Word] = []
    options: dict[str, list[str]] = {}
    i = 0
    while i < len(words):
        value = words[i].value
        if value is None or not value.startswith("-") or value == "-":
            operands.append(words[i])
            i += 1
            continue
        if value == "--":
            operands += words[i + 1 :]
            break
        if value.startswith("--"):
            flag, eq, rest = value.partition("=")
            if not eq and flag in takes_value and i + 1 < len(words):
                rest = words[i + 1].value or ""
                i += 1
            options.setdefault(flag, []).append(rest)
            i += 1
            continue
        i = _short_cluster(words, i, takes_value, short_with_value, options)
    return operands, options


def _short_cluster(
    words: list[Word], i: int, takes_value: frozenset[str], short_with_value: str, options: dict[str, list[str]]
) -> int:
    value = words[i].value or ""
    if value in takes_value:
        options.setdefault(value, []).append(words[i + 1].value or "" if i + 1 < len(words) else "")
        return i + 2
    for pos in range(1, len(value)):
        letter = value[pos]
        if letter in short_with_value:
            rest = value[pos + 1 :]
            if not rest and i + 1 < len(words):
                options.setdefault(f"-{letter}", []).append(words[i + 1].value or "")
                return i + 2
            options.setdefault(f"-{letter}", []).append(rest)
            return i + 1
        options.setdefault(f"-{letter}", []).append("")
    return i + 1
