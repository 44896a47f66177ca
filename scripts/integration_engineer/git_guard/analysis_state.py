"""What one analysis knows as it goes, and how it reports: findings, notes, the files the command
writes, its standard input, scripts whose text cannot be known."""

from __future__ import annotations

import os

from integration_engineer.bash import code as code_text
from integration_engineer.bash import script_files
from integration_engineer.bash.expand import PSUB, Argv, Env, Field, expand_argv, value_of
from integration_engineer.bash.lexer import Param, Word
from integration_engineer.bash.output import argv_stdout, redirected_stdin, script_stdout, stdout_elsewhere
from integration_engineer.bash.parser import FunctionDef, Redirect, Script, SimpleCommand
from integration_engineer.bash.resolve import Step, basename
from integration_engineer.bash.triggers import git_like
from integration_engineer.git_guard.findings import GitFinding
from integration_engineer.git_guard.known_files import KnownFiles, names_file, norm

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same


MAX_DEPTH = 16


class AnalysisState:
    """The state shared along one analysis (see analysis.Analyzer)."""

    if TYPE_CHECKING:
        # The walk's entry points, defined by the classes built on this one (analysis.Analyzer,
        # interpreters.Interpreters).
        def source(self, text: str, route: tuple[str, ...], positional: list[str | None] | None = None) -> None: ...
        def run(
            self,
            argv: Argv,
            cmd: SimpleCommand,
            route: tuple[str, ...],
            depth: int,
            functions: bool = True,
            arg0: list[Field] | None = None,
        ) -> None: ...
        def call(
            self, name: str, args: list[str | None] | None, route: tuple[str, ...], node: FunctionDef | None = None
        ) -> None: ...
        def code(self, step: Step, cmd: SimpleCommand, route: tuple[str, ...]) -> None: ...
        def bash_children(self, cmd: SimpleCommand, route: tuple[str, ...], why: str) -> None: ...

    def __init__(self, cwd: str, forbidden: frozenset[str]) -> None:
        self.cwd = cwd
        self.forbidden = forbidden
        self.files = KnownFiles(self._on_disk, lambda: self.root_text)
        self.env = Env(stdout=self._stdout)
        self.env.absent = script_files.inherited_unset
        # $PWD is the command's directory (HOME=$PWD bash -i reads ./.bashrc); a cd adds an unknown
        # one and its target (analysis.run).
        self.env.vars["PWD"] = [cwd or os.getcwd()]
        self.functions: dict[str, FunctionDef] = {}
        # Functions that may not be in effect where called (defined in a subshell or a branch).
        self.maybe_functions: set[str] = set()
        # name -> (definition, the subshell's commands or None, the text it is in, where it starts,
        # certainly made); a definition None is an ``unset -f NAME`` run there.
        self.definitions: dict[str, list[tuple[FunctionDef | None, frozenset[int] | None, int, int, bool]]] = {}
        self.scopes: dict[int, frozenset[int] | None] = {}  # id of a command -> the subshell it is in
        self.checked: set[int] = set()  # ids of the commands whose status is tested (Resolved.checked)
        self.sites: list[tuple[int, SimpleCommand]] = []  # the calls of the functions running (text, call)
        self.exported: set[str] = set()  # export -f NAME: functions a child bash sees
        # env BASH_FUNC_NAME%%=...: the functions the program env runs gets in its environment;
        # those in the current shell's environment (passed on by a shell that does not import them),
        # and whether the current shell imports functions (True, False, None: not known).
        self.pending_imports: dict[str, FunctionDef] = {}
        self.environ_functions: dict[str, FunctionDef] = {}
        self.imports_functions: bool | None = True
        self.calling: list[str] = []
        self.called: set[str] = set()
        self.shell_aliases: dict[str, str] = {}
        # alias -> where it was defined: the text, its input unit (commands.read_units), how many
        # texts were read by then, whether the definition is surely made; and where unalias
        # removed it (the same four), if it did.
        self.alias_defs: dict[str, tuple[int, int, int, bool, tuple[int, int, int, bool] | None]] = {}
        self.units: dict[SimpleCommand, tuple[int, int]] = {}  # command -> (its text, its input unit)
        self.alias_texts: dict[int, frozenset[str]] = {}  # text read from an alias -> names not expanded in it
        # Where ``shopt -s expand_aliases`` turned expansion on (None: on from the start), and
        # whether it surely ran.
        self.aliases_on: tuple[int, int, int, bool] | None = None
        self.shell_depth = 1  # the depth of the current shell's own text (aliases: its top level)
        # Whether the command being followed runs whenever its walk does (Resolved.sure), and
        # the same for each function call it is in: an assignment there is surely made.
        self.sure_raw = False
        self.call_sure: list[bool] = []
        self.subshells: list[tuple[frozenset[int], object]] = []  # entered: (its commands, Env.snapshot before)
        self.exited = False  # an ``exit`` surely run in the command's own shell: nothing after it runs
        self.def_owner: dict[int, str] = {}  # id of a definition made in a function's body -> that function
        # Per function call running: the names it made local -> (their values before, surely local).
        self.local_frames: list[dict[str, tuple[tuple[object, ...], bool]]] = []
        self.sure_here = False  # the command being followed runs whenever its shell's text does
        self.current_cmd: SimpleCommand | None = None  # the command whose words are being expanded
        self.texts: list[str] = []  # the command strings being analysed, outermost first
        self.text_ids: list[int] = []  # a number per string analysed (texts), outermost first
        self.sources = 0
        self.git_aliases: dict[str, str] = {}
        self.git_config_set: dict[str, str | None] = {}  # git config KEY VALUE earlier in the command
        self.repo_aliases: dict[str, dict[str, str] | None] = {}
        self.var_raw: dict[str, str] = {}
        self.findings: list[GitFinding] = []
        self.notes: list[str] = []
        self.depth = 0
        self.root_text = ""
        self.cd_dirs: list[str] = []  # directories a cd in the command may have moved to
        # A cd (pushd, popd) ran somewhere before: a relative path may name another directory's file.
        self.moved = False
        self.cd_unknown = False  # a cd to a directory not known statically may have run
        # The Bash tool's shell expands aliases (its snapshot turns expand_aliases on, and so does the
        # sandbox's runner): an alias applies on the lines after its definition.
        self.expand_aliases = True
        self.interactive = False  # the shell running the text is interactive (bash -i): set -n is ignored
        self.maybe_assoc: set[str] = set()  # declared -A where that may not run (a branch, a subshell)
        self.promptvars_off = False  # shopt -u promptvars surely ran: ${p@P} expands no substitution
        self.dynamic = False  # a program or script that cannot be known runs somewhere
        self.hashed: dict[str, str | None] = {}  # hash -p PATH NAME, BASH_CMDS[NAME]=PATH
        self.maybe_hashed: set[str] = set()  # names whose program may also be the one on PATH
        self.by_program = False  # the next argv followed is run by a program (env...), not by bash
        self.links: dict[str, tuple[str | None, str]] = {}  # ln/cp TARGET LINK: (target, raw text)
        self.exec_paths: list[str] = []  # git --exec-path=DIR
        self.fds: dict[str, str | None] = {}  # exec N<<<TEXT: what reading fd N gives
        self.unknown_writes = False  # a file was written at a path not known statically
        # The stdin the text being analysed inherits (bash -c, a script, a function body: that of
        # the command running it), innermost last; True: the text is itself read from that stdin
        # (``bash < f``), so a command in it reads the rest after its line; then, for an unknown
        # stdin, the text it may come from (what awk prints: its program and input).
        self.inherited: list[tuple[str | None, bool, str]] = [("", False, "")]
        self.loaded: set[str] = set()  # modules and start-up files already analysed
        self.importers: list[str] = []  # the code importing the module being read, outermost first
        self.called_by_name = False  # reading code whose functions a framework calls (pytest's conftest)
        self.hooks: tuple[str, ...] | None = None  # or only its hooks (a pytest run that runs no test)
        # Python read with function bodies left out: (their names, the whole text, how it was run).
        self.pruned: list[tuple[frozenset[str], str, Step]] = []
        self.compiled: dict[str, str | None] = {}  # program compiled in the command -> its source
        # a command in a compound -> (itself, a stand-in with the compound's input: scripts.compound_inputs)
        self.inputs: dict[int, tuple[SimpleCommand, SimpleCommand]] = {}
        # PATH / GIT_EXEC_PATH as the command sets them (search_path): possible values, those of
        # the prefix assignments of the commands running, innermost last.
        self.search: dict[str, list[str | None]] = {}
        self.prefix_search: list[dict[str, list[str | None]]] = []
        self.top_level: frozenset[int] = frozenset()  # commands of the command line that surely run
        self.disabled: set[str] = set()  # enable -n NAME: builtins turned off
        self.executable: set[str] = set()  # chmod +x PATH earlier in the command
        self.redirected: set[str] = set()  # files written by > or tee: created without execute bits
        self.exec_dir: str | None = None  # git --exec-path, asked once
        # Traps: EXIT / USR1 / USR2 actions set at the top level, not yet followed (git_guard/traps),
        # with when they were set (``ran``: commands that could end the shell or send a signal).
        self.traps: dict[str, tuple[str, tuple[str, ...], int]] = {}
        self.ran = 0
        self.may_fail = 0  # commands that may fail (an ERR trap fires)
        self.signalling = 0  # commands that may send a signal (a USR1 trap fires: traps)
        self.returning = False  # a file may be sourced (a RETURN trap fires: traps)
        self.sure = False  # the command being followed runs whenever the whole command does
        self.set_vars: set[str] = set()  # variables surely set by now (``unset NAME`` removes them, not a function)
        self.unknown_code = False  # a program or script that cannot be known runs somewhere
        # What ``env`` surely gives the program it runs (``-u NAME``: "", ``NAME=VALUE``), for the
        # simple command it is a word of: (that command, name -> value).
        self.env_given: tuple[SimpleCommand | None, dict[str, str]] = (None, {})

    def certain_environ(self, cmd: SimpleCommand) -> dict[str, str]:
        """The variables the program ``cmd`` runs surely finds in its environment, each with its
        one value ("" when removed): its ``NAME=VALUE`` prefixes, then what an ``env`` among its
        words sets or removes (``env -u NAME``). Others come from an environment not known here:
        the hook's is not the Bash tool's."""
        found: dict[str, str] = {}
        for word in cmd.assignments:
            name = (word.value or "").partition("=")[0].rstrip("+")
            values = self.env.lookup(name) if name.isidentifier() else None
            if values and len(set(values)) == 1 and values[0] is not None:
                found[name] = values[0]
        if self.env_given[0] is cmd:
            found.update(self.env_given[1])
        return found

    def flag(self, kind: str, verb: str | None, route: tuple[str, ...], detail: str = "") -> None:
        self.findings.append(GitFinding(kind, verb, route, detail))

    def note(self, text: str) -> None:
        if len(self.notes) < 50:
            self.notes.append(text)

    def _mentions_verb(self, text: str) -> bool:
        return bool(code_text.words(text) & self.forbidden)

    def _expand(self, words: list[Word]) -> list[Argv]:
        return expand_argv(words, self.env)

    def redirect_input(self, redirect: Redirect) -> str | None:
        """What reading a redirection gives (``<<<TEXT``, a here-document, ``< f``, ``< <(...)``,
        ``<&N`` of a descriptor opened earlier); None when not known."""
        if redirect.op == "<&":
            values = value_of(redirect.target, self.env)  # <&3, <&$fd
            return self.fds.get(values[0] or "") if len(values) == 1 else None
        if redirect.op == "<" and redirect.target.value is None:
            values = value_of(redirect.target, self.env)  # < <(...): the substitution's output
            if len(values) == 1 and values[0] is not None and values[0].startswith(PSUB):
                return self._stdout(self.env.psubs[int(values[0][len(PSUB) :])].script)
        fake = SimpleCommand(redirect.start)
        fake.redirects = [Redirect(redirect.op, redirect.target, None, redirect.start, redirect.end, redirect.heredoc)]
        given = redirected_stdin(fake, self.env, self.files)
        return given if isinstance(given, str) else None

    def stdin_of(self, cmd: SimpleCommand) -> str | None:
        last = next((r for r in reversed(cmd.redirects) if r.fd in (None, "0") and r.op.startswith("<")), None)
        if last is not None and (last.op == "<&" or (last.op == "<" and last.target.value is None)):
            return self.redirect_input(last)
        given = redirected_stdin(cmd, self.env, self.files)
        if given is not False:
            return given if isinstance(given, str) else None
        if cmd.pipeline is not None and cmd.index > 0:
            before = cmd.pipeline.commands[cmd.index - 1]
            return self.command_output(before) if isinstance(before, SimpleCommand) else None
        entry = self.inputs.get(id(cmd))
        if entry is not None and entry[0] is cmd:  # { ...; } < f, while ...; done <<< TEXT
            return self.stdin_of(entry[1])
        return self.inherited_stdin(cmd)

    def command_output(self, cmd: SimpleCommand) -> str | None:
        """What a command of a pipeline prints when that is known (``bash.output``), reading the
        stdin ``stdin_of`` gives it (a descriptor, the command before it, the shell's)."""
        sent = stdout_elsewhere(cmd, self.env)
        if sent is not False:
            return "" if sent else None
        if not cmd.words and not cmd.assignments and [r.op for r in cmd.redirects] == ["<"]:
            return self.stdin_of(cmd)
        argvs = self._expand(cmd.words)
        return argv_stdout(argvs[0], self.files, self.stdin_of(cmd)) if len(argvs) == 1 else None

    def passed_fds(self, cmd: SimpleCommand) -> dict[str, str | None]:
        """Open the descriptors the command gives the program it runs (``bash -c '...' 3<<<TEXT``,
        ``f 3<f``): what reading them gives, for the texts it runs; returns those before."""
        saved = dict(self.fds)
        for redirect in cmd.redirects:
            if redirect.fd is not None and redirect.fd.isdigit() and redirect.fd not in ("0", "1", "2"):
                reads = redirect.heredoc is not None or redirect.op in ("<<<", "<", "<&")
                self.fds[redirect.fd] = self.redirect_input(redirect) if reads else None
        return saved

    def inherited_stdin(self, cmd: SimpleCommand) -> str | None:
        """The stdin a command with none of its own reads: that of the shell running its text;
        for a script read from stdin, the rest of it after the command's line."""
        data, own, _ = self.inherited[-1]
        if not own or data is None:
            return data
        text = self.texts[-1] if self.texts else ""
        if text != data:
            return data
        end = text.find("\n", cmd.end)
        return "" if end < 0 else text[end + 1 :]

    def _stdout(self, script: Script) -> str | None:
        argv = single_argv(script)
        if argv == ["git", "--exec-path"]:
            return self.git_exec_dir() + "\n"
        if argv == ["pwd"] and not self.cd_dirs:
            return (self.cwd or os.getcwd()) + "\n"
        return script_stdout(script, self.env, self.files)

    def git_exec_dir(self) -> str:
        """What ``git --exec-path`` prints (git's own programs: ``git-status`` is ``git status``)."""
        if self.exec_dir is None:
            from integration_engineer.repository import git_runner

            script_files.unrecordable("git was asked for its exec path")
            code, out = git_runner.run(self.cwd or os.getcwd(), ("--exec-path",), timeout=3)
            self.exec_dir = out.strip() if code == 0 and out.strip() else "/usr/lib/git-core"
        return self.exec_dir

    def record_writes(self, cmd: SimpleCommand) -> None:
        """Files this command writes, with their content when it is known (echo > f, cat <<EOF)."""
        argvs = self._expand(cmd.words) if cmd.words else [[]]
        argv: Argv = argvs[0] if len(argvs) == 1 else [None]
        program = basename(argv[0]) if argv and argv[0] is not None else ""
        self._redirect_writes(cmd, argv)
        if program == "tee":
            stdin = self.stdin_of(cmd)
            append = any(
                a is not None and (a == "--append" or (a[:2] != "--" and a[:1] == "-" and "a" in a)) for a in argv
            )
            for path in argv[1:]:
                if path is not None and not path.startswith("-"):
                    self._write(path, stdin, append)
        if program == "chmod" and len(argv) > 2 and _makes_executable(argv[1]):
            self.executable.update(norm(a) for a in argv[2:] if a is not None and not a.startswith("-"))
        if len(argv) == 3 and argv[0] in ("cp", "mv") and argv[2] is not None:
            self._write(argv[2], self.files.get(norm(argv[1] or "")), False)
            self.redirected.discard(norm(argv[2]))
        elif program != "tee" and not _reads_only(argv):
            # A program not followed may write the known files it names (sed -i, dd of=, ln -sf,
            # python -c "open('f', 'w')..."): their text is no longer known. Copiers write their
            # last operand only.
            named = cmd.words[-1:] if program in _COPIERS else cmd.words
            self.files.forget(self.files.named_in(" ".join(w.raw for w in named)))
        if argv and argv[0] in ("ln", "cp", "install"):
            self._record_link(argv, cmd)

    def _redirect_writes(self, cmd: SimpleCommand, argv: Argv) -> None:
        """``> f``, ``>> f``, ``&> f``: f holds what the command prints (its stdin read only then)."""
        for redirect in cmd.redirects:
            if redirect.op not in (">", ">>", ">|", "&>", "&>>") or redirect.fd not in (None, "1"):
                continue
            values = value_of(redirect.target, self.env)
            path = values[0] if len(values) == 1 else None
            self.unknown_writes = self.unknown_writes or path is None  # "$HOME/.bashrc": may be a start-up file
            if path is None:
                self.files.forget(list(self.files))  # a path not known may be any known file
                continue
            out = argv_stdout(argv, self.files, self.stdin_of(cmd)) if argv else ""
            self._write(path, out, redirect.op.endswith(">>"))

    def _record_link(self, argv: Argv, cmd: SimpleCommand) -> None:
        """``ln``/``cp``/``install TARGET LINK``: what LINK names from here on (search_path)."""
        valued = ("-m", "-o", "-g", "-S") if argv[0] == "install" else ()  # options taking a value
        operands = [a for i, a in enumerate(argv[1:]) if (a is None or not a.startswith("-")) and argv[i] not in valued]
        link = operands[1] if len(operands) == 2 else None
        if link is not None:
            target = operands[0]
            if link.endswith("/") and target is not None:
                link += basename(target)
            self.links[norm(link)] = (target, " ".join(w.raw for w in cmd.words))

    def _write(self, path: str, content: str | None, append: bool) -> None:
        key = norm(path)
        self.redirected.add(key)
        if append:  # after what the file holds: written earlier in the command, or on disk
            old = self.files[key] if key in self.files else self._disk_before(key)
            content = None if old is None or content is None else old + content
        if self.moved and not os.path.isabs(key):
            content = None  # after a cd, which directory's file this is is not known
        self.files.forget(self.files.same_file(key))  # the same file spelled otherwise (d/../f)
        link = self.links.get(key)
        if link is not None and link[0] is not None:
            self.files.forget([norm(link[0])])  # written through a link made earlier
        if self.moved or script_files.aliased(self._disk_name(key)):
            self.files.forget(list(self.files))  # a link on disk may lead to any known file
        self.files[key] = content

    def _disk_before(self, key: str) -> str | None:
        """The text of a file on disk the command appends to ("" when there is none; None when
        one cannot be read, or more than one directory may hold it)."""
        paths = self._on_disk(key)
        if not paths:
            return ""
        return self.files.disk_text(paths[0]) if len(paths) == 1 else None

    def forget_relative(self) -> None:
        """A cd: the files known by a relative path are another directory's from here on."""
        self.moved = True
        self.files.forget([k for k in self.files if not os.path.isabs(k)])

    def _disk_name(self, key: str) -> str:
        return key if os.path.isabs(key) else os.path.join(self.cwd or os.getcwd(), key)

    def _on_disk(self, path: str) -> list[str]:
        """The files ``path`` may name: from the command's directory, and from each directory a
        ``cd`` in the same command may have moved to (over-approximated: all of them)."""
        homes = self.env.lookup("HOME") if path[:2] == "~/" else None
        if homes is not None and len(homes) == 1 and homes[0] is not None:
            path = homes[0].rstrip("/") + path[1:]  # ~ is the HOME the command gave (HOME=$PWD bash -i)
        path = os.path.expanduser(path)
        if os.path.isabs(path):
            return [path] if script_files.is_file(path) else []
        found: list[str] = []
        for directory in (self.cwd or os.getcwd(), *self.cd_dirs):
            candidate = os.path.normpath(os.path.join(directory, path))
            if candidate not in found and script_files.is_file(candidate):
                found.append(candidate)
        return found

    def dynamic_script(self, cmd: SimpleCommand, route: tuple[str, ...], why: str) -> None:
        """A script whose text cannot be known: refused when git could be in it (also when it may
        be a file this command wrote, whose text is no longer known, and the command names git)."""
        picked = self._picked_script(cmd)
        if picked is not None:  # some lines of known files, in some order: each only reads
            self.source(picked, (*route, "lines picked from known input"))
            return
        self.unknown_code = True
        text = self._context_raw(cmd) + " " + self.inherited[-1][2] + self._piped_files(cmd)
        written = [k for k in self.files.unknown() if names_file(text, k)]
        if written and git_like(self.root_text):
            self.flag(
                "unresolved", None, route, f"{why}; it may be {written[0]}, written in this command, and git is named"
            )
        elif (
            git_like(text)
            or self._mentions_verb(text)
            or code_text.obfuscated(text)
            or any(w in text for w in ("base64", "xxd", "rev", "tr ", "openssl"))
        ):
            self.flag("unresolved", None, route, f"{why} and git may be involved")
        else:
            self.note(f"{' -> '.join(route)}: {why}; nothing git-like around it")

    def _picked_script(self, cmd: SimpleCommand) -> str | None:
        """What a shell fed by a pipeline of line pickers (``sort f | head -1 | bash``) runs,
        when every line it may get is inert (``bash.line_pickers``): those lines, else None."""
        from integration_engineer.bash import line_pickers

        before = [c for c in cmd.pipeline.commands[: cmd.index] if isinstance(c, SimpleCommand)] if cmd.pipeline else []
        if not before or len(before) != cmd.index:
            return None
        argvs: list[Argv] = []
        for command in before:
            expanded = self._expand(command.words)
            if len(expanded) != 1 or any(r.op != "<" and r.fd in (None, "0", "1") for r in command.redirects):
                return None
            argvs.append(expanded[0])
        lines = line_pickers.picked_lines(argvs, self.files.get, self.stdin_of(before[0]))
        if lines is None or not all(line_pickers.inert(line) for line in lines):
            return None
        return "\n".join(lines) + "\n"

    def _piped_files(self, cmd: SimpleCommand) -> str:
        """The text of the files the commands before ``cmd`` in its pipeline read (``sort FILE |
        head -1 | bash``: the script is made of FILE's lines); a file that exists but is not text
        stands for git (it may hold anything)."""
        before = cmd.pipeline.commands[: cmd.index] if cmd.pipeline is not None else []
        texts: list[str] = []
        for command in before:
            if not isinstance(command, SimpleCommand):
                continue
            argvs = self._expand(command.words)
            paths = [a for argv in argvs for a in argv[1:] if a is not None and not a.startswith("-")]
            for redirect in command.redirects:
                values = value_of(redirect.target, self.env) if redirect.op == "<" else []
                paths += [v for v in values if v is not None]
            for path in paths[:32]:
                text = self.files.get(path)
                texts.append(text if text is not None else "git" if self._on_disk(path) else "")
        return " ".join(texts)

    def _context_raw(self, cmd: SimpleCommand) -> str:
        pipeline = cmd.pipeline.commands if cmd.pipeline else [cmd]
        cmds = [c for c in pipeline if isinstance(c, SimpleCommand)]
        raws: list[str] = []
        if len(cmds) < len(pipeline) or "(" in self.root_text or "function" in self.root_text:
            # A group, subshell or loop in the pipeline, or a function it may call, writes text its
            # words do not show (``{ echo 'git add -A'; } | bash``): the whole command stands for it.
            raws.append(self.root_text)
        for c in cmds:
            raws.extend(w.raw for w in c.assignments + c.words)
            raws.extend(r.target.raw for r in c.redirects)
            raws.extend(r.heredoc.body.raw for r in c.redirects if r.heredoc is not None)
        for name in self._referenced(cmds):
            raws.append(self.var_raw.get(name, ""))
        return " ".join(raws)

    def _referenced(self, cmds: list[SimpleCommand]) -> set[str]:
        names: set[str] = set()
        for c in cmds:
            for word in c.words + c.assignments:
                for p in word.parts:
                    if not isinstance(p, Param):
                        continue
                    names.add(p.name.split("[", 1)[0])  # ${a[@]}: the array a's assignments
                    if p.op.startswith("!"):  # ${!n}: the variables n may name
                        names.update(v.split("[", 1)[0] for v in self.env.lookup(p.name) or [] if v)
        return names

    def unknown_program(self, argv: Argv, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        self.unknown_code = True
        args = [a.lower() for a in argv[1:] if a is not None]
        if any(a in self.forbidden for a in args):
            self.flag(
                "unresolved",
                None,
                route,
                "the program run is not known statically "
                f"and its arguments name a forbidden git verb ({cmd_text(cmd)})",
            )
            return
        text = self._context_raw(cmd)
        if git_like(text):
            self.flag(
                "unresolved", None, route, f"the program run is not known statically and may be git ({cmd_text(cmd)})"
            )
        else:
            self.note(f"unknown program in {cmd_text(cmd)}; nothing git-like about it")


# Programs that read the files they name and write none (a shell's own writes are followed in
# the text it runs); sed, perl and sort only without their in-place / output options.
_READERS = frozenset(
    {"cat", "head", "tail", "grep", "egrep", "fgrep", "wc", "ls", "stat", "file", "test", "[", "echo", "printf"}
    | {"bash", "sh", "dash", "source", ".", "eval", "chmod", "diff", "cmp", "less", "more", "rev", "base64"}
    | {"md5sum", "sha1sum", "sha256sum", "cksum", "nl", "od", "hexdump", "strings", "readlink", "realpath"}
)


_COPIERS = frozenset({"cp", "install", "ln", "rsync"})


def _reads_only(argv: Argv) -> bool:
    if not argv or argv[0] is None:
        return False
    name = basename(argv[0])
    if name in ("sed", "perl"):  # -i, also in a cluster (-pi, -ni, -i.bak)
        return not any(
            a is None or a.startswith("--in-place") or (a[:2] != "--" and a[:1] == "-" and "i" in a) for a in argv[1:]
        )
    if name == "xxd":  # xxd [-r] IN OUT writes OUT
        return len([a for a in argv[1:] if a is None or not a.startswith("-")]) <= 1
    if name == "sort":
        return not any(a is None or a.startswith(("-o", "--output")) for a in argv[1:])
    return name in _READERS


def _makes_executable(mode: str | None) -> bool:
    """A chmod mode that surely makes the files executable: ``+x``, ``u+rwx``, ``755``."""
    if mode is None:
        return False
    if mode.isdigit():
        return len(mode) >= 3 and all(int(d) % 2 for d in mode[-3:-2])
    return all("+" in clause and "x" in clause.split("+", 1)[1] for clause in mode.split(","))


def single_argv(script: Script) -> list[str] | None:
    """The words of a text that is one plain command of literal words (``git --exec-path``)."""
    items = script.body.items
    if len(items) != 1 or len(items[0].pipelines) != 1 or len(items[0].pipelines[0].commands) != 1:
        return None
    cmd = items[0].pipelines[0].commands[0]
    if not isinstance(cmd, SimpleCommand) or cmd.assignments or cmd.redirects:
        return None
    words = [w.value for w in cmd.words]
    return None if None in words else [w for w in words if w is not None]


def cmd_text(cmd: SimpleCommand) -> str:
    text = " ".join(w.raw for w in cmd.words)
    return text if len(text) < 80 else text[:77] + "..."
