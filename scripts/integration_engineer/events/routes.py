"""Which module handles which hook event. Handlers are imported only when their event arrives,
so a PreToolUse never pays for the cold-path imports of SubagentStop."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import ModuleType

    from integration_engineer.config import Settings
    from integration_engineer.runtime.outcome import Outcome
    from integration_engineer.runtime.payload import HookEvent

    Handler = Callable[[HookEvent, Settings], Outcome]

_MODULES = {
    "PreToolUse": "pre_tool_use",
    "PostToolUse": "post_tool_use",
    "SubagentStart": "subagent_start",
    "SubagentStop": "subagent_stop",
    "Stop": "stop",
    "UserPromptSubmit": "user_prompt_submit",
    "SessionStart": "session_start",
}


def load(name: str) -> ModuleType:
    """``importlib.import_module(name)`` for an absolute name, without importing importlib (and
    warnings with it) on the hot path. Event handlers and policies are loaded through here."""
    __import__(name)
    return sys.modules[name]


def handler_for(event: str) -> Handler | None:
    name = _MODULES.get(event)
    if name is None:
        return None
    module = load(f"integration_engineer.events.{name}")
    handler: Handler = module.handle
    return handler
