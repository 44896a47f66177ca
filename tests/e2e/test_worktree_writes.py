"""Scenario 3 inside the real CLI: the subagent's Write inside its worktree lands; a Write into the
main working tree and a report file inside the worktree are refused, the refusals reach the
subagent, and neither file exists afterwards."""

from __future__ import annotations

import os

import pytest

from tests.e2e.harness import AGENT_TYPE, ClaudeRun, Sandbox
from tests.e2e.model_server import ToolUse
from tests.e2e.steps import (
    BLOCKED,
    answer,
    decisions,
    head,
    refused_result,
    result_of,
    start_agent,
    status,
)

pytestmark = pytest.mark.e2e

CODE = "def verify(signature):\n    return bool(signature)\n"


@pytest.fixture(scope="module")
def sandbox(module_sandbox: Sandbox) -> Sandbox:
    return module_sandbox


@pytest.fixture(scope="module")
def heads(sandbox: Sandbox) -> tuple[str, str]:
    return head(sandbox.project), head(sandbox.worktree)


@pytest.fixture(scope="module")
def run(sandbox: Sandbox, heads: tuple[str, str]) -> ClaudeRun:
    def write(path: str, content: str) -> ToolUse:
        return ToolUse("Write", {"file_path": path, "content": content})

    return sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[start_agent(), "Done."],
        subagent=[
            write(str(sandbox.worktree / "src" / "signature.py"), CODE),
            write(str(sandbox.project / "src" / "signature.py"), CODE),
            write(str(sandbox.worktree / "INTEGRATION_REPORT.md"), "# Report\nAll good.\n"),
            answer(["src/signature.py"]),
        ],
    )


def test_the_cli_finishes_cleanly(run: ClaudeRun) -> None:
    assert run.exit_code == 0, run.describe()
    assert not run.server.errors, run.describe()
    assert len(run.hooks("PreToolUse", "Write", agent_type=AGENT_TYPE)) == 3, run.describe()


def test_a_write_inside_the_worktree_lands(run: ClaudeRun, sandbox: Sandbox) -> None:
    landed = result_of(run, "subagent", 0)
    assert not landed.is_error, landed
    assert (sandbox.worktree / "src" / "signature.py").read_text() == CODE


def test_a_write_into_the_main_tree_is_refused(run: ClaudeRun, sandbox: Sandbox) -> None:
    refused = refused_result(run, "subagent", 1, "Write")
    assert "outside the worktree" in refused.content, refused.content
    assert str(sandbox.project / "src" / "signature.py") in refused.content, refused.content
    assert os.path.realpath(sandbox.worktree) in refused.content, refused.content
    assert not (sandbox.project / "src" / "signature.py").exists()


def test_a_report_file_is_refused(run: ClaudeRun, sandbox: Sandbox) -> None:
    refused = refused_result(run, "subagent", 2, "Write")
    assert "INTEGRATION_REPORT.md" in refused.content, refused.content
    assert "narrative_report" in refused.content, refused.content
    assert not (sandbox.worktree / "INTEGRATION_REPORT.md").exists()


def test_the_denials_are_logged_by_their_policies(run: ClaudeRun, sandbox: Sandbox) -> None:
    writes = decisions(sandbox, "PreToolUse", "Write")
    assert [e.get("decision") for e in writes] == ["pass", "deny", "deny"], writes
    assert "isolation" in str(writes[1].get("policy")), writes[1]
    assert "report_files" in str(writes[2].get("policy")), writes[2]


def test_only_the_worktree_changed_and_the_answer_was_accepted(
    run: ClaudeRun, sandbox: Sandbox, heads: tuple[str, str]
) -> None:
    assert status(sandbox.worktree) == ["?? src/signature.py"], run.describe()
    assert status(sandbox.project) == [], run.describe()
    assert (head(sandbox.project), head(sandbox.worktree)) == heads
    assert not [t for t in run.server.system_texts("subagent") if BLOCKED in t], run.describe()
    assert [e.get("decision") for e in decisions(sandbox, "SubagentStop")] == ["pass"]
