"""The task's SCOPE (Reaper's deployment template): inside its worktree the agent writes only the
files SCOPE's globs name.

Judged for every write the isolation policy sees (file tools and the Bash write targets of
``bash_writes``), resolved, relative to the worktree. Writes outside the worktree and targets that
cannot be known are the isolation policy's to refuse, so each refusal is said once. A task without
SCOPE has no such limit. Standard library only (hot path).
"""

from __future__ import annotations

import os

from integration_engineer.config import Settings
from integration_engineer.isolation import write_targets
from integration_engineer.isolation.target import HARMLESS, Target
from integration_engineer.runtime import paths
from integration_engineer.runtime.globs import path_match
from integration_engineer.runtime.outcome import PASS, Outcome, deny
from integration_engineer.runtime.payload import HookEvent
from integration_engineer.task import acting as acting_task

POLICY = "scope"


def check(event: HookEvent, settings: Settings) -> Outcome:
    targets = write_targets.of_event(event)
    if not targets:
        return PASS
    task = acting_task.task_for(event, settings)
    if task is None or not task.scope or not task.worktree:
        return PASS  # no task: the isolation policy refuses every write already
    worktree = acting_task.worktree_of(task)
    outside = [problem for t in targets if (problem := _problem(t, worktree, task.scope))]
    if not outside:
        return PASS
    lines = "\n".join(f"- {p}" for p in outside)
    scope = " ".join(task.scope)
    return deny(
        POLICY,
        f"integration-engineer: this {event.tool_name or 'tool'} call is refused: it writes outside the "
        f"task's SCOPE ({scope}, relative to the worktree {worktree}).\n{lines}\n"
        "Write only files the SCOPE names; if the work needs another file, leave it and say so "
        "in unfinished.",
        scope=list(task.scope),
    )


def _problem(target: Target, worktree: str, scope: tuple[str, ...]) -> str:
    """Why a write inside the worktree is outside SCOPE ("" when it is not)."""
    if target.unknown or not target.path or target.path in HARMLESS:
        return ""
    if not paths.is_within(target.path, worktree) or target.path == worktree:
        return ""  # the isolation policy's (outside), or the worktree itself (mkdir -p .)
    rel = os.path.relpath(target.path, worktree).replace(os.sep, "/")
    if any(path_match(rel, glob) for glob in scope):
        return ""
    if target.op.split(" ")[0] == "mkdir" and any(_leads_to(rel, glob) for glob in scope):
        return ""  # a directory on the way to the SCOPE (mkdir src before src/auth/**)
    return f"{target.describe()}: {rel} is outside the SCOPE"


def _leads_to(rel: str, glob: str) -> bool:
    """``rel`` is a directory above every path the glob can name (within its literal leading parts)."""
    parts = rel.split("/")
    lead: list[str] = []
    for part in glob.strip("/").split("/"):
        if any(c in part for c in "*?["):
            break
        lead.append(part)
    return len(parts) < len(lead) and lead[: len(parts)] == parts
