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
                if norm(path) in self.files or self._on_disk(path):
                    self.run_file(path, cmd, here, [])
            elif norm(path) in self.files or self._on_disk(path):
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
