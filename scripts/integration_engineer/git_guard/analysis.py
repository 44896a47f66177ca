"""The engine behind ``git_operations.analyse``: follow a parsed command to the programs it runs.

State is shared along one analysis: variables the command assigns, functions and aliases it
defines, files it writes (with their content when known), git aliases it configures.
"""

from __future__ import annotations

import os

from integration_engineer.bash import code as code_text
from integration_engineer.bash import escapes, script_files, startup
from integration_engineer.bash.commands import parsed, simple_commands
from integration_engineer.bash.expand import PSUB, Argv, Env, expand_argv, value_of
from integration_engineer.bash.lexer import ArrayLit, Lit, Param, ShellSyntaxError, Word
from integration_engineer.bash.output import (
    argv_stdout,
    pipeline_stdout,
    redirected_stdin,
    script_stdout,
)
from integration_engineer.bash.parser import (
    AndOr,
    Case,
    CommandList,
    For,
    FunctionDef,
    Group,
    If,
    Loop,
    Script,
    SimpleCommand,
    Subshell,
    parse,
)
from integration_engineer.bash.resolve import SHELLS, Step, basename, interpreter, unwrap
from integration_engineer.bash.triggers import git_like
from integration_engineer.git_guard import git_settings
from integration_engineer.git_guard.findings import GitFinding
from integration_engineer.repository import git_options

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from collections.abc import Callable

MAX_DEPTH = 16
# Git commands (git 2.39 ``--list-cmds=main,others``): an alias cannot shadow them.
KNOWN_GIT = frozenset(
    {
        "add",
        "am",
        "annotate",
        "apply",
        "archive",
        "bisect",
        "blame",
        "branch",
        "bugreport",
        "bundle",
        "cat-file",
        "check-attr",
        "check-ignore",
        "check-mailmap",
        "check-ref-format",
        "checkout",
        "checkout-index",
        "cherry",
        "cherry-pick",
        "citool",
        "clean",
        "clone",
        "column",
        "commit",
        "commit-graph",
        "commit-tree",
        "config",
        "count-objects",
        "credential",
        "credential-cache",
        "credential-store",
        "daemon",
        "describe",
        "diagnose",
        "diff",
        "diff-files",
        "diff-index",
        "diff-tree",
        "difftool",
        "fast-export",
        "fast-import",
        "fetch",
        "fetch-pack",
        "filter-branch",
        "fmt-merge-msg",
        "for-each-ref",
        "for-each-repo",
        "format-patch",
        "fsck",
        "fsck-objects",
        "gc",
        "get-tar-commit-id",
        "grep",
        "gui",
        "hash-object",
        "help",
        "hook",
        "http-backend",
        "http-fetch",
        "http-push",
        "imap-send",
        "index-pack",
        "init",
        "init-db",
        "instaweb",
        "interpret-trailers",
        "log",
        "ls-files",
        "ls-remote",
        "ls-tree",
        "mailinfo",
        "mailsplit",
        "maintenance",
        "merge",
        "merge-base",
        "merge-file",
        "merge-index",
        "merge-octopus",
        "merge-one-file",
        "merge-ours",
        "merge-recursive",
        "merge-resolve",
        "merge-subtree",
        "merge-tree",
        "mergetool",
        "mktag",
        "mktree",
        "multi-pack-index",
        "mv",
        "name-rev",
        "notes",
        "p4",
        "pack-objects",
        "pack-redundant",
        "pack-refs",
        "patch-id",
        "prune",
        "prune-packed",
        "pull",
        "push",
        "quiltimport",
        "range-diff",
        "read-tree",
        "rebase",
        "receive-pack",
        "reflog",
        "remote",
        "repack",
        "replace",
        "request-pull",
        "rerere",
        "reset",
        "restore",
        "rev-list",
        "rev-parse",
        "revert",
        "rm",
        "send-email",
        "send-pack",
        "shell",
        "shortlog",
        "show",
        "show-branch",
        "show-index",
        "show-ref",
        "sparse-checkout",
        "stage",
        "stash",
        "status",
        "stripspace",
        "submodule",
        "subtree",
        "switch",
        "symbolic-ref",
        "tag",
        "unpack-file",
        "unpack-objects",
        "update-index",
        "update-ref",
        "update-server-info",
        "upload-archive",
        "upload-pack",
        "var",
        "verify-commit",
        "verify-pack",
        "verify-tag",
        "version",
        "whatchanged",
        "worktree",
        "write-tree",
    }
)
# Variables that make git read configuration (and aliases) from elsewhere.
_CONFIG_VARS = (
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
    "GIT_CONFIG",
    "GIT_DIR",
    "HOME",
    "XDG_CONFIG_HOME",
    "GIT_CONFIG_COUNT",
    "GIT_CONFIG_PARAMETERS",
)
_STDIN_PATHS = frozenset({"/dev/stdin", "-", "/proc/self/fd/0", "/dev/fd/0"})
_DECLARE = frozenset({"declare", "typeset", "export", "local", "readonly"})
# Forge CLIs whose subcommand merges a pull/merge request into its base branch.
_FORGE_MERGES = {"gh": ("pr", "merge"), "glab": ("mr", "merge")}
_READERS = frozenset({"read", "mapfile", "readarray", "printf", "getopts"})
# Environment variables whose value a program runs as a command line.
# (Git's own variables, GIT_EDITOR, GIT_SSH_COMMAND..., are read where a git verb uses them:
# git_settings; these are read by other programs too, so a value is followed where it is set,
# unless the assignment is a prefix of a git command.)
_COMMAND_VARS = frozenset({"PAGER", "EDITOR", "VISUAL", "SSH_ASKPASS", "PROMPT_COMMAND"})
# Variables naming a file a shell reads at start-up (BASH_ENV: non-interactive bash; ENV: sh -i).
_STARTUP_VARS = frozenset({"BASH_ENV", "ENV"})


def _branches(node: object) -> list[object]:
    """The bodies of a compound command whose definitions may not take effect."""
    if isinstance(node, If):
        return [part for cond, body in node.clauses for part in (cond, body)] + [node.else_body]
    if isinstance(node, Loop):
        return [node.cond, node.body]
    if isinstance(node, Case):
        return [body for _patterns, body in node.items]
    return []


class KnownFiles(dict[str, "str | None"]):
    """The files a command's text can be known of: those it writes itself (``in``: content, or
    None when unknown), and through ``get`` any other file it reads (``sh < f``, ``cat f | sh``,
    ``$(cat f)``, ``xargs -a f``): its text on disk, None when it is not a readable text file."""

    def __init__(self, locate: Callable[[str], list[str]]) -> None:
        super().__init__()
        self._locate = locate
        self._read: dict[str, str | None] = {}

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        key = _norm(key)
        if key in self:
            return self[key]
        paths = self._locate(key)  # where depends on the directory the analysis is in
        texts = [self.disk_text(path) for path in paths]
        if not texts or None in texts:
            return default
        return "\n".join(t for t in texts if t is not None)

    def disk_text(self, path: str) -> str | None:
        """A file's text on disk (``script_files.read_text``), read once per analysis."""
        if path not in self._read:
            self._read[path] = script_files.read_text(path)
        return self._read[path]


