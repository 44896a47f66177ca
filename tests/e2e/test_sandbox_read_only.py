"""Commands Claude Code runs without asking still run without asking once the plugin sandboxes them.

Claude Code judges the rewritten (bwrap) command, which is none of its read-only commands, so
without an answer of ours every ``ls`` would ask. Where no permission rule decides and the
original is one Claude Code would run unasked (sandbox/read_only.py, docs/sandbox.md), the plugin
answers allow for the rewrite. Real CLI, ``-p`` (so an ask is refused), no permission rules: in the
default mode ``ls``, ``cat`` and ``git status`` run inside bwrap; ``touch`` and ``sort -o`` do
not run; in ``acceptEdits`` a ``touch`` inside the worktree runs, inside bwrap too.
"""

from __future__ import annotations

import pytest

from tests.e2e.harness import WORKTREE_NAME, ClaudeRun, Sandbox
from tests.e2e.steps import answer, bash, decisions, result_of, start_agent

pytestmark = pytest.mark.e2e

REL = f"trees/{WORKTREE_NAME}"
# (the agent's command, does Claude Code run it unasked in the default mode)
DEFAULT_CALLS = [
    ("ls", True),
    (f"cat {REL}/README.md", True),
    ("git status", True),
    (f"ls -la {REL} | wc -l", True),
    (f"touch {REL}/ran-touch", False),
    (f"sort -o {REL}/ran-sort README.md", False),
]


def run_calls(sandbox: Sandbox, mode: str, calls: list[tuple[str, bool]]) -> ClaudeRun:
    return sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[start_agent(), "Done."],
        subagent=[*(bash(command) for command, _ in calls), answer([])],
        args=("--permission-mode", mode),
        skip_permissions=False,
        timeout=180,
    )


@pytest.fixture(scope="module")
def default_run(module_sandbox: Sandbox) -> ClaudeRun:
    return run_calls(module_sandbox, "default", DEFAULT_CALLS)


def sandboxed_posts(run: ClaudeRun) -> list[str]:
    """The commands that ran for the subagent (PostToolUse), as Claude Code ran them."""
    return [str(p["tool_input"]["command"]) for p in run.hooks("PostToolUse", "Bash") if p.get("agent_type")]


def test_the_agent_ran_in_the_default_mode(default_run: ClaudeRun) -> None:
    assert default_run.exit_code == 0, default_run.describe()
    modes = {p.get("permission_mode") for p in default_run.hooks("PreToolUse", "Bash")}
    assert modes == {"default"}, modes
    assert len(default_run.server.tool_uses("subagent")) == len(DEFAULT_CALLS), default_run.describe()


@pytest.mark.parametrize("call", range(len(DEFAULT_CALLS)), ids=[c for c, _ in DEFAULT_CALLS])
def test_read_only_commands_run_unasked_and_others_still_ask(default_run: ClaudeRun, call: int) -> None:
    command, runs = DEFAULT_CALLS[call]
    result = result_of(default_run, "subagent", call)
    assert result.is_error is (not runs), (command, result.content)
    if not runs:
        assert "no permission rule allows it" in result.content, result.content


def test_what_ran_ran_inside_the_sandbox(default_run: ClaudeRun, module_sandbox: Sandbox) -> None:
    posts = sandboxed_posts(default_run)
    assert len(posts) == sum(runs for _, runs in DEFAULT_CALLS), posts
    assert all("/usr/bin/bwrap" in p or "bwrap " in p for p in posts), posts
    status = result_of(default_run, "subagent", 2).content
    assert "On branch" in status or "HEAD" in status, status
    readme = result_of(default_run, "subagent", 1).content
    assert "# shop" in readme, readme
    assert not (module_sandbox.worktree / "ran-touch").exists()
    assert not (module_sandbox.worktree / "ran-sort").exists()


def test_the_decision_log_says_sandboxed_and_why(default_run: ClaudeRun, module_sandbox: Sandbox) -> None:
    logged = [e for e in decisions(module_sandbox, "PreToolUse", "Bash") if e.get("agent_type")]
    assert [e.get("decision") for e in logged] == ["allow" if runs else "ask" for _, runs in DEFAULT_CALLS], logged
    assert {e.get("sandbox") for e in logged} == {"bwrap"}, logged
    assert [e.get("permission") for e in logged] == ["read-only" if r else "ask" for _, r in DEFAULT_CALLS], logged


def test_accept_edits_lets_a_file_command_inside_run_in_the_sandbox(sandbox: Sandbox) -> None:
    calls = [(f"touch {REL}/made-here", True), ("touch made-in-main", False), (f"cd {REL} && touch x", False)]
    run = run_calls(sandbox, "acceptEdits", calls)
    assert run.exit_code == 0, run.describe()
    first = result_of(run, "subagent", 0)
    assert not first.is_error, first.content
    assert (sandbox.worktree / "made-here").exists()
    posts = sandboxed_posts(run)
    assert len(posts) == 1 and "bwrap" in posts[0], posts
    assert not (sandbox.project / "made-in-main").exists()
    assert not (sandbox.worktree / "x").exists()
    for call in (1, 2):
        assert result_of(run, "subagent", call).is_error, run.describe()
