"""A running guarded agent's worktree is its own: other subagents may not write into it.

Another subagent (a general-purpose agent beside the integration-engineer) writing into that
worktree would have its changes charged to the integration-engineer, whose correct answer is then
refused. Its Write/Edit/Bash writes into the worktree of any guarded task of the session whose run
has not ended are refused, naming the task. Targets it cannot work out are left to it: this guard
protects the worktrees, it does not confine the other agent. The orchestrator is not judged here
(its changes are reported at the hand-off, as before).
"""

from __future__ import annotations

import os

from integration_engineer.config import Settings
from integration_engineer.isolation import write_targets
from integration_engineer.runtime import paths
from integration_engineer.runtime.outcome import PASS, Outcome, deny
from integration_engineer.runtime.payload import HookEvent
from integration_engineer.task import context as task_context

NAME = "held_worktrees"


def check(event: HookEvent, settings: Settings) -> Outcome:
    held = [(os.path.realpath(t.worktree), t) for t in task_context.live_tasks(event.session_id) if t.worktree]
    if not held:
        return PASS  # read before the targets: most sessions hold no worktree
    hits = []
    for target in write_targets.of_event(event):
        if target.unknown:
            continue
        for worktree, task in held:
            if paths.is_within(target.path, worktree):
                hits.append((target.describe(), task))
    if not hits:
        return PASS
    task = hits[0][1]
    shown = task.worktree_arg or task.worktree
    lines = "\n".join(f"- {what}" for what, _ in hits)
    return deny(
        NAME,
        f"integration-engineer: this {event.tool_name} call is refused: {shown} is the worktree of the "
        f"running integration-engineer task {task.task_id or task.tool_use_id}, and only that agent "
        f"writes there until it has finished (its changes are checked against git).\n{lines}\n"
        "Write elsewhere, or wait until that agent has finished.",
        worktree=task.worktree,
    )
