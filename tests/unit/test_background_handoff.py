"""Background agents: the launch note at PostToolUse, and the checked hand-off delivered with the
task notification (UserPromptSubmit), through the registered hook commands on real worktrees."""

from __future__ import annotations

import json
from pathlib import Path

from integration_engineer.finish import notification
from tests.helpers import run_hook
from tests.stop_scenario import SESSION, Scenario, build

GOOD = {
    "task_id": "PROJ-123",
    "worktree_path": "./trees/PROJ-123-stripe",
    "work_completed": "Integrated Stripe webhooks",
    "files_modified": ["src/stripe.py"],
    "unfinished": [],
}
LAUNCHED = {"status": "async_launched", "isAsync": True, "agentId": "agent0001", "description": "stripe"}


def _notification(task_id: str, tool_use_id: str, status: str = "completed") -> str:
    return (
        "<system-reminder>\n[SYSTEM NOTIFICATION - NOT USER INPUT]\n\n<task-notification>\n"
        f"<task-id>{task_id}</task-id>\n<tool-use-id>{tool_use_id}</tool-use-id>\n"
        f"<output-file>/tmp/x.output</output-file>\n<status>{status}</status>\n"
        '<summary>Agent "stripe" finished</summary>\n<result>{}</result>\n</task-notification>\n</system-reminder>'
    )


def _prompt(scenario: Scenario, prompt: str) -> dict[str, object]:
    payload = {"hook_event_name": "UserPromptSubmit", "session_id": SESSION, "cwd": str(scenario.project)}
    run = run_hook("UserPromptSubmit", {**payload, "prompt": prompt}, env=scenario.env, cwd=scenario.project)
    assert run.exit_code == 0, run.stderr
    return run.json


def _started(tmp_path: Path) -> Scenario:
    scenario = build(tmp_path)
    scenario.accept()
    (scenario.worktree / "src").mkdir()
    (scenario.worktree / "src" / "stripe.py").write_text("x = 1\n")
    return scenario


def test_parse_reads_every_notification_and_ignores_plain_prompts() -> None:
    text = _notification("a1", "toolu_1") + "\nand\n" + _notification("a2", "toolu_2", "failed")
    found = notification.parse(text)
    assert [(n.task_id, n.tool_use_id, n.status) for n in found] == [
        ("a1", "toolu_1", "completed"),
        ("a2", "toolu_2", "failed"),
    ]
    assert notification.parse("please fix <task-id>x</task-id>") == []
    assert notification.parse("<task-notification>\n<status>completed</status>") == []  # names no task
    truncated = notification.parse("<task-notification>\n<task-id>a3</task-id>\n<tool-use-id>t3")
    assert [(n.task_id, n.tool_use_id) for n in truncated] == [("a3", "")]


def test_launch_says_the_checked_result_follows(tmp_path: Path) -> None:
    scenario = _started(tmp_path)
    context = scenario.handoff(LAUNCHED).json["hookSpecificOutput"]["additionalContext"]
    assert "runs in the background" in context and "delivered with its task notification" in context
    assert "no checked result was found" not in context


def test_the_notification_carries_the_checked_handoff(tmp_path: Path) -> None:
    scenario = _started(tmp_path)
    scenario.handoff(LAUNCHED)
    assert scenario.stop(json.dumps(GOOD)).decision == "pass"
    answer = _prompt(scenario, _notification(scenario.agent_id, scenario.tool_use_id))
    context = answer["hookSpecificOutput"]["additionalContext"]  # type: ignore[index]
    assert "checked and accepted" in context and "round 1 of 3" in context
    assert "Run the test runner on ./trees/PROJ-123-stripe" in context
    assert "Files modified (1): src/stripe.py" in context


def test_a_continued_agent_is_found_by_its_agent_id_and_counts_a_new_round(tmp_path: Path) -> None:
    scenario = _started(tmp_path)
    scenario.handoff(LAUNCHED)
    scenario.stop(json.dumps({**GOOD, "files_modified": []}))  # refused: misses src/stripe.py
    scenario.stop(json.dumps({**GOOD, "files_modified": []}), active=True)
    scenario.stop(json.dumps({**GOOD, "files_modified": []}), active=True)
    first = _prompt(scenario, _notification(scenario.agent_id, scenario.tool_use_id, "completed"))
    assert "FAILED the checks" in first["hookSpecificOutput"]["additionalContext"]  # type: ignore[index]
    # SendMessage resumes it: same agent id, the notification names the SendMessage call.
    assert scenario.stop(json.dumps(GOOD)).decision == "pass"
    second = _prompt(scenario, _notification(scenario.agent_id, "toolu_send_message"))
    context = second["hookSpecificOutput"]["additionalContext"]  # type: ignore[index]
    assert "checked and accepted" in context and "round 2 of 3" in context


def test_a_guarded_launch_without_result_says_so_and_other_notifications_pass(tmp_path: Path) -> None:
    scenario = _started(tmp_path)
    scenario.handoff(LAUNCHED)
    answer = _prompt(scenario, _notification(scenario.agent_id, scenario.tool_use_id))
    assert "no checked result was found" in answer["hookSpecificOutput"]["additionalContext"]  # type: ignore[index]
    assert _prompt(scenario, _notification("someone-else", "toolu_other")) == {}
    assert _prompt(scenario, "an ordinary prompt") == {}
