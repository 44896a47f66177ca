"""Who is acting: the guarded agent, or someone the plugin leaves alone."""

from __future__ import annotations

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
