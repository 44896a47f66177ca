"""bash.xargs: the command lines GNU xargs builds from what it reads (checked with findutils 4.9)."""

from __future__ import annotations

import pytest

from integration_engineer.bash.expand import Argv
from integration_engineer.bash.xargs import MAX_RUNS, XargsCommand


@pytest.mark.parametrize(
    ("args", "data", "runs"),
    [
        (["git", "log"], "a b\nc\n", [["git", "log", "a", "b", "c"]]),
        (["-n1", "git"], "status push\n", [["git", "status"], ["git", "push"]]),
        (["-rn1", "git"], "status push", [["git", "status"], ["git", "push"]]),
        (["-L1", "git"], "log -1\nstatus\n", [["git", "log", "-1"], ["git", "status"]]),
        (["-L1", "echo"], "a b \nc\nd\n", [["echo", "a", "b", "c"], ["echo", "d"]]),  # a trailing blank goes on
        (["-L1", "-n1", "git"], "status push", [["git", "status"], ["git", "push"]]),  # the last given wins
        (["-n1", "-L1", "git"], "status push", [["git", "status", "push"]]),
        (["-I{}", "git", "{}", "-q"], "push\n\n  x y\n", [["git", "push", "-q"], ["git", "x y", "-q"]]),
        (["-i", "echo", "[{}]"], "a\n", [["echo", "[a]"]]),
        (["-0", "-n1", "echo"], "a\0b c\0", [["echo", "a"], ["echo", "b c"]]),
        (["-d,", "-n1", "echo"], "a,,b", [["echo", "a"], ["echo", ""], ["echo", "b"]]),
        (["-d", "\\n", "echo"], " \n", [["echo", " "]]),
        (["-E", "_", "-n1", "git"], "log _ push", [["git", "log"]]),
        (["-0", "-E", "_", "echo"], "a _ b", [["echo", "a _ b"]]),  # -E has no effect with -0
        (["-n1", "echo"], "'a b' c\\ d \"e f\"", [["echo", "a b"], ["echo", "c d"], ["echo", "e f"]]),
        (["git", "push"], "\n", [["git", "push"]]),  # no item: run once without -r
        (["-r", "git", "push"], "\n", []),
        (["--no-run-if-empty", "git", "push"], "", []),
        (["-I{}", "git", "{}"], "", []),  # -I: one run per line, none without a line
        (["--max-a=1", "echo"], "a b", [["echo", "a"], ["echo", "b"]]),  # long options abbreviated
        ([], "x", [["echo", "x"]]),
    ],
)
def test_runs(args: Argv, data: str, runs: list[Argv]) -> None:
    assert XargsCommand(args).runs(data) == runs


@pytest.mark.parametrize(
    ("args", "data"),
    [
        (["git"], None),  # input not known
        (["git"], "a 'b\n"),  # an unmatched quote
        (["-s", "20", "git"], "status push"),  # how -s splits depends on the environment
        (["--bogus", "git"], "push"),
        ([None, "git"], "push"),
        (["-n", "x", "git"], "push"),
        (["-d", "ab", "git"], "push"),
    ],
)
def test_unknown_leaves_an_unknown_item(args: Argv, data: str | None) -> None:
    command = XargsCommand(args)
    assert command.runs(data)[-1][-1] is None


def test_arg_file_and_cap() -> None:
    assert XargsCommand(["-a", "f", "git"]).arg_file() == (True, "f")
    assert XargsCommand(["--arg-file=f", "git"]).arg_file() == (True, "f")
    assert XargsCommand(["git"]).arg_file() == (False, None)
    runs = XargsCommand(["-n1", "echo"]).runs(" ".join(["x"] * (MAX_RUNS + 5)))
    assert len(runs) == MAX_RUNS + 1
    assert runs[-1] == ["echo", None]
