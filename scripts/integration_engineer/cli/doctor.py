"""``integration-engineer doctor``: the click entry hands its arguments to the standard-library
doctor (``setup/doctor.py``), which ``scripts/cli.py`` also runs directly when click is missing."""

from __future__ import annotations

import click

from integration_engineer.setup import doctor


@click.command(
    "doctor",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.pass_context
def command(ctx: click.Context) -> int:
    """Check the installed plugin, its hooks and venv, Claude Code, the config and the layers."""
    return doctor.main(list(ctx.args))
