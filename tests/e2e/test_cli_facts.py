"""Facts about the pinned CLI that the plugin's design rests on, checked with a throwaway probe
plugin (one recording hook on every event, answers scripted per test). If a new CLI version
changes one of them, this file says which assumption broke. tests/e2e/README.md lists them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from integration_engineer.sandbox import bwrap, layout
from tests.e2e.harness import (
    AGENT_TYPE,
    VALID_PROMPT,
    ClaudeRun,
    Sandbox,
    make_probe_plugin,
    probe_log,
)
from tests.e2e.model_server import ModelServer, ToolUse, Turn
from tests.sandbox import read_only_world

pytestmark = pytest.mark.e2e


class Probe:
    def __init__(self, root: Path, cli: Path, server: ModelServer) -> None:
        self.dir = root / "probe"
        self.dir.mkdir(parents=True)
        self.sandbox = Sandbox(root / "world", cli, server, plugin_dir=make_probe_plugin(root / "probe-plugin"))

    def run(
        self,
        *,
        answers: dict[str, Any] | None = None,
        orchestrator: Sequence[Turn],
        subagent: Sequence[Turn] = (),
        args: tuple[str, ...] = (),
        skip_permissions: bool = True,
        timeout: float = 60,
    ) -> tuple[ClaudeRun, list[dict[str, Any]]]:
        (self.dir / "answers.json").write_text(json.dumps(answers or {}))
        (self.dir / "log.jsonl").unlink(missing_ok=True)
        run = self.sandbox.run(
            "probe",
            orchestrator=orchestrator,
            subagent=subagent,
            args=args,
            env={"IE_PROBE_DIR": str(self.dir)},
            skip_permissions=skip_permissions,
            timeout=timeout,
        )
        assert run.exit_code == 0, run.describe()
        return run, probe_log(self.dir)


@pytest.fixture
def probe(tmp_path: Path, claude_cli: Path, model_server: ModelServer) -> Probe:
    return Probe(tmp_path, claude_cli, model_server)


def rewrite(tool_input: dict[str, Any], decision: str | None = None) -> dict[str, Any]:
    specific: dict[str, Any] = {"hookEventName": "PreToolUse", "updatedInput": tool_input}
    if decision:
        specific["permissionDecision"] = decision
    return {"hookSpecificOutput": specific}


TOUCH_ORIGINAL = ToolUse("Bash", {"command": "touch original.txt", "description": "touch"})
TOUCH_REWRITTEN = {"command": "touch rewritten.txt", "description": "touch"}


def test_updated_input_without_a_decision_replaces_the_bash_command(probe: Probe) -> None:
    run, log = probe.run(answers={"PreToolUse:Bash": rewrite(TOUCH_REWRITTEN)}, orchestrator=[TOUCH_ORIGINAL])
    project = probe.sandbox.project
    assert (project / "rewritten.txt").exists(), run.describe()
    assert not (project / "original.txt").exists(), run.describe()
    post = [e["payload"] for e in log if e["payload"]["hook_event_name"] == "PostToolUse"]
    assert post and post[0]["tool_input"]["command"] == "touch rewritten.txt", post


@pytest.mark.parametrize(
    ("decision", "args", "runs"),
    [
        (None, ("--permission-mode", "default"), False),
        (None, ("--permission-mode", "default", "--allowedTools", "Bash(touch:*)"), True),
        ("allow", ("--permission-mode", "default"), True),
        ("allow", ("--dangerously-skip-permissions", "--disallowedTools", "Bash(touch:*)"), False),
    ],
    ids=[
        "no-decision-still-asks",
        "no-decision-user-rule-allows",
        "allow-skips-the-prompt",
        "allow-does-not-beat-a-deny-rule",
    ],
)
def test_a_rewritten_command_meets_the_users_permission_rules(
    probe: Probe, decision: str | None, args: tuple[str, ...], runs: bool
) -> None:
    """Without a decision the rewritten input goes through the user's rules (what we want);
    ``allow`` skips the user's ask/prompt, though not a deny rule: so the plugin never says allow."""
    run, _ = probe.run(
        answers={"PreToolUse:Bash": rewrite(TOUCH_REWRITTEN, decision)},
        orchestrator=[TOUCH_ORIGINAL],
        args=args,
        skip_permissions=False,
    )
    assert (probe.sandbox.project / "rewritten.txt").exists() is runs, run.describe()
    assert not (probe.sandbox.project / "original.txt").exists(), run.describe()
    results = run.server.tool_results("orchestrator")
    assert results and results[0].is_error is (not runs), results


def test_updated_input_without_a_decision_replaces_the_agent_prompt(probe: Probe) -> None:
    call = {"description": "probe", "prompt": VALID_PROMPT, "subagent_type": AGENT_TYPE, "run_in_background": False}
    run, _ = probe.run(
        answers={"PreToolUse:Agent": rewrite({**call, "prompt": "REWRITTEN TASK"})},
        orchestrator=[ToolUse("Agent", call)],
        subagent=["done"],
    )
    told = run.server.user_texts("subagent")
    assert "REWRITTEN TASK" in told and VALID_PROMPT not in told, run.describe()


