"""Reaper's model in the real CLI (issue 15): isolation plus a session worktree named in a
``WORKTREE:`` line. The session worktree is checked and named to the agent; the agent works in its
isolation worktree, and a write into the session worktree is refused."""

from __future__ import annotations

import json
import re

import pytest

from tests.e2e.harness import ClaudeRun, Sandbox
from tests.e2e.model_server import ModelRequest, ToolUse
from tests.e2e.steps import refused_result, start_agent
from tests.helpers import git

pytestmark = pytest.mark.e2e

PROMPT = (
    "TASK: PROJ-123, DESCRIPTION: Integrate Stripe payment webhooks with signature checks and retries\n"
    "WORKTREE: .claude/worktrees/RPR-7-work"
)
_WORKTREE = re.compile(r"- Worktree: (\S+) \(given as (\S+)\)")


def _told(request: ModelRequest) -> str:
    return "\n".join(request.system_texts())


@pytest.fixture(scope="module")
def run(module_sandbox: Sandbox) -> ClaudeRun:
    sandbox = module_sandbox
    session = sandbox.project / ".claude" / "worktrees" / "RPR-7-work"
    git(sandbox.project, "worktree", "add", "-q", "-b", "rpr-7-work", str(session))

    def write_session(request: ModelRequest) -> ToolUse:
        return ToolUse("Bash", {"command": f"echo x > {session}/leak.py", "description": "write"})

    def finish(request: ModelRequest) -> str:
        found = _WORKTREE.search(_told(request))
        assert found, _told(request)
        return json.dumps(
            {
                "task_id": "PROJ-123",
                "worktree_path": found.group(1),
                "work_completed": "Nothing changed: checked the session worktree rule.",
                "files_modified": [],
                "unfinished": [],
            }
        )

    return sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[start_agent(PROMPT, isolation="worktree"), "Done."],
        subagent=[write_session, finish],
    )


def test_the_session_worktree_is_named_and_protected(run: ClaudeRun, module_sandbox: Sandbox) -> None:
    assert run.exit_code == 0, run.describe()
    session = module_sandbox.project / ".claude" / "worktrees" / "RPR-7-work"
    refused = refused_result(run, "subagent", 0, "Bash")
    assert "outside the worktree" in refused.content, refused.content
    assert not (session / "leak.py").exists()
    first = next(r for r in run.server.requests if r.side == "subagent")
    assert f"Session worktree: {session.resolve()}" in _told(first), _told(first)
    assert len(run.hooks("SubagentStop")) == 1, run.describe()
