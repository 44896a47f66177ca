"""A click entry for a command that lives in the standard library alone (``doctor``,
``worktree-root``): ``scripts/cli.py`` runs those before the plugin's venv exists, so their
arguments are parsed by the command itself, and click only hands them over."""

from __future__ import annotations

from collections.abc import Callable

import click


def stdlib_command(name: str, run: Callable[[list[str]], int], summary: str) -> click.Command:
    """A click command named ``name`` that passes every argument to ``run`` and returns its exit code."""

    @click.pass_context
    def handler(ctx: click.Context) -> int:
        return run(list(ctx.args))

    handler.__doc__ = summary
    return click.command(
        name,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
        add_help_option=False,
    )(handler)
