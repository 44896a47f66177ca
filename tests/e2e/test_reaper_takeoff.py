"""Reaper as it calls a coding agent today (SpiceLabsHQ/Reaper ``commands/takeoff.md``), in the real
CLI (issue 15): its deployment template (TASK, WORKTREE naming the session worktree
``.claude/worktrees/RPR-7-work``, BRIEF, SCOPE, RESTRICTION) with ``isolation: "worktree"`` on the
call, its ``.reaper.yml``, and ``quality_gates: "reaper"``. The agent writes inside SCOPE; a shell
write outside SCOPE (inside its worktree) is refused and the file is not made; its answer in
Reaper's shape (``worktreePath``, ``narrative_report`` as an object) is accepted at once; the
hand-off names Reaper's gates, retry limits, autonomy rule and the session worktree."""

from __future__ import annotations

import json

import pytest

from tests.e2e.harness import ClaudeRun, Sandbox
from tests.e2e.model_server import ModelRequest, ToolUse
from tests.e2e.steps import (
    handoff_text,
    isolation_worktrees,
    refused_result,
    result_of,
    start_agent,
    told_worktree,
)
from tests.helpers import git

pytestmark = pytest.mark.e2e

# Reaper's Agent Deployment Template, line for line.
PROMPT = (
    "TASK: RPR-7\n"
    "WORKTREE: .claude/worktrees/RPR-7-work\n"
    "BRIEF: Implement OAuth2 authentication flow with Google and GitHub providers\n"
    "SCOPE: src/auth/** tests/auth/**\n"
    "RESTRICTION: Do NOT modify user management or database modules"
)
REAPER_YML = "version: 1\nworktrees:\n  base_path: .claude/worktrees\n  naming_pattern: '{task_id}-{slug}'\n"
CODE = "def authorize_url(state):\n    return 'https://accounts.google.com/o/oauth2/auth?state=' + state\n"


@pytest.fixture(scope="module")
def run(module_sandbox: Sandbox) -> ClaudeRun:
    sandbox = module_sandbox
    (sandbox.project / ".reaper.yml").write_text(REAPER_YML)
    git(sandbox.project, "add", ".reaper.yml")
    git(sandbox.project, "commit", "-q", "-m", "reaper config")
    # Reaper's branch manager makes the session worktree first (layer 1 of its two-layer model).
    session = sandbox.project / ".claude" / "worktrees" / "RPR-7-work"
    git(sandbox.project, "worktree", "add", "-q", "-b", "feature/RPR-7", str(session))
    sandbox.write_config({"quality_gates": "reaper"})

    def write_in_scope(request: ModelRequest) -> ToolUse:
        return ToolUse("Write", {"file_path": told_worktree(request)[0] + "/src/auth/google.py", "content": CODE})

    def write_outside_scope(request: ModelRequest) -> ToolUse:
        target = told_worktree(request)[0] + "/users.py"
        return ToolUse("Bash", {"command": f"echo 'ADMINS = []' > {target}", "description": "write"})

    def finish(request: ModelRequest) -> str:
        return json.dumps(
            {
                "task_id": "RPR-7",
                "worktreePath": told_worktree(request)[0],
                "work_completed": "Added the Google OAuth2 authorization URL with a state parameter.",
                "files_modified": ["src/auth/google.py"],
                "unfinished": [],
                "narrative_report": {
                    "summary": "Google OAuth2 authorization URL with CSRF state.",
                    "details": "GitHub provider follows in the next unit.",
                },
            }
        )

    return sandbox.run(
        "/reaper:takeoff RPR-7",
        orchestrator=[start_agent(PROMPT, isolation="worktree", description="Implement OAuth2 feature"), "Done."],
        subagent=[write_in_scope, write_outside_scope, finish],
    )


