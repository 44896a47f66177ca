"""Traps, and whether code the walk proved never run may run after all.

``trap ACTION SIG...`` runs ACTION when SIG comes. Some signals come for sure or may come from
outside (EXIT at the end, ERR, DEBUG, RETURN, TERM and INT when the tool is stopped): their
action is followed at once. Two cases are followed only as far as bash really runs them, for a
trap the command itself sets at its top level:

- EXIT: the action in effect when the shell ends runs. ``trap - EXIT`` (or ``''``, or a new
  action) replaces an earlier one only when nothing that could end the shell ran in between
  (only ``:``, ``true``, ``echo``... with no redirection; and no ``set -e`` anywhere);
- ERR: runs when a command fails. ``trap - ERR`` drops it only when nothing that may fail ran in
  between (only ``:``, ``true``, ``trap`` of known signals, plain assignments); one still set at
  the end is followed when anything that may fail ran after it (then Claude Code's own
  ``pwd -P >| FILE`` after the command may fail too: a removed directory);
- USR1 / USR2: nothing sends them but a ``kill`` (or a program the command runs, even one started
  before the trap, in the background): the action is followed when the command mentions ``kill``
  or ``signal``, or when anything runs anywhere in the command that may send one: all but the
  builtins and programs of ``_NO_SIGNALS`` (git among them: what its settings and hooks run is
  followed as commands of its own);
- RETURN: runs when a function or a sourced file returns, but a trap set outside functions is not
  inherited by them (without ``set -T``/functrace, ``declare -t`` or extdebug): followed when
  the command sources a file, turns function tracing on, or runs what is not known.
"""

from __future__ import annotations

from integration_engineer.bash import code as code_text
from integration_engineer.bash.expand import Argv
from integration_engineer.bash.parser import SimpleCommand
from integration_engineer.git_guard.analysis_state import AnalysisState

_EXIT = frozenset({"EXIT", "0"})
_USER = {"USR1": "USR1", "USR2": "USR2", "10": "USR1", "12": "USR2"}
_NAMES = frozenset({"ERR", "DEBUG", "RETURN", "HUP", "INT", "QUIT", "TERM", "PIPE", "ALRM", "CHLD", "WINCH"})
# Builtins that finish at once and cannot end the shell (without set -e, a failed echo does not).
_QUICK = frozenset({":", "true", "trap"})
_QUICK_UNLESS_ERREXIT = frozenset({"echo", "printf", "false"})
# Text that may redefine a builtin the walk's proofs rely on (bash/status).
_REDEFINING = frozenset({"alias", "enable", "builtin"})
# Builtins and programs that never signal another process (checked with coreutils 9, git 2.39).
_NO_SIGNALS = frozenset(
    {":", "true", "false", "echo", "printf", "trap", "test", "[", "cd", "pwd", "set", "shift", "unset"}
    | {"export", "local", "declare", "typeset", "readonly", "read", "shopt", "type", "hash", "return"}
    | {"git", "cat", "ls", "head", "tail", "wc", "grep", "sort", "uniq", "cut", "tr", "date", "basename"}
    | {"dirname", "mkdir", "touch", "cp", "mv", "rm", "ln", "stat", "diff", "sleep", "tee", "realpath"}
)
# What makes a RETURN trap set outside functions fire: sourcing, function tracing.
_RETURNING = frozenset({".", "source", "functrace", "extdebug"})


