"""Bounded re-prompting, the stored result, the hand-off, and who the end-of-run hooks leave alone,
through the registered hook commands on real worktrees."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.helpers import ROOT, run_hook
from tests.stop_scenario import GUARDED, SESSION, Scenario, build

GOOD = {
    "task_id": "PROJ-123",
    "worktree_path": "./trees/PROJ-123-stripe",
    "work_completed": "Integrated Stripe webhooks",
    "files_modified": ["src/stripe.py"],
    "unfinished": [],
}
BAD = {**GOOD, "files_modified": [], "test_results": "all green"}


def _scenario(tmp_path: Path, retries: int | None = None) -> Scenario:
    scenario = build(tmp_path)
    if retries is not None:
        config = scenario.project / ".claude" / "integration-engineer.json"
        config.parent.mkdir()
        config.write_text(json.dumps({"max_output_retries": retries}))
    scenario.accept()
    (scenario.worktree / "src").mkdir()
    (scenario.worktree / "src" / "stripe.py").write_text("x = 1\n")
    return scenario


def _record(tmp_path: Path, name: str = "toolu_stop_1") -> dict[str, object]:
    data = json.loads((tmp_path / "data" / "results" / SESSION / f"{name}.json").read_text())
    assert isinstance(data, dict)
    return data


def test_blocks_then_accepts_the_corrected_answer(tmp_path: Path) -> None:
    scenario = _scenario(tmp_path)
    first = scenario.stop(json.dumps(BAD))
    assert first.decision == "block"
    assert "$.test_results" in first.reason and "misses src/stripe.py" in first.reason
    assert "sent back 1 of at most 3 times" in first.reason
    assert _record(tmp_path)["status"] == "blocked"
    second = scenario.stop(json.dumps(GOOD), active=True)
    assert second.decision == "pass" and second.json == {}
    record = _record(tmp_path)
    assert (record["status"], record["blocks_in_row"], record["attempts"]) == ("accepted", 0, 2)
    assert record["files"] == ["src/stripe.py"] and record["summary"] == "Integrated Stripe webhooks"
    assert _record(tmp_path, f"agent-{scenario.agent_id}") == record


def test_released_after_the_configured_number_of_blocks_in_a_row(tmp_path: Path) -> None:
    scenario = _scenario(tmp_path, retries=2)
    runs = [scenario.stop(json.dumps(BAD), active=i > 0) for i in range(3)]
    assert [r.decision for r in runs] == ["block", "block", "pass"]
    message = runs[2].json["systemMessage"]
    assert "after 2 retries" in message and "let go" in message and "$.test_results" in message
    assert _record(tmp_path)["status"] == "failed"
    context = scenario.handoff().json["hookSpecificOutput"]["additionalContext"]
    assert "FAILED the checks" in context and "do not start the quality gates" in context
    assert "$.test_results" in context and "misses src/stripe.py" in context
    assert "start the integration-engineer again on ./trees/PROJ-123-stripe" in context
    assert "after 3 answer(s)" in context  # three answers were given, each checked once
    logged = [json.loads(line) for line in (tmp_path / "data" / "decisions.jsonl").read_text().splitlines()]
    stops = [e["decision"] for e in logged if e.get("policy") == "output-check"]
    assert stops[-3:] == ["block", "block", "released"], stops


def test_a_new_series_starts_when_the_stop_was_not_a_retry(tmp_path: Path) -> None:
    scenario = _scenario(tmp_path, retries=1)
    assert scenario.stop(json.dumps(BAD)).decision == "block"
    assert scenario.stop(json.dumps(BAD), active=True).decision == "pass"  # released
    # the agent is resumed later: stop_hook_active is false again, so it gets its retry back
    assert scenario.stop(json.dumps(BAD), active=False).decision == "block"


def test_zero_retries_never_blocks_but_tells_the_user(tmp_path: Path) -> None:
    scenario = _scenario(tmp_path, retries=0)
    run = scenario.stop("just prose")
    assert run.decision == "pass"
    assert "still failed the output checks" in run.json["systemMessage"]


def test_handoff_names_the_next_steps_and_counts_rounds(tmp_path: Path) -> None:
    scenario = _scenario(tmp_path)
    assert scenario.stop(json.dumps(GOOD)).decision == "pass"
    context = scenario.handoff().json["hookSpecificOutput"]["additionalContext"]
    steps = [
        "Run the test runner on ./trees/PROJ-123-stripe",
        "code review and the security audit",
        "ask whether to proceed",
        "branch manager commits",
    ]
    positions = [context.index(step) for step in steps]
    assert positions == sorted(positions)
    assert "round 1 of 3" in context and "Task: PROJ-123" in context
    assert "Files modified (1): src/stripe.py" in context
    for n in (2, 3):
        scenario.tool_use_id = f"toolu_round_{n}"
        scenario.agent_id = f"agent000{n}"
        scenario.accept()  # round n changes the file again (round 1's change is now baseline)
        (scenario.worktree / "src" / "stripe.py").write_text(f"x = {n}\n")
        assert scenario.stop(json.dumps(GOOD)).decision == "pass"
        context = scenario.handoff().json["hookSpecificOutput"]["additionalContext"]
        assert f"round {n} of 3" in context
    assert "ask the user before another round" in context


def test_handoff_finds_the_record_by_the_agent_id_in_the_response(tmp_path: Path) -> None:
    scenario = _scenario(tmp_path)
    assert scenario.stop(json.dumps(GOOD)).decision == "pass"
    scenario.tool_use_id = "toolu_unknown"
    response = {"status": "completed", "agentId": scenario.agent_id, "content": []}
    context = scenario.handoff(response).json["hookSpecificOutput"]["additionalContext"]
    assert "checked and accepted" in context
    text_response = [{"type": "text", "text": f"done\nagentId: {scenario.agent_id}"}]
    context = scenario.handoff(text_response).json["hookSpecificOutput"]["additionalContext"]
    assert "checked and accepted" in context


def test_handoff_without_a_record_says_so(tmp_path: Path) -> None:
    scenario = build(tmp_path)
    context = scenario.handoff().json["hookSpecificOutput"]["additionalContext"]
    assert "no checked result was found" in context and "git status" in context


def test_post_tool_use_leaves_other_agents_and_tools_alone(tmp_path: Path) -> None:
    base = {
        "hook_event_name": "PostToolUse",
        "session_id": SESSION,
        "cwd": str(tmp_path),
        "tool_name": "Agent",
        "tool_use_id": "t",
        "tool_response": {},
    }
    other = {**base, "tool_input": {"subagent_type": "code-reviewer", "prompt": "p"}}
    assert run_hook("PostToolUse", other, tool="Agent").json == {}
    bash = {**base, "tool_name": "Bash", "tool_input": {"subagent_type": GUARDED}}
    assert run_hook("PostToolUse", bash, tool="Agent").json == {}


def test_orchestrator_stop_and_other_subagents_are_left_alone(tmp_path: Path) -> None:
    scenario = _scenario(tmp_path)
    (scenario.worktree / "coverage").mkdir()
    orchestrator = {
        "hook_event_name": "Stop",
        "session_id": SESSION,
        "cwd": str(scenario.project),
        "stop_hook_active": False,
        "last_assistant_message": "All done.",
    }
    assert run_hook("Stop", orchestrator, env=scenario.env).json == {}
    other = {**orchestrator, "hook_event_name": "SubagentStop", "agent_id": "x1", "agent_type": "code-reviewer"}
    assert run_hook("SubagentStop", other, env=scenario.env).json == {}
    as_subagent_stop = {**orchestrator, "agent_id": "x1", "agent_type": GUARDED}
    assert run_hook("Stop", as_subagent_stop, env=scenario.env).json == {}
    assert (scenario.worktree / "coverage").is_dir()


def test_main_thread_mode_is_checked_at_stop(tmp_path: Path) -> None:
    scenario = build(tmp_path)
    prompt = (
        "TASK: PROJ-123, DESCRIPTION: Integrate Stripe payment webhooks with retry logic, "
        "WORKTREE_PATH: ./trees/PROJ-123-stripe"
    )
    submit = {
        "hook_event_name": "UserPromptSubmit",
        "session_id": SESSION,
        "agent_type": GUARDED,
        "cwd": str(scenario.project),
        "prompt": prompt,
    }
    run_hook("UserPromptSubmit", submit, env=scenario.env, cwd=scenario.project)
    (scenario.worktree / "src").mkdir()
    (scenario.worktree / "src" / "stripe.py").write_text("x\n")
    (scenario.worktree / ".pytest_cache").mkdir()
    stop = {
        "hook_event_name": "Stop",
        "session_id": SESSION,
        "agent_type": GUARDED,
        "cwd": str(scenario.project),
        "stop_hook_active": False,
        "last_assistant_message": json.dumps({**GOOD, "files_modified": []}),
    }
    run = run_hook("Stop", stop, env=scenario.env, cwd=scenario.project)
    assert run.decision == "block", run.stdout
    assert "misses src/stripe.py" in run.reason
    assert not (scenario.worktree / ".pytest_cache").exists()
    stop["last_assistant_message"] = json.dumps(GOOD)
    stop["stop_hook_active"] = True
    assert run_hook("Stop", stop, env=scenario.env, cwd=scenario.project).json == {}


def test_no_task_context_still_checks_the_contract(tmp_path: Path) -> None:
    scenario = build(tmp_path)  # no Agent call was accepted: no task
    (scenario.worktree / "coverage").mkdir()
    run = scenario.stop("not json")
    assert run.decision == "block" and "not-json" in run.reason
    run = scenario.stop(json.dumps(GOOD), active=True)
    assert run.decision == "pass"
    assert "task context of this agent was not found" in run.json["systemMessage"]
    assert (scenario.worktree / "coverage").is_dir()  # no task: no worktree to clean


IMPORT_PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from integration_engineer.events import dispatch
for line in sys.stdin:
    payload = json.loads(line)
    dispatch.decide(payload["hook_event_name"], line.encode())
heavy = sorted(n for n in sys.modules
               if n.split(".")[0] in ("pydantic", "git", "click", "jsonschema")
               or n in ("integration_engineer.finish.stop_check", "integration_engineer.finish.handoff"))
print(json.dumps(heavy))
"""


