"""Scenario 5 inside the real CLI: the tool artifacts the subagent creates in its worktree (caches,
coverage, byte code) are gone once it stops; a tracked file that matches an artifact pattern
(``junit.xml``, committed on the worktree's branch before the run) and every other tracked file
stay as they were, and an artifact in the main working tree is not ours to remove."""

from __future__ import annotations

import json

import pytest

from tests.e2e.harness import ClaudeRun, Sandbox, git
from tests.e2e.steps import (
    BLOCKED,
    HANDOFF,
    answer,
    bash,
    decisions,
    head,
    result_of,
    start_agent,
    status,
)

pytestmark = pytest.mark.e2e

JUNIT = '<testsuite name="shop" tests="1"><testcase name="t"/></testsuite>\n'
ARTIFACTS = (".pytest_cache", "src/__pycache__", "coverage", ".coverage")
MAKE_ARTIFACTS = (
    "cd trees/PROJ-123-stripe && mkdir -p .pytest_cache src/__pycache__ coverage"
    " && touch .coverage src/__pycache__/app.cpython-311.pyc"
    " .pytest_cache/CACHEDIR.TAG coverage/lcov.info"
)
LIST = "ls -A trees/PROJ-123-stripe trees/PROJ-123-stripe/src"


@pytest.fixture(scope="module")
def sandbox(module_sandbox: Sandbox) -> Sandbox:
    box = module_sandbox
    (box.worktree / "junit.xml").write_text(JUNIT)
    git(box.worktree, "add", "junit.xml")
    git(box.worktree, "commit", "-q", "-m", "track the junit report")
    (box.project / ".coverage").write_text("the user's own coverage data\n")
    return box


@pytest.fixture(scope="module")
def before(sandbox: Sandbox) -> dict[str, object]:
    return {
        "worktree_head": head(sandbox.worktree),
        "project_head": head(sandbox.project),
        "worktree_status": status(sandbox.worktree),
        "tracked": {name: (sandbox.worktree / name).read_bytes() for name in git(sandbox.worktree, "ls-files").split()},
    }


@pytest.fixture(scope="module")
def run(sandbox: Sandbox, before: dict[str, object]) -> ClaudeRun:
    return sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[start_agent(), "Done."],
        subagent=[bash(MAKE_ARTIFACTS, "what a test run leaves"), bash(LIST, "look"), answer([])],
    )


def test_the_cli_finishes_cleanly(run: ClaudeRun) -> None:
    assert run.exit_code == 0, run.describe()
    assert not run.server.errors, run.describe()


def test_the_subagent_created_the_artifacts(run: ClaudeRun) -> None:
    made = result_of(run, "subagent", 0)
    assert not made.is_error, made
    listing = result_of(run, "subagent", 1)
    assert not listing.is_error, listing
    names = set(listing.content.split())
    assert {".pytest_cache", "coverage", ".coverage", "junit.xml", "__pycache__"} <= names, listing.content


def test_the_artifacts_are_gone_after_it_stopped(run: ClaudeRun, sandbox: Sandbox) -> None:
    left = [rel for rel in ARTIFACTS if (sandbox.worktree / rel).exists()]
    assert not left, (left, run.describe())


def test_tracked_files_are_intact(run: ClaudeRun, sandbox: Sandbox, before: dict[str, object]) -> None:
    assert (sandbox.worktree / "junit.xml").read_text() == JUNIT
    tracked = before["tracked"]
    assert isinstance(tracked, dict) and "junit.xml" in tracked, tracked
    for name, content in tracked.items():
        assert (sandbox.worktree / name).read_bytes() == content, name
    assert status(sandbox.worktree) == before["worktree_status"] == [], run.describe()
    assert head(sandbox.worktree) == before["worktree_head"]
    assert head(sandbox.project) == before["project_head"]


def test_the_main_trees_artifact_stays(run: ClaudeRun, sandbox: Sandbox) -> None:
    assert (sandbox.project / ".coverage").read_text() == "the user's own coverage data\n"


def test_the_cleanup_is_recorded_and_the_answer_accepted(run: ClaudeRun, sandbox: Sandbox) -> None:
    assert [e.get("decision") for e in decisions(sandbox, "SubagentStop")] == ["pass"]
    assert not [t for t in run.server.system_texts("subagent") if BLOCKED in t], run.describe()
    records = list((sandbox.plugin_data / "results").glob("*/agent-*.json"))
    assert len(records) == 1, (records, run.describe())
    cleanup = json.loads(records[0].read_text())["cleanup"]
    removed = {str(e.get("path")).rstrip("/") for e in cleanup.get("removed") or []}
    assert removed == set(ARTIFACTS), cleanup
    kept = {str(e.get("path")): str(e.get("reason")) for e in cleanup.get("kept") or []}
    assert "tracked" in kept.get("junit.xml", ""), cleanup
    handoff = [t for t in run.server.system_texts("orchestrator") if HANDOFF in t]
    assert handoff, run.describe()
    assert f"Cleanup: {len(ARTIFACTS)} artifact path(s) removed" in handoff[0], handoff[0]
    assert "junit.xml" in handoff[0], handoff[0]
