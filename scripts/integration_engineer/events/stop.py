"""stop: not handled yet."""

from __future__ import annotations

from integration_engineer.config import Settings
from integration_engineer.outcome import PASS, Outcome
from integration_engineer.payload import HookEvent


def handle(event: HookEvent, settings: Settings) -> Outcome:
    return PASS
