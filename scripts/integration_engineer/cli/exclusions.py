"""``integration-engineer exclusions TOOL``: the flags that make TOOL skip the excluded dirs."""

from __future__ import annotations

import json
from pathlib import Path

import click

from integration_engineer import config
from integration_engineer.tool_scope import exclusion_flags

CHOICES = (*exclusion_flags.TOOLS, *exclusion_flags.ADVICE)


@click.command("exclusions")
@click.argument("tool", type=click.Choice(CHOICES, case_sensitive=False))
@click.option(
    "--project",
    type=click.Path(exists=True, file_okay=False),
    default=".",
    show_default=True,
    help="Project whose .claude/integration-engineer.json applies.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the argv words as a JSON array.")
def command(tool: str, project: str, as_json: bool) -> None:
    """Print the flags TOOL needs to skip the excluded directories (settings: excluded_dirs),
    as shell text ready to paste, or advice for tools that have no such flag (go, phpunit,
    cargo, rspec)."""
    tool = tool.lower()
    if tool in exclusion_flags.ADVICE:
        if as_json:
            click.echo(json.dumps({"tool": tool, "flags": [], "advice": exclusion_flags.ADVICE[tool]}))
        else:
            click.echo(exclusion_flags.ADVICE[tool])
        return
    try:
        settings = config.load(Path(project))
    except config.ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    words = exclusion_flags.flags(tool, settings.excluded_dirs)
    if tool == "find":
        words = [*words, "...expression...", "-print"]
    if as_json:
        click.echo(json.dumps(words))
    else:
        click.echo(exclusion_flags.shell_text(words))
