"""The engine behind ``git_operations.analyse``: follow a parsed command to the programs it runs.

State is shared along one analysis: variables the command assigns, functions and aliases it
defines, files it writes (with their content when known), git aliases it configures.
"""

from __future__ import annotations

import os

from integration_engineer.bash import code as code_text
from integration_engineer.bash import script_files
from integration_engineer.bash.commands import parsed
from integration_engineer.bash.expand import PSUB, Argv, Env, expand_argv, value_of
from integration_engineer.bash.lexer import ArrayLit, Lit, Param, ShellSyntaxError, Word
from integration_engineer.bash.output import (
    argv_stdout,
    pipeline_stdout,
    redirected_stdin,
    script_stdout,
)
from integration_engineer.bash.parser import (
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
    walk,
)
from integration_engineer.bash.resolve import SHELLS, Step, basename, interpreter, unwrap
from integration_engineer.bash.triggers import git_like
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
# Config keys whose value git runs as a command.
_COMMAND_KEYS = (
    "core.pager",
    "core.editor",
    "sequence.editor",
    "core.sshcommand",
    "diff.external",
    "core.fsmonitor",
    "credential.helper",
    "gpg.program",
    "core.askpass",
    "pager.",
    "interactive.difffilter",
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
_COMMAND_VARS = frozenset(
    {
        "GIT_EDITOR",
        "GIT_SEQUENCE_EDITOR",
        "GIT_PAGER",
        "PAGER",
        "EDITOR",
        "VISUAL",
        "GIT_SSH_COMMAND",
        "GIT_SSH",
        "GIT_ASKPASS",
        "SSH_ASKPASS",
        "GIT_EXTERNAL_DIFF",
        "PROMPT_COMMAND",
        "BASH_ENV",
        "ENV",
    }
)


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
        self.calling: list[str] = []
        self.called: set[str] = set()
        self.shell_aliases: dict[str, str] = {}
        self.git_aliases: dict[str, str] = {}
        self.repo_aliases: dict[str, dict[str, str] | None] = {}
        self.var_raw: dict[str, str] = {}
        self.findings: list[GitFinding] = []
        self.notes: list[str] = []
        self.depth = 0
        self.root_text = ""
        self.cd_dirs: list[str] = []  # directories a cd in the command may have moved to

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
        try:
            self.script(script, route)
        finally:
            self.depth -= 1
            self.env.positional = saved

    def script(self, script: Script, route: tuple[str, ...]) -> None:
        before = set(self.functions)
        self._bind(script.body)
        for cmd, via in walk(script):
            if any(v.startswith("function ") for v in via):
                continue
            self.command(cmd, route + via)
        for name in set(self.functions) - before - self.called:
            self.called.add(name)
            self.call(name, None, (*route, f"function {name}"))

    def _bind(self, node: object, top: bool = True) -> None:
        """Function definitions and loop variables anywhere in the script (flow-insensitive)."""
        if isinstance(node, CommandList):
            for item in node.items:
                for pipeline in item.pipelines:
                    for cmd in pipeline.commands:
                        self._bind(cmd, top and isinstance(cmd, (FunctionDef, Group)))
        elif isinstance(node, FunctionDef):
            self.functions[node.name] = node
            if not top:
                self.maybe_functions.add(node.name)
            self._bind(node.body, False)
        elif isinstance(node, For):
            if node.var:
                values: list[str | None] = []
                for word in node.words if node.words is not None else []:
                    values.extend(f for fields in self._expand([word]) for f in fields)
                self.env.assign(node.var, values or [None])
            self._bind(node.body, False)
        elif isinstance(node, Group):
            self._bind(node.body, top)
        elif isinstance(node, Subshell):
            self._bind(node.body, False)
        else:
            for child in _branches(node):
                self._bind(child, False)

    def call(self, name: str, args: list[str | None] | None, route: tuple[str, ...]) -> None:
        """A function's body runs with the call's arguments as $1...; unknown when never called."""
        if self.depth >= MAX_DEPTH:
            return
        saved = self.env.positional
        self.env.positional = args
        self.depth += 1
        self.calling.append(name)
        try:
            for cmd, via in walk(self.functions[name].body):
                self.command(cmd, route + via)
        finally:
            self.calling.pop()
            self.depth -= 1
            self.env.positional = saved

    # -- simple commands ----------------------------------------------------------------------
    def command(self, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        for word in cmd.assignments:
            self.assignment(word, route)
        if cmd.words:
            for argv in self._expand(cmd.words):
                self.run(argv, cmd, route, 0)
        self.record_writes(cmd)

    def _expand(self, words: list[Word]) -> list[Argv]:
        return expand_argv(words, self.env)

    def assignment(self, word: Word, route: tuple[str, ...]) -> None:
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
        if name in _COMMAND_VARS:
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
        base = basename(name)
        if _is_git(base):
            self.git(argv, route, 0)
            return
        if base in _DECLARE or base in _READERS:
            self.builtin_assignment(base, argv, cmd)
        if base == "alias":
            self.alias_builtin(argv, route)
            return
        if "/" in name and _norm(name) in self.files:
            self.run_file(name, cmd, (*route, name), argv[1:])
            return
        if base in ("cd", "pushd") and len(argv) > 1 and argv[1] is not None:
            self.cd_dirs.append(os.path.join(self.cwd or os.getcwd(), os.path.expanduser(argv[1])))
        step = unwrap(argv)
        if step is not None:
            self.follow(step, cmd, route, depth)
        elif base in script_files.PACKAGE_TOOLS:
            self.package_scripts(argv, cmd, route)
        elif base in script_files.MAKE_TOOLS:
            self.make(argv, cmd, route)
        elif base in _FORGE_MERGES:
            self.forge(base, argv[1:], route)
        elif "/" in name:
            self.disk_file(name, cmd, (*route, name), argv[1:], as_program=True)

    def follow(self, step: Step, cmd: SimpleCommand, route: tuple[str, ...], depth: int) -> None:
        here = (*route, step.label)
        if step.kind == "argv" and step.argv is not None:
            self.run(step.argv, cmd, here, depth + 1)
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
        if path in _STDIN_PATHS:
            text = self.stdin_of(cmd)
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
            return [path] if os.path.isfile(path) else []
        found: list[str] = []
        for directory in (self.cwd or os.getcwd(), *self.cd_dirs):
            candidate = os.path.normpath(os.path.join(directory, path))
            if candidate not in found and os.path.isfile(candidate):
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
        found = script_files.make_recipes(argv[1:], self.cwd or os.getcwd())
        if found is None:
            self.note("make: no Makefile here; nothing to analyse")
            return
        directory, lines = found
        for line in lines:
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
        items: list[str | None] = list(data.split()) if data is not None else [None]
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
        if not code_text.spawns(text, step.lang):
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

    def shell_definitions(
        self, argv: Argv, cmd: SimpleCommand, route: tuple[str, ...], depth: int, functions: bool
    ) -> bool:
        """Aliases, functions, ``command`` and ``unset`` as bash applies them; True when handled."""
        name = argv[0] or ""
        if name in self.shell_aliases and depth == 0:
            # Non-interactive bash does not expand aliases: follow the text, then the real name too.
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
            self.called.add(name)
            self.call(name, argv[1:], (*route, f"function {name}"))
            # A definition in a subshell or a branch may not be in effect: the real one may run.
            return name not in self.maybe_functions
        return False

    # -- aliases ---------------------------------------------------------------------------
    def alias_builtin(self, argv: Argv, route: tuple[str, ...]) -> None:
        for arg in argv[1:]:
            if arg is None:
                self.flag("unresolved", None, (*route, "alias"), "an alias with unknown text")
                continue
            name, eq, value = arg.partition("=")
            if eq:
                self.shell_aliases[name] = value
                self.source(value, (*route, f"alias {name}"))

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
        self._config_commands(config, route)
        if verb is not None:
            self.git_verb(verb, args, config, where, route, depth)

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

    def _config_commands(self, config: dict[str, str | None], route: tuple[str, ...]) -> None:
        for key, value in config.items():
            if key.startswith(_COMMAND_KEYS) and value and git_like(value):
                self.source(value.lstrip("!"), (*route, f"git -c {key}"))

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
        if key.startswith(_COMMAND_KEYS) and git_like(value):
            self.source(value.lstrip("!"), (*route, f"git config {key}"))

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
                self.note(f"git {verb}: not a git command nor an alias here")
                return
            value, origin = found, f"alias {verb} (repository configuration)"
        options = [o for k, v in config.items() if v is not None and k != "?" for o in ("-c", f"{k}={v}")]
        options += [o for w in where for o in ("-C", w)]
        self.expand_alias(value, [*options, "\0", *args], (*route, f"git {origin}"), depth)

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
    return [cmd for cmd, _via in walk(script)]


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
