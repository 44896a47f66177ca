"""What the Bash policies need from a parsed command: its parse (kept per source) and the one walk
over it. Standard library only.

One hook process judges one tool call, and several policies look at the same command: each of
these is worked out once per process and shared by them.

- ``parsed(source)``: the parse, kept per source text;
- ``walked(node)``: the one walk over a parse tree, kept per node. It lists, in the order bash
  meets them, every simple command (``Resolved``, with the constructs it sits in: ``$(...)``,
  ``function f``...), every redirection (``Redirection``) and every definition bash may make
  before the commands run (``Definition``: a function, a for loop's variable);
- ``simple_commands(node)`` / ``definitions(node)``: those parts of the walk;
- ``directories(walk, start, chdir)``: the working directories each item may be in, following
  ``cd``/``pushd``/``popd`` and ``env -C`` (the walk keeps them as expressions; the caller gives
  the start and how one ``cd DIR`` is resolved, so the walk itself never looks at the disk);
- ``unwrapped(cmd)`` / ``unwrap(words)``: the command a wrapper runs (``env X=1 timeout 5 nice cp
  ...`` -> ``cp ...``), kept per command;
- ``name(word)``: the program name of a command word (``/usr/bin/rg`` -> ``rg``);
- ``split_options``: operands of a command, given the options that take a value.
"""

from __future__ import annotations

import os

from integration_engineer.bash.parser import (
    AndOr,
    ArithCommand,
    Case,
    CommandList,
    CondCommand,
    Coproc,
    For,
    FunctionDef,
    Group,
    If,
    Loop,
    Pipeline,
    Redirect,
    Script,
    ShellSyntaxError,
    SimpleCommand,
    Subshell,
    Word,
    parse,
)
from integration_engineer.bash.resolve import two_value_options, wrapper_table
from integration_engineer.runtime.record import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from collections.abc import Callable

    from integration_engineer.bash.nodes import Node

_PARSED: dict[str, Script | ShellSyntaxError] = {}
# Keyed by id(), with the object kept beside its value so that an id is never reused for another.
_WALKED: dict[int, tuple[object, Walk]] = {}
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

    __slots__ = ("command", "dirs", "via")

    def __init__(self, command: SimpleCommand, via: tuple[str, ...], dirs: int = 0) -> None:
        self.command = command
        self.via = via  # the constructs it sits in ("$(...)", "function f", "here-document"...)
        self.dirs = dirs  # where its words run (after env -C, sudo -D): an index into Walk.dirs

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


class Redirection:
    """A redirection met by the walk (a simple command's, or a compound command's after its body)."""

    __slots__ = ("dirs", "redirect")

    def __init__(self, redirect: Redirect, dirs: int) -> None:
        self.redirect = redirect
        self.dirs = dirs  # where it is opened: an index into Walk.dirs


class Definition:
    """A function or a for loop's variable, as bash may define it: ``certain`` when nothing around
    it (a subshell, a branch, a loop, a function's body) may keep it from taking effect. Those in
    substitutions, coprocesses and ``if false`` bodies are not listed."""

    __slots__ = ("certain", "node", "scope")

    def __init__(self, node: FunctionDef | For, certain: bool, scope: frozenset[int] | None = None) -> None:
        self.node = node
        self.certain = certain
        # The simple commands (by id) of the subshell it is made in, where alone it is in effect
        # (empty after ``true ||``: never made); None when not in a subshell.
        self.scope = scope


class Walk:
    """The walk of one node: its items in the order bash meets them, and the directory
    expressions they refer to (each built from earlier ones; see ``directories``)."""

    __slots__ = ("commands", "definitions", "dirs", "items")

    def __init__(self) -> None:
        self.items: list[Resolved | Redirection] = []
        self.commands: tuple[Resolved, ...] = ()
        self.definitions: list[Definition] = []
        self.dirs: list[tuple[str, int, int, str]] = [("start", 0, 0, "")]


