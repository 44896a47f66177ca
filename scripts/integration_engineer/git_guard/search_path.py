"""Names as bash and git find them: PATH as the command sets it, the builtins it turns off, the
``git-NAME`` programs git runs for a verb it does not have. Standard library only (hot path).

Bash looks a name up as alias, function, builtin (unless ``enable -n``), hash table (``hash -p``,
``BASH_CMDS``), then PATH, in order, skipping entries that do not exist or hold no executable
file; an empty or relative entry is taken from the working directory. Git runs ``git NAME`` for a
NAME it does not have as the first ``git-NAME`` on its exec path (``--exec-path``,
``GIT_EXEC_PATH``) and then PATH. A PATH value is followed only as far as it is known: the PATH
the command inherited (``$PATH``) holds system directories, which the agent does not write; a
program found in the worktree (or ``/tmp``), or written by the command itself, is read as the
script it is; a value that is not known fails closed when git may be involved.
"""

from __future__ import annotations

import os

from integration_engineer.bash import script_files
from integration_engineer.bash.expand import Field, value_of
from integration_engineer.bash.lexer import Word
from integration_engineer.bash.parser import Script, SimpleCommand
from integration_engineer.bash.resolve import (
    BASH_BUILTINS,
    INHERITED_PATH,
    SHELLS,
    Step,
    basename,
    interpreter,
    search_entries,
)
from integration_engineer.bash.triggers import git_like
from integration_engineer.git_guard.known_files import norm
from integration_engineer.git_guard.scripts import Scripts

# Where the agent may have put a program outside the worktree (written there, not installed).
_WRITABLE = ("/tmp/", "/var/tmp/", "/dev/shm/")
SEARCHED = ("PATH", "GIT_EXEC_PATH")
# Wrappers that may give the program another PATH than their own (sudo's secure_path, su -l).
_RESETTING = frozenset({"sudo", "doas", "pkexec", "su", "runuser", "sg", "systemd-run", "machinectl"})


