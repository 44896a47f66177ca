"""``integration-engineer doctor``."""

from __future__ import annotations

from pathlib import Path

import click

from integration_engineer.setup import doctor

MARKS = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL"}


@click.command("doctor")
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    help="Project whose configuration to check.",
)
@click.option("--claude", "claude_bin", help="Path of the claude binary (default: from PATH).")
def command(project: Path, claude_bin: str | None) -> None:
    """Check the interpreter, the venv, Claude Code, the config and the hook registration."""
    checks = doctor.run_all(project.resolve(), claude_bin)
    for check in checks:
        click.echo(f"[{MARKS[check.status]}] {check.name:<12} {check.detail}")
        if check.fix:
            click.echo(f"       fix: {check.fix}")
    raise SystemExit(1 if any(c.status == "fail" for c in checks) else 0)
