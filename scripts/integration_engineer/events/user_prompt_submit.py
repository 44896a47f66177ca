"""UserPromptSubmit: background agents' results, and main-thread mode.

A background integration-engineer's result reaches the orchestrator as a ``<task-notification>``
in a UserPromptSubmit; its checked hand-off goes with it as additionalContext.

Main-thread mode (``claude --agent integration-engineer:integration-engineer``): there is no Agent
call to check: the first prompt of the session is the task. It gets the same validation; an
invalid one is blocked with the same ERROR lines. Standard library only.
"""

from __future__ import annotations

import integration_engineer.task.validation as task_validation
from integration_engineer.config import Settings
from integration_engineer.events.subagent_start import context_for
from integration_engineer.finish import notification
from integration_engineer.runtime.actor import is_guarded
from integration_engineer.runtime.outcome import PASS, Outcome
from integration_engineer.runtime.payload import HookEvent
from integration_engineer.task import context as task_context

POLICY = "task_validation"


def handle(event: HookEvent, settings: Settings) -> Outcome:
    if not event.agent_id and notification.OPEN in event.prompt:
        return handoffs(event, settings)
    if event.agent_id or not is_guarded(event.agent_type, settings.guarded_agent_types):
        return PASS
    if task_context.load(event.session_id, task_context.MAIN_KEY) is not None:
        return PASS  # the task was set by the first prompt; later prompts are conversation
    verdict = task_validation.evaluate(event.prompt, task_validation.project_of(event), settings)
    if not verdict.accepted:
        return Outcome(kind="block", policy=POLICY, reason=verdict.message(), details={"errors": list(verdict.errors)})
    task = task_validation.task_of(
        verdict, session_id=event.session_id, tool_use_id="", prompts=(event.prompt,), take_baseline=True
    )
    task_context.remember(task)
    parts = [context_for(task, settings)]
    if verdict.ticket is not None:
        parts.append(verdict.ticket.as_text())
    parts += verdict.notes
    return Outcome(kind="pass", policy=POLICY, context="\n\n".join(parts), details={"task_id": task.task_id})


def handoffs(event: HookEvent, settings: Settings) -> Outcome:
    """The checked hand-off of each guarded background agent named in the notifications."""
    from integration_engineer.finish import handoff  # cold: only when an agent has finished

    parts = []
    for note in notification.parse(event.prompt):
        text = handoff.for_notification(event.session_id, note.task_id, note.tool_use_id, settings.quality_gates)
        if text:
            parts.append(text)
    if not parts:
        return PASS
    return Outcome(kind="pass", policy="handoff", context="\n\n".join(parts))
