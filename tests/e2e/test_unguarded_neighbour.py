"""A general-purpose agent started beside the integration-engineer, in the same turn, tries to
write into the integration-engineer's worktree: refused with the reason, nothing lands, and the
integration-engineer's answer (which does not list that file) is accepted."""

from __future__ import annotations

import json

import pytest

from tests.e2e.harness import VALID_PROMPT, Sandbox
from tests.e2e.model_server import ModelRequest, ToolUse
from tests.e2e.steps import HANDOFF, answer, start_agent

pytestmark = pytest.mark.e2e

NEIGHBOUR = "Write release notes for the shop."


def test_an_unguarded_agent_cannot_write_into_the_guarded_worktree(sandbox: Sandbox) -> None:
    intruding = sandbox.worktree / "NOTES.md"
    own = sandbox.worktree / "src" / "webhooks.py"

    def turn(request: ModelRequest) -> str | ToolUse:
        said = "\n".join(request.user_texts())
        done = request.tool_results()
        if NEIGHBOUR in said:
            if not done:
                return ToolUse("Write", {"file_path": str(intruding), "content": "notes\n"})
            return "Could not write the notes: " + done[-1].content[:200]
        if not done:
            return ToolUse("Write", {"file_path": str(own), "content": "ok = 1\n"})
        return answer(["src/webhooks.py"])

    neighbour = ToolUse(
        "Agent", {"description": "release notes", "prompt": NEIGHBOUR, "subagent_type": "general-purpose"}
    )
    run = sandbox.run(
        "Integrate Stripe webhooks and write release notes.",
        orchestrator=[[start_agent(VALID_PROMPT), neighbour], "Both finished."],
        subagent=[turn] * 6,
        timeout=180,
    )
    assert run.exit_code == 0, run.describe()
    refusals = [r for r in run.server.tool_results("subagent") if r.is_error and "worktree of the running" in r.content]
    assert len(refusals) == 1, run.describe()
    assert "./trees/PROJ-123-stripe" in refusals[0].content and "PROJ-123" in refusals[0].content
    assert not intruding.exists()
    assert own.read_text() == "ok = 1\n"
    final = "\n".join(t for r in run.server.turns("orchestrator") for t in r.system_texts())
    assert f"{HANDOFF} (round 1 of 3): the integration-engineer's output was checked and accepted" in final, final
    assert "FAILED" not in final, final
    assert json.dumps("NOTES.md") not in final
