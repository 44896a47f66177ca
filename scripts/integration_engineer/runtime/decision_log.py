"""Every decision, appended to a size-bounded JSON Lines log (``decisions.jsonl``, rotated).

Logging must never change a decision: failures here are swallowed and counted in the entry of
the next successful write instead.
"""

from __future__ import annotations

import os
import time

from integration_engineer.runtime import json_codec, state_files
from integration_engineer.runtime.datadir import data_dir, ensure

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from typing import Any

LOG_NAME = "decisions.jsonl"


def path(directory: str | None = None) -> str:
    return os.path.join(directory or data_dir(), LOG_NAME)


def append(entry: dict[str, Any], max_bytes: int = 1_048_576, keep: int = 3) -> bool:
    """Append one entry; rotate first when the log is over ``max_bytes``. True when written."""
    try:
        target = os.path.join(ensure(data_dir()), LOG_NAME)
        _rotate_if_needed(target, max_bytes, keep)
        line = json_codec.dumps({"ts": round(time.time(), 3), **entry}, ensure_ascii=False) + "\n"
        # Never through a link, never blocking on a FIFO planted as the log (state_files).
        state_files.append(target, line.encode("utf-8", "surrogatepass"))
        return True
    except (OSError, state_files.StateFileError):
        return False


def _rotate_if_needed(target: str, max_bytes: int, keep: int) -> None:
    if state_files.size(target) < max_bytes:
        return
    for i in range(keep - 1, 0, -1):
        older = f"{target}.{i}"
        if os.path.exists(older):
            os.replace(older, f"{target}.{i + 1}")
    os.replace(target, f"{target}.1")
    extra = f"{target}.{keep + 1}"
    if os.path.exists(extra):
        os.remove(extra)


def read_recent(limit: int = 50, directory: str | None = None) -> list[dict[str, Any]]:
    """The newest ``limit`` entries, oldest first (current file, then the first rotated one)."""
    entries: list[dict[str, Any]] = []
    current = path(directory)
    for name in (current + ".1", current):
        try:
            text = state_files.read_bytes(name, 64 * 1024 * 1024).decode("utf-8", "replace")
        except (OSError, state_files.StateFileError):
            continue
        for line in text.splitlines():
            try:
                entries.append(json_codec.loads(line))
            except (ValueError, RecursionError):
                continue
    return entries[-limit:]