def walked(node: Script | Node) -> Walk:
    """The walk of ``node`` (a script, a function's body...), once per node."""
    hit = _WALKED.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    found = _Walker().run(node)
    if len(_WALKED) > _MAX_KEPT:
        _WALKED.clear()
    _WALKED[id(node)] = (node, found)
    return found


def simple_commands(node: Script | Node) -> tuple[Resolved, ...]:
    """Every simple command of ``node`` at any depth, in the order bash meets them."""
    return walked(node).commands


def definitions(node: Script | Node) -> list[Definition]:
    return walked(node).definitions


def directories(
    walk: Walk, start: frozenset[str | None], chdir: Callable[[str, str | None], str | None]
) -> list[frozenset[str | None]]:
    """The directories of each of ``walk.dirs`` (None: one that cannot be known), from ``start``;
    ``chdir(DIR, cwd)`` is where ``cd DIR`` leads from cwd (None when it cannot be known)."""
    out: list[frozenset[str | None]] = []
    for op, a, b, value in walk.dirs:  # each expression refers only to earlier ones
        if op == "start":
            out.append(start)
        elif op == "unknown":
            out.append(frozenset({None}))
        elif op == "home":
            out.append(frozenset({os.path.expanduser("~")}))
        elif op == "|":
            out.append(out[a] | out[b])
        elif op == "cd":
            out.append(frozenset(chdir(value, cwd) for cwd in out[a]))
        else:  # "loop": before | after, and unknown when a round may have moved
            after = out[a] | out[b]
            out.append(after | {None} if after != out[a] else after)
    return out


_DIR_BUILTINS = frozenset({"cd", "pushd", "popd"})
_START = 0


