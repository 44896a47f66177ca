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
from integration_engineer.runtime import actor, decision_log, hook_reply, payload
from integration_engineer.runtime.actor import is_guarded
from integration_engineer.runtime.outcome import Outcome
from integration_engineer.runtime.record import replace

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from typing import Any, BinaryIO


# hooks.json's "timeout" of each event (a test ties the two): past it Claude Code goes ahead as
# if the hook had said nothing, so every hook answers by its own deadline, with a margin.
TIMEOUTS = {
    "SessionStart": 600,
    "UserPromptSubmit": 10,
    "PreToolUse": 15,
    "PostToolUse": 30,
    "PostToolUseFailure": 30,
    "SubagentStart": 10,
    "SubagentStop": 120,
    "Stop": 120,
}


class DeadlineExceeded(BaseException):
    """The hook's own deadline passed (BaseException: no ``except Exception`` below may eat it)."""


def deadline_for(event: str) -> float:
    """Seconds this hook may work: 80% of its hooks.json timeout, at most that minus 2 s.
    ``IE_DEADLINE_SECONDS`` may only shorten it (tests of the deadline itself)."""
    timeout = TIMEOUTS.get(event, 10)
    limit = min(timeout * 0.8, timeout - 2.0)
    try:
        return max(min(limit, float(os.environ.get("IE_DEADLINE_SECONDS") or limit)), 0.1)
    except ValueError:
        return limit


def _on_deadline(signum: int, frame: object) -> None:
    raise DeadlineExceeded


def _arm(seconds: float) -> None:
    # _signal, not signal: the signal module imports enum, milliseconds on every tool call.
    if TYPE_CHECKING:
        import signal as _signal
    else:
        import _signal
    if not hasattr(_signal, "setitimer"):  # no interval timer (Windows): no deadline of our own
        return
    _signal.signal(_signal.SIGALRM, _on_deadline)
    _signal.setitimer(_signal.ITIMER_REAL, seconds)


# The project's log settings travel with the log entry until it is written (never logged).
_LOG_KEY = "_log_settings"


def main(argv: list[str], stdin: BinaryIO | None = None) -> int:
    started = time.perf_counter()
    hint = argv[0] if argv else ""
    limit = deadline_for(hint)
    _arm(limit)
    try:
        raw = (stdin or sys.stdin.buffer).read(payload.max_bytes(hint) + 1)
        answer, entry = decide(hint, raw)
        _arm(0)
    except DeadlineExceeded:
        _arm(0)
        answer, entry = _failed(
            hint, f"not done within its deadline ({limit:g} s); refused rather than let through", {"event": hint}
        )
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
        event = payload.parse(payload.decode(raw, payload.max_bytes(hint)), hint)
        if hint and event.event != hint:
            raise payload.PayloadError(
                f"hook_event_name is {event.event!r}, but hooks.json started this hook for {hint}"
            )
        event, unknown = _typed(event)
        entry.update(
            event=event.event,
            tool=event.tool_name,
            agent_type=event.agent_type,
            agent_id=event.agent_id,
            session=event.session_id,
        )
        if unknown:
            if event.event == "PreToolUse":
                return _failed(event.event, unknown, entry)
            outcome = Outcome()  # the other events act only for known agents
        else:
            outcome = _route(event, entry)
    except payload.PayloadError as exc:
        return _failed(hint, f"malformed hook payload: {exc}", entry)
    except config.ConfigError as exc:
        return _failed(entry["event"], f"invalid configuration, guards stay on: {exc}", entry)
    except Exception as exc:
        name = type(exc).__name__
        return _failed(entry["event"], f"internal error in the guard ({name}: {exc})", entry)
    entry.update(
        decision=outcome.details.get("logged_as", outcome.kind),
        policy=outcome.policy,
        reason=outcome.reason[:500],
        rewritten=outcome.updated_input is not None,
    )
    for key in ("sandbox", "permission"):  # the sandbox layer, and what the user's rules said (docs/sandbox.md)
        if key in outcome.details:
            entry[key] = outcome.details[key]
    return hook_reply.render(entry["event"], outcome), entry


def _typed(event: payload.HookEvent) -> tuple[payload.HookEvent, str]:
    """The event with the subagent's type filled in from the record when the payload has only
    its id, and "" ; or the event and why it is refused: a subagent's call is never taken for the
    orchestrator's (fail closed)."""
    if not event.agent_id:
        return event, ""
    if event.agent_type:
        actor.remember_type(event.agent_id, event.agent_type)
        return event, ""
    known = actor.recorded_type(event.agent_id)
    if known:
        return replace(event, agent_type=known), ""
    return event, (
        f"this call comes from a subagent (agent_id {event.agent_id[:40]}) whose payload has no "
        "agent_type, and no type is recorded for that agent, so the guards cannot tell whom it "
        "is from; refused (fail closed). Update Claude Code (npm install -g @anthropic-ai/claude-code) "
        "if this repeats."
    )


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
