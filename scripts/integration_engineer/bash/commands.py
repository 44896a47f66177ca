"""What the Bash policies need from a parsed command: its parse (kept per source) and the one walk
over it. Standard library only.

One hook process judges one tool call, and several policies look at the same command: each of
these is worked out once per process and shared by them.

- ``parsed(source)``: the parse, kept per source text;
- ``walked(node)``: the one walk over a parse tree, kept per node. It lists, in the order bash
  meets them, every simple command (``Resolved``, with the constructs it sits in: ``$(...)``,
  ``function f``...), every redirection (``Redirection``), the words of compound commands where
  bash expands them (``Header``: ``(( ))``, ``[[ ]]``, for and case words, a compound's
  redirections) and every definition bash may make before the commands run (``Definition``: a
  function, a for loop's variable);
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
from bisect import bisect_right

from integration_engineer.bash.lexer import Lit, Param
from integration_engineer.bash.nodes import Compound
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
from integration_engineer.bash.resolve import command_offset, env_offset, two_value_options, wrapper_table
from integration_engineer.bash.status import ends, list_status, pipeline_status
from integration_engineer.runtime.record import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from collections.abc import Callable

    from integration_engineer.bash.nodes import Node, Part
    from integration_engineer.bash.status import Values

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

    __slots__ = ("checked", "command", "dead", "dirs", "scope", "sure", "via")

    def __init__(
        self,
        command: SimpleCommand,
        via: tuple[str, ...],
        dirs: int = 0,
        dead: bool = False,
        sure: bool = False,
        scope: frozenset[int] | None = None,
        checked: bool = False,
    ) -> None:
        self.command = command
        self.via = via  # the constructs it sits in ("$(...)", "function f", "here-document"...)
        self.dirs = dirs  # where its words run (after env -C, sudo -D): an index into Walk.dirs
        # Provably never run (``false && X``, after ``exit``), if the builtins in Walk.assumed
        # keep their meaning.
        self.dead = dead
        # Runs whenever the walked node runs, in its shell: no branch, loop, subshell, pipeline
        # or substitution around it.
        self.sure = sure
        self.scope = scope  # the subshell it runs in, as Definition.scope (``unset -f`` there)
        # Its status is tested (an if's condition, before && or ||, under !, not a pipeline's
        # last): a failure there sets off no ERR trap (nor set -e).
        self.checked = checked

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


class Header:
    """A compound command's words, where bash expands them: a for loop's word list (its variable
    takes those values), ``(( ))``, ``for (( ))``, ``[[ ]]``, a case's subject and patterns; or
    (``redirects``) the redirections written after any compound command."""

    __slots__ = ("dead", "node", "redirects", "start", "sure", "via")

    def __init__(self, node: Compound, via: tuple[str, ...], dead: bool, sure: bool, redirects: bool = False) -> None:
        self.node = node
        self.via = via
        self.dead = dead
        self.sure = sure
        self.redirects = redirects
        words = compound_words(node) if not redirects else [r.target for r in node.redirects]
        self.start = words[0].start if words else -1  # where it is in the source (-1: not known)


def compound_words(node: Compound) -> list[Word]:
    """The words a compound command's header expands."""
    if isinstance(node, ArithCommand):
        return [node.expr]
    if isinstance(node, For):
        return [node.arith] if node.arith is not None else list(node.words or [])
    if isinstance(node, Case):
        return [node.word, *(w for patterns, _ in node.items for w in patterns)]
    if isinstance(node, CondCommand):
        return list(node.words)
    return []


class Redirection:
    """A redirection met by the walk (a simple command's, or a compound command's after its body)."""

    __slots__ = ("dirs", "redirect")

    def __init__(self, redirect: Redirect, dirs: int) -> None:
        self.redirect = redirect
        self.dirs = dirs  # where it is opened: an index into Walk.dirs


class Definition:
    """A function or a for loop's variable, as bash may define it: ``certain`` when nothing
    between it and its subshell (or the whole command) may keep it from taking effect: a branch
    whose outcome is unknown, a loop, a function's body. Those in substitutions and coprocesses are
    not listed; ``dead`` ones are provably never made (``false && f() {...}``, after ``exit``)."""

    __slots__ = ("certain", "dead", "node", "owner", "scope")

    def __init__(
        self,
        node: FunctionDef | For,
        certain: bool,
        scope: frozenset[int] | None = None,
        dead: bool = False,
        owner: str = "",
    ) -> None:
        self.node = node
        self.owner = owner  # the function whose body makes it ("": none): made only once that runs
        self.certain = certain
        # The simple commands (by id) of the subshell (or background job) it is made in, where
        # alone it is in effect; None when not in a subshell.
        self.scope = scope
        self.dead = dead


