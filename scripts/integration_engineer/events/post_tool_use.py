"""PostToolUse on Agent/Task: when a guarded agent returns, tell the orchestrator what was checked
and what comes next (``handoff``). Every other tool call is left alone before any import."""

from __future__ import annotations

from integration_engineer.config import Settings
from integration_engineer.runtime.actor import is_guarded
from integration_engineer.runtime.outcome import PASS, Outcome
from integration_engineer.runtime.payload import HookEvent

AGENT_TOOLS = ("Agent", "Task")


def handle(event: HookEvent, settings: Settings) -> Outcome:
    if event.tool_name not in AGENT_TOOLS:
        return PASS
    target = event.tool_input.get("subagent_type")
    if not isinstance(target, str) or not is_guarded(target, settings.guarded_agent_types):
        return PASS
    from integration_engineer.finish import handoff

    return Outcome(kind="pass", policy="handoff", context=handoff.context_for(event))
