"""Scenario 2 inside the real CLI: the subagent's commits are refused in every spelling, nothing is
committed, and the orchestrator's own ``git commit`` runs.

Both trees hold a staged change before the run, so every refused command would have committed
something had it run: an unchanged ``git log`` means the guard stopped it, not an empty index.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.harness import AGENT_TYPE, ClaudeRun, Sandbox, git
from tests.e2e.steps import (
    answer,
    bash,
    decisions,
    head,
    log_subjects,
    refused_result,
    result_of,
    start_agent,
    status,
)

pytestmark = pytest.mark.e2e

# (command, the operations its refusal must name)
REFUSED = [
    ("git commit -m x", ("git commit",)),
    ("cd trees/PROJ-123-stripe && git add -A && git commit -m x", ("git add", "git commit")),
    ("git -C trees/PROJ-123-stripe -c user.name=x commit -m x", ("git commit",)),
    ("bash -c 'git commit -m x'", ("git commit",)),
]
ORCHESTRATOR_COMMIT = "orchestrator: release notes"


@pytest.fixture(scope="module")
def sandbox(module_sandbox: Sandbox) -> Sandbox:
    box = module_sandbox
    (box.worktree / "src" / "staged.py").write_text("STAGED = True\n")
    git(box.worktree, "add", "src/staged.py")
    (box.project / "NOTES.md").write_text("release notes\n")
    git(box.project, "add", "NOTES.md")
    return box


@pytest.fixture(scope="module")
def before(sandbox: Sandbox) -> dict[str, object]:
    return {
        "project_head": head(sandbox.project),
        "worktree_head": head(sandbox.worktree),
        "worktree_log": log_subjects(sandbox.worktree),
        "worktree_status": status(sandbox.worktree),
    }


@pytest.fixture(scope="module")
def run(sandbox: Sandbox, before: dict[str, object]) -> ClaudeRun:
    return sandbox.run(
        "Integrate Stripe webhooks for PROJ-123, then commit the release notes.",
        orchestrator=[start_agent(), bash(f"git commit -m '{ORCHESTRATOR_COMMIT}'", "commit"), "Done."],
        subagent=[*(bash(command) for command, _ in REFUSED), answer([])],
    )


def test_the_cli_finishes_cleanly(run: ClaudeRun) -> None:
    assert run.exit_code == 0, run.describe()
    assert not run.server.errors, run.describe()
    pre_bash = run.hooks("PreToolUse", "Bash", agent_type=AGENT_TYPE)
    assert [p["tool_input"]["command"] for p in pre_bash] == [c for c, _ in REFUSED]


@pytest.mark.parametrize("call", range(len(REFUSED)), ids=[c for c, _ in REFUSED])
def test_the_subagents_commit_is_refused_naming_the_operation(run: ClaudeRun, call: int) -> None:
    operations = REFUSED[call][1]
    refused = refused_result(run, "subagent", call, "Bash")
    for operation in operations:
        assert re.search(rf"\b{operation}\b", refused.content), (operation, refused.content)


def test_the_refusals_come_from_the_git_guard(run: ClaudeRun, sandbox: Sandbox) -> None:
    entries = decisions(sandbox, "PreToolUse", "Bash")
    subagent = [e for e in entries if e.get("agent_type") == AGENT_TYPE]
    assert [e.get("decision") for e in subagent] == ["deny"] * len(REFUSED), subagent
    assert all("git" in str(e.get("policy")) for e in subagent), subagent


def test_nothing_was_committed_by_the_subagent(run: ClaudeRun, sandbox: Sandbox, before: dict[str, object]) -> None:
    assert head(sandbox.worktree) == before["worktree_head"], run.describe()
    assert log_subjects(sandbox.worktree) == before["worktree_log"]
    assert status(sandbox.worktree) == before["worktree_status"] == ["A  src/staged.py"]
    assert "x" not in log_subjects(sandbox.project, "--all")


def test_the_orchestrators_own_commit_runs(run: ClaudeRun, sandbox: Sandbox, before: dict[str, object]) -> None:
    committed = result_of(run, "orchestrator", 1)
    assert not committed.is_error, committed
    assert log_subjects(sandbox.project) == [ORCHESTRATOR_COMMIT, "init"], run.describe()
    assert git(sandbox.project, "rev-parse", "HEAD~1").strip() == before["project_head"]
    assert git(sandbox.project, "show", "--name-only", "--format=", "HEAD").split() == ["NOTES.md"]
    assert status(sandbox.project) == []
