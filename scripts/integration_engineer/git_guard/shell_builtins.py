"""Shell builtins that change what later commands run: assignments, aliases, functions, read, hash."""

from __future__ import annotations

import itertools

from integration_engineer.bash.commands import parsed
from integration_engineer.bash.expand import Argv, ifs_split, value_of
from integration_engineer.bash.lexer import ArrayLit, Lit, ShellSyntaxError, Word
from integration_engineer.bash.output import argv_stdout, redirected_stdin
from integration_engineer.bash.parser import FunctionDef, Script, SimpleCommand
from integration_engineer.bash.triggers import git_like
from integration_engineer.git_guard.analysis_state import single_argv
from integration_engineer.git_guard.evaluation import Evaluation
from integration_engineer.git_guard.search_path import SearchPath

DECLARE = frozenset({"declare", "typeset", "export", "local", "readonly"})
READERS = frozenset({"read", "mapfile", "readarray", "printf", "getopts"})
# Environment variables whose value a program runs as a command line.
# (Git's own variables, GIT_EDITOR, GIT_SSH_COMMAND..., are read where a git verb uses them:
# git_settings; these are read by other programs too, so a value is followed where it is set,
# unless the assignment is a prefix of a git command.)
_COMMAND_VARS = frozenset({"PAGER", "EDITOR", "VISUAL", "SSH_ASKPASS", "PROMPT_COMMAND"})


