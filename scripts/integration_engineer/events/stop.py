"""Stop: the same end-of-run checks when the guarded agent is the main thread
(``claude --agent ...``: ``agent_type`` without ``agent_id``). The orchestrator's own Stop and a
subagent's are left alone, before anything heavy is imported."""

from __future__ import annotations

from integration_engineer.config import Settings
from integration_engineer.runtime.actor import is_guarded
from integration_engineer.runtime.outcome import PASS, Outcome
from integration_engineer.runtime.payload import HookEvent


def handle(event: HookEvent, settings: Settings) -> Outcome:
    if event.agent_id or not is_guarded(event.agent_type, settings.guarded_agent_types):
        return PASS
    from integration_engineer.finish import stop_check as output_check
    from integration_engineer.task import lookup as task_lookup

    task = task_lookup.find(event, settings)
    return output_check.review(event, settings, task, event.transcript_path)
