"""Finding the task of the acting agent: meta file, late transcript, parallel agents, resume."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from integration_engineer.config import Settings
from integration_engineer.runtime.payload import HookEvent
from integration_engineer.runtime.record import replace
from integration_engineer.task import context as task_context
from integration_engineer.task import lookup as task_lookup
from integration_engineer.task.context import Task
from tests.helpers import git, make_repo, run_hook

GUARDED = "integration-engineer:integration-engineer"
SETTINGS = Settings()
GOOD = "Integrate Stripe payment webhooks with retry logic"


def _task(tool_use_id: str, session: str = "s1", prompt: str = "") -> Task:
    return Task(
        task_id=tool_use_id.upper(),
        description=GOOD,
        worktree=f"/w/{tool_use_id}",
        worktree_arg=f"./trees/{tool_use_id}",
        project="/w",
        requirements=GOOD,
        base_head="0" * 40,
        baseline={},
        tool_use_id=tool_use_id,
        session_id=session,
        prompt_hashes=(task_context.prompt_hash(prompt or tool_use_id),),
    )


def _event(tmp: Path, agent_id: str, session: str = "s1", agent_type: str = GUARDED, cwd: str = "") -> HookEvent:
    return HookEvent(
        event="PreToolUse",
        session_id=session,
        agent_id=agent_id,
        agent_type=agent_type,
        cwd=cwd,
        transcript_path=str(tmp / "projects" / f"{session}.jsonl"),
    )


def _subagent_dir(tmp: Path, session: str = "s1") -> Path:
    path = tmp / "projects" / session / "subagents"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _meta(tmp: Path, agent_id: str, tool_use_id: str, session: str = "s1") -> None:
    (_subagent_dir(tmp, session) / f"agent-{agent_id}.meta.json").write_text(
        json.dumps({"agentType": GUARDED, "description": "d", "toolUseId": tool_use_id})
    )


def _transcript(tmp: Path, agent_id: str, prompt: str, session: str = "s1") -> None:
    line = {"type": "user", "message": {"role": "user", "content": [{"type": "text", "text": prompt}]}}
    (_subagent_dir(tmp, session) / f"agent-{agent_id}.jsonl").write_text(json.dumps(line) + "\n")


def test_parallel_agents_bind_through_their_meta_files(tmp_path: Path) -> None:
    for tid in ("toolu_a", "toolu_b"):
        task_context.remember(_task(tid))
    _meta(tmp_path, "agent1", "toolu_b")
    _meta(tmp_path, "agent2", "toolu_a")
    one = task_context.find(_event(tmp_path, "agent1"), SETTINGS)
    two = task_context.find(_event(tmp_path, "agent2"), SETTINGS)
    assert one is not None and two is not None
    assert (one.tool_use_id, one.agent_id) == ("toolu_b", "agent1")
    assert (two.tool_use_id, two.agent_id) == ("toolu_a", "agent2")


def test_without_meta_the_transcript_prompt_decides(tmp_path: Path) -> None:
    task_context.remember(_task("toolu_a", prompt="prompt A"))
    task_context.remember(_task("toolu_b", prompt="prompt B"))
    _transcript(tmp_path, "agent1", "prompt B")
    found = task_context.find(_event(tmp_path, "agent1"), SETTINGS, retries=0)
    assert found is not None and found.tool_use_id == "toolu_b"


def test_identical_prompts_never_share_a_task(tmp_path: Path) -> None:
    task_context.remember(_task("toolu_a", prompt="same"))
    task_context.remember(_task("toolu_b", prompt="same"))
    _transcript(tmp_path, "agent1", "same")
    _transcript(tmp_path, "agent2", "same")
    one = task_context.find(_event(tmp_path, "agent1"), SETTINGS, retries=0)
    two = task_context.find(_event(tmp_path, "agent2"), SETTINGS, retries=0)
    assert one is not None and two is not None
    assert {one.tool_use_id, two.tool_use_id} == {"toolu_a", "toolu_b"}


def test_only_one_unbound_task_is_bound_without_files(tmp_path: Path) -> None:
    task_context.remember(_task("toolu_a"))
    found = task_context.find(_event(tmp_path, "agent1"), SETTINGS, retries=0)
    assert found is not None and found.tool_use_id == "toolu_a"
    # Now claimed: a second unknown agent gets nothing rather than a stranger's task.
    assert task_context.find(_event(tmp_path, "agent2"), SETTINGS, retries=0) is None


def test_two_unbound_tasks_are_not_guessed(tmp_path: Path) -> None:
    task_context.remember(_task("toolu_a"))
    task_context.remember(_task("toolu_b"))
    assert task_context.find(_event(tmp_path, "agent1"), SETTINGS, retries=0) is None


def test_the_binding_is_cached_and_survives_a_new_session_id(tmp_path: Path) -> None:
    task_context.remember(_task("toolu_a"))
    _meta(tmp_path, "agent1", "toolu_a")
    assert task_context.find(_event(tmp_path, "agent1"), SETTINGS) is not None
    (_subagent_dir(tmp_path) / "agent-agent1.meta.json").unlink()
    again = task_context.find(_event(tmp_path, "agent1"), SETTINGS, retries=0)
    resumed = task_context.find(_event(tmp_path, "agent1", session="s2"), SETTINGS, retries=0)
    assert again is not None and again.tool_use_id == "toolu_a"
    assert resumed is not None and resumed.tool_use_id == "toolu_a"


def test_a_meta_file_written_late_is_waited_for(tmp_path: Path) -> None:
    task_context.remember(_task("toolu_a"))
    task_context.remember(_task("toolu_b"))
    timer = threading.Timer(0.05, _meta, (tmp_path, "agent1", "toolu_b"))
    timer.start()
    try:
        found = task_context.find(_event(tmp_path, "agent1"), SETTINGS, retries=50)
    finally:
        timer.join()
    assert found is not None and found.tool_use_id == "toolu_b"


def test_lost_state_is_rebuilt_from_the_transcript_prompt(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p", ("PROJ-1-x",))
    _transcript(tmp_path, "agent1", f"TASK: PROJ-1, DESCRIPTION: {GOOD}, WORKTREE_PATH: ./trees/PROJ-1-x")
    _meta(tmp_path, "agent1", "toolu_z")
    found = task_lookup.find(_event(tmp_path, "agent1", cwd=str(project)), SETTINGS)
    assert found is not None
    assert (found.task_id, found.tool_use_id) == ("PROJ-1", "toolu_z")
    assert found.worktree == str((project / "trees" / "PROJ-1-x").resolve())


@pytest.mark.parametrize(
    ("agent_type", "agent_id", "expected"),
    [
        (GUARDED, "", "main"),  # main-thread mode
        ("", "", None),  # the orchestrator
        ("general-purpose", "x", None),  # another subagent
    ],
)
def test_who_is_acting(tmp_path: Path, agent_type: str, agent_id: str, expected: str | None) -> None:
    task_context.remember(_task(""))
    task_context.remember(_task("toolu_a"))
    found = task_context.find(_event(tmp_path, agent_id, agent_type=agent_type), SETTINGS, retries=0)
    assert (found.key if found else None) == expected


def test_baseline_hashes_match_git(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p", ("w",))
    wt = project / "trees" / "w"
    (wt / "README.md").write_text("changed\n")
    (wt / "new").mkdir()
    (wt / "new" / "file.py").write_text("x = 1\n")
    (wt / ".gitignore").unlink()
    baseline = task_context.baseline_of(str(wt))
    assert baseline == {
        "README.md": git(wt, "hash-object", "README.md").strip(),
        "new/file.py": git(wt, "hash-object", "new/file.py").strip(),
        ".gitignore": "",
    }
    assert task_context.head_of(str(wt)) == git(wt, "rev-parse", "HEAD").strip()


def test_baseline_is_taken_once_and_not_when_git_cannot_tell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IE_DATA_DIR", str(tmp_path / "data"))
    project = make_repo(tmp_path / "p", ("w",))
    wt = project / "trees" / "w"
    (wt / "README.md").write_text("changed\n")
    task = replace(_task("toolu_w"), worktree=str(wt))
    taken = task_context.with_baseline(task)
    assert taken.baseline_taken and set(taken.baseline) == {"README.md"}
    stored = task_context.load("s1", "toolu_w")
    assert stored is not None and stored.baseline == taken.baseline
    (wt / "new.py").write_text("x = 1\n")
    assert task_context.with_baseline(taken) is taken  # once: later changes are the agent's
    lost = replace(_task("toolu_x"), worktree=str(tmp_path / "not-a-repository"))
    (tmp_path / "not-a-repository").mkdir()
    assert task_context.with_baseline(lost) is lost and not lost.baseline_taken


def test_subagent_start_gives_the_task_context(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p", ("PROJ-1-x",))
    prompt = f"TASK: PROJ-1, DESCRIPTION: {GOOD}, WORKTREE_PATH: ./trees/PROJ-1-x"
    common = {"session_id": "s1", "cwd": str(project), "transcript_path": str(tmp_path / "projects" / "s1.jsonl")}
    run = run_hook(
        "PreToolUse",
        {
            **common,
            "hook_event_name": "PreToolUse",
            "tool_name": "Agent",
            "tool_use_id": "toolu_1",
            "tool_input": {"prompt": prompt, "description": "d", "subagent_type": GUARDED},
        },
        tool="Agent",
    )
    assert run.decision == "pass"
    accepted = task_context.load("s1", "toolu_1")
    assert accepted is not None and not accepted.baseline_taken and accepted.baseline == {}
    (project / "trees" / "PROJ-1-x" / "README.md").write_text("the orchestrator's change\n")
    timer = threading.Timer(0.1, _meta, (tmp_path, "ag1", "toolu_1"))
    timer.start()
    start = run_hook(
        "SubagentStart", {**common, "hook_event_name": "SubagentStart", "agent_id": "ag1", "agent_type": GUARDED}
    )
    timer.join()
    context = start.json["hookSpecificOutput"]["additionalContext"]
    assert f"Task: PROJ-1: {GOOD}" in context
    assert str((project / "trees" / "PROJ-1-x").resolve()) in context
    assert "given as ./trees/PROJ-1-x" in context
    for word in ("commit", "push", "cherry-pick", "node_modules", "files_modified", "unfinished", "narrative_report"):
        assert word in context
    bound = task_context.load("s1", "toolu_1")
    assert bound is not None and bound.agent_id == "ag1"
    # SubagentStart recorded what the agent starts from (the Agent call's hot path does not).
    wt = project / "trees" / "PROJ-1-x"
    assert bound.baseline_taken
    assert bound.baseline == {"README.md": git(wt, "hash-object", "README.md").strip()}
    assert bound.base_head == git(wt, "rev-parse", "HEAD").strip()
    assert "1 file(s) were already changed" in context


def test_subagent_start_without_a_task_says_so(tmp_path: Path) -> None:
    start = run_hook(
        "SubagentStart",
        {
            "hook_event_name": "SubagentStart",
            "session_id": "s9",
            "agent_id": "ag1",
            "agent_type": GUARDED,
            "cwd": str(tmp_path),
        },
    )
    context = start.json["hookSpecificOutput"]["additionalContext"]
    assert "no validated task was found" in context


def _accept(project: Path, common: dict[str, str], tool_use_id: str, worktree: str) -> str:
    prompt = f"TASK: {worktree.upper()}, DESCRIPTION: {GOOD}, WORKTREE_PATH: ./trees/{worktree}"
    run = run_hook(
        "PreToolUse",
        {
            **common,
            "hook_event_name": "PreToolUse",
            "tool_name": "Agent",
            "tool_use_id": tool_use_id,
            "tool_input": {"prompt": prompt, "description": "d", "subagent_type": GUARDED},
        },
        tool="Agent",
    )
    assert run.decision == "pass", run.stderr
    rewritten = run.json["hookSpecificOutput"]["updatedInput"]["prompt"]
    assert isinstance(rewritten, str) and rewritten.endswith(task_context.token_line(tool_use_id))
    return rewritten


def test_agents_started_together_get_baselines_at_start_and_bind_by_their_task_key(tmp_path: Path) -> None:
    """Two agents in one turn: no meta file, no transcript at SubagentStart; same prompt text."""
    project = make_repo(tmp_path / "p", ("w1", "w2"))
    common = {"session_id": "s1", "cwd": str(project), "transcript_path": str(tmp_path / "projects" / "s1.jsonl")}
    prompts = {t: _accept(project, common, t, w) for t, w in (("toolu_1", "w1"), ("toolu_2", "w2"))}
    for w in ("w1", "w2"):
        (project / "trees" / w / "README.md").write_text("changed before\n")
    start = {**common, "hook_event_name": "SubagentStart", "agent_type": GUARDED}
    first = run_hook("SubagentStart", {**start, "agent_id": "ag1"})
    context = first.json["hookSpecificOutput"]["additionalContext"]
    assert "no validated task" not in context and "task key" in context and "WORKTREE_PATH" in context
    for key in ("toolu_1", "toolu_2"):  # both baselines, before either agent made a request
        stored = task_context.load("s1", key)
        assert stored is not None and stored.baseline_taken and list(stored.baseline) == ["README.md"]
        assert task_context.claimed_by("s1", key) == ""
    # Their first tool calls: the transcripts now exist; agent 2 holds toolu_1's prompt.
    _transcript(tmp_path, "ag2", prompts["toolu_1"])
    _transcript(tmp_path, "ag1", prompts["toolu_2"])
    two = task_lookup.find(_event(tmp_path, "ag2"), SETTINGS, retries=0)
    one = task_lookup.find(_event(tmp_path, "ag1"), SETTINGS, retries=0)
    assert one is not None and two is not None
    assert (one.tool_use_id, two.tool_use_id) == ("toolu_2", "toolu_1")
    assert one.baseline_taken and one.baseline == {
        "README.md": git(project / "trees" / "w2", "hash-object", "README.md").strip()
    }


def test_a_task_without_baseline_gets_it_at_the_first_tool_call(tmp_path: Path) -> None:
    from integration_engineer.task import acting

    project = make_repo(tmp_path / "p", ("w1",))
    common = {"session_id": "s1", "cwd": str(project), "transcript_path": str(tmp_path / "projects" / "s1.jsonl")}
    prompt = _accept(project, common, "toolu_1", "w1")
    (project / "trees" / "w1" / "notes.txt").write_text("there before\n")
    _transcript(tmp_path, "ag1", prompt)
    task = acting.task_for(_event(tmp_path, "ag1"), SETTINGS)
    assert task is not None and task.baseline_taken and list(task.baseline) == ["notes.txt"]
    stored = task_context.load("s1", "toolu_1")
    assert stored is not None and stored.baseline_taken and stored.agent_id == "ag1"
