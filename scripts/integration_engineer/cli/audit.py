"""``integration-engineer audit PATH...``: check saved answers and transcripts in CI.

Exit codes: 0 every answer passes; 1 findings (invalid JSON included); 2 usage or setup error
(bad option, broken config, git cannot answer); 3 an input cannot be read at all (missing,
unreadable, or nothing to check in it). 3 wins over 1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from integration_engineer.audit.reporters import FORMATS

if TYPE_CHECKING:
    from integration_engineer.answer.check import Check

EPILOG = (
    "Exit status: 0 clean, 1 findings, 2 usage or setup error, 3 an input could not be read "
    "(missing, unreadable, nothing to check)."
)


@click.command("audit", epilog=EPILOG)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour text output (auto: on a terminal, unless NO_COLOR).",
)
@click.option("--task-id", help="The task the answers must be for.")
@click.option(
    "--worktree",
    type=click.Path(exists=True, file_okay=False),
    help="The task's worktree: worktree_path must name it; files_modified is compared with git there.",
)
@click.option(
    "--repo",
    type=click.Path(exists=True, file_okay=False),
    help="The repository (default: current directory): relative worktree_path values "
    "start here; files_modified is compared with git here when no --worktree.",
)
@click.option("--base", help="Compare files_modified with BASE...HEAD (default: the default branch).")
@click.option(
    "--agent-type",
    "agent_types",
    multiple=True,
    help="Agent types whose answers transcripts hold (default: the configured ones).",
)
def command(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    color: str,
    task_id: str | None,
    worktree: str | None,
    repo: str | None,
    base: str | None,
    agent_types: tuple[str, ...],
) -> None:
    """Check integration-engineer answers: JSON files, directories, Claude Code transcripts
    (.jsonl), or - for stdin."""
    from integration_engineer.audit import engine, formats

    guarded = agent_types or _configured_types()
    checks: tuple[Check, ...] = _claim_checks(task_id, worktree, repo, base)
    out: TextIO = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    try:
        reporter = formats.make(fmt, out, _use_color(color, out))
        summary = engine.run(list(paths), guarded, checks, reporter)
    finally:
        if output:
            out.close()
    sys.exit(summary.exit_code)


def _configured_types() -> tuple[str, ...]:
    from integration_engineer import config

    try:
        return config.load(config.project_dir()).guarded_agent_types
    except config.ConfigError as exc:
        raise click.UsageError(str(exc)) from None


def _claim_checks(task_id: str | None, worktree: str | None, repo: str | None, base: str | None) -> tuple[Check, ...]:
    if task_id is None and worktree is None and repo is None:
        if base:
            raise click.UsageError("--base needs --worktree or --repo")
        return ()
    from integration_engineer.audit import git_claims

    place = worktree or repo
    where = Path(place) if place else None
    try:
        changes = git_claims.changes(where, base) if where else None
    except git_claims.GitError as exc:
        raise click.UsageError(str(exc)) from None
    expected = git_claims.Expected(task_id, Path(worktree) if worktree else None, Path(repo) if repo else None, changes)
    return (lambda value: git_claims.problems(value, expected),)


def _use_color(choice: str, out: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    return out.isatty() and not os.environ.get("NO_COLOR")
