"""Tamper resistance: the guarded agent cannot switch its guards off.

Refused for every tool, even inside the worktree: writes to this plugin's configuration, code and
data directory, Claude Code settings (``.claude/``, ``~/.claude/``, ``~/.claude.json``), git
metadata (``.git``: hooks, config, the worktree's gitdir link), git configuration files and the
``core.hooksPath`` directory; and ``git config`` commands that change configuration.
"""

from __future__ import annotations

from integration_engineer.config import Settings
from integration_engineer.isolation import protected, write_targets
from integration_engineer.runtime.outcome import PASS, Outcome, deny
from integration_engineer.runtime.payload import HookEvent, input_str
from integration_engineer.task import acting as acting_task

NAME = "tamper"


def check(event: HookEvent, settings: Settings) -> Outcome:
    problems = []
    targets = write_targets.of_event(event)
    if targets:
        task = acting_task.task_for(event, settings)
        guarded = protected.collect(acting_task.worktree_of(task) if task else "")
        for target in targets:
            if target.unknown or not target.path:
                continue
            what = guarded.reason(target.path, whole_tree=target.whole_tree)
            if what:
                problems.append(f"{target.describe()}: {what}")
    if event.tool_name == "Bash":
        from integration_engineer.git_guard.config_writes import find

        problems += find(input_str(event, "command"))
    if not problems:
        return PASS
    lines = "\n".join(f"- {p}" for p in problems)
    return deny(
        NAME,
        "integration-engineer: this would change the guards' own settings, which the "
        f"integration-engineer may not do:\n{lines}\nLeave configuration, git hooks and "
        "git config to the user; if a setting is in your way, say so in your final answer.",
    )
