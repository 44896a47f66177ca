"""``integration-engineer validate-task 'PROMPT'``: how a prompt is read, and the verdict."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

import integration_engineer.task.validation as task_validation
from integration_engineer import config


@click.command("validate-task")
@click.argument("prompt", required=False)
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=str),
    default=None,
    help="Project directory (main working tree). Default: $CLAUDE_PROJECT_DIR or here.",
)
@click.option(
    "--jira/--no-jira",
    default=True,
    show_default=True,
    help="Run acli for Jira-style ids when the project's configuration enables it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the parse and verdict as JSON.")
def command(prompt: str | None, project: str | None, jira: bool, as_json: bool) -> None:
    """Check an integration-engineer prompt as the PreToolUse hook does (PROMPT, or - for stdin).

    Exit status: 0 accepted, 1 refused, 2 usage error, 3 bad configuration.
    """
    if prompt is None or prompt == "-":
        prompt = sys.stdin.read()
    root = os.path.realpath(project or config.project_dir())
    settings = config.load(Path(root))
    verdict = task_validation.evaluate(prompt, root, settings, lookup_ticket=jira)
    parsed = verdict.parsed
    if as_json:
        click.echo(
            json.dumps(
                {
                    "accepted": verdict.accepted,
                    "project": root,
                    "parsed": {
                        "task_id": parsed.task_id,
                        "description": parsed.description,
                        "description_source": parsed.description_source,
                        "worktree": parsed.worktree,
                        "file_refs": list(parsed.file_refs),
                        "keys": list(parsed.keys),
                    },
                    "worktree": verdict.worktree,
                    "requirement_files": verdict.requirement_files,
                    "ticket": None if verdict.ticket is None else verdict.ticket.__dict__,
                    "problems": verdict.errors,
                    "notes": verdict.notes,
                    "message": "" if verdict.accepted else verdict.message(),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        source = f" (from {parsed.description_source})" if parsed.description_source else ""
        rows = [
            ("project", root),
            ("task id", parsed.task_id or "-"),
            ("description", (parsed.description or "-") + source),
            ("worktree", parsed.worktree or "-"),
            ("resolved", verdict.worktree or "-"),
            ("@files", ", ".join(parsed.file_refs) or "-"),
            ("ticket", verdict.ticket.key if verdict.ticket else "-"),
        ]
        for label, value in rows:
            click.echo(f"{label + ':':<13}{value}")
        for note in verdict.notes:
            click.echo(f"{'note:':<13}{note}")
        click.echo("")
        if verdict.accepted:
            click.echo("ACCEPTED: the Agent call would go ahead.")
        else:
            click.echo("REFUSED: the orchestrator would be told:\n")
            click.echo(verdict.message())
    sys.exit(0 if verdict.accepted else 1)