class Walk:
    """The walk of one node: its items in the order bash meets them, and the directory
    expressions they refer to (each built from earlier ones; see ``directories``)."""

    __slots__ = ("assumed", "commands", "definitions", "dirs", "items", "loops", "steps")

    def __init__(self) -> None:
        self.items: list[Resolved | Redirection | Header] = []
        # The commands and headers (step_key) of each loop whose body may run more than once, inner loops first:
        # what one round assigns, the next one sees.
        self.loops: list[frozenset[int]] = []
        self.commands: tuple[Resolved, ...] = ()
        self.steps: tuple[Resolved | Header, ...] = ()  # the commands and headers, in order
        self.definitions: list[Definition] = []
        self.dirs: list[tuple[str, int, int, str]] = [("start", 0, 0, "")]
        # The builtins whose meaning the dead items rely on (false, exit, [...): a command that
        # redefines one of them makes the dead items live again (bash/status).
        self.assumed: set[str] = set()


def walked(node: Script | Node, function: bool = False, values: Values = None) -> Walk:
    """The walk of ``node`` (a script, a subshell's body...), once per node; ``function``: node is
    a function's body (``return`` ends it). ``values``: the value a test's or a case subject's
    expansion has in this run (one call of a function): that walk is not kept."""
    if values is not None:
        return _Walker(function, values).run(node)
    key = id(node) * 2 + function
    hit = _WALKED.get(key)
    if hit is not None and hit[0] is node:
        return hit[1]
    found = _Walker(function).run(node)
    if len(_WALKED) > _MAX_KEPT:
        _WALKED.clear()
    _WALKED[key] = (node, found)
    return found


def function_commands(body: Node) -> tuple[Resolved, ...]:
    """The simple commands of a function's body, as one call runs it."""
    return walked(body, function=True).commands


def step_key(item: Resolved | Header) -> int:
    """What names a command or header of a walk in ``Walk.loops``."""
    return id(item.command) if isinstance(item, Resolved) else id(item)


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
# Builtins given variable names, whose subscripts bash evaluates as arithmetic.
NAME_TAKING = frozenset(
    {"test", "[", "unset", "printf", "read", "declare", "typeset", "local", "export", "readonly"}
    | {"mapfile", "readarray", "wait", "let", "getopts"}
)
# Commands that may leave a loop body early (an expanded name may be one of them too).
_BREAKING = frozenset({"break", "continue", "eval", "source", ".", "builtin", "command", "exec"})
_NUMERIC_TESTS = frozenset({"-eq", "-ne", "-lt", "-le", "-gt", "-ge"})
_START = 0


