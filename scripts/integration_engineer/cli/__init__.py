"""The ``integration-engineer`` command (cold path: click is allowed here).

One module per subcommand; each defines a click command and is registered below.

Exit codes, the same for every command (docs/troubleshooting.md): 0 ok, 1 findings or a refusal,
2 usage error, 3 environment or configuration problem. ``main`` maps errors to them, so a user's
mistake is one line on standard error, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import click

from integration_engineer import __version__, config

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_ENVIRONMENT = 0, 1, 2, 3

# Subcommand modules, each exposing ``command`` (a click.Command). Add a line to register one.
SUBCOMMANDS: tuple[str, ...] = (
    "audit",
    "check_command",
    "clean",
    "doctor",
    "example",
    "exclusions",
    "log",
    "schema",
    "validate_task",
    "worktree_root",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="integration-engineer")
def group() -> None:
    """Hooks and checks that keep the integration-engineer subagent in its lane.

    Exit codes: 0 ok, 1 findings or refusal, 2 usage error, 3 environment or configuration.
    """


for _name in SUBCOMMANDS:
    group.add_command(importlib.import_module(f"integration_engineer.cli.{_name}").command)


def main(argv: list[str] | None = None) -> None:
    """Run the command line and exit with the one exit-code scheme."""
    sys.exit(run(argv))


def run(argv: list[str] | None = None) -> int:
    try:
        result = group.main(args=argv, prog_name="integration-engineer", standalone_mode=False)
    except click.UsageError as exc:
        exc.show()
        return EXIT_USAGE
    except click.Abort:
        click.echo("integration-engineer: interrupted", err=True)
        return EXIT_FINDINGS
    except click.ClickException as exc:
        # Our commands raise ClickException for an unreadable file or a bad configuration.
        exc.show()
        return EXIT_ENVIRONMENT
    except (config.ConfigError, OSError) as exc:
        click.echo(f"integration-engineer: {exc}", err=True)
        return EXIT_ENVIRONMENT
    return result if isinstance(result, int) else EXIT_OK
