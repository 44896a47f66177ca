"""Isolation from the agent definition's frontmatter in the real CLI (issue 15).

A copy of this plugin whose agent definition says ``isolation: worktree``: Claude Code honours it
for plugin agents, so an Agent call without ``isolation`` and without WORKTREE_PATH still runs the
agent in ``.claude/worktrees/agent-<id>``. The call is accepted, the agent's writes land there (file
tools and sandboxed shell commands) and nowhere else, nothing is committed, and the run ends
accepted; with a session worktree in a ``WORKTREE:`` line the agent is told it and cannot write
there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.harness import ClaudeRun, Sandbox, git
from tests.e2e.model_server import ModelServer, ToolUse
from tests.e2e.steps import (
    ISOLATION_PROMPT,
    answer_for_told_worktree,
    bash,
    handoff_text,
    head,
    isolation_worktrees,
    log_subjects,
    plugin_copy,
    refused_result,
    result_of,
    start_agent,
    status,
    write_in_told_worktree,
)

pytestmark = pytest.mark.e2e

CODE = "def verify(signature):\n    return bool(signature)\n"
SESSION = ".claude/worktrees/RPR-7-work"


@pytest.fixture(scope="module")
def plugin_world(world: tuple[Path, ModelServer]) -> tuple[Path, Path, ModelServer]:
    """The module's world with a copy of the plugin whose definition says ``isolation: worktree``."""
    root, server = world
    return root, plugin_copy(root / "plugin", "isolation: worktree"), server


def _sandbox(world: tuple[Path, Path, ModelServer], name: str, claude_cli: Path) -> Sandbox:
    root, plugin, server = world
    return Sandbox(root / name, claude_cli, server, plugin_dir=plugin)


@pytest.fixture(scope="module")
def alone(plugin_world: tuple[Path, Path, ModelServer], claude_cli: Path) -> tuple[Sandbox, ClaudeRun, str]:
    """The call names neither isolation nor a worktree: the definition alone isolates."""
    sandbox = _sandbox(plugin_world, "alone", claude_cli)
    base = head(sandbox.project)
    run = sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[start_agent(ISOLATION_PROMPT), "Done."],
        subagent=[
            write_in_told_worktree("src/signature.py", CODE),
            # Inside the sandbox, with the Bash tool's functions (Claude Code's rg) handed over.
            bash("type rg >/dev/null && printf 'RETRIES = 3\\n' > src/retry.py", "shell work in the worktree"),
            bash(f"echo leak > {sandbox.project}/leak.py", "write into the main checkout"),
            answer_for_told_worktree(["src/retry.py", "src/signature.py"]),
        ],
    )
    return sandbox, run, base


@pytest.fixture(scope="module")
def with_session(plugin_world: tuple[Path, Path, ModelServer], claude_cli: Path) -> tuple[Sandbox, ClaudeRun]:
    """Reaper's model with the definition's isolation: a session worktree in a WORKTREE: line."""
    sandbox = _sandbox(plugin_world, "session", claude_cli)
    session = sandbox.project / SESSION
    git(sandbox.project, "worktree", "add", "-q", "-b", "rpr-7-work", str(session))
    run = sandbox.run(
        "Integrate Stripe webhooks for RPR-7.",
        orchestrator=[start_agent(ISOLATION_PROMPT + f"\nWORKTREE: {SESSION}"), "Done."],
        subagent=[
            write_in_told_worktree("src/signature.py", CODE),
            ToolUse("Write", {"file_path": f"{session}/src/signature.py", "content": CODE}),
            bash(f"echo leak > {session}/leak.py", "write into the session worktree"),
            answer_for_told_worktree(["src/signature.py"]),
        ],
    )
    return sandbox, run


def test_the_call_without_isolation_or_worktree_is_accepted(alone: tuple[Sandbox, ClaudeRun, str]) -> None:
    _, run, _ = alone
    assert run.exit_code == 0, run.describe()
    call = run.hooks("PreToolUse", "Agent", agent_type=None)[0]
    assert "isolation" not in call["tool_input"], call["tool_input"]  # only the definition says it
    assert "Worktree path required" not in run.describe(), run.describe()


def test_the_agent_writes_only_in_its_isolation_worktree(alone: tuple[Sandbox, ClaudeRun, str]) -> None:
    sandbox, run, base = alone
    made = isolation_worktrees(sandbox.project)
    assert len(made) == 1, run.describe()
    start = run.hooks("SubagentStart")[0]
    assert Path(start["cwd"]).resolve() == made[0].resolve(), start
    assert (made[0] / "src" / "signature.py").read_text() == CODE, run.describe()
    shell = result_of(run, "subagent", 1)
    assert not shell.is_error, shell  # Claude Code refused the sandboxed form before (issue 15)
    assert (made[0] / "src" / "retry.py").read_text() == "RETRIES = 3\n", run.describe()
    assert status(made[0]) == ["?? src/retry.py", "?? src/signature.py"], run.describe()
    refused = refused_result(run, "subagent", 2, "Bash")
    assert "outside the worktree" in refused.content, refused.content
    assert not (sandbox.project / "leak.py").exists()
    assert not (sandbox.project / "src" / "signature.py").exists()
    # No commit by the agent: its branch still points at the commit it was made from.
    branch = git(made[0], "rev-parse", "--abbrev-ref", "HEAD").strip()
    assert branch.startswith("worktree-agent-"), branch
    assert head(made[0]) == base and log_subjects(sandbox.project, branch) == log_subjects(sandbox.project)


def test_the_run_ends_accepted_at_the_first_answer(alone: tuple[Sandbox, ClaudeRun, str]) -> None:
    _, run, _ = alone
    assert len(run.hooks("SubagentStop")) == 1, run.describe()
    told = handoff_text(run)
    assert "checked and accepted" in told and "FAILED" not in told, told
    assert ".claude/worktrees/agent-" in told, told
    assert "CONFLICT" not in run.describe(), run.describe()


def test_the_session_worktree_is_named_and_refused(with_session: tuple[Sandbox, ClaudeRun]) -> None:
    sandbox, run = with_session
    assert run.exit_code == 0, run.describe()
    session = (sandbox.project / SESSION).resolve()
    first = next(r for r in run.server.requests if r.side == "subagent")
    assert f"Session worktree: {session}" in "\n".join(first.system_texts()), first.system_texts()
    # Claude Code refuses an isolated agent's file-tool write into another worktree itself ...
    by_claude_code = result_of(run, "subagent", 1)
    assert by_claude_code.is_error and "isolated in the worktree" in by_claude_code.content, by_claude_code
    # ... a shell write it lets through: the plugin refuses it.
    refused = refused_result(run, "subagent", 2, "Bash")
    assert "outside the worktree" in refused.content, refused.content
    assert status(session) == [], run.describe()
    made = isolation_worktrees(sandbox.project)
    assert len(made) == 1 and (made[0] / "src" / "signature.py").read_text() == CODE, run.describe()
    told = handoff_text(run)
    assert "checked and accepted" in told and "FAILED" not in told, told
