"""Fuzzing: every payload, however malformed, gets a valid answer with exit 0 or 2."""

from __future__ import annotations

import json
import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integration_engineer.events import dispatch
from tests.helpers import HookRun, run_hook

GUARDED = "integration-engineer:integration-engineer"
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
payloads = st.fixed_dictionaries(
    {"hook_event_name": st.sampled_from(["PreToolUse", "PreToolUse", 3, None, ""])},
    optional={
        "tool_name": st.sampled_from(["Bash", "Write", "Edit", "Agent", "Task", "Read"]) | json_values,
        "tool_input": st.fixed_dictionaries(
            {},
            optional={
                "command": st.text(max_size=200) | json_values,
                "file_path": st.text(max_size=80) | json_values,
                "prompt": st.text(max_size=200) | json_values,
                "subagent_type": st.sampled_from([GUARDED, "Integration_Engineer:integration engineer"]) | json_values,
            },
        )
        | json_values,
        "agent_type": st.sampled_from([GUARDED, "INTEGRATION-ENGINEER:Integration_Engineer", ""]) | json_values,
        "agent_id": st.text(max_size=20) | json_values,
        "cwd": st.sampled_from(["/", "/nonexistent/dir", ""]) | json_values,
        "session_id": st.text(max_size=20) | json_values,
    },
)


def assert_valid_guard_answer(exit_code: int, stdout: str, stderr: str) -> None:
    assert exit_code in (0, 2), (exit_code, stderr)
    if exit_code == 2:
        assert stderr.strip(), "a deny on exit 2 must say why"
        assert "Traceback" not in stderr
        return
    body = json.loads(stdout)
    assert isinstance(body, dict)
    specific = body.get("hookSpecificOutput", {})
    assert specific.get("permissionDecision") in (None, "deny", "ask")
    if "permissionDecision" in specific:
        assert specific["permissionDecisionReason"]


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payloads)
def test_in_process_answers_are_always_valid(payload: dict[str, Any]) -> None:
    answer, _ = dispatch.decide("PreToolUse", json.dumps(payload).encode())
    assert_valid_guard_answer(answer.exit_code, answer.stdout, answer.stderr)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=300))
def test_in_process_random_bytes_are_denied(raw: bytes) -> None:
    answer, _ = dispatch.decide("PreToolUse", raw)
    assert_valid_guard_answer(answer.exit_code, answer.stdout, answer.stderr)


def _mutations(rng: random.Random, count: int) -> list[bytes]:
    base = json.dumps(
        {
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "agent_type": GUARDED,
            "agent_id": "a1",
            "cwd": "/tmp",
            "tool_input": {"command": "git -C trees/x commit -m wip"},
        }
    ).encode()
    out = []
    for _ in range(count):
        data = bytearray(base)
        for _ in range(rng.randint(1, 6)):
            pos = rng.randrange(len(data))
            choice = rng.random()
            if choice < 0.4:
                data[pos] = rng.randrange(256)
            elif choice < 0.7:
                del data[pos]
            else:
                data.insert(pos, rng.choice(b'{}[]",:\\ \x00'))
        out.append(bytes(data))
    return out


def test_registered_command_answers_thousands_of_mutated_payloads_validly() -> None:
    cases = _mutations(random.Random(20261125), 2500)
    with ThreadPoolExecutor(max_workers=4) as pool:
        runs: list[HookRun] = list(
            pool.map(lambda raw: run_hook("PreToolUse", raw, tool="Bash", env={"IE_NO_LOG": "1"}), cases)
        )
    for raw, run in zip(cases, runs, strict=True):
        assert_valid_guard_answer(run.exit_code, run.stdout, run.stderr)
        if _must_block(raw):
            assert run.decision == "deny", raw


def _must_block(raw: bytes) -> bool:
    """Unreadable payloads, and intact guarded git commits, must be refused."""
    try:
        value = json.loads(raw.decode("utf-8"))
    except ValueError:
        return True
    if not isinstance(value, dict):
        return True
    tool_input = value.get("tool_input")
    return (
        value.get("hook_event_name") == "PreToolUse"
        and value.get("agent_type") == GUARDED
        and value.get("tool_name") == "Bash"
        and isinstance(tool_input, dict)
        and tool_input.get("command") == "git -C trees/x commit -m wip"
    )
