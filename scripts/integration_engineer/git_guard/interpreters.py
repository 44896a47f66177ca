"""Interpreter code: its local imports, start-up files and preloads, ``python -m``, pytest's conftest.py."""

from __future__ import annotations

import os

from integration_engineer.bash import code as code_text
from integration_engineer.bash import script_files, startup
from integration_engineer.bash.expand import PSUB, Argv
from integration_engineer.bash.parser import SimpleCommand
from integration_engineer.bash.resolve import Step, basename, interpreter
from integration_engineer.bash.triggers import git_like
from integration_engineer.git_guard.known_files import norm
from integration_engineer.git_guard.scripts import Scripts


class Interpreters(Scripts):
    """Code run by an interpreter, and the files it loads."""

    def code(self, step: Step, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        if step.module is not None:
            self.python_module(step.module, step.positional or [], cmd, route)
            return
        text = step.text
        if text is None and step.path == "-":
            text = self.stdin_of(cmd)
        elif text is None and step.path is not None:
            if norm(step.path) not in self.files and not self._on_disk(step.path):
                self.note(f"{step.path} is not a file here; nothing to analyse")
                return
            text = self.files.get(step.path)  # written by the command, or read from disk
        if text is None:
            self.dynamic_script(cmd, route, "the code it runs is not known")
            return
        if step.lang == "perl" and _perl_compile_only(cmd) and not _perl_compile_time(text):
            self.note(f"{step.label}: perl -c only compiles, and the code has no BEGIN/CHECK block nor use")
            return
        started = code_text.awk_commands(text) if step.lang == "awk" else None
        if started is not None:
            self.awk_started(started, text, step, cmd, route)
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

    def local_imports(self, text: str, lang: str, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """Modules the code imports from the current directory run their code too."""
        if lang in ("python", "pypy"):
            paths = [p for n in startup.python_imports(text) for p in (f"{n}.py", f"{n}/__init__.py")]
        elif lang in ("node", "nodejs", "bun"):
            paths = [p for r in startup.node_requires(text) for p in (r, f"{r}.js", f"{r}/index.js")]
        else:
            return
        for path in paths:
            if path not in self.loaded and (norm(path) in self.files or self._on_disk(path)):
                self.loaded.add(path)
                self.code(Step("code", f"import {path}", path=path, lang=lang), cmd, (*route, f"import {path}"))

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
            if not exists:
                continue
            if not lang:
                self.run_file(path, cmd, here, [])
            else:
                self.code(Step("code", label, path=path, lang=interpreter(lang)), cmd, here)
            if first_only:
                return

    def test_module(self, path: str, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """A test module the runner imports and runs: refused when a command line in it runs a
        forbidden git verb, unless the module makes the repositories it works in (``git init``,
        ``git clone``: tests of git tooling commit in temporary repositories, not in the worktree).
        The broader guesses of ``code`` (a verb named anywhere, encoded text) are left out here:
        test suites are run all the time and are full of such text."""
        text = self.files.get(path)
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

    def python_module(self, module: str, args: Argv, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """``python -m MODULE``: a local module's code; pytest's conftest.py files; pip's setup.py."""
        here = (*route, f"python -m {module}")
        if module == "?":
            self.dynamic_script(cmd, here, "the module run is not known")
            return
        paths: list[str] = []
        tests: list[str] = []
        if module in ("pytest", "py.test"):
            top = self.cwd or os.getcwd()
            if "--noconftest" not in args:
                paths = [p for p in self.files if basename(p) == "conftest.py"] + _conftests(top)
            tests = _pytest_files(args, top)
        elif module == "unittest":
            tests = _unittest_files(args, self.cwd or os.getcwd())
        elif module == "pip" or module == "build":
            if module == "build" or "install" in args or "wheel" in args:
                dirs = [a for a in args if a is not None and (a == "." or "/" in a) and not a.endswith(".whl")]
                dirs = dirs or (["."] if module == "build" else [])
                paths = [p for d in dirs for p in (os.path.join(d, "setup.py"), *self._backend(d))]
        else:
            rel = module.replace(".", "/")
            paths = [f"{rel}.py", f"{rel}/__main__.py", f"{rel}/__init__.py"]
        if "?" in tests:
            self.dynamic_script(cmd, here, "the test modules it imports are not known")
        for path in tests:
            if path not in self.loaded and (norm(path) in self.files or self._on_disk(path)):
                self.loaded.add(path)
                self.test_module(path, cmd, (*here, path))
        for path in paths:
            if path not in self.loaded and (norm(path) in self.files or self._on_disk(path)):
                self.loaded.add(path)
                self.code(Step("code", path, path=path, lang="python"), cmd, here)


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


def _pytest_files(args: Argv, cwd: str) -> list[str]:
    """The test files pytest collects: those named, or under the directories named (the current
    directory by default), as ``test_*.py`` / ``*_test.py``."""
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
            found += _python_files(path, "test_*.py", packages_only=False) + _python_files(
                path, "*_test.py", packages_only=False
            )
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


def _perl_compile_only(cmd: SimpleCommand) -> bool:
    """``perl -c`` (alone or with flag letters that take no value) before the code or script."""
    for word in cmd.words[1:]:
        value = word.value or ""
        if not value.startswith("-") or value.startswith("--") or value in ("-e", "-E", "-"):
            return False
        if set(value[1:]) <= set("cwWTtXUSnpa") and "c" in value:
            return True
    return False


def _perl_compile_time(text: str) -> bool:
    """perl code that runs while compiling (``perl -c`` runs it): BEGIN/CHECK/UNITCHECK blocks,
    ``use``/``no`` (a module's import), and ``eval``/``require``/``do`` that may hide them."""
    words = set("".join(c if c.isalnum() or c == "_" else " " for c in text).split())
    return bool(words & {"BEGIN", "CHECK", "UNITCHECK", "INIT", "use", "no", "eval", "require", "do"})
