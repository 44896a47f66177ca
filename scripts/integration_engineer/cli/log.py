"""``integration-engineer log``: recent decisions as a table."""

from __future__ import annotations

import json
import time

import click

from integration_engineer.runtime import decision_log
from integration_engineer.setup import installed


@click.command("log")
@click.option("-n", "--limit", default=30, show_default=True, help="How many entries.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line instead of a table.")
@click.option("--denied", is_flag=True, help="Only denials, blocks and errors.")
@click.option(
    "--data-dir",
    default=None,
    help="Plugin data directory (default: $CLAUDE_PLUGIN_DATA; else the installed copy's ~/.claude/plugins/data/).",
)
def command(limit: int, as_json: bool, denied: bool, data_dir: str | None) -> None:
    """Show the most recent hook decisions (from the decision log in the plugin data directory)."""
    directory = installed.data_dir(data_dir)
    entries = decision_log.read_recent(limit * 20 if denied else limit, directory)
    if denied:
        entries = [e for e in entries if e.get("decision") in ("deny", "block", "error")][-limit:]
    if as_json:
        for entry in entries:
            click.echo(json.dumps(entry))
        return
    if not entries:
        click.echo(f"no decisions logged in {decision_log.path(directory)}")
        return
    click.echo(f"{'time':<19} {'event':<13} {'tool':<8} {'agent':<12} {'decision':<8} {'ms':>6}  reason")
    for e in entries:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(e.get("ts", 0))))
        agent = str(e.get("agent_type") or "orchestrator").split(":")[-1][:12]
        reason = str(e.get("reason", "")).replace("\n", " ")[:70]
        click.echo(
            f"{stamp:<19} {e.get('event', ''):<13} {e.get('tool', ''):<8} {agent:<12} "
            f"{e.get('decision', ''):<8} {e.get('ms', ''):>6}  {reason}"
        )
