"""``integration-engineer worktree-root``: the click entry hands its arguments to the standard-library
command (``task/worktree_root.py``), which ``scripts/cli.py`` also runs directly, without click."""

from __future__ import annotations

import click

from integration_engineer.task import worktree_root


@click.command(
    "worktree-root",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.pass_context
def command(ctx: click.Context) -> int:
    """Print where the project's task worktrees go (what /integration-engineer:start-task uses)."""
    return worktree_root.main(list(ctx.args))