class ShellBuiltins(SearchPath, Evaluation):
    """Assignments, aliases, functions and the builtins that change how later commands run."""

    def assignment(
        self,
        word: Word,
        route: tuple[str, ...],
        deferred: bool = False,
        alone: bool = False,
        shell: bool = False,
        declared: bool = False,
    ) -> None:
        """``NAME=VALUE``: ``deferred`` as a prefix of git (git reads its own variables), ``alone``
        with no command, ``shell`` as a prefix of a shell (which runs PROMPT_COMMAND only if it
        prompts: analysis.follow_shell), ``declared`` by declare/local/export."""
        first = word.parts[0]
        assert isinstance(first, Lit)
        target, _, rest = first.text.partition("=")
        name, _, key = target.rstrip("+").partition("[")
        if name in self.env.refs and not key:
            name = self.env.deref(name)  # declare -n r=v; r=x assigns v
        parts = [Lit(rest, False), *word.parts[1:]] if rest else word.parts[1:]
        values: list[str | None] = []
        if parts and isinstance(parts[0], ArrayLit):
            items = [f for fields in self._expand(parts[0].words)[:1] for f in fields]
            self.env.assign_array(name, items, append=target.endswith("+"))
            values = items
            self.array_keys(name, parts[0].words, route)
        elif key:  # name[key]=value: one element
            values = value_of(Word(word.start, word.end, word.raw, parts), self.env)
            self.env.set_element(name, key.rsplit("]", 1)[0], values)
        else:
            values = value_of(Word(word.start, word.end, word.raw, parts), self.env)
            stays = alone or declared  # the variable keeps the value after the command
            if stays and name not in self.env.vars and not self._surely_made():
                # Maybe not made (a branch, a loop): the name may keep what it had before, unset
                # or the environment's (``[ -e f ] && v=echo; $v git push`` runs git).
                values = [*values, "" if self.env.is_unset(name) else None]
            elif (
                stays
                and self._surely_made()
                and not target.endswith("+")
                and name not in self.env.keyed
                and not self._maybe_local(name)
            ):
                self.env.vars.pop(name, None)  # surely made: the earlier values are gone
            self.env.assign(name, values)
            if name == "IFS" and alone and self.sure and not target.endswith("+") and values[0] is not None:
                self.env.settle(name, values[0])  # only this IFS splits what follows
        self.var_raw[name] = self.var_raw.get(name, "") + " " + word.raw
        if name == "BASH_CMDS":
            self._bash_cmds(first.text, values, bool(parts) and isinstance(parts[0], ArrayLit), route)
        elif name == "BASH_ALIASES":
            self._bash_aliases(first.text, values, bool(parts) and isinstance(parts[0], ArrayLit), route)
        if name in self.env.integers:  # declare -i NAME: the value is evaluated as arithmetic
            for value in values:
                self.evaluate(value, (*route, f"{name}=... (declared -i)"))
        if _allexport(self.root_text):
            self.export_values([name], (*route, "set -a"))
        self._prompt(name, values, route)
        if name == "PROMPT_COMMAND" and alone and self.sure and not self.interactive and not deferred:
            self._prompt_command(values, (*route, f"{name}=..."))
        elif name in _COMMAND_VARS and not deferred and not (shell and name == "PROMPT_COMMAND"):
            for value in values:
                if value and (git_like(value) or self._mentions_verb(value)):
                    self.source(value, (*route, f"{name}=..."))

    def _surely_made(self) -> bool:
        """Whether the command being followed surely runs, in the shell the command started in:
        not in a branch, loop or subshell, nor in a call that may not happen."""
        surely = self.sure_raw and all(self.call_sure) and self.depth - len(self.calling) == self.shell_depth
        return surely and not _readonly_possible(self.root_text)  # an assignment to a readonly name fails

    def maybe_unset(self, names: set[str]) -> None:
        """Names first given a value by what may not run (a branch, a loop, a call that may not
        happen; ``[ -e f ] && read v <<< echo``): maybe unset after it, or the environment's (an
        array: not known)."""
        for name in names - {"PWD", "OLDPWD", "REPLY", "MAPFILE"}:
            if name in self.env.arrays or name in self.env.keyed:
                self.env.keyed[name] = None
                self.env.arrays[name] = [None]
            self.env.assign(name, ["" if self.env.absent(name) else None])

    def _maybe_local(self, name: str) -> bool:
        """A ``local NAME`` that may not have run in a call now running: an assignment may reach
        the caller's NAME or not."""
        return any(name in frame and not frame[name][1] for frame in self.local_frames)

    def _bash_cmds(self, text: str, values: list[str | None], array: bool, route: tuple[str, ...]) -> None:
        """``BASH_CMDS[NAME]=PATH``, ``BASH_CMDS=([NAME]=PATH ...)``: entries of the hash table."""
        if "[" in text.split("=", 1)[0]:
            key = text.split("[", 1)[1].split("]", 1)[0]
            self.hashed[key] = values[0] if len(values) == 1 else None
            if not self.sure_here:
                self.maybe_hashed.add(key)
            return
        for item in values if array else []:
            if item is not None and item.startswith("[") and "]=" in item:
                key = item[1:].split("]=", 1)[0]
                self.hashed[key] = item.split("]=", 1)[1]
                if not self.sure_here:
                    self.maybe_hashed.add(key)
            elif git_like(self.root_text):
                self.flag("unresolved", None, route, "BASH_CMDS is given names that are not known")

    def _bash_aliases(self, text: str, values: list[str | None], array: bool, route: tuple[str, ...]) -> None:
        """``BASH_ALIASES[NAME]=TEXT``, ``BASH_ALIASES=([NAME]=TEXT ...)``: aliases, as ``alias``."""
        if "[" in text.split("=", 1)[0]:
            key = text.split("[", 1)[1].split("]", 1)[0]
            pairs: list[str | None] = [f"{key}={values[0]}" if len(values) == 1 and values[0] is not None else None]
        else:
            pairs = [v[1:].replace("]=", "=", 1) if v and v.startswith("[") and "]=" in v else None for v in values]
        self.alias_builtin(["alias", *(pairs if array or pairs[:1] != [None] else [])], route, self.current_cmd)

    def _prompt_command(self, values: list[str | None], route: tuple[str, ...]) -> None:
        """A non-interactive shell never runs PROMPT_COMMAND; an interactive shell started later
        (``bash -i``, anything not a quick builtin) may: followed at the end if anything ran
        after it (traps.pending_traps)."""
        old = self.traps.pop("PROMPT", None)
        if old is not None and old[2] != self.ran:
            self.source(old[0], old[1])
        if len(values) == 1 and values[0] is not None:
            self.traps["PROMPT"] = (values[0], route, self.ran)
            return
        for value in values:
            if value and (git_like(value) or self._mentions_verb(value)):
                self.source(value, route)

    def _prompt(self, name: str, values: list[str | None], route: tuple[str, ...]) -> None:
        """PS4 is expanded (substitutions run) before each command traced by ``set -x``."""
        if name == "PS4" and _may_trace(self.root_text):
            for value in values:
                here = (*route, "PS4=... expanded by set -x")
                if value is None and git_like(self.root_text):
                    self.flag("unresolved", None, here, "PS4 is given text that is not known statically")
                elif value is not None and ("$(" in value or "`" in value):
                    self.source(value, here)

    def _record_fds(self, cmd: SimpleCommand) -> None:
        """``exec 3<<<TEXT``, ``exec 3< FILE``, ``exec {fd}< <(...)``: what a later ``<&3`` reads.
        ``{NAME}`` takes the lowest free descriptor from 10 up, as bash does, and sets NAME to it."""
        for redirect in cmd.redirects:
            fd = redirect.fd
            if fd is not None and fd.startswith("{") and fd.endswith("}") and fd[1:-1].isidentifier():
                number = next(str(n) for n in range(10, 10 + len(self.fds) + 1) if str(n) not in self.fds)
                self.env.assign(fd[1:-1], [number])
                fd = number
            if fd is None or not fd.isdigit() or fd == "0":
                continue
            if redirect.heredoc is not None or redirect.op in ("<<<", "<"):
                self.fds[fd] = self.redirect_input(redirect)
            elif redirect.op in ("<&", ">&", "<>", ">", ">>"):
                self.fds[fd] = None

    def shell_state(self, base: str, argv: Argv, cmd: SimpleCommand) -> None:
        """Builtins that change how later commands run: shopt, set --, hash -p, export -f."""
        args = argv[1:]
        if base in ("shopt", "unalias"):
            self._alias_state(base, args, cmd)
        elif base == "shift" and self.env.positional is not None and all(a is not None and a.isdigit() for a in args):
            n = int(args[0] or 0) if args else 1
            if n <= len(self.env.positional):  # more than $# fails and shifts nothing
                self.env.positional = self.env.positional[n:]
        elif base == "set" and args and args[0] is not None and (args[0] == "--" or args[0][:1] not in "-+"):
            self.env.positional = args[1:] if args[0] == "--" else args
        elif base == "hash":
            self.hash_builtin(args)
        elif base in DECLARE and any(a is not None and a.startswith("-") and "f" in a for a in args):
            self._export_functions(base, args)
        elif base == "let":
            for arg in args:  # let evaluates each argument: substitutions in a subscript run
                if arg is not None and ("$(" in arg or "`" in arg):
                    self._quiet_source(arg, ("let",))
        elif base == "env":
            for arg in args:
                if arg is not None and arg.startswith("BASH_FUNC_") and "=" in arg:
                    self._env_function(arg)

    def _alias_state(self, base: str, args: Argv, cmd: SimpleCommand) -> None:
        """``shopt -s/-u expand_aliases`` and ``unalias``: for the lines read after them."""
        if base == "shopt" and "-s" in args and "expand_aliases" in args:
            if not self.expand_aliases or self.aliases_on is not None:
                self.aliases_on = self._here(cmd)
            self.expand_aliases = True
        elif base == "shopt" and "-u" in args and "expand_aliases" in args:
            self.expand_aliases = False  # (a line read before it runs still expands: refused more)
        if base == "shopt" and "promptvars" in args:  # surely off (a shopt -u run for sure), or maybe on
            self.promptvars_off = ("-u" in args and self.sure) or (self.promptvars_off and "-s" not in args)
        elif base == "unalias":
            for name in args if "-a" not in args else list(self.shell_aliases):
                if name is not None and name in self.alias_defs:
                    self.alias_defs[name] = (*self.alias_defs[name][:4], self._here(cmd))

    def hash_builtin(self, args: Argv) -> None:
        """``hash -p PATH NAME`` remembers PATH for NAME; ``-d NAME``, ``hash NAME`` (looked up
        again) and ``-r`` (all) forget it; ``-t``/``-l`` only print (checked with bash 5.2)."""
        letters, target, i = "", None, 0
        operands: list[str] = []
        while i < len(args):
            arg = args[i]
            if arg is None:
                self.hash_changed(list(self.hashed), None)  # what it does is not known: forgotten or not
                for name in self.hashed:
                    self.maybe_hashed.add(name)
                return
            if arg.startswith("-") and len(arg) > 1 and not operands:
                letters += arg[1:]
                if arg.endswith("p"):
                    target, i = (args[i + 1] if i + 1 < len(args) else ""), i + 1
            else:
                operands.append(arg)
            i += 1
        if "t" in letters or "l" in letters or (not operands and "r" not in letters):
            return  # prints only
        if "r" in letters and "d" not in letters:
            self.hash_changed(list(self.hashed), None)
        elif "p" in letters and "d" not in letters:
            self.hash_changed(operands, target or "")
        else:
            self.hash_changed(operands, None)

    def hash_changed(self, names: list[str], target: str | None) -> None:
        """NAME now runs ``target`` (None: NAME is looked up on PATH again). Not surely made (a
        branch, a loop, a function), the earlier meaning may hold too."""
        for name in names:
            if self.sure_here:
                self.maybe_hashed.discard(name)
                if target is None:
                    self.hashed.pop(name, None)
                else:
                    self.hashed[name] = target
                continue
            if target is not None:
                old = self.hashed.get(name, target)
                self.hashed[name] = target if old == target else None  # one of two programs: not known
            self.maybe_hashed.add(name)

    def _env_function(self, arg: str) -> None:
        """``BASH_FUNC_NAME%%=() { ...; }``: a function a child bash imports from its environment
        (only that spelling, and a value starting ``() {``; checked with bash 5.2)."""
        key, _, value = arg.partition("=")
        name = key[10:-2] if key.endswith("%%") else ""
        if not name or not value.startswith("() {"):
            return
        try:
            script = parsed(f"{name} {value}")
        except ShellSyntaxError:
            return  # bash reports the definition and imports nothing
        items = script.body.items
        node = items[0].pipelines[0].commands[0] if len(items) == 1 and len(items[0].pipelines) == 1 else None
        if isinstance(node, FunctionDef) and node.name == name:
            self.pending_imports[name] = node

    def _export_functions(self, base: str, args: Argv) -> None:
        """``export -f NAME``, ``declare -fx NAME``: the functions reach any child bash (``declare -f``
        only prints them)."""
        if base == "export" or any(a is not None and a.startswith("-") and "x" in a for a in args):
            names = [a for a in args if a is None or not a.startswith("-")]
            if None in names or not names:
                self.dynamic = True
            self.exported.update(a for a in names if a is not None)

    def builtin_assignment(self, base: str, argv: Argv, cmd: SimpleCommand) -> None:
        """declare/export/local NAME=VALUE assign; read/mapfile/printf -v assign unknown text."""
        args = argv[1:]
        if base in DECLARE:
            for arg in args:
                if arg is not None and "=" in arg and not arg.startswith("-"):
                    name, _, value = arg.partition("=")
                    self.env.assign(name.rstrip("+"), [value])
                    self._prompt(name, [value], ("declare",))
            return
        names = [a for a in args if a is not None and a.isidentifier()]
        if base in ("read", "mapfile", "readarray"):
            self.read_input(base, args, names, cmd)
            for name in self.env.integers.intersection(names):  # read into a -i variable: evaluated
                for read in self.env.lookup(name) or []:
                    self.evaluate(read, (base, name))
            if base != "read" and "-C" in args:  # mapfile -C CALLBACK: evaluated with each line
                at = args.index("-C")
                callback = args[at + 1] if at + 1 < len(args) else None
                route = (f"{base} -C",)
                if callback is None:
                    self.dynamic_script(cmd, route, "its callback is not known")
                else:
                    self.source(f'{callback} 0 "$UNKNOWN"', route)
            return
        if base == "printf":
            if args[:1] != ["-v"] or len(args) < 3:
                return
            names = [args[1] or ""]
            out = argv_stdout(["printf", *args[2:]], self.files, None)
            self.env.assign(names[0], [out])
            return
        for name in names:
            self.env.assign(name, [None])
            self.var_raw[name] = self.var_raw.get(name, "") + " " + self._context_raw(cmd)

    def read_input(self, base: str, args: Argv, names: list[str], cmd: SimpleCommand) -> None:
        """read/mapfile: words of their own input when it is known (a here-string, a here-document,
        a file, a pipe from a known command), split as bash splits them (``IFS``, ``-d``, ``-r``);
        in a loop over a compound's input or a descriptor (``done < steps.txt``, ``-u 3``), a word of
        every line; otherwise unknown words that may come from anywhere in the command."""
        own = redirected_stdin(cmd, self.env, self.files) is not False or (cmd.pipeline is not None and cmd.index > 0)
        text = self.stdin_of(cmd) if own else None
        opts, names = _read_options(base, args)
        entry = self.inputs.get(id(cmd))
        shared = entry[1] if entry is not None and entry[0] is cmd else None
        if opts is not None and "u" in opts:  # opened earlier (exec 3<ops.txt) or on the loop (done 3<ops.txt)
            self.read_lines(base, opts, names, self.fd_text(opts["u"] or "", cmd, shared))
            return
        if opts is not None and shared is not None and not own:  # while read l; do ...; done < steps.txt
            self.read_lines(base, opts, names, self.stdin_of(shared))
            return
        if base != "read":
            names = names[-1:] or ["MAPFILE"]
            if text is not None and opts is not None:
                self.env.assign_array(names[0], _lines(text, opts))
                return
        else:
            names = [opts["a"] or ""] if opts is not None and "a" in opts else names or ["REPLY"]
            if text is not None and opts is not None:
                self._read_words(text, names, opts, cmd)
                return
        context = self._context_raw(cmd) if own else self.root_text
        for name in names:
            self.env.assign(name, [None])
            self.var_raw[name] = self.var_raw.get(name, "") + " " + context

    def fd_text(self, fd: str, cmd: SimpleCommand, shared: SimpleCommand | None) -> str | None:
        """What reading descriptor ``fd`` gives: the command's own ``3<f``, its compound's, or an
        ``exec 3<f`` earlier; None when not known."""
        for owner in (cmd, shared):
            for redirect in reversed(owner.redirects if owner is not None else []):
                if redirect.fd == fd:
                    fake = SimpleCommand(cmd.start)
                    fake.redirects = [redirect]
                    redirect_fd, redirect.fd = redirect.fd, None
                    given = redirected_stdin(fake, self.env, self.files)
                    redirect.fd = redirect_fd
                    return given if isinstance(given, str) else None
        return self.fds.get(fd)

    def read_lines(self, base: str, opts: dict[str, str | None], names: list[str], text: str | None) -> None:
        """A read in a loop over its compound's input or a descriptor: each name may hold a word
        of every line (mapfile: the lines)."""
        if base != "read":
            names = names[-1:] or ["MAPFILE"]
        else:
            names = [opts["a"] or ""] if "a" in opts else names or ["REPLY"]
        lines = text.splitlines() if text is not None else None
        for i, name in enumerate(names):
            if lines is None:
                values: list[str | None] = [None]
            elif base != "read" or i == len(names) - 1 or "a" in opts:
                values = [" ".join(line.split()[i:]) for line in lines] if base == "read" else list(lines)
            else:
                values = [(line.split()[i : i + 1] or [""])[0] for line in lines]
            self.env.assign(name, values or [""])
            self.var_raw[name] = self.var_raw.get(name, "") + " " + (text if text is not None else self.root_text)

    def _read_words(self, text: str, names: list[str], opts: dict[str, str | None], cmd: SimpleCommand) -> None:
        delim = opts.get("d", "\n")
        line = text.split(delim or "\0", 1)[0]
        if "r" not in opts:
            line = _unbackslash(line)
        ifs = self._read_ifs(cmd)
        if ifs is None:
            for name in names:
                self.env.assign(name, [None])
            return
        if "a" in opts:
            self.env.assign_array(names[0], list(ifs_split(line, ifs)))
            return
        fields = ifs_split(line, ifs, len(names)) if ifs else [line]
        for i, name in enumerate(names):
            self.env.assign(name, [fields[i] if i < len(fields) else ""])

    def _read_ifs(self, cmd: SimpleCommand) -> str | None:
        """The IFS ``read`` splits with: its own prefix ``IFS=...``, else the one in effect."""
        for word in reversed(cmd.assignments):
            first = word.parts[0] if word.parts else None
            if isinstance(first, Lit) and first.text.startswith("IFS="):
                rest = first.text[4:]
                values = value_of(Word(word.start, word.end, word.raw, [Lit(rest, False), *word.parts[1:]]), self.env)
                return values[0] if len(values) == 1 else None
        current = self.env.vars.get("IFS")
        if current is None:
            return " \t\n"
        return current[0] if len(current) == 1 else None

    def shell_definitions(
        self, argv: Argv, cmd: SimpleCommand, route: tuple[str, ...], depth: int, functions: bool
    ) -> bool:
        """Aliases, functions, ``command`` and ``unset`` as bash applies them; True when handled."""
        name = argv[0] or ""
        expanded = self._alias_in_effect(name, cmd) if depth == 0 else None
        if expanded is not None:
            # An alias read on a later line: bash runs its text (the name in it not expanded again);
            # the real name too when the alias may not be in effect.
            text, at, names = self.shell_aliases[name], 1, {name}
            while text[-1:] in (" ", "\t") and at < len(argv) and argv[at] not in names:
                # A value ending in a blank: the next word is checked for an alias too.
                more = self._alias_in_effect(argv[at] or "", cmd, at)
                if more is None:
                    break
                expanded, text, at = expanded and more, text + self.shell_aliases[argv[at] or ""], at + 1
                names.add(argv[at - 1] or "")
            rest = " ".join(a if a is not None else "$UNKNOWN" for a in argv[at:])
            self.alias_texts[self.sources + 1] = self.alias_texts.get(self._text_of(cmd), frozenset()) | names
            self.source(f"{text} {rest}", (*route, f"alias {name}"))
            if expanded:
                return True
        # A function comes before any builtin of its name (``command() { :; }; command git push``).
        if functions and name in self.functions and name not in self.calling and self._function_call(argv, cmd, route):
            return True
        if name == "command" and len(argv) > 1 and argv[1] is not None and not argv[1].startswith("-"):
            self.run(argv[1:], cmd, (*route, "command"), depth + 1, functions=False)
            return True
        if name == "unset":
            self._unset(argv[1:])
        return False

    def _function_call(self, argv: Argv, cmd: SimpleCommand, route: tuple[str, ...]) -> bool:
        """Follow a call of the function ``argv[0]``; True when its definition is surely in effect
        (else the builtin or program of that name may run instead)."""
        name = argv[0] or ""
        node, certain = self._definition_in_effect(name, cmd)
        others = [d[0] for d in self.definitions.get(name, []) if d[0] is not None and d[0] is not node]
        if others and _readonly_possible(self.root_text):
            # readonly -f NAME: a later definition (or unset) fails, an earlier one may stay.
            for other in others:
                self._call_node(name, other, argv, cmd, route)
            certain = False
        if node is None:
            return False  # defined only in subshells this call is outside of: the real program runs
        self._call_node(name, node, argv, cmd, route)
        # A definition in a branch whose outcome is unknown may not be in effect: the real one may run.
        return certain

    def _call_node(self, name: str, node: FunctionDef, argv: Argv, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        self.called.add(name)
        self.sites.append((self.text_ids[-1] if self.text_ids else 0, cmd))
        self.call_sure.append(self.sure_raw)
        self.inherited.append((self.stdin_of(cmd), False, self.inherited[-1][2]))  # f <<< TEXT: the body reads TEXT
        fds = self.passed_fds(cmd)  # f 3<<<TEXT: the body's <&3 reads TEXT
        try:
            self.call(name, argv[1:], (*route, f"function {name}"), node)
        finally:
            self.inherited.pop()
            self.sites.pop()
            self.call_sure.pop()
            self.fds = fds

    def _unset(self, args: Argv) -> None:
        """``unset NAME`` removes the variable NAME when one is set (the function stays), else the
        function; ``-v`` / ``-n`` never remove a function, ``-f`` only functions. Later calls of a
        removed function reach the real program."""
        flags = "".join((a or "?")[1:] for a in args if a is None or a.startswith("-"))
        if "IFS" in args and "f" not in flags:
            self.env.unset_ifs()  # the default splitting again
        for arg in args:
            if arg is None or arg.startswith("-"):
                continue
            if "f" not in flags:
                self._unset_variable(arg)
            variable = "f" not in flags and (arg in self.set_vars or flags in ("v", "n"))
            self.set_vars.discard(arg)
            if variable:
                continue
            if arg not in self.definitions or self.current_cmd is None:
                self.functions.pop(arg, None)
                continue
            # Where (and how surely) it is removed: a later definition is in effect again, a call
            # outside the subshell it ran in still finds the function (_definition_in_effect).
            # A variable of that name maybe set instead keeps the function.
            cmd = self.current_cmd
            text = self.text_ids[-1] if self.text_ids else 0
            site = next((c for t, c in [*self.sites, (text, cmd)] if t == text), cmd)
            certain = self.sure_here and ("f" in flags or arg not in self.env.vars)
            self.definitions[arg].append((None, self.scopes.get(id(site)), text, site.start, certain))

    def _unset_variable(self, arg: str) -> None:
        """``unset NAME`` / ``unset 'NAME[KEY]'``: the variable (or element) is gone when the
        unset surely runs; else its value is not known."""
        name, _, key = arg.partition("[")
        if not name.isidentifier() or name in self.env.refs:
            return
        surely = self._surely_made()
        if key:
            self.env.unset_element(name, key.rsplit("]", 1)[0], surely)
        elif surely:
            self.env.forget(name)
        elif name in self.env.vars or name in self.env.arrays:
            self.env.assign(name, [None])
            self.env.arrays[name] = [None]
            self.env.keyed[name] = None

    def _definition_in_effect(self, name: str, cmd: SimpleCommand) -> tuple[FunctionDef | None, bool]:
        """The latest definition of ``name`` in effect at ``cmd``: made before the call (``git push;
        git() { :; }`` runs git), and not in a subshell the call is outside of. A call from inside a
        function counts where that function was called; a definition in another text (eval, a
        sourced file) is taken as in effect. With it, whether it is certainly made (not in a branch
        whose outcome is unknown, nor in a loop or another function's body)."""
        defs = self.definitions.get(name)
        if not defs:
            return self.functions[name], name not in self.maybe_functions
        sites = [*self.sites, (self.text_ids[-1] if self.text_ids else 0, cmd)]
        made: list[tuple[FunctionDef | None, int, int, bool]] = []  # in effect here, latest made last
        for node, scope, text, start, certain in defs:
            owner = self.def_owner.get(id(node), "") if node is not None else ""
            if owner and owner not in self.called and not self.unknown_code:
                continue  # made by a function's body, and that function never ran
            # Where the call happens in the definition's text: the outermost call running there.
            site = next((c for t, c in sites if t == text), None)
            if site is None:  # defined in another text (eval, a sourced file)
                made.append((node, text, -1, certain and name not in self.maybe_functions))
            elif (scope is None or id(site) in scope) and start <= site.start:
                made.append((node, text, start, certain))
        return _latest(made)

    def _stdout(self, script: Script) -> str | None:
        """``command -v NAME`` of a function in effect prints its name (the word then runs the
        function again); one that may not be in effect prints what is not known."""
        argv = single_argv(script)
        name = argv[2] if argv is not None and len(argv) == 3 and argv[:2] == ["command", "-v"] else ""
        if name in self.functions and self.current_cmd is not None and name not in self.calling:
            node, certain = self._definition_in_effect(name, self.current_cmd)
            if node is not None:
                return name + "\n" if certain else None
        return super()._stdout(script)

    def _text_of(self, cmd: SimpleCommand) -> int:
        return self.units.get(cmd, (self.text_ids[-1] if self.text_ids else 0, 0))[0]

    def _read_after(self, where: tuple[int, int, int, bool], cmd: SimpleCommand) -> bool:
        """Whether ``cmd`` was read after what happened at ``where`` (text, unit, texts read by
        then): a later unit of the same text, or a text read later."""
        text, unit = self.units.get(cmd, (0, -1))
        return (text == where[0] and unit > where[1]) or (text != where[0] and text > where[2])

    def _alias_in_effect(self, name: str, cmd: SimpleCommand, at: int = 0) -> bool | None:
        """Whether bash expands ``name`` (word ``at`` of ``cmd``) as an alias: True surely, False
        maybe, None not.
        With ``expand_aliases`` on, an unquoted command name is expanded when it was read after
        the alias was defined: a later input unit (a line is read whole before it runs:
        ``alias git="git push"; git status`` runs status), or a text read later (eval); a
        function's body is read where it is written."""
        where = self.alias_defs.get(name)
        if where is None or name not in self.shell_aliases or not self.expand_aliases:
            return None
        if len(cmd.words) <= at or cmd.words[at].raw != name or not self._read_after(where[:4], cmd):
            return None
        if name in self.alias_texts.get(self._text_of(cmd), frozenset()):
            return None  # the alias's own text: its name is not expanded again
        on = self.aliases_on
        if on is not None and not self._read_after(on, cmd):
            return None
        gone = where[4]
        if gone is not None and self._read_after(gone, cmd) and gone[3]:
            return None  # unalias ran before this was read
        if "BASH_ALIASES" in self.root_text:
            return False  # the table may be changed in ways not followed
        return where[3] and (on is None or on[3]) and (gone is None or not self._read_after(gone, cmd))

    def alias_builtin(self, argv: Argv, route: tuple[str, ...], cmd: SimpleCommand | None = None) -> None:
        for arg in argv[1:]:
            if arg is None:
                self.flag("unresolved", None, (*route, "alias"), "an alias with unknown text")
                continue
            name, eq, value = arg.partition("=")
            if eq:
                self.shell_aliases[name] = value  # run only where bash expands it (shell_definitions)
                self.alias_defs[name] = (*self._here(cmd), None)

    def _here(self, cmd: SimpleCommand | None) -> tuple[int, int, int, bool]:
        """Where a command runs, for what it changes in the commands read after it (aliases)."""
        text, unit = self.units.get(cmd, (self.sources, 1 << 30)) if cmd is not None else (self.sources, 1 << 30)
        return text, unit, self.sources, self.sure_here


def _latest(made: list[tuple[FunctionDef | None, int, int, bool]]) -> tuple[FunctionDef | None, bool]:
    """The definition in effect after ``made`` (definitions, and ``unset -f`` as None), latest
    made last: a definition written after an unset in the same text was made after it (the
    definitions of a text are all listed before it runs). An unset that may not have run leaves
    the earlier definition maybe in effect."""
    surely = True
    for at in range(len(made) - 1, -1, -1):
        node, text, start, certain = made[at]
        if node is not None:
            return node, certain and surely
        after = [m for m in made[:at] if m[0] is not None and m[1] == text and m[2] > start]
        if after:
            return after[-1][0], after[-1][3] and surely
        if certain:
            return None, False
        surely = False
    return None, False


# read's and mapfile's options that take a value (the rest are flags).
_READ_VALUES = {"read": "adinNptu", "mapfile": "dnOsuCc", "readarray": "dnOsuCc"}


def _read_options(base: str, args: Argv) -> tuple[dict[str, str | None] | None, list[str]]:
    """Options (letter -> value, "" for a flag) and names of read/mapfile; None when an option is
    not known, or one that changes what is read in a way not followed (-n, -N, -C callbacks)."""
    values = _READ_VALUES["mapfile" if base != "read" else "read"]
    opts: dict[str, str | None] = {}
    names: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg is None:
            return None, names
        if arg == "--":
            names += [a for a in args[i + 1 :] if a is not None]
            break
        if arg.startswith("-") and len(arg) > 1 and not names:
            for pos in range(1, len(arg)):
                letter = arg[pos]
                if letter in values:
                    value = arg[pos + 1 :] or (args[i + 1] if i + 1 < len(args) else "")
                    i += 0 if arg[pos + 1 :] else 1
                    opts[letter] = value
                    break
                opts[letter] = ""
        else:
            names.append(arg)
        i += 1
    unfollowed = ("n", "N") if base == "read" else ("n", "s", "O", "C", "c")
    if any(k in opts for k in unfollowed) or any(not n.isidentifier() for n in names):
        return None, names
    return opts, names


def _lines(text: str, opts: dict[str, str | None]) -> list[str | None]:
    """mapfile's elements: each line (``-d`` delimiter), its delimiter kept unless ``-t``."""
    delim = opts.get("d", "\n") or "\0"
    pieces = text.split(delim)
    items = [p if "t" in opts else p + delim for p in pieces[:-1]]
    if pieces[-1]:
        items.append(pieces[-1])
    return list(items)


def _unbackslash(line: str) -> str:
    """read without -r: a backslash quotes the next character."""
    out, i = [], 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line):
            out.append(line[i + 1])
            i += 2
            continue
        out.append(line[i])
        i += 1
    return "".join(out)


