"""bash.output's readers of files (head, tail, sed -n, $(< f)), for-each-ref --shell, and
bash.code's awk commands: what they print or start, when that is known."""

from __future__ import annotations

import pytest

from integration_engineer.bash.code import awk_commands
from integration_engineer.bash.expand import Env
from integration_engineer.bash.output import REF_WORD, argv_stdout, script_stdout
from integration_engineer.bash.parser import parse

FILES: dict[str, str | None] = {"v": "status\npush\nlog\n"}


@pytest.mark.parametrize(
    ("argv", "out"),
    [
        (["head", "-n1", "v"], "status\n"),
        (["head", "-2", "v"], "status\npush\n"),
        (["head", "-n", "-1", "v"], "status\npush\n"),
        (["head", "--lines=1", "v"], "status\n"),
        (["tail", "-n", "1", "v"], "log\n"),
        (["tail", "-n", "+2", "v"], "push\nlog\n"),
        (["sed", "-n", "2p", "v"], "push\n"),
        (["sed", "-n", "1,2p", "v"], "status\npush\n"),
        (["sed", "-n", "$p", "v"], "log\n"),
        (["sed", "-n", "-e", "3p", "v"], "log\n"),
        (["sed", "1q", "v"], "status\n"),
        (["sed", "s/a/b/", "v"], None),  # not a line picked by number
        (["sed", "-i", "-n", "1p", "v"], None),
        (["head", "-c", "3", "v"], None),
        (["head", "-n1", "v", "v"], None),  # several files: headers
        (["head", "-n1", "missing"], None),
        (["true"], ""),
    ],
)
def test_readers(argv: list[str | None], out: str | None) -> None:
    assert argv_stdout(argv, FILES, "") == out


def test_redirect_alone_is_the_file() -> None:
    assert script_stdout(parse("< v"), Env(), FILES) == FILES["v"]


@pytest.mark.parametrize(
    ("fmt", "line"),
    [
        ("echo %(refname:short)", f"echo {REF_WORD}"),
        ("git log %(objectname) %(refname)", f"git log {REF_WORD} {REF_WORD}"),
        ("printf %%s %(refname)", f"printf %s {REF_WORD}"),
        ("echo%20%(refname)", f"echo {REF_WORD}"),  # %xx is the byte
        ("echo '%(refname)'", None),  # the format quotes the atom itself
        ("echo $x %(refname)", None),
        ("%(if)%(upstream)%(then)x%(end)", None),
        ("echo %(refname)%0agit", None),  # a second line of its own
    ],
)
def test_for_each_ref_shell(fmt: str, line: str | None) -> None:
    out = argv_stdout(["git", "for-each-ref", "--shell", f"--format={fmt}"], {}, "")
    assert out == (None if line is None else f"{line}\n{line}\n")


def test_for_each_ref_without_shell_is_not_known() -> None:
    assert argv_stdout(["git", "for-each-ref", "--format=echo %(refname)"], {}, "") is None


@pytest.mark.parametrize(
    ("program", "started"),
    [
        ('{print | "cat"}', [("out", "cat")]),
        ('{printf "%s\\n", $0 | "sort -u"; close("sort -u")}', [("out", "sort -u")]),
        ('BEGIN { "git rev-parse HEAD" | getline h; print h }', [("in", "git rev-parse HEAD")]),
        ('BEGIN{while (("ls" | getline l) > 0) print l}', [("in", "ls")]),
        ('BEGIN{system("git status")}', [("in", "git status")]),
        ('{print > "out"}', []),
        ("{print | cmd}", None),  # a variable
        ('{print | "sort" " -r"}', None),  # a joined string
        ('{ system("echo " $1) }', None),
        ('{print $1 |& "sh"}', None),  # a coprocess
        ('/x|y/{print | "sh"}', None),  # a | that may be a regular expression's
    ],
)
def test_awk_commands(program: str, started: list[tuple[str, str]] | None) -> None:
    assert awk_commands(program) == started