def test_events_of_others_import_nothing_heavy(tmp_path: Path) -> None:
    common: dict[str, Any] = {"session_id": SESSION, "cwd": str(tmp_path)}
    payloads: list[dict[str, Any]] = [
        {**common, "hook_event_name": "Stop", "last_assistant_message": "done"},
        {**common, "hook_event_name": "SubagentStop", "agent_id": "x", "agent_type": "reviewer"},
        {
            **common,
            "hook_event_name": "PostToolUse",
            "tool_name": "Agent",
            "tool_use_id": "t",
            "tool_input": {"subagent_type": "code-reviewer"},
            "tool_response": {},
        },
        {
            **common,
            "hook_event_name": "PostToolUse",
            "tool_name": "Bash",
            "tool_use_id": "t",
            "tool_input": {"command": "ls"},
            "tool_response": {},
        },
    ]
    stdin = "\n".join(json.dumps(p) for p in payloads)
    env = {"IE_NO_LOG": "1", "PATH": "/usr/bin:/bin", "IE_DATA_DIR": str(tmp_path / "d")}
    proc = subprocess.run(
        [sys.executable, "-I", "-c", IMPORT_PROBE, str(ROOT / "scripts")],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    assert json.loads(proc.stdout) == []
    guarded = {**payloads[2], "tool_input": {"subagent_type": GUARDED}}
    proc = subprocess.run(
        [sys.executable, "-I", "-c", IMPORT_PROBE, str(ROOT / "scripts")],
        input=json.dumps(guarded),
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    assert json.loads(proc.stdout) == ["integration_engineer.finish.handoff"]  # the probe can see it


def test_a_worktree_swapped_for_a_symlink_to_the_main_tree_is_not_cleaned(tmp_path: Path) -> None:
    scenario = _scenario(tmp_path)
    (scenario.project / "coverage").mkdir()
    (scenario.project / "coverage" / "index.html").write_text("main's report")
    shutil.rmtree(scenario.worktree)
    scenario.worktree.symlink_to(scenario.project)
    run = scenario.stop(json.dumps(GOOD))
    assert (scenario.project / "coverage" / "index.html").read_text() == "main's report"
    assert run.decision == "block"
    assert "[claims.worktree_moved]" in run.reason and "cleanup refused" in run.reason
