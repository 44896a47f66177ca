"""Finding the acting agent's task, validating its prompt again when the stored state is lost.

``task.context`` stores and finds tasks; the validation policy sits above it. This module joins
the two, so that the store never imports the policy (import layers). Standard library only.
"""

from __future__ import annotations

import os

from integration_engineer.repository import git_files
from integration_engineer.task import context as task_context
from integration_engineer.task.context import ISOLATION_DIR, META_RETRIES, Task

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from integration_engineer.config import Settings
    from integration_engineer.runtime.payload import HookEvent


def find(event: HookEvent, settings: Settings, *, retries: int = META_RETRIES) -> Task | None:
    """``task.context.find`` with the validation as the fallback for an unknown prompt; an
    isolated agent's worktree is settled from its cwd."""
    task = task_context.find(event, settings, retries=retries, reaccept=accept_again)
    return settle_isolation(task, event) if task is not None else None


def settle_isolation(task: Task, event: HookEvent) -> Task:
    """The task bound to the worktree the agent really runs in (Claude Code's isolation).

    With ``isolation`` on the call, the worktree is unknown until the agent starts: its cwd then
    is the isolation worktree. Isolation from the agent's definition that the Agent call did not
    show is seen the same way: the cwd is ``.claude/worktrees/agent-<id>`` while the task names
    another worktree, which becomes the session worktree. Settled once, stored; a later ``cd``
    changes nothing."""
    if not event.agent_id or not event.cwd:
        return task
    if task.isolation and task.worktree:
        return task
    cwd = os.path.realpath(event.cwd)
    if not task.isolation:
        parent = os.path.join(task.project, ISOLATION_DIR)
        if os.path.dirname(cwd) != parent or not os.path.basename(cwd).startswith("agent-") or cwd == task.worktree:
            return task
    listed = git_files.worktrees(task.project)
    if listed is None:
        from integration_engineer.task import validation  # unusual repositories only: asks git

        listed = validation.git_worktrees(task.project)
    if not listed or cwd not in listed[1:]:
        return task  # not a linked worktree of the project: writes stay refused (no worktree)
    rel = os.path.relpath(cwd, task.project)
    settled = Task.from_json(
        {
            **task.to_json(),
            "worktree": cwd,
            "worktree_arg": "./" + rel if not rel.startswith("..") else cwd,
            "worktree_pin": task_context.pin_of(cwd),
            "base_head": task_context.head_of(cwd),
            "isolation": True,
            "session_worktree": task.session_worktree or (task.worktree if not task.isolation else ""),
            "baseline": {},
            "baseline_taken": False,
        }
    )
    task_context.remember(settled)
    return settled


def accept_again(event: HookEvent, settings: Settings, prompt: str, tool_use_id: str) -> Task | None:
    """No stored task matches the prompt (state lost, or started elsewhere): validate it again."""
    from integration_engineer.task import validation  # only on this rare path: it is the heavy part

    project = validation.project_of(event)
    verdict = validation.evaluate(prompt, project, settings, lookup_ticket=False)
    if not verdict.accepted:
        return None
    return validation.task_of(
        verdict, session_id=event.session_id, tool_use_id=tool_use_id or f"agent-{event.agent_id}"
    )
