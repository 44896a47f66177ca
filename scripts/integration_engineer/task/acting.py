"""The task of the acting agent, looked up once per hook process, shared by the write policies.

Several policies (isolation, tamper, test scope) need the same task for the same event; finding it
may read state files and, the first time, the subagent's transcript. The answer is kept for the
event object the dispatcher passes to every policy of one call.
"""

from __future__ import annotations

import os

from integration_engineer.config import Settings
from integration_engineer.runtime.payload import HookEvent
from integration_engineer.task import context as task_context
from integration_engineer.task import lookup as task_lookup
from integration_engineer.task.context import Task

_CACHE: dict[int, tuple[HookEvent, Task | None]] = {}


def task_for(event: HookEvent, settings: Settings) -> Task | None:
    hit = _CACHE.get(id(event))
    if hit is not None and hit[0] is event:
        return hit[1]
    task = task_lookup.find(event, settings)
    if task is not None and not task.baseline_taken:
        # Never missed, even when SubagentStart could not tell this agent from others started
        # with it: its first tool call has not run yet, so the worktree is still as it found it.
        task = task_context.with_baseline(task)
    _CACHE.clear()
    _CACHE[id(event)] = (event, task)
    return task


def worktree_of(task: Task) -> str:
    """The task's worktree, resolved again (the record holds the resolved path already)."""
    return os.path.realpath(task.worktree)


def missing_reason(action: str) -> str:
    return (
        f"integration-engineer: {action} is refused because the task context of this agent "
        "cannot be found, so its worktree is unknown. The orchestrator must start the "
        "integration-engineer with an Agent call that passed validation (TASK, DESCRIPTION, "
        "WORKTREE_PATH under ./trees/)."
    )
