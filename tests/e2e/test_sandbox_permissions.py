"""The user's permission rules keep their meaning for a guarded agent's sandboxed commands, in the
real CLI, in the default permission mode (``-p``, so an "ask" is refused: nobody can answer it).

Claude Code matches its rules against the command it runs, and ours runs inside bwrap
(test_cli_facts.py shows it); so the plugin judges the command the agent asked for against the
user's rules itself. Each outcome is checked by its effect: the allowed ``npm test`` runs (inside
the sandbox: its script records ``$IE_SANDBOX``), the denied ``curl``, the asked ``git status``
and the ``touch`` no rule allows do not run.
"""

from __future__ import annotations

import json

import pytest

from tests.e2e.harness import WORKTREE_NAME, ClaudeRun, Sandbox
from tests.e2e.steps import answer, bash, decisions, result_of, start_agent

pytestmark = pytest.mark.e2e

RULES = {"permissions": {"allow": ["Bash(npm test:*)"], "ask": ["Bash(git status:*)"], "deny": ["Bash(curl:*)"]}}
CD = f"cd trees/{WORKTREE_NAME} && "
# (the agent's command, the user's rule that decides it, does it run)
CALLS = [
    (CD + "npm test", "allow", True),
    (CD + "curl -s -o ran-curl file:///etc/hostname", "deny", False),
    (CD + "git status", "ask", False),
    (CD + "touch ran-none", "none", False),
]


@pytest.fixture(scope="module")
def sandbox(module_sandbox: Sandbox) -> Sandbox:
    box = module_sandbox
    (box.project / ".claude").mkdir(exist_ok=True)
    (box.project / ".claude" / "settings.json").write_text(json.dumps(RULES))
    package = {"name": "shop", "version": "1.0.0", "scripts": {"test": 'echo "$IE_SANDBOX" > ran-npm'}}
    (box.worktree / "package.json").write_text(json.dumps(package))
    return box


@pytest.fixture(scope="module")
def run(sandbox: Sandbox) -> ClaudeRun:
    return sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[start_agent(), "Done."],
        subagent=[*(bash(command) for command, _, _ in CALLS), answer(["package.json"])],
        args=("--permission-mode", "default"),
        skip_permissions=False,
        timeout=120,
    )


def test_the_agent_ran_in_the_default_permission_mode(run: ClaudeRun) -> None:
    assert run.exit_code == 0, run.describe()
    modes = {p.get("permission_mode") for p in run.hooks("PreToolUse", "Bash")}
    assert modes == {"default"}, modes
    assert len(run.server.tool_uses("subagent")) == len(CALLS), run.describe()


def test_an_allowed_command_runs_inside_the_sandbox(run: ClaudeRun, sandbox: Sandbox) -> None:
    result = result_of(run, "subagent", 0)
    assert not result.is_error, result.content
    assert (sandbox.worktree / "ran-npm").read_text().strip() == "bwrap", run.describe()


@pytest.mark.parametrize("call", [1, 2, 3], ids=[c[1] for c in CALLS[1:]])
def test_a_denied_asked_or_unallowed_command_does_not_run(run: ClaudeRun, sandbox: Sandbox, call: int) -> None:
    result = result_of(run, "subagent", call)
    assert result.is_error, result.content
    assert not (sandbox.worktree / "ran-curl").exists()
    assert not (sandbox.worktree / "ran-none").exists()
    posts = [p["tool_input"]["command"] for p in run.hooks("PostToolUse", "Bash")]
    assert len(posts) == 1, posts  # only the allowed npm test ran


def test_the_deny_names_the_users_rule(run: ClaudeRun) -> None:
    result = result_of(run, "subagent", 1)
    assert "Bash(curl:*)" in result.content and "denied" in result.content, result.content


def test_the_decision_log_records_what_the_rules_said(run: ClaudeRun, sandbox: Sandbox) -> None:
    logged = [e for e in decisions(sandbox, "PreToolUse", "Bash") if e.get("agent_type")]
    assert [e.get("decision") for e in logged] == ["allow", "deny", "ask", "ask"], logged


@pytest.mark.parametrize(("call", "why"), [(2, "your rule Bash(git status:*)"), (3, "no permission rule allows it")])
def test_the_agent_is_told_why_it_was_asked(run: ClaudeRun, call: int, why: str) -> None:
    result = result_of(run, "subagent", call)
    assert "inside the sandbox" in result.content and why in result.content, result.content
