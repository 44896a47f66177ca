"""Where an isolation worktree starts, in the real CLI (issue 15): a project with an origin and a
commit not pushed there. By default ("fresh") Claude Code branches the agent's worktree from
origin's default branch, so the unpushed commit is missing there, and the orchestrator is told so
at the Agent call; with ``{"worktree": {"baseRef": "head"}}`` it branches from HEAD, has the
commit, and nothing is said."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.e2e.harness import ClaudeRun, Sandbox, git
from tests.e2e.model_server import ModelServer
from tests.e2e.steps import (
    ISOLATION_PROMPT,
    answer_for_told_worktree,
    bash,
    handoff_text,
    head,
    isolation_worktrees,
    result_of,
    start_agent,
    write_in_told_worktree,
)

pytestmark = pytest.mark.e2e

WARNING = "1 commit(s) of your HEAD are not on origin/main"


def _run(world: tuple[Path, ModelServer], claude_cli: Path, base_ref: str) -> tuple[Sandbox, ClaudeRun, str]:
    root, server = world
    sandbox = Sandbox(root / base_ref, claude_cli, server)
    origin = root / f"{base_ref}-origin.git"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)
    git(sandbox.project, "remote", "add", "origin", str(origin))
    git(sandbox.project, "push", "-q", "origin", "HEAD:main")
    git(sandbox.project, "remote", "set-head", "origin", "main")
    pushed = head(sandbox.project)
    (sandbox.project / "src" / "unpushed.py").write_text("LOCAL = 1\n")
    git(sandbox.project, "add", "src/unpushed.py")
    git(sandbox.project, "commit", "-qm", "unpushed work")
    if base_ref == "head":
        (sandbox.project / ".claude").mkdir(exist_ok=True)
        (sandbox.project / ".claude" / "settings.json").write_text(json.dumps({"worktree": {"baseRef": "head"}}))
    run = sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[start_agent(ISOLATION_PROMPT, isolation="worktree"), "Done."],
        subagent=[
            bash("ls src", "what the worktree has"),
            write_in_told_worktree("src/signature.py", "def verify(s):\n    return bool(s)\n"),
            answer_for_told_worktree(["src/signature.py"]),
        ],
    )
    return sandbox, run, pushed


@pytest.fixture(scope="module")
def fresh(world: tuple[Path, ModelServer], claude_cli: Path) -> tuple[Sandbox, ClaudeRun, str]:
    return _run(world, claude_cli, "fresh")


@pytest.fixture(scope="module")
def from_head(world: tuple[Path, ModelServer], claude_cli: Path) -> tuple[Sandbox, ClaudeRun, str]:
    return _run(world, claude_cli, "head")


def _told_at_the_call(run: ClaudeRun) -> str:
    return "\n".join(t for t in run.server.system_texts("orchestrator") if "PreToolUse:Agent hook" in t)


def test_by_default_the_agent_starts_at_origin_and_lacks_the_unpushed_commit(
    fresh: tuple[Sandbox, ClaudeRun, str],
) -> None:
    sandbox, run, pushed = fresh
    made = isolation_worktrees(sandbox.project)
    assert len(made) == 1, run.describe()
    assert head(made[0]) == pushed != head(sandbox.project)
    assert "unpushed.py" not in result_of(run, "subagent", 0).content
    assert not (made[0] / "src" / "unpushed.py").exists()
    told = _told_at_the_call(run)
    assert WARNING in told and '"baseRef": "head"' in told, told
    assert "checked and accepted" in handoff_text(run)


def test_with_base_ref_head_the_agent_starts_at_head(from_head: tuple[Sandbox, ClaudeRun, str]) -> None:
    sandbox, run, _ = from_head
    made = isolation_worktrees(sandbox.project)
    assert len(made) == 1, run.describe()
    assert head(made[0]) == head(sandbox.project)
    assert "unpushed.py" in result_of(run, "subagent", 0).content
    assert (made[0] / "src" / "unpushed.py").read_text() == "LOCAL = 1\n"
    assert "not on origin/main" not in _told_at_the_call(run)
    assert "checked and accepted" in handoff_text(run)
