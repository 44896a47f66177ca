"""Claude Code's own isolation in the real CLI (issue 15): an Agent call with isolation and no
WORKTREE_PATH is accepted; the agent is confined to the worktree Claude Code made for it (learned
from its cwd), a write into the main checkout is refused, and its answer naming that worktree
is accepted without a false CONFLICT for .claude/worktrees/."""

from __future__ import annotations

import json
import re

import pytest

from tests.e2e.harness import ClaudeRun, Sandbox
from tests.e2e.model_server import ModelRequest, ToolUse
from tests.e2e.steps import refused_result, start_agent

pytestmark = pytest.mark.e2e

CODE = "def verify(signature):\n    return bool(signature)\n"
PROMPT = "TASK: PROJ-123, DESCRIPTION: Integrate Stripe payment webhooks with signature checks and retries"
_WORKTREE = re.compile(r"- Worktree: (\S+) \(given as (\S+)\)")


def _worktree(request: ModelRequest) -> tuple[str, str]:
    for text in request.system_texts():
        found = _WORKTREE.search(text)
        if found:
            return found.group(1), found.group(2)
    raise AssertionError("the agent was not told its worktree: " + "\n".join(request.system_texts()))


@pytest.fixture(scope="module")
def run(module_sandbox: Sandbox) -> ClaudeRun:
    sandbox = module_sandbox

    def write_inside(request: ModelRequest) -> ToolUse:
        path, _ = _worktree(request)
        return ToolUse("Write", {"file_path": path + "/src/signature.py", "content": CODE})

    def finish(request: ModelRequest) -> str:
        _, arg = _worktree(request)
        return json.dumps(
            {
                "task_id": "PROJ-123",
                "worktree_path": arg,
                "work_completed": "Added the Stripe webhook receiver with signature verification.",
                "files_modified": ["src/signature.py"],
                "unfinished": [],
            }
        )

    return sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[start_agent(PROMPT, isolation="worktree"), "Done."],
        subagent=[
            write_inside,
            # Claude Code refuses an isolated agent's Write outside by itself; a shell write it does not.
            ToolUse("Bash", {"command": f"echo leak > {sandbox.project}/leak.py", "description": "write"}),
            finish,
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
