"""Three (and five) integration-engineers started in one turn (``-p``), each bound to its own task.

At SubagentStart none of the three agents' files exist yet, so no agent can be told from the
others there. Each worktree already holds a change made before the run: if an agent's baseline
were missed, that change would be charged to it and its correct answer refused. Each agent writes
one file in its own worktree and answers; all three answers must be accepted, no agent may be
told that its task is missing, and each write must land in its own worktree only.

``IE_E2E_PARALLEL_RUNS`` repeats the run (races): 2 by default.
"""

from __future__ import annotations

import json
import os
import re

import pytest

from tests.e2e.harness import AGENT_TYPE, Sandbox, git
from tests.e2e.model_server import ModelRequest, ToolUse
from tests.e2e.steps import HANDOFF

pytestmark = pytest.mark.e2e

TASKS = ("PROJ-201", "PROJ-202", "PROJ-203")
FIVE = ("PROJ-201", "PROJ-202", "PROJ-203", "PROJ-204", "PROJ-205")
RUNS = int(os.environ.get("IE_E2E_PARALLEL_RUNS", "2"))
MISSING = "no validated task was found"


def _prompt(task: str) -> str:
    return (
        f"TASK: {task}, DESCRIPTION: Integrate the {task} payment webhooks with signature "
        f"verification and retries, WORKTREE_PATH: ./trees/{task}-hooks"
    )


def _subagent(sandbox: Sandbox):  # type: ignore[no-untyped-def]
    """One script for every subagent: each request says which task it is (its prompt) and how
    far it got (its tool results), since the three run at once and share the side's counter."""

    def turn(request: ModelRequest) -> str | ToolUse:
        found = re.search(r"TASK: (PROJ-\d+)", "\n".join(request.user_texts()))
        task = found.group(1) if found else "unknown"
        worktree = sandbox.project / "trees" / f"{task}-hooks"
        if not request.tool_results():
            return ToolUse("Write", {"file_path": str(worktree / "src" / f"{task}.py"), "content": "ok = 1\n"})
        return json.dumps(
            {
                "task_id": task,
                "worktree_path": f"./trees/{task}-hooks",
                "work_completed": f"Added the {task} webhook receiver.",
                "files_modified": [f"src/{task}.py"],
                "unfinished": [],
            }
        )

    return turn


@pytest.mark.parametrize("attempt", range(RUNS))
def test_three_agents_in_one_turn_each_get_their_own_task(sandbox: Sandbox, attempt: int) -> None:
    _run_together(sandbox, TASKS)


def test_five_agents_in_one_turn_each_get_their_own_task(sandbox: Sandbox) -> None:
    _run_together(sandbox, FIVE)


def _run_together(sandbox: Sandbox, tasks: tuple[str, ...]) -> None:
    for task in tasks:
        worktree = sandbox.project / "trees" / f"{task}-hooks"
        git(sandbox.project, "worktree", "add", "-q", "-b", f"{task}-hooks", str(worktree))
        (worktree / "README.md").write_text("changed before the agent started\n")
    calls = [
        ToolUse("Agent", {"description": f"webhooks {t}", "prompt": _prompt(t), "subagent_type": AGENT_TYPE})
        for t in tasks
    ]
    turn = _subagent(sandbox)
    run = sandbox.run(
        "Integrate three webhook sets at once.",
        orchestrator=[calls, "All three finished."],
        subagent=[turn] * (2 * len(tasks)),
        timeout=180,
    )
    assert run.exit_code == 0, run.describe()
    starts = run.hooks("SubagentStart")
    assert len(starts) == len(tasks), run.describe()
    told = "\n".join(run.server.system_texts("subagent"))
    assert MISSING not in told, told
    # Every agent's answer was accepted: its pre-run README change was not charged to it.
    final = "\n".join(t for r in run.server.turns("orchestrator") for t in r.system_texts())
    for task in tasks:
        assert f"Task: {task}" in final, final
        worktree = sandbox.project / "trees" / f"{task}-hooks"
        assert (worktree / "src" / f"{task}.py").read_text() == "ok = 1\n"
        others = [t for t in tasks if t != task]
        assert not any((worktree / "src" / f"{o}.py").exists() for o in others)
    assert final.count(f"{HANDOFF} (round 1 of 3): the integration-engineer's output was checked and accepted") == len(
        tasks
    ), final
    assert "FAILED" not in final, final
