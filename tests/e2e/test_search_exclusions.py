"""Scenario 4 inside the real CLI: a search the subagent runs from the project root runs with the
directory exclusions added. The word is in the project, in a worktree under ``trees/`` and in
``node_modules/``; the searches find only the project's file, the PreToolUse answer Claude Code
recorded carries the rewritten command, and the subagent is told what ran.

In Claude Code's Bash, ``grep`` and ``rg`` are shell functions running its embedded ugrep and
ripgrep, which honour ``.gitignore`` (observed with 2.1.332). So this project ignores nothing:
the only thing keeping ``trees/`` and ``node_modules/`` out of the results is our rewrite. A
control search names those directories on the command line, where they stay searched, and finds
the word there.
"""

from __future__ import annotations

import pytest

from integration_engineer.sandbox import bwrap
from tests.e2e.harness import AGENT_TYPE, ClaudeRun, Sandbox, git, hook_answers
from tests.e2e.steps import answer, bash, decisions, result_of, start_agent, status

pytestmark = pytest.mark.e2e

PROJECT_HIT = "src/billing.py"
WORKTREE_HIT = "trees/PROJ-123-stripe/src/charge_handler.py"
VENDOR_HIT = "node_modules/stripe/index.js"
GREP = "grep -rn charge ."
RG = "rg -n charge ."
CONTROL = "grep -rn charge node_modules trees"


@pytest.fixture(scope="module")
def sandbox(module_sandbox: Sandbox) -> Sandbox:
    box = module_sandbox
    (box.project / ".gitignore").write_text("# nothing is ignored here\n")
    git(box.project, "commit", "-q", "-am", "ignore nothing")
    (box.project / PROJECT_HIT).write_text("def charge(amount):\n    return amount\n")
    (box.project / WORKTREE_HIT).write_text("charge = 'worktree copy'\n")
    (box.project / VENDOR_HIT).parent.mkdir(parents=True)
    (box.project / VENDOR_HIT).write_text("exports.charge = function () {};\n")
    return box


@pytest.fixture(scope="module")
def before(sandbox: Sandbox) -> tuple[list[str], list[str]]:
    return status(sandbox.project), status(sandbox.worktree)


@pytest.fixture(scope="module")
def run(sandbox: Sandbox, before: tuple[list[str], list[str]]) -> ClaudeRun:
    return sandbox.run(
        "Find the charge code for PROJ-123.",
        orchestrator=[start_agent(), "Done."],
        subagent=[bash(GREP, "search"), bash(RG, "search"), bash(CONTROL, "control"), answer([])],
    )


def hits(text: str) -> set[str]:
    """The files named in grep/rg output lines (``path:line:text``), without ``./``."""
    return {line.split(":", 1)[0].removeprefix("./") for line in text.splitlines() if ":" in line}


def test_the_cli_finishes_cleanly(run: ClaudeRun) -> None:
    assert run.exit_code == 0, run.describe()
    assert not run.server.errors, run.describe()
    pre = run.hooks("PreToolUse", "Bash", agent_type=AGENT_TYPE)
    assert [p["tool_input"]["command"] for p in pre] == [GREP, RG, CONTROL], run.describe()


def test_the_control_finds_the_word_in_the_excluded_directories(run: ClaudeRun) -> None:
    control = result_of(run, "subagent", 2)
    assert not control.is_error, control
    assert hits(control.content) == {WORKTREE_HIT, VENDOR_HIT}, control.content


@pytest.mark.parametrize(("call", "tool"), [(0, "grep"), (1, "rg")])
def test_the_search_from_the_root_finds_only_the_projects_file(run: ClaudeRun, call: int, tool: str) -> None:
    found = result_of(run, "subagent", call)
    assert not found.is_error, found
    assert hits(found.content) == {PROJECT_HIT}, (tool, found.content)


def test_the_command_that_ran_is_the_rewritten_one(run: ClaudeRun) -> None:
    transcript = run.agent_transcript()
    assert transcript, run.describe()
    uses = run.server.tool_uses("subagent")
    grep_answer = hook_answers(transcript, "PreToolUse", uses[0]["id"])
    rg_answer = hook_answers(transcript, "PreToolUse", uses[1]["id"])
    assert len(grep_answer) == len(rg_answer) == 1, (grep_answer, rg_answer)
    # The exclusion rewrite, inside the sandbox's (one rewrite: docs/sandbox.md).
    grep_ran = bwrap.inner(grep_answer[0]["hookSpecificOutput"]["updatedInput"]["command"])
    rg_ran = bwrap.inner(rg_answer[0]["hookSpecificOutput"]["updatedInput"]["command"])
    assert grep_ran.startswith("grep ") and grep_ran.endswith(" -rn charge ."), grep_ran
    assert "--exclude-dir=trees" in grep_ran and "--exclude-dir=node_modules" in grep_ran
    assert rg_ran.startswith("rg ") and rg_ran.endswith(" -n charge ."), rg_ran
    assert "-g '!trees'" in rg_ran and "-g '!node_modules'" in rg_ran, rg_ran
    # No decision: the rewritten command still goes through the user's permission rules.
    assert "permissionDecision" not in grep_answer[0]["hookSpecificOutput"], grep_answer
    told = "\n".join(run.server.system_texts("subagent"))
    # The short notice (at most 300 bytes, issue 19) names the tool and where the flags are listed.
    assert "added directory exclusions to grep" in told and "integration-engineer exclusions grep" in told, told
    assert "added directory exclusions to rg" in told and "integration-engineer exclusions rg" in told, told


def test_the_control_kept_the_named_directories(run: ClaudeRun) -> None:
    ran = hook_answers(run.agent_transcript(), "PreToolUse", run.server.tool_uses("subagent")[2]["id"])
    commands = [a.get("hookSpecificOutput", {}).get("updatedInput", {}).get("command", CONTROL) for a in ran]
    assert len(commands) == 1, ran
    assert "--exclude-dir=trees" not in commands[0], commands
    assert "--exclude-dir=node_modules" not in commands[0], commands


def test_the_rewrites_are_logged_and_nothing_changed_on_disk(
    run: ClaudeRun, sandbox: Sandbox, before: tuple[list[str], list[str]]
) -> None:
    bash_entries = [e for e in decisions(sandbox, "PreToolUse", "Bash") if e.get("agent_type") == AGENT_TYPE]
    assert [e.get("rewritten") for e in bash_entries[:2]] == [True, True], bash_entries
    assert [e.get("decision") for e in bash_entries] == ["pass"] * 3, bash_entries
    assert (status(sandbox.project), status(sandbox.worktree)) == before
    for rel in (PROJECT_HIT, WORKTREE_HIT, VENDOR_HIT):
        assert (sandbox.project / rel).is_file(), rel
