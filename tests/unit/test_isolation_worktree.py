"""Claude Code's own isolation (issue 15): the Agent call, the worktree learned from the agent's
cwd, writes confined there, .claude/worktrees/ not protected, no false conflict. Real hooks, real git."""

from __future__ import annotations

import json
from pathlib import Path

from integration_engineer.config import Settings
from integration_engineer.finish import claims
from integration_engineer.isolation import protected
from integration_engineer.task import context as task_context
from integration_engineer.task import validation as tv
from tests.helpers import HookRun, git, make_repo, run_hook

GUARDED = "integration-engineer:integration-engineer"
GOOD = "Integrate Stripe payment webhooks with retry logic"
PROMPT = f"TASK: PROJ-1, DESCRIPTION: {GOOD}"


def _agent_call(project: Path, prompt: str, tool_use_id: str = "toolu_1", **extra: str) -> HookRun:
    payload = {
        "session_id": "s1",
        "cwd": str(project),
        "hook_event_name": "PreToolUse",
        "tool_name": "Agent",
        "tool_use_id": tool_use_id,
        "tool_input": {"prompt": prompt, "description": "d", "subagent_type": GUARDED, **extra},
    }
    return run_hook("PreToolUse", payload, tool="Agent", env={"CLAUDE_PROJECT_DIR": str(project)})


def _isolation_worktree(project: Path, name: str = "agent-a1") -> Path:
    wt = project / ".claude" / "worktrees" / name
    git(project, "worktree", "add", "-q", "-b", f"worktree-{name}", str(wt))
    return wt


def _start(project: Path, cwd: Path, tool_use_id: str = "toolu_1") -> HookRun:
    meta = Path(str(project) + "-tx") / "s1" / "subagents"
    meta.mkdir(parents=True, exist_ok=True)
    (meta / "agent-a1.meta.json").write_text(json.dumps({"toolUseId": tool_use_id, "agentType": GUARDED}))
    payload = {
        "session_id": "s1",
        "cwd": str(cwd),
        "transcript_path": str(meta.parent.parent / "s1.jsonl"),
        "hook_event_name": "SubagentStart",
        "agent_id": "a1",
        "agent_type": GUARDED,
    }
    return run_hook("SubagentStart", payload, env={"CLAUDE_PROJECT_DIR": str(project)})


def _write(project: Path, cwd: Path, target: Path) -> HookRun:
    payload = {
        "session_id": "s1",
        "cwd": str(cwd),
        "hook_event_name": "PreToolUse",
        "agent_id": "a1",
        "agent_type": GUARDED,
        "tool_name": "Write",
        "tool_use_id": "toolu_w",
        "tool_input": {"file_path": str(target), "content": "x = 1\n"},
    }
    return run_hook("PreToolUse", payload, tool="Write", env={"CLAUDE_PROJECT_DIR": str(project)})


