"""The hook payload Claude Code sends on stdin, read defensively.

Every field is checked for its type here, so policies can trust what they get. Anything malformed
raises ``PayloadError``, which the dispatcher turns into a deny for guard events.
"""

from __future__ import annotations

from integration_engineer.runtime import json_codec
from integration_engineer.runtime.record import field, record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from typing import Any

# Bigger payloads are refused instead of parsed: a guard must answer within a second.
MAX_PAYLOAD_BYTES = 8 * 1024 * 1024
# SubagentStop carries the whole final answer: a larger one is read, and checked from its head
# and tail (finish/stop_check), rather than released unread.
MAX_STOP_PAYLOAD_BYTES = 64 * 1024 * 1024


def max_bytes(event: str) -> int:
    return MAX_STOP_PAYLOAD_BYTES if event == "SubagentStop" else MAX_PAYLOAD_BYTES


class PayloadError(ValueError):
    """The payload is not what Claude Code sends; the message says what was expected."""


@record
class HookEvent:
    event: str
    session_id: str = ""
    cwd: str = ""
    transcript_path: str = ""
    tool_name: str = ""
    tool_input: dict[str, Any] = field(default_factory=dict)
    tool_use_id: str = ""
    tool_response: Any = None
    agent_id: str = ""
    agent_type: str = ""
    agent_transcript_path: str = ""
    last_assistant_message: str = ""
    stop_hook_active: bool = False
    prompt: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


_STR_FIELDS = {
    "session_id": "session_id",
    "cwd": "cwd",
    "transcript_path": "transcript_path",
    "tool_name": "tool_name",
    "tool_use_id": "tool_use_id",
    "agent_id": "agent_id",
    "agent_type": "agent_type",
    "agent_transcript_path": "agent_transcript_path",
    "last_assistant_message": "last_assistant_message",
    "prompt": "prompt",
}


def decode(data: bytes, limit: int = MAX_PAYLOAD_BYTES) -> dict[str, Any]:
    """Bytes from stdin to a JSON object, or PayloadError naming the problem."""
    if len(data) > limit:
        raise PayloadError(f"payload is {len(data)} bytes; at most {limit} expected")
    if not data.strip():
        raise PayloadError("payload is empty; expected a JSON object on stdin")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PayloadError(f"payload is not valid UTF-8 (byte {exc.start})") from None
    try:
        obj = json_codec.loads(text)
    except (ValueError, RecursionError) as exc:
        raise PayloadError(f"payload is not valid JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise PayloadError(f"payload is a JSON {type(obj).__name__}; expected an object")
    return obj


def parse(obj: dict[str, Any], event_hint: str = "") -> HookEvent:
    """Build a HookEvent; every field Claude Code documents as a string must be one."""
    event = obj.get("hook_event_name", event_hint)
    if not isinstance(event, str) or not event:
        raise PayloadError("hook_event_name is missing or not a string")
    values: dict[str, Any] = {}
    for key, attr in _STR_FIELDS.items():
        value = obj.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise PayloadError(f"{key} is a {type(value).__name__}; expected a string")
        values[attr] = value
    tool_input = obj.get("tool_input", {})
    if tool_input is None:
        tool_input = {}
    if not isinstance(tool_input, dict):
        raise PayloadError(f"tool_input is a {type(tool_input).__name__}; expected an object")
    active = obj.get("stop_hook_active", False)
    if not isinstance(active, bool):
        raise PayloadError("stop_hook_active is not a boolean")
    return HookEvent(
        event=event,
        tool_input=tool_input,
        tool_response=obj.get("tool_response"),
        stop_hook_active=active,
        raw=obj,
        **values,
    )


def input_str(event: HookEvent, key: str) -> str:
    """A string field of tool_input; PayloadError when present with another type."""
    value = event.tool_input.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PayloadError(f"tool_input.{key} is a {type(value).__name__}; expected a string")
    return value
