"""``worktree_root: ".claude/worktrees"`` in the real CLI (issue 15): the agent's worktree under
``.claude/worktrees/`` is writable, by the file tools and by the shell, while the switches that
live under ``.claude/`` (settings, agent/command/hook definitions), in the main checkout and in
the worktree's own ``.claude/``, stay refused and are not written; nothing is committed and the
run ends accepted, without a false CONFLICT for ``.claude/`` in the main checkout."""

from __future__ import annotations

import pytest

from tests.e2e.harness import ClaudeRun, Sandbox, git
from tests.e2e.model_server import ToolUse
from tests.e2e.steps import answer, bash, handoff_text, head, refused_result, result_of, start_agent, status

pytestmark = pytest.mark.e2e

ROOT_NAME = ".claude/worktrees"
ARG = f"./{ROOT_NAME}/PROJ-123-stripe"
PROMPT = (
    "TASK: PROJ-123, DESCRIPTION: Integrate Stripe payment webhooks with signature verification and retries, "
    f"WORKTREE_PATH: {ARG}"
)
CODE = "def verify(signature):\n    return bool(signature)\n"
SETTINGS = '{"hooks": {}}\n'


@pytest.fixture(scope="module")
def world(module_sandbox: Sandbox) -> tuple[Sandbox, str]:
    sandbox = module_sandbox
    sandbox.write_config({"worktree_root": ROOT_NAME})
    worktree = sandbox.project / ROOT_NAME / "PROJ-123-stripe"
    git(sandbox.project, "worktree", "add", "-q", "-b", "feature/PROJ-123-stripe", str(worktree))
    return sandbox, head(worktree)


@pytest.fixture(scope="module")
def run(world: tuple[Sandbox, str]) -> ClaudeRun:
    sandbox, _ = world
    wt = sandbox.project / ROOT_NAME / "PROJ-123-stripe"
    main = sandbox.project / ".claude"

    def write(path: object, content: str) -> ToolUse:
        return ToolUse("Write", {"file_path": str(path), "content": content})

    return sandbox.run(
        "Integrate Stripe webhooks for PROJ-123.",
        orchestrator=[start_agent(PROMPT), "Done."],
        subagent=[
            write(wt / "src" / "signature.py", CODE),  # 0: work: allowed
            bash(f"printf 'RETRIES = 3\\n' > {wt}/src/retry.py", "write work by shell"),  # 1: allowed
            write(wt / ".claude" / "settings.json", SETTINGS),  # 2: the worktree's own settings
            write(main / "settings.local.json", SETTINGS),  # 3: the project's settings
            write(main / "agents" / "helper.md", "---\nname: helper\n---\n"),  # 4: an agent definition
            bash(f"mkdir -p {wt}/.claude/hooks && echo x > {wt}/.claude/hooks/h.sh", "a hook file"),  # 5
            bash(f"echo '{{}}' > {main}/integration-engineer.json", "the plugin's config"),  # 6
            answer(["src/retry.py", "src/signature.py"], worktree_path=ARG),
        ],
    )


def test_writes_in_the_worktree_under_dot_claude_land(run: ClaudeRun, world: tuple[Sandbox, str]) -> None:
    sandbox, base = world
    assert run.exit_code == 0, run.describe()
    wt = sandbox.project / ROOT_NAME / "PROJ-123-stripe"
    for call in (0, 1):
        assert not result_of(run, "subagent", call).is_error, run.describe()
    assert (wt / "src" / "signature.py").read_text() == CODE
    assert (wt / "src" / "retry.py").read_text() == "RETRIES = 3\n"
    assert status(wt) == ["?? src/retry.py", "?? src/signature.py"], run.describe()
    assert head(wt) == base, "the agent committed"


def test_the_switches_under_dot_claude_stay_refused_and_unwritten(run: ClaudeRun, world: tuple[Sandbox, str]) -> None:
    sandbox, _ = world
    wt = sandbox.project / ROOT_NAME / "PROJ-123-stripe"
    main = sandbox.project / ".claude"
    expected = {
        2: ("Write", "Claude Code settings"),
        3: ("Write", "Claude Code settings"),
        4: ("Write", "Claude Code agents definitions"),
        5: ("Bash", "Claude Code hooks definitions"),
        6: ("Bash", "this plugin's configuration"),
    }
    for call, (tool, label) in expected.items():
        refused = refused_result(run, "subagent", call, tool)
        assert label in refused.content, (call, refused.content)
    assert not (wt / ".claude").exists()
    assert not (main / "settings.local.json").exists()
    assert not (main / "agents").exists()
    assert '"worktree_root"' in (main / "integration-engineer.json").read_text()


def test_the_run_ends_accepted_without_a_false_conflict(run: ClaudeRun) -> None:
    assert len(run.hooks("SubagentStop")) == 1, run.describe()
    told = handoff_text(run)
    assert "checked and accepted" in told and "FAILED" not in told, told
    assert "CONFLICT" not in run.describe(), run.describe()
