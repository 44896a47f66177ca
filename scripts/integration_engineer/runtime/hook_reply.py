"""The one place where outcomes become hook answers: stdout JSON, stderr text and exit code.

Claude Code blocks only on exit 2 or a JSON deny; any other failure lets the action through. So
guard events never answer with anything but a JSON object on exit 0 or a reason on exit 2.
``permissionDecision: allow`` skips the user's own ask rules and prompts: only the sandbox step
answers it, and only for a command the user's own allow rule covers (sandbox/permission_rules.py).
"""

from __future__ import annotations

from integration_engineer.runtime import json_codec
from integration_engineer.runtime.outcome import Outcome
from integration_engineer.runtime.record import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from typing import Any

GUARD_EVENTS = frozenset({"PreToolUse"})
# The one policy whose allow is answered: the sandbox step, for a rewrite the user's allow rule covers.
USER_RULES = "permission_rules"
PREFIX = "integration-engineer"


@record
class Answer:
    stdout: str
    stderr: str
    exit_code: int


def render(event: str, outcome: Outcome) -> Answer:
    """Turn a policy outcome into the answer Claude Code reads for ``event``."""
    body: dict[str, Any] = {}
    if event == "PreToolUse":
        body = _pre_tool_use(outcome)
    elif event in ("Stop", "SubagentStop", "UserPromptSubmit") and outcome.kind == "block":
        body = {"decision": "block", "reason": outcome.reason}
    if outcome.context and event in (
        "PostToolUse",
        "PostToolUseFailure",
        "SubagentStart",
        "UserPromptSubmit",
        "SessionStart",
    ):
        body["hookSpecificOutput"] = {"hookEventName": event, "additionalContext": outcome.context}
    if outcome.system_message:
        body["systemMessage"] = outcome.system_message
    return Answer(json_codec.dumps(body, ensure_ascii=False), "", 0)


def _pre_tool_use(outcome: Outcome) -> dict[str, Any]:
    out: dict[str, Any] = {"hookEventName": "PreToolUse"}
    if outcome.kind in ("deny", "ask") or (outcome.kind == "allow" and outcome.policy == USER_RULES):
        out["permissionDecision"] = outcome.kind
        out["permissionDecisionReason"] = outcome.reason
        if outcome.kind != "deny" and outcome.updated_input is not None:
            out["updatedInput"] = outcome.updated_input
    elif outcome.updated_input is not None:
        out["updatedInput"] = outcome.updated_input
        if outcome.reason:
            out["permissionDecisionReason"] = outcome.reason
    if outcome.context:
        out["additionalContext"] = outcome.context
    return {"hookSpecificOutput": out} if len(out) > 1 else {}


def failure(event: str, message: str) -> Answer:
    """An error of our own: a deny (exit 2) for guard events, a block for SubagentStop (an answer
    that could not be checked is never released), a visible message otherwise."""
    text = f"{PREFIX}: {message}"
    if event in GUARD_EVENTS or not event:
        return Answer("", text + "\n", 2)
    if event == "SubagentStop":
        body = {"decision": "block", "reason": f"{text}. Your answer could not be checked; stop again."}
        return Answer(json_codec.dumps(body, ensure_ascii=False), "", 0)
    return Answer(json_codec.dumps({"systemMessage": text}, ensure_ascii=False), "", 0)
