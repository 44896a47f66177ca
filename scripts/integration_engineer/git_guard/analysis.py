"""The engine behind ``git_guard.policy.analyse``: follow a parsed command to the programs it runs.

The walk is here; what it knows, and how it follows each kind of program, are in the modules its
base classes come from (analysis_state, scripts, interpreters, build_tools, shell_builtins,
git_verbs). State is shared along one analysis: variables the command assigns, functions and
aliases it defines, files it writes (with their content when known), git aliases it configures.
"""

from __future__ import annotations

import os

from integration_engineer.bash import code as code_text
from integration_engineer.bash import escapes, script_files, startup
from integration_engineer.bash.commands import (
    Header,
    Resolved,
    compound_inputs,
    parsed,
    read_units,
    simple_commands,
    step_key,
    walked,
)
from integration_engineer.bash.expand import DEFAULT_IFS, PSUB, Argv, Field, expand_word
from integration_engineer.bash.lexer import Lit, Param, ShellSyntaxError, Word
from integration_engineer.bash.parser import (
    For,
    FunctionDef,
    Script,
    SimpleCommand,
)
from integration_engineer.bash.resolve import BASH_BUILTINS, SHELLS, Step, basename, interpreter, unwrap
from integration_engineer.bash.triggers import git_like
from integration_engineer.git_guard.analysis_state import MAX_DEPTH
from integration_engineer.git_guard.build_tools import COMPILERS, FORGE_MERGES, TASK_FILES, BuildTools
from integration_engineer.git_guard.git_verbs import GitVerbs, is_git
from integration_engineer.git_guard.interpreters import Interpreters
from integration_engineer.git_guard.known_files import norm
from integration_engineer.git_guard.search_path import SEARCHED, inherited_path_has_relative
from integration_engineer.git_guard.shell_builtins import DECLARE, READERS, ShellBuiltins
from integration_engineer.git_guard.traps import Traps

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


