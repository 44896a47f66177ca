"""SubagentStop: clean up, check the guarded agent's answer and claims, block or let it go.

Cold path, but the matcher is the only filter Claude Code applies: the agent type is checked
first and the heavy modules (pydantic, git) are imported only for a guarded agent.
"""

from __future__ import annotations

from integration_engineer.config import Settings
from integration_engineer.runtime.actor import is_guarded
from integration_engineer.runtime.outcome import PASS, Outcome
from integration_engineer.runtime.payload import HookEvent


def handle(event: HookEvent, settings: Settings) -> Outcome:
    if not is_guarded(event.agent_type, settings.guarded_agent_types):
        return PASS
    from integration_engineer.finish import stop_check as output_check
    from integration_engineer.task import context as task_context
    from integration_engineer.task import lookup as task_lookup

    task = task_lookup.find(event, settings)
    _, transcript = task_context.subagent_files(event)
    outcome = output_check.review(event, settings, task, transcript)
    if task is not None and outcome.kind != "block":
        from integration_engineer.sandbox import task_tmp

        task_tmp.remove(task.key)  # the task is over: its /tmp goes (kept while it is sent back)
    return outcome
