"""Background agents in the interactive terminal UI (tmux): the hand-off still arrives.

In an interactive session the Agent tool has no ``run_in_background``: our foreground rewrite is
dropped and the agent runs in the background. PostToolUse(Agent) fires at launch; it must say
the checked result will follow, and the hand-off (checked, accepted, next steps) must reach the
orchestrator with the task notification (UserPromptSubmit additionalContext).
"""

from __future__ import annotations

import pytest

from tests.e2e.harness import Sandbox
from tests.e2e.interactive import terminal
from tests.e2e.model_server import ToolUse
from tests.e2e.steps import HANDOFF, answer, start_agent

pytestmark = pytest.mark.e2e

HANDLER = "def handle(event):\n    return 'ok'\n"
NOTIFICATION = "<task-notification>"


def test_background_agent_hands_off_with_its_notification(sandbox: Sandbox) -> None:
    write = ToolUse("Write", {"file_path": str(sandbox.worktree / "src" / "webhooks.py"), "content": HANDLER})
    sandbox.server.script(
        orchestrator=[start_agent(), "Waiting for the integration engineer.", "All checked."],
        subagent=[write, answer(["src/webhooks.py"])],
    )
    with terminal(sandbox) as term:
        term.type("Integrate Stripe webhooks for PROJ-123.")
        server = sandbox.server
        term.wait_for(
            "the orchestrator's request carrying the task notification",
            lambda: any(NOTIFICATION in r.everything_said() for r in server.turns("orchestrator")),
            180,
        )
        run = term.run()
    launch = [r for r in server.turns("orchestrator") if r.turn == 1]
    assert launch, run.describe()
    launched = launch[0].last_tool_result()
    assert launched is not None and not launched.is_error, run.describe()
    told_at_launch = "\n".join(launch[0].system_texts())
    assert f"{HANDOFF}: the integration-engineer runs in the background" in told_at_launch, told_at_launch
    assert "checked result" in told_at_launch and "task notification" in told_at_launch, told_at_launch
    assert "no checked result was found" not in told_at_launch, told_at_launch
    post = run.hooks("PostToolUse", "Agent", agent_type=None)
    assert post and post[0]["tool_response"].get("status") == "async_launched", run.describe()

    # The notification arrives as a system-reminder of a user message, our hand-off beside it.
    notified = next(r for r in server.turns("orchestrator") if NOTIFICATION in r.everything_said())
    assert any(NOTIFICATION in t for t in notified.system_texts()), notified.system_texts()
    said = "\n".join(notified.system_texts())
    assert "checked and accepted" in said, said
    assert "Run the test runner on ./trees/PROJ-123-stripe" in said, said
    assert "src/webhooks.py" in said, said
    assert "branch manager commits" in said, said
    prompts = run.hooks("UserPromptSubmit", agent_type=None)
    assert any(NOTIFICATION in str(p.get("prompt")) for p in prompts), run.describe()
    assert (sandbox.worktree / "src" / "webhooks.py").read_text() == HANDLER
