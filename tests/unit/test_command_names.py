"""What a command name really runs (issue 18, names): git's argv[0] dispatch (links, ``hash -p``,
``exec -a``), names in another case, options every git refuses, and scripts made of lines that
line pickers (sort, tac...) take from known files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from integration_engineer.bash import line_pickers
from integration_engineer.bash.resolve import unwrap
from integration_engineer.git_guard.policy import analyse
from integration_engineer.repository import git_options


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True, capture_output=True)
    return repo


@pytest.mark.parametrize(
    "command",
    [
        "(exec -c -a git-add git new.txt)",  # exec -c wipes the environment: the labeller sees no trace
        'exec -a "$NAME" git new.txt',  # an argv[0] not known
        "env -a git-commit git -qam x",  # coreutils 9.5's env -a/--argv0
        "env --argv0 git-push git origin main",
        "bwrap --dev-bind / / --argv0 git-merge git feature",
        "hash -p /usr/bin/git git-merge; git-merge feature",
    ],
)
def test_argv0_that_names_a_forbidden_verb_is_refused(command: str, tmp_path: Path) -> None:
    assert analyse(command, cwd=str(_repo(tmp_path))).blocked


@pytest.mark.parametrize(
    "command",
    ["(exec -a git-status git -s)", "(exec -la git-add git x) 2>/dev/null; true", "(exec -a vcs git log -1)"],
)
def test_argv0_of_a_reading_verb_is_let_through(command: str, tmp_path: Path) -> None:
    assert not analyse(command, cwd=str(_repo(tmp_path))).blocked


def test_exec_a_is_given_to_the_program() -> None:
    step = unwrap(["exec", "-a", "git-add", "git", "x"])
    assert step is not None and step.argv == ["git", "x"] and step.arg0 == ["git-add"]
    step = unwrap(["exec", "-l", "git"])
    assert step is not None and step.arg0 == ["-git"]
    step = unwrap(["env", "-a", "git-add", "git"])
    assert step is not None and step.argv == ["git"] and step.arg0 == ["git-add"]


def test_exec_c_a_stages_for_real(tmp_path: Path) -> None:
    """What the guard refuses above really stages, though the wiped environment hides the trace."""
    repo = _repo(tmp_path)
    (repo / "new.txt").write_text("x\n")
    subprocess.run(["bash", "-c", "(exec -c -a git-add git new.txt)"], cwd=repo, check=True, capture_output=True)
    staged = subprocess.run(["git", "diff", "--cached", "--name-only"], cwd=repo, capture_output=True, text=True)
    assert staged.stdout.split() == ["new.txt"]


def test_upper_case_git_is_no_program_here(tmp_path: Path) -> None:
    if Path("/usr/bin/GIT").exists() or shutil.which("GIT"):
        pytest.skip("names ignore case on this file system")
    assert not analyse("GIT commit -qam x 2>/dev/null; true", cwd=str(_repo(tmp_path))).blocked


@pytest.mark.parametrize(
    ("args", "refused"),
    [
        (["-ccolor.ui=never", "add"], "-ccolor.ui=never"),
        (["-C.", "add"], "-C."),
        (["-c", "a=b", "-C", ".", "add"], None),
        (["-C", "-cx", "add"], None),  # -C's value
        (["--version", "-cx"], None),  # git version -cx
        (["add", "-cx"], None),
    ],
)
def test_options_every_git_refuses(args: list[str | None], refused: str | None) -> None:
    assert git_options.refused_option(args) == refused


def test_line_pickers() -> None:
    files = {"f": "git status\ngit log -1\n", "g": "echo hi\n"}
    assert line_pickers.picked_lines([["sort", "-r", "f"], ["head", "-1"]], files.get, None) == [
        "git status",
        "git log -1",
    ]
    assert line_pickers.picked_lines([["cat", "f", "g"]], files.get, None) == ["git status", "git log -1", "echo hi"]
    assert line_pickers.picked_lines([["sort"]], files.get, "echo a\n") == ["echo a"]
    changing: list[list[str | None]] = [
        ["sort", "-o", "x", "f"],
        ["sort", "-uo", "x", "f"],
        ["head", "-c", "5", "f"],
        ["tac", "-s", "x", "f"],
    ]
    for argv in changing:
        assert line_pickers.picked_lines([argv], files.get, None) is None, argv
    assert line_pickers.picked_lines([["uniq", "f", "out"]], files.get, None) is None
    assert line_pickers.picked_lines([["sort", "missing"]], files.get, None) is None
    assert line_pickers.picked_lines([["grep", "x", "f"]], files.get, None) is None


@pytest.mark.parametrize("line", ["git status", "git log -1 --oneline", "echo hi", "", "# note", "ls -la"])
def test_inert_lines(line: str) -> None:
    assert line_pickers.inert(line)


@pytest.mark.parametrize(
    "line", ["git commit -qam x", "git st", "git -c a=b log", "git com\\", "echo $(git push)", "git log > f", "cd x"]
)
def test_lines_that_are_not_inert(line: str) -> None:
    assert not line_pickers.inert(line)
