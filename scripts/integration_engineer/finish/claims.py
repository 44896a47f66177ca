"""The answer's claims against what git says: task id, worktree, and the set of files changed.

What the agent changed is counted from the worktree's state when the agent started (SubagentStart,
before its first request): the commit then checked out (``base_head``) plus the paths already
changed at that moment (``baseline``: path -> ``git hash-object`` of the content then, ``""`` when
deleted). Without SubagentStart (``baseline_known`` false) every change since ``base_head`` is the
agent's. A baseline path whose content is
still the same is the orchestrator's change, not the agent's; a baseline path put back to the
commit's content is the agent's.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from integration_engineer.repository.git_runner import GitCall, GitError
from integration_engineer.task.context import Task, blob_hash


@dataclass(frozen=True)
class Problem:
    """One claim that does not hold; ``where`` is the JSON path of the claim."""

    rule: str
    where: str
    message: str
    loc: tuple[str | int, ...] = ()  # the claim's place in the answer: ("files_modified", 2)

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "where": self.where, "message": self.message}


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    changed: dict[str, str] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "problems": [p.as_dict() for p in self.problems],
            "changed": self.changed,
            "conflicts": self.conflicts,
            "notes": self.notes,
        }


@dataclass(frozen=True)
class Expected:
    """What the task says, as ``task_context`` recorded it when the task was accepted."""

    task_id: str
    worktree: Path
    project: Path
    base_head: str = ""
    baseline: Mapping[str, str] = field(default_factory=dict)
    baseline_known: bool = True
    main_snapshot: Mapping[str, str] | None = None
    started_at: float | None = None

    @classmethod
    def of(cls, task: Task) -> Expected:
        return cls(
            task_id=task.task_id,
            worktree=Path(task.worktree),
            project=Path(task.project),
            base_head=task.base_head,
            baseline=dict(task.baseline),
            baseline_known=task.baseline_taken,
            main_snapshot=getattr(task, "main_snapshot", None),
            started_at=task.accepted_at or None,
        )


@dataclass
class Started:
    """The git calls whose answers cleanup cannot change, begun before the cleanup runs."""

    diff: GitCall
    main_status: GitCall


def start(expected: Expected) -> Started:
    """Start them now: tracked changes (cleanup never touches tracked files) and the main tree."""
    return Started(_diff_call(expected.worktree, expected.base_head), _status_call(expected.project))


def check(
    answer: Mapping[str, Any], expected: Expected, removed: Iterable[str] = (), started: Started | None = None
) -> Result:
    """Every claim of a contract-valid answer checked; ``removed`` = paths cleanup just deleted."""
    started = started or start(expected)
    result = Result()
    result.problems += check_identity(answer, expected)
    try:
        result.changed = agent_changes(expected.worktree, expected.base_head, expected.baseline, started.diff)
    except GitError as exc:
        # Unverifiable is not accepted: a corrupt index would let any files_modified through.
        message = (
            f"files_modified cannot be checked: git could not list the worktree's changes ({exc}); "
            "repair the worktree's git state (a corrupt index: `rm .git/index && git reset`), then answer again"
        )
        result.problems.append(Problem("claims.unverifiable", "$.files_modified", message, ("files_modified",)))
    else:
        if not expected.baseline_known:
            result.notes.append(
                "no baseline: the worktree's state was not recorded when this agent "
                "started (SubagentStart did not run, or git did not answer), so "
                "every change in the worktree counts as the agent's"
            )
        claimed = answer.get("files_modified")
        if isinstance(claimed, list):
            result.problems += compare_files(claimed, result.changed, expected, set(removed))
    result.conflicts, note = main_tree_conflicts(expected, started.main_status)
    if note:
        result.notes.append(note)
    return result


def check_identity(answer: Mapping[str, Any], expected: Expected) -> list[Problem]:
    problems = []
    task_id = answer.get("task_id")
    if expected.task_id and isinstance(task_id, str) and task_id.strip() != expected.task_id:
        problems.append(
            Problem(
                "claims.task_id",
                "$.task_id",
                f"task_id is {task_id!r}; this task is {expected.task_id!r}",
                ("task_id",),
            )
        )
    for key in ("worktree_path", "worktreePath"):  # Reaper's spelling gets the same check
        path = answer.get(key)
        if isinstance(path, str) and path.strip() and not same_worktree(path, expected):
            rel = _relative(expected.worktree, expected.project)
            problems.append(
                Problem(
                    "claims.worktree_path",
                    f"$.{key}",
                    f"{key} is {path!r}; this task's worktree is {'./' + rel if rel else str(expected.worktree)!r}",
                    (key,),
                )
            )
    return problems


def same_worktree(claimed: str, expected: Expected) -> bool:
    """``./trees/X``, ``trees/X``, ``trees/X/`` and the absolute path all name the same worktree."""
    path = Path(os.path.expanduser(claimed.strip()))
    if not path.is_absolute():
        path = expected.project / path
    return Path(os.path.normpath(path)) == Path(os.path.normpath(expected.worktree)) or (
        path.resolve() == expected.worktree.resolve()
    )


def normalise(path: str) -> str:
    """A claimed path in git's spelling: ``./src//a.py`` -> ``src/a.py``."""
    text = path.strip().replace("\\", "/")
    return posixpath.normpath(text).lstrip("/") if text else text