class _Walker:
    """Walks a parse tree in execution order. The structural methods return the directory
    expressions after their node (when its last command succeeded, when it failed): ``cd X && ...``
    moves what follows, after ``cd X; ...`` either directory is possible (the cd may fail), a cd
    inside ``( )``, a pipeline or a function's body stays there, one in a loop makes the directory
    unknown after a second round. ``bind`` says whether the definitions met are listed (None: not)
    and whether they are certainly in effect."""

    def __init__(self, function: bool = False, values: Values = None) -> None:
        self.walk = Walk()
        self.values = values
        self.checked = False  # walking a condition (Resolved.checked)
        # A body surely run (an if's known-true clause, the case item surely taken) that surely
        # ends the shell or function (exit, return): nothing after the compound runs.
        self.taken: set[int] = set()
        self.ended = False
        self.outer_sure = False
        self.unknown = -1
        self.scope: frozenset[int] | None = None  # the subshell being walked (Definition.scope)
        self.function = function  # walking a function's body: ``return`` ends it
        self.live = True  # False once what is being walked is provably not run (Resolved.dead)
        self.sure = True  # Resolved.sure for what is being walked
        # Inside a loop body that surely runs once: a command that may be ``break``/``continue``
        # was met, so definitions after it may not be made.
        self.looping = False
        self.broke = False

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
        walk.steps = tuple(item for item in walk.items if not isinstance(item, Redirection))
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
            if i < len(node.seps) and node.seps[i] == "&":  # a background job: a subshell of its own
                live, sure, scope = self.live, self.sure, self.enter(_scope(item))
                self.sure = False
                self.and_or(item, via, dirs, bind)
                self.live, self.sure, self.scope = live, sure, scope
                ok, fail = dirs, dirs
            else:
                ok, fail = self.and_or(item, via, dirs, bind)
            dirs = self.either(ok, fail)
        return ok, fail

    def and_or(self, node: AndOr, via: tuple[str, ...], dirs: int, bind: bool | None) -> tuple[int, int]:
        checked = self.checked
        self.checked = checked or len(node.pipelines) > 1
        ok, fail = self.pipeline(node.pipelines[0], via, dirs, bind)
        # The status so far when known: what runs after && / || then is known too.
        last = pipeline_status(node.pipelines[0], self.walk.assumed, self.values) if self.live else None
        for op, pipeline in zip(node.ops, node.pipelines[1:], strict=True):
            runs = None if last is None else last == (op == "&&")
            self.checked = checked or pipeline is not node.pipelines[-1]
            live, sure = self.live, self.sure
            self.live = live and runs is not False
            self.sure = sure and runs is True
            inner = bind if runs or bind is None else False
            if op == "&&":
                skipped = fail
                ok, fail = self.pipeline(pipeline, via, ok, inner)
                fail = self.either(fail, skipped)
            else:
                skipped = ok
                ok, fail = self.pipeline(pipeline, via, fail, inner)
                ok = self.either(ok, skipped)
            if runs is True:
                last = pipeline_status(pipeline, self.walk.assumed, self.values) if self.live else None
            else:  # maybe (or never) run: an exit in it does not end what follows
                self.live, self.sure = live, sure
                last = None if runs is None else last
        self.checked = checked
        return ok, fail

    def pipeline(self, node: Pipeline, via: tuple[str, ...], dirs: int, bind: bool | None) -> tuple[int, int]:
        checked = self.checked
        if len(node.commands) > 1:  # every element runs in a subshell
            live, sure = self.live, self.sure
            for cmd in node.commands:
                saved = self.enter(_scope(cmd))
                self.sure = False
                self.checked = checked or node.negated or cmd is not node.commands[-1]
                self.node(cmd, via, dirs, bind)
                self.scope, self.live, self.sure = saved, live, sure
            self.checked = checked
            return dirs, dirs
        if not node.commands:  # a bare `!` runs nothing: the directory cannot change
            return dirs, dirs
        self.checked = checked or node.negated
        ok, fail = self.node(node.commands[0], via, dirs, bind)
        self.checked = checked
        return (fail, ok) if node.negated else (ok, fail)

    def node(self, node: object, via: tuple[str, ...], dirs: int, bind: bool | None) -> tuple[int, int]:
        inner = None if bind is None else False
        if isinstance(node, SimpleCommand):
            return self.simple(node, via, dirs)
        if bind and isinstance(node, Compound) and not _sure_redirects(node.redirects):
            bind = False  # ``{ f() { :; }; } 2>/no/such``: a redirection that fails runs none of it
        live, sure = self.live, self.sure
        if isinstance(node, Group):
            ok, fail = self.list_(node.body, via, dirs, bind)
            if node.redirects:  # { exit; } >/no/such: the redirection fails, the group never runs
                self.live = live
            self.compound_redirects(node, via, dirs)
            return ok, fail
        if isinstance(node, Subshell):
            saved = self.enter(_scope(node))
            self.sure = False
            self.list_(node.body, via, dirs, bind)  # certain there: its scope says where it is in effect
            self.scope, self.live, self.sure = saved, live, sure
            self.compound_redirects(node, via, dirs)
            return dirs, dirs
        if isinstance(node, FunctionDef):
            if bind is not None:
                certain = bind and not (self.looping and self.broke)
                owner = next((v[9:] for v in reversed(via) if v.startswith("function ")), "")
                self.walk.definitions.append(Definition(node, certain, self.scope, not live, owner))
            self.sure, checked, self.checked = False, self.checked, False  # called elsewhere: tested or not
            self.node(node.body, (*via, f"function {node.name}"), dirs, inner)
            self.live, self.sure, self.checked = live, sure, checked
            return dirs, dirs
        if isinstance(node, Coproc):
            self.sure = False
            self.node(node.body, (*via, "coproc"), dirs, None)
            self.live, self.sure = live, sure
            return dirs, dirs
        self.outer_sure = sure  # the compound's own (a for header: Header.sure)
        self.sure, ended, self.ended = False, self.ended, False
        found = self.if_(node, via, dirs, bind) if isinstance(node, If) else self.compound(node, via, dirs, bind)
        self.live, self.sure = live and not self.ended, sure
        self.ended = ended  # the enclosing compound's own
        return found

    def if_(self, node: If, via: tuple[str, ...], dirs: int, bind: bool | None) -> tuple[int, int]:
        """The clauses of an if: a body whose condition is known false, and every clause after one
        known true, never run; definitions in a body reached for sure are certain."""
        after, reached, certain = dirs, self.live, bind
        for cond, body in node.clauses:
            self.live, checked, self.checked = reached, self.checked, True
            after = self.either(after, self.either(*self.list_(cond, via, dirs, None if bind is None else False)))
            self.checked = checked
            known = list_status(cond, self.walk.assumed, self.values) if reached else None
            self.live = reached and known is not False
            inner = certain if known is True or certain is None else False
            after = self.either(after, self.either(*self.list_(body, via, dirs, inner)))
            self.ended = self.ended or (known is True and reached and not self.live)
            if known is True:
                reached = False
            elif known is None and certain is not None:
                certain = False
        if node.else_body is not None:
            self.live = reached
            after = self.either(after, self.either(*self.list_(node.else_body, via, dirs, certain)))
        self.compound_redirects(node, via, dirs)
        return after, after

    def compound(self, node: object, via: tuple[str, ...], dirs: int, bind: bool | None) -> tuple[int, int]:
        """if / while / until / for / case / (( )) / [[ ]]: every part may run, loops more than once."""
        after, live, start = dirs, self.live, len(self.walk.items)
        parts = self.parts(node, via, dirs, bind)
        if isinstance(node, (Loop, For)) and not _once(node):
            start = len(self.walk.items)  # (a for's words are expanded once)
        for body, inner, runs in parts:
            self.live = live and runs
            looping, broke = self.looping, self.broke
            if inner and isinstance(node, (Loop, For)):  # a body surely run: until a break
                self.looping, self.broke = True, False
            after = self.either(after, self.either(*self.list_(body, via, dirs, inner)))
            self.ended = self.ended or (id(body) in self.taken and live and not self.live)
            self.looping, self.broke = looping, broke or (looping and self.broke)
        if isinstance(node, (Loop, For)) and after != dirs:
            after = self._dirs("loop", dirs, after)
        if isinstance(node, (Loop, For)) and not _once(node):
            found = frozenset(step_key(item) for item in self.walk.items[start:] if not isinstance(item, Redirection))
            if found:
                self.walk.loops.append(found)
        if isinstance(node, (If, Loop, For, Case, ArithCommand, CondCommand)):
            self.compound_redirects(node, via, dirs)
        return after, after

    def case_parts(
        self, node: Case, via: tuple[str, ...], dirs: int, bind: bool | None
    ) -> list[tuple[CommandList, bool | None, bool]]:
        """A case's bodies: those after the item a known subject surely matches (ended by ``;;``)
        never run, nor those no pattern before could match."""
        inner = None if bind is None else False
        self.word(node.word, via, dirs)
        parts = []
        subject = node.word.value if self.live else None
        if subject is None and self.live and self.values is not None:
            subject = self.values(node.word)
        reached = subject is None  # an item may run: none before it could match (nor fall through)
        closed = False  # an item surely taken ended with ``;;``: no item after it runs
        for (patterns, body), end in zip(node.items, node.ends, strict=True):
            before = reached
            for word in patterns:
                self.word(word, via, dirs)
                reached = reached or word.value is None or word.has_glob or word.value == subject
            # The first item whose literal pattern is the subject, none before it matching: taken.
            taken = not before and not closed and any(w.value == subject and not w.has_glob for w in patterns)
            parts.append((body, bind if taken else inner, reached and not closed))
            if taken and subject is not None:
                self.taken.add(id(body))
            if closed:
                self.walk.assumed.add("case")
            closed = closed or (taken and end == ";;")
            reached = reached or end == ";&"  # the next body runs after this one
            if taken and node.items[0][0] is not patterns:
                self.walk.assumed.add("case")
            if not reached:
                self.walk.assumed.add("case")  # a literal subject matched as written: no nocasematch
        self.walk.items.append(Header(node, via, not self.live, self.sure))
        return parts

    def parts(
        self, node: object, via: tuple[str, ...], dirs: int, bind: bool | None
    ) -> list[tuple[CommandList, bool | None, bool]]:
        """The bodies of a loop, case, (( )) or [[ ]], with how definitions in them are listed and
        whether they may run at all; the words it expands are walked on the way. A body bash
        surely runs (``for`` over literal words, ``while true``, the item a literal subject
        surely matches) keeps ``bind``: its definitions are certain."""
        inner = None if bind is None else False
        if isinstance(node, Loop):
            # while false / until true: the body never runs; while true / until false: it runs
            known = list_status(node.cond, self.walk.assumed, self.values) if self.live else None
            never = known is not None and known == (node.kind == "until")
            surely = known is not None and not never
            return [(node.cond, inner, True), (node.body, bind if surely else inner, not never)]
        if isinstance(node, For):
            if bind is not None:
                self.walk.definitions.append(Definition(node, False))
            outer = self.outer_sure  # (before a compound in the words' substitutions sets its own)
            for word in (node.words or []) + ([node.arith] if node.arith else []):
                self.word(word, via, dirs)
            self.walk.items.append(Header(node, via, not self.live, outer))
            words = node.words or []
            surely = bool(words) and self.live and all(w.value is not None and not w.has_glob for w in words)
            surely = surely and not node.select
            empty = node.words == [] and node.arith is None  # ``for x in; do``: no round at all
            return [(node.body, bind if surely else inner, not empty)]
        if isinstance(node, Case):
            return self.case_parts(node, via, dirs, bind)
        if isinstance(node, ArithCommand):
            self.word(node.expr, via, dirs)
            self.evaluated(node.expr, via, dirs)
        elif isinstance(node, CondCommand):
            for word in node.words:
                self.word(word, via, dirs)
            for word in arithmetic_words("[[", node.words):
                self.evaluated(word, via, dirs)
        if isinstance(node, (ArithCommand, CondCommand)):
            self.walk.items.append(Header(node, via, not self.live, self.sure))
        return []

    def evaluated(self, word: Word, via: tuple[str, ...], dirs: int) -> None:
        """Quoted text bash evaluates again as arithmetic (``(( 'a[$(...)]' ))``, the name of
        ``test -v``, ``unset``, ``printf -v``...): the substitutions in it run."""
        text = "".join(part.text for part in word.parts if isinstance(part, Lit) and part.quoted)
        self.evaluated_text(text[text.find("[") + 1 :] if "[" in text else text, via, dirs)

    def evaluated_text(self, text: str, via: tuple[str, ...], dirs: int) -> None:
        if "$(" not in text and "`" not in text:
            return
        try:
            script = parse(": " + text)
        except ShellSyntaxError:
            return
        self.list_(script.body, (*via, "arithmetic"), dirs, None)

    # -- simple commands and words ----------------------------------------------------------------
    def simple(self, cmd: SimpleCommand, via: tuple[str, ...], dirs: int) -> tuple[int, int]:
        for word in cmd.assignments + cmd.words:
            self.word(word, via, dirs)
        self.redirects(cmd.redirects, via, dirs)
        dead, sure = not self.live, self.sure
        if self.looping and cmd.words and (cmd.words[0].value is None or cmd.words[0].value in _BREAKING):
            self.broke = True  # break, continue, or a name that may be one (``$x``, eval)
        if cmd.words and cmd.words[0].value in NAME_TAKING:
            for word in arithmetic_words(cmd.words[0].value or "", cmd.words[1:]):
                self.evaluated(word, via, dirs)
        for word in cmd.assignments + cmd.words[:1]:
            head = word.parts[0] if word.parts else None
            if isinstance(head, Lit) and "[" in head.text and head.text.split("[", 1)[0].isidentifier():
                self.evaluated(word, via, dirs)  # a['$(...)']=1: the subscript is arithmetic
        if self.live and ends(cmd, self.function, self.walk.assumed):
            self.live = False  # exit, exec PROG, return in a function: the rest of the list never runs
        first = name(cmd.words[0]) if cmd.words else ""
        if first not in WRAPPERS and first not in _DIR_BUILTINS:
            self.walk.items.append(Resolved(cmd, via, dirs, dead, sure, self.scope, self.checked))
            return dirs, dirs
        found = unwrapped(cmd)
        if found.chdir is not None:  # env -C DIR, sudo -D DIR: the command runs there
            value = found.chdir.value
            value = value.split("=", 1)[1] if value and value.startswith("--chdir=") else value
            dirs = self._dirs("cd", dirs, 0, value) if value else self.unknown_dir()
        self.walk.items.append(Resolved(cmd, via, dirs, dead, sure, self.scope, self.checked))
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
        live, sure = self.live, self.sure
        self.sure = False
        for sub in word.subs():
            label = "`...`" if sub.kind == "`" else sub.kind + "...)"
            scope = self.enter(_scope(sub.script.body))  # a subshell: what it sets stays there
            self.list_(sub.script.body, (*via, label), dirs, None)
            self.live, self.scope = live, scope  # an exit in $(...) ends the substitution only
        for param in _params(word.parts):  # ${a[$(...)]}: the subscript is evaluated, quoted or not
            if "[" in param.name:
                subscript = param.name[param.name.find("[") + 1 :]
                self.evaluated_text(subscript.replace("'", "").replace('"', ""), via, dirs)
                self.live = live
        self.sure = sure

    def compound_redirects(self, node: Compound, via: tuple[str, ...], dirs: int) -> None:
        self.redirects(node.redirects, via, dirs)
        if node.redirects:
            self.walk.items.append(Header(node, via, not self.live, self.sure, redirects=True))

    def redirects(self, redirects: list[Redirect], via: tuple[str, ...], dirs: int) -> None:
        for redirect in redirects:
            if redirect.heredoc is not None:
                if not redirect.heredoc.quoted:
                    self.word(redirect.heredoc.body, (*via, "here-document"), dirs)
                continue
            self.word(redirect.target, via, dirs)
            self.walk.items.append(Redirection(redirect, dirs))


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
_TABLE = frozenset(wrapper_table())


