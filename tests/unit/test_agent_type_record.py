"""An event with agent_id but no agent_type (reported upstream) takes the type recorded for that
agent, or is refused: a subagent's call is never taken for the orchestrator's."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import make_repo, run_hook

GUARDED = "integration-engineer:integration-engineer"


def _commit_call(project: Path, **who: str) -> dict[str, object]:
    return {
        "hook_event_name": "PreToolUse",
        "session_id": "s1",
        "cwd": str(project),
        "tool_name": "Bash",
        "tool_use_id": "t1",
        "tool_input": {"command": "git commit -m wip"},
        **who,
    }


def test_an_id_without_type_and_without_record_is_refused(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p")
    run = run_hook("PreToolUse", _commit_call(project, agent_id="a1"), tool="Bash")
    assert run.exit_code == 2
    assert "no agent_type" in run.stderr and "fail closed" in run.stderr and "a1" in run.stderr
    # The orchestrator (neither field) is left alone as before.
    assert run_hook("PreToolUse", _commit_call(project), tool="Bash").exit_code == 0


def test_an_id_without_type_takes_the_recorded_type(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p")
    typed = run_hook("PreToolUse", _commit_call(project, agent_id="a2", agent_type=GUARDED), tool="Bash")
    assert typed.decision == "deny"  # the git guard, for the guarded agent
    later = run_hook("PreToolUse", _commit_call(project, agent_id="a2"), tool="Bash")
    assert later.decision == "deny" and "commit" in later.reason and "no agent_type" not in later.reason
    # An unguarded agent's record makes its id-only calls its own again (not refused, not guarded).
    run_hook("PreToolUse", {**_commit_call(project, agent_id="a3", agent_type="general-purpose")}, tool="Bash")
    other = run_hook("PreToolUse", _commit_call(project, agent_id="a3"), tool="Bash")
    assert other.exit_code == 0 and other.decision != "deny"


def test_an_odd_id_is_never_used_as_a_file_name(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p")
    run_hook("PreToolUse", _commit_call(project, agent_id="../../x", agent_type=GUARDED), tool="Bash")
    run = run_hook("PreToolUse", _commit_call(project, agent_id="../../x"), tool="Bash")
    assert run.exit_code == 2 and "no agent_type" in run.stderr
    assert not (tmp_path / "x").exists()
