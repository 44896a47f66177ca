"""Golden end-of-run cases (``tests/cases/{allow,deny}/stop/*.json``) with real git worktrees,
run through the registered hook commands (PreToolUse accepts the task, SubagentStart records the
worktree's state, SubagentStop checks the answer).

A case: ``committed`` (files in the project's first commit), ``gitignore``, ``before`` (worktree
changes made before the agent started), ``agent`` (what the agent did), ``main_during``
(changes to the main working tree during the run), ``no_start`` (SubagentStart never ran, so no
baseline was recorded), ``answer`` or ``answer_text``, and ``expect``:
``reason_contains``, ``reason_excludes``, ``removed`` (paths gone afterwards), ``present`` (paths
still there, ``@outside/...`` for the outside directory), ``system_message_contains``,
``handoff_contains``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT
from tests.stop_scenario import Scenario, answer_text, apply, build

CASES = ROOT / "tests" / "cases"


def _cases() -> list[Any]:
    found = []
    for verdict in ("allow", "deny"):
        for path in sorted((CASES / verdict / "stop").glob("*.json")):
            found.append(pytest.param(verdict, path, id=f"{verdict}/{path.stem}"))
    return found


def test_there_are_cases_of_both_kinds() -> None:
    kinds = {p.values[0] for p in _cases()}
    assert kinds == {"allow", "deny"}
    assert len(_cases()) >= 20


@pytest.mark.parametrize(("verdict", "path"), _cases())
def test_stop_case(verdict: str, path: Path, tmp_path: Path) -> None:
    case = json.loads(path.read_text())
    scenario = build(tmp_path, case.get("committed"), tuple(case.get("gitignore", ())))
    if case.get("prompt_extra"):  # lines added to the Agent call's prompt (Reaper's SCOPE:)
        scenario.prompt += "\n" + case["prompt_extra"]
    apply(scenario, scenario.worktree, case.get("before", {}))
    apply(scenario, scenario.project, case.get("main_before", {}))
    scenario.accept(start=not case.get("no_start"))
    apply(scenario, scenario.worktree, case.get("agent", {}))
    apply(scenario, scenario.project, case.get("main_during", {}))
    message = answer_text(scenario, case)
    if case.get("via_transcript"):
        scenario.append_transcript(*_assistant_lines(message))
        message = ""
    run = scenario.stop(message)
    expect = case["expect"]
    assert run.decision == ("pass" if verdict == "allow" else "block"), run.stdout
    _check(scenario, run.json, expect)
    if "handoff_contains" in expect:
        context = scenario.handoff().json["hookSpecificOutput"]["additionalContext"]
        for text in expect["handoff_contains"]:
            assert scenario.expand(text) in context


def _check(scenario: Scenario, body: dict[str, Any], expect: dict[str, Any]) -> None:
    reason = str(body.get("reason", ""))
    for text in expect.get("reason_contains", []):
        assert scenario.expand(text) in reason, reason
    for text in expect.get("reason_excludes", []):
        assert scenario.expand(text) not in reason, reason
    for text in expect.get("system_message_contains", []):
        assert scenario.expand(text) in str(body.get("systemMessage", "")), body
    for rel in expect.get("removed", []):
        assert not _at(scenario, rel).exists() and not _at(scenario, rel).is_symlink(), rel
    for rel in expect.get("present", []):
        assert _at(scenario, rel).exists() or _at(scenario, rel).is_symlink(), rel
    for rel, content in expect.get("content", {}).items():
        assert _at(scenario, rel).read_text() == content, rel


def _at(scenario: Scenario, rel: str) -> Path:
    if rel.startswith("@outside"):
        return Path(scenario.expand(rel))
    if rel.startswith("@main/"):
        return scenario.project / rel[len("@main/") :]
    return scenario.worktree / rel


def _assistant_lines(text: str) -> list[dict[str, Any]]:
    message = {"id": "msg_last", "role": "assistant", "content": [{"type": "text", "text": text}]}
    noise = {
        "type": "user",
        "message": {"role": "user", "content": [{"type": "tool_result", "content": "x" * 100_000}]},
    }
    return [noise, {"type": "assistant", "message": message}, {"type": "system", "subtype": "stop_hook_summary"}]
