"""``integration-engineer schema``: the published JSON Schema of the agent's answer."""

from __future__ import annotations

import click


@click.command("schema")
def command() -> None:
    """Print the JSON Schema of the integration-engineer's answer (for other validators)."""
    from integration_engineer.answer.contract import schema_text

    click.echo(schema_text(), nl=False)