def _readonly_possible(text: str) -> bool:
    """Whether a variable may be made readonly (``readonly``, ``declare -r``...): assigning or
    unsetting it then fails, and it keeps its value."""
    if "readonly" in text:
        return True
    words = text.replace(";", " ").replace("&", " ").replace("|", " ").split()
    return any(w in DECLARE and n[:1] == "-" and "r" in n for w, n in itertools.pairwise(words))


def _allexport(text: str) -> bool:
    """Whether ``set -a`` (``set -o allexport``) may be on: every variable assigned is exported."""
    if "allexport" in text:
        return True
    words = text.replace(";", " ").replace("&", " ").replace("|", " ").split()
    return any(w == "set" and n[:1] in "-+" and "a" in n for w, n in itertools.pairwise(words))


def _may_trace(text: str) -> bool:
    """Whether text may turn xtrace on: ``set -x``, ``bash -x``, ``set -o xtrace``, SHELLOPTS, or
    ``set`` given options from a variable."""
    if "xtrace" in text or "SHELLOPTS" in text:
        return True
    words = text.replace(";", " ").replace("&", " ").replace("|", " ").replace("(", " ").split()
    for i, word in enumerate(words):
        if word[:1] in "-+" and "x" in word and word[1:].isalpha():
            return True
        if word == "set" and any("$" in w for w in words[i + 1 : i + 3]):
            return True
    return False
