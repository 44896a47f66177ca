"""``integration-engineer worktree-root``: the click entry hands its arguments to the standard-library
command (``task/worktree_root.py``), which ``scripts/cli.py`` also runs directly, without click."""

from __future__ import annotations

from integration_engineer.cli.stdlib_command import stdlib_command
from integration_engineer.task import worktree_root

command = stdlib_command(
    "worktree-root",
    worktree_root.main,
    "Print where the project's task worktrees go (what /integration-engineer:start-task uses).",
)