def _chdir(wrapper: str, options: list[Word]) -> Word | None:
    """The directory ``env -C DIR`` or ``sudo -D DIR`` switches to, among the wrapper's options."""
    flags = ("-C", "--chdir") if wrapper == "env" else ("-D", "--chdir") if wrapper == "sudo" else ()
    for k, word in enumerate(options):
        flag = (word.value or "").split("=", 1)[0]
        if flag in flags:
            return word if "=" in (word.value or "") else options[k + 1] if k + 1 < len(options) else None
    return None


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
        if wrapper in _TABLE or wrapper == "env":  # read as the git guard reads them (strace -qo F, env -iu N)
            values = [w.value for w in words[i:]]
            offset = command_offset(wrapper, values) if wrapper in _TABLE else env_offset(values)
            if offset is None:
                return Unwrapped([], chdir, tuple(seen))  # --help, --version: it runs nothing
            chdir = _chdir(wrapper, words[i : i + offset]) or chdir
            i += offset
            continue
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


def arithmetic_words(program: str, args: list[Word]) -> list[Word]:
    """The arguments bash evaluates as arithmetic (checked with bash 5.2): the name after ``-v``
    in test, ``[`` and ``[[``, the operands of ``-eq``... in ``[[``; the name after ``printf -v``; every
    argument of ``let``; the ``NAME[...]`` names given to declare, read, unset... (not values)."""
    if program == "let":
        return args
    values = [w.value for w in args]
    if program in ("test", "[", "[[", "printf"):
        found = [args[i + 1] for i, v in enumerate(values[:-1]) if v == "-v"]
        if program == "[[":  # test and [ compare integers only, [[ evaluates arithmetic
            for i, value in enumerate(values):
                if value in _NUMERIC_TESTS:
                    found += args[max(i - 1, 0) : i] + args[i + 1 : i + 2]
        return found
    out = []
    for word in args:
        text = "".join(p.text for p in word.parts if isinstance(p, Lit))
        if "[" in text and text.split("[", 1)[0].isidentifier():
            out.append(word)
    return out


