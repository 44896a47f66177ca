"""Should our agent definition declare ``isolation: worktree``? Both ways, in the real CLI (issue 15).

The orchestrator works the reference's way: it made ``./trees/PROJ-123-stripe`` by hand, on a
branch that already holds its groundwork (a commit with ``src/prepared.py``), and passes it as
WORKTREE_PATH. With the shipped definition (no isolation) the agent works there: it sees the
groundwork, its file lands there, the hand-off names that worktree. With a copy whose definition
declares isolation, Claude Code ignores the prepared worktree: the agent runs in a new
``.claude/worktrees/agent-<id>`` started from the main branch, without the groundwork, on a branch
nobody asked for; the prepared worktree is only its session worktree and stays untouched. A call
with neither isolation nor WORKTREE_PATH is refused with the reference's error by the shipped
definition. docs/worktrees.md records the decision (do not declare it) and why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.harness import VALID_PROMPT, ClaudeRun, Sandbox, git
from tests.e2e.model_server import ModelServer
from tests.e2e.steps import (
    ERR_WORKTREE,
    ISOLATION_PROMPT,
    answer_for_told_worktree,
    bash,
    handoff_text,
    head,
    isolation_worktrees,
    plugin_copy,
    refused_result,
    result_of,
    start_agent,
    status,
    told_worktree,
    write_in_told_worktree,
)

pytestmark = pytest.mark.e2e

CODE = "def verify(signature):\n    return bool(signature)\n"


def _reference_call(sandbox: Sandbox) -> tuple[ClaudeRun, str]:
    """The orchestrator's groundwork on the prepared worktree's branch, then the reference's call."""
    (sandbox.worktree / "src" / "prepared.py").write_text("PREPARED = True\n")
    git(sandbox.worktree, "add", "src/prepared.py")
    git(sandbox.worktree, "commit", "-qm", "groundwork")
    prepared = head(sandbox.worktree)
    run = sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[start_agent(VALID_PROMPT), "Done."],
        subagent=[
            lambda request: bash(f"ls {told_worktree(request)[0]}/src", "what its worktree has"),
            write_in_told_worktree("src/signature.py", CODE),
            answer_for_told_worktree(["src/signature.py"]),
        ],
    )
    return run, prepared


@pytest.fixture(scope="module")
def shipped(world: tuple[Path, ModelServer], claude_cli: Path) -> tuple[Sandbox, ClaudeRun, str]:
    root, server = world
    sandbox = Sandbox(root / "shipped", claude_cli, server)
    return (sandbox, *_reference_call(sandbox))


@pytest.fixture(scope="module")
def declared(world: tuple[Path, ModelServer], claude_cli: Path) -> tuple[Sandbox, ClaudeRun, str]:
    root, server = world
    plugin = plugin_copy(root / "plugin", "isolation: worktree")
    sandbox = Sandbox(root / "declared", claude_cli, server, plugin_dir=plugin)
    return (sandbox, *_reference_call(sandbox))


def test_shipped_definition_works_in_the_prepared_worktree(shipped: tuple[Sandbox, ClaudeRun, str]) -> None:
    sandbox, run, prepared = shipped
    assert run.exit_code == 0, run.describe()
    assert not isolation_worktrees(sandbox.project), run.describe()
    assert "prepared.py" in result_of(run, "subagent", 0).content  # it builds on the groundwork
    assert (sandbox.worktree / "src" / "signature.py").read_text() == CODE
    assert status(sandbox.worktree) == ["?? src/signature.py"] and head(sandbox.worktree) == prepared
    told = handoff_text(run)
    assert "checked and accepted" in told and "./trees/PROJ-123-stripe" in told, told


def test_declared_isolation_ignores_the_prepared_worktree(declared: tuple[Sandbox, ClaudeRun, str]) -> None:
    sandbox, run, prepared = declared
    assert run.exit_code == 0, run.describe()
    made = isolation_worktrees(sandbox.project)
    assert len(made) == 1, run.describe()
    # Started from the main branch, not from the prepared worktree's branch: no groundwork.
    assert head(made[0]) == head(sandbox.project) != prepared
    assert "prepared.py" not in result_of(run, "subagent", 0).content
    assert (made[0] / "src" / "signature.py").read_text() == CODE
    branch = git(made[0], "rev-parse", "--abbrev-ref", "HEAD").strip()
    assert branch.startswith("worktree-agent-"), branch
    # The prepared worktree became the session worktree: named to the agent, left untouched.
    first = next(r for r in run.server.requests if r.side == "subagent")
    assert f"Session worktree: {sandbox.worktree.resolve()}" in "\n".join(first.system_texts())
    assert status(sandbox.worktree) == [] and head(sandbox.worktree) == prepared
    told = handoff_text(run)
    assert "checked and accepted" in told and ".claude/worktrees/agent-" in told, told


def test_shipped_definition_refuses_a_call_with_neither(world: tuple[Path, ModelServer], claude_cli: Path) -> None:
    root, server = world
    sandbox = Sandbox(root / "neither", claude_cli, server)
    run = sandbox.run("Integrate Stripe webhooks.", orchestrator=[start_agent(ISOLATION_PROMPT), "Done."])
    refused = refused_result(run, "orchestrator", 0, "Agent")
    assert ERR_WORKTREE in refused.content, refused.content
    assert not run.hooks("SubagentStart"), run.describe()
