"""Finding the acting agent's task, validating its prompt again when the stored state is lost.

``task.context`` stores and finds tasks; the validation policy sits above it. This module joins
the two, so that the store never imports the policy (import layers). Standard library only.
"""

from __future__ import annotations

from integration_engineer.task import context as task_context
from integration_engineer.task.context import META_RETRIES, Task

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from integration_engineer.config import Settings
    from integration_engineer.runtime.payload import HookEvent


def find(event: HookEvent, settings: Settings, *, retries: int = META_RETRIES) -> Task | None:
    """``task.context.find`` with the validation as the fallback for an unknown prompt."""
    return task_context.find(event, settings, retries=retries, reaccept=accept_again)


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
