"""``integration-engineer worktree-root``, the root ``/integration-engineer:start-task`` makes worktrees
under: the plugin's ``worktree_root``, else ``.reaper.yml``'s ``worktrees.base_path``, else ``trees``,
read from the main checkout. Run as the installed command runs it (``bin/integration-engineer``, and
``scripts/cli.py`` under ``python -I -S``, where click cannot be imported); a worktree made at the
printed root is accepted by the real PreToolUse hook, so the command and the hooks agree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, git, make_repo, run_hook

BIN = ROOT / "bin" / "integration-engineer"
STDLIB_ONLY = [sys.executable, "-I", "-S", str(ROOT / "scripts" / "cli.py"), "worktree-root"]
AGENT = "integration-engineer:integration-engineer"


def root_of(
    cwd: Path, *args: str, command: tuple[str, ...] = (str(BIN), "worktree-root")
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CLAUDE_PROJECT_DIR"}
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=60)


def project(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "shop", ["PROJ-1"]).resolve()


def configure(repo: Path, config: dict[str, object] | None = None, reaper: str = "") -> None:
    if config is not None:
        (repo / ".claude").mkdir(exist_ok=True)
        (repo / ".claude" / "integration-engineer.json").write_text(json.dumps(config))
    if reaper:
        (repo / ".reaper.yml").write_text(f"worktrees:\n  base_path: {reaper}\n")


@pytest.mark.parametrize(
    ("config", "reaper", "expected", "source"),
    [
        (None, "", "trees", "the default"),
        ({"worktree_root": "work/tasks"}, "", "work/tasks", ".claude/integration-engineer.json worktree_root"),
        (None, ".claude/worktrees", ".claude/worktrees", ".reaper.yml worktrees.base_path"),
        ({"worktree_root": "wt"}, ".claude/worktrees", "wt", ".claude/integration-engineer.json worktree_root"),
        ({"max_output_retries": 2}, "wt2", "wt2", ".reaper.yml worktrees.base_path"),
    ],
)
def test_the_root_follows_the_configuration(
    tmp_path: Path, config: dict[str, object] | None, reaper: str, expected: str, source: str
) -> None:
    repo = project(tmp_path)
    configure(repo, config, reaper)
    printed = root_of(repo)
    assert (printed.returncode, printed.stderr) == (0, "")
    assert printed.stdout == f"{repo / expected}\n"
    shown = json.loads(root_of(repo, "--json").stdout)
    assert shown["project"] == str(repo) and shown["root"] == str(repo / expected)
    assert shown["from"].endswith(source), shown


def test_from_a_linked_worktree_the_root_is_the_main_checkouts(tmp_path: Path) -> None:
    repo = project(tmp_path)
    configure(repo, {"worktree_root": "work"})
    (repo / "trees" / "PROJ-1" / ".claude").mkdir()
    (repo / "trees" / "PROJ-1" / ".claude" / "integration-engineer.json").write_text('{"worktree_root": "work"}')
    assert root_of(repo / "trees" / "PROJ-1").stdout == f"{repo / 'work'}\n"
    assert root_of(tmp_path, "--project", str(repo)).stdout == f"{repo / 'work'}\n"


def test_it_runs_on_the_standard_library_alone(tmp_path: Path) -> None:
    repo = project(tmp_path)
    configure(repo, None, ".claude/worktrees")
    probe = subprocess.run([sys.executable, "-I", "-S", "-c", "import click"], capture_output=True, timeout=60)
    assert probe.returncode != 0, "click is importable under -I -S, so this test would prove nothing"
    printed = root_of(repo, command=tuple(STDLIB_ONLY))
    assert (printed.returncode, printed.stdout) == (0, f"{repo / '.claude' / 'worktrees'}\n"), printed.stderr
    through_click = root_of(repo, command=(sys.executable, "-m", "integration_engineer.cli", "worktree-root"))
    assert through_click.stdout == printed.stdout


@pytest.mark.parametrize(
    ("setup", "args", "code", "said"),
    [
        ("bad-json", (), 3, "integration-engineer.json: not valid JSON (Expecting property name"),
        ("bad-key", (), 3, "worktre_root: unknown key"),
        ("bad-reaper", (), 3, ".reaper.yml"),
        ("no-git", (), 3, "is not a git repository"),
        ("", ("--projet", "x"), 2, "unrecognized arguments"),
        ("", ("--project", "/nonexistent/dir"), 2, "--project /nonexistent/dir: not a directory"),
    ],
)
def test_bad_input_is_one_line_and_the_right_exit_code(
    tmp_path: Path, setup: str, args: tuple[str, ...], code: int, said: str
) -> None:
    repo = project(tmp_path) if setup != "no-git" else tmp_path
    if setup == "bad-json":
        configure(repo)
        (repo / ".claude").mkdir()
        (repo / ".claude" / "integration-engineer.json").write_text('{"worktree_root": "trees",}')
    elif setup == "bad-key":
        configure(repo, {"worktre_root": "x"})
    elif setup == "bad-reaper":
        (repo / ".reaper.yml").write_text("worktrees:\n  base_path: [a, b]\n")
    for command in ((str(BIN), "worktree-root"), tuple(STDLIB_ONLY)):
        proc = root_of(repo, *args, command=command)
        assert proc.returncode == code, (command, proc.stderr)
        assert proc.stdout == "" and said in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("config", "reaper"),
    [(None, ""), ({"worktree_root": "work/tasks"}, ""), (None, ".claude/worktrees")],
)
def test_a_worktree_made_at_the_printed_root_is_accepted_by_the_hook(
    tmp_path: Path, config: dict[str, object] | None, reaper: str
) -> None:
    repo = project(tmp_path)
    configure(repo, config, reaper)
    root = root_of(repo).stdout.strip()
    git(repo, "worktree", "add", "-q", f"{root}/PROJ-9", "-b", "PROJ-9")
    payload = {
        "hook_event_name": "PreToolUse",
        "session_id": "s1",
        "transcript_path": str(tmp_path / "session.jsonl"),
        "cwd": str(repo),
        "tool_name": "Agent",
        "tool_use_id": "toolu_1",
        "tool_input": {
            "description": "task",
            "subagent_type": AGENT,
            "prompt": f"TASK: PROJ-9, DESCRIPTION: Integrate Stripe payment webhooks with retries\n"
            f"WORKTREE_PATH: {root}/PROJ-9",
        },
    }
    accepted = run_hook("PreToolUse", payload, tool="Agent", cwd=repo)
    assert accepted.decision != "deny" and "ERROR" not in accepted.stdout + accepted.stderr, accepted
    payload["tool_input"]["prompt"] = payload["tool_input"]["prompt"].replace(root, str(repo / "other"))  # type: ignore[index]
    refused = run_hook("PreToolUse", payload, tool="Agent", cwd=repo)
    assert refused.decision == "deny" and "Worktree path required" in refused.reason, refused
