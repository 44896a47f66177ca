"""Build and package tools: package.json scripts, ``npm exec``, make recipes, forge CLIs that merge."""

from __future__ import annotations

import os

from integration_engineer.bash import script_files
from integration_engineer.bash.expand import Argv
from integration_engineer.bash.parser import SimpleCommand
from integration_engineer.bash.resolve import INHERITED_PATH, Step, basename
from integration_engineer.bash.triggers import git_like
from integration_engineer.git_guard.analysis_state import MAX_DEPTH
from integration_engineer.git_guard.known_files import norm, written_in
from integration_engineer.git_guard.search_path import SearchPath

COMPILERS = frozenset({"gcc", "cc", "clang", "g++", "c++", "clang++", "tcc"})
# Compiler options whose value is the next word (not a source file).
_CC_VALUES = frozenset({"-x", "-I", "-L", "-l", "-D", "-U", "-include", "-MF", "-MT", "-isystem", "-std"})
# Task runners and the files they run commands from: (default names, options naming another
# file, how the file says its commands: "recipes" indented under a target, "cmds" YAML lists,
# "ini" tox commands, "python" noxfile code, "ruby" Rakefile code, "meson" run_command calls).
TASK_FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "just": (("justfile", "Justfile", ".justfile"), ("-f", "--justfile"), "recipes"),
    "task": (("Taskfile.yml", "Taskfile.yaml", "taskfile.yml", "taskfile.yaml"), ("-t", "--taskfile"), "cmds"),
    "tox": (("tox.ini",), ("-c",), "ini"),
    "nox": (("noxfile.py",), ("-f", "--noxfile"), "python"),
    "rake": (("Rakefile", "rakefile", "Rakefile.rb"), ("-f", "--rakefile"), "ruby"),
    "meson": (("meson.build",), (), "meson"),
}
# Options with which the tool only prints (its help, version, list of recipes) and reads nothing
# of its file that runs: just parses its justfile lazily (backticks run with a recipe, not a
# listing), nox and rake print help before loading noxfile.py / the Rakefile.
_TASK_PRINTS = {
    "just": frozenset({"--list", "-l", "--summary", "--help", "-h", "--version", "-V"}),
    "tox": frozenset({"--help", "-h", "--version"}),
    "nox": frozenset({"--help", "-h", "--version"}),
    "rake": frozenset({"--help", "-h", "--version", "-V"}),
}
# Forge CLIs whose subcommand merges a pull/merge request into its base branch.
FORGE_MERGES = {"gh": ("pr", "merge"), "glab": ("mr", "merge")}


