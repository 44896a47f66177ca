"""Shell builtins that change what later commands run: assignments, aliases, functions, read, hash."""

from __future__ import annotations

from integration_engineer.bash.expand import Argv, ifs_split, value_of
from integration_engineer.bash.lexer import ArrayLit, Lit, Word
from integration_engineer.bash.output import argv_stdout, redirected_stdin
from integration_engineer.bash.parser import FunctionDef, SimpleCommand
from integration_engineer.bash.triggers import git_like
from integration_engineer.git_guard.search_path import SearchPath

DECLARE = frozenset({"declare", "typeset", "export", "local", "readonly"})
READERS = frozenset({"read", "mapfile", "readarray", "printf", "getopts"})
# Environment variables whose value a program runs as a command line.
# (Git's own variables, GIT_EDITOR, GIT_SSH_COMMAND..., are read where a git verb uses them:
# git_settings; these are read by other programs too, so a value is followed where it is set,
# unless the assignment is a prefix of a git command.)
_COMMAND_VARS = frozenset({"PAGER", "EDITOR", "VISUAL", "SSH_ASKPASS", "PROMPT_COMMAND"})
# Text showing that bash evaluates a variable's value again: arithmetic, ${x@P}, integer variables.
_EVALUATING = ("((", "$[", "let ", "@P", "-i ", "[[", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "[$")


