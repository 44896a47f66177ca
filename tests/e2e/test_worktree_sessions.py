"""``claude --worktree NAME`` and EnterWorktree in the real CLI (issue 15).

Claude Code then runs the session in ``<main checkout>/.claude/worktrees/NAME`` (CLAUDE_PROJECT_DIR
is that worktree; hooks see it as their cwd) and refuses the file-tool writes of the session, and of every agent started
without isolation, outside it. So:

- with ``isolation: "worktree"`` the agent gets its own worktree in the main checkout's
  ``.claude/worktrees/``, its writes land there, nothing is committed and the run ends accepted;
  the session's worktree, named in ``WORKTREE:``, is the one its work is merged into;
- with a ``./trees/`` WORKTREE_PATH (read from the main checkout) the agent could write nowhere:
  the call is refused at once, with the reason and the call that works, instead of a FAILED end.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.harness import VALID_PROMPT, ClaudeRun, Sandbox
from tests.e2e.model_server import ModelServer, ToolUse, Turn
from tests.e2e.steps import (
    ERR_WORKTREE,
    ISOLATION_PROMPT,
    answer_for_told_worktree,
    bash,
    handoff_text,
    head,
    isolation_worktrees,
    refused_result,
    result_of,
    start_agent,
    status,
    write_in_told_worktree,
)

pytestmark = pytest.mark.e2e

CODE = "def verify(signature):\n    return bool(signature)\n"
SHELL_WORK = bash("printf 'RETRIES = 3\\n' > src/retry.py", "shell work in the worktree")


def _sandbox(world: tuple[Path, ModelServer], name: str, claude_cli: Path) -> Sandbox:
    root, server = world
    return Sandbox(root / name, claude_cli, server)


def _isolated_work() -> list[Turn]:
    return [
        write_in_told_worktree("src/signature.py", CODE),
        SHELL_WORK,
        # Read-only git inside the sandbox: Claude Code refused the wrapped form before (issue 15).
        bash("git status --porcelain --untracked-files=all", "what changed"),
        answer_for_told_worktree(["src/retry.py", "src/signature.py"]),
    ]


@pytest.fixture(scope="module")
def worktree_isolated(world: tuple[Path, ModelServer], claude_cli: Path) -> tuple[Sandbox, ClaudeRun, str]:
    sandbox = _sandbox(world, "wt-iso", claude_cli)
    base = head(sandbox.project)
    run = sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[
            start_agent(ISOLATION_PROMPT + "\nWORKTREE: .claude/worktrees/sess", isolation="worktree"),
            "Done.",
        ],
        subagent=_isolated_work(),
        args=["--worktree", "sess"],
    )
    return sandbox, run, base


@pytest.fixture(scope="module")
def worktree_trees(world: tuple[Path, ModelServer], claude_cli: Path) -> tuple[Sandbox, ClaudeRun]:
    sandbox = _sandbox(world, "wt-trees", claude_cli)
    run = sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[start_agent(VALID_PROMPT), "Done."],
        subagent=[ToolUse("Write", {"file_path": str(sandbox.worktree / "src" / "x.py"), "content": CODE})],
        args=["--worktree", "sess"],
    )
    return sandbox, run


@pytest.fixture(scope="module")
def entered_isolated(world: tuple[Path, ModelServer], claude_cli: Path) -> tuple[Sandbox, ClaudeRun]:
    sandbox = _sandbox(world, "enter-iso", claude_cli)
    run = sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[
            ToolUse("EnterWorktree", {"name": "orch"}),
            start_agent(ISOLATION_PROMPT, isolation="worktree"),
            "Done.",
        ],
        subagent=_isolated_work(),
    )
    return sandbox, run


@pytest.fixture(scope="module")
def entered_trees(world: tuple[Path, ModelServer], claude_cli: Path) -> tuple[Sandbox, ClaudeRun]:
    sandbox = _sandbox(world, "enter-trees", claude_cli)
    run = sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[ToolUse("EnterWorktree", {"name": "orch"}), start_agent(VALID_PROMPT), "Done."],
        subagent=[ToolUse("Write", {"file_path": str(sandbox.worktree / "src" / "x.py"), "content": CODE})],
    )
    return sandbox, run


def _assert_isolated_work_accepted(sandbox: Sandbox, run: ClaudeRun, session: Path) -> Path:
    assert run.exit_code == 0, run.describe()
    made = isolation_worktrees(sandbox.project)  # in the main checkout, not in the session's
    assert len(made) == 1, run.describe()
    assert (made[0] / "src" / "signature.py").read_text() == CODE, run.describe()
    assert (made[0] / "src" / "retry.py").read_text() == "RETRIES = 3\n", run.describe()
    assert status(made[0]) == ["?? src/retry.py", "?? src/signature.py"], run.describe()
    git_status = result_of(run, "subagent", 2)
    assert not git_status.is_error and "?? src/retry.py" in git_status.content, git_status
    assert status(session) == [], run.describe()  # the session's worktree is left alone
    assert len(run.hooks("SubagentStop")) == 1, run.describe()
    told = handoff_text(run)
    assert "checked and accepted" in told and "FAILED" not in told, told
    return made[0]


def test_worktree_session_runs_in_the_session_worktree(worktree_isolated: tuple[Sandbox, ClaudeRun, str]) -> None:
    sandbox, run, _ = worktree_isolated
    session = (sandbox.project / ".claude" / "worktrees" / "sess").resolve()
    for event in ("SessionStart", "PreToolUse"):
        assert Path(run.hooks(event, agent_type=None)[0]["cwd"]).resolve() == session, run.describe()


def test_worktree_session_with_isolation_ends_accepted(worktree_isolated: tuple[Sandbox, ClaudeRun, str]) -> None:
    sandbox, run, base = worktree_isolated
    session = (sandbox.project / ".claude" / "worktrees" / "sess").resolve()
    made = _assert_isolated_work_accepted(sandbox, run, session)
    assert head(made) == base, "the agent committed"
    first = next(r for r in run.server.requests if r.side == "subagent")
    assert f"Session worktree: {session}" in "\n".join(first.system_texts()), first.system_texts()
    note = [t for t in run.server.system_texts("orchestrator") if "PreToolUse:Agent hook additional context" in t]
    assert note and f"You run in the worktree {session}" in note[0], run.describe()


@pytest.mark.parametrize("which", ["worktree_trees", "entered_trees"])
def test_a_trees_worktree_is_refused_at_the_agent_call(which: str, request: pytest.FixtureRequest) -> None:
    sandbox, run = request.getfixturevalue(which)
    assert run.exit_code == 0, run.describe()
    refused = refused_result(run, "orchestrator", 0 if which == "worktree_trees" else 1, "Agent")
    assert ERR_WORKTREE in refused.content, refused.content
    assert "confines the session and every agent started without isolation" in refused.content, refused.content
    assert 'isolation: "worktree"' in refused.content, refused.content
    assert not run.hooks("SubagentStart"), run.describe()  # no agent ran, so no FAILED end either
    assert not (sandbox.worktree / "src" / "x.py").exists()
    assert status(sandbox.worktree) == [], run.describe()


def test_enter_worktree_then_isolation_ends_accepted(entered_isolated: tuple[Sandbox, ClaudeRun]) -> None:
    sandbox, run = entered_isolated
    entered = result_of(run, "orchestrator", 0)
    assert not entered.is_error and "Created worktree" in entered.content, entered
    session = (sandbox.project / ".claude" / "worktrees" / "orch").resolve()
    call = run.hooks("PreToolUse", "Agent", agent_type=None)[0]
    assert Path(call["cwd"]).resolve() == session, call
    _assert_isolated_work_accepted(sandbox, run, session)
