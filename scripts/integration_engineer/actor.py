"""Who is acting: the guarded agent, or someone the plugin leaves alone."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise(agent_type: str) -> str:
    """Claude Code compares agent types case- and separator-insensitively; so do we."""
    return _SEPARATORS.sub("-", agent_type.strip().lower())


def is_guarded(agent_type: str, guarded_types: tuple[str, ...]) -> bool:
    """True for a payload whose agent_type is one of the guarded types.

    No agent_type means the orchestrator (main thread), which is never guarded.
    A bare name (``integration-engineer``) also matches its plugin-scoped form.
    """
    if not agent_type:
        return False
    mine = normalise(agent_type)
    for guarded in guarded_types:
        theirs = normalise(guarded)
        if mine == theirs:
            return True
        if ":" not in theirs and mine.split(":")[-1] == theirs:
            return True
    return False