def test_isolation_without_a_worktree_path_is_accepted_and_bound_to_the_cwd(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p")
    assert _agent_call(project, PROMPT, isolation="worktree").decision == "pass"
    accepted = task_context.load("s1", "toolu_1")
    assert accepted is not None and accepted.isolation and accepted.worktree == ""
    wt = _isolation_worktree(project)
    (wt / "README.md").write_text("found changed\n")
    start = _start(project, wt)
    context = start.json["hookSpecificOutput"]["additionalContext"]
    assert str(wt.resolve()) in context and "isolation worktree" in context
    bound = task_context.load("s1", "toolu_1")
    assert bound is not None and bound.worktree == str(wt.resolve()) and bound.baseline_taken
    assert list(bound.baseline) == ["README.md"]
    assert _write(project, wt, wt / "src" / "pay.py").decision == "pass"
    outside = _write(project, wt, project / "README.md")
    assert outside.decision == "deny" and "outside" in outside.stderr + outside.stdout


def test_frontmatter_isolation_makes_the_prompt_worktree_the_session_worktree(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p", ("PROJ-1-x",))
    run = _agent_call(project, PROMPT + ", WORKTREE_PATH: ./trees/PROJ-1-x")
    assert run.decision == "pass"
    wt = _isolation_worktree(project)
    _start(project, wt)
    bound = task_context.load("s1", "toolu_1")
    assert bound is not None and bound.isolation
    assert bound.worktree == str(wt.resolve())
    assert bound.session_worktree == str((project / "trees" / "PROJ-1-x").resolve())
    refused = _write(project, wt, project / "trees" / "PROJ-1-x" / "a.py")
    assert refused.decision == "deny"
    assert _write(project, wt, wt / "a.py").decision == "pass"


def test_session_worktree_beside_isolation_is_checked(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p", ("PROJ-1-x",))
    other = make_repo(tmp_path / "other", ("X",))
    missing = tv.evaluate(PROMPT + ", WORKTREE: ./trees/nope", str(project), Settings(), isolation=True)
    assert "does not exist" in missing.problems[tv.ERR_WORKTREE][0]
    foreign = tv.evaluate(
        PROMPT + f", WORKTREE: {other / 'trees' / 'X'}", str(project.resolve()), Settings(), isolation=True
    )
    assert "another repository" in foreign.problems[tv.ERR_WORKTREE][0]
    good = tv.evaluate(PROMPT + ", WORKTREE: ./trees/PROJ-1-x", str(project.resolve()), Settings(), isolation=True)
    assert good.accepted and good.session_worktree == str((project / "trees" / "PROJ-1-x").resolve())
    (tmp_path / "plain").mkdir()
    plain = tv.evaluate(PROMPT, str(tmp_path / "plain"), Settings(), isolation=True)
    assert "not a git repository" in plain.problems[tv.ERR_WORKTREE][0]
    refused = _agent_call(project, PROMPT + ", WORKTREE: ./trees/nope", isolation="worktree")
    assert refused.decision == "deny" and tv.ERR_WORKTREE in refused.stderr + refused.stdout


def test_claude_worktrees_are_not_protected_but_settings_are() -> None:
    assert protected._by_name("/p/.claude/worktrees/agent-1/src/a.py") == ""
    assert "settings" in protected._by_name("/p/.claude/worktrees/agent-1/.claude/settings.json")
    assert "settings" in protected._by_name("/p/.claude/settings.local.json")
    assert "agents" in protected._by_name("/p/.claude/agents/x.md")
    assert protected._by_name("/p/.claude/worktrees") != ""


def test_claude_worktrees_in_the_main_checkout_are_no_conflict(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p", ("PROJ-1-x",))
    _isolation_worktree(project)
    expected = claims.Expected(
        task_id="PROJ-1", worktree=project / "trees" / "PROJ-1-x", project=project, base_head="", baseline={}
    )
    assert claims._dirty_main_paths(expected, claims._status_call(project)) == set()


def _call_from(project: Path, cwd: Path, prompt: str, **extra: str) -> HookRun:
    """The orchestrator's Agent call from ``cwd``, with CLAUDE_PROJECT_DIR there too (as after
    ``claude --worktree``)."""
    payload = {
        "session_id": "s1",
        "cwd": str(cwd),
        "hook_event_name": "PreToolUse",
        "tool_name": "Agent",
        "tool_use_id": "toolu_1",
        "tool_input": {"prompt": prompt, "description": "d", "subagent_type": GUARDED, **extra},
    }
    return run_hook("PreToolUse", payload, tool="Agent", env={"CLAUDE_PROJECT_DIR": str(cwd)})


def test_a_worktree_outside_claude_codes_session_worktree_is_refused_at_the_call(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p", ("PROJ-1-x",))
    session = _isolation_worktree(project, "sess")
    refused = _call_from(project, session, PROMPT + ", WORKTREE_PATH: ./trees/PROJ-1-x")
    assert refused.decision == "deny"
    assert tv.ERR_WORKTREE in refused.reason and f"Claude Code's worktree {session.resolve()}" in refused.reason
    assert 'isolation: "worktree"' in refused.reason and "could not write in ./trees/PROJ-1-x" in refused.reason
    assert task_context.load("s1", "toolu_1") is None  # nothing accepted
    # With isolation the same session is fine; so is a worktree outside .claude/worktrees/ as cwd.
    assert _call_from(project, session, PROMPT, isolation="worktree").decision == "pass"
    plain = project / "trees" / "PROJ-1-x"
    assert _call_from(project, plain, PROMPT + ", WORKTREE_PATH: ./trees/PROJ-1-x").decision == "pass"


def test_claude_session_worktree_is_only_a_linked_worktree_under_claude_worktrees(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p", ("PROJ-1-x",)).resolve()
    session = _isolation_worktree(project, "sess").resolve()
    (session / "src").mkdir()
    assert tv.claude_session_worktree(str(session / "src"), str(project)) == str(session)
    assert tv.claude_session_worktree(str(project), str(project)) == ""
    assert tv.claude_session_worktree(str(project / "trees" / "PROJ-1-x"), str(project)) == ""
    (project / ".claude" / "worktrees" / "plain").mkdir()
    assert tv.claude_session_worktree(str(project / ".claude" / "worktrees" / "plain"), str(project)) == ""
    assert tv.claude_session_worktree("", str(project)) == ""


def test_base_ref_setting_and_the_commits_an_isolation_worktree_would_lack(tmp_path: Path) -> None:
    import subprocess

    from integration_engineer.task import base_ref

    project = make_repo(tmp_path / "p")
    home = tmp_path / "home"
    (home / ".claude").mkdir(parents=True)
    assert base_ref.setting((str(project),), str(home)) == "fresh"
    (home / ".claude" / "settings.json").write_text(json.dumps({"worktree": {"baseRef": "head"}}))
    assert base_ref.setting((str(project),), str(home)) == "head"
    (project / ".claude").mkdir()
    (project / ".claude" / "settings.json").write_text(json.dumps({"worktree": {"baseRef": "fresh"}}))
    assert base_ref.setting((str(project),), str(home)) == "fresh"  # the project's wins over the user's
    (project / ".claude" / "settings.local.json").write_text("not json")
    assert base_ref.setting((str(project),), str(home)) == "fresh"  # unreadable: skipped
    assert base_ref.missing(str(project)) == ("", 0)  # no origin: Claude Code starts at HEAD
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)
    git(project, "remote", "add", "origin", str(origin))
    git(project, "push", "-q", "origin", "HEAD:master")  # no origin/HEAD: origin/master is found
    (project / "a.py").write_text("A = 1\n")
    git(project, "add", "a.py")
    git(project, "commit", "-qm", "local")
    assert base_ref.missing(str(project)) == ("origin/master", 1)
    assert "1 commit(s) of your HEAD are not on origin/master" in base_ref.warning(str(project), "fresh")
    assert base_ref.warning(str(project), "head") == ""