class BuildTools(SearchPath):
    """What build tools and package managers run."""

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
            self.run(self.local_bin(rest), cmd, here, depth + 1)

    def local_bin(self, argv: Argv) -> Argv:
        """``npx NAME``, ``npm exec NAME``: the package's own ``node_modules/.bin/NAME`` when there
        is one (in the directory or a parent, as npm looks), run as the program it is."""
        name = argv[0] if argv else None
        if name is None or "/" in name or name.startswith("-"):
            return argv
        directory = self.cwd or os.getcwd()
        for _ in range(6):
            path = os.path.join(directory, "node_modules", ".bin", name)
            if script_files.is_file(path):
                return [path, *argv[1:]]
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
        return argv

    def package_scripts(self, argv: Argv, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """``npm run NAME`` and the like: the package.json scripts, run in its directory."""
        tool = basename(argv[0] or "")
        if script_files.version_commits(argv[1:]) and "commit" in self.forbidden:
            self.flag("forbidden", "commit", (*route, f"{tool} version (it commits the version)"))
        for key, text in self._written_runner_files(("package.json",), cmd, route):
            scripts = _json_scripts(text)
            if scripts is None:
                self._unknown_runner_file(key, cmd, route)
            for name, line in scripts or []:
                self.source(line, (*route, f"{key} script {name}, written in this command"))
        found = script_files.package_scripts(argv[1:], self.cwd or os.getcwd())
        if found is None:
            return
        directory, runs = found
        # npm runs a script with the package's node_modules/.bin first on PATH, by its script-shell.
        prior = self.search_alternatives("PATH") or [INHERITED_PATH]
        bin_dir = os.path.join(directory, "node_modules", ".bin")
        shells = self._script_shells(directory)
        self.prefix_search.append({"PATH": [None if p is None else f"{bin_dir}:{p}" for p in prior]})
        try:
            for name, text in runs:
                for shell in shells:
                    line = text if shell is None else f"{shell} -c {script_files.quoted(text)}"
                    self._source_in(directory, line, (*route, f"{tool} script {name}"))
        finally:
            self.prefix_search.pop()

    def _written_runner_files(
        self, names: tuple[str, ...], cmd: SimpleCommand, route: tuple[str, ...]
    ) -> list[tuple[str, str | None]]:
        """The files of these names (in any directory: over-approximated) the command writes
        before a runner reads them (``printf ... > Makefile; make``): read from disk they would be
        missed. Their text, None when it is not known (also when a program not followed writes
        one)."""
        found = [(k, v) for k, v in self.files.items() if basename(k) in names]
        found += [
            (n, None) for n in names if n and all(basename(k) != n for k, _ in found) and written_in(self.root_text, n)
        ]
        return found

    def _unknown_runner_file(self, key: str, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        why = f"{key} is written in this command with text that is not known"
        if git_like(self.root_text):
            self.flag("unresolved", None, route, f"{why}, and the command names git")
        else:
            self.dynamic_script(cmd, route, why)

    def _script_shells(self, directory: str) -> list[str | None]:
        """The shell npm runs scripts with: ``script-shell`` of the project's .npmrc or
        ``npm_config_script_shell`` (None: sh)."""
        found: list[str | None] = [v for v in self.env.lookup("npm_config_script_shell") or [] if v]
        for line in (self.files.get(os.path.join(directory, ".npmrc")) or "").splitlines():
            key, _, value = line.partition("=")
            if key.strip() in ("script-shell", "script_shell") and value.strip():
                found.append(value.strip())
        return found or [None]

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
        given = [basename(a or "") for i, a in enumerate(args[1:]) if args[i] in ("-f", "--file", "--makefile")]
        given += [a.split("=", 1)[1] for a in args if a is not None and a.startswith(("--file=", "--makefile="))]
        for key, text in self._written_runner_files((*_MAKEFILE_NAMES, *given), cmd, route):
            if text is None:
                self._unknown_runner_file(key, cmd, route)
            for line in _makefile_lines(text or ""):
                self.source(line, (*route, f"{key}, written in this command"))
        # A make run by a recipe gets its parent's command-line variables through MAKEFLAGS.
        decide = not any("make recipe" in r for r in route) and "MAKEFLAGS" not in self.root_text
        decide = decide and "MFLAGS" not in self.root_text
        try:
            found = script_files.make_recipes(args, self.cwd or os.getcwd(), self.certain_environ(cmd), decide)
        except script_files.TooManyTargets:
            # The recipes not read may run scripts that run git: nothing of the rest is known.
            why = f"make runs more than {script_files.MAX_PREREQUISITES} targets here, more than are read"
            self.flag("unresolved", None, (*route, "make"), why)
            return
        if found is None:
            self.note("make: no Makefile here; nothing to analyse")
            return
        directory, shells, lines = found
        dry = any(
            a in _MAKE_DRY or (a[:1] == "-" and a[1:2] != "-" and any(f in a for f in "nqt") and a[1:].isalpha())
            for a in args
            if a
        )
        if (shells or lines) and self.env.lookup("BASH_ENV") is not None and self._make_bash(args, directory):
            self.bash_children(cmd, route, "make runs its recipes with SHELL bash")
        for line in shells:  # $(shell ...) runs as the makefile is read, -n or not
            self._source_in(directory, line, (*route, "make $(shell ...)"))
        for line in lines:
            if dry and not line.lstrip("@-").startswith("+"):
                continue  # make -n/-q/-t runs no recipe line but a "+" one (or one with $(MAKE))
            line = line.lstrip("@-+")
            if dry:  # a sub-make gets -n (or -q) through MAKEFLAGS: it runs no recipe either
                line = " ".join("make -n" if word == "make" else word for word in line.split(" "))
            self._source_in(directory, line, (*route, "make recipe"))

    def _make_bash(self, args: Argv, directory: str) -> bool:
        """Whether make's SHELL may be bash (``SHELL=bash`` given, or set in a makefile there):
        make never takes SHELL from the environment, and its default /bin/sh reads no BASH_ENV."""
        if any(a is None or (a.startswith("SHELL") and "=" in a and "bash" in a) for a in args):
            return True
        names = [a for i, a in enumerate(args) if i and args[i - 1] in ("-f", "--file", "--makefile")]
        for name in [*names, "GNUmakefile", "makefile", "Makefile"]:
            text = self.files.get(os.path.join(directory, name or ""))
            if text is None and name is None:
                return True
            lines = (text or "").splitlines()
            if any(
                line.lstrip().startswith(("SHELL", "export SHELL", "include", "-include"))
                and ("bash" in line or "include" in line or "$" in line)
                for line in lines
            ):
                return True
        return False

    def compile(self, argv: Argv, cmd: SimpleCommand) -> None:
        """``gcc -o t x.c`` (or ``-x c -`` from stdin): ``t`` runs what its sources say, kept in
        ``compiled`` (None when a source is not known) for when the command runs it."""
        args = argv[1:]
        if any(a in ("-c", "-S", "-E", "-fsyntax-only") for a in args):
            return  # no program is linked
        out: str | None = "a.out"
        sources: list[str | None] = []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "-o":
                out = args[i + 1] if i + 1 < len(args) else None
                i += 2
                continue
            if arg in _CC_VALUES:
                i += 2
                continue
            if arg is None:
                sources.append(None)
            elif arg.startswith("-o"):
                out = arg[2:]
            elif arg == "-":
                sources.append(self.stdin_of(cmd))
            elif not arg.startswith("-"):
                sources.append(self.files.get(arg))  # written earlier in the command, or on disk
            i += 1
        if out is None:
            return
        texts = [t for t in sources if t is not None]
        self.compiled[norm(out)] = "\n".join(texts) if len(texts) == len(sources) else None
        self.files[norm(out)] = None  # a binary: its text is not a script

    def task_runner(self, tool: str, argv: Argv, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """just, task, tox, nox, rake, meson: the commands of their file (every recipe or task,
        over-approximated), judged as shell text or as interpreter code."""
        names, options, kind = TASK_FILES[tool]
        args = argv[1:]
        given = [args[i + 1] for i, a in enumerate(args[:-1]) if a in options]
        if tool == "meson":  # meson setup [BUILD] [SOURCE]: the source's meson.build (default .)
            dirs = [a for a in args[1:] if a is not None and not a.startswith("-")] if args[:1] == ["setup"] else []
            given = [os.path.join(dirs[1] if len(dirs) > 1 else ".", "meson.build")] if args[:1] == ["setup"] else []
        here = (*route, f"{tool} file")
        if tool == "tox" and (self._on_disk("toxfile.py") or "toxfile.py" in self.files):
            # tox 4 imports the project's inline plugin as it starts, whatever it is asked.
            self.code(Step("code", "tox toxfile.py", path="toxfile.py", lang="python"), cmd, (*here, "toxfile.py"))
        if any(a in _TASK_PRINTS.get(tool, ()) for a in args):
            self.note(f"{tool} only prints its help, version or list here")
            return
        paths = given or [n for n in names if self._on_disk(n) or n in self.files]
        for path in paths[:1]:
            text = None if path is None else self.files.get(path)
            if text is None:
                self.dynamic_script(cmd, here, f"{path or 'its file'} cannot be read")
            elif kind in ("python", "ruby", "meson"):
                self.code(Step("code", f"{tool} {path}", text=_task_code(text, kind), lang=kind), cmd, here)
            else:
                directory = os.path.dirname(os.path.join(self.cwd or os.getcwd(), path or ""))
                for line in _task_lines(text, kind):
                    self._source_in(directory, line, (*here, path or tool))

    def forge(self, tool: str, args: Argv, route: tuple[str, ...]) -> None:
        """``gh pr merge``, ``glab mr merge``: the forge merges into the base branch, a git merge
        under another name (refused when ``merge`` is)."""
        words = [
            a
            for i, a in enumerate(args)
            if a is None or (not a.startswith("-") and not (i and args[i - 1] in ("-R", "--repo")))
        ]
        if "merge" in self.forbidden and words[:2] == list(FORGE_MERGES[tool]):
            self.flag("forbidden", "merge", (*route, f"{tool} {' '.join(FORGE_MERGES[tool])}"))

    def _source_in(self, directory: str, text: str, route: tuple[str, ...]) -> None:
        saved, saved_dirs = self.cwd, self.cd_dirs
        self.cwd, self.cd_dirs = directory, []
        try:
            self.source(text, route)
        finally:
            self.cwd, self.cd_dirs = saved, saved_dirs


_MAKE_DRY = frozenset({"-n", "--dry-run", "--just-print", "--recon", "-q", "--question", "-t", "--touch"})


def _make_extra(args: Argv, i: int, arg: str | None) -> list[tuple[str, str | None]]:
    """``make --eval TEXT`` / ``-E TEXT``: makefile text given on the command line."""
    if arg in ("--eval", "-E") and i + 1 < len(args):
        return [("make --eval", args[i + 1])]
    if arg is not None and arg.startswith("--eval="):
        return [("make --eval", arg[7:])]
    return []


_MAKEFILE_NAMES = ("GNUmakefile", "makefile", "Makefile")


def _json_scripts(text: str | None) -> list[tuple[str, str]] | None:
    """The scripts of a package.json text, None when it is not known or not JSON."""
    if text is None:
        return None
    from integration_engineer.runtime import json_codec

    try:
        data = json_codec.loads(text)
    except (ValueError, RecursionError):
        return None
    scripts = data.get("scripts") if isinstance(data, dict) else None
    return [(k, v) for k, v in scripts.items() if isinstance(v, str)] if isinstance(scripts, dict) else []


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


def _task_lines(text: str, kind: str) -> list[str]:
    """The shell commands of a justfile (indented recipe lines), a Taskfile (``cmds:`` items and
    ``cmd:`` values) or tox.ini (``commands`` values and their continuation lines)."""
    lines: list[str] = []
    inside = False
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if kind == "recipes":
            if raw[:1] in (" ", "\t"):
                lines.append(stripped.lstrip("@-"))
        elif kind == "cmds":
            if stripped.startswith("cmd:") or (inside and stripped.startswith("- ")):
                value = stripped.split(":", 1)[1] if stripped.startswith("cmd:") else stripped[2:]
                value = value.strip()
                lines.append(value[1:-1] if value[:1] in "'\"" and value[-1:] == value[:1] else value)
            elif stripped.endswith(":"):
                inside = stripped.startswith(("cmds:", "- cmds:"))
        elif kind == "ini":
            key, sep, value = stripped.partition("=")
            if raw[:1] not in (" ", "\t"):
                inside = bool(sep) and key.strip().startswith("commands")
                if inside and value.strip():
                    lines.append(value.strip().lstrip("-"))
            elif inside:
                lines.append(stripped.lstrip("-"))
    return lines


def _task_code(text: str, kind: str) -> str:
    """Code as the interpreter checks read it: Ruby's ``sh "..."`` starts a shell like ``system``."""
    if kind == "ruby":
        return text.replace("sh(", "system(").replace('sh "', 'system "').replace("sh '", "system '")
    return text