@pytest.mark.parametrize(
    ("forced", "status"),
    [(False, "async_launched"), (True, "completed")],
    ids=["default-is-background", "hook-forces-foreground"],
)
def test_an_agent_call_without_run_in_background_starts_in_the_background(
    probe: Probe, forced: bool, status: str
) -> None:
    """In -p mode an Agent call without ``run_in_background`` returns at once (PostToolUse sees
    ``async_launched``; the result comes later as a task notification). A PreToolUse
    ``updatedInput`` with ``run_in_background: false`` makes it wait for the subagent."""
    call = {"description": "probe", "prompt": VALID_PROMPT, "subagent_type": AGENT_TYPE}
    answers = {"PreToolUse:Agent": rewrite({**call, "run_in_background": False})} if forced else {}
    run, log = probe.run(answers=answers, orchestrator=[ToolUse("Agent", call)], subagent=["done"])
    post = [
        e["payload"]
        for e in log
        if e["payload"]["hook_event_name"] == "PostToolUse" and e["payload"].get("tool_name") == "Agent"
    ]
    assert len(post) == 1, run.describe()
    assert post[0]["tool_response"]["status"] == status, post[0]["tool_response"]
    events = [e["payload"]["hook_event_name"] for e in log]
    assert "SubagentStop" in events, events
    before = events.index("SubagentStop") < events.index("PostToolUse")
    assert before is forced, events


def test_the_main_thread_agent_is_named_in_every_event(probe: Probe) -> None:
    """``--agent PLUGIN:AGENT``: every event carries that agent_type (no agent_id), SubagentStart
    and SubagentStop do not fire, Stop does; requests carry no subagent mark."""
    run, log = probe.run(
        orchestrator=[ToolUse("Bash", {"command": "true", "description": "x"})], args=("--agent", AGENT_TYPE)
    )
    seen = [
        (e["payload"]["hook_event_name"], e["payload"].get("agent_type"), e["payload"].get("agent_id")) for e in log
    ]
    assert [s[0] for s in seen] == ["SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop"], seen
    assert all(agent == AGENT_TYPE and agent_id is None for _, agent, agent_id in seen), seen
    assert run.server.turns("orchestrator") and not run.server.turns("subagent"), run.describe()


def test_plugin_root_and_data_dir_of_a_plugin_dir_plugin(probe: Probe) -> None:
    run, log = probe.run(orchestrator=["hello"])
    assert log, run.describe()
    expected_data = probe.sandbox.plugin_data
    for entry in log:
        assert entry["env"]["CLAUDE_PLUGIN_DATA"] == str(expected_data), entry["env"]
        assert entry["env"]["CLAUDE_PLUGIN_ROOT"] == str(probe.sandbox.plugin_dir), entry["env"]
    assert expected_data.is_dir()


# How the user's permission rules meet a rewritten Bash command (the sandbox's rewrite): the
# rules Claude Code applies are matched against the command it runs, not the one the model asked for.
USER_RULES = {"permissions": {"allow": ["Bash(npm test:*)"], "ask": ["Bash(git status:*)"], "deny": ["Bash(curl:*)"]}}
ASKED_BY = {
    "allow": "npm test",
    "ask": "git status",
    "deny": "curl -s -o ran-curl file:///etc/hostname",
    "none": "touch ran-none",
}
# Claude Code splits the rewritten line into its simple commands and finds no rule for them.
UNCHECKABLE = "The following parts require approval: declare -f, declare -p BASH_ALIASES, /usr/bin/bwrap"
HOOK_ASKED = "Hook PreToolUse:Bash asked for confirmation for this tool"


def with_user_rules(probe: Probe) -> Path:
    project = probe.sandbox.project
    (project / ".claude").mkdir(exist_ok=True)
    (project / ".claude" / "settings.json").write_text(json.dumps(USER_RULES))
    scripts = {"test": "touch ran-npm"}
    (project / "package.json").write_text(json.dumps({"name": "p", "version": "1.0.0", "scripts": scripts}))
    return project


def sandbox_shaped(probe: Probe, command: str) -> str:
    """The command as the plugin's sandbox step rewrites it (bwrap, runner in a task /tmp)."""
    project = str(probe.sandbox.project)
    tmp = probe.dir / "task-tmp"
    tmp.mkdir(exist_ok=True)
    box = layout.build(project, project, str(tmp), (), (), True)
    bwrap.ensure_runner(box.tmp)
    return bwrap.command_text(box, "/usr/bin/bwrap", command, "toolu_probe")


