"""``/integration-engineer:start-task`` in the real CLI (``-p``, and typed in the terminal UI under tmux;
the plugin from --plugin-dir): Claude Code runs the command's ``!`` line (``integration-engineer
worktree-root``) and expands the command with its output and the arguments; the steps it tells the
model to take (``git worktree add`` under that root, then the Agent call with the prompt of the
command's template, or with ``--isolation`` the Agent call with Claude Code's isolation) go through
the real hooks: the worktree exists where the configuration says, the prompt is accepted, the agent
works in that worktree and its checked hand-off comes back.

The model is scripted, so it does not read the instructions: the test takes the worktree command,
the prompt templates and the root the model was told from commands/start-task.md and the expanded
command itself, so a change there that the hooks would refuse fails here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.e2e.harness import AGENT_TYPE, ROOT, ClaudeRun, Sandbox, git
from tests.e2e.interactive import terminal
from tests.e2e.model_server import ModelRequest, ToolUse, Turn
from tests.e2e.steps import HANDOFF, answer, bash, told_worktree, write_in_told_worktree

pytestmark = pytest.mark.e2e

COMMAND = (ROOT / "commands" / "start-task.md").read_text()
TASK_ID = "PROJ-456"
DESCRIPTION = "Integrate Stripe payment webhooks with signature verification and retries"
CODE = "def verify(signature):\n    return bool(signature)\n"


def templates() -> list[str]:
    """The command's prompt templates: the one with a WORKTREE_PATH, then the isolation one."""
    blocks = re.findall(r"```text\n(.*?)```", COMMAND, re.DOTALL)
    assert len(blocks) == 2, "commands/start-task.md should hold two prompt templates"
    return ["\n".join(line.strip() for line in b.strip().splitlines()) for b in blocks]


def filled(template: str, root: str = "") -> str:
    return template.replace("<ROOT>", root).replace("<TASK-ID>", TASK_ID).replace("<description>", DESCRIPTION)


def told_root(request: ModelRequest) -> str:
    """The worktree root as the expanded command told the model: the text after the words that
    precede the command's ``!`` line, up to the end of that line."""
    line = next(line for line in COMMAND.splitlines() if "!`integration-engineer worktree-root" in line)
    lead = line.split("!`", 1)[0]
    said = "\n".join(request.user_texts())
    assert lead in said, f"the command's root line is not in what the model was told:\n{said}"
    root = said.split(lead, 1)[1].splitlines()[0].strip()
    assert root.startswith("/") and "!`" not in root, f"the ! line did not run: {root!r}"
    return root


def worktree_command(root: str) -> str:
    found = re.search(r"`(git worktree add \"<ROOT>/<TASK-ID>\" -b <TASK-ID>)`", COMMAND)
    assert found, "commands/start-task.md names no worktree command under <ROOT>"
    return filled(found.group(1), root)


class Orchestrator:
    """The scripted orchestrator: reads the root it was told, runs the worktree command, starts the agent."""

    def __init__(self, *, isolation: bool = False) -> None:
        self.isolation = isolation
        self.root = ""
        self.first_request = ""

    def turns(self, after: Turn = "Started.") -> list[Turn]:
        if self.isolation:
            return [self.start_isolated, after]
        return [self.make_worktree, self.start_agent, after]

    def make_worktree(self, request: ModelRequest) -> ToolUse:
        self.first_request = "\n".join(request.user_texts())
        self.root = told_root(request)
        return bash(worktree_command(self.root), "make the task's worktree")

    def start_agent(self, request: ModelRequest) -> ToolUse:
        prompt = filled(templates()[0], self.root)
        return ToolUse("Agent", {"description": "start task", "prompt": prompt, "subagent_type": AGENT_TYPE})

    def start_isolated(self, request: ModelRequest) -> ToolUse:
        self.first_request = "\n".join(request.user_texts())
        self.root = told_root(request)
        prompt = filled(templates()[1])
        return ToolUse(
            "Agent",
            {"description": "start task", "prompt": prompt, "subagent_type": AGENT_TYPE, "isolation": "worktree"},
        )


def subagent_turns() -> list[Turn]:
    """The agent writes one file into the worktree it was told, then answers naming it."""

    def finish(request: ModelRequest) -> str:
        return answer(["src/signature.py"], task_id=TASK_ID, worktree_path=told_worktree(request)[1])

    return [write_in_told_worktree("src/signature.py", CODE), finish]


def linked_worktrees(project: Path) -> list[str]:
    listed = git(project, "worktree", "list", "--porcelain")
    return [line.split(" ", 1)[1] for line in listed.splitlines() if line.startswith("worktree ")][1:]


def assert_ran_and_handed_off(run: ClaudeRun, worktree: Path) -> None:
    """The agent ran bound to ``worktree``: its file landed there (and only there), its answer was
    accepted at once, and the checked hand-off reached the orchestrator."""
    assert (worktree / "src" / "signature.py").read_text() == CODE, run.describe()
    assert run.hooks("SubagentStart") and len(run.hooks("SubagentStop")) == 1, run.describe()
    assert not [r for r in run.server.tool_results("orchestrator") if r.is_error], run.describe()
    said = "\n".join(t for r in run.server.turns("orchestrator") for t in r.system_texts())
    assert HANDOFF in said and "FAILED" not in said, run.describe()


def start(sandbox: Sandbox, orchestrator: Orchestrator, arguments: str = f"{TASK_ID} {DESCRIPTION}") -> ClaudeRun:
    run = sandbox.run(
        f"/integration-engineer:start-task {arguments}",
        orchestrator=orchestrator.turns(),
        subagent=subagent_turns(),
        timeout=180,
    )
    assert run.exit_code == 0, run.describe()
    # Claude Code expanded the plugin command, arguments substituted.
    assert f"Start the integration-engineer subagent on the task given in: {arguments}" in orchestrator.first_request
    return run


