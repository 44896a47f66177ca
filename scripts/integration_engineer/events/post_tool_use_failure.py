"""PostToolUseFailure on Bash: a guarded agent's sandboxed command failed; when it failed on a
protected path, the agent is told which path, which rule and what to do instead. Claude Code sends a
failed command here, not to PostToolUse (observed with CLI 2.1.332), with its output in ``error``."""

from __future__ import annotations

from integration_engineer.config import Settings
from integration_engineer.events import post_tool_use
from integration_engineer.runtime.outcome import Outcome
from integration_engineer.runtime.payload import HookEvent


def handle(event: HookEvent, settings: Settings) -> Outcome:
    return post_tool_use.sandboxed_failure(event, settings)
