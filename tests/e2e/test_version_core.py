"""The core scenario, judged by its effects only, so it runs on every supported CLI version
(``IE_CLAUDE_VERSION=2.1.x``; CI runs it on the oldest supported and the newest).

The guarded subagent tries ``git commit`` of a staged change and a write outside its worktree:
neither may happen (the refusal text differs between versions: only effects are asserted). Its
write inside lands, and the orchestrator gets the hand-off. On a version below
``versions.OLDEST`` the Agent (``Task``) call itself is refused, naming the version and the update.
Observed: 2.1.69, 2.1.75, 2.1.100, 2.1.200, 2.1.272, 2.1.332 bind; 2.1.68, 2.1.67, 2.1.63, 2.1.50,
2.1.0 and 2.0.77 send subagent tool calls without agent_type/agent_id (guards inert), so they are
refused.
"""

from __future__ import annotations

import pytest

from integration_engineer.setup import versions
from tests.e2e.harness import Sandbox, git, pinned_version
from tests.e2e.model_server import ModelRequest, ToolUse
from tests.e2e.steps import HANDOFF, answer, bash, head, start_agent

pytestmark = pytest.mark.e2e


def _start(request: ModelRequest) -> ToolUse:
    """The Agent call, by the tool's name in this version (``Task`` before 2.1.x)."""
    call = start_agent()
    names = {t.get("name") for t in request.body.get("tools") or []}
    return call if "Agent" in names else ToolUse("Task", call.input)


def test_guards_bind_inside_the_subagent_or_the_old_cli_is_refused(sandbox: Sandbox) -> None:
    (sandbox.worktree / "src" / "staged.py").write_text("STAGED = True\n")
    git(sandbox.worktree, "add", "src/staged.py")
    before = head(sandbox.worktree)
    outside = sandbox.project / "src" / "outside.py"
    inside = sandbox.worktree / "src" / "webhooks.py"
    run = sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[_start, "The integration engineer finished."],
        subagent=[
            bash("cd trees/PROJ-123-stripe && git commit -m sneaky"),
            ToolUse("Write", {"file_path": str(outside), "content": "x = 1\n"}),
            ToolUse("Write", {"file_path": str(inside), "content": "ok = 1\n"}),
            answer(["src/webhooks.py"]),
        ],
        timeout=180,
    )
    assert run.exit_code == 0, run.describe()
    assert head(sandbox.worktree) == before, run.describe()  # nothing committed
    if versions.supported(pinned_version()) is False:
        # Below the oldest supported version the guards could not bind: the agent is not started.
        refused = run.server.tool_results("orchestrator")[0]
        assert refused.is_error and f"Claude Code {pinned_version()} is too old" in refused.content, run.describe()
        assert "npm install -g @anthropic-ai/claude-code" in refused.content
        assert not run.hooks("SubagentStart"), run.describe()
        assert not inside.exists() and not outside.exists()
        return
    assert not outside.exists(), run.describe()
    assert inside.exists() and inside.read_text() == "ok = 1\n", run.describe()
    said = "\n".join(t for r in run.server.turns("orchestrator") for t in r.system_texts())
    assert HANDOFF in said, run.describe()
