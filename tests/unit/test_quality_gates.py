"""The hand-off's quality gates (config ``quality_gates``): the default preset is the reference
workflow, unchanged; ``reaper`` names Reaper's gates, retry limits and autonomy rule; both name the
session worktree the work is merged into."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from integration_engineer import config
from integration_engineer.finish import handoff, quality_gates

RECORD: dict[str, Any] = {
    "status": "accepted",
    "task_id": "RPR-7",
    "files": ["src/auth/google.py"],
    "unfinished": [],
    "summary": "Added the Google OAuth2 provider.",
}
AGENT_WT = "/repo/.claude/worktrees/agent-a1b2"
SESSION = "/repo/.claude/worktrees/RPR-7-work"


def test_the_default_preset_is_the_reference_workflow() -> None:
    text = handoff.accepted(RECORD, "./trees/RPR-7", 1)
    assert text == handoff.accepted(RECORD, "./trees/RPR-7", 1, "default")
    assert "1. Run the test runner on ./trees/RPR-7 (that worktree only)." in text
    assert "2. Then run the code review and the security audit of the same worktree, in parallel." in text
    assert "4. Only after the user agrees: the branch manager commits the worktree's changes (the" in text
    assert "at most 3 rounds, then ask the user." in text
    assert "reaper:" not in text and "Session worktree" not in text


def test_the_default_preset_names_the_session_worktree() -> None:
    text = handoff.accepted({**RECORD, "session_worktree": SESSION}, AGENT_WT, 1)
    assert f"Session worktree (the work is merged into it): {SESSION}" in text
    assert f"commits the worktree's changes and merges them into the session worktree {SESSION}" in text


def test_the_reaper_preset_names_its_gates_limits_and_autonomy_rule() -> None:
    text = handoff.accepted({**RECORD, "session_worktree": SESSION}, AGENT_WT, 1, "reaper")
    lines = text.splitlines()
    steps = lines[lines.index("Next steps (Reaper's quality gates), in this order:") + 1 :]
    assert steps[0].startswith(f"1. Gate 1 (blocking): reaper:test-runner in {AGENT_WT} itself (no isolation)")
    assert "work-type experts" in steps[1] and "reaper:security-auditor" in steps[1] and "in parallel" in steps[1]
    assert "reaper:test-runner 3, Gate 2 reviewer 1, reaper:security-auditor 1" in steps[2]
    assert f"reaper:branch-manager commits the work in {AGENT_WT}" in steps[3]
    assert f"into the session worktree {SESSION} without asking the user" in steps[3]
    assert steps[4].startswith("5. Ask the user before merging into the base branch")
    assert f"Session worktree (the work is merged into it): {SESSION}" in text
    assert "the code review and the security audit" not in text  # not the default's steps


def test_the_reaper_preset_after_a_failed_run_resumes_the_agent() -> None:
    record = {
        **RECORD,
        "status": "failed",
        "problems": [{"rule": "claims.files_missing", "where": "$", "message": "m"}],
    }
    text = handoff.failed(record, AGENT_WT, 1, "reaper")
    assert "FAILED the checks" in text
    assert "resume the integration-engineer (Task --resume with its agent_id" in text
    assert "reaper:test-runner, the work-type experts and reaper:security-auditor" in text
    assert "start the integration-engineer again" in handoff.failed(record, AGENT_WT, 1)


@pytest.mark.parametrize("preset", quality_gates.PRESETS)
def test_every_preset_is_in_the_schema(preset: str) -> None:
    assert config.load_schema()["properties"]["quality_gates"]["enum"] == list(quality_gates.PRESETS)
    assert quality_gates.accepted_steps(preset, "w", "", 1)


def test_the_config_key(tmp_path: Path) -> None:
    (tmp_path / ".claude").mkdir()
    (tmp_path / ".claude" / "integration-engineer.json").write_text('{"quality_gates": "reaper"}')
    assert config.load(tmp_path).quality_gates == "reaper"
    (tmp_path / ".claude" / "integration-engineer.json").write_text('{"quality_gates": "reaperr"}')
    with pytest.raises(config.ConfigError, match='quality_gates: "reaperr" is not one of "default", "reaper"'):
        config.load(tmp_path)
