"""Main-thread mode, the CLI, and rules the golden cases cannot set up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import integration_engineer.task.validation as tv
from integration_engineer.cli import group as cli
from integration_engineer.config import Settings
from integration_engineer.task import context as task_context
from tests.helpers import make_repo, run_hook

GUARDED = "integration-engineer:integration-engineer"
GOOD = "Integrate Stripe payment webhooks with retry logic"
VALID = f"TASK: PROJ-1, DESCRIPTION: {GOOD}, WORKTREE_PATH: ./trees/PROJ-1-x"


def test_the_main_working_tree_is_not_a_task_worktree(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p", ("PROJ-1-x",))
    wt = str((project / "trees" / "PROJ-1-x").resolve())
    monkeypatch.setattr(tv, "_worktrees", lambda _project: [wt])
    verdict = tv.evaluate(VALID, str(project.resolve()), Settings())
    assert verdict.problems == {tv.ERR_WORKTREE: ["./trees/PROJ-1-x is the main working tree; give a linked worktree"]}


def test_a_project_that_is_no_repository(tmp_path: Path) -> None:
    (tmp_path / "trees" / "PROJ-1-x").mkdir(parents=True)
    verdict = tv.evaluate(VALID, str(tmp_path.resolve()), Settings())
    assert "is not a git repository" in verdict.problems[tv.ERR_WORKTREE][0]


@pytest.mark.parametrize(
    ("output", "summary", "criteria"),
    [
        (
            '{"key": "P-1", "fields": {"summary": "S", "description": {"type": "doc", "content": ['
            '{"type": "paragraph", "content": [{"type": "text", "text": "D"}]}]}}}',
            "S",
            "D",
        ),
        (
            '{"key": "P-1", "names": {"customfield_1": "Acceptance Criteria"}, "fields": {'
            '"summary": "S", "customfield_1": "AC"}}',
            "S",
            "AC",
        ),
        ("Key: P-1\nSummary: S\nDescription: intro\n\nAcceptance criteria:\n- one\n- two\n", "S", "- one\n- two"),
    ],
)
def test_ticket_output(output: str, summary: str, criteria: str) -> None:
    ticket = tv.parse_ticket("P-1", output)
    assert (ticket.summary, ticket.criteria) == (summary, criteria)


def _prompt_event(project: Path, prompt: str, **extra: str) -> dict[str, str]:
    return {
        "hook_event_name": "UserPromptSubmit",
        "session_id": "main-s",
        "cwd": str(project),
        "prompt": prompt,
        **extra,
    }


def test_main_thread_mode_blocks_an_invalid_first_prompt(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p", ("PROJ-1-x",))
    run = run_hook("UserPromptSubmit", _prompt_event(project, "DESCRIPTION: add integration", agent_type=GUARDED))
    assert run.decision == "block"
    assert run.reason.startswith(tv.ERR_TASK)
    assert tv.ERR_WORKTREE in run.reason and tv.ERR_REQUIREMENTS in run.reason
    assert task_context.load("main-s", task_context.MAIN_KEY) is None


def test_main_thread_mode_takes_the_task_from_the_first_prompt(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p", ("PROJ-1-x",))
    first = run_hook("UserPromptSubmit", _prompt_event(project, VALID, agent_type=GUARDED))
    assert first.decision == "pass"
    assert "Task: PROJ-1" in first.json["hookSpecificOutput"]["additionalContext"]
    task = task_context.load("main-s", task_context.MAIN_KEY)
    assert task is not None and task.worktree == str((project / "trees/PROJ-1-x").resolve())
    later = run_hook("UserPromptSubmit", _prompt_event(project, "ok", agent_type=GUARDED))
    assert (later.decision, later.json) == ("pass", {})


@pytest.mark.parametrize("extra", [{}, {"agent_type": "general-purpose"}, {"agent_type": GUARDED, "agent_id": "a1"}])
def test_other_prompts_are_not_checked(tmp_path: Path, extra: dict[str, str]) -> None:
    run = run_hook("UserPromptSubmit", _prompt_event(tmp_path, "hello", **extra))
    assert (run.decision, run.json) == ("pass", {})


def test_cli_accepts(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p", ("PROJ-1-x",))
    result = CliRunner().invoke(cli, ["validate-task", VALID, "--project", str(project)])
    assert result.exit_code == 0, result.output
    assert "task id:     PROJ-1" in result.output
    assert "ACCEPTED" in result.output


def test_cli_refuses_with_every_error(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p")
    result = CliRunner().invoke(
        cli, ["validate-task", "DESCRIPTION: add integration", "--project", str(project), "--json"]
    )
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["accepted"] is False
    assert list(data["problems"]) == [tv.ERR_TASK, tv.ERR_WORKTREE, tv.ERR_REQUIREMENTS]
    assert data["parsed"]["description"] == "add integration"
