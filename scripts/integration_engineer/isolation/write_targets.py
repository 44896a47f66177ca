"""The paths a tool call writes to, resolved. Standard library only (hot path).

File tools name one path (``file_path`` / ``notebook_path``). For Bash the command is parsed and
every static write is listed: see ``bash_writes`` for the commands that are understood.
"""

from __future__ import annotations

from integration_engineer.isolation.target import Target, make
from integration_engineer.runtime.payload import HookEvent, input_str

FILE_TOOLS = {"Write": "file_path", "Edit": "file_path", "MultiEdit": "file_path", "NotebookEdit": "notebook_path"}

_CACHE: dict[int, tuple[HookEvent, list[Target]]] = {}


def of_event(event: HookEvent) -> list[Target]:
    """Every write of this tool call ([] when it writes nothing we can see); kept per event,
    since several policies ask for the same call."""
    hit = _CACHE.get(id(event))
    if hit is not None and hit[0] is event:
        return hit[1]
    found = _of_event(event)
    _CACHE.clear()
    _CACHE[id(event)] = (event, found)
    return found


def _of_event(event: HookEvent) -> list[Target]:
    key = FILE_TOOLS.get(event.tool_name)
    if key is not None:
        raw = input_str(event, key)
        return [make(raw, "", event.cwd or None)] if raw else []
    if event.tool_name == "Bash":
        from integration_engineer.isolation.bash_writes import targets

        return targets(input_str(event, "command"), event.cwd)
    return []
