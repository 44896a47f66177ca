"""Claude Code's own isolation in the real CLI (issue 15): an Agent call with isolation and no
WORKTREE_PATH is accepted; the agent is confined to the worktree Claude Code made for it (learned
from its cwd), a write into the main checkout is refused, and its answer naming that worktree
is accepted without a false CONFLICT for .claude/worktrees/."""

from __future__ import annotations

import pytest

from tests.e2e.harness import ClaudeRun, Sandbox
from tests.e2e.model_server import ToolUse
from tests.e2e.steps import answer_for_told_worktree, refused_result, start_agent, write_in_told_worktree

pytestmark = pytest.mark.e2e

CODE = "def verify(signature):\n    return bool(signature)\n"
PROMPT = "TASK: PROJ-123, DESCRIPTION: Integrate Stripe payment webhooks with signature checks and retries"


@pytest.fixture(scope="module")
def run(module_sandbox: Sandbox) -> ClaudeRun:
    sandbox = module_sandbox

    return sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[start_agent(PROMPT, isolation="worktree"), "Done."],
        subagent=[
            write_in_told_worktree("src/signature.py", CODE),
            # Claude Code refuses an isolated agent's Write outside by itself; a shell write it does not.
            ToolUse("Bash", {"command": f"echo leak > {sandbox.project}/leak.py", "description": "write"}),
            answer_for_told_worktree(["src/signature.py"]),
        ],
    )


def test_isolation_is_accepted_and_confined_to_the_agents_worktree(run: ClaudeRun, module_sandbox: Sandbox) -> None:
    assert run.exit_code == 0, run.describe()
    made = list((module_sandbox.project / ".claude" / "worktrees").glob("agent-*"))
    assert len(made) == 1, run.describe()
    assert (made[0] / "src" / "signature.py").read_text() == CODE, run.describe()
    assert not (module_sandbox.project / "src" / "signature.py").exists()
    assert not (module_sandbox.project / "leak.py").exists()
    assert "Worktree path required" not in run.describe()
    assert "CONFLICT" not in run.describe(), run.describe()


def test_the_write_outside_is_refused_and_the_answer_accepted(run: ClaudeRun) -> None:
    refused = refused_result(run, "subagent", 1, "Bash")
    assert "outside the worktree" in refused.content, refused.content
    assert ".claude/worktrees/agent-" in refused.content, refused.content
    assert len(run.hooks("SubagentStop")) == 1, run.describe()  # accepted at once: not sent back
