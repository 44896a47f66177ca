"""Golden cases of the write guards, exclusions and test scope, run through the registered hook.

``tests/cases/{allow,deny}/isolation/*.json`` (isolation, report files, tamper),
``tests/cases/allow/exclusions/*.json`` (rewrites) and ``tests/cases/{allow,deny}/test_scope/*.json``.
Each case gets a real repository with a linked worktree (``trees/PROJ-123-stripe``), its task
accepted by the real PreToolUse(Agent) hook, then one tool call of the guarded subagent.

Case keys: ``doc``; ``committed`` (files in the project's first commit); ``worktree``,
``project``, ``outside``, ``root`` (changes under each: ``files``, ``dirs``, ``symlinks``, see
``stop_scenario.apply``); ``config`` (the project's .claude/integration-engineer.json);
``git_config`` (keys set in the project's repository); ``no_task`` (skip the Agent call);
``prompt_extra`` (lines added to the Agent call's prompt, e.g. Reaper's ``SCOPE:``);
``agent_type``; ``tool_name``, ``cwd`` (default ``@worktree``), ``tool_input``.
``expect``: ``decision`` (pass / deny), ``reason_contains``, ``reason_excludes``,
``command`` (the rewritten command; absent: no rewrite),
``context_contains``, ``no_context``. Placeholders: ``@worktree``, ``@project``, ``@outside``,
``@root``, ``@home``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT, HookRun, git, run_hook
from tests.stop_scenario import GUARDED, SESSION, Scenario, apply, build

CASES = ROOT / "tests" / "cases"
GROUPS = {
    "isolation": ("allow", "deny"),
    "exclusions": ("allow",),
    "test_scope": ("allow", "deny"),
    "scripts": ("allow", "deny"),
}


def _cases() -> list[Any]:
    found = []
    for group, verdicts in GROUPS.items():
        for verdict in verdicts:
            for path in sorted((CASES / verdict / group).glob("*.json")):
                found.append(pytest.param(verdict, path, id=f"{verdict}/{group}/{path.stem}"))
    return found


def expand(scenario: Scenario, text: str) -> str:
    for key, value in (
        ("@worktree", scenario.worktree),
        ("@project", scenario.project),
        ("@outside", scenario.outside),
        ("@home", scenario.root / "home"),
        ("@root", scenario.root),
    ):
        text = text.replace(key, str(value))
    return text


def run_case(case: dict[str, Any], tmp_path: Path) -> tuple[Scenario, HookRun]:
    scenario = build(tmp_path, case.get("committed"))
    home = scenario.root / "home"
    home.mkdir()
    scenario.env["HOME"] = str(home)
    # These cases judge the static reading; the kernel layer has its own tests (tests/sandbox).
    config = scenario.project / ".claude" / "integration-engineer.json"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(json.dumps({"sandbox": {"mode": "off"}, **case.get("config", {})}))
    for key, value in case.get("git_config", {}).items():
        git(scenario.project, "config", key, value)
    if case.get("prompt_extra"):
        scenario.prompt += "\n" + case["prompt_extra"]
    if not case.get("no_task"):
        scenario.accept()
    for key, base in (
        ("worktree", scenario.worktree),
        ("project", scenario.project),
        ("outside", scenario.outside),
        ("root", scenario.root),
    ):
        changes = json.loads(expand(scenario, json.dumps(case.get(key, {}))))
        apply(scenario, base, changes)
    payload = {
        "hook_event_name": "PreToolUse",
        "session_id": SESSION,
        "transcript_path": str(scenario.transcripts / f"{SESSION}.jsonl"),
        "cwd": expand(scenario, case.get("cwd", "@worktree")),
        "tool_name": case["tool_name"],
        "tool_use_id": "toolu_case",
        "tool_input": json.loads(expand(scenario, json.dumps(case["tool_input"]))),
        # The orchestrator's events carry neither field; a subagent's carry both.
        "agent_id": scenario.agent_id if case.get("agent_type", GUARDED) else "",
        "agent_type": case.get("agent_type", GUARDED),
    }
    return scenario, run_hook("PreToolUse", payload, tool=case["tool_name"], env=scenario.env, cwd=scenario.project)


def test_there_are_cases_of_every_group() -> None:
    ids = {p.id.rsplit("/", 1)[0] for p in _cases()}
    assert ids == {f"{v}/{g}" for g, vs in GROUPS.items() for v in vs}


@pytest.mark.parametrize(("verdict", "path"), _cases())
def test_guard_case(verdict: str, path: Path, tmp_path: Path) -> None:
    case = json.loads(path.read_text())
    scenario, run = run_case(case, tmp_path)
    expect = case["expect"]
    assert run.decision == expect.get("decision", "pass" if verdict == "allow" else "deny"), run.stdout + run.stderr
    specific = run.json.get("hookSpecificOutput", {}) if run.exit_code == 0 else {}
    for text in expect.get("reason_contains", []):
        assert expand(scenario, text) in run.reason, run.reason
    for text in expect.get("reason_excludes", []):
        assert expand(scenario, text) not in run.reason, run.reason
    updated = specific.get("updatedInput")
    if "command" in expect:
        assert updated is not None, run.stdout
        assert updated["command"] == expand(scenario, expect["command"])
        original = json.loads(expand(scenario, json.dumps(case["tool_input"])))
        assert {k: v for k, v in updated.items() if k != "command"} == {
            k: v for k, v in original.items() if k != "command"
        }
    else:
        assert updated is None, run.stdout
    context = str(specific.get("additionalContext", ""))
    for text in expect.get("context_contains", []):
        assert expand(scenario, text) in context, context
    if expect.get("no_context"):
        assert context == "", context
