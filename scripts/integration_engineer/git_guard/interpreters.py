"""Interpreter code: its local imports, start-up files and preloads, ``python -m``, pytest's conftest.py."""

from __future__ import annotations

import os

from integration_engineer.bash import code as code_text
from integration_engineer.bash import live_code, script_files, startup
from integration_engineer.bash.expand import PSUB, Argv
from integration_engineer.bash.parser import SimpleCommand
from integration_engineer.bash.resolve import Step, basename, interpreter
from integration_engineer.bash.triggers import git_like
from integration_engineer.git_guard import pytest_selection
from integration_engineer.git_guard.known_files import norm
from integration_engineer.git_guard.scripts import Scripts


class Interpreters(Scripts):
    """Code run by an interpreter, and the files it loads."""

    def code(self, step: Step, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        if step.module is not None:
            self.python_module(step.module, step.positional or [], cmd, route, step.argv)
            return
        if step.lang in ("node", "nodejs") and _node_check_only(step.argv):
            self.note(f"{step.label}: node --check only parses the code (its preloads still run)")
            return
        found, text = self._code_text(step, cmd)
        if not found:
            return
        if text is None:
            self.dynamic_script(cmd, route, "the code it runs is not known")
            return
        if step.lang == "perl" and _perl_compile_only(step.argv) and not step.label.startswith("import "):
            text = _perl_compile_time(text)
            if not text:
                self.note(f"{step.label}: perl -c only compiles, and the code has no BEGIN/CHECK block nor use")
                return
        text = self._live(text, step, cmd, route)
        started = code_text.awk_commands(text) if step.lang == "awk" else None
        if started is not None:
            self.awk_started(started, text, step, cmd, route)
            return
        self.local_imports(text, step, cmd, route)
        if code_text.eval_arguments(text, step.lang):
            self._evaluated_literals(text, step, cmd, route)
        if step.path is None and (computed := code_text.evaluated(text, step.lang)):
            if not self._evaluated(computed, step, cmd, route):
                return
            for arg in computed:  # read as the code it decodes to: the rest is judged without it
                text = (
                    text.replace(arg, "None")
                    .replace("exec(None", "run_code(None")
                    .replace("eval(None", "run_code(None")
                )
        if step.lang == "perl":
            self._perl_pipes(text, route)
        spawns = code_text.spawns(text, step.lang)
        if spawns and self.env.lookup("BASH_ENV") is not None and any(w in text for w in ("bash", ".sh", "./")):
            self.bash_children(cmd, route, f"{step.label} may start bash")  # os.system's /bin/sh reads none
        if spawns and not code_text.only_printed(text, git_like):
            self._spawned(text, step, cmd, route)

    def _code_text(self, step: Step, cmd: SimpleCommand) -> tuple[bool, str | None]:
        """(whether there is code to read, its text: None when not known): the text given, stdin
        for ``-``, or the file (written by the command, or on disk)."""
        if step.text is not None:
            return True, step.text
        if step.path == "-":
            return True, self.stdin_of(cmd)
        if step.path is None:
            return True, None
        if norm(step.path) not in self.files and not self._on_disk(step.path):
            self.note(f"{step.path} is not a file here; nothing to analyse")
            return False, None
        return True, self.files.get(step.path)

    def _live(self, text: str, step: Step, cmd: SimpleCommand, route: tuple[str, ...]) -> str:
        """The part of the code that may run (``live_code``), for the languages it reads."""
        if step.lang in ("python", "pypy"):
            live, emptied = self._python_live(text, step)
            self._named_again(live, cmd, route)
            if emptied:
                self.pruned.append((frozenset(emptied), text, step))
            return live
        if step.lang in ("node", "nodejs", "bun"):
            used = "\n".join([*self.importers, self.root_text]) if self.importers else ""
            if self.called_by_name:  # read again whole: something may call what was left out
                return text
            live, emptied = live_code.javascript_pruned(text, used, self.certain_environ(cmd))
            self._named_again(live, cmd, route, javascript=True)
            if emptied:
                self.pruned.append((frozenset(emptied), text, step))
            return live
        if step.lang == "tclsh":
            return live_code.tcl(text)
        if step.lang == "perl":
            return live_code.perl(text, "\n".join([*self.importers, self.root_text]) if self.importers else "")
        return text

    def _python_live(self, text: str, step: Step) -> tuple[str, list[str]]:
        """The part of python code that runs (``live_code.python``): run as ``__main__`` unless
        imported (a module, a package's ``__init__``, a start-up module); its functions called
        only by the code importing it, unless a framework calls them by name (pytest's conftest
        and plugins) or an interactive session may follow (``-i``)."""
        flags = startup.python_flags(list(step.argv[1:]) if step.argv else [])
        if self.called_by_name or "i" in flags or any(self.env.lookup("PYTHONINSPECT") or []):
            return text, []
        if self.hooks is not None:  # a runner's conftest or plugin, when the runner runs no test
            return live_code.python_pruned(text, main=False, hooks=self.hooks)
        imported = step.label.startswith("import ") or basename(step.path or "") == "__init__.py"
        imported = imported or any(m in step.label for m in ("sitecustomize", "usercustomize", ".pth"))
        used = "\n".join([*self.importers, self.root_text]) if self.importers else ""
        return live_code.python_pruned(text, not imported, used, "\n".join(self.importers))

    def _named_again(self, live: str, cmd: SimpleCommand, route: tuple[str, ...], javascript: bool = False) -> None:
        """Python (or JavaScript) read earlier with function bodies left out (nothing named them
        then): code read since that names one of them (``from m import *`` in another module,
        then the call), or reaches names by reflection, may call it: that code is read whole."""
        if not self.pruned:
            return
        said = set(live_code.words(live))
        reflective = live_code.reflective(live) or (javascript and live_code.js_walks(live))
        for entry in list(self.pruned):
            names, whole, origin = entry
            if entry in self.pruned and (reflective or names & said):
                self.pruned.remove(entry)
                framework, self.called_by_name = self.called_by_name, True
                try:
                    label = f"{origin.label} (whole)"
                    self.code(Step("code", label, argv=origin.argv, text=whole, lang=origin.lang), cmd, (*route, label))
                finally:
                    self.called_by_name = framework

    def _spawned(self, text: str, step: Step, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """Code that starts processes: the command lines its literals spell, else a guess from
        the git and verbs named in it, encoded text, or git in its input."""
        before = len(self.findings)
        said = code_text.unprinted(text)  # text it only prints names nothing it runs
        for candidate in code_text.candidates(said):
            if git_like(candidate):
                self._quiet_source(candidate, route)
        if len(self.findings) > before:
            return
        args = [a.lower() for a in step.positional or [] if a is not None]
        glued = code_text.words(" ".join(code_text.literals(said, fold=True)))  # "pu" + "sh"
        named = code_text.words(said) | glued
        named |= {w[4:] for w in named if w.startswith("git-")}  # execv(git, ["git-add", ...]): argv[0] decides
        mentions = bool(named & self.forbidden) or any(a in self.forbidden for a in args)
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

    def _evaluated_literals(self, text: str, step: Step, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """Code that evaluates a value built from its own literals (``c = "imp" + "ort os..."``;
        ``exec(c)``): those literals, joined where the code joins them, are read as code too."""
        joined = "\n".join(code_text.literals(text, fold=True))
        if joined.strip() and joined != text:
            label = f"{step.label} evaluated literals"
            self.code(Step("code", label, argv=step.argv, text=joined, lang=step.lang), cmd, route)

    def _evaluated(self, computed: list[str], step: Step, cmd: SimpleCommand, route: tuple[str, ...]) -> bool:
        """eval/exec of a value computed as the code runs: a literal decoded (base64, hex) is read
        as the code it is; anything else cannot be known (refused: False)."""
        for arg in computed:
            text = code_text.decoded(arg)
            if text is None:
                self.flag(
                    "unresolved", None, route, f"interpreter code evaluates text computed as it runs ({arg[:40]})"
                )
                return False
            self.code(Step("code", f"{step.label} decoded", argv=step.argv, text=text, lang=step.lang), cmd, route)
        return True

    def _perl_pipes(self, text: str, route: tuple[str, ...]) -> None:
        """perl's ``open`` of a pipe starts its command with a shell; one the code writes to reads
        the text the code prints (its literals, as a here-document)."""
        for command, writes in code_text.perl_pipes(text):
            here = (*route, "open pipe")
            if command is None:
                if git_like(self.root_text):
                    self.flag("unresolved", None, here, "perl opens a pipe to a command that is not known")
                continue
            if not writes:
                self._quiet_source(command, here)
                continue
            fed = "\n".join(s for s in code_text.literals(text) if s.strip() not in ("|-", command))
            self._quiet_source(f"{command} <<'__PERL_PIPE__'\n{fed}\n__PERL_PIPE__", here)

    def awk_started(
        self, started: list[tuple[str, str]], text: str, step: Step, cmd: SimpleCommand, route: tuple[str, ...]
    ) -> None:
        """The commands an awk program starts (``code.awk_commands``), each run by ``sh -c``: one
        fed by ``print | CMD`` reads what awk prints, not known here but made of its program and
        input; ``system`` and ``| getline`` commands share awk's stdin."""
        stdin = self.stdin_of(cmd)
        inputs = [stdin if a == "-" else self.files.get(a) for a in step.positional or [] if a is not None]
        printed = " ".join([text, *code_text.candidates(text)])  # literals joined: "gi" "t push"
        if None in (stdin, *inputs) or None in (step.positional or []):
            printed += " " + self.root_text
        else:
            printed = " ".join([printed, stdin or "", *(i or "" for i in inputs)])
        for kind, command in started:
            fed = (None, False, printed) if kind == "out" else (stdin, False, self.inherited[-1][2])
            self.inherited.append(fed)
            try:
                self.source(command, (*route, f"awk runs {command!r}"))
            finally:
                self.inherited.pop()

    def local_imports(self, text: str, step: Step, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """Modules the code imports from the directories its interpreter looks in, and files it
        runs by name (``runpy.run_path``, ``exec(open(...).read())``), run their code too."""
        lang = step.lang
        if lang in ("python", "pypy"):
            dirs = self._python_dirs(step.argv) + self._site_dirs(text, step, cmd, route)
            paths = [
                os.path.join(d, p) if d else p
                for n in [m.replace(".", "/") for m in startup.python_imports(text)]
                for d in dirs
                for p in (f"{n}.py", f"{n}/__init__.py")
            ]
            paths += startup.python_files_run(text)
            if step.path is None and ("run_path(" in text or "exec(" in text) and "argv" in text:
                paths += [a for a in step.positional or [] if a is not None]  # run_path(sys.argv[1])
            if step.path is None and ("eval(" in text or "exec(" in text):
                self._argv_code(text, step, cmd, route)
        elif lang in ("node", "nodejs", "bun"):
            here = os.path.dirname(step.path or "")  # require("./x") is relative to the requiring file
            found = [os.path.normpath(os.path.join(here, r)) for r in startup.node_requires(text)]
            paths = [p for r in found for p in (r, f"{r}.js", f"{r}/index.js", f"{r}.mjs", f"{r}.cjs")]
            if not any(r.startswith("require ") for r in route):  # a package's own packages: not followed
                paths += [p for name in startup.node_packages(text) for p in self._node_package(name)]
        elif lang == "perl":
            modules, more = startup.perl_modules_used(text)
            dirs = (
                _perl_dirs(step.argv) + more + [d for v in self.env.lookup("PERL5LIB") or [] if v for d in v.split(":")]
            )
            paths = [os.path.join(d, m.replace("::", "/") + ".pm") for m in modules for d in dirs]
        else:
            return
        for path in paths:
            if path not in self.loaded and (norm(path) in self.files or self._on_disk(path)):
                self.loaded.add(path)
                label = f"require {path}" if "node_modules/" in path else f"import {path}"
                self.importers.append(text)
                try:
                    self.code(Step("code", label, argv=step.argv, path=path, lang=lang), cmd, (*route, label))
                finally:
                    self.importers.pop()

    def _site_dirs(self, text: str, step: Step, cmd: SimpleCommand, route: tuple[str, ...]) -> list[str]:
        """``site.addsitedir(DIR)``: DIR goes on sys.path with the directories its ``.pth`` files
        list, and each of their ``import`` lines runs as code. Returns the directories added."""
        if "addsitedir" not in text:
            return []
        added: list[str] = []
        named = startup.literal_arguments(text, "addsitedir(")
        if text.count("addsitedir(") > len(named):
            self.dynamic_script(cmd, route, "site.addsitedir of a directory not known")
        for directory in named:
            added.append(directory)
            top = os.path.join(self.cwd or os.getcwd(), directory)
            for name in [n for n in script_files.list_dir(top) if n.endswith(".pth")]:
                path = os.path.join(directory, name)
                lines = (self.files.get(path) or "").splitlines()
                code = "\n".join(line for line in lines if line.startswith(("import ", "import\t")))
                added += [os.path.join(directory, line.strip()) for line in lines if line.strip() and line[:1] != "#"]
                label = f"import {path}"
                self.code(Step("code", label, argv=step.argv, text=code, lang=step.lang), cmd, (*route, label))
        return added

    def _argv_code(self, text: str, step: Step, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """``eval(sys.argv[1])``: the command line's arguments are code."""
        if "sys.argv[" not in text:
            return
        for arg in step.positional or []:
            if arg is None:
                self.dynamic_script(cmd, route, "the code it evaluates is not known")
            else:
                self.code(Step("code", f"{step.label} argument", argv=step.argv, text=arg, lang=step.lang), cmd, route)

    def _python_dirs(self, argv: Argv | None) -> list[str]:
        """Where python looks for local modules: the script's directory (the current one for
        ``-c``/``-m``/stdin) unless ``-P``/``-I``/PYTHONSAFEPATH, then PYTHONPATH unless ``-E``/``-I``."""
        args = list(argv[1:]) if argv else []
        flags = startup.python_flags(args)
        env = not flags & {"I", "E"}
        dirs: list[str] = []
        if not flags & {"I", "P"} and not (env and any(self.env.lookup("PYTHONSAFEPATH") or [])):
            dirs.append(_script_dir(args))
        for value in (self.env.lookup("PYTHONPATH") or []) if env else []:
            dirs += [d or "." for d in (value or "").split(":") if value is not None]
        return dirs

    def _node_package(self, name: str) -> list[str]:
        """The file node loads for ``require("name")``: ``node_modules/name`` (here or in a parent),
        its package.json ``main`` or ``index.js``."""
        directory = self.cwd or os.getcwd()
        for _ in range(4):
            top = os.path.join(directory, "node_modules", name)
            if script_files.signature(top)[:1] == (2,):
                main = "index.js"
                manifest = self.files.get(os.path.join(top, "package.json"))
                if manifest and '"main"' in manifest:
                    main = manifest.split('"main"', 1)[1].split('"')[1] or main
                return [os.path.join(top, main), os.path.join(top, main + ".js"), os.path.join(top, main, "index.js")]
            if script_files.is_file(top + ".js"):
                return [top + ".js"]
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
        return []

    def startup_files(
        self,
        files: list[tuple[str, str | None]],
        cmd: SimpleCommand,
        route: tuple[str, ...],
        lang: str,
        first_only: bool = False,
    ) -> None:
        """Shell start-up files and interpreter preloads: read as the program would (``first_only``:
        only the first that exists, as a login shell reads one profile). One written earlier in
        the command with content not known, or unreadable, is refused when git may be involved."""
        for label, path in files:
            here = (*route, label)
            if path is None:
                if git_like(self.root_text):
                    self.flag("unresolved", None, here, "a start-up file or preload that is not known")
                if first_only:
                    return
                continue
            path = self._as_written(path)
            exists = path.startswith(PSUB) or norm(path) in self.files or bool(self._on_disk(path))
            if path in self.loaded:
                if exists and first_only:
                    return
                continue
            self.loaded.add(path)
            if self.unknown_writes and git_like(self.root_text):
                self.flag("unresolved", None, here, "the command writes a file at a path not known, maybe this one")
            if not exists:
                continue
            if not lang:
                self._startup_file(path, cmd, here)
            else:
                self.code(Step("code", label, path=path, lang=interpreter(lang)), cmd, here)
            if first_only:
                return

    def program_file(self, label: str, path: str | None, lang: str, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """A program's own start-up file (``startup.program_files``): gdb and vim commands are read
        for their shell escapes, a Tcl file as code; a file not known fails closed when git may be
        involved."""
        from integration_engineer.bash import escapes

        here = (*route, label)
        if path is not None:
            path = self._as_written(path)
            if norm(path) not in self.files and not self._on_disk(path):
                return  # no such file: nothing is read
        text = None if path is None else self.files.get(path)
        if text is None:
            if git_like(self.root_text):
                self.flag("unresolved", None, here, "a start-up file that is not known")
            return
        if lang == "tcl":
            self.code(Step("code", label, text=text, lang="tclsh"), cmd, here)
            return
        if lang == "tmux":
            if git_like(text):  # run-shell, if-shell, #() in formats: not read one by one here
                self.flag("unresolved", None, here, "tmux's configuration runs commands that mention git")
            return
        for line in text.splitlines():
            for found in escapes.startup_line(lang, line):
                if found is None:
                    self.dynamic_script(cmd, here, "a start-up command that is not known")
                else:
                    self.source(found, here)

    def bash_children(self, cmd: SimpleCommand, route: tuple[str, ...], why: str) -> None:
        """A non-interactive bash started by another program (a ``#!/bin/bash`` script, make with
        ``SHELL = /bin/bash``, interpreter code spawning bash) reads the file ``BASH_ENV`` names
        in the environment it inherits (checked with bash 5.2: also when set by a parent's
        ``export``, or through ``env``)."""
        for value in self.env.lookup("BASH_ENV") or []:
            self.startup_files([(f"BASH_ENV ({why})", value)], cmd, route, "")

    def _startup_file(self, path: str, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """A shell start-up file run: one of this user's home (``~/.bashrc``, the command gave no
        HOME) runs with $HOME the inherited one, as it builds PATH from it (``$HOME/.pyenv/bin``),
        unless the command may have written it (it writes files, names HOME or ~, or cds)."""
        home = script_files.inherited("HOME")
        untouched = not self.files and not self.cd_dirs and not any(m in self.root_text for m in ("HOME", "~"))
        if not path.startswith("~/") or "HOME" in self.env.vars or not home or not untouched:
            self.run_file(path, cmd, route, [])
            return
        self.env.vars["HOME"] = [home]
        try:
            self.run_file(path, cmd, route, [])
        finally:
            self.env.vars.pop("HOME", None)

    def test_module(self, path: str, cmd: SimpleCommand, route: tuple[str, ...], text: str | None = None) -> None:
        """A test module the runner imports and runs: refused when a command line in it runs a
        forbidden git verb, unless the module makes the repositories it works in (``git init``,
        ``git clone``: tests of git tooling commit in temporary repositories, not in the worktree).
        The broader guesses of ``code`` (a verb named anywhere, encoded text) are left out here:
        test suites are run all the time and are full of such text. ``text``: the part that runs."""
        text = self.files.get(path) if text is None else text
        if text is None:
            self.dynamic_script(cmd, route, f"{path} cannot be read")
            return
        if not code_text.spawns(text, "python"):
            return
        found = [c for c in code_text.candidates(text) if git_like(c)]
        if any(" ".join(c.split()[:2]) in ("git init", "git clone") for c in found):
            self.note(f"{path} runs git in repositories it makes itself")
            return
        for line in text.splitlines():
            low = line.lower()
            if git_like(line) and any(m in low for m in _TEST_SPAWNS):
                for candidate in code_text.candidates(line):
                    if git_like(candidate):
                        self._quiet_source(candidate, route)

    def _pytest_config(self, top: str) -> tuple[list[str], tuple[str, ...]]:
        """pytest's ini options that load code: ``addopts`` (its ``-p`` plugins) and the
        ``python_files`` patterns of test modules, from the first config file that has a section."""
        for name, section in _PYTEST_INIS:
            text = self.files.get(os.path.join(top, name))
            if text is None or section not in text:
                continue
            options: list[str] = []
            patterns: list[str] = []
            for line in text.split(section, 1)[1].splitlines()[1:]:
                if line.startswith("["):
                    break
                key, _, value = line.partition("=")
                words = value.replace("[", " ").replace("]", " ").replace(",", " ").replace('"', " ").replace("'", " ")
                if key.strip() == "addopts":
                    options += words.split()
                elif key.strip() == "python_files":
                    patterns += words.split()
            return options, tuple(patterns) or _TEST_PATTERNS
        return [], _TEST_PATTERNS

    def _backend(self, directory: str) -> list[str]:
        """An in-tree build backend (pyproject.toml ``backend-path``, ``build-backend``): the
        module pip and ``python -m build`` import to build the project."""
        text = self.files.get(os.path.join(directory, "pyproject.toml")) or ""
        module, dirs = "", ["."]
        for line in text.splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "build-backend":
                module = value.strip().strip("'\"").split(":")[0].split(".")[0]
            elif key.strip() == "backend-path":
                dirs = [d.strip().strip("'\"") for d in value.strip().strip("[]").split(",") if d.strip()]
        if not module or "backend-path" not in text:
            return []
        return [os.path.join(directory, d, f"{module}{end}") for d in dirs for end in (".py", "/__init__.py")]

    def _as_written(self, path: str) -> str:
        """``$PWD/.bashrc`` as the command wrote it (``.bashrc``), when it did."""
        top = (self.cwd or os.getcwd()).rstrip("/") + "/"
        if path.startswith(top) and norm(path[len(top) :]) in self.files:
            return path[len(top) :]
        return path

    def _stdlib_runner(
        self, module: str, args: list[str | None], cmd: SimpleCommand, here: tuple[str, ...], argv: Argv | None
    ) -> None:
        """``python -m timeit/pydoc/doctest/cProfile/profile/trace/pdb``: the statements timeit
        runs, the modules pydoc and doctest import (and doctest's examples), the script or module
        a profiler, tracer or debugger runs."""
        operands, setup, run_module = _runner_words(module, args)
        if None in operands or None in setup:
            self.dynamic_script(cmd, here, f"what python -m {module} runs is not known")
            return
        if run_module is not None:
            self.python_module(run_module, [], cmd, here, argv)
            return
        if module == "timeit":
            code = "\n".join([*(s or "" for s in setup), *(o or "" for o in operands)])
            self.code(Step("code", "python -m timeit", argv=argv, text=code, lang="python"), cmd, here)
            return
        if module == "pydoc" and "-k" in args:
            self.dynamic_script(cmd, here, "pydoc -k imports every module it finds")
            return
        dirs = self._python_dirs(argv)
        for name in [o or "" for o in operands]:
            if module in ("cProfile", "profile", "trace", "pdb"):
                self.code(Step("code", name, argv=argv, path=name, lang="python"), cmd, here)
            elif module == "doctest" and not name.endswith(".py"):
                examples = doctest_examples(self.files.get(name) or "")
                self.code(Step("code", f"doctest {name}", argv=argv, text=examples, lang="python"), cmd, here)
            else:  # imported by name or path; doctest then runs the examples of its docstrings in it
                examples = doctest_examples(self.files.get(name) or "") if module == "doctest" else ""
                self.importers.append(examples)  # what the examples call runs
                try:
                    self._import_named(name, dirs, cmd, here, argv)
                finally:
                    self.importers.pop()
                if examples:
                    self.code(Step("code", f"doctest {name}", argv=argv, text=examples, lang="python"), cmd, here)

    def _import_named(
        self, name: str, dirs: list[str], cmd: SimpleCommand, here: tuple[str, ...], argv: Argv | None
    ) -> None:
        """A module imported by its dotted name or by its file's path, its packages first."""
        if name.endswith(".py") or "/" in name:
            candidates = [name]
        else:
            parts = name.split(".")
            rels = ["/".join(parts[: k + 1]) for k in range(len(parts))]
            candidates = [
                os.path.join(d, f"{r}{end}") if d else f"{r}{end}"
                for r in rels
                for d in dirs
                for end in ("/__init__.py", ".py")
            ]
        for path in candidates:
            if path not in self.loaded and (norm(path) in self.files or self._on_disk(path)):
                self.loaded.add(path)
                self.code(
                    Step("code", f"import {path}", argv=argv, path=path, lang="python"), cmd, (*here, f"import {path}")
                )

    def python_module(
        self, module: str, args: Argv, cmd: SimpleCommand, route: tuple[str, ...], argv: Argv | None = None
    ) -> None:
        """``python -m MODULE``: a local module's code; pytest's conftest.py files; pip's setup.py."""
        here = (*route, f"python -m {module}")
        if module == "?":
            self.dynamic_script(cmd, here, "the module run is not known")
            return
        if module in _STDLIB_RUNNERS:
            self._stdlib_runner(module, [a for a in args], cmd, here, argv)
            return
        paths: list[str] = []
        tests: list[str] = []
        options: list[str] = []
        if module in ("pytest", "py.test") and sum(a in ("--version", "-V") for a in args) == 1 and None not in args:
            self.note("pytest --version prints its version before loading any conftest.py")  # twice: it loads them
            return
        if module in ("pytest", "py.test"):
            top = self.cwd or os.getcwd()
            options, patterns = self._pytest_config(top)
            if "--noconftest" not in args:
                paths = [p for p in self.files if basename(p) == "conftest.py"] + _conftests(top)
            plugins = _pytest_plugins([*options, *args]) + [
                name for p in paths for name in _conftest_plugins(self.files.get(p) or "")
            ]
            paths += [
                os.path.join(top, f"{n.replace('.', '/')}{end}") for n in plugins for end in (".py", "/__init__.py")
            ]
            tests = _pytest_files(args, top, patterns)
        elif module == "unittest":
            tests = _unittest_files(args, self.cwd or os.getcwd())
        elif module == "pip" or module == "build":
            if module == "build" or "install" in args or "wheel" in args:
                dirs = [a for a in args if a is not None and (a == "." or "/" in a) and not a.endswith(".whl")]
                dirs = dirs or (["."] if module == "build" else [])
                paths = [p for d in dirs for p in (os.path.join(d, "setup.py"), *self._backend(d))]
        else:
            rel = module.replace(".", "/")
            dirs = self._python_dirs(argv)  # python -P -m: not the current directory
            paths = [
                os.path.join(d, p) if d else p
                for d in dirs
                for p in (f"{rel}.py", f"{rel}/__main__.py", f"{rel}/__init__.py")
            ]
        if "?" in tests:
            self.dynamic_script(cmd, here, "the test modules it imports are not known")
        pytest = module in ("pytest", "py.test")
        suite = "\n".join([*options, *(self.files.get(p) or "" for p in paths)])
        ran = self._test_modules(tests, [*options, *args] if pytest else None, suite, cmd, here)
        framework, hooks = self.called_by_name, self.hooks
        self.called_by_name, self.hooks = pytest and ran, ("pytest_",) if pytest and not ran else None
        try:
            for path in paths:
                if path not in self.loaded and (norm(path) in self.files or self._on_disk(path)):
                    self.loaded.add(path)
                    self.code(Step("code", path, argv=argv, path=path, lang="python"), cmd, here)
        finally:
            self.called_by_name, self.hooks = framework, hooks

    def _test_modules(
        self, tests: list[str], options: list[str | None] | None, suite: str, cmd: SimpleCommand, here: tuple[str, ...]
    ) -> bool:
        """The test modules a runner imports, read as far as it runs them (``options``: pytest's,
        which may make it only collect or leave tests out). Whether any test may run."""
        collect_only = options is not None and pytest_selection.runs_no_test(options)
        chosen = pytest_selection.selection(options) if options is not None and not collect_only else None
        ran = not collect_only and not tests
        for path in tests:
            if path in self.loaded or not (norm(path) in self.files or self._on_disk(path)):
                continue
            self.loaded.add(path)
            text = self.files.get(path) or ""
            if collect_only:  # imported: its top level runs, and pytest_generate_tests
                whole = text
                text, emptied = live_code.python_pruned(text, main=False, hooks=("pytest_generate_tests",))
                if emptied:
                    self.pruned.append((frozenset(emptied), whole, Step("code", path, path=path, lang="python")))
            else:
                top = self.cwd or os.getcwd()
                by_ids = pytest_selection.left_by_ids(options, top, path, text, suite) if options else []
                found = None
                if chosen is not None and any(chosen):
                    found = pytest_selection.unselected(text, path, chosen[0], chosen[1], suite)
                left = sorted({*by_ids, *(found[0] if found else [])})
                text = live_code.emptied(text, left) if left else text
                ran = ran or found is None or len(left) < found[1]
            self.test_module(path, cmd, (*here, path), text)
            module_step = Step("code", path, argv=["python", path], path=path, lang="python")
            self.local_imports(text, module_step, cmd, (*here, path))
        return ran


# Standard modules run with ``-m`` that run code of their own arguments: (options taking a value,
# the option naming a module to run).
_STDLIB_RUNNERS = {
    "timeit": ({"-n", "--number", "-r", "--repeat", "-s", "--setup", "-u", "--unit"}, ""),
    "pydoc": ({"-p", "-n"}, ""),
    "doctest": ({"-o", "--option"}, ""),
    "cProfile": ({"-o", "-s"}, "-m"),
    "profile": ({"-o", "-s"}, "-m"),
    "trace": ({"-f", "--file", "-C", "--coverdir", "--ignore-module", "--ignore-dir"}, "--module"),
    "pdb": ({"-c", "--command"}, "-m"),
}


def _runner_words(module: str, args: list[str | None]) -> tuple[list[str | None], list[str | None], str | None]:
    """A stdlib runner's arguments: its operands (up to a script, which takes the rest as its
    own), the values of its ``-s``/``--setup`` options, and a module it is told to run."""
    valued, module_flag = _STDLIB_RUNNERS[module]
    operands: list[str | None] = []
    setup: list[str | None] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg is not None and module_flag and arg == module_flag:
            return operands, setup, args[i + 1] if i + 1 < len(args) and args[i + 1] is not None else "?"
        if arg in valued:
            if arg in ("-s", "--setup") and module == "timeit":
                setup.append(args[i + 1] if i + 1 < len(args) else None)
            i += 2
            continue
        if arg is None or not arg.startswith("-") or arg == "-":
            operands.append(arg)
            if module in ("cProfile", "profile", "trace", "pdb"):
                return operands, setup, None  # the script: what follows is its own
        i += 1
    return operands, setup, None


def doctest_examples(text: str) -> str:
    """The code of a text's doctest examples (``>>> `` lines and their ``... `` continuations)."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith(">>>") or (line.startswith("...") and lines):
            lines.append(line[4:] if line[3:4] == " " else line[3:])
    return "\n".join(lines)


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


MAX_TEST_FILES = 40
# A line of a test module that starts a process with the text on it (a command given as data to
# the code under test, ``analyse("git commit")``, starts nothing).
_TEST_SPAWNS = (
    "system(",
    ".run(",
    "call(",
    "popen",
    "check_output(",
    "exec",
    "spawn",
    "getoutput(",
)  # test modules read per command; a larger suite is read in part


def _unittest_files(args: Argv, cwd: str) -> list[str]:
    """The test modules ``python -m unittest`` imports: ``discover [-s DIR] [-p PATTERN]`` (also
    with no arguments), or the modules and files it is named."""
    words = list(args)
    if words and words[0] not in ("discover",) and any(w is None or not w.startswith("-") for w in words):
        names = [w for w in words if w is None or not w.startswith("-")]
        if None in names:
            return ["?"]
        paths: list[str] = []
        for name in [n for n in names if n is not None]:  # tests.test_x.Case.test_y: a prefix is the module
            parts = name.split(".")
            paths += [name] if name.endswith(".py") else ["/".join(parts[: k + 1]) + ".py" for k in range(len(parts))]
        return paths
    start, pattern = ".", "test*.py"
    rest = [w for w in words if w != "discover"]
    positional: list[str | None] = []
    i = 0
    while i < len(rest):
        word = rest[i]
        value = rest[i + 1] if i + 1 < len(rest) else None
        if word in ("-s", "--start-directory"):
            start, i = value or "?", i + 2
        elif word in ("-p", "--pattern"):
            pattern, i = value or "*", i + 2
        elif word in ("-t", "--top-level-directory", "-k"):
            i += 2
        else:
            if word is None or not word.startswith("-"):
                positional.append(word)
            i += 1
    start = positional[0] if positional and positional[0] else start
    pattern = positional[1] if len(positional) > 1 and positional[1] else pattern
    return _python_files(os.path.join(cwd, start), pattern, packages_only=True)


def _pytest_plugins(args: Argv) -> list[str]:
    """The plugin modules ``-p NAME`` (``-pNAME``) loads; ``-p no:NAME`` disables one."""
    found: list[str] = []
    for i, arg in enumerate(args):
        value = (
            args[i + 1] if arg == "-p" and i + 1 < len(args) else (arg[2:] if arg and arg.startswith("-p") else None)
        )
        if value and not value.startswith("no:") and value.replace(".", "_").isidentifier():
            found.append(value)
    return found


def _conftest_plugins(text: str) -> list[str]:
    """``pytest_plugins = ["helpers", ...]`` in a conftest.py: modules pytest imports."""
    if "pytest_plugins" not in text:
        return []
    value = text.split("pytest_plugins", 1)[1].split("\n\n", 1)[0]
    return [lit for lit in code_text.literals(value) if lit.replace(".", "_").isidentifier()]


_TEST_PATTERNS = ("test_*.py", "*_test.py")
_PYTEST_INIS = (
    ("pytest.ini", "[pytest]"),
    ("pyproject.toml", "[tool.pytest.ini_options]"),
    ("tox.ini", "[pytest]"),
    ("setup.cfg", "[tool:pytest]"),
)


def _pytest_files(args: Argv, cwd: str, patterns: tuple[str, ...] = _TEST_PATTERNS) -> list[str]:
    """The test files pytest collects: those named, or under the directories named (the current
    directory by default), as its ``python_files`` patterns say (``test_*.py``, ``*_test.py``)."""
    named = [
        a
        for i, a in enumerate(args)
        if (a is None or not a.startswith("-")) and (i == 0 or args[i - 1] not in _PYTEST_VALUES)
    ]
    if None in named:
        return ["?"]
    found: list[str] = []
    for arg in [a for a in named if a is not None] or ["."]:
        path = os.path.join(cwd, arg.split("::", 1)[0])
        if path.endswith(".py"):
            found.append(path)
        else:
            found += [f for pattern in patterns for f in _python_files(path, pattern, packages_only=False)]
    return found[:MAX_TEST_FILES]


# pytest options whose value is the next word (not a path to collect).
_PYTEST_VALUES = frozenset(
    {
        "-p",
        "-k",
        "-m",
        "-c",
        "-o",
        "-W",
        "-r",
        "--rootdir",
        "--deselect",
        "--ignore",
        "--ignore-glob",
        "--junitxml",
        "--junit-xml",
        "--tb",
        "--maxfail",
        "--durations",
        "--basetemp",
        "--log-level",
        "--confcutdir",
        "--override-ini",
        "--cov",
        "--cov-report",
        "-n",
        "--dist",
        "--import-mode",
        "--capture",
        "--log-file",
        "--color",
        "--timeout",
    }
)


def _python_files(top: str, pattern: str, packages_only: bool, depth: int = 0) -> list[str]:
    """Files matching ``pattern`` under ``top`` (unittest descends only into packages), noted
    through script_files for the script cache."""
    import fnmatch  # only when a test runner runs

    skip = {"node_modules", "venv", "build", "dist", "__pycache__", "target", "vendor"}
    found: list[str] = []
    names = script_files.list_dir(top)
    for name in names:
        path = os.path.join(top, name)
        if fnmatch.fnmatch(name, pattern) and name.endswith(".py") and script_files.is_file(path):
            found.append(path)
        elif (
            depth < 4
            and name not in skip
            and not name.startswith(".")
            and script_files.signature(path)[:1] == (2,)
            and (not packages_only or script_files.is_file(os.path.join(path, "__init__.py")))
        ):
            found += _python_files(path, pattern, packages_only, depth + 1)
        if len(found) >= MAX_TEST_FILES:
            break
    return found


def _script_dir(args: list[str | None]) -> str:
    """The directory python puts first on sys.path: the script's (``''``, the current one, for
    ``-c``, ``-m``, stdin)."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg is None:
            return ""
        if arg in ("-W", "-X", "--check-hash-based-pycs"):
            i += 2
            continue
        if arg == "-" or not arg.startswith("-"):
            return os.path.dirname(arg) if arg != "-" else ""
        if not arg.startswith("--") and ("c" in arg[1:] or "m" in arg[1:]):
            return ""
        i += 1
    return ""


def _node_check_only(argv: Argv | None) -> bool:
    """``node -c``/``--check`` among node's own options: the code is parsed, never run."""
    args = list(argv[1:]) if argv else []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-c", "--check"):
            return True
        if arg is None or not arg.startswith("-") or arg == "--":
            return False
        i += 2 if arg in ("-e", "--eval", "-p", "--print", "-r", "--require", "--import", "--loader") else 1
    return False


def _perl_dirs(argv: Argv | None) -> list[str]:
    """perl's ``-I`` directories (``-Ilib``, ``-I lib``) before its code."""
    args = list(argv[1:]) if argv else []
    dirs: list[str] = []
    for i, arg in enumerate(args):
        if arg is None or not arg.startswith("-") or arg in ("-e", "-E", "--"):
            break
        if arg == "-I" and i + 1 < len(args) and args[i + 1] is not None:
            dirs.append(str(args[i + 1]))
        elif arg.startswith("-I") and len(arg) > 2:
            dirs.append(arg[2:])
    return dirs


def _perl_compile_only(argv: Argv | None) -> bool:
    """``perl -c`` (alone or with flag letters that take no value) before the code or script."""
    for word in list(argv[1:]) if argv else []:
        value = word or ""
        if not value.startswith("-") or value.startswith("--") or value in ("-e", "-E", "-"):
            return False
        if set(value[1:]) <= set("cwWTtXUSnpa") and "c" in value:
            return True
    return False


def _perl_compile_time(text: str) -> str:
    """The part of perl code that runs while compiling (``perl -c`` runs it): the whole code when
    it has a BEGIN/CHECK/UNITCHECK block (INIT and END do not run under -c), else its ``use``/``no``
    statements (the module loads, and the list given to its import is evaluated)."""
    words = set("".join(c if c.isalnum() or c == "_" else " " for c in text).split())
    if words & {"BEGIN", "CHECK", "UNITCHECK"}:
        return text
    statements = [s.strip() for s in text.split(";") if s.split()[:1] in (["use"], ["no"])]
    return ";\n".join(statements) + (";" if statements else "")
