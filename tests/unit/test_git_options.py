"""git's global options, read once (repository/git_options) for the git guard, the write guard and
the ``git config`` check. Each expectation was checked with git 2.39: what git takes for the
option's value and what it runs as the subcommand."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from integration_engineer.git_guard import config_writes
from integration_engineer.git_guard.policy import analyse
from integration_engineer.isolation import bash_writes
from integration_engineer.repository.git_options import parse


@pytest.mark.parametrize(
    ("args", "options", "verb_at"),
    [
        (["status"], (), 0),
        (["-C", "d", "-c", "a.b=1", "status"], (("-C", "d"), ("-c", "a.b=1")), 4),
        (["--git-dir=.g", "--work-tree", "w", "log"], (("--git-dir", ".g"), ("--work-tree", "w")), 3),
        (["--shallow-file", "x", "commit"], (("--shallow-file", "x"),), 2),
        (["--no-pager", "--exec-path=/x", "diff"], (("--no-pager", ""), ("--exec-path=/x", "")), 2),
        (["--exec-path", "commit"], (("--exec-path", ""),), 1),  # no separate value
        (["-ca.b=1", "-Cdir", "push"], (("-c", "a.b=1"), ("-C", "dir")), 2),
        (["--config-env", "a.b=V", "push"], (("--config-env", "a.b=V"),), 2),
        (["-C", None, "commit"], (("-C", None),), 2),  # a value only known at run time
        (["-p", None, "commit"], (("-p", ""),), 1),  # the subcommand only known at run time
        (["-C"], (("-C", ""),), 2),
        ([], (), 0),
    ],
)
def test_the_options_and_where_the_subcommand_is(
    args: list[str | None], options: tuple[tuple[str, str | None], ...], verb_at: int
) -> None:
    read = parse(args)
    assert read.options == options
    assert read.verb_at == verb_at


def test_values_of_one_option_in_order() -> None:
    read = parse(["-C", "a", "-c", "x=1", "-C", "b", "status"])
    assert read.values("-C") == ["a", "b"]
    assert read.values("--work-tree") == []


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False).stdout


def test_shallow_file_takes_a_value_so_the_commit_behind_it_is_seen(tmp_path: Path) -> None:
    # git runs the commit: the guard used to read "x" as the subcommand and let it through.
    repo = tmp_path / "r"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    command = [
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@x",
        "--shallow-file",
        "x",
        "commit",
        "--allow-empty",
        "-qm",
        "y",
    ]
    subprocess.run(["git", *command], cwd=repo, check=True, capture_output=True)
    assert _git(repo, "log", "--format=%s") == "y\n"
    findings = analyse("git --shallow-file x commit --allow-empty -m y", cwd=str(repo))
    assert findings.blocked and [f.verb for f in findings.findings] == ["commit"]
    assert analyse("git --shallow-file x push", cwd=str(repo)).blocked


def test_every_guard_reads_the_same_subcommand() -> None:
    command = "git --namespace n -c a.b=1 --git-dir=.git config alias.ci commit"
    assert config_writes.find(command)  # the config write behind the options
    assert analyse("git --namespace n checkout -- .", cwd="/tmp").blocked is False
    # The write guard sees checkout behind --namespace's value (it used to take "n" for the verb).
    assert [t.op for t in bash_writes.targets("git --namespace n checkout -- .", "/w")] == ["git checkout in"]


@pytest.mark.parametrize(
    ("command", "where"),
    [
        ("git --work-tree=/etc checkout -- .", "/etc"),  # the = form was not followed before
        ("git --work-tree /etc checkout -- .", "/etc"),
        ("git -C sub checkout -- .", "/w/sub"),
        ("git -C sub --work-tree=tree checkout -- .", "/w/sub/tree"),
        ("git --work-tree=a --work-tree=b checkout -- .", "/w/b"),  # the last one counts
    ],
)
def test_the_write_guard_follows_where_git_writes(command: str, where: str) -> None:
    assert [t.path for t in bash_writes.targets(command, "/w")] == [where]


def test_a_relative_work_tree_follows_the_c_steps_as_git_does(tmp_path: Path) -> None:
    repo = tmp_path / "r"
    (repo / "sub" / "tree").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    top = _git(repo, "--work-tree=tree", "-C", "sub", "rev-parse", "--show-toplevel").strip()
    assert top == str(repo / "sub" / "tree")
    assert [t.path for t in bash_writes.targets("git --work-tree=tree -C sub checkout -- .", str(repo))] == [top]
