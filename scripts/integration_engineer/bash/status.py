"""What bash provably does with a command before it runs, for the walk (bash/commands): the exit
status of a condition that is known statically, and whether a command ends the shell (or the
function) so that what follows it never runs. Standard library only.

Each answer relies on the builtins keeping their meaning: the names relied on are added to the
caller's ``assumed`` set, and the caller checks that nothing redefined them (a function or alias
named ``false``, ``enable``, ...) before treating anything as not run.

Known statuses (checked with bash 5.2):
- ``true`` / ``:`` (any arguments) succeed, ``false`` fails;
- ``test`` / ``[ ... ]`` and ``[[ ... ]]`` on literal words: the empty and one-word tests, ``-n``,
  ``-z``, ``=``/``==``/``!=`` (``[[``: only with a right side free of unquoted pattern characters),
  ``-eq -ne -lt -le -gt -ge`` on decimal literals, ``-d`` / ``-e`` of ``.``, ``..`` or ``/``
  (always there), and ``!`` in front of any of these;
- ``! PIPELINE`` inverts a known status.
Anything else (file tests, variables, programs, redirections that may fail) is unknown: None.
"""

from __future__ import annotations

from integration_engineer.bash.nodes import CommandList, CondCommand, Pipeline, SimpleCommand, Word

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    from collections.abc import Callable

    # The one value a word with expansions has where it runs (a function's ``"$1"`` in one call),
    # None when not known.
    Values = Callable[[Word], str | None] | None

_NUMERIC = {
    "-eq": lambda a, b: a == b,
    "-ne": lambda a, b: a != b,
    "-lt": lambda a, b: a < b,
    "-le": lambda a, b: a <= b,
    "-gt": lambda a, b: a > b,
    "-ge": lambda a, b: a >= b,
}
_STRING = {"=": True, "==": True, "!=": False}
# Directories that exist wherever the command runs: the current one (even removed, stat(".")
# succeeds) and the root.
_ALWAYS_DIRS = frozenset({".", "/", "./", ".."})


def pipeline_status(node: Pipeline, assumed: set[str], values: Values = None) -> bool | None:
    """The exit status (True: success) of a one-command pipeline whose outcome is known."""
    if len(node.commands) != 1:
        return None  # the last element's status, or pipefail's: not followed
    found = command_status(node.commands[0], assumed, values)
    if found is None:
        return None
    return not found if node.negated else found


def list_status(node: CommandList, assumed: set[str], values: Values = None) -> bool | None:
    """The status of a one-item, one-pipeline list (``if true; then``), None otherwise."""
    if len(node.items) == 1 and len(node.items[0].pipelines) == 1:
        return pipeline_status(node.items[0].pipelines[0], assumed, values)
    return None


def command_status(node: object, assumed: set[str], known: Values = None) -> bool | None:
    if isinstance(node, CondCommand):
        values = _literals(node.words, cond=True, known=known)
        return None if values is None or node.redirects else _test(values, cond=True)
    if not isinstance(node, SimpleCommand) or node.redirects or not node.words:
        return None
    if any(w.has_expansion for w in node.assignments):
        return None  # x=$(...) true: substitutions run first, with effects of their own
    values = _literals(node.words, cond=False, known=known)
    if values is None:
        return None
    program = values[0]
    if program in ("true", ":", "false"):
        assumed.add(program)
        return program != "false"
    if program == "[" and values[-1] == "]":
        assumed.add("[")
        return _test(values[1:-1], cond=False)
    if program == "test":
        assumed.add("test")
        return _test(values[1:], cond=False)
    return None


def _literals(words: list[Word], cond: bool, known: Values = None) -> list[str] | None:
    """The words' values, None when one is not literal (or, in ``[[ ]]``, a pattern); ``known``
    gives the value of an argument that is an expansion (never the program's name)."""
    out: list[str] = []
    for i, word in enumerate(words):
        value = word.value
        if value is None and known is not None and i > 0:
            value = known(word)
        if value is None or (word.has_glob and (cond or i > 0)):
            return None  # an unquoted * ? [ (but the ``[`` itself): a glob, or a pattern in [[ ]]
        out.append(value)
    return out


def _test(args: list[str], cond: bool) -> bool | None:
    """test's rules by the number of arguments (POSIX), for the operators listed above."""
    if args[:1] == ["!"] and len(args) > 1:
        inner = _test(args[1:], cond)
        return None if inner is None else not inner
    if not args:
        return None if cond else False
    if len(args) == 1:
        return args[0] != ""
    if len(args) == 2:
        if args[0] == "-n":
            return args[1] != ""
        if args[0] == "-z":
            return args[1] == ""
        if args[0] in ("-d", "-e") and args[1] in _ALWAYS_DIRS:
            return True
        return None
    if len(args) == 3:
        left, op, right = args
        if op in _STRING:
            return (left == right) == _STRING[op]
        if op in _NUMERIC and _decimal(left) and _decimal(right):
            return bool(_NUMERIC[op](int(left), int(right)))
    return None


def _decimal(text: str) -> bool:
    digits = text[1:] if text.startswith("-") else text
    return digits.isdigit() and digits.isascii() and (digits == "0" or not digits.startswith("0"))


def ends(cmd: SimpleCommand, in_function: bool, assumed: set[str]) -> bool:
    """Whether the shell certainly stops running this command list after ``cmd``: ``exit`` with at
    most one numeric literal, ``return`` likewise inside a function's body (outside one bash
    prints an error and goes on), ``exec PROGRAM`` (the program replaces the shell; when it cannot
    be run, a non-interactive shell exits too, unless ``execfail`` is set: the caller checks).
    A redirection may fail and leave the shell running: none is allowed."""
    if cmd.redirects or not cmd.words or any(w.has_expansion for w in cmd.words):
        return False
    values = [w.value or "" for w in cmd.words]
    program = values[0]
    if program == "exit" or (program == "return" and in_function):
        numeric = len(values) == 1 or (len(values) == 2 and _decimal(values[1].lstrip("+")))
        if numeric:
            assumed.add(program)
        return numeric
    if program != "exec":
        return False
    i = 1
    while i < len(values) and values[i].startswith("-") and values[i] != "-":
        if values[i] == "--":
            i += 1
            break
        if values[i] not in ("-c", "-l", "-cl", "-lc", "-a"):
            return False
        i += 2 if values[i] == "-a" else 1
    if i < len(values) and values[i]:
        assumed.add("exec")
        return True
    return False