class _Walker:
    """Walks a parse tree in execution order. The structural methods return the directory
    expressions after their node (when its last command succeeded, when it failed): ``cd X && ...``
    moves what follows, after ``cd X; ...`` either directory is possible (the cd may fail), a cd
    inside ``( )``, a pipeline or a function's body stays there, one in a loop makes the directory
    unknown after a second round. ``bind`` says whether the definitions met are listed (None: not)
    and whether they are certainly in effect."""

    def __init__(self) -> None:
        self.walk = Walk()
        self.unknown = -1
        self.scope: frozenset[int] | None = None  # the subshell being walked (Definition.scope)

    def run(self, node: Script | Node) -> Walk:
        if isinstance(node, Script):
            self.list_(node.body, (), _START, True)
        elif isinstance(node, CommandList):
            self.list_(node, (), _START, True)
        elif isinstance(node, AndOr):
            self.and_or(node, (), _START, True)
        elif isinstance(node, Pipeline):
            self.pipeline(node, (), _START, True)
        else:
            self.node(node, (), _START, True)
        walk = self.walk
        walk.commands = tuple(item for item in walk.items if isinstance(item, Resolved))
        return walk

    def enter(self, scope: frozenset[int]) -> frozenset[int] | None:
        """Walk on inside a subshell: definitions there are in effect only in ``scope``; the
        scope to put back after it is returned."""
        saved = self.scope
        self.scope = scope if saved is None else saved & scope
        return saved

    # -- directory expressions ------------------------------------------------------------------
    def _dirs(self, op: str, a: int = 0, b: int = 0, value: str = "") -> int:
        self.walk.dirs.append((op, a, b, value))
        return len(self.walk.dirs) - 1

    def either(self, a: int, b: int) -> int:
        return a if a == b else self._dirs("|", a, b)

    def unknown_dir(self) -> int:
        if self.unknown < 0:
            self.unknown = self._dirs("unknown")
        return self.unknown

    # -- structure ------------------------------------------------------------------------------
    def list_(self, node: CommandList, via: tuple[str, ...], dirs: int, bind: bool | None) -> tuple[int, int]:
        ok, fail = dirs, dirs
        for i, item in enumerate(node.items):
            background = i < len(node.seps) and node.seps[i] == "&"
            ok, fail = self.and_or(item, via, dirs, bind)
            if background:
                ok, fail = dirs, dirs
            dirs = self.either(ok, fail)
        return ok, fail

    def and_or(self, node: AndOr, via: tuple[str, ...], dirs: int, bind: bool | None) -> tuple[int, int]:
        ok, fail = self.pipeline(node.pipelines[0], via, dirs, bind)
        for i, (op, pipeline) in enumerate(zip(node.ops, node.pipelines[1:], strict=True)):
            if i == 0 and _never_after(node):  # `true || f() {...}`: defines nothing
                saved = self.enter(frozenset())
                self.pipeline(pipeline, via, ok if op == "&&" else fail, bind)
                self.scope = saved
                continue
            if op == "&&":
                skipped = fail
                ok, fail = self.pipeline(pipeline, via, ok, bind)
                fail = self.either(fail, skipped)
            else:
                skipped = ok
                ok, fail = self.pipeline(pipeline, via, fail, bind)
                ok = self.either(ok, skipped)
        return ok, fail

    def pipeline(self, node: Pipeline, via: tuple[str, ...], dirs: int, bind: bool | None) -> tuple[int, int]:
        if len(node.commands) > 1:  # every element runs in a subshell
            for cmd in node.commands:
                saved = self.enter(_scope(cmd))
                self.node(cmd, via, dirs, bind)
                self.scope = saved
            return dirs, dirs
        if not node.commands:  # a bare `!` runs nothing: the directory cannot change
            return dirs, dirs
        ok, fail = self.node(node.commands[0], via, dirs, bind)
        return (fail, ok) if node.negated else (ok, fail)

    def node(self, node: object, via: tuple[str, ...], dirs: int, bind: bool | None) -> tuple[int, int]:
        inner = None if bind is None else False
        if isinstance(node, SimpleCommand):
            return self.simple(node, via, dirs)
        if isinstance(node, Group):
            ok, fail = self.list_(node.body, via, dirs, bind)
            self.redirects(node.redirects, via, dirs)
            return ok, fail
        if isinstance(node, Subshell):
            saved = self.enter(_scope(node))
            self.list_(node.body, via, dirs, inner)
            self.scope = saved
            self.redirects(node.redirects, via, dirs)
            return dirs, dirs
        if isinstance(node, FunctionDef):
            if bind is not None:
                self.walk.definitions.append(Definition(node, bind, self.scope))
            self.node(node.body, (*via, f"function {node.name}"), dirs, inner)
            return dirs, dirs
        if isinstance(node, Coproc):
            self.node(node.body, (*via, "coproc"), dirs, None)
            return dirs, dirs
        return self.compound(node, via, dirs, inner)

    def compound(self, node: object, via: tuple[str, ...], dirs: int, bind: bool | None) -> tuple[int, int]:
        """if / while / until / for / case / (( )) / [[ ]]: every part may run, loops more than once."""
        after = dirs
        for body, inner in self.parts(node, via, dirs, bind):
            after = self.either(after, self.either(*self.list_(body, via, dirs, inner)))
        if isinstance(node, (Loop, For)) and after != dirs:
            after = self._dirs("loop", dirs, after)
        if isinstance(node, (If, Loop, For, Case, ArithCommand, CondCommand)):
            self.redirects(node.redirects, via, dirs)
        return after, after

    def parts(
        self, node: object, via: tuple[str, ...], dirs: int, bind: bool | None
    ) -> list[tuple[CommandList, bool | None]]:
        """The bodies of a compound command, with how definitions in them are listed (an ``if
        false`` body's are not); the words it expands are walked on the way."""
        if isinstance(node, If):
            parts: list[tuple[CommandList, bool | None]] = []
            for cond, body in node.clauses:
                parts += [(cond, bind), (body, None if constant(cond) is False else bind)]
            return parts + ([(node.else_body, bind)] if node.else_body is not None else [])
        if isinstance(node, Loop):
            return [(node.cond, bind), (node.body, bind)]
        if isinstance(node, For):
            if bind is not None:
                self.walk.definitions.append(Definition(node, False))
            for word in (node.words or []) + ([node.arith] if node.arith else []):
                self.word(word, via, dirs)
            return [(node.body, bind)]
        if isinstance(node, Case):
            self.word(node.word, via, dirs)
            parts = []
            for patterns, body in node.items:
                for word in patterns:
                    self.word(word, via, dirs)
                parts.append((body, bind))
            return parts
        if isinstance(node, ArithCommand):
            self.word(node.expr, via, dirs)
        elif isinstance(node, CondCommand):
            for word in node.words:
                self.word(word, via, dirs)
        return []

    # -- simple commands and words ----------------------------------------------------------------
    def simple(self, cmd: SimpleCommand, via: tuple[str, ...], dirs: int) -> tuple[int, int]:
        for word in cmd.assignments + cmd.words:
            self.word(word, via, dirs)
        self.redirects(cmd.redirects, via, dirs)
        first = name(cmd.words[0]) if cmd.words else ""
        if first not in WRAPPERS and first not in _DIR_BUILTINS:
            self.walk.items.append(Resolved(cmd, via, dirs))
            return dirs, dirs
        found = unwrapped(cmd)
        if found.chdir is not None:  # env -C DIR, sudo -D DIR: the command runs there
            value = found.chdir.value
            dirs = self._dirs("cd", dirs, 0, value) if value else self.unknown_dir()
        self.walk.items.append(Resolved(cmd, via, dirs))
        program = name(found.words[0]) if found.words else ""
        if found.wrappers[-1:] == ("sg",) or program not in _DIR_BUILTINS:
            return dirs, dirs
        if program == "popd":
            return self.unknown_dir(), dirs
        return self.cd(found.words[1:], dirs), dirs

    def cd(self, args: list[Word], dirs: int) -> int:
        operands = [w for w in args if (w.value or "x")[0] != "-" or w.value == "-"]
        if not operands:
            return self._dirs("home")
        value = operands[0].value
        if value in (None, "-"):
            return self.unknown_dir()
        return self._dirs("cd", dirs, 0, value or "")

    def word(self, word: Word, via: tuple[str, ...], dirs: int) -> None:
        """Commands inside a word's substitutions (they run when the word is expanded)."""
        for sub in word.subs():
            label = "`...`" if sub.kind == "`" else sub.kind + "...)"
            self.list_(sub.script.body, (*via, label), dirs, None)

    def redirects(self, redirects: list[Redirect], via: tuple[str, ...], dirs: int) -> None:
        for redirect in redirects:
            if redirect.heredoc is not None:
                if not redirect.heredoc.quoted:
                    self.word(redirect.heredoc.body, (*via, "here-document"), dirs)
                continue
            self.word(redirect.target, via, dirs)
            self.walk.items.append(Redirection(redirect, dirs))


