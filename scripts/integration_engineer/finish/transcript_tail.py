"""The agent's last answer from the END of a transcript (JSON Lines), never reading it whole.

Used only when the payload carries no ``last_assistant_message``. The file is read backwards in
blocks; the cost depends on how far from the end the answer is, not on the file's size, and is
capped (``max_bytes``), so a 50 MB transcript costs what a 5 MB one does.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from integration_engineer.runtime import state_files

BLOCK = 64 * 1024
MAX_BYTES = 8 * 1024 * 1024


def reversed_lines(path: str, max_bytes: int = MAX_BYTES, block: int = BLOCK) -> Iterator[bytes]:
    """Complete lines of a file, last first, reading at most ``max_bytes`` from its end."""
    # Not followed through a link, never blocking on a FIFO (state_files.open_file).
    with os.fdopen(state_files.open_file(path, os.O_RDONLY), "rb") as fh:
        end = fh.seek(0, os.SEEK_END)
        pos, read = end, 0
        # Pieces of the line being read backwards, last piece first: joined once its start is
        # found, so a long stretch without a newline costs linear time, not quadratic.
        pending: list[bytes] = []
        while pos > 0 and read < max_bytes:
            size = min(block, pos, max_bytes - read)
            pos -= size
            fh.seek(pos)
            chunk = fh.read(size)
            read += size
            if b"\n" not in chunk:
                pending.append(chunk)
                continue
            parts = chunk.split(b"\n")
            parts[-1] += b"".join(reversed(pending))
            pending = [parts[0]]
            for line in reversed(parts[1:]):
                if line.strip():
                    yield line
        if pos == 0:
            first = b"".join(reversed(pending))
            if first.strip():
                yield first


def last_assistant_text(path: str, max_bytes: int = MAX_BYTES) -> str:
    """The text of the last assistant message ("" when none is found within ``max_bytes``).

    Claude Code writes one line per content block; the text blocks of the last assistant message
    (same ``message.id``) are joined in order.
    """
    if not path:
        return ""
    texts: list[str] = []
    message_id: object = None
    try:
        for line in reversed_lines(path, max_bytes):
            record = _load(line)
            if record is None:
                continue
            message = record.get("message")
            if record.get("type") != "assistant" or not isinstance(message, dict):
                if texts:
                    break
                continue
            if texts and message.get("id") != message_id:
                break
            found = _texts(message.get("content"))
            if found:
                texts[:0] = found
                message_id = message.get("id")
    except OSError:
        return ""
    return "\n".join(texts)


def _load(line: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(line)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _texts(content: object) -> list[str]:
    if isinstance(content, str):
        return [content] if content.strip() else []
    if not isinstance(content, list):
        return []
    return [
        b["text"]
        for b in content
        if isinstance(b, dict) and b.get("type") == "text" and isinstance(b.get("text"), str) and b["text"].strip()
    ]
