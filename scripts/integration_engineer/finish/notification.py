"""The ``<task-notification>`` blocks Claude Code puts into the orchestrator's prompt when a
background agent finishes (observed, CLI 2.1.332)::

    <task-notification>
    <task-id>a8c3adb213fa865e4</task-id>
    <tool-use-id>toolu_01...</tool-use-id>
    <task-type>...</task-type>
    <status>completed</status>
    <summary>Agent "..." finished</summary>
    ...
    </task-notification>

They arrive through UserPromptSubmit, so this is read on the hot path: string methods only, no re.
"""

from __future__ import annotations

from integration_engineer.runtime.record import record

OPEN = "<task-notification>"
CLOSE = "</task-notification>"
MAX_NOTIFICATIONS = 20  # a prompt holds a few queued notifications; never loop over a huge prompt


@record
class Notification:
    task_id: str  # the agent id for an agent task
    tool_use_id: str  # the call that started (or continued) the task
    status: str


def _tag(block: str, name: str) -> str:
    start = block.find(f"<{name}>")
    if start < 0:
        return ""
    start += len(name) + 2
    end = block.find(f"</{name}>", start)
    return block[start:end].strip() if end >= 0 else ""


def parse(prompt: str) -> list[Notification]:
    """Every notification in a prompt, in order; [] for a prompt without one."""
    found: list[Notification] = []
    at = prompt.find(OPEN)
    while at >= 0 and len(found) < MAX_NOTIFICATIONS:
        end = prompt.find(CLOSE, at)
        block = prompt[at : end if end >= 0 else len(prompt)]
        task_id, tool_use_id = _tag(block, "task-id"), _tag(block, "tool-use-id")
        if task_id or tool_use_id:
            found.append(Notification(task_id=task_id, tool_use_id=tool_use_id, status=_tag(block, "status")))
        if end < 0:
            break
        at = prompt.find(OPEN, end)
    return found
