"""Scenarios 1 and 7 inside the real CLI, in one run.

1. The orchestrator's Agent call without a worktree is refused with the reference's ERROR line;
   the corrected call starts the subagent, whose first request carries the task context our
   SubagentStart hook gave it (task id and worktree).
7. When the subagent returns, the orchestrator's next request carries the next steps (test runner
   on that worktree, code review and security audit, the user, the branch manager): PostToolUse
   additionalContext.

The call leaves ``run_in_background`` out: our PreToolUse hook runs the agent in the foreground,
so its answer is checked before the hand-off.
"""

from __future__ import annotations

import os

import pytest

from tests.e2e.harness import AGENT_TYPE, VALID_PROMPT, ClaudeRun, Sandbox
from tests.e2e.model_server import ToolUse
from tests.e2e.steps import (
    ERR_WORKTREE,
    HANDOFF,
    WORKTREE_ARG,
    answer,
    decisions,
    head,
    only,
    request_at,
    result_of,
    start_agent,
    status,
)

pytestmark = pytest.mark.e2e

NO_WORKTREE = "TASK: PROJ-123, DESCRIPTION: Integrate Stripe payment webhooks with signature verification and retries"
HANDLER = "def handle(event):\n    return 'ok'\n"


@pytest.fixture(scope="module")
def sandbox(module_sandbox: Sandbox) -> Sandbox:
    return module_sandbox


@pytest.fixture(scope="module")
def heads(sandbox: Sandbox) -> tuple[str, str]:
    return head(sandbox.project), head(sandbox.worktree)


@pytest.fixture(scope="module")
def run(sandbox: Sandbox, heads: tuple[str, str]) -> ClaudeRun:
    write = ToolUse("Write", {"file_path": str(sandbox.worktree / "src" / "webhooks.py"), "content": HANDLER})
    return sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[start_agent(NO_WORKTREE), start_agent(), "The integration engineer finished."],
        subagent=[write, answer(["src/webhooks.py"])],
    )


def test_the_cli_finishes_cleanly(run: ClaudeRun) -> None:
    assert run.exit_code == 0, run.describe()
    assert run.result.get("is_error") is False, run.describe()
    assert run.result.get("result") == "The integration engineer finished.", run.describe()
    assert not run.server.errors, run.describe()


# ------------------------------------------------------------------ scenario 1


def test_a_call_without_worktree_is_refused_with_the_reference_error(run: ClaudeRun) -> None:
    refused = result_of(run, "orchestrator", 0)
    assert refused.is_error, refused
    assert refused.content.startswith("PreToolUse:Agent hook error:"), refused.content
    lines = [line.removeprefix("PreToolUse:Agent hook error:").strip() for line in refused.content.splitlines()]
    assert ERR_WORKTREE in lines, refused.content
    assert "WORKTREE_PATH" in refused.content, refused.content
    # The refused call started nothing: one SubagentStart, after the second Agent call.
    pre_agent = run.hooks("PreToolUse", "Agent", agent_type=None)
    assert [p["tool_input"]["prompt"] for p in pre_agent] == [NO_WORKTREE, VALID_PROMPT]
    start = only(run.hooks("SubagentStart"), "SubagentStart", run)
    assert run.payloads.index(start) > run.payloads.index(pre_agent[1]), run.describe()


def test_the_refusal_is_logged_as_a_denial(run: ClaudeRun, sandbox: Sandbox) -> None:
    entries = decisions(sandbox, "PreToolUse", "Agent")
    assert [e.get("decision") for e in entries] == ["deny", "pass"], entries
    assert entries[0].get("policy") == "task_validation", entries


def test_a_valid_call_starts_the_subagent_with_its_task_context(run: ClaudeRun, sandbox: Sandbox) -> None:
    started = result_of(run, "orchestrator", 1)
    assert not started.is_error, started
    start = only(run.hooks("SubagentStart"), "SubagentStart", run)
    assert start["agent_type"] == AGENT_TYPE
    first = request_at(run, "subagent", 0)
    assert any(VALID_PROMPT in t for t in first.user_texts()), run.describe()
    context = [t for t in first.system_texts() if "integration-engineer task context" in t]
    assert context, (first.system_texts(), run.describe())
    told = context[0]
    assert "Task: PROJ-123" in told, told
    assert f"Worktree: {os.path.realpath(sandbox.worktree)}" in told, told
    assert f"(given as {WORKTREE_ARG})" in told, told


def test_the_agent_ran_in_the_foreground(run: ClaudeRun) -> None:
    post = only(run.hooks("PostToolUse", "Agent", agent_type=None), "PostToolUse Agent", run)
    assert post["tool_input"].get("run_in_background") is False, post["tool_input"]
    assert post["tool_response"].get("status") == "completed", post["tool_response"]
    stop = only(run.hooks("SubagentStop"), "SubagentStop", run)
    assert run.payloads.index(stop) < run.payloads.index(post), run.describe()


def test_the_subagent_worked_in_its_worktree_and_nothing_was_committed(
    run: ClaudeRun, sandbox: Sandbox, heads: tuple[str, str]
) -> None:
    assert not result_of(run, "subagent", 0).is_error, run.describe()
    assert (sandbox.worktree / "src" / "webhooks.py").read_text() == HANDLER
    assert status(sandbox.worktree) == ["?? src/webhooks.py"], run.describe()
    assert status(sandbox.project) == [], run.describe()
    assert (head(sandbox.project), head(sandbox.worktree)) == heads


# ------------------------------------------------------------------ scenario 7


def test_the_orchestrator_gets_the_next_steps_right_after_the_agent_returns(run: ClaudeRun) -> None:
    agent_call = run.server.tool_uses("orchestrator")[1]["id"]
    after = request_at(run, "orchestrator", 2)  # the request answered with the final text
    assert any(r.tool_use_id == agent_call for r in after.tool_results()), run.describe()
    before = request_at(run, "orchestrator", 1)
    assert not [t for t in before.system_texts() if HANDOFF in t], before.system_texts()
    handoff = [t for t in after.system_texts() if HANDOFF in t]
    assert handoff, (after.system_texts(), run.describe())
    told = handoff[0]
    assert told.startswith("PostToolUse:Agent hook additional context:"), told
    assert "checked and accepted" in told, told
    assert f"test runner on {WORKTREE_ARG}" in told, told
    assert "code review and the security audit" in told, told
    assert "branch manager" in told, told
    assert "Files modified (1): src/webhooks.py" in told, told
    steps = [told.index(word) for word in ("test runner", "security audit", "ask whether", "branch manager commits")]
    assert steps == sorted(steps), told


def test_the_handoff_follows_the_checked_answer(run: ClaudeRun, sandbox: Sandbox) -> None:
    stops = decisions(sandbox, "SubagentStop")
    assert [e.get("decision") for e in stops] == ["pass"], stops
    assert [e.get("policy") for e in decisions(sandbox, "PostToolUse", "Agent")] == ["handoff"]
    handed_back = result_of(run, "orchestrator", 1)
    assert '"files_modified": ["src/webhooks.py"]' in handed_back.content, handed_back.content
