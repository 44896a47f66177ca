"""``claude --worktree NAME`` in the interactive terminal UI (tmux), with an isolated agent (issue 15).

Interactive sessions run every agent in the background; with isolation the agent still gets its own
worktree in the main checkout's ``.claude/worktrees/``, its file-tool writes, its shell work and its
read-only git run there (the sandboxed form passes Claude Code's own checks), and the hand-off
(checked and accepted) reaches the orchestrator with the task notification."""

from __future__ import annotations

import pytest

from tests.e2e.harness import Sandbox
from tests.e2e.interactive import terminal
from tests.e2e.steps import (
    ISOLATION_PROMPT,
    answer_for_told_worktree,
    bash,
    isolation_worktrees,
    result_of,
    start_agent,
    status,
    write_in_told_worktree,
)

pytestmark = pytest.mark.e2e

CODE = "def verify(signature):\n    return bool(signature)\n"
NOTIFICATION = "<task-notification>"


def test_an_isolated_agent_in_a_worktree_session_is_accepted(sandbox: Sandbox) -> None:
    sandbox.server.script(
        orchestrator=[
            start_agent(ISOLATION_PROMPT + "\nWORKTREE: .claude/worktrees/sess", isolation="worktree"),
            "Waiting for the integration engineer.",
            "All checked.",
        ],
        subagent=[
            write_in_told_worktree("src/signature.py", CODE),
            bash("printf 'RETRIES = 3\\n' > src/retry.py", "shell work in the worktree"),
            bash("git status --porcelain --untracked-files=all", "what changed"),
            answer_for_told_worktree(["src/retry.py", "src/signature.py"]),
        ],
    )
    with terminal(sandbox, args=["--worktree", "sess"]) as term:
        term.type("Integrate Stripe webhooks for PROJ-123.")
        server = sandbox.server
        term.wait_for(
            "the orchestrator's request carrying the task notification",
            lambda: any(NOTIFICATION in r.everything_said() for r in server.turns("orchestrator")),
            180,
        )
        run = term.run()
    session = (sandbox.project / ".claude" / "worktrees" / "sess").resolve()
    made = isolation_worktrees(sandbox.project)
    assert len(made) == 1, run.describe()
    assert (made[0] / "src" / "signature.py").read_text() == CODE, run.describe()
    assert (made[0] / "src" / "retry.py").read_text() == "RETRIES = 3\n", run.describe()
    assert status(made[0]) == ["?? src/retry.py", "?? src/signature.py"], run.describe()
    git_status = result_of(run, "subagent", 2)
    assert not git_status.is_error and "?? src/retry.py" in git_status.content, git_status
    assert status(session) == [], run.describe()
    notified = next(r for r in server.turns("orchestrator") if NOTIFICATION in r.everything_said())
    said = "\n".join(notified.system_texts())
    assert "checked and accepted" in said and "FAILED" not in said, said
    assert str(session) in said, said  # the session worktree is named as the merge target
