"""Building blocks shared by the scenario tests: the Agent call, final answers, lookups.

Kept apart from ``harness.py`` (the machinery) so the scenarios read as stories: the orchestrator
starts the integration-engineer, the subagent works, answers, and the test checks what each
side of the model was told and what is left on disk and in git.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from tests.e2e.harness import (
    AGENT_TYPE,
    ROOT,
    VALID_PROMPT,
    WORKTREE_NAME,
    ClaudeRun,
    Sandbox,
    copy_checkout,
    git,
    plugin_under_test,
)
from tests.e2e.model_server import ModelRequest, Side, ToolResult, ToolUse

T = TypeVar("T")
WORKTREE_ARG = f"./trees/{WORKTREE_NAME}"
# The reference agent's error lines, exactly as the orchestrator must receive them.
ERR_WORKTREE = "ERROR: Worktree path required (e.g., ./trees/PROJ-123-integration)"
BLOCKED = "integration-engineer: your final answer was not accepted"
HANDOFF = "integration-engineer hand-off"
# A guard that crashed or could not be imported refuses too (fail closed); these words say so.
GUARD_BROKEN = ("internal error in the guard", "the hook could not run", "No module named")


def start_agent(prompt: str = VALID_PROMPT, **extra: Any) -> ToolUse:
    """The orchestrator's Agent call for our subagent (``run_in_background`` left to the hook
    unless given: it forces the foreground)."""
    return ToolUse("Agent", {"description": "Stripe webhooks", "prompt": prompt, "subagent_type": AGENT_TYPE, **extra})


def answer(files_modified: Sequence[str] = (), **extra: Any) -> str:
    """A final answer of the subagent: the contract's five keys, plus ``extra`` keys."""
    return json.dumps(
        {
            "task_id": "PROJ-123",
            "worktree_path": WORKTREE_ARG,
            "work_completed": "Added the Stripe webhook receiver with signature verification.",
            "files_modified": list(files_modified),
            "unfinished": [],
            **extra,
        }
    )


def bash(command: str, description: str = "run a command") -> ToolUse:
    return ToolUse("Bash", {"command": command, "description": description})


def only(items: Sequence[T], what: str, run: ClaudeRun) -> T:
    assert len(items) == 1, f"expected exactly one {what}, got {len(items)}\n{run.describe()}"
    return items[0]


def result_of(run: ClaudeRun, side: Side, call: int) -> ToolResult:
    """The tool result of the ``call``-th tool call (0-based) the server made for a side."""
    uses = run.server.tool_uses(side)
    assert len(uses) > call, f"{side} made {len(uses)} tool call(s)\n{run.describe()}"
    wanted = uses[call]["id"]
    found = [r for r in run.server.tool_results(side) if r.tool_use_id == wanted]
    return only(found, f"result of {side} tool call {call} ({uses[call]['name']})", run)


def refused_result(run: ClaudeRun, side: Side, call: int, tool: str) -> ToolResult:
    """The result of a tool call our guard refused: a PreToolUse hook error from a guard that
    worked (not one that crashed or could not be imported)."""
    refused = result_of(run, side, call)
    assert refused.is_error, refused
    assert refused.content.startswith(f"PreToolUse:{tool} hook error:"), refused.content
    assert not any(words in refused.content for words in GUARD_BROKEN), refused.content
    return refused


def request_at(run: ClaudeRun, side: Side, turn: int) -> ModelRequest:
    """The request that was answered with turn ``turn`` of a side's script."""
    found = [r for r in run.server.turns(side) if r.turn == turn]
    return only(found, f"{side} request for turn {turn}", run)


def new_system_texts(run: ClaudeRun, side: Side, turn: int) -> list[str]:
    """System texts first seen in the request for ``turn`` (what arrived since the turn before)."""
    before: set[str] = set()
    for request in run.server.turns(side):
        if request.turn >= 0 and request.turn < turn:
            before.update(request.system_texts())
    return [t for t in request_at(run, side, turn).system_texts() if t not in before]


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def log_subjects(repo: Path, ref: str = "HEAD") -> list[str]:
    return git(repo, "log", "--format=%s", ref).splitlines()


def status(repo: Path) -> list[str]:
    return git(repo, "status", "--porcelain", "--untracked-files=all").splitlines()


def decisions(sandbox: Sandbox, event: str, tool: str | None = None) -> list[dict[str, Any]]:
    """Decision-log entries of one event (and tool), oldest first."""
    from tests.e2e.harness import decision_log_entries

    return [
        e
        for e in decision_log_entries(sandbox.plugin_data)
        if e.get("event") == event and (tool is None or e.get("tool") == tool)
    ]


# ------------------------------------------------------------------ the ways to give a worktree

TOLD_WORKTREE = re.compile(r"- Worktree: (\S+) \(given as (\S+)\)")
ISOLATION_PROMPT = "TASK: PROJ-123, DESCRIPTION: Integrate Stripe payment webhooks with signature checks and retries"


def told_worktree(request: ModelRequest) -> tuple[str, str]:
    """The worktree the agent was told at its start: (resolved path, as given)."""
    for text in request.system_texts():
        found = TOLD_WORKTREE.search(text)
        if found:
            return found.group(1), found.group(2)
    raise AssertionError("the agent was not told its worktree: " + "\n".join(request.system_texts()))


def write_in_told_worktree(relative: str, content: str) -> Callable[[ModelRequest], ToolUse]:
    """A subagent turn: Write ``relative`` inside the worktree it was told."""

    def turn(request: ModelRequest) -> ToolUse:
        return ToolUse("Write", {"file_path": told_worktree(request)[0] + "/" + relative, "content": content})

    return turn


def answer_for_told_worktree(files_modified: Sequence[str] = ()) -> Callable[[ModelRequest], str]:
    """A subagent's final answer naming the worktree it was told, as it was given."""

    def turn(request: ModelRequest) -> str:
        return answer(files_modified, worktree_path=told_worktree(request)[1])

    return turn


def handoff_text(run: ClaudeRun) -> str:
    """The hand-off the orchestrator received after the agent returned (exactly one)."""
    told = [t for t in run.server.system_texts("orchestrator") if HANDOFF in t]
    return only(told, "hand-off to the orchestrator", run)


def isolation_worktrees(project: Path) -> list[Path]:
    """The worktrees Claude Code made for isolated agents (``.claude/worktrees/agent-*``)."""
    return sorted((project / ".claude" / "worktrees").glob("agent-*"))


def plugin_copy(target: Path, frontmatter: str = "") -> Path:
    """A copy of this plugin whose agent definition has ``frontmatter`` lines added (e.g.
    ``isolation: worktree``); the development venv is linked, so the hooks start as from here."""
    source = plugin_under_test()
    copy = copy_checkout(source, target)
    venv = next((v for v in (source / ".venv", ROOT / ".venv") if v.is_dir()), None)
    if venv is not None:
        (copy / ".venv").symlink_to(venv)
    agent = copy / "agents" / "integration-engineer.md"
    head_, sep, body = agent.read_text().partition("\n---\n")
    assert sep, f"{agent} has no frontmatter"
    agent.write_text(head_ + "\n" + frontmatter.strip() + "\n---\n" + body)
    return copy
