"""The hook runtime, through the registered command: valid answers for any input, fail closed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_hook

GUARDED = "integration-engineer:integration-engineer"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "payload is empty"),
        (b"not json", "not valid JSON"),
        (b"[1, 2]", "expected an object"),
        (b"\xff\xfe{}", "not valid UTF-8"),
        (b'{"hook_event_name": "PreToolUse", "tool_input": "ls"}', "tool_input is a str"),
        (b'{"hook_event_name": "PreToolUse", "agent_type": 7}', "agent_type is a int"),
        (b'{"hook_event_name": 5}', "hook_event_name"),
    ],
)
def test_malformed_guard_payload_is_denied_with_the_problem_named(raw: bytes, expected: str) -> None:
    run = run_hook("PreToolUse", raw, tool="Bash")
    assert run.exit_code == 2
    assert expected in run.stderr
    assert "Traceback" not in run.stderr


def test_megabytes_of_input_are_refused_quickly() -> None:
    run = run_hook("PreToolUse", b"{" + b" " * (9 * 1024 * 1024), tool="Bash", timeout=5)
    assert run.exit_code == 2
    assert "bytes; at most" in run.stderr


def test_malformed_payload_for_a_non_guard_event_is_reported_not_blocking() -> None:
    run = run_hook("PostToolUse", b"garbage", tool="Agent")
    assert run.exit_code == 0
    assert "malformed hook payload" in run.json["systemMessage"]


def test_malformed_subagent_stop_payload_blocks_the_unchecked_answer() -> None:
    # Issue 20: SubagentStop never releases an answer it could not check.
    run = run_hook("SubagentStop", b"garbage")
    assert run.decision == "block"
    assert "malformed hook payload" in run.reason


def test_orchestrator_bash_is_untouched() -> None:
    payload = {
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "tool_input": {"command": "git commit -m x"},
        "cwd": str(ROOT),
    }
    run = run_hook("PreToolUse", payload, tool="Bash")
    assert (run.exit_code, run.json) == (0, {})


def test_invalid_config_denies_the_guarded_agent_and_names_the_key(tmp_path: Path) -> None:
    (tmp_path / ".claude").mkdir()
    (tmp_path / ".claude" / "integration-engineer.json").write_text('{"test_scop": "deny"}')
    payload = {
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "agent_type": GUARDED,
        "agent_id": "a1",
        "tool_input": {"command": "ls"},
        "cwd": str(tmp_path),
    }
    run = run_hook("PreToolUse", payload, tool="Bash")
    assert run.exit_code == 2
    assert "test_scop: unknown key" in run.stderr
    orchestrator = {**payload, "agent_type": "", "agent_id": ""}
    assert run_hook("PreToolUse", orchestrator, tool="Bash").json == {}


def test_decisions_are_logged(tmp_path: Path, _isolated_data_dir: Path) -> None:
    payload = {
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "session_id": "s1",
        "tool_input": {"command": "ls"},
        "cwd": str(tmp_path),
    }
    run_hook("PreToolUse", payload, tool="Bash")
    lines = (_isolated_data_dir / "decisions.jsonl").read_text().splitlines()
    entry = json.loads(lines[-1])
    assert (entry["event"], entry["tool"], entry["session"], entry["decision"]) == ("PreToolUse", "Bash", "s1", "pass")


def test_payloads_are_recorded_when_asked(tmp_path: Path) -> None:
    payload = {"hook_event_name": "PreToolUse", "tool_name": "Read", "tool_input": {}}
    run_hook("PreToolUse", payload, env={"IE_RECORD_PAYLOADS": str(tmp_path)})
    recorded = (tmp_path / "payloads.jsonl").read_text().splitlines()
    assert json.loads(recorded[0]) == payload


# Text the hot path's JSON reader used to choke on before json was imported (CPython 3.11's scanner
# raised SystemError, reported as "internal error in the guard"): the registered hook must name the
# real problem, as a valid answer.
BROKEN_JSON = ('{"hook_event_name": "PreToolUse", "tool_name": "Bash",}', '{"hook_event_name" "SubagentStop"}')


@pytest.mark.parametrize("raw", BROKEN_JSON)
@pytest.mark.parametrize("tool", ["Bash", "Agent"])
def test_a_payload_with_broken_json_is_denied_naming_the_json_error(raw: str, tool: str) -> None:
    run = run_hook("PreToolUse", raw.encode(), tool=tool)
    assert (run.exit_code, run.stdout) == (2, "")
    assert "malformed hook payload: payload is not valid JSON: Expecting" in run.stderr, run.stderr
    assert "line 1 column" in run.stderr and "Expecting" in run.stderr, run.stderr
    assert "internal error" not in run.stderr and "SystemError" not in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize("raw", BROKEN_JSON)
def test_a_subagent_stop_payload_with_broken_json_blocks_naming_the_json_error(raw: str) -> None:
    run = run_hook("SubagentStop", raw.encode())
    assert (run.exit_code, run.decision) == (0, "block"), run.stderr
    assert "malformed hook payload: payload is not valid JSON: Expecting" in run.reason, run.reason
    assert "internal error" not in run.reason and "SystemError" not in run.reason
    assert run.stderr == ""


def _guarded(event: str, project: Path, **extra: object) -> dict[str, object]:
    return {
        "hook_event_name": event,
        "session_id": "s1",
        "transcript_path": str(project / "session.jsonl"),
        "cwd": str(project),
        "agent_type": GUARDED,
        "agent_id": "a1",
        **extra,
    }


def test_a_config_file_with_broken_json_is_a_clear_refusal_and_block(tmp_path: Path) -> None:
    (tmp_path / ".claude").mkdir()
    config = tmp_path / ".claude" / "integration-engineer.json"
    config.write_text('{"worktree_root": "trees",}')
    bash = _guarded("PreToolUse", tmp_path, tool_name="Bash", tool_input={"command": "ls"}, tool_use_id="t1")
    run = run_hook("PreToolUse", bash, tool="Bash", env={"CLAUDE_PROJECT_DIR": str(tmp_path)})
    assert (run.exit_code, run.stdout) == (2, "")
    assert f"invalid configuration, guards stay on: {config}: not valid JSON (Expecting" in run.stderr, run.stderr
    assert "SystemError" not in run.stderr and "Traceback" not in run.stderr
    stop = _guarded(
        "SubagentStop",
        tmp_path,
        stop_hook_active=False,
        agent_transcript_path=str(tmp_path / "agent.jsonl"),
        last_assistant_message="{}",
    )
    run = run_hook("SubagentStop", stop, env={"CLAUDE_PROJECT_DIR": str(tmp_path)})
    assert (run.exit_code, run.decision) == (0, "block"), run.stderr
    assert f"invalid configuration, guards stay on: {config}: not valid JSON (Expecting" in run.reason, run.reason
    assert "SystemError" not in run.reason
