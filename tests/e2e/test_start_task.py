"""``/integration-engineer:start-task`` in the real CLI (``-p``, and typed in the terminal UI under tmux;
the plugin from --plugin-dir): Claude Code expands the command with the arguments, and the steps it
tells the model to take (``git worktree add``, then the Agent call with the prompt of the command's
template) go through the real hooks: the worktree exists, the prompt is accepted, the agent starts
and its checked hand-off comes back.

The model is scripted, so it does not read the instructions: the test takes the worktree command and
the prompt template from commands/start-task.md itself, so a change there that the hooks would refuse
fails here."""

from __future__ import annotations

import json
import re

import pytest

from tests.e2e.harness import AGENT_TYPE, ROOT, Sandbox, git
from tests.e2e.interactive import terminal
from tests.e2e.model_server import ModelRequest, ToolUse
from tests.e2e.steps import HANDOFF, bash

pytestmark = pytest.mark.e2e

COMMAND = (ROOT / "commands" / "start-task.md").read_text()
TASK_ID = "PROJ-456"
DESCRIPTION = "Integrate Stripe payment webhooks with signature verification and retries"


def template_prompt() -> str:
    block = re.search(r"```text\n(.*?)```", COMMAND, re.DOTALL)
    assert block, "commands/start-task.md has no prompt template"
    lines = [line.strip() for line in block.group(1).strip().splitlines()]
    return "\n".join(lines).replace("<TASK-ID>", TASK_ID).replace("<description>", DESCRIPTION)


def worktree_command() -> str:
    found = re.search(r"`(git worktree add ./trees/<TASK-ID> -b <TASK-ID>)`", COMMAND)
    assert found, "commands/start-task.md names no worktree command"
    return found.group(1).replace("<TASK-ID>", TASK_ID)


def test_start_task_makes_the_worktree_and_starts_the_agent(sandbox: Sandbox) -> None:
    seen: list[str] = []

    def first(request: ModelRequest) -> ToolUse:
        seen.append("\n".join(request.user_texts()))
        return bash(worktree_command(), "make the task's worktree")

    final = json.dumps(
        {
            "task_id": TASK_ID,
            "worktree_path": f"./trees/{TASK_ID}",
            "work_completed": "Looked at the project before the Stripe work.",
            "files_modified": [],
            "unfinished": [],
        }
    )
    run = sandbox.run(
        f"/integration-engineer:start-task {TASK_ID} {DESCRIPTION}",
        orchestrator=[
            first,
            ToolUse("Agent", {"description": "start task", "prompt": template_prompt(), "subagent_type": AGENT_TYPE}),
            "Started.",
        ],
        subagent=[bash("ls", "look around"), final],
        timeout=180,
    )
    assert run.exit_code == 0, run.describe()
    # Claude Code expanded the plugin command, arguments substituted.
    assert seen and f"Start the integration-engineer subagent on the task given in: {TASK_ID} {DESCRIPTION}" in seen[0]
    # The worktree the command makes is a real linked worktree of the project.
    listed = git(sandbox.project, "worktree", "list", "--porcelain")
    assert str((sandbox.project / "trees" / TASK_ID).resolve()) in listed, listed
    # The prompt of the template was accepted and the agent ran; its hand-off reached the orchestrator.
    assert run.hooks("SubagentStart"), run.describe()
    assert not [r for r in run.server.tool_results("orchestrator") if r.is_error], run.describe()
    said = "\n".join(t for r in run.server.turns("orchestrator") for t in r.system_texts())
    assert HANDOFF in said, run.describe()


def test_start_task_typed_in_the_terminal_ui(sandbox: Sandbox) -> None:
    """The same command typed into the interactive UI (tmux), where the agent runs in the background
    and its hand-off comes back with the task notification."""
    seen: list[str] = []

    def first(request: ModelRequest) -> ToolUse:
        seen.append("\n".join(request.user_texts()))
        return bash(worktree_command(), "make the task's worktree")

    def after(request: ModelRequest) -> str:
        return "All checked." if "<task-notification>" in request.everything_said() else "Waiting."

    final = json.dumps(
        {
            "task_id": TASK_ID,
            "worktree_path": f"./trees/{TASK_ID}",
            "work_completed": "Looked at the project before the Stripe work.",
            "files_modified": [],
            "unfinished": [],
        }
    )
    agent = ToolUse("Agent", {"description": "start task", "prompt": template_prompt(), "subagent_type": AGENT_TYPE})
    sandbox.server.script(orchestrator=[first, agent, *[after] * 6], subagent=[bash("ls", "look around"), final])
    with terminal(sandbox) as term:
        term.type(f"/integration-engineer:start-task {TASK_ID} {DESCRIPTION}")
        server = sandbox.server
        term.wait_for(
            "the task notification",
            lambda: any("<task-notification>" in r.everything_said() for r in server.turns("orchestrator")),
            180,
        )
        run = term.run()
    assert seen and f"on the task given in: {TASK_ID} {DESCRIPTION}" in seen[0], seen
    listed = git(sandbox.project, "worktree", "list", "--porcelain")
    assert str((sandbox.project / "trees" / TASK_ID).resolve()) in listed, listed
    assert run.hooks("SubagentStart") and run.hooks("SubagentStop"), run.describe()
    said = "\n".join(t for r in server.turns("orchestrator") for t in r.system_texts())
    assert HANDOFF in said, run.describe()
