"""The supported Claude Code versions: read from the transcript, refused at the Agent call below
the oldest supported one, and doctor's verdict."""

from __future__ import annotations

import json
from pathlib import Path

from integration_engineer.setup import versions
from tests.helpers import make_repo, run_hook

GUARDED = "integration-engineer:integration-engineer"
PROMPT = (
    "TASK: PROJ-1, DESCRIPTION: Integrate Stripe payment webhooks with retry logic, WORKTREE_PATH: ./trees/PROJ-1-x"
)


def _transcript(path: Path, version: str) -> Path:
    lines = [{"type": "user", "version": version, "message": {"role": "user", "content": "go"}}]
    path.write_text("".join(json.dumps(line, separators=(",", ":")) + "\n" for line in lines))
    return path


def test_versions_compare_as_numbers() -> None:
    assert versions.supported("2.1.69") is True and versions.supported("2.1.332 (Claude Code)") is True
    assert (
        versions.supported("2.1.68") is False
        and versions.supported("2.1.50") is False
        and versions.supported("2.0.77") is False
    )
    assert versions.supported("") is None and versions.supported("garbage") is None


def test_the_version_is_read_from_the_last_transcript_line(tmp_path: Path) -> None:
    path = _transcript(tmp_path / "t.jsonl", "2.0.77")
    with path.open("a") as fh:
        fh.write(json.dumps({"type": "assistant", "version": "2.1.332"}, separators=(",", ":")) + "\n")
    assert versions.from_transcript(str(path)) == "2.1.332"
    assert versions.from_transcript(str(tmp_path / "missing.jsonl")) == ""


def _agent_call(project: Path, transcript: Path) -> dict[str, object]:
    return {
        "hook_event_name": "PreToolUse",
        "session_id": "s1",
        "cwd": str(project),
        "transcript_path": str(transcript),
        "tool_name": "Task",
        "tool_use_id": "toolu_1",
        "tool_input": {"prompt": PROMPT, "description": "d", "subagent_type": GUARDED},
    }


def test_an_old_cli_is_refused_at_the_agent_call_naming_version_and_update(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p", ("PROJ-1-x",))
    old = run_hook("PreToolUse", _agent_call(project, _transcript(tmp_path / "old.jsonl", "2.0.77")), tool="Task")
    assert old.decision == "deny"
    assert "Claude Code 2.0.77 is too old" in old.reason and versions.OLDEST in old.reason
    assert "npm install -g @anthropic-ai/claude-code" in old.reason
    new = run_hook("PreToolUse", _agent_call(project, _transcript(tmp_path / "new.jsonl", "2.1.100")), tool="Task")
    assert new.decision == "pass", new.stdout + new.stderr
    # Other agents are not the plugin's business, whatever the version.
    other = _agent_call(project, tmp_path / "old.jsonl")
    other["tool_input"] = {"prompt": "x", "description": "d", "subagent_type": "general-purpose"}
    assert run_hook("PreToolUse", other, tool="Task").decision != "deny"


def test_doctor_fails_below_the_oldest_and_passes_inside_the_range() -> None:
    assert versions.doctor_line("2.0.77")[0] == "fail"
    assert versions.doctor_line("2.1.100")[0] == "ok" and versions.doctor_line("2.1.332")[0] == "ok"
    assert versions.doctor_line("2.2.0")[0] == "warn"