class ShellBuiltins(SearchPath):
    """Assignments, aliases, functions and the builtins that change how later commands run."""

    def assignment(
        self, word: Word, route: tuple[str, ...], deferred: bool = False, alone: bool = False, shell: bool = False
    ) -> None:
        """``NAME=VALUE``: ``deferred`` as a prefix of git (git reads its own variables), ``alone``
        with no command, ``shell`` as a prefix of a shell (which runs PROMPT_COMMAND only if it
        prompts: analysis.follow_shell)."""
        first = word.parts[0]
        assert isinstance(first, Lit)
        target, _, rest = first.text.partition("=")
        name, _, key = target.rstrip("+").partition("[")
        parts = [Lit(rest, False), *word.parts[1:]] if rest else word.parts[1:]
        values: list[str | None] = []
        if parts and isinstance(parts[0], ArrayLit):
            items = [f for fields in self._expand(parts[0].words)[:1] for f in fields]
            self.env.assign_array(name, items, append=target.endswith("+"))
            values = items
        elif key:  # name[key]=value: one element
            values = value_of(Word(word.start, word.end, word.raw, parts), self.env)
            self.env.set_element(name, key.rsplit("]", 1)[0], values)
        else:
            values = value_of(Word(word.start, word.end, word.raw, parts), self.env)
            self.env.assign(name, values)
        self.var_raw[name] = self.var_raw.get(name, "") + " " + word.raw
        if name == "BASH_CMDS" and "[" in first.text.split("=", 1)[0]:
            key = first.text.split("[", 1)[1].split("]", 1)[0]
            self.hashed[key] = values[0] if len(values) == 1 else None
        elif name == "BASH_CMDS" and parts and isinstance(parts[0], ArrayLit):
            for item in values:  # BASH_CMDS=([ls]=/usr/bin/git ...)
                if item is not None and item.startswith("[") and "]=" in item:
                    self.hashed[item[1:].split("]=", 1)[0]] = item.split("]=", 1)[1]
                elif git_like(self.root_text):
                    self.flag("unresolved", None, route, "BASH_CMDS is given names that are not known")
        if any(m in self.root_text for m in _EVALUATING):
            # A value bash evaluates again (arithmetic, ${x@P}) runs the substitutions in it.
            for value in values:
                if value and ("$(" in value or "`" in value):
                    here = (*route, f"{name}=... evaluated (arithmetic or prompt expansion)")
                    self._quiet_source(_expanded(value), here)
        self._prompt(name, values, route)
        if name == "PROMPT_COMMAND" and alone and self.sure and not self.interactive and not deferred:
            self._prompt_command(values, (*route, f"{name}=..."))
        elif name in _COMMAND_VARS and not deferred and not (shell and name == "PROMPT_COMMAND"):
            for value in values:
                if value and (git_like(value) or self._mentions_verb(value)):
                    self.source(value, (*route, f"{name}=..."))

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
        """``exec 3<<<TEXT``, ``exec 3< FILE``: what a later ``<&3`` reads."""
        for redirect in cmd.redirects:
            if redirect.fd is None or not redirect.fd.isdigit() or redirect.fd == "0":
                continue
            if redirect.heredoc is not None or redirect.op in ("<<<", "<"):
                fake = SimpleCommand(cmd.start)
                fake.redirects = [redirect]
                redirect_fd, redirect.fd = redirect.fd, None
                given = redirected_stdin(fake, self.env, self.files)
                redirect.fd = redirect_fd
                self.fds[redirect_fd] = given if isinstance(given, str) else None
            elif redirect.op in ("<&", ">&", "<>", ">", ">>"):
                self.fds[redirect.fd] = None

    def shell_state(self, base: str, argv: Argv, cmd: SimpleCommand) -> None:
        """Builtins that change how later commands run: shopt, set --, hash -p, export -f."""
        args = argv[1:]
        if base == "shopt" and "-s" in args and "expand_aliases" in args:
            self.expand_aliases = True
        elif base == "shift" and self.env.positional is not None and all(a is not None and a.isdigit() for a in args):
            n = int(args[0] or 0) if args else 1
            if n <= len(self.env.positional):  # more than $# fails and shifts nothing
                self.env.positional = self.env.positional[n:]
        elif base == "set" and args and args[0] is not None and (args[0] == "--" or args[0][:1] not in "-+"):
            self.env.positional = args[1:] if args[0] == "--" else args
        elif base == "hash" and "-r" in args:
            self.hashed.clear()  # the table emptied: names are looked up on PATH again
        elif base == "hash" and "-p" in args and args.index("-p") + 1 < len(args):
            at = args.index("-p")
            for name in args[at + 2 :]:
                if name is not None:
                    self.hashed[name] = args[at + 1]
        elif base in DECLARE and any(a is not None and a.startswith("-") and "f" in a for a in args):
            self._export_functions(base, args)
        elif base == "let":
            for arg in args:  # let evaluates each argument: substitutions in a subscript run
                if arg is not None and ("$(" in arg or "`" in arg):
                    self._quiet_source(arg, ("let",))
        elif base == "env":
            for arg in args:
                if arg is not None and arg.startswith("BASH_FUNC_") and "=" in arg:
                    # A function a child bash imports from its environment.
                    name, _, body = arg.partition("=")
                    self._quiet_source(f"{name[10:].rstrip('%')} {body}", ("env BASH_FUNC_",))
                    self.exported.add(name[10:].rstrip("%"))

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
        if name in self.shell_aliases and depth == 0 and self._alias_in_effect(name, cmd):
            # An alias expands on a later line: follow its text, and the real name too (a child bash
            # of the command has expand_aliases off).
            rest = " ".join(a if a is not None else "$UNKNOWN" for a in argv[1:])
            self.source(f"{self.shell_aliases[name]} {rest}", (*route, f"alias {name}"))
        if name == "command" and len(argv) > 1 and argv[1] is not None and not argv[1].startswith("-"):
            self.run(argv[1:], cmd, (*route, "command"), depth + 1, functions=False)
            return True
        if name == "unset":
            self._unset(argv[1:])
        if functions and name in self.functions and name not in self.calling:
            node, certain = self._definition_in_effect(name, cmd)
            if node is None:
                return False  # defined only in subshells this call is outside of: the real program runs
            self.called.add(name)
            self.sites.append((self.text_ids[-1] if self.text_ids else 0, cmd))
            try:
                self.call(name, argv[1:], (*route, f"function {name}"), node)
            finally:
                self.sites.pop()
            # A definition in a branch whose outcome is unknown may not be in effect: the real one may run.
            return certain
        return False

    def _unset(self, args: Argv) -> None:
        """``unset NAME`` removes the variable NAME when one is set (the function stays), else the
        function; ``-v`` / ``-n`` never remove a function, ``-f`` only functions. Later calls of a
        removed function reach the real program."""
        flags = "".join((a or "?")[1:] for a in args if a is None or a.startswith("-"))
        for arg in args:
            if arg is None or arg.startswith("-"):
                continue
            variable = "f" not in flags and (arg in self.set_vars or flags in ("v", "n"))
            self.set_vars.discard(arg)
            if not variable:
                self.functions.pop(arg, None)

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
        for node, scope, text, start, certain in reversed(defs):
            # Where the call happens in the definition's text: the outermost call running there.
            site = next((c for t, c in sites if t == text), None)
            if site is None:
                return node, name not in self.maybe_functions  # defined in another text (eval, a sourced file)
            if (scope is None or id(site) in scope) and start <= site.start:
                return node, certain
        return None, False

    def _line(self, cmd: SimpleCommand) -> int:
        return self.texts[-1][: cmd.start].count("\n") if self.texts else 0

    def _alias_in_effect(self, name: str, cmd: SimpleCommand) -> bool:
        """With ``expand_aliases`` on, bash expands an alias on the lines read after its definition
        only (a line is read whole before it runs: ``alias git="git push"; git status`` runs status)."""
        where = self.alias_lines.get(name)
        here = self.text_ids[-1] if self.text_ids else 0
        later = where is not None and (where[0] != here or self._line(cmd) > where[1])
        return self.expand_aliases and later

    def alias_builtin(self, argv: Argv, route: tuple[str, ...], cmd: SimpleCommand | None = None) -> None:
        for arg in argv[1:]:
            if arg is None:
                self.flag("unresolved", None, (*route, "alias"), "an alias with unknown text")
                continue
            name, eq, value = arg.partition("=")
            if eq:
                self.shell_aliases[name] = value  # run only where bash expands it (shell_definitions)
                here = self.text_ids[-1] if self.text_ids else 0
                self.alias_lines[name] = (here, self._line(cmd) if cmd is not None else 0)


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


def _expanded(value: str) -> str:
    """A text whose analysis runs what expanding ``value`` runs, and only that: its substitutions
    (as prompt expansion and arithmetic do), not the value as a command (``${p@P}`` only prints)."""
    end = "IE_EXPANDED"
    while end in value:
        end += "_"
    return f": <<{end}\n{value}\n{end}\n"


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