def _params(parts: list[Part]) -> list[Param]:
    found: list[Param] = []
    for part in parts:
        if isinstance(part, Param):
            found.append(part)
            found += _params(part.arg or [])
    return found


def _sure_redirects(redirects: list[Redirect]) -> bool:
    """Redirections that cannot fail: to /dev/null, here-documents and here-strings, the standard
    output and error made copies of each other."""
    for redirect in redirects:
        target = redirect.target.value if redirect.heredoc is None else None
        if redirect.heredoc is not None or redirect.op == "<<<" or target == "/dev/null":
            continue
        if redirect.op == ">&" and redirect.fd in (None, "1", "2") and target in ("1", "2"):
            continue
        return False
    return True


def _once(node: Loop | For) -> bool:
    """A loop whose body runs at most once: a for over one literal word."""
    words = node.words if isinstance(node, For) and not node.select else None
    if words is None or len(words) != 1:
        return False
    return words[0].value is not None and not words[0].has_glob and "{" not in words[0].raw


def _scope(node: Node) -> frozenset[int]:
    """The simple commands of a subshell, by id (its body's walk: walking the subshell itself
    would come back here)."""
    inside = node.body if isinstance(node, Subshell) else node
    return frozenset(id(found.command) for found in simple_commands(inside))


# ------------------------------------------------- the input a compound gives its commands