class Analyzer:
    def __init__(self, cwd: str, forbidden: frozenset[str]) -> None:
        self.cwd = cwd
        self.forbidden = forbidden
        self.files = KnownFiles(self._on_disk)
        self.env = Env(stdout=self._stdout)
        self.functions: dict[str, FunctionDef] = {}
        # Functions that may not be in effect where called (defined in a subshell or a branch).
        self.maybe_functions: set[str] = set()
        # name -> (definition, the subshell's commands or None, the text it is in, where it starts).
        self.definitions: dict[str, list[tuple[FunctionDef, frozenset[int] | None, int, int]]] = {}
        self.sites: list[tuple[int, SimpleCommand]] = []  # the calls of the functions running (text, call)
        self.exported: set[str] = set()  # export -f NAME: functions a child bash sees
        self.calling: list[str] = []
        self.called: set[str] = set()
        self.shell_aliases: dict[str, str] = {}
        self.alias_lines: dict[str, tuple[int, int]] = {}  # alias -> (text it is in, line) defined
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
        # The Bash tool's shell expands aliases (its snapshot turns expand_aliases on, and so does the
        # sandbox's runner): an alias applies on the lines after its definition.
        self.expand_aliases = True
        self.dynamic = False  # a program or script that cannot be known runs somewhere
        self.hashed: dict[str, str | None] = {}  # hash -p PATH NAME, BASH_CMDS[NAME]=PATH
        self.links: dict[str, tuple[str | None, str]] = {}  # ln/cp TARGET LINK: (target, raw text)
        self.exec_paths: list[str] = []  # git --exec-path=DIR
        self.fds: dict[str, str | None] = {}  # exec N<<<TEXT: what reading fd N gives
        self.loaded: set[str] = set()  # modules and start-up files already analysed

    # -- findings ---------------------------------------------------------------------------
    def flag(self, kind: str, verb: str | None, route: tuple[str, ...], detail: str = "") -> None:
        self.findings.append(GitFinding(kind, verb, route, detail))

    def note(self, text: str) -> None:
        if len(self.notes) < 50:
            self.notes.append(text)

    # -- scripts ----------------------------------------------------------------------------
    def source(self, text: str, route: tuple[str, ...], positional: list[str | None] | None = None) -> None:
        """Analyse a shell command string (the whole command, or one run by bash -c, eval...)."""
        if not self.root_text:
            self.root_text = text
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
        self.depth += 1
        self.texts.append(text)
        self.sources += 1
        self.text_ids.append(self.sources)
        try:
            self.script(script, route)
        finally:
            self.text_ids.pop()
            self.texts.pop()
            self.depth -= 1
            self.env.positional = saved

    def script(self, script: Script, route: tuple[str, ...]) -> None:
        before = set(self.functions)
        self._bind(script.body)
        for found in simple_commands(script):
            if any(v.startswith("function ") for v in found.via):
                continue
            self.command(found.command, route + found.via)
        for name in sorted(set(self.functions) - before - self.called):
            self.called.add(name)
            mark = len(self.findings)
            self.call(name, None, (*route, f"function {name}"))
            if not self.dynamic and len(self.findings) > mark:
                # Never called by name, and nothing unknown runs that could call it.
                del self.findings[mark:]
                self.note(f"function {name} is defined but never called")

    def _bind(self, node: object, top: bool = True, scope: frozenset[int] | None = None) -> None:
        """Function definitions and loop variables anywhere in the script (flow-insensitive).
        ``scope``: the commands of the subshell the node is in (a definition there is gone after it)."""
        if isinstance(node, CommandList):
            for item in node.items:
                for j, pipeline in enumerate(item.pipelines):
                    certain = j == 0 or _certain_after(item, j)
                    if certain is None:
                        continue  # `true || f() {...}`: never runs
                    for cmd in pipeline.commands:
                        # Each element of a pipeline of several runs in a subshell of its own; what
                        # follows && or || may not run.
                        inner = _scope(cmd) if len(pipeline.commands) > 1 else scope
                        self._bind(cmd, top and certain and isinstance(cmd, (FunctionDef, Group, Subshell)), inner)
        elif isinstance(node, FunctionDef):
            self.functions[node.name] = node
            text = self.text_ids[-1] if self.text_ids else 0
            self.definitions.setdefault(node.name, []).append((node, scope, text, _start(node)))
            if not top:
                self.maybe_functions.add(node.name)
            self._bind(node.body, False, scope)
        elif isinstance(node, For):
            if node.var:
                values: list[str | None] = []
                for word in node.words if node.words is not None else []:
                    values.extend(f for fields in self._expand([word]) for f in fields)
                self.env.assign(node.var, values or [None])
            self._bind(node.body, False)
        elif isinstance(node, Group):
            self._bind(node.body, top, scope)
        elif isinstance(node, Subshell):
            self._bind(node.body, top, _scope(node))  # certain inside it, gone after it
        elif isinstance(node, If):
            self._bind_if(node)
        else:
            for child in _branches(node):
                self._bind(child, False)

    def _bind_if(self, node: If) -> None:
        """A branch whose condition is a literal ``false`` defines nothing."""
        for cond, body in node.clauses:
            self._bind(cond, False)
            if _constant(cond) is not False:
                self._bind(body, False)
        if node.else_body is not None:
            self._bind(node.else_body, False)

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
        try:
            for found in simple_commands((node or self.functions[name]).body):
                self.command(found.command, route + found.via)
        finally:
            self.calling.pop()
            self.depth -= 1
            self.env.positional = saved

    # -- simple commands ----------------------------------------------------------------------
    def command(self, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        prefix_of_git = bool(cmd.words) and basename(cmd.words[0].value or "") == "git"
        for word in cmd.assignments:
            self.assignment(word, route, deferred=prefix_of_git)
        if [w.value for w in cmd.words] == ["exec"]:
            self._record_fds(cmd)
        if cmd.words and cmd.words[0].value in _DECLARE:
            for word in cmd.words[1:]:  # declare -a NAME=(...): an array assignment
                first = word.parts[0] if word.parts else None
                if isinstance(first, Lit) and first.text.split("=", 1)[0].isidentifier() and "=" in first.text:
                    self.assignment(word, route)
        if cmd.words:
            for argv in self._expand(cmd.words):
                self.run(argv, cmd, route, 0)
        self.record_writes(cmd)

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

    def _expand(self, words: list[Word]) -> list[Argv]:
        return expand_argv(words, self.env)

    def assignment(self, word: Word, route: tuple[str, ...], deferred: bool = False) -> None:
        first = word.parts[0]
        assert isinstance(first, Lit)
        name, _, rest = first.text.partition("=")
        name = name.rstrip("+").split("[", 1)[0]
        parts = [Lit(rest, False), *word.parts[1:]] if rest else word.parts[1:]
        values: list[str | None] = []
        if parts and isinstance(parts[0], ArrayLit):
            items = [f for fields in self._expand(parts[0].words)[:1] for f in fields]
            self.env.assign_array(name, items)
            values = items
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
                    self._quiet_source(value, (*route, f"{name}=... evaluated (arithmetic or prompt expansion)"))
        if name in _COMMAND_VARS and not deferred:
            for value in values:
                if value and (git_like(value) or self._mentions_verb(value)):
                    self.source(value, (*route, f"{name}=..."))

    def run(self, argv: Argv, cmd: SimpleCommand, route: tuple[str, ...], depth: int, functions: bool = True) -> None:
        """Follow one argv: aliases, functions, git itself, wrappers, shells, interpreters."""
        if not argv or depth > MAX_DEPTH:
            return
        name = argv[0]
        if name is None:
            self.unknown_program(argv, cmd, route)
            return
        if name.startswith(PSUB):
            return
        if self.shell_definitions(argv, cmd, route, depth, functions):
            return
        resolved = self._resolved(name, route)
        if resolved is False:
            return
        if isinstance(resolved, str):
            argv, name = [resolved, *argv[1:]], resolved
        base = basename(name)
        self.shell_state(base, argv)
        if _is_git(base):
            self.git(argv, route, 0)
            return
        if base in _DECLARE or base in _READERS:
            self.builtin_assignment(base, argv, cmd)
        if base == "alias":
            self.alias_builtin(argv, route, cmd)
            return
        if "/" in name and _norm(name) in self.files:
            self.run_file(name, cmd, (*route, name), argv[1:])
            return
        if base in ("cd", "pushd") and len(argv) > 1 and argv[1] is not None:
            self.cd_dirs.append(os.path.join(self.cwd or os.getcwd(), os.path.expanduser(argv[1])))
        self.program(argv, name, base, cmd, route, depth)

    def program(self, argv: Argv, name: str, base: str, cmd: SimpleCommand, route: tuple[str, ...], depth: int) -> None:
        """An ordinary program: start-up files, what it wraps, its escapes, runners, scripts."""
        if base in SHELLS:
            self.startup_files(startup.shell_files(argv, self.env.lookup), cmd, route, "")
        elif interpreter(base):
            self.startup_files(startup.interpreter_files(argv, interpreter(base), self.env.lookup), cmd, route, base)
        step = unwrap(argv)
        escaped = escapes.commands(argv, lambda: self.stdin_of(cmd), self.files.get) if step is None else None
        for text in escapes.from_environment(argv, self.env.lookup):
            self.source_or_unknown(text, cmd, (*route, f"{base} runs a command from its environment"))
        if step is not None:
            self._follow_program(step, argv, base, cmd, route, depth)
        elif escaped is not None:
            for text in escaped:
                here = (*route, f"{base} shell escape")
                if text is None:
                    self.dynamic_script(cmd, here, "it runs commands that are not known statically")
                elif text:
                    self.source(text, here)
        elif base in ("pytest", "py.test"):
            self.python_module("pytest", argv[1:], cmd, route)
        elif base.startswith("pip") and "install" in argv:
            self.python_module("pip", argv[1:], cmd, route)
        elif base in script_files.PACKAGE_TOOLS and argv[1:2] in (["exec"], ["x"], ["dlx"]):
            self.package_exec(argv, cmd, route, depth)
        elif base in script_files.PACKAGE_TOOLS:
            self.package_scripts(argv, cmd, route)
        elif base in script_files.MAKE_TOOLS:
            self.make(argv, cmd, route)
        elif base in _FORGE_MERGES:
            self.forge(base, argv[1:], route)
        elif "/" in name and not _system_program(name):
            self.disk_file(name, cmd, (*route, name), argv[1:], as_program=True)

    def _follow_program(
        self, step: Step, argv: Argv, base: str, cmd: SimpleCommand, route: tuple[str, ...], depth: int
    ) -> None:
        """What a wrapper, shell or runner runs; a child shell with its own alias setting."""
        if base not in SHELLS:
            self.follow(step, cmd, route, depth)
            return
        saved, self.expand_aliases = self.expand_aliases, self._child_aliases(base, argv)
        functions = self.functions  # a child shell has only the functions exported to it
        if not self.dynamic:
            self.functions = {k: v for k, v in functions.items() if k in self.exported}
        try:
            self.follow(step, cmd, route, depth)
        finally:
            self.expand_aliases, self.functions = saved, functions

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

    def _resolved(self, name: str, route: tuple[str, ...]) -> str | bool | None:
        """The program a name really runs when the command remapped it (hash -p, BASH_CMDS, a link
        or copy it made, PATH it extended): its path, None when not remapped, False when refused."""
        target: str | None
        if "/" not in name and name in self.hashed and name not in _BUILTINS:
            target, raw = self.hashed[name], f"hash {name}"
        else:
            key = _norm(name)
            if key not in self.links and "/" not in name and "PATH" in self.env.vars:
                key = next((k for k in self.links if basename(k) == name), key)
            if key not in self.links:
                return None
            target, raw = self.links[key]
        if target is None:
            if git_like(raw) or git_like(self.root_text):
                self.flag("unresolved", None, route, f"{name} was made to run a program that is not known")
                return False
            return None
        if os.path.isabs(target) and _norm(target) not in self.files:
            target = basename(target)  # a system program, run by its name
        return target if target != name else None

    def shell_state(self, base: str, argv: Argv) -> None:
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
        elif base in _DECLARE and any(a is not None and a.startswith("-") and "f" in a for a in args):
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

    def startup_files(
        self, files: list[tuple[str, str | None]], cmd: SimpleCommand, route: tuple[str, ...], lang: str
    ) -> None:
        """Shell start-up files and interpreter preloads: read as the program would."""
        for label, path in files:
            here = (*route, label)
            if path is None:
                if git_like(self.root_text):
                    self.flag("unresolved", None, here, "a start-up file or preload that is not known")
                continue
            if path in self.loaded:
                continue
            self.loaded.add(path)
            if not lang and path.startswith(PSUB):
                self.run_file(path, cmd, here, [])  # BASH_ENV=<(echo ...)
            elif not lang:
                if _norm(path) in self.files or self._on_disk(path):
                    self.run_file(path, cmd, here, [])
            elif _norm(path) in self.files or self._on_disk(path):
                self.code(Step("code", label, path=path, lang=interpreter(lang)), cmd, here)

    def python_module(self, module: str, args: Argv, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """``python -m MODULE``: a local module's code; pytest's conftest.py files; pip's setup.py."""
        here = (*route, f"python -m {module}")
        if module == "?":
            self.dynamic_script(cmd, here, "the module run is not known")
            return
        paths: list[str] = []
        if module in ("pytest", "py.test") and "--noconftest" not in args:
            paths = [p for p in self.files if basename(p) == "conftest.py"] + _conftests(self.cwd or os.getcwd())
        elif module == "pip":
            if "install" in args:
                dirs = [a for a in args if a is not None and (a == "." or "/" in a) and not a.endswith(".whl")]
                paths = [os.path.join(d, "setup.py") for d in dirs]
        else:
            rel = module.replace(".", "/")
            paths = [f"{rel}.py", f"{rel}/__main__.py", f"{rel}/__init__.py"]
        for path in paths:
            if path not in self.loaded and (_norm(path) in self.files or self._on_disk(path)):
                self.loaded.add(path)
                self.code(Step("code", path, path=path, lang="python"), cmd, here)

    def local_imports(self, text: str, lang: str, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """Modules the code imports from the current directory run their code too."""
        if lang in ("python", "pypy"):
            paths = [p for n in startup.python_imports(text) for p in (f"{n}.py", f"{n}/__init__.py")]
        elif lang in ("node", "nodejs", "bun"):
            paths = [p for r in startup.node_requires(text) for p in (r, f"{r}.js", f"{r}/index.js")]
        else:
            return
        for path in paths:
            if path not in self.loaded and (_norm(path) in self.files or self._on_disk(path)):
                self.loaded.add(path)
                self.code(Step("code", f"import {path}", path=path, lang=lang), cmd, (*route, f"import {path}"))

    def package_exec(self, argv: Argv, cmd: SimpleCommand, route: tuple[str, ...], depth: int) -> None:
        """``npm exec -c CMD`` / ``npm exec -- PROGRAM ARGS``: a shell command or a program."""
        args = argv[2:]
        here = (*route, f"{basename(argv[0] or '')} exec")
        for i, arg in enumerate(args):
            if arg in ("-c", "--call") and i + 1 < len(args):
                value = args[i + 1]
                if value is None:
                    self.dynamic_script(cmd, here, "the command it runs is not known")
                else:
                    self.source(value, here)
                return
            if arg is not None and arg.startswith("--call="):
                self.source(arg[7:], here)
                return
        rest = args[args.index("--") + 1 :] if "--" in args else [a for a in args if a is None or a[:1] != "-"]
        if rest:
            self.run(rest, cmd, here, depth + 1)

    def follow(self, step: Step, cmd: SimpleCommand, route: tuple[str, ...], depth: int) -> None:
        here = (*route, step.label)
        if step.kind == "argv" and step.argv is not None:
            # env, nice, sudo... are programs: they run the program, never a shell function.
            self.run(step.argv, cmd, here, depth + 1, functions=step.label == "time")
        elif step.kind == "argvs":
            for argv in step.argvs or []:
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

    # -- stdin, files, dynamic scripts ------------------------------------------------------------
    def stdin_of(self, cmd: SimpleCommand) -> str | None:
        last = next((r for r in reversed(cmd.redirects) if r.fd in (None, "0") and r.op.startswith("<")), None)
        if last is not None and last.op == "<&":
            return self.fds.get(last.target.value or "")  # an fd opened earlier, or unknown
        if last is not None and last.op == "<" and last.target.value is None:
            values = value_of(last.target, self.env)  # < <(...): the substitution's output
            if len(values) == 1 and values[0] is not None and values[0].startswith(PSUB):
                return self._stdout(self.env.psubs[int(values[0][len(PSUB) :])].script)
        given = redirected_stdin(cmd, self.env, self.files)
        if given is not False:
            return given if isinstance(given, str) else None
        if cmd.pipeline is not None and cmd.index > 0:
            return pipeline_stdout(cmd.pipeline, self.env, self.files, cmd.index)
        return ""

    def _stdout(self, script: Script) -> str | None:
        return script_stdout(script, self.env, self.files)

    def record_writes(self, cmd: SimpleCommand) -> None:
        """Files this command writes, with their content when it is known (echo > f, cat <<EOF)."""
        argvs = self._expand(cmd.words) if cmd.words else [[]]
        argv: Argv = argvs[0] if len(argvs) == 1 else [None]
        stdin = self.stdin_of(cmd)
        for redirect in cmd.redirects:
            if redirect.op in (">", ">>", ">|", "&>", "&>>") and redirect.fd in (None, "1"):
                path = redirect.target.value
                if path is not None:
                    out = argv_stdout(argv, self.files, stdin) if argv else ""
                    self._write(path, out, redirect.op.endswith(">>"))
        if argv and argv[0] is not None and basename(argv[0]) == "tee":
            for path in argv[1:]:
                if path is not None and not path.startswith("-"):
                    self._write(path, stdin, "-a" in argv)
        if len(argv) == 3 and argv[0] in ("cp", "mv") and argv[2] is not None:
            self.files[_norm(argv[2])] = self.files.get(_norm(argv[1] or ""))
        if argv and argv[0] in ("ln", "cp", "install"):
            operands = [a for a in argv[1:] if a is None or not a.startswith("-")]
            link = operands[1] if len(operands) == 2 else None
            if link is not None:
                target = operands[0]
                if link.endswith("/") and target is not None:
                    link += basename(target)
                raw = " ".join(w.raw for w in cmd.words)
                self.links[_norm(link)] = (target, raw)

    def _write(self, path: str, content: str | None, append: bool) -> None:
        key = _norm(path)
        if append and key in self.files:
            old = self.files[key]
            content = None if old is None or content is None else old + content
        self.files[key] = content

    def run_file(
        self, path: str | None, cmd: SimpleCommand, route: tuple[str, ...], positional: list[str | None] | None
    ) -> None:
        if path is None:
            self.dynamic_script(cmd, route, "the script file is not known")
            return
        if path.startswith(PSUB):
            sub = self.env.psubs[int(path[len(PSUB) :])]
            text = self._stdout(sub.script)
            if text is None:
                self.dynamic_script(cmd, route, "the script it reads is not known")
            else:
                self.source(text, route, positional)
            return
        fd = path.rsplit("/", 1)[-1]
        from_fd = path.startswith(("/dev/fd/", "/proc/self/fd/")) and fd in self.fds
        opened = _fd_file(cmd, fd) if path.startswith(("/dev/fd/", "/proc/self/fd/")) and not from_fd else None
        if opened is not None:  # bash /dev/fd/3 3<job: the file opened on that descriptor
            self.disk_file(opened, cmd, route, positional, as_program=False)
            return
        if from_fd or path in _STDIN_PATHS:
            text = self.fds[fd] if from_fd else self.stdin_of(cmd)
            if text is None:
                self.dynamic_script(cmd, route, "the script it reads is not known")
            else:
                self.source(text, route, positional)
            return
        key = _norm(path)
        if key not in self.files:
            self.disk_file(path, cmd, route, positional, as_program=False)
            return
        content = self.files[key]
        if content is None and git_like(self.root_text):
            self.flag(
                "unresolved",
                None,
                route,
                f"{path} was written in this command with content that is not known, and the command mentions git",
            )
        elif content is None:
            self.dynamic_script(cmd, route, f"{path} was written with unknown content")
        else:
            self.source(content, route, positional)

    # -- programs from disk ------------------------------------------------------------------
    def _on_disk(self, path: str) -> list[str]:
        """The files ``path`` may name: from the command's directory, and from each directory a
        ``cd`` in the same command may have moved to (over-approximated: all of them)."""
        path = os.path.expanduser(path)
        if os.path.isabs(path):
            return [path] if script_files.is_file(path) else []
        found: list[str] = []
        for directory in (self.cwd or os.getcwd(), *self.cd_dirs):
            candidate = os.path.normpath(os.path.join(directory, path))
            if candidate not in found and script_files.is_file(candidate):
                found.append(candidate)
        return found

    def disk_file(
        self,
        path: str,
        cmd: SimpleCommand,
        route: tuple[str, ...],
        positional: list[str | None] | None,
        as_program: bool,
    ) -> None:
        """A script from disk, run by a shell (``bash f``, ``source f``) or as a program (``./f``,
        whose ``#!`` line chooses the interpreter)."""
        files = self._on_disk(path)
        if not files:
            self.note(f"{path} is not a file here; nothing to analyse")
        for file in files:
            text = self.files.disk_text(file)
            if text is None:
                self.dynamic_script(cmd, route, f"{path} is not a script that can be read")
                continue
            program = script_files.interpreter_of(text) if as_program else ""
            lang = interpreter(program) if program and program not in SHELLS else ""
            if lang:
                self.code(Step("code", program, text=text, lang=lang, positional=positional), cmd, route)
            elif program and program not in SHELLS:
                self.note(f"{path} runs {program}; its content is not analysed")
            else:
                self.source(text, route, positional)

    def package_scripts(self, argv: Argv, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """``npm run NAME`` and the like: the package.json scripts, run in its directory."""
        tool = basename(argv[0] or "")
        if script_files.version_commits(argv[1:]) and "commit" in self.forbidden:
            self.flag("forbidden", "commit", (*route, f"{tool} version (it commits the version)"))
        found = script_files.package_scripts(argv[1:], self.cwd or os.getcwd())
        if found is not None:
            directory, runs = found
            for name, text in runs:
                self._source_in(directory, text, (*route, f"{tool} script {name}"))

    def make(self, argv: Argv, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """``make TARGET``: the recipes of the target and its prerequisites, in make's directory."""
        if self.depth >= MAX_DEPTH:
            return
        args = argv[1:]
        extra = [v for i, a in enumerate(args) for v in _make_extra(args, i, a)]
        extra += [
            (f"MAKEFILES {p}", self.files.get(p))
            for v in self.env.lookup("MAKEFILES") or []
            for p in (v or "?").split()
        ]
        if any(
            a in ("-f", "--file", "--makefile") and args[i + 1 : i + 2] in (["-"], ["/dev/stdin"])
            for i, a in enumerate(args)
        ):
            extra.append(("make -f -", self.stdin_of(cmd)))
        for label, text in extra:
            if text is None:
                self.dynamic_script(cmd, (*route, label), "a makefile that cannot be read")
            else:
                for line in _makefile_lines(text):
                    self.source(line, (*route, label))
        found = script_files.make_recipes(args, self.cwd or os.getcwd())
        if found is None:
            self.note("make: no Makefile here; nothing to analyse")
            return
        directory, lines = found
        dry = any(
            a in _MAKE_DRY or (a[:1] == "-" and a[1:2] != "-" and ("n" in a or "q" in a) and a[1:].isalpha())
            for a in args
            if a
        )
        whole = self.files.disk_text(os.path.join(directory, "Makefile")) or "" if dry else ""
        for line in lines:
            if dry and not (
                line.lstrip("@-").startswith("+")
                or "make" in line.lower()
                or (line in whole.replace("$$", "$") and "$(shell" in whole)
            ):
                continue  # make -n prints recipes; it still runs +lines, $(MAKE) and $(shell ...)
            line = line.lstrip("+")
            if dry:  # a sub-make gets -n (or -q) through MAKEFLAGS: it runs no recipe either
                line = " ".join("make -n" if word == "make" else word for word in line.split(" "))
            self._source_in(directory, line, (*route, "make recipe"))

    def forge(self, tool: str, args: Argv, route: tuple[str, ...]) -> None:
        """``gh pr merge``, ``glab mr merge``: the forge merges into the base branch, a git merge
        under another name (refused when ``merge`` is)."""
        words = [
            a
            for i, a in enumerate(args)
            if a is None or (not a.startswith("-") and not (i and args[i - 1] in ("-R", "--repo")))
        ]
        if "merge" in self.forbidden and words[:2] == list(_FORGE_MERGES[tool]):
            self.flag("forbidden", "merge", (*route, f"{tool} {' '.join(_FORGE_MERGES[tool])}"))

    def _source_in(self, directory: str, text: str, route: tuple[str, ...]) -> None:
        saved, saved_dirs = self.cwd, self.cd_dirs
        self.cwd, self.cd_dirs = directory, []
        try:
            self.source(text, route)
        finally:
            self.cwd, self.cd_dirs = saved, saved_dirs

    def dynamic_script(self, cmd: SimpleCommand, route: tuple[str, ...], why: str) -> None:
        """A script whose text cannot be known: refused when git could be in it."""
        text = self._context_raw(cmd)
        if (
            git_like(text)
            or self._mentions_verb(text)
            or code_text.obfuscated(text)
            or any(w in text for w in ("base64", "xxd", "rev", "tr ", "openssl"))
        ):
            self.flag("unresolved", None, route, f"{why} and git may be involved")
        else:
            self.note(f"{' -> '.join(route)}: {why}; nothing git-like around it")

    def _context_raw(self, cmd: SimpleCommand) -> str:
        cmds = [c for c in (cmd.pipeline.commands if cmd.pipeline else [cmd]) if isinstance(c, SimpleCommand)]
        raws: list[str] = []
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
                names.update(p.name for p in word.parts if isinstance(p, Param))
        return names

    def unknown_program(self, argv: Argv, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
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

    def _mentions_verb(self, text: str) -> bool:
        return bool(code_text.words(text) & self.forbidden)

    def appended(self, step: Step, cmd: SimpleCommand, route: tuple[str, ...], depth: int) -> None:
        """xargs: the command plus items read from stdin (or -a FILE)."""
        data = self.files.get(_norm(step.path)) if step.path is not None else self.stdin_of(cmd)
        items: list[str | None] = [None]
        if data is not None:
            items = list(data.splitlines() if step.replace is not None else data.split())
        template = step.argv or ["echo"]
        if step.replace is not None:
            for item in items[:8] or [None]:
                argv = [
                    a
                    if a is None or step.replace not in a
                    else (None if item is None else a.replace(step.replace, item))
                    for a in template
                ]
                self.run(argv, cmd, route, depth + 1)
        else:
            self.run(template + items, cmd, route, depth + 1)

    def parallel(self, step: Step, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        items: list[str | None] = [None]
        if step.items is not None:
            items = step.items
        else:
            data = self.stdin_of(cmd)
            if data is not None:
                items = list(data.splitlines())
        template = step.argv or []
        for item in items[:8] or [None]:
            if not template:
                if item is None:
                    self.dynamic_script(cmd, route, "the commands it runs are not known")
                else:
                    self.source(item, route)
                continue
            if any(a is None for a in template) or item is None:
                argv = (
                    [*template, None]
                    if all("{" not in (a or "") for a in template)
                    else [a if a is None or "{}" not in a else None for a in template]
                )
                self.run(argv, cmd, route, 1)
                continue
            text = " ".join(a or "" for a in template)
            text = text.replace("{}", item) if "{}" in text else f"{text} {item}"
            self.source(text, route)

    # -- interpreters -------------------------------------------------------------------------
    def code(self, step: Step, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        if step.module is not None:
            self.python_module(step.module, step.positional or [], cmd, route)
            return
        text = step.text
        if text is None and step.path == "-":
            text = self.stdin_of(cmd)
        elif text is None and step.path is not None:
            if _norm(step.path) not in self.files and not self._on_disk(step.path):
                self.note(f"{step.path} is not a file here; nothing to analyse")
                return
            text = self.files.get(step.path)  # written by the command, or read from disk
        if text is None:
            self.dynamic_script(cmd, route, "the code it runs is not known")
            return
        if not _isolated_python(cmd, step.lang):  # python -I/-P: the current directory is not on sys.path
            self.local_imports(text, step.lang, cmd, route)
        if not code_text.spawns(text, step.lang) or code_text.only_printed(text, git_like):
            return
        before = len(self.findings)
        for candidate in code_text.candidates(text):
            if git_like(candidate):
                self._quiet_source(candidate, route)
        if len(self.findings) > before:
            return
        args = [a.lower() for a in step.positional or [] if a is not None]
        mentions = bool(code_text.words(text) & self.forbidden) or any(a in self.forbidden for a in args)
        data = " ".join(a for a in step.positional or [] if a is not None)
        stdin = self.stdin_of(cmd) if step.path != "-" else ""
        if git_like(text) and mentions:
            self.flag(
                "unresolved", None, route, "interpreter code starts a process with git and a forbidden verb in it"
            )
        elif code_text.obfuscated(text):
            self.flag("unresolved", None, route, "interpreter code starts a process built from encoded text")
        elif git_like(data) or (stdin is not None and git_like(stdin)):
            self.flag("unresolved", None, route, "interpreter code starts processes and its input mentions git")

    def _quiet_source(self, text: str, route: tuple[str, ...]) -> None:
        """Analyse a string from code; one that is not valid bash is not a command line."""
        try:
            parse(text)
        except ShellSyntaxError:
            return
        self.source(text, route)

    def builtin_assignment(self, base: str, argv: Argv, cmd: SimpleCommand) -> None:
        """declare/export/local NAME=VALUE assign; read/mapfile/printf -v assign unknown text."""
        args = argv[1:]
        if base in _DECLARE:
            for arg in args:
                if arg is not None and "=" in arg and not arg.startswith("-"):
                    name, _, value = arg.partition("=")
                    self.env.assign(name.rstrip("+"), [value])
            return
        names = [a for a in args if a is not None and a.isidentifier()]
        if base in ("read", "mapfile", "readarray"):
            self.read_input(base, args, names, cmd)
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
        """read/mapfile: words of their own input when it is known (a here-string, a file, a pipe
        from a known command); otherwise unknown words that may come from anywhere in the command."""
        own = redirected_stdin(cmd, self.env, self.files) is not False or (cmd.pipeline is not None and cmd.index > 0)
        text = self.stdin_of(cmd) if own else None
        array = args[args.index("-a") + 1] if "-a" in args and args.index("-a") + 1 < len(args) else None
        if base != "read":
            names = names[-1:] or ["MAPFILE"]
        elif array is not None:
            names = [array]
        names = names or ["REPLY"]
        if text is not None:
            if base != "read":
                self.env.assign_array(names[0], [line for line in text.splitlines()])
            elif array is not None:
                self.env.assign_array(array, list(text.split("\n", 1)[0].split()))
            else:
                fields = text.split("\n", 1)[0].split(None, len(names) - 1)
                for i, name in enumerate(names):
                    self.env.assign(name, [fields[i] if i < len(fields) else ""])
            return
        context = self._context_raw(cmd) if own else self.root_text
        for name in names:
            self.env.assign(name, [None])
            self.var_raw[name] = self.var_raw.get(name, "") + " " + context

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
            for arg in argv[1:]:
                if arg is not None and not arg.startswith("-"):
                    self.functions.pop(arg, None)  # later calls reach the real program
        if functions and name in self.functions and name not in self.calling:
            node = self._definition_in_effect(name, cmd)
            if node is None:
                return False  # defined only in subshells this call is outside of: the real program runs
            self.called.add(name)
            self.sites.append((self.text_ids[-1] if self.text_ids else 0, cmd))
            try:
                self.call(name, argv[1:], (*route, f"function {name}"), node)
            finally:
                self.sites.pop()
            # A definition in a subshell or a branch may not be in effect: the real one may run.
            return name not in self.maybe_functions
        return False

    def _definition_in_effect(self, name: str, cmd: SimpleCommand) -> FunctionDef | None:
        """The latest definition of ``name`` in effect at ``cmd``: made before the call (``git push;
        git() { :; }`` runs git), and not in a subshell the call is outside of. A call from inside a
        function counts where that function was called; a definition in another text (eval, a
        sourced file) is taken as in effect."""
        defs = self.definitions.get(name)
        if not defs:
            return self.functions[name]
        sites = [*self.sites, (self.text_ids[-1] if self.text_ids else 0, cmd)]
        for node, scope, text, start in reversed(defs):
            # Where the call happens in the definition's text: the outermost call running there.
            site = next((c for t, c in sites if t == text), None)
            if site is None:
                return node  # defined in another text (eval, a sourced file): not followed
            if (scope is None or id(site) in scope) and start <= site.start:
                return node
        return None

    # -- aliases ---------------------------------------------------------------------------
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

    # -- git -------------------------------------------------------------------------------
    def git(self, argv: Argv, route: tuple[str, ...], depth: int) -> None:
        base = basename(argv[0] or "").lower()
        config: dict[str, str | None] = self._env_config()
        where: list[str] = []
        verb: str | None = None
        if base.startswith("git-") and base != "git-":
            verb = base[4:]
            args = argv[1:]
        else:
            read = git_options.parse(argv[1:])
            i = read.verb_at + 1
            if i < len(argv) and argv[i] is None:
                self.flag("unresolved", None, route, "a git option or subcommand is not known statically")
                return
            for option, value in read.options:
                self._git_option(option, value, config, where)
            verb = argv[i] if i < len(argv) else None
            if verb is None or any(a in ("--help", "-h") for a in argv[1:i]):
                return  # git --help VERB only shows help
            args = argv[i + 1 :]
        if verb is not None:
            self._verb_settings(verb.lower(), args, config, route)
            self.git_verb(verb, args, config, where, route, depth)

    def _verb_settings(self, verb: str, args: Argv, config: dict[str, str | None], route: tuple[str, ...]) -> None:
        """The commands git's settings and options make this verb start (git_settings)."""
        tty = any(step.split(" ", 1)[0] in git_settings.PTY_WRAPPERS for step in route)
        config = {**self.git_config_set, **config}
        found = git_settings.commands(verb, args, config, self.env.lookup, tty)
        for label, value in found + git_settings.option_commands(verb, args):
            if value is None:
                if git_like(self.root_text) or self._mentions_verb(self.root_text):
                    self.flag("unresolved", None, (*route, label), "the command git would start is not known")
                continue
            self.source(value[1:] if value.startswith("!") else value, (*route, label))
        hooks_dir = config.get("core.hookspath")
        for hook in git_settings.HOOK_VERBS.get(verb, ()):
            for directory in ([hooks_dir] if hooks_dir else []) + [".git/hooks"]:
                path = os.path.join(directory, hook)
                if _norm(path) in self.files or (directory == hooks_dir and self._on_disk(path)):
                    self.run_file(path, SimpleCommand(0), (*route, f"{hook} hook"), [])

    def _git_option(self, opt: str, value: str | None, config: dict[str, str | None], where: list[str]) -> None:
        if opt == "-c" and value is not None:
            key, _, val = value.partition("=")
            config[key.lower()] = val
        elif opt == "-c":
            config["?"] = None
        elif opt == "--config-env":
            key, _, var = (value or "").partition("=")
            values = self.env.lookup(var) or [None]
            config[key.lower()] = values[0] if len(values) == 1 else None
        elif opt == "-C":
            where.append(value or "")
        elif opt == "--git-dir":
            config["?"] = None  # another repository's config: its aliases are not read here
        elif opt.startswith("--exec-path="):
            self.exec_paths.append(opt.split("=", 1)[1])

    def _env_config(self) -> dict[str, str | None]:
        """Config passed through GIT_CONFIG_COUNT/KEY/VALUE or GIT_CONFIG_PARAMETERS."""
        config: dict[str, str | None] = {}
        count = self.env.lookup("GIT_CONFIG_COUNT")
        if count:
            for i in range(8):
                for key in self.env.lookup(f"GIT_CONFIG_KEY_{i}") or []:
                    if key is not None:
                        vals = self.env.lookup(f"GIT_CONFIG_VALUE_{i}") or [None]
                        config[key.lower()] = vals[0]
        for params in self.env.lookup("GIT_CONFIG_PARAMETERS") or []:
            if params is None:
                config["?"] = None
                continue
            for item in params.split("' '"):
                key, _, val = item.strip("'").partition("'='")
                config[key.lower()] = val
        return config

    def git_verb(
        self, verb: str, args: Argv, config: dict[str, str | None], where: list[str], route: tuple[str, ...], depth: int
    ) -> None:
        low = verb.lower()
        if any(c in verb for c in "*?["):
            self._glob_verb(verb, route)
        if low in self.forbidden:
            if args[:1] == ["--help"] or args == ["-h"]:
                self.note(f"git {verb} --help only shows help")
                return
            self.flag("forbidden", low, route)
        if verb != low:
            # git runs a built-in only when spelled in lower case; any other spelling is looked up
            # as an alias, case-insensitively (`git STATUS` with alias.status set runs the alias).
            self._alias(verb, args, config, where, route, depth)
            return
        if low == "submodule":
            self._submodule(args, route)
        elif low == "bisect" and args[:1] == ["run"]:
            self.run(args[1:], SimpleCommand(0), (*route, "git bisect run"), 1)
        elif low == "rebase":
            self._rebase_exec(args, route)
        elif low == "config":
            self._git_config(args, route)
        elif low == "subtree":
            action = next((a for a in args if a is None or not a.startswith("-")), "")
            if action is None or action.lower() in self.forbidden:
                self.flag("forbidden", f"subtree {action or '?'}", route)
        elif low not in KNOWN_GIT:
            self._alias(verb, args, config, where, route, depth)

    def _glob_verb(self, verb: str, route: tuple[str, ...]) -> None:
        from fnmatch import fnmatchcase

        for name in sorted(self.forbidden):
            if fnmatchcase(name, verb.lower()):
                self.flag("forbidden", name, (*route, f"glob {verb}"))
                return

    def _submodule(self, args: Argv, route: tuple[str, ...]) -> None:
        if "foreach" not in args:
            return
        rest = args[args.index("foreach") + 1 :]
        while rest and rest[0] in ("--recursive", "--quiet", "-q"):
            rest = rest[1:]
        if any(a is None for a in rest):
            self.flag(
                "unresolved", None, (*route, "git submodule foreach"), "the command it runs is not known statically"
            )
            return
        self.source(" ".join(a or "" for a in rest), (*route, "git submodule foreach"))

    def _rebase_exec(self, args: Argv, route: tuple[str, ...]) -> None:
        for i, arg in enumerate(args):
            if arg in ("-x", "--exec") and i + 1 < len(args) and args[i + 1] is not None:
                self.source(args[i + 1] or "", (*route, "git rebase --exec"))
            elif arg is not None and arg.startswith("--exec="):
                self.source(arg[7:], (*route, "git rebase --exec"))

    def _git_config(self, args: Argv, route: tuple[str, ...]) -> None:
        """``git config [--scope] [set|--add] alias.X VALUE`` defines an alias for what follows."""
        plain = [a for a in args if a is None or not a.startswith("-")]
        if plain[:1] == ["set"]:
            plain = plain[1:]
        if len(plain) < 2 or plain[0] is None or plain[1] is None:
            return
        key, value = plain[0].lower(), plain[1]
        if key.startswith("alias."):
            self.git_aliases[key[6:]] = value
        else:
            self.git_config_set[key] = value  # used by the verbs that read it (git_settings)

    def _alias(
        self, verb: str, args: Argv, config: dict[str, str | None], where: list[str], route: tuple[str, ...], depth: int
    ) -> None:
        key = "alias." + verb.lower()
        value: str | None
        if key in config:
            value, origin = config[key], f"alias {verb} (given with -c)"
        elif verb.lower() in self.git_aliases:
            value, origin = self.git_aliases[verb.lower()], f"alias {verb} (set earlier)"
        elif (
            "?" in config
            or any(k.startswith("include") for k in config)
            or any(v in self.env.vars for v in _CONFIG_VARS)
        ):
            self.flag(
                "unresolved", None, route, f"git {verb} may be an alias from configuration that is not known statically"
            )
            return
        else:
            found = self._repo_alias(verb, where)
            if found is False:
                self.flag("unresolved", None, route, f"git {verb}: the repository's aliases could not be read")
                return
            if found is None or found is True:
                if not self._external(verb, args, route):
                    self.note(f"git {verb}: not a git command nor an alias here")
                return
            value, origin = found, f"alias {verb} (repository configuration)"
        options = [o for k, v in config.items() if v is not None and k != "?" for o in ("-c", f"{k}={v}")]
        options += [o for w in where for o in ("-C", w)]
        self.expand_alias(value, [*options, "\0", *args], (*route, f"git {origin}"), depth)

    def _external(self, verb: str, args: Argv, route: tuple[str, ...]) -> bool:
        """``git NAME`` runs a program git-NAME from the exec path or PATH: one this command wrote,
        or one on disk in a directory the command put there (the agent writes only in its worktree,
        which is on no PATH it did not set)."""
        program = f"git-{verb}"
        written = [k for k in self.files if basename(k) == program]
        dirs = [*self.exec_paths]
        for name in ("GIT_EXEC_PATH", "PATH"):
            for value in self.env.lookup(name) or []:
                dirs += (value or "").split(":")
        found = written + [
            os.path.join(d or ".", program) for d in dirs if self._on_disk(os.path.join(d or ".", program))
        ]
        for path in list(dict.fromkeys(found))[:3]:
            self.run_file(path, SimpleCommand(0), (*route, f"git {verb} -> {path}"), list(args))
        return bool(found)

    def expand_alias(self, value: str | None, args: Argv, route: tuple[str, ...], depth: int) -> None:
        if value is None or depth > 8:
            self.flag("unresolved", None, route, "the alias's value is not known statically")
            return
        split = args.index("\0") if "\0" in args else 0
        options, args = args[:split], args[split + 1 :] if "\0" in args else args
        rest = " ".join("'" + a.replace("'", "'\\''") + "'" if a is not None else '"$UNKNOWN"' for a in args)
        if value.startswith("!"):
            self.source(f"{value[1:]} {rest}", route)
            return
        try:
            script = parse(value)
        except ShellSyntaxError:
            self.flag("unresolved", None, route, "the alias's value cannot be read")
            return
        words = next((c.words for c in walk_commands(script)), [])
        fields = [f for fields in self._expand(words)[:1] for f in fields]
        self.git(["git", *options, *fields, *args], route, depth + 1)

    def _repo_alias(self, verb: str, where: list[str]) -> str | bool | None:
        """The repository's alias for ``verb`` (git asked once per directory); False on failure."""
        directory = self.cwd or os.getcwd()
        for step in where:
            directory = os.path.join(directory, step)
        if directory not in self.repo_aliases:
            self.repo_aliases[directory] = _read_aliases(directory)
        aliases = self.repo_aliases[directory]
        if aliases is None:
            return False
        return aliases.get(verb.lower())


def _read_aliases(directory: str) -> dict[str, str] | None:
    from integration_engineer.repository import git_runner

    script_files.unrecordable("git was asked for the repository's aliases")
    # Exit 1 is "no alias"; git that cannot run (or hangs) leaves the aliases unknown.
    code, out = git_runner.run(directory, ("config", "--get-regexp", r"^alias\."), timeout=3)
    if code == git_runner.FAILED:
        return None if os.path.isdir(directory) else {}
    aliases = {}
    for line in out.splitlines():
        key, _, value = line.partition(" ")
        aliases[key[6:].lower()] = value
    return aliases


def walk_commands(script: Script) -> list[SimpleCommand]:
    return [found.command for found in simple_commands(script)]


_SYSTEM_BIN = ("/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/")


def _system_program(name: str) -> bool:
    """A program in a system directory the agent cannot write: the program its name says, not a
    script to read (``/usr/bin/ls`` is ``ls``)."""
    return name.startswith(_SYSTEM_BIN) and name.count("/") == 2 + name.startswith("/usr/")


def _isolated_python(cmd: SimpleCommand, lang: str) -> bool:
    """``python -I``/``-P`` (alone or in a cluster, before the code): no local module is imported."""
    if lang not in ("python", "pypy"):
        return False
    for word in cmd.words[1:]:
        value = word.value or ""
        if value in ("-c", "-m", "--") or not value.startswith("-"):
            return False
        if not value.startswith("--") and ("I" in value[1:] or "P" in value[1:]):
            return True
    return False


def _certain_after(item: AndOr, j: int) -> bool | None:
    """Whether pipeline ``j`` of ``A && B || C`` surely runs (True), may run (False) or never
    does (None), when what comes before is a literal ``true``/``false`` (one step only)."""
    if j != 1:
        return False
    first = item.pipelines[0]
    status = _constant(CommandList([AndOr([first], [])], [])) if not first.negated else None
    if status is None:
        return False
    runs = status if item.ops[0] == "&&" else not status
    return True if runs else None


def _fd_file(cmd: SimpleCommand, fd: str) -> str | None:
    """The file the command itself opens for reading on descriptor ``fd`` (``3<job``)."""
    for redirect in reversed(cmd.redirects):
        if redirect.fd == fd:
            return redirect.target.value if redirect.op == "<" else None
    return None


def _start(node: FunctionDef) -> int:
    """Where a definition starts: its body's first command (-1 when it has none)."""
    return min((found.command.start for found in simple_commands(node.body)), default=-1)


def _scope(node: object) -> frozenset[int]:
    """The simple commands of a subshell: where a function it defines is in effect."""
    return frozenset(id(found.command) for found in simple_commands(node))  # type: ignore[arg-type]


def _is_git(base: str) -> bool:
    low = base.lower()
    if low in ("git", "hub", "git.exe") or (low.startswith("git-") and len(low) > 4):
        return True
    if any(c in base for c in "*?["):
        from fnmatch import fnmatchcase

        return fnmatchcase("git", low) or any(fnmatchcase(f"git-{v}", low) for v in ("push", "commit", "add", "merge"))
    return False


def _norm(path: str) -> str:
    while path.startswith("./"):
        path = path[2:]
    return path


def cmd_text(cmd: SimpleCommand) -> str:
    text = " ".join(w.raw for w in cmd.words)
    return text if len(text) < 80 else text[:77] + "..."


# Builtins run before a hashed path (hash -p /usr/bin/git echo; echo push prints).
_BUILTINS = frozenset(
    {"echo", "printf", "cd", "read", "test", "[", "true", "false", ":", "export", "set", "unset", "type", "hash"}
)
# Text showing that bash evaluates a variable's value again: arithmetic, ${x@P}, integer variables.
_EVALUATING = ("((", "$[", "let ", "@P", "-i ", "[[", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "[$")


def _constant(node: object) -> bool | None:
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


def _conftests(top: str, depth: int = 0) -> list[str]:
    """conftest.py files pytest would import under ``top`` (a few levels, no vendored trees),
    looked up through script_files so that the script cache notes every directory listed."""
    skip = {"node_modules", "venv", "build", "dist", "__pycache__", "target", "vendor"}
    found: list[str] = []
    for name in script_files.list_dir(top):
        path = os.path.join(top, name)
        if name == "conftest.py" and script_files.is_file(path):
            found.append(path)
        elif depth < 3 and name not in skip and not name.startswith(".") and script_files.signature(path)[:1] == (2,):
            found += _conftests(path, depth + 1)  # a directory: its listing is noted when read
        if len(found) > 20:
            break
    return found


_MAKE_DRY = frozenset({"-n", "--dry-run", "--just-print", "--recon", "-q", "--question"})


def _make_extra(args: Argv, i: int, arg: str | None) -> list[tuple[str, str | None]]:
    """``make --eval TEXT`` / ``-E TEXT``: makefile text given on the command line."""
    if arg in ("--eval", "-E") and i + 1 < len(args):
        return [("make --eval", args[i + 1])]
    if arg is not None and arg.startswith("--eval="):
        return [("make --eval", arg[7:])]
    return []


def _makefile_lines(text: str) -> list[str]:
    """The commands of makefile text: recipe lines (tab, or after ``target: ;``) and $(shell ...)."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("\t"):
            lines.append(line[1:].lstrip("@-+"))
        elif ":" in line and ";" in line.split(":", 1)[1]:
            lines.append(line.split(":", 1)[1].split(";", 1)[1].lstrip("@-+"))
        if "$(shell " in line:
            lines.append(line.split("$(shell ", 1)[1].rsplit(")", 1)[0])
    return lines
