"""The checked result of each integration-engineer run, kept for the orchestrator's hand-off.

``results/<session>/<key>.json`` in the data directory, where ``key`` is the Agent call's
``tool_use_id`` (what PostToolUse carries) and, as a second name for the same record,
``agent-<agent_id>`` (what the Agent tool's response names). The record also counts the blocks in
a row, so bounded re-prompting survives between hook processes. Stdlib only.
"""

from __future__ import annotations

import contextlib
import glob
import os
from collections.abc import Iterator
from typing import Any

from integration_engineer.runtime import state_files
from integration_engineer.runtime.datadir import data_dir
from integration_engineer.runtime.state_files import read_json, write_json
from integration_engineer.task.context import _safe


def _dir(session_id: str) -> str:
    return os.path.join(data_dir(), "results", _safe(session_id or "no-session"))


def keys(tool_use_id: str, agent_id: str) -> list[str]:
    """The names a record is stored under: the Agent call first, then the agent."""
    out = []
    if tool_use_id:
        out.append(tool_use_id)
    if agent_id:
        out.append(f"agent-{agent_id}")
    return out or ["main"]


@contextlib.contextmanager
def locked(session_id: str, name: str) -> Iterator[bool]:
    """Hold the record ``name`` for one read-check-write (two SubagentStop of one agent at once
    would otherwise count one re-prompt). Yields False when no lock could be taken."""
    import fcntl

    try:
        fd = state_files.open_file(os.path.join(_dir(session_id), f"{_safe(name)}.lock"), os.O_RDWR | os.O_CREAT)
    except (OSError, state_files.StateFileError):
        yield False
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # the hook's deadline bounds the wait
        yield True
    finally:
        os.close(fd)


def save(session_id: str, names: list[str], record: dict[str, Any]) -> None:
    for name in names:
        write_json(os.path.join(_dir(session_id), f"{_safe(name)}.json"), record)


def load(session_id: str, name: str) -> dict[str, Any] | None:
    """A record by name in this session, else in any session (a resumed one has a new id)."""
    if not name:
        return None
    file_name = f"{_safe(name)}.json"
    found = read_json(os.path.join(_dir(session_id), file_name))
    if found is not None:
        return found
    for path in sorted(glob.glob(os.path.join(data_dir(), "results", "*", glob.escape(file_name)))):
        found = read_json(path)
        if found is not None:
            return found
    return None


def bump_round(session_id: str, worktree: str, call: str) -> int:
    """Count the hand-off of one Agent call for a worktree; returns its round (1, 2, ...)."""
    path = os.path.join(_dir(session_id), f"rounds-{_safe(worktree)}.json")
    previous = read_json(path) or {}
    calls = [c for c in previous.get("calls", []) if isinstance(c, str)]
    if call not in calls:
        calls.append(call)
        write_json(path, {"worktree": worktree, "calls": calls})
    return calls.index(call) + 1