def compound_inputs(script: Script) -> dict[int, tuple[SimpleCommand, SimpleCommand]]:
    """The commands inside a compound whose input they share (``while read l; do ...; done <
    steps.txt``, ``cat f | { read a; ... }``, ``done 3< f``): id of the inner command -> (the
    command, kept so that its id stays its own; a stand-in carrying the input redirections of the
    compounds around it and the place in a pipeline that feeds it)."""
    found: dict[int, tuple[SimpleCommand, SimpleCommand]] = {}
    _inputs_of_list(script.body, None, found)
    return found


_Found = dict[int, tuple[SimpleCommand, SimpleCommand]]


def _inputs_of_list(body: CommandList | None, given: SimpleCommand | None, found: _Found) -> None:
    for item in body.items if body is not None else []:
        for pipeline in item.pipelines if isinstance(item, AndOr) else []:
            for index, node in enumerate(pipeline.commands):
                _inputs_of_node(node, pipeline, index, given, found)


def _inputs_of_node(node: object, pipeline: Pipeline, index: int, given: SimpleCommand | None, found: _Found) -> None:
    if isinstance(node, SimpleCommand):
        if given is not None:
            found[id(node)] = (node, given)
        return
    if isinstance(node, (FunctionDef, Coproc)):
        _inputs_of_node(node.body, pipeline, index, given, found)
        return
    if not isinstance(node, Compound):
        return
    reads = [r for r in node.redirects if r.op.startswith("<") or r.heredoc is not None]
    if reads or index > 0:
        outer = given
        given = SimpleCommand(pipeline.start)
        given.redirects = (outer.redirects if outer is not None else []) + reads
        if index > 0 or outer is None:
            given.pipeline, given.index = pipeline, index
        else:
            given.pipeline, given.index = outer.pipeline, outer.index
    for body in _bodies(node):
        _inputs_of_list(body, given, found)


def _bodies(node: Compound) -> list[CommandList | None]:
    if isinstance(node, (Subshell, For)):
        return [node.body]
    if isinstance(node, Loop):
        return [node.cond, node.body]
    if isinstance(node, If):
        return [part for clause in node.clauses for part in clause] + [node.else_body]
    if isinstance(node, Case):
        return [body for _, body in node.items]
    return []


def read_units(script: Script) -> dict[SimpleCommand, int]:
    """The input unit each simple command of ``script`` is read in (bash reads, then runs, one
    line's complete commands at a time: an alias defined in one unit applies from the next).
    Commands in function bodies and substitutions belong to the unit they are written in."""
    starts: list[int] = [0]
    items = script.body.items
    for i in range(1, len(items)):
        end, start = items[i - 1].pipelines[-1].end, items[i].pipelines[0].start
        if script.body.seps[i - 1] == "\n" or "\n" in script.source[end:start]:
            starts.append(start)
    return {found.command: bisect_right(starts, found.command.start) - 1 for found in simple_commands(script)}