def test_the_agent_writes_only_inside_scope(run: ClaudeRun, module_sandbox: Sandbox) -> None:
    assert run.exit_code == 0, run.describe()
    made = isolation_worktrees(module_sandbox.project)
    assert len(made) == 1, run.describe()
    assert (made[0] / "src" / "auth" / "google.py").read_text() == CODE
    refused = refused_result(run, "subagent", 1, "Bash")
    assert "SCOPE (src/auth/** tests/auth/**" in refused.content, refused.content
    assert "users.py is outside the SCOPE" in refused.content, refused.content
    assert not (made[0] / "users.py").exists()  # the effect: the command never ran
    session = module_sandbox.project / ".claude" / "worktrees" / "RPR-7-work"
    assert git(session, "status", "--porcelain") == ""  # the merge target is the branch manager's to change
    assert not (session / "src" / "auth").exists()


def test_the_agent_is_told_its_scope_and_session_worktree(run: ClaudeRun, module_sandbox: Sandbox) -> None:
    first = next(r for r in run.server.requests if r.side == "subagent")
    told = "\n".join(first.system_texts())
    scope = "- SCOPE: you may write only the files these globs name, relative to your worktree: "
    assert scope + "src/auth/** tests/auth/**" in told, told
    assert "- RESTRICTION: Do NOT modify user management or database modules" in told, told
    session = (module_sandbox.project / ".claude" / "worktrees" / "RPR-7-work").resolve()
    assert f"Session worktree: {session}" in told, told


def test_reapers_answer_is_accepted_and_the_handoff_names_its_gates(run: ClaudeRun, module_sandbox: Sandbox) -> None:
    assert len(run.hooks("SubagentStop")) == 1, run.describe()  # accepted at once: not sent back
    text = handoff_text(run)
    session = (module_sandbox.project / ".claude" / "worktrees" / "RPR-7-work").resolve()
    assert "checked and accepted" in text, text
    assert f"Session worktree (the work is merged into it): {session}" in text, text
    assert "Gate 1 (blocking): reaper:test-runner" in text, text
    assert "the work-type experts" in text and "reaper:security-auditor" in text, text
    assert "reaper:test-runner 3, Gate 2 reviewer 1, reaper:security-auditor 1" in text, text
    assert f"into the session worktree {session} without asking the user" in text, text
    assert "Ask the user before merging into the base branch" in text, text
    assert "CONFLICT" not in run.describe(), run.describe()


def test_without_isolation_reapers_base_path_is_the_root(sandbox: Sandbox) -> None:
    """The same template without isolation: the WORKTREE is the agent's own worktree, accepted under
    ``.reaper.yml``'s ``worktrees.base_path`` (no ``worktree_root`` in the plugin's file)."""
    (sandbox.project / ".reaper.yml").write_text(REAPER_YML)
    session = sandbox.project / ".claude" / "worktrees" / "RPR-7-work"
    git(sandbox.project, "worktree", "add", "-q", "-b", "feature/RPR-7", str(session))
    run = sandbox.run(
        "/reaper:takeoff RPR-7",
        orchestrator=[start_agent(PROMPT, description="Implement OAuth2 feature"), "Done."],
        subagent=[
            ToolUse("Write", {"file_path": str(session / "src" / "auth" / "google.py"), "content": CODE}),
            json.dumps(
                {
                    "task_id": "RPR-7",
                    "worktreePath": ".claude/worktrees/RPR-7-work",
                    "work_completed": "Added the Google OAuth2 authorization URL with a state parameter.",
                    "files_modified": ["src/auth/google.py"],
                    "unfinished": [],
                    "narrative_report": "Google OAuth2 authorization URL with CSRF state.",
                }
            ),
        ],
    )
    assert run.exit_code == 0, run.describe()
    launched = result_of(run, "orchestrator", 0)
    assert not launched.is_error, launched.content  # without .reaper.yml: not under ./trees/
    assert len(run.hooks("SubagentStop")) == 1, run.describe()
    assert (session / "src" / "auth" / "google.py").read_text() == CODE
    assert not isolation_worktrees(sandbox.project)
    assert "checked and accepted" in handoff_text(run)
