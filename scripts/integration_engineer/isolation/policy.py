"""Worktree isolation: the guarded agent writes only inside its task's worktree.

Write/Edit/MultiEdit/NotebookEdit: the target, resolved (``~``, ``..``, symlinks at every level,
files not created yet), must lie inside the worktree. Bash: every write the command makes to a
path (redirections, tee, cp/mv/rm/touch/mkdir/ln/install/rsync, ``sed -i``...) likewise; a target
we cannot work out statically is refused, reading outside is fine.
"""

from __future__ import annotations

from integration_engineer.config import Settings
from integration_engineer.isolation import write_targets
from integration_engineer.isolation.target import HARMLESS, Target
from integration_engineer.runtime import paths
from integration_engineer.runtime.outcome import PASS, Outcome, deny
from integration_engineer.runtime.payload import HookEvent
from integration_engineer.sandbox import layout
from integration_engineer.task import acting as acting_task
from integration_engineer.task import context as task_context
from integration_engineer.task.context import Task

NAME = "isolation"


def check(event: HookEvent, settings: Settings) -> Outcome:
    targets = write_targets.of_event(event)
    if not targets:
        return PASS
    task = acting_task.task_for(event, settings)
    if task is None:
        return deny(NAME, acting_task.missing_reason(_action(event)))
    moved = task_context.pin_problem(task)
    if moved:
        return deny(
            NAME,
            f"integration-engineer: every write is refused: {moved}. The orchestrator must start the "
            "task again (a new Agent call) once the worktree is back in place.",
        )
    worktree = acting_task.worktree_of(task)
    problems = [_problem(t, worktree) for t in targets]
    if any(problems) and _own_tmp(event, settings):
        cwd = paths.resolve(event.cwd or worktree, "")
        own = [layout.own_tmp(t.absolute, worktree, cwd) for t in targets]
        problems = ["" if mine else p for p, mine in zip(problems, own, strict=True)]
    problems = [p for p in problems if p]
    if not problems:
        return PASS
    return deny(NAME, _reason(event, task, worktree, problems), worktree=worktree)


# Operations that take away or swap the directory they name (find -delete empties it, kept).
_REPLACING = frozenset({"rm", "rmdir", "mv", "ln", "unlink"})


def _problem(target: Target, worktree: str) -> str:
    if target.unknown:
        return f"{target.describe()}: {target.unknown}"
    if target.path == worktree and target.op.split(" ")[0] in _REPLACING:
        return f"{target.describe()} would remove or replace the worktree directory itself"
    if paths.is_within(target.path, worktree) or target.path in HARMLESS:
        return ""
    via = "" if target.path == target.raw else f" (resolves to {target.path})"
    return f"{target.describe()}{via} is outside the worktree"


def _own_tmp(event: HookEvent, settings: Settings) -> bool:
    """Whether the command will run in bubblewrap, where /tmp is the task's own directory (the
    sandbox step wraps every Bash command the policies accept): a write there reaches nothing
    outside the task. Not for Write/Edit (not sandboxed) nor Seatbelt (/tmp stays the host's)."""
    if event.tool_name != "Bash" or settings.sandbox.mode == "off":
        return False
    from integration_engineer.sandbox import probe

    return probe.engine()[0] == "bwrap"


def _reason(event: HookEvent, task: Task, worktree: str, problems: list[str]) -> str:
    lines = "\n".join(f"- {p}" for p in problems)
    shown = task.worktree_arg or worktree
    return (
        f"integration-engineer: {_action(event)} is refused: you may write only inside your "
        f"task's worktree {shown} ({worktree}).\n{lines}\n"
        f"Use paths inside {worktree}; reading elsewhere is fine."
    )


def _action(event: HookEvent) -> str:
    return f"this {event.tool_name} call" if event.tool_name else "this tool call"
