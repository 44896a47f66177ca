"""A background agent in the interactive UI (tmux), default permission mode, no permission rules.

Interactive sessions run every subagent in the background. Observed with CLI 2.1.332: an ``ask``
from a background agent is not refused by itself: the session shows the question to the user
("Bash command · from the integration-engineer:... agent") and the agent waits for the answer;
a "No" reaches the agent as Claude Code's bare "Permission for this tool use was denied", so the
plugin's reason travels as the ask's additionalContext. Here ``ls`` and ``cat README.md`` run
inside the sandbox with no question; the ``touch`` is asked, refused by the user, does not run,
and the agent is told why and what to do.
"""

from __future__ import annotations

import time

import pytest

from tests.e2e.harness import WORKTREE_NAME, Sandbox
from tests.e2e.interactive import Terminal, terminal
from tests.e2e.steps import answer, bash, result_of, start_agent

pytestmark = pytest.mark.e2e

NOTIFICATION = "<task-notification>"
QUESTION = "Do you want to proceed?"
TOUCH = f"touch trees/{WORKTREE_NAME}/ran-touch"


def answer_no(term: Terminal) -> None:
    """Choose "2. No", again while the question is still shown (a key sent while the dialog is
    still being drawn can be lost)."""
    deadline = time.monotonic() + 60
    while QUESTION in term.screen():
        assert time.monotonic() < deadline, f"the question stayed on screen\n{term.screen()}"
        term.tmux("send-keys", "-t", "main", "2")
        time.sleep(2)


def test_a_background_agent_reads_unasked_and_a_refused_write_is_explained(sandbox: Sandbox) -> None:
    sandbox.server.script(
        orchestrator=[start_agent(), "Waiting for the integration engineer.", "All checked."],
        subagent=[bash("ls"), bash("cat README.md"), bash(TOUCH), answer([])],
    )
    server = sandbox.server
    with terminal(sandbox, args=("--permission-mode", "default"), skip_permissions=False) as term:
        term.type("Integrate Stripe webhooks for PROJ-123.")
        term.wait_for("the question about the touch", lambda: QUESTION in term.screen(), 180)
        asked_screen = term.screen()
        assert len(server.tool_uses("subagent")) == 3, term.describe()  # ls and cat ran without a question
        answer_no(term)
        term.wait_for(
            "the task notification",
            lambda: any(NOTIFICATION in r.everything_said() for r in server.turns("orchestrator")),
            180,
        )
        run = term.run()
    assert "from the integration-engineer" in asked_screen, asked_screen
    assert "no permission rule allows it" in asked_screen, asked_screen
    launched = run.hooks("PostToolUse", "Agent", agent_type=None)
    assert launched and launched[0]["tool_response"].get("status") == "async_launched", run.describe()

    listing, readme = result_of(run, "subagent", 0), result_of(run, "subagent", 1)
    assert not listing.is_error and "README.md" in listing.content, listing.content
    assert not readme.is_error and "# shop" in readme.content, readme.content
    ran = [str(p["tool_input"]["command"]) for p in run.hooks("PostToolUse", "Bash") if p.get("agent_type")]
    assert len(ran) == 2 and all("bwrap" in c for c in ran), ran

    refused = result_of(run, "subagent", 2)
    assert refused.is_error and "denied" in refused.content, refused.content
    assert not (sandbox.worktree / "ran-touch").exists()
    told = "\n".join(server.system_texts("subagent"))
    assert "this command needs the user's approval: no permission rule allows it" in told, told
    assert "report it in your answer" in told, told