class SearchPath(Scripts):
    """The search path the command gives the names it runs (see the module docstring)."""

    def search_assignment(self, name: str, word: Word, append: bool, cmd: SimpleCommand, prefix: bool) -> None:
        """``PATH=VALUE`` (or ``GIT_EXEC_PATH``): its value as entries, ``$PATH`` standing for the
        inherited one. A prefix of a command holds for that command only; an assignment that
        surely runs before what follows (a top-level command of the command line) replaces the
        value, any other one (a branch, a subshell, a child shell) adds an alternative."""
        prior = self.search_alternatives(name) or [INHERITED_PATH if name == "PATH" else ""]
        values = self._search_value(name, word, prior)
        if append:
            values = [None if p is None or v is None else p + v for p in prior for v in values]
        if prefix:
            self.prefix_search[-1][name] = values
        elif self.surely_runs(cmd):
            self.search[name] = values
        else:
            self.search[name] = list(dict.fromkeys(prior + values))

    def _search_value(self, name: str, word: Word, prior: list[Field]) -> list[Field]:
        """The value with ``$PATH`` the previous one, ``$PWD`` the working directory (when no cd
        came before) and ``$HOME`` this user's home."""
        saved = {k: self.env.vars.get(k) for k in (name, "PWD", "HOME")}
        self.env.vars[name] = prior
        if "PWD" not in self.env.vars:
            self.env.vars["PWD"] = [None if self.cd_dirs else (self.cwd or os.getcwd())]
        if "HOME" not in self.env.vars:
            self.env.vars["HOME"] = [script_files.inherited("HOME") or None]
        try:
            return value_of(word, self.env)
        finally:
            for key, old in saved.items():
                if old is None:
                    self.env.vars.pop(key, None)
                else:
                    self.env.vars[key] = old

    def wrapper_search(self, base: str, argv: list[Field]) -> dict[str, list[Field]]:
        """The search path a wrapper gives the program it runs: ``env PATH=...`` (execvp looks
        the program up on the PATH env sets), ``command -p`` (the default system path)."""
        if base == "command" and any(a is not None and a.startswith("-") and "p" in a for a in argv[1:2]):
            return {"PATH": [INHERITED_PATH]}
        if base in _RESETTING:  # sudo's secure_path, a login shell's PATH: maybe the system one
            current = self.search_alternatives("PATH")
            return {"PATH": list(dict.fromkeys([*current, INHERITED_PATH]))} if current is not None else {}
        given: dict[str, list[Field]] = {}
        if base != "env":
            return given
        for arg in argv[1:]:
            if arg is None:
                break
            name, eq, value = arg.partition("=")
            if eq and name in SEARCHED:
                given[name] = [value]
            elif not eq and not arg.startswith("-"):
                break
        for name in SEARCHED:
            if name not in given and f"{name}=" in self.root_text and any(a is None for a in argv[1:3]):
                given[name] = [None]  # env given a value that is not known: it may be this one
        return given

    def search_alternatives(self, name: str) -> list[Field] | None:
        """The possible values the command gave ``name`` (PATH...) here; None when it gave none."""
        for given in reversed(self.prefix_search):
            if name in given:
                return given[name]
        return self.search.get(name)

    def surely_runs(self, cmd: SimpleCommand) -> bool:
        """``cmd`` runs, before anything after it, in the shell of the command line itself: a
        top-level command of the outermost text (not in a branch, a subshell, a function, the
        background, nor the text of a child shell)."""
        return self.depth == 1 and not self.calling and id(cmd) in self.top_level

    def is_builtin(self, name: str) -> bool:
        return name in BASH_BUILTINS and name not in self.disabled

    def enable(self, args: list[Field], cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """``enable -n NAME`` turns a builtin off (the name is then looked up as a program);
        ``enable NAME`` turns it on again; ``enable -f FILE NAME`` loads one from a library."""
        flags = "".join((a or "")[1:] for a in args if (a or "").startswith("-"))
        names = [a for a in args if a is None or not a.startswith("-")]
        if "f" in flags or None in names:
            if git_like(self.root_text) or self._mentions_verb(self.root_text):
                self.flag("unresolved", None, (*route, "enable"), "a builtin that is not known is loaded or turned off")
            return
        if "n" in flags:
            self.disabled.update(n for n in names if n is not None)
        elif not set(flags) & set("apsd") and self.surely_runs(cmd):
            self.disabled.difference_update(names)

    def found_on_path(
        self, argv: list[Field], cmd: SimpleCommand, route: tuple[str, ...], depth: int, invoked: Field = ""
    ) -> bool:
        """Follow the program a name runs when the command changed PATH; True when handled (the
        name is not the ordinary program of that name, or not found at all)."""
        name = argv[0] or ""
        values = self.search_alternatives("PATH")
        if values is None or "/" in name or self.is_builtin(name):
            return False
        found = self.find_program(name, values)
        if not found:
            self.not_found(argv, route)
            return True
        system = False
        for kind, where in found:
            here = (*route, f"{name} -> {where}" if where else name)
            if kind == "system":
                system = True
            elif kind == "unknown":
                self.unknown_search(name, route, "it is looked up on a PATH that is not known")
            else:
                self.run_program_file(kind, where, argv, cmd, here, depth, invoked or argv[0])
        return not system

    def not_found(self, argv: list[Field], route: tuple[str, ...]) -> None:
        self.note(f"{argv[0]} is found on no directory of PATH: nothing runs")
        if "command_not_found_handle" in self.functions:  # bash runs it for a name not found
            self.call("command_not_found_handle", argv, (*route, "command_not_found_handle"))

    def found_nowhere(self, name: str) -> bool:
        """``name`` (no ``/``) is surely found on no directory of the PATH: the command leaves PATH
        as inherited, every entry of it is absolute and none holds the program, and the command
        writes or links no file of that name (``git-push`` is in git's exec directory, off PATH)."""
        path = script_files.inherited("PATH")
        if "/" in name or not path or self.search_alternatives("PATH") is not None:
            return False
        if inherited_path_has_relative() or any(os.path.basename(k) == name for k in [*self.files, *self.links]):
            return False
        return not _on_system_path(name)

    def unknown_search(self, name: str, route: tuple[str, ...], why: str) -> None:
        if git_like(self.root_text) or self._mentions_verb(self.root_text):
            self.flag("unresolved", None, route, f"{name}: {why}, and git may be involved")
        else:
            self.note(f"{name}: {why}; nothing git-like in the command")

    def run_program_file(
        self,
        kind: str,
        where: str,
        argv: list[Field],
        cmd: SimpleCommand,
        route: tuple[str, ...],
        depth: int,
        invoked: Field = "",
    ) -> None:
        """Run what a search found: a link (its target, given the link's name as argv[0]), a file
        the command wrote (its text, when known), or a file on disk (read as the script it is)."""
        if kind == "link":
            if where:
                self.run([where, *argv[1:]], cmd, route, depth + 1, arg0=[invoked or argv[0]])
            else:
                self.unknown_search(argv[0] or "", route, "it is a link to a program that is not known")
            return
        if kind == "written":
            text = self.files.get(where)
            program = script_files.interpreter_of(text) if text else ""
            if program in ("bash", "rbash") and text is not None and "posix" not in text.split("\n", 1)[0]:
                self.bash_children(cmd, route, f"{where} is a bash script")
            if program and program not in SHELLS and interpreter(program):
                self.code(Step("code", program, text=text, lang=interpreter(program), positional=argv[1:]), cmd, route)
                return
            self.run_file(where, cmd, route, list(argv[1:]))
            return
        self.disk_file(where, cmd, route, list(argv[1:]), as_program=True)

    def git_program(self, program: str) -> list[tuple[str, str]]:
        """Where git finds ``program`` (``git-NAME``, ``git-remote-NAME``): its exec path
        (``--exec-path``, ``GIT_EXEC_PATH``, else its own directory), then PATH, as the command set
        them (``find_program``'s kinds), and any file of that name the command writes."""
        exec_dirs: list[str | None] = [d for d in self.exec_paths if d is not None]
        exec_dirs = exec_dirs or list(self.search_alternatives("GIT_EXEC_PATH") or [""])
        paths = self.search_alternatives("PATH") or [INHERITED_PATH]
        found: list[tuple[str, str]] = []
        if exec_dirs != [""] or paths != [INHERITED_PATH]:
            default = self.git_exec_dir()  # git's own directory: a system one, looked in like others
            values = [None if e is None or p is None else f"{e or default}:{p}" for e in exec_dirs for p in paths]
            found = self.find_program(program, values)
        written = [("written", k) for k in self.files if os.path.basename(k) == program and ("written", k) not in found]
        return [*found, *written]

    def find_program(self, program: str, values: list[Field]) -> list[tuple[str, str]]:
        """Where a search of each PATH value finds ``program``: ("system", "") for a system
        program of that name, ("written", path) a file the command writes, ("link", target) a
        link it makes, ("file", path) a file on disk the agent could have written, ("unknown", "").
        A file that may not be executable does not end the search (bash would skip it)."""
        found: list[tuple[str, str]] = []
        for value in values:
            if value is None:
                found.append(("unknown", ""))
                continue
            for cwd in dict.fromkeys([self.cwd or os.getcwd(), *self.cd_dirs]):
                found += self._search_one(program, search_entries(value, cwd), cwd)
        return list(dict.fromkeys(found))

    def _search_one(self, program: str, dirs: list[str], cwd: str) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for directory in dirs:
            if directory == INHERITED_PATH:
                # The PATH the command inherited: the search ends there when it holds the program
                # (as this process's PATH says); else a later entry may be the one.
                found.append(("system", ""))
                if _on_system_path(program):
                    return found
                continue
            path = os.path.join(directory, program)
            keys = [norm(path), norm(os.path.relpath(path, cwd))] if path.startswith(cwd + "/") else [norm(path)]
            link = next((k for k in keys if k in self.links), None)
            if link is not None:
                return [*found, ("link", self.links[link][0] or "")]
            written = next((k for k in keys if k in self.files), None)
            is_file, executable = script_files.program_file(path)
            agents = path.startswith((cwd + "/", *_WRITABLE))
            if written is not None:
                found.append(("written", written))
                if keys[-1] in self.executable or executable:
                    return found
            elif is_file and agents and (executable or self._may_turn_executable(keys)):
                found.append(("file", path))
                if executable:
                    return found
            elif is_file and executable:
                return [*found, ("system", "")]
            elif agents and _mentions(self.root_text, f"{os.path.basename(directory)}/{program}"):
                found.append(("unknown", ""))  # made by a program of the command not followed here
        return found

    def _may_turn_executable(self, keys: list[str]) -> bool:
        """A file on disk without execute bits that the command may give them before the search
        (chmod, a copy or checkout over it, code that is not followed): else bash skips it."""
        if any(k in self.executable for k in keys) or self.unknown_code:
            return True
        words = {basename(w) for w in self.root_text.translate(_SEPARATORS).split()}
        return bool(words & _MODE_CHANGERS) or any(c in self.root_text for c in ("$(", "`", "<(", "eval"))

    def top_level_commands(self, script: Script) -> frozenset[int]:
        """The commands of a text that surely run in order: each first command of a top-level
        list item that is a plain command and not sent to the background."""
        ids = []
        body = script.body
        for i, item in enumerate(body.items):
            if i < len(body.seps) and body.seps[i] == "&":
                continue
            first = item.pipelines[0] if item.pipelines else None
            if first is not None and len(first.commands) == 1 and isinstance(first.commands[0], SimpleCommand):
                ids.append(id(first.commands[0]))
        return frozenset(ids)


# Words of a command that may give a file on disk execute bits before a later search finds it.
_MODE_CHANGERS = frozenset(
    {"chmod", "install", "setfacl", "cp", "mv", "ln", "rsync", "tar", "unzip", "cpio", "patch", "git", "gh"}
    | {"python", "python3", "perl", "ruby", "node", "make", "bash", "sh", "source", ".", "xargs", "find", "busybox"}
    | {"sudo", "env", "command", "exec", "builtin", "umask", "zip", "7z", "bsdtar", "curl", "wget", "dd", "sed"}
)


_SEPARATORS = {ord(c): " " for c in ";&|()<>{}'\"\\\n\t="}


def _mentions(text: str, path: str) -> bool:
    """``path`` appears in ``text`` as a whole name (``x/git`` is not in ``x/git-snap``)."""
    at = text.find(path)
    while at >= 0:
        end = at + len(path)
        if end >= len(text) or not (text[end].isalnum() or text[end] in "._-"):
            return True
        at = text.find(path, at + 1)
    return False


def _on_system_path(program: str) -> bool:
    for directory in (script_files.inherited("PATH") or "/usr/bin:/bin").split(":"):
        if directory.startswith("/") and script_files.program_file(os.path.join(directory, program))[1]:
            return True
    return False


def inherited_path_has_relative() -> bool:
    """Whether the inherited PATH has an empty or relative entry (names are then looked up in the
    working directory too, where the command may have made a link)."""
    return any(not d.startswith("/") for d in (script_files.inherited("PATH") or "/usr/bin").split(":"))