def compare_files(
    claimed: list[Any], changed: Mapping[str, str], expected: Expected, removed: set[str]
) -> list[Problem]:
    claims: dict[str, tuple[int, str]] = {}
    for index, path in enumerate(claimed):
        if isinstance(path, str):
            claims.setdefault(normalise(path), (index, path))
    problems = []
    for path in sorted(set(changed) - set(claims)):
        problems.append(
            Problem(
                "claims.files_missing",
                "$.files_modified",
                f"files_modified misses {path} ({changed[path]}): git shows it "
                "changed in the worktree since you started",
                ("files_modified",),
            )
        )
    for path in sorted(set(claims) - set(changed), key=lambda p: claims[p][0]):
        index, spelled = claims[path]
        problems.append(
            Problem(
                "claims.files_extra",
                f"$.files_modified[{index}]",
                f"files_modified lists {spelled}, but {_why_unchanged(path, expected, removed)}",
                ("files_modified", index),
            )
        )
    return problems


def _why_unchanged(path: str, expected: Expected, removed: set[str]) -> str:
    if path in expected.baseline:
        return "it was already changed before you started and is unchanged since (not your change)"
    if path in removed or any(path.startswith(r) for r in removed if r.endswith("/")):
        return "it is a tool artifact, removed by the cleanup when you stopped"
    if not os.path.lexists(expected.worktree / path):
        return "it does not exist in the worktree and git shows no deletion"
    return "git shows no change to it since you started (or it is ignored by git)"


def _diff_call(worktree: Path, base_head: str) -> GitCall:
    return GitCall(worktree, "diff", "--name-status", "-z", "--no-renames", "--no-ext-diff", base_head or "HEAD", "--")


def agent_changes(
    worktree: Path, base_head: str, baseline: Mapping[str, str], diff: GitCall | None = None
) -> dict[str, str]:
    """Path -> how it changed (modified, added, deleted, untracked, restored), the agent's only."""
    untracked = GitCall(worktree, "ls-files", "-o", "--exclude-standard", "-z")
    changed: dict[str, str] = {}
    out = (diff or _diff_call(worktree, base_head)).output()
    fields = out.split("\0")
    kinds = {"M": "modified", "A": "added", "D": "deleted", "T": "type changed"}
    for status, path in zip(fields[0::2], fields[1::2], strict=False):
        if path:
            changed[path] = kinds.get(status[:1], "modified")
    for path in untracked.output().split("\0"):
        if path:  # a nested repository is listed as "dir/": named without the slash
            changed[path.rstrip("/")] = "untracked"
    now = content_hashes(worktree, list(baseline))
    for path, then in baseline.items():
        if now.get(path, "") == then:
            changed.pop(path, None)
        elif path not in changed:
            changed[path] = "restored"
    return changed


def content_hashes(worktree: Path, paths: list[str]) -> dict[str, str]:
    """The blob id of each path's content now, hashed as task_context hashed the baseline."""
    return {p: blob_hash(str(worktree / p)) for p in paths}


def main_tree_conflicts(expected: Expected, status: GitCall | None = None) -> tuple[list[str], str]:
    """Paths of the main working tree changed during the run, and a note on how sure that is."""
    try:
        dirty = _dirty_main_paths(expected, status or _status_call(expected.project))
    except GitError as exc:
        return [], f"main working tree not checked: {exc}"
    if expected.main_snapshot is not None:
        snapshot = expected.main_snapshot
        now = content_hashes(expected.project, sorted(dirty | set(snapshot)))
        changed = [p for p in sorted(dirty | set(snapshot)) if now.get(p, "") != snapshot.get(p, "")]
        return changed, ""
    if expected.started_at is None:
        note = (
            (
                f"main working tree has {len(dirty)} changed path(s); no snapshot from the start of "
                "the run, so changes made during it cannot be told apart"
            )
            if dirty
            else ""
        )
        return [], note
    since = expected.started_at
    recent = [p for p in sorted(dirty) if _mtime(expected.project / p) >= since]
    gone = [p for p in sorted(dirty) if not os.path.lexists(expected.project / p)]
    note = ""
    if gone:
        note = (
            f"main working tree: {len(gone)} deleted path(s) whose time of deletion is unknown ({', '.join(gone[:5])})"
        )
    return recent, note


def _status_call(project: Path) -> GitCall:
    return GitCall(project, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames")


ISOLATION_DIR = ".claude/worktrees/"


def _dirty_main_paths(expected: Expected, status: GitCall) -> set[str]:
    out = status.output()
    skip = _relative(expected.worktree, expected.project)
    paths = set()
    for record in out.split("\0"):
        path = record[3:]
        if not path or (skip and (path == skip or path.startswith(skip.rstrip("/") + "/"))):
            continue
        if path.startswith(ISOLATION_DIR):  # Claude Code's worktrees (untracked in the main checkout)
            continue
        paths.add(path)
    return paths


def _mtime(path: Path) -> float:
    try:
        return path.lstat().st_mtime
    except OSError:
        return float("-inf")


def _relative(path: Path, start: Path) -> str:
    try:
        return path.resolve().relative_to(start.resolve()).as_posix()
    except ValueError:
        return ""
