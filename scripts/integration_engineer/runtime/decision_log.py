"""Every decision, appended to a size-bounded JSON Lines log (``decisions.jsonl``, rotated).

Logging must never change a decision: failures here are swallowed and counted in the entry of
the next successful write instead.
"""

from __future__ import annotations

import os
import time

from integration_engineer.runtime import json_codec
from integration_engineer.runtime.datadir import data_dir, ensure

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from typing import Any

LOG_NAME = "decisions.jsonl"


def path() -> str:
    return os.path.join(data_dir(), LOG_NAME)


def append(entry: dict[str, Any], max_bytes: int = 1_048_576, keep: int = 3) -> bool:
    """Append one entry; rotate first when the log is over ``max_bytes``. True when written."""
    try:
        target = os.path.join(ensure(data_dir()), LOG_NAME)
        _rotate_if_needed(target, max_bytes, keep)
        line = json_codec.dumps({"ts": round(time.time(), 3), **entry}, ensure_ascii=False) + "\n"
        # One write() on an O_APPEND descriptor: parallel hooks cannot interleave lines.
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
        return True
    except OSError:
        return False


def _rotate_if_needed(target: str, max_bytes: int, keep: int) -> None:
    try:
        if os.path.getsize(target) < max_bytes:
            return
    except OSError:
        return
    for i in range(keep - 1, 0, -1):
        older = f"{target}.{i}"
        if os.path.exists(older):
            os.replace(older, f"{target}.{i + 1}")
    os.replace(target, f"{target}.1")
    extra = f"{target}.{keep + 1}"
    if os.path.exists(extra):
        os.remove(extra)


def read_recent(limit: int = 50) -> list[dict[str, Any]]:
    """The newest ``limit`` entries, oldest first (current file, then the first rotated one)."""
    entries: list[dict[str, Any]] = []
    for name in (path() + ".1", path()):
        try:
            with open(name, encoding="utf-8") as fh:
                for line in fh:
                    try:
                        entries.append(json_codec.loads(line))
                    except ValueError:
                        continue
        except OSError:
            continue
    return entries[-limit:]
