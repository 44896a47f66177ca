"""Inside the real CLI: what a command runs from disk is checked too. The subagent writes a
script with its Write tool and runs it in a later Bash call, and runs a Makefile target whose
recipe pushes; both are refused naming the git operation, nothing is committed, and a harmless
Makefile target still runs.
"""

from __future__ import annotations

import pytest

from tests.e2e.harness import AGENT_TYPE, ClaudeRun, Sandbox
from tests.e2e.model_server import ToolUse
from tests.e2e.steps import (
    answer,
    bash,
    decisions,
    head,
    log_subjects,
    refused_result,
    result_of,
    start_agent,
)

pytestmark = pytest.mark.e2e

SCRIPT = "#!/bin/sh\ngit add -A\ngit commit -qm 'ship it'\n"
MAKEFILE = "GIT = git\ncheck:\n\t@echo checked\nrelease: check\n\t$(GIT) push origin HEAD\n"


@pytest.fixture(scope="module")
def sandbox(module_sandbox: Sandbox) -> Sandbox:
    (module_sandbox.worktree / "Makefile").write_text(MAKEFILE)  # there before the agent starts
    return module_sandbox


@pytest.fixture(scope="module")
def before(sandbox: Sandbox) -> tuple[str, list[str]]:
    return head(sandbox.worktree), log_subjects(sandbox.worktree)


@pytest.fixture(scope="module")
def run(sandbox: Sandbox, before: tuple[str, list[str]]) -> ClaudeRun:
    worktree = sandbox.worktree
    return sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[start_agent(), "Done."],
        subagent=[
            ToolUse("Write", {"file_path": str(worktree / "ship.sh"), "content": SCRIPT}),
            bash(f"cd {worktree} && sh ship.sh", "ship"),
            bash(f"make -C {worktree} release", "release"),
            bash(f"make -C {worktree} check", "check"),
            answer(["ship.sh"]),
        ],
    )


def test_the_cli_finishes_cleanly(run: ClaudeRun) -> None:
    assert run.exit_code == 0, run.describe()
    assert not run.server.errors, run.describe()
    assert len(run.hooks("PreToolUse", "Bash", agent_type=AGENT_TYPE)) == 3, run.describe()


@pytest.mark.parametrize(
    ("call", "operation", "through"),
    [(1, "git add", "sh ship.sh"), (1, "git commit", "sh ship.sh"), (2, "git push", "make recipe")],
)
def test_what_the_files_run_is_refused(run: ClaudeRun, call: int, operation: str, through: str) -> None:
    refused = refused_result(run, "subagent", call, "Bash")
    assert operation in refused.content and through in refused.content, refused.content


def test_a_harmless_target_runs(run: ClaudeRun) -> None:
    checked = result_of(run, "subagent", 3)
    assert not checked.is_error, checked
    assert "checked" in checked.content, checked.content


def test_the_script_was_written_and_nothing_committed(
    run: ClaudeRun, sandbox: Sandbox, before: tuple[str, list[str]]
) -> None:
    assert (sandbox.worktree / "ship.sh").read_text() == SCRIPT
    assert (head(sandbox.worktree), log_subjects(sandbox.worktree)) == before, run.describe()


def test_the_answer_is_accepted_with_the_makefile_as_baseline(run: ClaudeRun, sandbox: Sandbox) -> None:
    # The Makefile was there when the agent started (SubagentStart recorded it): not its change.
    stops = decisions(sandbox, "SubagentStop")
    assert [e.get("decision") for e in stops] == ["pass"], stops