def constant(node: object) -> bool | None:
    """The status of a condition that is a literal ``true``/``:``/``false``; None otherwise."""
    if isinstance(node, CommandList) and len(node.items) == 1 and len(node.items[0].pipelines) == 1:
        commands = node.items[0].pipelines[0].commands
        if len(commands) == 1 and isinstance(commands[0], SimpleCommand) and not commands[0].redirects:
            words = [w.value for w in commands[0].words]
            if words in (["true"], [":"]):
                return True
            if words == ["false"]:
                return False
    return None


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
        if skip_operands < 0:  # setarch [ARCH] [options] PROGRAM: the operand comes first
            if i < len(words) and not (words[i].value or "").startswith("-"):
                i += 1
            skip_operands = 0
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


def _scope(node: Node) -> frozenset[int]:
    """The simple commands of a subshell, by id (its body's walk: walking the subshell itself
    would come back here)."""
    inside = node.body if isinstance(node, Subshell) else node
    return frozenset(id(found.command) for found in simple_commands(inside))


def _never_after(node: AndOr) -> bool:
    """``true || X``, ``false && X``: X never runs."""
    status = constant(CommandList([AndOr([node.pipelines[0]], [])], [])) if not node.pipelines[0].negated else None
    return status is not None and (node.ops[0] == "||") == status
