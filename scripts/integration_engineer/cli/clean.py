"""``integration-engineer clean WORKTREE [--dry-run]``: the SubagentStop cleanup, by hand."""

from __future__ import annotations

import json
from pathlib import Path

import click

from integration_engineer import config
from integration_engineer.finish import cleanup
from integration_engineer.repository import git_runner


@click.command("clean")
@click.argument("worktree", type=click.Path(exists=True, file_okay=False))
@click.option("--dry-run", is_flag=True, help="List exactly what would be removed and kept; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def command(worktree: str, dry_run: bool, as_json: bool) -> None:
    """Remove tool artifacts from WORKTREE: never tracked files, never through symlinks,
    never inside nested repositories or other worktrees."""
    settings = config.load(main_tree(Path(worktree)))
    try:
        report = cleanup.clean(worktree, settings.artifacts, settings.excluded_dirs, dry_run=dry_run)
    except cleanup.CleanupError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        click.echo(render(report))


def main_tree(worktree: Path) -> Path:
    """The main working tree of the repository ``worktree`` belongs to (its config applies)."""
    code, out = git_runner.run(str(worktree), ("rev-parse", "--path-format=absolute", "--git-common-dir"), timeout=30)
    common = out.strip()
    if code != 0 or not common:
        return worktree.resolve()
    return Path(common).parent


def render(report: cleanup.Report) -> str:
    verb = "would remove" if report.dry_run else "removed"
    lines = [f"{report.worktree}{' (dry run: nothing changed)' if report.dry_run else ''}"]
    for entry in report.removed:
        count = f" ({entry.files} file{'s' if entry.files != 1 else ''})" if entry.path.endswith("/") else ""
        lines.append(f"  {verb:<12} {entry.path}{count}  [{entry.reason}]")
    for entry in report.kept:
        lines.append(f"  {'kept':<12} {entry.path}  [{entry.reason}]")
    if not report.removed and not report.kept:
        lines.append("  no artifacts found")
    total = sum(e.files for e in report.removed)
    done = "would be removed" if report.dry_run else "removed"
    lines.append(f"{len(report.removed)} path(s), {total} file(s) {done}; {len(report.kept)} kept")
    return "\n".join(lines)
