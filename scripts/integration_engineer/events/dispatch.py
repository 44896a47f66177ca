"""Entry point of every hook: read the payload, route it, answer, log. Standard library only.

``python -I scripts/hook.py EVENT`` (through ``scripts/launch``) ends here. The event name comes
from hooks.json as an argument, so even an unreadable payload gets the right kind of answer.
"""

from __future__ import annotations

import os
import sys
import time

from integration_engineer import config
from integration_engineer.events import routes
from integration_engineer.runtime import decision_log, hook_reply, payload
from integration_engineer.runtime.actor import is_guarded
from integration_engineer.runtime.outcome import Outcome

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from typing import Any, BinaryIO


# The project's log settings travel with the log entry until it is written (never logged).
_LOG_KEY = "_log_settings"


def main(argv: list[str], stdin: BinaryIO | None = None) -> int:
    started = time.perf_counter()
    hint = argv[0] if argv else ""
    raw = (stdin or sys.stdin.buffer).read(payload.MAX_PAYLOAD_BYTES + 1)
    answer, entry = decide(hint, raw)
    if answer.stdout:
        sys.stdout.write(answer.stdout + "\n")
    if answer.stderr:
        sys.stderr.write(answer.stderr)
    entry["ms"] = round((time.perf_counter() - started) * 1000, 2)
    _log(entry, entry.pop(_LOG_KEY, None) or config.LogSettings())
    return answer.exit_code


def decide(hint: str, raw: bytes) -> tuple[hook_reply.Answer, dict[str, Any]]:
    """The answer for one payload, and the log entry describing it. Never raises."""
    entry: dict[str, Any] = {"event": hint}
    try:
        _record(raw)
        event = payload.parse(payload.decode(raw), hint)
        entry.update(
            event=event.event,
            tool=event.tool_name,
            agent_type=event.agent_type,
            agent_id=event.agent_id,
            session=event.session_id,
        )
        outcome = _route(event, entry)
    except payload.PayloadError as exc:
        return _failed(hint, f"malformed hook payload: {exc}", entry)
    except config.ConfigError as exc:
        return _failed(entry["event"], f"invalid configuration, guards stay on: {exc}", entry)
    except Exception as exc:
        name = type(exc).__name__
        return _failed(entry["event"], f"internal error in the guard ({name}: {exc})", entry)
    entry.update(
        decision=outcome.kind,
        policy=outcome.policy,
        reason=outcome.reason[:500],
        rewritten=outcome.updated_input is not None,
    )
    return hook_reply.render(entry["event"], outcome), entry


def _route(event: payload.HookEvent, entry: dict[str, Any]) -> Outcome:
    handler = routes.handler_for(event.event)
    if handler is None:
        return Outcome()
    try:
        settings = config.load(config.project_dir(event.cwd))
        entry[_LOG_KEY] = settings.log
    except config.ConfigError as exc:
        # A broken file cannot say who is guarded: hold every subagent (never the orchestrator,
        # who must stay able to fix the file) to the guards by refusing its guarded tool calls.
        if event.agent_type or _targets_guarded(event):
            raise
        if event.event != "SessionStart":
            return Outcome()
        started = handler(event, config.Settings())
        note = f"integration-engineer: {exc}. Subagents' tool calls are refused until it is fixed."
        return Outcome(system_message="\n".join(m for m in (started.system_message, note) if m))
    return handler(event, settings)


def _targets_guarded(event: payload.HookEvent) -> bool:
    target = event.tool_input.get("subagent_type")
    return isinstance(target, str) and is_guarded(target, config.Settings().guarded_agent_types)


def _failed(event: str, message: str, entry: dict[str, Any]) -> tuple[hook_reply.Answer, dict[str, Any]]:
    entry.update(decision="error", reason=message[:500])
    return hook_reply.failure(event, message), entry


def _record(raw: bytes) -> None:
    """Tests and the demo recorder set IE_RECORD_PAYLOADS to capture what Claude Code sends."""
    target = os.environ.get("IE_RECORD_PAYLOADS")
    if not target:
        return
    os.makedirs(target, exist_ok=True)
    line = raw.strip().replace(b"\n", b" ") + b"\n"
    fd = os.open(os.path.join(target, "payloads.jsonl"), os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def _log(entry: dict[str, Any], settings: config.LogSettings) -> None:
    if os.environ.get("IE_NO_LOG") or not settings.enabled:
        return
    decision_log.append(entry, max_bytes=settings.max_bytes, keep=settings.keep)
