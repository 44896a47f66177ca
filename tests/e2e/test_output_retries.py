"""Scenario 6 inside the real CLI: the end-of-run check of the subagent's answer.

- Sent back and corrected: an answer with an extra ``test_results`` key, then one whose
  ``files_modified`` misses the file it wrote, each come back to the subagent in its very next
  request naming the problem (SubagentStop ``decision: block``); the corrected answer is accepted
  and the orchestrator gets it.
- Released: with ``max_output_retries: 2`` an agent that only ever answers prose is sent back
  twice, then let go on its third stop. The user is told by a ``systemMessage``: Claude Code
  records it in the subagent's transcript as a ``hook_system_message`` (the interactive UI
  shows it; ``-p`` output does not carry it, observed with 2.1.332). The orchestrator is told
  through the hand-off that the output failed, with the problems to send back.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.e2e.harness import ClaudeRun, Sandbox, hook_attachments
from tests.e2e.model_server import ModelServer, ToolUse
from tests.e2e.steps import (
    BLOCKED,
    HANDOFF,
    answer,
    decisions,
    head,
    new_system_texts,
    result_of,
    start_agent,
    status,
)

pytestmark = pytest.mark.e2e

HANDLER = "def handle(event):\n    return 'ok'\n"
PROSE = ["All done, the webhook works.", "Really, it is done.", "Done, trust me."]
NEVER = "a fourth answer that must never be asked for"


def results_records(sandbox: Sandbox) -> list[dict[str, object]]:
    found = []
    for path in (sandbox.plugin_data / "results").glob("*/agent-*.json"):
        value = json.loads(path.read_text())
        if isinstance(value, dict):
            found.append(value)
    return found


def sent_back(run: ClaudeRun, turn: int) -> dict[int, str]:
    """The block reasons that first reached the subagent in its request for ``turn``, by their
    count ("sent back N of at most M times"); one system text may carry several reasons."""
    found: dict[int, str] = {}
    for text in new_system_texts(run, "subagent", turn):
        for part in text.split(BLOCKED)[1:]:
            match = re.match(r" \(sent back (\d+) of at most \d+ times\)", part)
            if match:
                found[int(match.group(1))] = part
    return found


# ------------------------------------------------------------------ sent back, then corrected


@pytest.fixture(scope="module")
def sandbox(module_sandbox: Sandbox) -> Sandbox:
    return module_sandbox


@pytest.fixture(scope="module")
def corrected(sandbox: Sandbox) -> ClaudeRun:
    write = ToolUse("Write", {"file_path": str(sandbox.worktree / "src" / "webhooks.py"), "content": HANDLER})
    return sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[start_agent(), "Handed over."],
        subagent=[
            write,
            answer(["src/webhooks.py"], test_results={"passed": 12, "failed": 0}),
            answer([]),
            answer(["src/webhooks.py"]),
        ],
        subagent_final=NEVER,
    )


def test_each_bad_answer_is_sent_back_and_the_corrected_one_accepted(corrected: ClaudeRun, sandbox: Sandbox) -> None:
    run = corrected
    assert run.exit_code == 0, run.describe()
    assert not run.server.errors, run.describe()
    assert [s["stop_hook_active"] for s in run.hooks("SubagentStop")] == [False, True, True], run.describe()
    assert [e.get("decision") for e in decisions(sandbox, "SubagentStop")] == ["block", "block", "pass"]
    assert [r.turn for r in run.server.turns("subagent")] == [0, 1, 2, 3], run.describe()


def test_the_extra_key_comes_back_in_the_next_request(corrected: ClaudeRun) -> None:
    reasons = sent_back(corrected, 2)
    assert list(reasons) == [1], (reasons, corrected.describe())
    told = reasons[1]
    assert "$.test_results" in told and "unexpected key 'test_results'" in told, told
    assert "files_modified misses" not in told, told


def test_the_wrong_files_modified_comes_back_in_the_next_request(corrected: ClaudeRun) -> None:
    reasons = sent_back(corrected, 3)
    assert 2 in reasons, (reasons, corrected.describe())
    told = reasons[2]
    assert "files_modified misses src/webhooks.py" in told, told
    assert "$.test_results" not in told, told


def test_the_orchestrator_gets_the_corrected_answer(corrected: ClaudeRun, sandbox: Sandbox) -> None:
    handed_back = result_of(corrected, "orchestrator", 0)
    assert not handed_back.is_error, handed_back
    assert json.loads(answer(["src/webhooks.py"]))["work_completed"] in handed_back.content
    assert "test_results" not in handed_back.content, handed_back.content
    handoff = [t for t in corrected.server.system_texts("orchestrator") if HANDOFF in t]
    assert handoff and "checked and accepted" in handoff[0], corrected.describe()
    records = results_records(sandbox)
    assert [(r.get("status"), r.get("attempts")) for r in records] == [("accepted", 3)], records
    assert (sandbox.worktree / "src" / "webhooks.py").read_text() == HANDLER
    assert status(sandbox.worktree) == ["?? src/webhooks.py"]


# ------------------------------------------------------------------ released after the tries


@pytest.fixture(scope="module")
def release_sandbox(world: tuple[Path, ModelServer], claude_cli: Path) -> Sandbox:
    root, server = world
    box = Sandbox(root / "release", claude_cli, server)
    box.write_config({"max_output_retries": 2})
    return box


@pytest.fixture(scope="module")
def released(release_sandbox: Sandbox) -> tuple[ClaudeRun, str]:
    before = head(release_sandbox.worktree)
    run = release_sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[start_agent(), "Handed over."],
        subagent=PROSE,
        subagent_final=NEVER,
    )
    return run, before


def test_the_agent_is_sent_back_twice_then_let_go(released: tuple[ClaudeRun, str], release_sandbox: Sandbox) -> None:
    run, _ = released
    assert run.exit_code == 0, run.describe()
    assert run.result.get("result") == "Handed over.", run.describe()
    assert [s["stop_hook_active"] for s in run.hooks("SubagentStop")] == [False, True, True], run.describe()
    assert [e.get("decision") for e in decisions(release_sandbox, "SubagentStop")] == ["block", "block", "released"]
    assert [r.turn for r in run.server.turns("subagent")] == [0, 1, 2], run.describe()
    for turn, count in ((1, 1), (2, 2)):
        reasons = sent_back(run, turn)
        assert count in reasons, (turn, reasons, run.describe())
        assert f"sent back {count} of at most 2 times" in reasons[count], reasons
        assert "[not-json]" in reasons[count], reasons


def test_the_user_is_told(released: tuple[ClaudeRun, str]) -> None:
    run, _ = released
    shown = hook_attachments(run.agent_transcript(), "hook_system_message")
    assert len(shown) == 1, (shown, run.describe())
    message = str(shown[0].get("content"))
    assert shown[0].get("hookEvent") == "SubagentStop", shown
    assert "still failed the output checks after 2 retries" in message, message
    assert "let go" in message and "[not-json]" in message, message


def test_the_orchestrator_is_told_the_output_failed(released: tuple[ClaudeRun, str], release_sandbox: Sandbox) -> None:
    run, before = released
    handed_back = result_of(run, "orchestrator", 0)
    assert PROSE[-1] in handed_back.content, handed_back.content
    handoff = [t for t in run.server.system_texts("orchestrator") if HANDOFF in t]
    assert handoff, run.describe()
    assert "FAILED the checks" in handoff[0] and "after 3 answer(s)" in handoff[0], handoff[0]
    assert "[not-json]" in handoff[0], handoff[0]
    assert "do not start the quality gates" in handoff[0], handoff[0]
    records = results_records(release_sandbox)
    assert [(r.get("status"), r.get("attempts")) for r in records] == [("failed", 3)], records
    assert head(release_sandbox.worktree) == before
    assert status(release_sandbox.worktree) == []
