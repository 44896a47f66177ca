"""A finished integration-engineer continued with SendMessage, in the interactive terminal UI
(tmux): the continued run is checked again, and its hand-off (a new round) reaches the
orchestrator with the continued run's task notification."""

from __future__ import annotations

import json
import re

import pytest

from tests.e2e.harness import Sandbox
from tests.e2e.interactive import terminal
from tests.e2e.model_server import ModelRequest, ToolUse
from tests.e2e.steps import WORKTREE_ARG, start_agent

pytestmark = pytest.mark.e2e

NOTIFICATION = "<task-notification>"
FOLLOW_UP = "Also add src/retry.py with the retry policy."


def _answer(files: list[str]) -> str:
    return json.dumps(
        {
            "task_id": "PROJ-123",
            "worktree_path": WORKTREE_ARG,
            "work_completed": "Stripe webhooks and retries.",
            "files_modified": files,
            "unfinished": [],
        }
    )


def test_a_continued_agent_gets_its_checked_handoff_again(sandbox: Sandbox) -> None:
    first = sandbox.worktree / "src" / "webhooks.py"
    second = sandbox.worktree / "src" / "retry.py"

    def subagent(request: ModelRequest) -> str | ToolUse:
        said = "\n".join(request.user_texts() + request.system_texts())
        done = len(request.tool_results())
        if FOLLOW_UP in said:
            if done < 2:
                return ToolUse("Write", {"file_path": str(second), "content": "RETRIES = 3\n"})
            return _answer(["src/webhooks.py", "src/retry.py"])
        if done < 1:
            return ToolUse("Write", {"file_path": str(first), "content": "ok = 1\n"})
        return _answer(["src/webhooks.py"])

    def orchestrator(request: ModelRequest) -> str | ToolUse:
        said = request.everything_said()
        notes = said.count(NOTIFICATION)
        if notes == 0:
            return "Waiting for the integration engineer."
        if notes == 1 and FOLLOW_UP not in said:
            agent = re.search(r"agentId: ([0-9a-f]+)", said)
            assert agent, said[-3000:]
            return ToolUse("SendMessage", {"to": agent.group(1), "summary": "add retries", "message": FOLLOW_UP})
        return "Waiting again." if notes == 1 else "All checked."

    sandbox.server.script(orchestrator=[start_agent(), *[orchestrator] * 8], subagent=[subagent] * 10)
    with terminal(sandbox) as term:
        term.type("Integrate Stripe webhooks for PROJ-123.")
        server = sandbox.server
        term.wait_for(
            "the second task notification",
            lambda: any(r.everything_said().count(NOTIFICATION) >= 2 for r in server.turns("orchestrator")),
            240,
        )
        run = term.run()
    last = next(r for r in server.turns("orchestrator") if r.everything_said().count(NOTIFICATION) >= 2)
    said = "\n".join(last.system_texts())
    assert "round 1 of 3" in said and "round 2 of 3" in said, said
    assert said.count("checked and accepted") >= 2, said
    assert "Files modified (2): src/webhooks.py, src/retry.py" in said, said
    assert second.read_text() == "RETRIES = 3\n", run.describe()
    assert len(run.hooks("SubagentStart")) == 2, run.describe()  # the continuation started it again
