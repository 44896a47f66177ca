"""Signatures read from the repository (git_guard/git_objects.py, revisions.py): gpg.program runs
only for a signed object, so a verifying verb over unsigned loose commits runs nothing of it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from integration_engineer.git_guard import git_objects, revisions
from integration_engineer.git_guard.policy import analyse

SIG = "gpgsig -----BEGIN PGP SIGNATURE-----\n x\n -----END PGP SIGNATURE-----\n"
GPG = "#!/bin/sh\ngit push -q origin HEAD:refs/heads/sig >&2\nexit 1\n"


def _git(repo: Path, *args: str, stdin: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@x", "GIT_COMMITTER_NAME": "a"}
    env["GIT_COMMITTER_EMAIL"] = "a@x"
    out = subprocess.run(["git", *args], cwd=repo, env=env, input=stdin, capture_output=True, text=True, check=True)
    return out.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "a.txt").write_text("one\n")
    _git(tmp_path, "add", "a.txt")
    _git(tmp_path, "commit", "-qm", "first")
    (tmp_path / "g.sh").write_text(GPG)
    (tmp_path / "g.sh").chmod(0o755)
    return tmp_path


def _sign_head(repo: Path) -> str:
    head, _, message = _git(repo, "cat-file", "commit", "HEAD").partition("\n\n")
    oid = _git(repo, "hash-object", "-t", "commit", "-w", "--stdin", stdin=f"{head}\n{SIG}\n{message}\n")
    _git(repo, "update-ref", "refs/heads/main", oid)
    return oid


def _store(repo: Path) -> git_objects.Store:
    return git_objects.Store(str(repo / ".git"), str(repo / ".git"))


def _head(store: git_objects.Store) -> list[str]:
    found = store.resolve("HEAD")
    assert isinstance(found, list)
    return found


def test_unsigned_loose_commits_are_read(repo: Path) -> None:
    store = _store(repo)
    assert store.plain()
    assert git_objects.signed(store, _head(store), walk=True) is False
    assert not analyse("git -c gpg.program=./g.sh log -1 --show-signature", cwd=str(repo)).blocked
    assert not analyse("git -c gpg.program=./g.sh verify-commit main && echo ok", cwd=str(repo)).blocked


def test_a_signed_commit_or_its_child_runs_gpg(repo: Path) -> None:
    _sign_head(repo)
    assert analyse("git -c gpg.program=./g.sh verify-commit HEAD", cwd=str(repo)).blocked
    _git(repo, "commit", "-q", "--allow-empty", "-m", "child")
    store = _store(repo)
    assert git_objects.signed(store, _head(store), walk=False) is False
    assert git_objects.signed(store, _head(store), walk=True) is True
    assert not analyse("git -c gpg.program=./g.sh verify-commit HEAD", cwd=str(repo)).blocked
    assert analyse("git -c gpg.program=./g.sh log --show-signature --oneline", cwd=str(repo)).blocked
    assert analyse("git -c gpg.program=./g.sh show --show-signature HEAD~1", cwd=str(repo)).blocked


def test_what_cannot_be_read_counts_as_signed(repo: Path) -> None:
    _git(repo, "gc", "-q")  # packed objects are not read
    assert analyse("git -c gpg.program=./g.sh log -1 --show-signature", cwd=str(repo)).blocked
    for command in (
        "git -c gpg.program=./g.sh log --show-signature --all",  # starting points not read
        "git -c gpg.program=./g.sh verify-commit HEAD@{1}",
        "git update-ref refs/heads/x HEAD; git -c gpg.program=./g.sh verify-commit x",  # a second git command
        "./make.sh; git -c gpg.program=./g.sh verify-commit HEAD",
        "git -c gpg.program=./g.sh verify-commit $(cat sha)",
    ):
        assert analyse(command, cwd=str(repo)).blocked, command


def test_a_signed_tag(repo: Path) -> None:
    _git(repo, "tag", "-a", "-m", "t", "v1")
    assert not analyse("git -c gpg.program=./g.sh verify-tag v1", cwd=str(repo)).blocked
    body = _git(repo, "cat-file", "tag", "v1") + "\n-----BEGIN PGP SIGNATURE-----\nx\n-----END PGP SIGNATURE-----\n"
    _git(repo, "update-ref", "refs/tags/v1", _git(repo, "hash-object", "-t", "tag", "-w", "--stdin", stdin=body))
    assert analyse("git -c gpg.program=./g.sh verify-tag v1", cwd=str(repo)).blocked


def test_revisions_picked() -> None:
    assert revisions.picked("log", ["-1", "--oneline"]) == (["HEAD"], False)
    assert revisions.picked("log", ["-1", "--no-merges"]) == (["HEAD"], True)
    assert revisions.picked("log", ["-3", "main..feature"]) == (["main", "feature"], True)
    assert revisions.picked("show", ["-s", "v1"]) == (["v1"], False)
    assert revisions.picked("log", ["--all"]) is None
    assert revisions.picked("verify-commit", ["-v", "HEAD~2"]) == (["HEAD"], True)


def test_only_a_git_command_of_the_command_line_reads_the_repository(repo: Path) -> None:
    # An alias's shell could move HEAD to a signed commit before its own log runs.
    alias = (
        "git -c alias.v='!git update-ref refs/heads/main main && git log -1 --show-signature' -c gpg.program=./g.sh v"
    )
    assert analyse(alias, cwd=str(repo)).blocked
    assert analyse("sort -o x y; git -c gpg.program=./g.sh verify-commit HEAD", cwd=str(repo)).blocked
    assert not analyse("git -c gpg.program=./g.sh verify-commit HEAD > out.txt; cat out.txt", cwd=str(repo)).blocked