class Analyzer(GitVerbs, ShellBuiltins, BuildTools, Interpreters, Traps):
    """One analysis of a command: the walk over its parse tree, following each program it runs."""

    def source(self, text: str, route: tuple[str, ...], positional: list[str | None] | None = None) -> None:
        """Analyse a shell command string (the whole command, or one run by bash -c, eval...)."""
        if not self.root_text:
            self.root_text = text
        self.env.nocase = self.env.nocase or "nocasematch" in text
        if self.depth >= MAX_DEPTH:
            if git_like(text):
                self.flag("unresolved", None, route, "commands nested too deep to follow")
            return
        try:
            script = parsed(text)  # the parse the other Bash policies reuse
        except ShellSyntaxError as exc:
            if git_like(text) or self._mentions_verb(text):
                self.flag("unparsable", None, route, f"cannot parse the command ({exc.message}) and it mentions git")
            else:
                self.note(f"not valid bash ({exc.message}); nothing git-like in it")
            return
        saved = self.env.positional
        if positional is not None:
            self.env.positional = positional
        if self.depth == 0:
            self.top_level = self.top_level_commands(script)
        self.depth += 1
        self.texts.append(text)
        self.sources += 1
        self.text_ids.append(self.sources)
        self.units.update((cmd, (self.sources, unit)) for cmd, unit in read_units(script).items())
        try:
            self.script(script, route)
        finally:
            self.text_ids.pop()
            self.texts.pop()
            self.depth -= 1
            self.env.positional = saved

    def script(self, script: Script, route: tuple[str, ...]) -> None:
        before = set(self.functions)
        self.inputs.update(compound_inputs(script))
        self._bind(script)
        walk = walked(script)
        top = [found for found in walk.steps if not any(v.startswith("function ") for v in found.via)]
        stop = -1 if self.interactive else _noexec_at(script)
        if stop >= 0 and any(stop < _start_of(found) for found in top):
            self.note("set -n: the commands after it are read, never run")
            top = [found for found in top if _start_of(found) <= stop]
        self.commands(top, walk.assumed, route, walk.loops)
        if self.depth == self.shell_depth:
            self.exited = False  # the shell ends here: its EXIT trap runs
        self.pending_traps()
        for name in sorted(set(self.functions) - before - self.called):
            self.called.add(name)
            mark = len(self.findings)
            self.call_sure.append(False)  # maybe called by what cannot be known: nothing it does is sure
            try:
                self.call(name, None, (*route, f"function {name}"))
            finally:
                self.call_sure.pop()
            if not self.dynamic and len(self.findings) > mark and name != "command_not_found_handle":
                # (bash runs command_not_found_handle for any name it cannot find)
                # Never called by name, and nothing unknown runs that could call it.
                del self.findings[mark:]
                self.note(f"function {name} is defined but never called")

    def commands(
        self, found: list[Resolved | Header], assumed: set[str], route: tuple[str, ...], loops: list[frozenset[int]]
    ) -> None:
        """Follow the commands of a walk in order; those provably never run are skipped unless a
        builtin that proof relies on may have been redefined (then they are followed last)."""
        self._follow_items(found, route, loops)
        dead = [item for item in found if item.dead]
        if dead and self.redefined(assumed):
            for item in dead:
                here = (*route, *item.via, "maybe run: a builtin may be redefined")
                if isinstance(item, Header):
                    self.header(item, here)
                else:
                    self.command(item.command, here)
        elif dead:
            self.note(f"{len(dead)} command(s) provably never run (after exit, or in a branch never taken)")

    def _follow_items(
        self, found: list[Resolved | Header], route: tuple[str, ...], loops: list[frozenset[int]]
    ) -> None:
        """Follow commands in order; after the last command of a loop that may run again, its
        commands once more while a round changes what the next one sees (variables, files...)."""
        index = {step_key(item): i for i, item in enumerate(found)}
        firsts: dict[int, list[frozenset[int]]] = {}
        lasts: dict[int, list[frozenset[int]]] = {}
        for loop in loops:  # inner loops come first
            at = [index[k] for k in loop if k in index]
            if at:
                firsts.setdefault(min(at), []).append(loop)
                lasts.setdefault(max(at), []).append(loop)
        states: dict[frozenset[int], object] = {}
        for i, item in enumerate(found):
            if self.exited:
                self.note("the shell surely exited before the commands after it")
                return
            for loop in firsts.get(i, ()):
                states[loop] = self._loop_state()
            if item.dead:
                pass
            elif isinstance(item, Header):
                self.header(item, route + item.via)
            else:
                self.command(item.command, route + item.via, item.sure)
            for loop in lasts.get(i, ()):
                inner = [other for other in loops if other < loop]
                self._repeat([f for f in found if step_key(f) in loop], route, inner, states[loop])

    def _repeat(
        self, found: list[Resolved | Header], route: tuple[str, ...], loops: list[frozenset[int]], before: object
    ) -> None:
        """Rounds of a loop until one changes nothing; after a few, what still changes is unknown."""
        for rounds in range(_MAX_ROUNDS + 1):
            now = self._loop_state()
            if now == before:
                return
            if rounds == _MAX_ROUNDS:
                self._unsettled(before, now)
            before = now
            self._follow_items(found, (*route, "loop, next round"), loops)

    def _loop_state(self) -> object:
        env = self.env
        keyed = {k: None if v is None else dict(v) for k, v in env.keyed.items()}
        state = ({k: list(v) for k, v in env.vars.items()}, {k: list(v) for k, v in env.arrays.items()}, keyed)
        return (*state, dict(self.files), set(self.functions), dict(self.shell_aliases), dict(self.hashed))

    def _unsettled(self, before: object, now: object) -> None:
        """Variables and files a loop keeps changing: unknown from here on."""
        assert isinstance(before, tuple) and isinstance(now, tuple)
        for name, values in now[0].items():
            if before[0].get(name) != values:
                self.env.assign(name, [None])
        for path, text in now[3].items():
            if before[3].get(path) != text:
                self.files[path] = None

    def _bind(self, script: Script) -> None:
        """Function definitions and loop variables anywhere in the script (flow-insensitive), as
        the walk lists them: maybe not in effect inside a subshell, a branch or a loop; those in
        code never run are left out unless a builtin the proof relies on may be redefined."""
        text = self.text_ids[-1] if self.text_ids else 0
        walk = walked(script)
        found_defs = [d for d in walk.definitions if not d.dead]
        live = {d.node.name for d in found_defs if isinstance(d.node, FunctionDef)}
        # A builtin the walk's proofs rely on may be redefined: code never run may run, and a
        # definition made for sure (after ``true &&``) may not be made.
        broken = self.redefined(walk.assumed, live)
        if broken:
            found_defs += [d for d in walk.definitions if d.dead]
        self.scopes.update((id(found.command), found.scope) for found in walk.commands)
        self.checked.update(id(found.command) for found in walk.commands if found.checked)
        for found in found_defs:
            node = found.node
            if isinstance(node, FunctionDef):
                self.functions[node.name] = node
                # Where it is in effect: after it (its start), inside its subshell (found.scope).
                certain = found.certain and not found.dead and not broken
                if found.owner:
                    self.def_owner[id(node)] = found.owner
                self.definitions.setdefault(node.name, []).append((node, found.scope, text, _start(node), certain))
                if not certain:
                    self.maybe_functions.add(node.name)
            elif node.var:
                values: list[str | None] = []
                for word in node.words if node.words is not None else []:
                    values.extend(f for fields in self._expand([word]) for f in fields)
                if node.var not in self.env.vars:  # before the loop, or when it never runs: as it was
                    values.append("" if self.env.absent(node.var) else None)
                self.env.assign(node.var, values or [None])

    def call(
        self, name: str, args: list[str | None] | None, route: tuple[str, ...], node: FunctionDef | None = None
    ) -> None:
        """A function's body runs with the call's arguments as $1...; unknown when never called."""
        if self.depth >= MAX_DEPTH:
            return
        saved = self.env.positional
        self.env.positional = args
        self.depth += 1
        self.calling.append(name)
        self.local_frames.append({})
        body = (node or self.functions[name]).body
        try:
            walk = walked(body, function=True, values=self._call_values(body, args))
            self.commands(list(walk.steps), walk.assumed, route, walk.loops)
        finally:
            for local, (before, surely) in self.local_frames.pop().items():
                self.env.restore(local, before, merge=not surely)
            self.calling.pop()
            self.depth -= 1
            self.env.positional = saved

    def _call_values(self, body: object, args: list[str | None] | None) -> Callable[[Word], str | None] | None:
        """What a test or case subject in a function's body expands to in this call: words made
        only of its arguments (``"$1"``, ``$#``), when they are known and nothing in the body may
        change them first (``set``, ``shift``, ``eval``, ``source``, a name not known)."""
        if args is None or None in args or "DEBUG" in self.root_text:
            return None  # (a DEBUG trap's action runs before each command: set -T, it may shift)
        for found in walked(body, function=True).commands:  # type: ignore[arg-type]
            heads = [w.value for w in found.command.words]
            while heads[:1] in (["command"], ["builtin"]):  # command git ...: git
                heads = heads[1:]
            head = heads[0] if heads else ""
            if head is None or head in _MOVES_ARGS or head in self.shell_aliases:
                return None
        env = self.env

        def value(word: Word) -> str | None:
            if not all(isinstance(p, Lit) or (isinstance(p, Param) and _argument(p)) for p in word.parts):
                return None
            fields = expand_word(word, env)
            return fields[0][0] if len(fields) == 1 and len(fields[0]) == 1 else None

        return value

    def header(self, item: Header, route: tuple[str, ...]) -> None:
        """A compound command's header: a for loop over words known here gives its variable
        exactly those values (each round starts with one of them)."""
        node = item.node
        self.evaluate_header(item, route)
        if not isinstance(node, For) or not node.var or item.redirects:
            return
        values = [f for fields in self._expand(node.words or []) for f in fields]
        surely = item.sure and all(self.call_sure) and self.depth - len(self.calling) == self.shell_depth
        if node.words and values and None not in values:
            if surely and not node.select:
                self.env.vars[node.var] = values  # each round one of them, the last one after it
            else:  # the loop may not run: what the name held before stays possible (_bind)
                self.env.assign(node.var, values)

    def command(self, cmd: SimpleCommand, route: tuple[str, ...], sure: bool = False) -> None:
        self.sure_raw = sure
        self._subshells(cmd)
        self.sure = sure and self.depth == 1 and not self.calling
        self.sure_here = sure and self.depth == self.shell_depth and not self.calling
        self.pending_imports = {}  # env BASH_FUNC_...=: for the program this command's env runs
        self.current_cmd = cmd
        self.count_ran(cmd)
        program = basename(cmd.words[0].value or "") if cmd.words else ""
        prefix_of_git = program == "git"
        self.prefix_search.append({})
        self.command_contexts(cmd, route)
        before = set(self.env.vars) | set(self.env.arrays)
        try:
            for word in cmd.assignments:
                self.assignment(word, route, deferred=prefix_of_git, alone=not cmd.words, shell=program in SHELLS)
                self._searched(word, cmd, prefix=bool(cmd.words))
            if not cmd.words and self.sure and not code_text.words(self.root_text) & DECLARE:
                self.set_vars.update(_assigned_name(w) for w in cmd.assignments)  # not readonly: set
            if [w.value for w in cmd.words] == ["exec"]:
                self._record_fds(cmd)
            if cmd.words and cmd.words[0].value in DECLARE:
                self._declare(cmd, route)
            if cmd.words:
                for argv in self._expand(cmd.words):
                    self.run(argv, cmd, route, 0)
        finally:
            self.prefix_search.pop()
        if not self._surely_made():
            self.maybe_unset((set(self.env.vars) | set(self.env.arrays)) - before)
        self.record_writes(cmd)

    def _subshells(self, cmd: SimpleCommand) -> None:
        """Variables a subshell sets (``( )``, a pipeline's element, a background job) are gone
        once the walk leaves it: at the shell's own level (not inside a call or another text),
        each subshell entered keeps what the variables held before it, put back on leaving.
        With ``lastpipe`` a pipeline's last element may run in the shell: nothing is put back."""
        if self.calling or self.depth != self.shell_depth or "lastpipe" in self.root_text:
            return
        scope = self.scopes.get(id(cmd))
        stack = self.subshells
        while stack and (scope is None or not scope <= stack[-1][0]):
            self.env.put_back(stack.pop()[1])
        if scope is not None and (not stack or stack[-1][0] != scope):
            stack.append((scope, self.env.snapshot()))

    def _declare(self, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """declare/typeset/local/export NAME=VALUE...: assignments (``-A``: associative arrays)."""
        flags = "".join((w.value or "")[1:] for w in cmd.words[1:] if (w.value or "").startswith("-"))
        if self.local_frames and cmd.words[0].value in ("local", "declare", "typeset") and "g" not in flags:
            self._make_local(cmd)
        names: list[str] = []
        for word in cmd.words[1:]:  # declare -a NAME=(...): an array assignment
            first = word.parts[0] if word.parts else None
            text = first.text if isinstance(first, Lit) else ""
            names.append(text.split("=", 1)[0].rstrip("+"))
            if "A" in flags and text.split("=", 1)[0].isidentifier():
                self.env.assoc.add(text.split("=", 1)[0])
                if not self.sure:
                    self.maybe_assoc.add(text.split("=", 1)[0])
            if "i" in flags and names[-1].isidentifier():
                self.env.integers.add(names[-1])  # its values are evaluated from now on
            if "n" in flags and "=" in text and text.split("=", 1)[0].isidentifier():
                target = word.value  # declare -n NAME=OTHER: a reference to another variable
                name, _, other = (target or "").partition("=")
                if target is None or not other.split("[", 1)[0].isidentifier():
                    self.env.vars[text.split("=", 1)[0]] = [None]
                else:
                    self.env.refs[name] = other
                continue
            if isinstance(first, Lit) and text.split("=", 1)[0].rstrip("+").isidentifier() and "=" in text:
                self.assignment(word, route, declared=True)
                self._searched(word, cmd, prefix=False)
        if cmd.words[0].value == "export" or "x" in flags:
            self.export_values([n for n in names if n.isidentifier()], (*route, cmd.words[0].value or "export"))

    def _make_local(self, cmd: SimpleCommand) -> None:
        """``local NAME[=VALUE]`` in a function: NAME gets its old value back when the call returns
        (maybe local, when the declaration may not run: both values after it)."""
        frame, surely = self.local_frames[-1], self.sure_raw
        for word in cmd.words[1:]:
            first = word.parts[0] if word.parts else None
            text = first.text if isinstance(first, Lit) else ""
            name = text.split("=", 1)[0]
            if not name.isidentifier():
                continue
            if name not in frame:
                frame[name] = (self.env.saved(name), surely)
            if surely and "=" not in text:
                self.env.forget(name)  # ``local v``: unset in the function

    def _searched(self, word: Word, cmd: SimpleCommand, prefix: bool) -> None:
        """An assignment to PATH or GIT_EXEC_PATH: where names are looked up (search_path)."""
        first = word.parts[0] if word.parts else None
        if not isinstance(first, Lit) or "=" not in first.text:
            return
        target, _, rest = first.text.partition("=")
        if target.rstrip("+") == "PATH":
            self.hash_changed(list(self.hashed), None)  # setting PATH empties the hash table
        if target.rstrip("+") in SEARCHED:
            parts = [Lit(rest, False), *word.parts[1:]] if rest else word.parts[1:]
            value = Word(word.start, word.end, word.raw, parts)
            self.search_assignment(target.rstrip("+"), value, target.endswith("+"), cmd, prefix)

    def run(
        self,
        argv: Argv,
        cmd: SimpleCommand,
        route: tuple[str, ...],
        depth: int,
        functions: bool = True,
        arg0: list[Field] | None = None,
    ) -> None:
        """Follow one argv: aliases, functions, git itself, wrappers, shells, interpreters.
        ``arg0``: the argv[0] the program is given when not its name (``exec -a``, a link's name)."""
        external, self.by_program = self.by_program, False
        if not argv or depth > MAX_DEPTH:
            return
        name = argv[0]
        if name is None:
            self.unknown_program(argv, cmd, route)
            return
        if name.startswith(PSUB):
            return
        if arg0 is None and self.shell_definitions(argv, cmd, route, depth, functions):
            return
        invoked = name if arg0 is None else arg0[0]
        remapped = self._remapped(argv, cmd, route, depth, external, invoked)
        if remapped is None:
            return
        argv, name = remapped, remapped[0] or ""
        base = basename(name)
        self.shell_state(base, argv, cmd)
        self.named(base, argv, route)
        if base == "enable":
            self.enable(argv[1:], cmd, route)
        if base == "trap":
            self.trap(argv, cmd, route)
            return
        if (
            base == "exit"
            and len(argv) <= 2
            and not cmd.redirects
            and self._surely_made()
            and "enable" not in self.root_text
        ):
            self.exited = True  # in a function too: nothing after it runs (the EXIT trap does)
        if base == "builtin" and _not_a_builtin(argv, self.root_text):
            self.note(f"builtin {argv[1]}: not a bash builtin, so nothing runs")
            return
        if is_git(base):
            for reading in self.as_invoked(argv, invoked, route):
                self.git(reading, route, 0)
            return
        if base in DECLARE or base in READERS:
            self.builtin_assignment(base, argv, cmd)
        if base == "alias":
            self.alias_builtin(argv, route, cmd)
            return
        if "/" in name and norm(name) in self.files:
            saved, self.env.ifs = self.env.ifs, DEFAULT_IFS  # a new shell splits on the default IFS
            try:
                self.run_file(name, cmd, (*route, name), argv[1:])
            finally:
                self.env.ifs = saved
            return
        if base in ("cd", "pushd", "popd"):
            self._cd(base, argv, cmd)
        self.program(argv, name, base, cmd, route, depth)

    def _remapped(
        self, argv: Argv, cmd: SimpleCommand, route: tuple[str, ...], depth: int, external: bool, invoked: Field
    ) -> Argv | None:
        """The argv to follow once the command's remappings of the name (hash -p, links, PATH)
        are applied; None when there is nothing more to follow. ``external``: a program (env,
        nice...) runs the name, which bash's hash table does not reach. The program keeps the
        name it was run by as its argv[0] (``invoked``)."""
        name = argv[0] or ""
        resolved = self._resolved(name, route, external)
        if resolved is False:
            return None
        if isinstance(resolved, str) and name not in self.maybe_hashed:
            return [resolved, *argv[1:]]
        if isinstance(resolved, str):  # hash -p in a branch: the program it names, or the one on PATH
            self.run([resolved, *argv[1:]], cmd, (*route, f"hash {name} (maybe)"), depth + 1, arg0=[invoked])
        return None if self.found_on_path(argv, cmd, route, depth, invoked) else argv

    def _cd(self, base: str, argv: Argv, cmd: SimpleCommand) -> None:
        """Where a cd may lead: $PWD becomes maybe unknown, maybe the directory it names. ``cd
        "$(git rev-parse --show-toplevel)"`` stays in the repository (the real git asked, with
        nothing pointing it elsewhere): the command's directory stands for it."""
        self.forget_relative()
        self.env.assign("PWD", [None])
        if len(argv) > 1 and argv[1] is None and len(cmd.words) > 1 and self._own_top(cmd.words[1].raw):
            self.cd_dirs.append(self.cwd or os.getcwd())
            return
        self.cd_unknown = self.cd_unknown or (len(argv) > 1 and argv[1] is None)
        if base in ("cd", "pushd") and len(argv) > 1 and argv[1] is not None:
            self.cd_dirs.append(os.path.join(self.cwd or os.getcwd(), os.path.expanduser(argv[1])))
            if argv[1] != "-":
                self.env.assign("PWD", [os.path.normpath(self.cd_dirs[-1])])

    def _own_top(self, raw: str) -> bool:
        inner = raw.strip('"')
        asks = inner in (f"$(git rev-parse {o})" for o in _TOP_OPTIONS) or inner in (
            f"`git rev-parse {o}`" for o in _TOP_OPTIONS
        )
        elsewhere = any(n in self.env.vars for n in ("GIT_DIR", "GIT_WORK_TREE", "PATH"))
        return asks and not elsewhere and "git" not in self.functions and "git" not in self.shell_aliases

    def program(self, argv: Argv, name: str, base: str, cmd: SimpleCommand, route: tuple[str, ...], depth: int) -> None:
        """An ordinary program: start-up files, what it wraps, its escapes, runners, scripts."""
        # env -u NAME: the programs it starts do not see NAME (BASH_ENV, ENV...) from the command.
        dropped = {n: self.env.vars.pop(n) for n in _env_unset(argv) if n in self.env.vars} if base == "env" else {}
        given = self.env_given
        if base == "env":
            self.env_given = (cmd, {**(given[1] if given[0] is cmd else {}), **_env_gives(argv)})
        try:
            if base not in SHELLS:
                self._program(argv, name, base, cmd, route, depth)
                return
            kept = self._enter_shell(base)
            try:
                self._program(argv, name, base, cmd, route, depth)
            finally:
                self._leave_shell(kept)
        finally:
            self.env.vars.update(dropped)
            self.env_given = given

    def _program(
        self, argv: Argv, name: str, base: str, cmd: SimpleCommand, route: tuple[str, ...], depth: int
    ) -> None:
        step = self._prelude(argv, base, cmd, route)
        # A program's own escapes run besides what it wraps (ssh's ProxyCommand and its remote command).
        escaped = escapes.commands(argv, lambda: self.stdin_of(cmd), self.files.get)
        for text in escapes.from_environment(argv, self.env.lookup):
            self.source_or_unknown(text, cmd, (*route, f"{base} runs a command from its environment"))
        for text in escaped or []:
            here = (*route, f"{base} shell escape")
            if text is None:
                self.dynamic_script(cmd, here, "it runs commands that are not known statically")
            elif text:
                self.source(text, here)
        if step is not None:
            self.prefix_search.append(self.wrapper_search(base, argv))
            try:
                self._follow_program(step, argv, base, cmd, route, depth)
            finally:
                self.prefix_search.pop()
        elif escaped is not None:
            pass
        elif base in ("pytest", "py.test"):
            self.python_module("pytest", argv[1:], cmd, route)
        elif base.startswith("pip") and ("install" in argv or "wheel" in argv):
            self.python_module("pip", argv[1:], cmd, route)
        elif base in script_files.PACKAGE_TOOLS and argv[1:2] in (["exec"], ["x"], ["dlx"]):
            self.package_exec(argv, cmd, route, depth)
        elif base in script_files.PACKAGE_TOOLS:
            self.package_scripts(argv, cmd, route)
        elif base in script_files.MAKE_TOOLS:
            self.make(argv, cmd, route)
        elif base in TASK_FILES:
            self.task_runner(base, argv, cmd, route)
        elif base in COMPILERS:
            self.compile(argv, cmd)
        elif base in FORGE_MERGES:
            self.forge(base, argv[1:], route)
        elif "/" in name and not _system_program(name):
            saved, self.env.ifs = self.env.ifs, DEFAULT_IFS
            try:
                self.disk_file(name, cmd, (*route, name), argv[1:], as_program=True)
            finally:
                self.env.ifs = saved

    def _prelude(self, argv: Argv, base: str, cmd: SimpleCommand, route: tuple[str, ...]) -> Step | None:
        """What runs before the program's own code (start-up files, preloads), and what it wraps
        (``env NAME=VALUE`` passing NAME on, ``npx NAME`` running the package's own bin)."""
        if base in SHELLS:
            prompting = startup.prompts(argv)
            given = None
            if prompting and startup.reads_system_rc(argv) and "PS1=" in (script_files.read_text(_SYSTEM_RC) or ""):
                given = self.env.vars.pop("PS1", None)  # Debian's /etc/bash.bashrc sets PS1 before ~/.bashrc
            for group in startup.shell_files(argv, self.env.lookup):
                self.startup_files(group, cmd, route, "", first_only=True)
            if prompting:
                self._prompts(base, cmd, route)
            if given is not None:
                self.env.assign("PS1", given)  # the command's own PS1 for the programs after this shell
        elif interpreter(base):
            self.startup_files(startup.interpreter_files(argv, interpreter(base), self.env.lookup), cmd, route, base)
        for label, path, lang in startup.program_files(argv, self.env.lookup):
            self.program_file(label, path, lang, cmd, route)
        step = unwrap(argv)
        if base == "env" and step is not None:
            self._env_assignments(argv[1:])
        if base == "npx" and step is not None and step.kind == "argv" and step.argv:
            step.argv = self.local_bin(step.argv)
        if step is None or step.kind == "code":  # not followed as a shell or wrapper
            self.handed_on(cmd, base, route)
        return step

    def _prompts(self, base: str, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """An interactive shell reading stdin expands PS1 before each command it reads (once at
        least, stdin empty or not) and PS0 after one: their substitutions run (promptvars is on)."""
        from integration_engineer.git_guard.evaluation import evaluable, expanded

        stdin = self.stdin_of(cmd)
        names = ("PS1",) if stdin is not None and not stdin.strip() else ("PS1", "PS0")
        for name in names:
            here = (*route, f"{base} -i {name}")
            for value in self.env.lookup(name) or []:
                if value is None:
                    if git_like(self.root_text):
                        self.flag("unresolved", None, here, f"{name} is not known")
                elif evaluable(value):
                    self._quiet_source(expanded(value), here)

    def _follow_program(
        self, step: Step, argv: Argv, base: str, cmd: SimpleCommand, route: tuple[str, ...], depth: int
    ) -> None:
        """What a wrapper, shell or runner runs; a child shell with its own alias setting."""
        if base not in SHELLS:
            self.follow(step, cmd, route, depth)
            return
        if startup.is_noexec(argv):
            self.note(f"{base} -n reads its commands and runs none of them")
            return
        saved, self.expand_aliases = self.expand_aliases, self._child_aliases(base, argv)
        interactive, self.interactive = self.interactive, startup.is_interactive(argv)
        if startup.prompts(argv):  # it prompts: PROMPT_COMMAND (from its environment) runs first
            for value in self.env.lookup("PROMPT_COMMAND") or []:
                if value is None:
                    self.dynamic_script(cmd, (*route, f"{base} -i PROMPT_COMMAND"), "PROMPT_COMMAND is not known")
                else:
                    self.source(value, (*route, f"{base} -i PROMPT_COMMAND"))
        ifs, self.env.ifs = self.env.ifs, DEFAULT_IFS  # bash sets IFS afresh, never from its environment
        prompt, self.promptvars_off = self.promptvars_off, False
        try:
            self.follow(step, cmd, route, depth)
        finally:
            self.expand_aliases = saved
            self.interactive, self.env.ifs, self.promptvars_off = interactive, ifs, prompt

    def _enter_shell(self, base: str) -> tuple[Any, ...]:
        """A child shell (its start-up files too) has its own functions (``_child_functions``),
        aliases and hash table: what it defines there stays there. The state to put back after
        it is returned (``_leave_shell``)."""
        kept: tuple[Any, ...] = (self._child_functions(base), self.shell_aliases, self.alias_defs, self.aliases_on)
        kept = (*kept, self.hashed, self.maybe_hashed, self.shell_depth)
        self.shell_aliases, self.alias_defs, self.aliases_on, self.hashed, self.maybe_hashed = {}, {}, None, {}, set()
        self.shell_depth = self.depth + 1
        return kept

    def _leave_shell(self, kept: tuple[Any, ...]) -> None:
        functions = kept[0]
        self.functions, self.exported, self.definitions, self.maybe_functions = functions[:4]
        self.environ_functions, self.imports_functions = functions[4:]
        self.shell_aliases, self.alias_defs, self.aliases_on, self.hashed, self.maybe_hashed = kept[1:6]
        self.shell_depth = kept[6]
        self.exited = False  # the child shell exited, not this one

    def _child_functions(self, base: str) -> tuple[Any, ...]:
        """A child shell has only the functions in its environment (``export -f``, ``env
        BASH_FUNC_NAME%%=...``), and only bash imports them (``sh`` is bash or not by what
        /bin/sh is here); dash removes them, another shell passes them on to its own children.
        The state to put back after it is returned."""
        kept: tuple[Any, ...] = (self.functions, self.exported, self.definitions, self.maybe_functions)
        kept = (*kept, self.environ_functions, self.imports_functions)
        passed = dict(self.environ_functions) if self.imports_functions is False else {}
        maybe: set[str] = set()
        for name, node in self.functions.items():
            if not self.dynamic and name not in self.exported:  # (dynamic: what is exported is not known)
                continue
            found, certain = self._in_effect_here(name, node)
            if found is not None:
                passed[name] = found
            if found is not None and not certain:
                maybe.add(name)
        passed.update(self.pending_imports)
        self.pending_imports = {}
        how = startup.function_environment(base)
        self.imports_functions = {"import": True, "unknown": None}.get(how, False)
        self.environ_functions = {} if how == "drop" else passed
        if self.imports_functions is False:
            self.functions = {}
            return kept
        self.functions = dict(passed)
        self.exported = self.exported | set(passed)
        self.definitions = {k: v for k, v in self.definitions.items() if k not in passed}
        if self.imports_functions is None:  # maybe bash: the function or the program may run
            self.maybe_functions = self.maybe_functions | set(passed)
        self.maybe_functions = self.maybe_functions | maybe  # maybe removed, or maybe not made, here
        return kept

    def _in_effect_here(self, name: str, node: FunctionDef) -> tuple[FunctionDef | None, bool]:
        """The definition of ``name`` in effect at the command being followed (``unset -f``
        before it removes it), and whether surely."""
        if name not in self.definitions or self.current_cmd is None:
            return node, name not in self.maybe_functions
        return self._definition_in_effect(name, self.current_cmd)

    def _env_assignments(self, args: Argv) -> None:
        """``env NAME=VALUE PROGRAM``: the program sees NAME (BASH_ENV, PYTHONSTARTUP...), as after
        a ``NAME=VALUE`` prefix."""
        for i, arg in enumerate(args):
            valued = i > 0 and _env_takes_value(args[i - 1])
            if arg is None or not ("=" in arg or arg.startswith("-") or valued) or arg == "--":
                return
            name, _, value = arg.partition("=")
            if value and name.isidentifier() and not valued:
                self.env.assign(name, [value])

    def _child_aliases(self, base: str, argv: Argv) -> bool:
        """Whether a child shell expands aliases: bash only when interactive or told to (``-O
        expand_aliases``, POSIX mode, ``BASHOPTS``/``SHELLOPTS`` given); other shells always."""
        if basename(base) not in ("bash", "rbash") or "BASHOPTS" in self.root_text or "SHELLOPTS" in self.root_text:
            return True
        args = [a for a in argv[1:] if a is not None]
        return startup.is_interactive(argv) or "expand_aliases" in args or "posix" in args or "--posix" in args

    def source_or_unknown(self, text: str | None, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        if text is None:
            self.dynamic_script(cmd, route, "it runs a command that is not known statically")
        else:
            self.source(text, route)

    def _resolved(self, name: str, route: tuple[str, ...], external: bool = False) -> str | bool | None:
        """The program a name really runs when the command remapped it (hash -p, BASH_CMDS, a link
        or copy it made, PATH it extended): its path, None when not remapped, False when refused."""
        target: str | None
        if "/" not in name and name in self.hashed and not self.is_builtin(name) and not external:
            target, raw = self.hashed[name], f"hash {name}"
        elif "/" not in name and (self.is_builtin(name) or self.search_alternatives("PATH") is not None):
            return None  # a builtin runs; or the PATH search finds the link, if any (found_on_path)
        elif "/" not in name and not inherited_path_has_relative():
            return None  # a link made here is not on the PATH the command inherited
        else:
            key = norm(name)
            if key not in self.links:
                return None
            target, raw = self.links[key]
        for _ in range(8):  # a link to a link the command made (ln -s git g; ln -s g vc)
            if target is None:
                if git_like(raw) or git_like(self.root_text):
                    self.flag("unresolved", None, route, f"{name} was made to run a program that is not known")
                    return False
                return None
            if os.path.isabs(target) and norm(target) not in self.files:
                return basename(target)  # a system program, run by its name
            if "/" not in name and "/" not in target:
                break  # hash -p NAME PROGRAM: PROGRAM looked up on PATH
            if not os.path.isabs(target):  # a symbolic link's target is read from the link's directory
                symbolic = "/" in name and _symbolic(raw)
                target = os.path.normpath(os.path.join(os.path.dirname(name) if symbolic else ".", target))
            if norm(target) not in self.links or norm(target) == norm(name):
                break
            name, (target, raw) = target, self.links[norm(target)]
        return target if target != name else None

    def follow(self, step: Step, cmd: SimpleCommand, route: tuple[str, ...], depth: int) -> None:
        if step.kind not in ("text", "stdin", "file"):
            self._follow(step, cmd, route, depth)
            return
        # A shell's commands read its stdin (``bash -c 'sh' <<< TEXT``); one reading its script
        # from stdin leaves them the rest of it.
        own = step.kind == "stdin"
        self.inherited.append((self.stdin_of(cmd), own, self.inherited[-1][2]))
        arg0 = self.env.arg0
        if step.arg0 is not None:
            self.env.arg0 = step.arg0[0]  # bash -c 'source "$0"' s.sh
        fds = self.passed_fds(cmd)
        try:
            self._follow(step, cmd, route, depth)
        finally:
            self.inherited.pop()
            self.env.arg0, self.fds = arg0, fds

    def _follow(self, step: Step, cmd: SimpleCommand, route: tuple[str, ...], depth: int) -> None:
        here = (*route, step.label)
        if step.kind == "argv" and step.argv is not None:
            # env, nice, sudo... are programs: they run the program, never a shell function, and
            # look it up on PATH themselves (bash's hash table is for exec, command, builtin, time).
            self.by_program = step.label not in _SHELL_RUNS
            self.run(step.argv, cmd, here, depth + 1, functions=step.label == "time", arg0=step.arg0)
        elif step.kind == "argvs":
            # find -ok asks first and reads each answer as a line of its stdin (the Bash tool's is
            # empty): known answers none of which says yes (rpmatch: y, Y, and + or 1 in some
            # locales) never run the command.
            asks = "-ok" in (step.items or []) or "-okdir" in (step.items or [])
            answers = self.stdin_of(cmd) if asks else None
            never = answers is not None and not any(line.lstrip()[:1] in tuple("yY+1") for line in answers.splitlines())
            argvs = step.argvs or []
            if step.label == "find -exec" and self._finds_nothing(step.argv):
                self.note(f"find: no file passes its tests, so it never runs {argvs[0][:2]}")
                return
            for argv, action in zip(argvs, step.items or [None] * len(argvs), strict=True):
                if action in ("-ok", "-okdir") and never:
                    self.note(f"find {action}: no answer on stdin says yes, so it never runs {argv[:2]}")
                    continue
                self.run(argv, cmd, here, depth + 1)
        elif step.kind == "text":
            if step.text is None:
                self.dynamic_script(cmd, here, "the command string is not known")
            else:
                self.source(step.text, here, step.positional)
        elif step.kind == "stdin":
            text = self.stdin_of(cmd)
            if text is None:
                self.dynamic_script(cmd, here, "the script it reads is not known")
            else:
                self.source(text, here, step.positional or None)
        elif step.kind == "file":
            self.run_file(step.path, cmd, here, step.positional)
        elif step.kind == "append":
            self.appended(step, cmd, here, depth)
        elif step.kind == "parallel":
            self.parallel(step, cmd, here)
        elif step.kind == "code":
            self.code(step, cmd, here)

    def _finds_nothing(self, argv: Argv | None) -> bool:
        """find's command action surely runs for no file: the command creates none before or
        while find walks, and none under the start paths passes the action's tests."""
        from integration_engineer.git_guard import find_matches

        if argv is None or len(argv) < 2 or not find_matches.alone(self.root_text):
            return False
        return find_matches.never_runs(argv[1:], self.cwd or os.getcwd())


# Builtins that may change a function's arguments ($1...) while its body runs.
_MOVES_ARGS = frozenset({"set", "shift", "eval", "source", ".", "alias"})


def _argument(part: Param) -> bool:
    """``$1``, ``${1}``, ``$#``: one of the function's arguments as given (no operator)."""
    return part.op == "" and (part.name.isdigit() or part.name == "#") and part.name != "0"


_SHELL_RUNS = frozenset({"exec", "command", "builtin", "time"})  # wrappers that are bash itself
_MAX_ROUNDS = 4  # rounds of a loop followed before what still changes is taken as unknown
_SYSTEM_BIN = ("/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/")


def _symbolic(raw: str) -> bool:
    """Whether the command that made a link (``ln -s``, ``cp -s``) made a symbolic one."""
    words = raw.split()
    return any(w in ("--symbolic", "-s") or (w[:1] == "-" and w[1:2] != "-" and "s" in w) for w in words[1:])


def _system_program(name: str) -> bool:
    """A program in a system directory the agent cannot write: the program its name says, not a
    script to read (``/usr/bin/ls`` is ``ls``)."""
    return name.startswith(_SYSTEM_BIN) and name.count("/") == 2 + name.startswith("/usr/")


def _assigned_name(word: Word) -> str:
    first = word.parts[0]
    text = first.text if isinstance(first, Lit) else ""
    return text.split("=", 1)[0].rstrip("+").split("[", 1)[0]


def _not_a_builtin(argv: Argv, text: str) -> bool:
    """``builtin NAME`` fails, running nothing, when NAME is no bash builtin (a function, alias
    or program of that name is never looked up); ``enable`` anywhere may load one (enable -f)."""
    name = argv[1] if len(argv) > 1 else None
    return name is not None and not name.startswith("-") and name not in BASH_BUILTINS and "enable" not in text


def _noexec_at(script: Script) -> int:
    """Where a non-interactive shell stops running commands: a ``set -n`` (``set -o noexec``)
    standing alone at the top of the script, so certainly run (checked with bash 5.2: nothing
    after it runs, not even an EXIT trap). -1 when there is none."""
    for item in script.body.items:
        if len(item.pipelines) != 1 or len(item.pipelines[0].commands) != 1:
            continue
        cmd = item.pipelines[0].commands[0]
        if not isinstance(cmd, SimpleCommand) or cmd.assignments or not cmd.words:
            continue
        words = [w.value for w in cmd.words]
        if words[0] != "set" or None in words:
            continue
        args = [w or "" for w in words[1:]]
        for i, arg in enumerate(args):
            if arg in ("-", "--") or not arg.startswith(("-", "+")):
                break  # set -- -n: positional parameters
            if arg.startswith("-") and ("n" in arg[1:] or ("o" in arg[1:] and args[i + 1 : i + 2] == ["noexec"])):
                return cmd.start
    return -1


def _start_of(item: Resolved | Header) -> int:
    return item.command.start if isinstance(item, Resolved) else item.start


def _start(node: FunctionDef) -> int:
    """Where a definition starts: its body's first command (-1 when it has none)."""
    return min((found.command.start for found in simple_commands(node.body)), default=-1)


_SYSTEM_RC = "/etc/bash.bashrc"
_TOP_OPTIONS = ("--show-toplevel", "--show-cdup")


def _env_unset(argv: Argv) -> list[str]:
    """The names ``env -u NAME`` (``--unset=NAME``, ``-uNAME``) removes from its program's environment."""
    found: list[str] = []
    for i, arg in enumerate(argv[1:], 1):
        if arg is None or not arg.startswith("-") or arg == "--":
            break
        if (arg == "--unset" or (_env_takes_value(arg) and arg.endswith("u"))) and i + 1 < len(argv):
            found.append(argv[i + 1] or "")
        elif arg.startswith("--unset="):
            found.append(arg[8:])
        elif arg.startswith("-u") and len(arg) > 2:
            found.append(arg[2:])
    return found


def _env_gives(argv: Argv) -> dict[str, str]:
    """What ``env`` surely sets in its program's environment: "" for each name it removes
    (``-u``), the value of each ``NAME=VALUE`` it is given. Nothing with ``-i`` (then every
    other name is gone too, which this does not say)."""
    given = dict.fromkeys(_env_unset(argv), "")
    for i, arg in enumerate(argv[1:], 1):
        if arg is None or arg in ("-i", "--ignore-environment", "-") or (arg[:1] == "-" and "i" in arg[1:2]):
            return {}
        if arg.startswith("-") and arg != "--":
            continue
        if _env_takes_value(argv[i - 1]) and i > 1:
            continue
        name, eq, value = arg.partition("=")
        if not eq or not name.isidentifier():
            break
        given[name] = value
    return {k: v for k, v in given.items() if k.isidentifier()}


def _env_takes_value(option: str | None) -> bool:
    """An option of env whose value is the next word: ``-u``/``-C``/``-S`` (last in a cluster:
    ``-iu NAME``) and their long names."""
    if option in ("--chdir", "--unset", "--split-string"):
        return True
    if not option or option[:1] != "-" or option[1:2] == "-":
        return False
    return option[1:].isalpha() and option[-1] in "uCS"