class Traps(AnalysisState):
    """``trap``, the commands run since a trap was set, and redefined builtins."""

    def trap(self, argv: Argv, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        args = argv[1:]
        if args[:1] == ["--"]:
            args = args[1:]
        if not args or (args[0] is not None and args[0].startswith("-") and args[0] != "-"):
            return  # trap, trap -l, trap -p: print only
        action, signals = (args[0], args[1:]) if len(args) > 1 else ("-", args)
        here = (*route, "trap")
        if action is None:
            self.dynamic_script(cmd, here, "the trap's command is not known")
            return
        for signal in signals:
            kind = _kind(signal)
            old = self.traps.pop(kind, None) if kind != "fires" else None
            now = self.may_fail if kind == "ERR" else self.ran
            if old is not None and (not self.sure or old[2] != now):
                self.source(old[0], old[1])  # it may have fired (or may still) before this one
            if action in ("-", ""):
                continue
            if kind != "fires" and self.sure:
                self.traps[kind] = (action, here, now)
            else:
                self.source(action, here)

    def pending_traps(self) -> None:
        """At the end of the whole command: the EXIT action in effect runs; a USR1/USR2 action
        runs if the signal may have been sent."""
        if self.depth != 1 or self.calling:
            return
        for kind, (action, route, ran) in sorted(self.traps.items()):
            if kind == "PROMPT":  # PROMPT_COMMAND=...: only a shell started after it runs it
                if self.ran != ran:
                    self.source(action, route)
                else:
                    self.note("PROMPT_COMMAND is set, and no interactive shell runs after it")
            elif kind == "ERR" and self.may_fail == ran:
                self.note("an ERR trap, and nothing after it can fail")
            elif kind == "RETURN" and not (self.unknown_code or self.returning or _tracing(self.root_text)):
                self.note("a RETURN trap, and no sourced file or traced function returns")
            elif kind in ("EXIT", "ERR", "RETURN") or self.signalling or _signals(self.root_text):
                self.source(action, route)
            else:
                self.note("a trap for USR1/USR2, a signal nothing in the command sends")
        self.traps.clear()

    def count_ran(self, cmd: SimpleCommand) -> None:
        """Count the commands that might end the shell or send a signal (all but quick builtins),
        and those that may fail (all but ``:``, ``true``, ``trap`` of known signals, assignments)."""
        values = [w.value for w in cmd.words]
        plain = not cmd.redirects and all(v is not None for v in values)
        if plain and values:
            errexit = "errexit" in self.root_text or "-e" in self.root_text
            quick = values[0] in _QUICK or (values[0] in _QUICK_UNLESS_ERREXIT and not errexit)
            succeeds = values[0] in (":", "true") or (values[0] == "trap" and all(_known(v) for v in values[2:]))
        else:
            quick = succeeds = plain and not any(w.has_expansion for w in cmd.assignments)
        self.ran += not quick
        tested = id(cmd) in self.checked and "pipefail" not in self.root_text  # sets off no ERR
        self.may_fail += not succeeds and not tested
        program = values[0] if values else ":"
        self.signalling += program is None or program not in _NO_SIGNALS
        self.returning = self.returning or program in _RETURNING

    def redefined(self, assumed: set[str], functions: set[str] | None = None) -> bool:
        """Whether a builtin in ``assumed`` may not mean what bash/status took it to mean: a
        function or alias of that name, ``enable``, code that cannot be known, ``execfail``,
        ``nocasematch`` (a case item whose pattern differs from the subject)."""
        if not assumed:
            return False
        if self.unknown_code or assumed & (set(self.functions) | set(self.shell_aliases) | (functions or set())):
            return True
        text = " ".join(self.texts) or self.root_text
        if ("exec" in assumed and "execfail" in text) or ("case" in assumed and "nocasematch" in text):
            return True
        return bool(code_text.words(text) & _REDEFINING) or "BASH_FUNC" in text


def _kind(signal: str | None) -> str:
    name = (signal or "").upper()
    name = name[3:] if name.startswith("SIG") else name
    if name in _EXIT:
        return "EXIT"
    if name in ("ERR", "RETURN"):
        return name
    return _USER.get(name, "fires")


def _tracing(text: str) -> bool:
    """Whether functions may inherit the RETURN trap: ``set -T``, ``set -o functrace``,
    ``declare -t``, ``shopt -s extdebug`` (or options given from a variable)."""
    words = code_text.words(text)
    if words & _RETURNING:
        return True
    flat = text.replace(";", " ").replace("&", " ").replace("|", " ").split()
    return any(w[:1] in "-+" and w[1:].isalpha() and ("T" in w or "t" in w) for w in flat) or "$" in text


def _known(signal: str | None) -> bool:
    name = (signal or "").upper()
    name = name[3:] if name.startswith("SIG") else name
    return name in _EXIT or name in _USER or name in _NAMES


def _signals(text: str) -> bool:
    """Whether the command may send a signal to itself: kill, pkill, a signal named in code."""
    low = text.lower()
    return "kill" in low or "signal" in low
