"""Other subagents may not write into the worktree of a running guarded agent; after its run
has ended they may, and the orchestrator is never judged here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers import run_hook
from tests.stop_scenario import SESSION, Scenario, build

OTHER = "general-purpose"
GOOD = {
    "task_id": "PROJ-123",
    "worktree_path": "./trees/PROJ-123-stripe",
    "work_completed": "Integrated Stripe webhooks",
    "files_modified": [],
    "unfinished": [],
}


def _call(scenario: Scenario, tool: str, tool_input: dict[str, str], **who: str) -> dict[str, Any]:
    payload = {
        "hook_event_name": "PreToolUse",
        "session_id": SESSION,
        "cwd": str(scenario.project),
        "tool_name": tool,
        "tool_use_id": "t-other",
        "tool_input": tool_input,
        **who,
    }
    return payload


def test_another_subagent_cannot_write_into_a_running_guarded_worktree(tmp_path: Path) -> None:
    scenario = build(tmp_path)
    scenario.accept()
    inside = scenario.worktree / "src" / "x.py"
    write = _call(scenario, "Write", {"file_path": str(inside), "content": "x"}, agent_id="gp1", agent_type=OTHER)
    run = run_hook("PreToolUse", write, tool="Write", env=scenario.env, cwd=scenario.project)
    assert run.decision == "deny", run.stdout
    assert "./trees/PROJ-123-stripe is the worktree of the running integration-engineer task PROJ-123" in run.reason
    bash = _call(
        scenario, "Bash", {"command": f"echo hi > {scenario.worktree}/notes.txt"}, agent_id="gp1", agent_type=OTHER
    )
    assert run_hook("PreToolUse", bash, tool="Bash", env=scenario.env, cwd=scenario.project).decision == "deny"
    elsewhere = _call(
        scenario,
        "Write",
        {"file_path": str(scenario.project / "docs.md"), "content": "x"},
        agent_id="gp1",
        agent_type=OTHER,
    )
    assert run_hook("PreToolUse", elsewhere, tool="Write", env=scenario.env, cwd=scenario.project).decision != "deny"
    orchestrator = _call(scenario, "Write", {"file_path": str(inside), "content": "x"})
    assert run_hook("PreToolUse", orchestrator, tool="Write", env=scenario.env, cwd=scenario.project).decision != "deny"
    # The guarded agent's run ends (accepted): the worktree is no longer held.
    assert scenario.stop(json.dumps(GOOD)).decision == "pass"
    after = run_hook("PreToolUse", write, tool="Write", env=scenario.env, cwd=scenario.project)
    assert after.decision != "deny", after.stdout
