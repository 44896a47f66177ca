"""Scripts a command runs: files (written by the command or on disk), stdin, xargs and parallel."""

from __future__ import annotations

from integration_engineer.bash import script_files
from integration_engineer.bash.expand import PSUB
from integration_engineer.bash.lexer import ShellSyntaxError
from integration_engineer.bash.parser import Redirect, SimpleCommand, parse
from integration_engineer.bash.resolve import SHELLS, Step, interpreter
from integration_engineer.bash.triggers import git_like
from integration_engineer.git_guard.analysis_state import AnalysisState
from integration_engineer.git_guard.known_files import norm

_STDIN_PATHS = frozenset({"/dev/stdin", "-", "/proc/self/fd/0", "/dev/fd/0"})


class Scripts(AnalysisState):
    """Scripts run from a file, from stdin, by xargs or parallel, or found in code."""

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
        opening = _fd_redirect(cmd, fd) if path.startswith(("/dev/fd/", "/proc/self/fd/")) else None
        from_fd = path.startswith(("/dev/fd/", "/proc/self/fd/")) and (fd in self.fds or opening is not None)
        if opening is not None and opening.op == "<" and opening.target.value is not None:
            self.disk_file(opening.target.value, cmd, route, positional, as_program=False)  # bash /dev/fd/3 3<job
            return
        if from_fd or path in _STDIN_PATHS:
            if opening is not None:  # bash /dev/fd/3 3<<<TEXT: what that descriptor reads
                text = self.redirect_input(opening)
            else:
                text = self.fds[fd] if from_fd else self.stdin_of(cmd)
            if text is None:
                self.dynamic_script(cmd, route, "the script it reads is not known")
                return
            self.inherited.append((text, not from_fd, ""))  # its commands read the rest of it
            try:
                self.source(text, route, positional)
            finally:
                self.inherited.pop()
            return
        key = norm(path)
        if key not in self.files:
            self.disk_file(path, cmd, route, positional, as_program=False)
            return
        content = self.files[key]
        if key in self.compiled:
            self.compiled_program(path, self.compiled[key], cmd, route)
            return
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

    def compiled_program(self, path: str, source: str | None, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """A program compiled earlier in the command: judged by its source, as interpreter code
        (``system("git add -A")``, ``execlp("git", "git", "push", ...)``)."""
        if source is None:
            why = f"{path} was compiled in this command from a source that is not known"
            if git_like(self.root_text):
                self.flag("unresolved", None, route, f"{why}, and the command mentions git")
            else:
                self.dynamic_script(cmd, route, why)
            return
        self.code(Step("code", f"compiled {path}", text=source, lang="c"), cmd, route)

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
            if _bash_line(text) and as_program:
                self.bash_children(cmd, route, f"{path} is a bash script")
            if lang:
                self.code(Step("code", program, text=text, lang=lang, positional=positional), cmd, route)
            elif program and program not in SHELLS:
                self.note(f"{path} runs {program}; its content is not analysed")
            else:
                self.source(text, route, positional)

    def appended(self, step: Step, cmd: SimpleCommand, route: tuple[str, ...], depth: int) -> None:
        """xargs: the command lines it builds from what it reads, stdin or -a FILE (bash.xargs)."""
        if step.xargs is None:
            return
        given, path = step.xargs.arg_file()
        data = self.stdin_of(cmd) if not given else None if path is None else self._arg_file(path)
        if given and path == "/dev/null":
            data = ""  # -a /dev/null: no item (with -r, nothing runs)
        runs = step.xargs.runs(data)
        if not runs:
            self.note(f"{step.label}: reads no item, so runs nothing")
        for argv in runs:
            self.run(argv, cmd, route, depth + 1)

    def _arg_file(self, path: str) -> str | None:
        return "" if path == "/dev/null" else self.files.get(norm(path))  # /dev/null: no item

    def parallel(self, step: Step, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        items: list[str | None] = [None]
        if step.items is not None:
            items = step.items
        else:
            data = self.stdin_of(cmd)
            if data is not None:
                items = list(data.splitlines())
        template = step.argv or []
        # Past the first 8 items, one unknown item stands for the rest (not dropped).
        for item in (items[:8] + [None] * (len(items) > 8)) or [None]:
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

    def _quiet_source(self, text: str, route: tuple[str, ...]) -> None:
        """Analyse a string from code; one that is not valid bash is not a command line."""
        try:
            parse(text)
        except ShellSyntaxError:
            return
        self.source(text, route)


def _bash_line(text: str) -> bool:
    """A ``#!`` line that starts a non-interactive bash (not ``--posix``, which skips BASH_ENV)."""
    line = text.split("\n", 1)[0] if text.startswith("#!") else ""
    return script_files.interpreter_of(text) in ("bash", "rbash") and "posix" not in line


def _fd_redirect(cmd: SimpleCommand, fd: str) -> Redirect | None:
    """The redirection by which the command itself opens descriptor ``fd`` (``3<job``, ``3<<<TEXT``)."""
    return next((r for r in reversed(cmd.redirects) if r.fd == fd), None)
