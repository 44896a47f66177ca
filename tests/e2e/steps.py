"""Building blocks shared by the scenario tests: the Agent call, final answers, lookups.

Kept apart from ``harness.py`` (the machinery) so the scenarios read as stories: the orchestrator
starts the integration-engineer, the subagent works, answers, and the test checks what each
side of the model was told and what is left on disk and in git.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from tests.e2e.harness import AGENT_TYPE, VALID_PROMPT, WORKTREE_NAME, ClaudeRun, Sandbox, git
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