@pytest.mark.parametrize(
    ("rule", "rewritten", "decision", "skip", "runs", "told"),
    [
        # Unchanged: the rules judge the command (the reference outcomes).
        ("allow", False, None, False, True, ""),
        ("ask", False, None, False, False, "haven't granted it yet"),
        ("deny", False, None, False, False, "has been denied"),
        ("none", False, None, False, False, "needs approval"),
        # Rewritten without a decision: no rule matches its parts, every call asks (refused in -p).
        ("allow", True, None, False, False, UNCHECKABLE),
        ("none", True, None, False, False, UNCHECKABLE),
        # Rewritten with allow: it runs, and the deny and ask rules of the original are slipped past.
        ("allow", True, "allow", False, True, ""),
        ("deny", True, "allow", False, True, ""),
        ("ask", True, "allow", False, True, ""),
        # Unchanged with allow: an ask or deny rule still wins over a hook's allow.
        ("ask", False, "allow", False, False, "haven't granted it yet"),
        ("deny", False, "allow", False, False, "has been denied"),
        # A hook's ask in -p mode: refused, in every mode.
        ("allow", True, "ask", False, False, HOOK_ASKED),
        ("none", True, "ask", True, False, HOOK_ASKED),
        # --dangerously-skip-permissions: ask and deny rules hold on the original, not on the rewrite.
        ("ask", False, None, True, False, "haven't granted it yet"),
        ("deny", False, None, True, False, "has been denied"),
        ("deny", True, None, True, True, ""),
        ("ask", True, None, True, True, ""),
    ],
)
def test_permission_rules_are_matched_against_the_rewritten_command(
    probe: Probe, rule: str, rewritten: bool, decision: str | None, skip: bool, runs: bool, told: str
) -> None:
    """What sandbox/permission_rules.py rests on: after ``updatedInput`` Claude Code matches the
    user's rules against the command it runs (so the plugin must judge the original itself)."""
    with_user_rules(probe)
    asked = ASKED_BY[rule]
    new = {"command": sandbox_shaped(probe, asked) if rewritten else asked, "description": "x"}
    args = () if skip else ("--permission-mode", "default")
    run, log = probe.run(
        answers={"PreToolUse:Bash": rewrite(new, decision)},
        orchestrator=[ToolUse("Bash", {"command": asked, "description": "x"})],
        args=args,
        skip_permissions=skip,
    )
    ran = [e for e in log if e["payload"]["hook_event_name"] == "PostToolUse"]
    results = run.server.tool_results("orchestrator")
    assert results, run.describe()
    assert bool(ran) is runs, (results[0].content, run.describe())
    assert results[0].is_error is (not runs), results[0].content
    assert told in results[0].content, results[0].content


@pytest.mark.parametrize("under_claude", [False, True], ids=["plain-dir", "under-dot-claude"])
def test_a_hooks_allow_does_not_pass_a_command_writing_under_dot_claude(probe: Probe, under_claude: bool) -> None:
    """Why the sandbox's task /tmp is not in the plugin's data directory (under ~/.claude): the
    rewritten command writes its definitions file there, and Claude Code then asks although the
    hook said allow."""
    with_user_rules(probe)
    home_data = probe.sandbox.home / ".claude" / "plugins" / "data" / "x" / "sandbox-tmp" / "task"
    tmp = home_data if under_claude else probe.dir / "task-tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    project = str(probe.sandbox.project)
    box = layout.build(project, project, str(tmp), (), (), True)
    bwrap.ensure_runner(box.tmp)
    command = bwrap.command_text(box, "/usr/bin/bwrap", "npm test", "toolu_probe")
    run, _ = probe.run(
        answers={"PreToolUse:Bash": rewrite({"command": command, "description": "x"}, "allow")},
        orchestrator=[ToolUse("Bash", {"command": "npm test", "description": "x"})],
        args=("--permission-mode", "default"),
        skip_permissions=False,
    )
    result = run.server.tool_results("orchestrator")[0]
    assert result.is_error is under_claude, result.content
    assert (probe.sandbox.project / "ran-npm").exists() is not under_claude


# What Claude Code runs without asking when nothing rewrites the command and no rule decides: the
# golden table sandbox/read_only.py is checked against (tests/sandbox/test_read_only.py).


@pytest.mark.parametrize("mode", ["default", "acceptEdits"])
def test_commands_claude_code_runs_unasked(probe: Probe, mode: str) -> None:
    """A guarded-type subagent runs each command of the table in ``mode`` (``-p``: an ask is
    refused, so "asks" shows as a refusal); each outcome must be the recorded one."""
    entries = read_only_world.observed()
    project = probe.sandbox.project
    read_only_world.add_fixture_files(project)
    commands = [read_only_world.expand(e["command"], project) for e in entries]
    call = {"description": "probe", "prompt": VALID_PROMPT, "subagent_type": AGENT_TYPE, "run_in_background": False}
    run, _ = probe.run(
        orchestrator=[ToolUse("Agent", call), "Done."],
        subagent=[*(ToolUse("Bash", {"command": c, "description": "x"}) for c in commands), "done"],
        args=("--permission-mode", mode),
        skip_permissions=False,
        timeout=900,
    )
    uses = run.server.tool_uses("subagent")
    assert len(uses) == len(entries), run.describe()
    results = {r.tool_use_id: r for r in run.server.tool_results("subagent")}
    seen = {}
    for entry, use in zip(entries, uses, strict=True):
        result = results[use["id"]]
        ran = not result.is_error or result.content.startswith("Exit code")
        seen[entry["command"]] = ("runs" if ran else "asks", result.content[:160])
    wrong = {c: s for c, s in seen.items() if s[0] != next(e[mode] for e in entries if e["command"] == c)}
    assert not wrong, wrong
