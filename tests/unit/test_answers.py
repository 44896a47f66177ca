"""Outcomes become the exact JSON Claude Code reads."""

from __future__ import annotations

import json

import pytest

from integration_engineer.runtime import hook_reply
from integration_engineer.runtime.outcome import PASS, Outcome, allow, combine, deny


def body(event: str, outcome: Outcome) -> dict[str, object]:
    answer = hook_reply.render(event, outcome)
    assert answer.exit_code == 0
    value = json.loads(answer.stdout)
    assert isinstance(value, dict)
    return value


def test_pre_tool_use_deny() -> None:
    assert body("PreToolUse", deny("git", "no")) == {
        "hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": "deny",
            "permissionDecisionReason": "no",
        }
    }


def test_pre_tool_use_never_answers_allow() -> None:
    assert body("PreToolUse", allow("x", "fine")) == {}
    assert body("PreToolUse", PASS) == {}


def test_pre_tool_use_rewrite_and_context() -> None:
    outcome = Outcome(updated_input={"command": "rg -g '!trees' x"}, context="added")
    specific = body("PreToolUse", outcome)["hookSpecificOutput"]
    assert specific == {
        "hookEventName": "PreToolUse",
        "updatedInput": {"command": "rg -g '!trees' x"},
        "additionalContext": "added",
    }


@pytest.mark.parametrize("event", ["SubagentStop", "Stop"])
def test_stop_block(event: str) -> None:
    assert body(event, Outcome(kind="block", reason="fix it")) == {"decision": "block", "reason": "fix it"}


@pytest.mark.parametrize("event", ["PostToolUse", "SubagentStart"])
def test_context_events(event: str) -> None:
    assert body(event, Outcome(context="next")) == {
        "hookSpecificOutput": {"hookEventName": event, "additionalContext": "next"}
    }


def test_failure_is_exit_2_for_guards_and_a_message_otherwise() -> None:
    guard = hook_reply.failure("PreToolUse", "boom")
    assert (guard.exit_code, guard.stdout) == (2, "")
    assert "boom" in guard.stderr
    other = hook_reply.failure("PostToolUse", "boom")
    assert other.exit_code == 0
    assert "boom" in json.loads(other.stdout)["systemMessage"]
    stop = hook_reply.failure("SubagentStop", "boom")
    assert stop.exit_code == 0
    assert json.loads(stop.stdout)["decision"] == "block" and "boom" in json.loads(stop.stdout)["reason"]


def test_combine_deny_wins_and_keeps_every_context() -> None:
    rewrite = Outcome(updated_input={"command": "x"}, context="c1")
    merged = combine([rewrite, deny("a", "r1"), Outcome(context="c2"), deny("b", "r2")])
    assert (merged.kind, merged.reason, merged.policy) == ("deny", "r1\n\nr2", "a,b")
    assert merged.context == "c1\n\nc2"
    assert combine([rewrite]).updated_input == {"command": "x"}


def test_pre_tool_use_answers_allow_only_for_the_sandbox_rewrite_a_user_rule_covers() -> None:
    """The sandbox step's allow (policy permission_rules) carries the rewrite; a policy's does not."""
    rewritten = {"command": "bwrap ... 'npm test'"}
    outcome = Outcome(kind="allow", reason="allowed by your rule", policy="permission_rules", updated_input=rewritten)
    specific = body("PreToolUse", outcome)["hookSpecificOutput"]
    assert isinstance(specific, dict)
    assert specific["permissionDecision"] == "allow" and specific["updatedInput"] == rewritten
    assert body("PreToolUse", Outcome(kind="allow", policy="tamper", updated_input=rewritten)) == {
        "hookSpecificOutput": {"hookEventName": "PreToolUse", "updatedInput": rewritten}
    }
    asked = body("PreToolUse", Outcome(kind="ask", reason="why", updated_input=rewritten))["hookSpecificOutput"]
    assert isinstance(asked, dict)
    assert asked["permissionDecision"] == "ask" and asked["updatedInput"] == rewritten
