"""Reaper's ``.reaper.yml``: ``worktrees.base_path`` is the worktree root unless the plugin's own
file sets ``worktree_root``; a file the reader cannot follow fails closed, naming the line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from integration_engineer import config, reaper_yml

REAPER_INIT = """# Reaper project configuration.
version: 1

test:
  cmd: npm run test:coverage

worktrees:
  base_path: .claude/worktrees   # where session worktrees go
  naming_pattern: '{task_id}-{slug}'

git:
  default_base_branch: develop
"""


def _write(project: Path, text: str) -> None:
    (project / ".reaper.yml").write_text(text)


def test_reapers_file_sets_the_root(tmp_path: Path) -> None:
    _write(tmp_path, REAPER_INIT)
    settings = config.load(tmp_path)
    assert settings.worktree_root == ".claude/worktrees"
    assert settings.worktree_root_from == ".reaper.yml worktrees.base_path"


@pytest.mark.parametrize(
    ("text", "root"),
    [
        ("worktrees:\n  base_path: 'wt/reaper'\n", "wt/reaper"),
        ('worktrees:\n    base_path: "wt #1"  # quoted hash stays\n', "wt #1"),
        ("---\nworktrees:\n  naming_pattern: x\n  base_path: trees-r\n...\n", "trees-r"),
        ("worktrees:\n  nested:\n    base_path: deeper\n  base_path: here\n", "here"),  # only its own level
        ("worktrees:\n  base_path: null\n", "trees"),  # Reaper's "not set"
        ("worktrees:\n  base_path:\n", "trees"),
        ("worktrees:\n  naming_pattern: x\n", "trees"),  # no key: the default stays
        ("version: 1\nbase_path: x\n", "trees"),  # not under worktrees
        ("other:\n  base_path: x\nworktrees:\n  base_path: y\n", "y"),
    ],
)
def test_the_block_forms_reaper_writes(tmp_path: Path, text: str, root: str) -> None:
    _write(tmp_path, text)
    assert config.load(tmp_path).worktree_root == root


def test_the_plugins_own_file_wins(tmp_path: Path) -> None:
    _write(tmp_path, REAPER_INIT)
    (tmp_path / ".claude").mkdir()
    (tmp_path / ".claude" / "integration-engineer.json").write_text(json.dumps({"worktree_root": "trees"}))
    settings = config.load(tmp_path)
    assert (settings.worktree_root, settings.worktree_root_from) == ("trees", "")
    (tmp_path / ".claude" / "integration-engineer.json").write_text(json.dumps({"test_scope": "deny"}))
    settings = config.load(tmp_path)
    assert (settings.worktree_root, settings.test_scope) == (".claude/worktrees", "deny")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("worktrees: {base_path: x}\n", ":1: 'worktrees' is written as '{base_path: x}'; expected a block mapping"),
        ("worktrees:\n  base_path: *root\n", ":2: base_path '*root' uses a YAML form"),
        ("worktrees:\n  base_path: !!str x\n", ":2: base_path '!!str x' uses a YAML form"),
        ("worktrees:\n\tbase_path: x\n", ":2: indented with a tab"),
        ("worktrees:\n  base_path: x\nworktrees:\n  base_path: y\n", ":3: a second 'worktrees' key"),
        ("worktrees:\n  base_path: x\n  base_path: y\n", ":3: a second 'base_path'"),
        ("worktrees:\n  base_path: 'x\n", ':2: base_path "\'x" has an unclosed quote'),
        ("worktrees:\n  base_path: /srv/wt\n", "is '/srv/wt', an absolute path; expected a directory relative"),
        ("worktrees:\n  base_path: ../wt\n", "is '../wt'; a worktree root inside the project has no '..'"),
        ("worktrees:\n  base_path: ./\n", "the project itself"),
    ],
)
def test_what_it_cannot_follow_fails_closed(tmp_path: Path, text: str, says: str) -> None:
    _write(tmp_path, text)
    with pytest.raises(config.ConfigError) as caught:
        config.load(tmp_path)
    assert str(tmp_path / ".reaper.yml") in str(caught.value)
    assert says in str(caught.value), str(caught.value)


def test_an_unreadable_file_fails_closed(tmp_path: Path) -> None:
    (tmp_path / ".reaper.yml").write_bytes(b"worktrees:\n  base_path: \xff\xfe\n")
    with pytest.raises(config.ConfigError, match=r"cannot be read .*worktrees\.base_path"):
        config.load(tmp_path)
    (tmp_path / ".reaper.yml").unlink()
    (tmp_path / ".reaper.yml").mkdir()  # a directory in its place: not readable as a file
    with pytest.raises(config.ConfigError, match="cannot be read"):
        config.load(tmp_path)


def test_no_file_no_root(tmp_path: Path) -> None:
    assert reaper_yml.base_path(str(tmp_path)) == ""
    assert config.load(tmp_path) == config.Settings()
    assert os.listdir(tmp_path) == []  # reading never writes


def test_the_hook_refuses_while_the_file_cannot_be_followed(tmp_path: Path) -> None:
    """Through the registered PreToolUse command: the guarded agent is not started (fail closed)."""
    from tests.helpers import make_repo, run_hook

    project = make_repo(tmp_path / "project")
    _write(project, "worktrees: {base_path: .claude/worktrees}\n")
    payload = {
        "hook_event_name": "PreToolUse",
        "session_id": "sess-1",
        "cwd": str(project),
        "tool_name": "Agent",
        "tool_use_id": "toolu_reaper_yml_broken",
        "tool_input": {
            "description": "x",
            "prompt": "TASK: A-1, DESCRIPTION: Integrate Stripe payment webhooks, WORKTREE_PATH: ./trees/A-1",
            "subagent_type": "integration-engineer:integration-engineer",
        },
    }
    run = run_hook("PreToolUse", payload, tool="Agent", env={"CLAUDE_PROJECT_DIR": str(project)}, cwd=project)
    assert run.decision == "deny", run.stdout + run.stderr
    assert ".reaper.yml:1: 'worktrees' is written as" in run.reason, run.reason
