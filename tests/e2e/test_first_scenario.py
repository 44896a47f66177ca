"""First scenario inside the real CLI: the orchestrator starts our subagent, which runs ``ls`` and
answers a valid JSON object. Claude Code itself starts our hooks from hooks/hooks.json; the test
sees the payloads they received, what each side of the model was sent, and the decision log in
the plugin data directory Claude Code chose."""

from __future__ import annotations

import json
import os
from typing import TypeVar

import pytest

from tests.e2e.harness import AGENT_TYPE, VALID_PROMPT, ClaudeRun, Sandbox, decision_log_entries
from tests.e2e.model_server import ToolUse

pytestmark = pytest.mark.e2e

FINAL_ANSWER = json.dumps(
    {
        "task_id": "PROJ-123",
        "worktree_path": "./trees/PROJ-123-stripe",
        "work_completed": "Looked at the project layout before integrating Stripe webhooks.",
        "files_modified": [],
        "unfinished": [],
    }
)
START_AGENT = ToolUse(
    "Agent",
    {
        "description": "Stripe webhooks",
        "prompt": VALID_PROMPT,
        "subagent_type": AGENT_TYPE,
        "run_in_background": False,
    },
)
LIST_FILES = ToolUse("Bash", {"command": "ls", "description": "List the project files"})


T = TypeVar("T")


def only(items: list[T], what: str, run: ClaudeRun) -> T:
    assert len(items) == 1, f"expected exactly one {what}, got {len(items)}\n{run.describe()}"
    return items[0]


@pytest.fixture(scope="module")
def sandbox(module_sandbox: Sandbox) -> Sandbox:
    return module_sandbox


@pytest.fixture(scope="module")
def run(sandbox: Sandbox) -> ClaudeRun:
    return sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[START_AGENT, "The integration engineer finished."],
        subagent=[LIST_FILES, FINAL_ANSWER],
    )


def test_the_cli_finishes_cleanly(run: ClaudeRun) -> None:
    assert run.exit_code == 0, run.describe()
    assert run.result.get("is_error") is False, run.describe()
    assert run.result.get("result") == "The integration engineer finished.", run.describe()
    assert not run.server.errors, run.describe()


def test_hooks_receive_the_real_payloads_in_order(run: ClaudeRun, sandbox: Sandbox) -> None:
    agent_call, bash_call = (run.server.tool_uses("orchestrator")[0], run.server.tool_uses("subagent")[0])

    pre_agent = only(run.hooks("PreToolUse", "Agent"), "PreToolUse Agent", run)
    assert "agent_type" not in pre_agent and "agent_id" not in pre_agent, pre_agent
    assert pre_agent["tool_use_id"] == agent_call["id"]
    assert pre_agent["tool_input"]["subagent_type"] == AGENT_TYPE
    assert pre_agent["tool_input"]["prompt"] == VALID_PROMPT

    start = only(run.hooks("SubagentStart"), "SubagentStart", run)
    assert start["agent_type"] == AGENT_TYPE
    agent_id = start["agent_id"]
    assert isinstance(agent_id, str) and agent_id

    pre_bash = only(run.hooks("PreToolUse", "Bash"), "PreToolUse Bash", run)
    assert pre_bash["agent_type"] == AGENT_TYPE and pre_bash["agent_id"] == agent_id
    assert pre_bash["tool_use_id"] == bash_call["id"]
    assert pre_bash["tool_input"]["command"] == "ls"

    stop = only(run.hooks("SubagentStop"), "SubagentStop", run)
    assert stop["agent_type"] == AGENT_TYPE and stop["agent_id"] == agent_id
    assert stop["stop_hook_active"] is False
    assert json.loads(stop["last_assistant_message"]) == json.loads(FINAL_ANSWER)
    assert stop["agent_transcript_path"].endswith(f"agent-{agent_id}.jsonl")

    order = [run.payloads.index(p) for p in (pre_agent, start, pre_bash, stop)]
    assert order == sorted(order), run.describe()

    project = os.path.realpath(sandbox.project)
    for payload in run.payloads:
        assert payload["session_id"] == run.result["session_id"], payload
        assert os.path.realpath(payload["cwd"]) == project, payload


def test_the_model_sides_were_told_what_happened(run: ClaudeRun, sandbox: Sandbox) -> None:
    subagent_requests = run.server.turns("subagent")
    assert len(subagent_requests) >= 2, run.describe()
    # The orchestrator's prompt (possibly completed by our hook, never lost) is the subagent's task.
    assert any(VALID_PROMPT in text for text in subagent_requests[0].user_texts()), run.describe()

    listing = only(run.server.tool_results("subagent"), "Bash result", run)
    assert listing.is_error is False, listing
    assert set(listing.content.split()) == {name for name in os.listdir(sandbox.project) if not name.startswith(".")}

    handed_back = [
        r
        for r in run.server.tool_results("orchestrator")
        if r.tool_use_id == run.server.tool_uses("orchestrator")[0]["id"]
    ]
    assert handed_back and not handed_back[0].is_error, run.describe()
    assert '"task_id": "PROJ-123"' in handed_back[0].content, handed_back[0].content


def test_decisions_are_logged_in_the_plugin_data_dir_claude_code_chose(run: ClaudeRun, sandbox: Sandbox) -> None:
    entries = decision_log_entries(sandbox.plugin_data)
    seen = {(e.get("event"), e.get("tool") or None, e.get("agent_type") or None) for e in entries}
    assert ("PreToolUse", "Agent", None) in seen, (sandbox.plugin_data, entries, run.describe())
    assert ("PreToolUse", "Bash", AGENT_TYPE) in seen, entries
    assert ("SubagentStop", None, AGENT_TYPE) in seen, entries
    assert not [e for e in entries if e.get("decision") == "error"], entries
