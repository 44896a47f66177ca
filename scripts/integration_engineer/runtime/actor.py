"""Who is acting: the guarded agent, or someone the plugin leaves alone."""

from __future__ import annotations

import os

from integration_engineer.runtime import state_files
from integration_engineer.runtime.datadir import data_dir

_SEPARATORS = "_-"


def normalise(agent_type: str) -> str:
    r"""Claude Code compares agent types case- and separator-insensitively; so do we: each run of
    whitespace, ``_`` and ``-`` becomes one ``-`` (``re.sub(r"[\s_\-]+", "-", ...)`` without
    compiling a regex on every hook call)."""
    out: list[str] = []
    separated = False
    for c in agent_type.strip().lower():
        if c in _SEPARATORS or c.isspace():
            if not separated:
                out.append("-")
            separated = True
        else:
            out.append(c)
            separated = False
    return "".join(out)


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


# ---------------------------------------------------------------- recorded types
#
# Upstream reports subagent tool calls that carry agent_id but no agent_type (anthropics/claude-code
# #90662). Keyed on agent_type alone, such a call would pass for the orchestrator's. Every event that
# carries both records the type under the agent id; an event with only the id takes it from there.

_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _type_path(agent_id: str) -> str:
    return os.path.join(data_dir(), "agent-types", agent_id)


def _usable(agent_id: str) -> bool:
    return 0 < len(agent_id) <= 100 and all(c in _ID_CHARS for c in agent_id)


def remember_type(agent_id: str, agent_type: str) -> None:
    """Record the type of a subagent once (one stat per later event). Best effort: a failure to
    record only makes a later id-only event fail closed."""
    if not _usable(agent_id) or not agent_type:
        return
    path = _type_path(agent_id)
    if state_files.size(path) >= 0:
        return
    try:
        state_files.create_exclusive(path, agent_type.encode("utf-8", "surrogatepass"))
    except (OSError, state_files.StateFileError):
        return


def recorded_type(agent_id: str) -> str:
    """The type recorded for a subagent, "" when none is (or the id is not a plain id)."""
    if not _usable(agent_id):
        return ""
    try:
        return (state_files.read_text(_type_path(agent_id), 500) or "").strip()
    except (OSError, state_files.StateFileError):
        return ""
