"""Which module handles which hook event. Handlers are imported only when their event arrives,
so a PreToolUse never pays for the cold-path imports of SubagentStop."""

from __future__ import annotations

import sys

from integration_engineer.runtime.event_names import HANDLERS

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import ModuleType

    from integration_engineer.config import Settings
    from integration_engineer.runtime.outcome import Outcome
    from integration_engineer.runtime.payload import HookEvent

    Handler = Callable[[HookEvent, Settings], Outcome]

_MODULES = HANDLERS


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
