"""The ``integration-engineer`` command (cold path: click is allowed here).

One module per subcommand; each defines a click command and is registered below.
"""

from __future__ import annotations

import importlib

import click

from integration_engineer import __version__

# Subcommand modules, each exposing ``command`` (a click.Command). Add a line to register one.
SUBCOMMANDS: tuple[str, ...] = (
    "audit",
    "check_command",
    "clean",
    "doctor",
    "exclusions",
    "log",
    "schema",
    "validate_task",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="integration-engineer")
def main() -> None:
    """Hooks and checks that keep the integration-engineer subagent in its lane."""


for _name in SUBCOMMANDS:
    main.add_command(importlib.import_module(f"integration_engineer.cli.{_name}").command)
