"""git's own options, the ones before the subcommand (``git -C DIR -c k=v --no-pager VERB ...``).

One reading for every policy: the git guard (config, aliases and directories git is given), the
write guard (where a working-tree verb writes) and the ``git config`` tamper check. Standard
library only (hot path).

Options that take a value are those of any git version (``--attr-source`` is 2.40+,
``--super-prefix`` was removed in 2.41): reading a word as a value where one git would read it
as the subcommand could only hide that subcommand from a version that fails on the option
anyway. ``-cNAME=V`` and ``-CDIR`` are read as ``-c``/``-C`` with a value (git refuses them, so
nothing is hidden; ``refused_option`` names them). ``--exec-path``, ``--html-path`` and friends
take no separate value.
"""

from __future__ import annotations

from integration_engineer.runtime.record import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from collections.abc import Sequence

# git.c's handle_options: the options whose value may be the next word.
VALUE_OPTIONS = frozenset(
    {
        "-C",
        "-c",
        "--git-dir",
        "--work-tree",
        "--namespace",
        "--config-env",
        "--super-prefix",
        "--attr-source",
        "--list-cmds",
        "--shallow-file",
    }
)


@record
class GitOptions:
    """``git``'s arguments read up to the subcommand."""

    # (name, value) in order. Options with a value are named without it (``--git-dir=x`` is
    # ("--git-dir", "x")); value None: only known at run time; "" when missing. Flags are
    # (word, "") as written (``--no-pager``, ``--exec-path=/x``).
    options: tuple[tuple[str, str | None], ...]
    verb_at: int  # index of the subcommand in the arguments; len(arguments) when there is none

    def values(self, name: str) -> list[str | None]:
        """The values given to option ``name``, in order."""
        return [value for option, value in self.options if option == name]


def parse(args: Sequence[str | None]) -> GitOptions:
    """Read ``args`` (git's argv without the program name) up to the subcommand: the first word
    that is not an option, or one only known at run time (None)."""
    found: list[tuple[str, str | None]] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg is None or not arg.startswith("-"):
            break
        if arg in VALUE_OPTIONS:
            found.append((arg, args[i + 1] if i + 1 < len(args) else ""))
            i += 2
            continue
        key, eq, value = arg.partition("=")
        if eq and key in VALUE_OPTIONS:
            found.append((key, value))
        elif arg[:2] in ("-c", "-C") and len(arg) > 2:
            found.append((arg[:2], arg[2:]))
        else:
            found.append((arg, ""))
        i += 1
    return GitOptions(tuple(found), i)


def refused_option(args: Sequence[str | None]) -> str | None:
    """The first word before the subcommand that every git refuses as unknown, exiting before
    any subcommand runs: ``-cNAME=V`` and ``-CDIR`` (git.c knows only ``-c`` and ``-C`` as whole
    words). None when there is none."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg is None or not arg.startswith("-") or arg in ("-h", "--help", "-v", "--version"):
            return None  # the subcommand, or help/version taking the rest as its arguments
        if arg in VALUE_OPTIONS:
            i += 2
            continue
        if arg[:2] in ("-c", "-C") and len(arg) > 2:
            return arg
        i += 1
    return None
