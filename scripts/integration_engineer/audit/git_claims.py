"""The answer's claims against git, for ``audit --task-id/--worktree/--repo``.

Changed files are ``git diff BASE...HEAD`` (committed on the branch since it left BASE) plus what
``git status`` shows uncommitted (modified, staged, deleted, untracked and not ignored): in CI the
tree is clean, so this is the branch's diff; in a worktree the agent just left (it may not
commit), it is its uncommitted work. A rename counts as its new path; the old path may be listed.
BASE defaults to the default branch (``origin/HEAD``, else ``init.defaultBranch``, else ``main``
or ``master``); ``A...B`` diffs from their merge-base.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from integration_engineer.answer.contract import Problem
from integration_engineer.answer.finding import Finding
from integration_engineer.answer.json_scanner import json_path
from integration_engineer.repository import git_runner

GIT_TIMEOUT = 300.0  # an audit runs by hand or in CI: slow, but never forever


class GitError(RuntimeError):
    """git could not answer; the message says what to pass or fix."""


@dataclass(frozen=True)
class Changes:
    paths: frozenset[str]
    renamed_from: frozenset[str]
    base: str


@dataclass(frozen=True)
class Expected:
    task_id: str | None = None
    worktree: Path | None = None
    repo: Path | None = None
    changes: Changes | None = None


def git(cwd: Path, *args: str) -> str:
    """Through the one git runner (its environment and timeout policy); errors as GitError."""
    try:
        return git_runner.GitCall(cwd, *args).output(timeout=GIT_TIMEOUT)
    except git_runner.GitError as exc:
        raise GitError(f"git {' '.join(args)} in {cwd}: {exc}") from None


def default_base(cwd: Path) -> str:
    for args in (("rev-parse", "--abbrev-ref", "origin/HEAD"), ("config", "init.defaultBranch")):
        try:
            name = git(cwd, *args).strip()
        except GitError:
            continue
        if name and _exists(cwd, name):
            return name
    for name in ("main", "master", "origin/main", "origin/master"):
        if _exists(cwd, name):
            return name
    raise GitError(f"cannot tell the default branch of {cwd}; pass --base REV")


def _exists(cwd: Path, rev: str) -> bool:
    try:
        git(cwd, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except GitError:
        return False
    return True


def changes(cwd: Path, base: str | None) -> Changes:
    base = base or default_base(cwd)
    paths: set[str] = set()
    renamed: set[str] = set()
    fields = git(cwd, "diff", "--name-status", "-z", "-M", f"{base}...HEAD").split("\0")
    i = 0
    while i < len(fields) - 1:
        status = fields[i]
        if status[:1] in ("R", "C"):
            if status[0] == "R":
                renamed.add(fields[i + 1])
            paths.add(fields[i + 2])
            i += 3
        else:
            paths.add(fields[i + 1])
            i += 2
    _add_status(cwd, paths, renamed)
    return Changes(frozenset(paths), frozenset(renamed - paths), base)


def _add_status(cwd: Path, paths: set[str], renamed: set[str]) -> None:
    entries = git(cwd, "status", "--porcelain=v1", "-z", "--untracked-files=all").split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        if len(entry) > 3:
            paths.add(entry[3:])
            if "R" in entry[:2] or "C" in entry[:2]:
                if "R" in entry[:2]:
                    renamed.add(entries[i + 1])
                i += 1  # the source path follows as its own field
        i += 1


def problems(value: dict[str, Any], expected: Expected) -> list[Problem]:
    found: list[Problem] = []
    if expected.task_id is not None:
        found += _task(value.get("task_id"), expected.task_id)
    if expected.worktree is not None:
        for key in ("worktree_path", "worktreePath"):  # Reaper's spelling gets the same check
            found += _worktree(value.get(key), expected, key)
    if expected.changes is not None:
        found += _files(value.get("files_modified"), expected.changes)
    return found


def _task(claimed: Any, task_id: str) -> list[Problem]:
    if not isinstance(claimed, str) or claimed == task_id:
        return []
    return [
        (
            ("task_id",),
            "value",
            Finding(
                "task-id-mismatch",
                "$.task_id",
                f"task_id is {claimed!r}, the task is {task_id!r}",
                f'answer for the task you were given: "task_id": "{task_id}"',
            ),
        )
    ]


def _worktree(claimed: Any, expected: Expected, key: str = "worktree_path") -> list[Problem]:
    if not isinstance(claimed, str) or not claimed.strip() or expected.worktree is None:
        return []
    base = expected.repo or Path.cwd()
    if (base / claimed).resolve() == expected.worktree.resolve():
        return []
    return [
        (
            (key,),
            "value",
            Finding(
                "worktree-mismatch",
                f"$.{key}",
                f"{key} {claimed!r} is not the task's worktree {str(expected.worktree)!r}",
                "give the worktree you were told to work in",
            ),
        )
    ]


def _files(claimed: Any, changes: Changes) -> list[Problem]:
    if not isinstance(claimed, list):
        return []
    found: list[Problem] = []
    listed: set[str] = set()
    for index, path in enumerate(claimed):
        if not isinstance(path, str):
            continue
        name = normal(path)
        listed.add(name)
        if name not in changes.paths and name not in changes.renamed_from:
            loc = ("files_modified", index)
            found.append(
                (
                    loc,
                    "value",
                    Finding(
                        "file-not-changed",
                        json_path(loc),
                        f"{path!r} is listed, but git shows no change to it since {changes.base}",
                        "list only files you created, changed or deleted",
                    ),
                )
            )
    for path in sorted(changes.paths - listed):
        found.append(
            (
                ("files_modified",),
                "key",
                Finding(
                    "file-not-claimed",
                    "$.files_modified",
                    f"{path!r} changed since {changes.base} but is not listed",
                    "list every file you created, changed or deleted",
                ),
            )
        )
    return found


def normal(path: str) -> str:
    """``./src//a.py`` and ``src/a.py`` name the same file."""
    return posixpath.normpath(path) if path else path
