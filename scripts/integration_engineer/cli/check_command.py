"""``integration-engineer check-command 'CMD'``: what the git-operation guard decides, and why."""

from __future__ import annotations

import json
import os
import sys

import click

from integration_engineer import config
from integration_engineer.git_guard import policy as git_operations
from integration_engineer.runtime.actor import is_guarded


@click.command("check-command")
@click.argument("cmd", required=False)
@click.option(
    "--agent-type",
    default="integration-engineer:integration-engineer",
    show_default=True,
    help="agent_type of the payload ('' = the orchestrator).",
)
@click.option(
    "--cwd",
    type=click.Path(file_okay=False),
    default=None,
    help="Directory the command runs in (repository aliases are read there).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the decision as JSON.")
def command(cmd: str | None, agent_type: str, cwd: str | None, as_json: bool) -> None:
    """Print the decision of the git-operation guard for CMD (or stdin when CMD is '-' or
    missing) and the reasoning. Exit status: 0 allowed, 1 refused, 2 usage
    error, 3 bad configuration."""
    if cmd is None or cmd == "-":
        cmd = sys.stdin.read()
    directory = cwd or os.getcwd()
    try:
        settings = config.load(config.project_dir(directory))
    except config.ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    guarded = is_guarded(agent_type, settings.guarded_agent_types)
    findings = git_operations.analyse(cmd, cwd=directory, forbidden=frozenset(settings.forbidden_git_verbs))
    decision = "deny" if guarded and findings.blocked else "allow"
    if as_json:
        click.echo(json.dumps(_as_dict(decision, guarded, findings, agent_type)))
    else:
        click.echo(_as_text(decision, guarded, findings, agent_type))
    raise SystemExit(1 if decision == "deny" else 0)


def _as_dict(decision: str, guarded: bool, findings: git_operations.GitFindings, agent_type: str) -> dict[str, object]:
    return {
        "decision": decision,
        "agent_type": agent_type,
        "guarded": guarded,
        "fast_path": findings.fast,
        "findings": [f.as_dict() for f in findings.findings],
        "notes": findings.notes,
        "reason": git_operations.reason(findings) if findings.blocked else "",
    }


def _as_text(decision: str, guarded: bool, findings: git_operations.GitFindings, agent_type: str) -> str:
    lines = [f"decision: {decision}"]
    if not guarded:
        lines.append(f"agent_type {agent_type!r} is not guarded: the guard does not apply")
    for finding in findings.findings:
        lines.append(f"  found: {finding.describe()}")
    for note in findings.notes:
        lines.append(f"  note: {note}")
    if findings.fast:
        lines.append("  (decided by the quick look, without parsing)")
    if findings.blocked and guarded:
        lines.append("")
        lines.append(git_operations.reason(findings))
    elif not findings.blocked:
        lines.append("  no forbidden git operation can run")
    return "\n".join(lines)