def test_start_task_makes_the_worktree_under_the_default_root(sandbox: Sandbox) -> None:
    orchestrator = Orchestrator()
    run = start(sandbox, orchestrator)
    worktree = sandbox.project / "trees" / TASK_ID
    assert orchestrator.root == str(sandbox.project / "trees")
    assert str(worktree) in linked_worktrees(sandbox.project), run.describe()
    assert git(worktree, "branch", "--show-current").strip() == TASK_ID
    assert_ran_and_handed_off(run, worktree)


def test_start_task_follows_the_plugins_worktree_root(sandbox: Sandbox) -> None:
    sandbox.write_config({"worktree_root": "work/tasks"})
    orchestrator = Orchestrator()
    run = start(sandbox, orchestrator)
    worktree = sandbox.project / "work" / "tasks" / TASK_ID
    assert orchestrator.root == str(sandbox.project / "work" / "tasks")
    assert str(worktree) in linked_worktrees(sandbox.project), run.describe()
    assert not (sandbox.project / "trees" / TASK_ID).exists()
    assert_ran_and_handed_off(run, worktree)


def test_start_task_follows_reapers_base_path(sandbox: Sandbox) -> None:
    (sandbox.project / ".reaper.yml").write_text("worktrees:\n  base_path: .claude/worktrees\n")
    orchestrator = Orchestrator()
    run = start(sandbox, orchestrator)
    worktree = sandbox.project / ".claude" / "worktrees" / TASK_ID
    assert orchestrator.root == str(sandbox.project / ".claude" / "worktrees")
    assert str(worktree) in linked_worktrees(sandbox.project), run.describe()
    assert_ran_and_handed_off(run, worktree)


def test_start_task_with_isolation_lets_claude_code_make_the_worktree(sandbox: Sandbox) -> None:
    before = linked_worktrees(sandbox.project)
    orchestrator = Orchestrator(isolation=True)
    run = start(sandbox, orchestrator, f"--isolation {TASK_ID} {DESCRIPTION}")
    agent = run.server.tool_uses("orchestrator")[0]
    assert agent["name"] == "Agent" and agent["input"]["isolation"] == "worktree", agent
    assert "WORKTREE" not in agent["input"]["prompt"], agent
    made = list((sandbox.project / ".claude" / "worktrees").glob("agent-*"))
    assert len(made) == 1, run.describe()
    assert not (sandbox.project / "trees" / TASK_ID).exists()
    assert set(linked_worktrees(sandbox.project)) - set(before) == {str(made[0])}, run.describe()
    assert_ran_and_handed_off(run, made[0])


def test_start_task_typed_in_the_terminal_ui(sandbox: Sandbox) -> None:
    """Typed into the interactive UI (tmux) in a project with its own worktree_root, where the agent
    runs in the background and its hand-off comes back with the task notification."""
    sandbox.write_config({"worktree_root": "work/tasks"})

    def after(request: ModelRequest) -> str:
        return "All checked." if "<task-notification>" in request.everything_said() else "Waiting."

    orchestrator = Orchestrator()
    sandbox.server.script(orchestrator=orchestrator.turns(after) + [after] * 6, subagent=subagent_turns())
    with terminal(sandbox) as term:
        term.type(f"/integration-engineer:start-task {TASK_ID} {DESCRIPTION}")
        server = sandbox.server
        term.wait_for(
            "the task notification",
            lambda: any("<task-notification>" in r.everything_said() for r in server.turns("orchestrator")),
            180,
        )
        run = term.run()
    assert f"on the task given in: {TASK_ID} {DESCRIPTION}" in orchestrator.first_request, run.describe()
    worktree = sandbox.project / "work" / "tasks" / TASK_ID
    assert orchestrator.root == str(sandbox.project / "work" / "tasks")
    assert str(worktree) in linked_worktrees(sandbox.project), run.describe()
    assert (worktree / "src" / "signature.py").read_text() == CODE, run.describe()
    assert run.hooks("SubagentStart") and run.hooks("SubagentStop"), run.describe()
    said = "\n".join(t for r in server.turns("orchestrator") for t in r.system_texts())
    assert HANDOFF in said and "FAILED" not in said, run.describe()


def test_start_task_in_the_default_permission_mode(sandbox: Sandbox) -> None:
    """Without --dangerously-skip-permissions: the command's allowed-tools let its ``!`` line, the
    worktree command and the Agent call run without a prompt (in -p, a prompt would be a refusal)."""
    sandbox.write_config({"worktree_root": "work/tasks"})
    orchestrator = Orchestrator()
    given = str(sandbox.project / "work" / "tasks" / TASK_ID)
    final = json.dumps(
        {
            "task_id": TASK_ID,
            "worktree_path": given,
            "work_completed": "Read the project before the Stripe work.",
            "files_modified": [],
            "unfinished": [],
        }
    )
    run = sandbox.run(
        f"/integration-engineer:start-task {TASK_ID} {DESCRIPTION}",
        orchestrator=orchestrator.turns(),
        subagent=[final],
        skip_permissions=False,
        timeout=180,
    )
    assert run.exit_code == 0, run.describe()
    assert orchestrator.root == str(sandbox.project / "work" / "tasks"), run.describe()
    assert given in linked_worktrees(sandbox.project), run.describe()
    assert not [r for r in run.server.tool_results("orchestrator") if r.is_error], run.describe()
    assert run.hooks("SubagentStart") and len(run.hooks("SubagentStop")) == 1, run.describe()
    said = "\n".join(t for r in run.server.turns("orchestrator") for t in r.system_texts())
    assert HANDOFF in said and "FAILED" not in said, run.describe()
