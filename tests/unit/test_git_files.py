"""git_files reads what git would answer: each case is checked against git itself.

Real repositories made with git: linked worktrees, a detached HEAD, packed refs after
``git pack-refs --all``, an unborn branch, a plain directory, the main working tree, a worktree
of another repository, a registered worktree whose directory is gone.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import integration_engineer.task.validation as tv
from integration_engineer.repository import git_files
from integration_engineer.task import context as task_context
from tests.helpers import git, make_repo


def _kind(listed: list[str] | None, path: Path) -> str:
    """How task_validation reads a listing for a candidate worktree."""
    if listed is None:
        return "no repository"
    real = os.path.realpath(path)
    if listed and real == listed[0]:
        return "main"
    return "linked" if real in listed[1:] else "plain"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "project", ("PROJ-1-a", "PROJ-2-b"))
    git(repo, "worktree", "add", "-q", "--detach", str(repo / "trees" / "detached"))
    (repo / "trees" / "plain").mkdir()
    (repo / "trees" / "plain" / "file.txt").write_text("x\n")
    other = make_repo(tmp_path / "other", ())
    git(other, "worktree", "add", "-q", "-b", "elsewhere", str(repo / "trees" / "other-repo"))
    return repo


def _candidates(repo: Path) -> list[Path]:
    trees = repo / "trees"
    return [repo, trees / "PROJ-1-a", trees / "PROJ-2-b", trees / "detached", trees / "plain", trees / "other-repo"]


def _assert_like_git(repo: Path) -> None:
    project = os.path.realpath(repo)
    from_files = git_files.worktrees(project)
    from_git = tv.git_worktrees(project)
    assert from_files is not None, "an ordinary repository needs no git process"
    assert from_git is not None
    assert from_files[0] == from_git[0]
    assert sorted(from_files[1:]) == sorted(from_git[1:])
    for path in _candidates(repo):
        if path.exists():
            assert _kind(from_files, path) == _kind(from_git, path), path
            assert task_context.head_of(str(path)) == task_context.git_head(str(path)), path


def test_worktrees_and_heads_match_git(project: Path) -> None:
    kinds = {p.name: _kind(git_files.worktrees(str(project)), p) for p in _candidates(project)}
    assert kinds == {
        "project": "main",
        "PROJ-1-a": "linked",
        "PROJ-2-b": "linked",
        "detached": "linked",
        "plain": "plain",
        "other-repo": "plain",
    }
    _assert_like_git(project)
    assert git_files.head(str(project / "trees" / "PROJ-1-a")) == git(project, "rev-parse", "HEAD").strip()


def test_packed_refs_and_new_commits(project: Path) -> None:
    wt = project / "trees" / "PROJ-1-a"
    (wt / "new.txt").write_text("new\n")
    git(wt, "add", "new.txt")
    git(wt, "commit", "-q", "-m", "in the worktree")
    git(project, "pack-refs", "--all")
    assert not (project / ".git" / "refs" / "heads" / "PROJ-1-a").exists()
    assert git_files.head(str(wt)) is not None, "packed refs are read without git"
    _assert_like_git(project)
    (wt / "newer.txt").write_text("newer\n")  # a loose ref again, newer than the packed one
    git(wt, "add", "newer.txt")
    git(wt, "commit", "-q", "-m", "again")
    _assert_like_git(project)


def test_detached_head_and_a_symbolic_ref(project: Path) -> None:
    detached = project / "trees" / "detached"
    assert git_files.head(str(detached)) == git(detached, "rev-parse", "HEAD").strip()
    wt = project / "trees" / "PROJ-2-b"
    git(project, "symbolic-ref", "refs/heads/alias", "refs/heads/PROJ-2-b")
    git(wt, "symbolic-ref", "HEAD", "refs/heads/alias")
    assert git_files.head(str(wt)) == task_context.git_head(str(wt)) != ""


def test_an_unborn_branch_is_left_to_git(project: Path) -> None:
    wt = project / "trees" / "PROJ-2-b"
    git(wt, "symbolic-ref", "HEAD", "refs/heads/not-born-yet")
    assert git_files.head(str(wt)) is None
    assert task_context.head_of(str(wt)) == task_context.git_head(str(wt)) == ""


def test_a_worktree_whose_directory_is_gone_is_still_listed(project: Path) -> None:
    gone = project / "trees" / "PROJ-2-b"
    for path in sorted(gone.rglob("*"), reverse=True):
        path.unlink() if path.is_file() or path.is_symlink() else path.rmdir()
    gone.rmdir()
    listed = git_files.worktrees(str(project))
    assert listed is not None and os.path.realpath(gone) in listed[1:]
    _assert_like_git(project)


def test_a_plain_directory_and_no_repository(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    (plain / "trees" / "x").mkdir(parents=True)
    assert git_files.worktrees(str(plain)) is None  # git decides (it is no repository)
    assert tv.git_worktrees(str(plain)) is None
    assert git_files.head(str(plain / "trees" / "x")) is None
    assert task_context.head_of(str(plain / "trees" / "x")) == ""


def test_unusual_setups_are_left_to_git(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project_dir = str(project)
    wt = str(project / "trees" / "PROJ-1-a")
    monkeypatch.setenv("GIT_DIR", str(project / ".git"))
    assert git_files.worktrees(project_dir) is None and git_files.head(wt) is None
    monkeypatch.delenv("GIT_DIR")
    assert git_files.worktrees(str(project / "trees" / "PROJ-1-a")) is None  # .git is a file
    git(project, "config", "core.bare", "true")
    assert git_files.worktrees(project_dir) is None
    git(project, "config", "core.bare", "false")
    gitdir_file = next((project / ".git" / "worktrees").glob("*/gitdir"))
    gitdir_file.write_text("../../../trees/PROJ-1-a/.git\n")  # relative (worktree.useRelativePaths)
    assert git_files.worktrees(project_dir) is None


def test_run_git_is_subprocess_text_mode(project: Path) -> None:
    wt = project / "trees" / "PROJ-1-a"
    (wt / "a\r\nb.txt").write_text("x")
    out = git_files.run_git(str(wt), ("status", "--porcelain=v1", "-z", "--untracked-files=all"), 5.0)
    assert out == "?? a\nb.txt\0"  # universal newlines, as subprocess's text mode gives
    assert git_files.run_git(str(wt), ("rev-parse", "--verify", "-q", "nope"), 5.0) is None
    assert git_files.run_git(str(wt / "missing"), ("status",), 5.0) is None
