"""``integration-engineer example [NAME]``: one tested code example from docs/integration-examples.md.

The agent definition keeps only rules of thumb (its size is paid in every agent's context); the code
lives in the docs, where tests/unit/test_docs_examples.py runs it, and reaches the agent on request.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from integration_engineer import PLUGIN_ROOT

EXAMPLES = Path(PLUGIN_ROOT) / "docs" / "integration-examples.md"
_MARKED = re.compile(
    r"<!--\s*tested:\s*([a-z0-9][a-z0-9-]*)\s*-->\s*\n\s*(`{3,})([A-Za-z0-9_+-]*)\n(.*?)\n\2", re.DOTALL
)


def examples(text: str) -> dict[str, tuple[str, str]]:
    """name -> (language, code) for every marked block."""
    return {m.group(1): (m.group(3), m.group(4)) for m in _MARKED.finditer(text)}


@click.command("example")
@click.argument("name", required=False)
def command(name: str | None) -> None:
    """Print the tested code example NAME (without NAME: list them)."""
    try:
        found = examples(EXAMPLES.read_text(encoding="utf-8"))
    except OSError as exc:
        raise click.ClickException(f"cannot read {EXAMPLES}: {exc}") from exc
    if name is None:
        for key, (language, _) in found.items():
            click.echo(f"{key}\t{language}")
        return
    if name not in found:
        raise click.UsageError(f"no example {name!r}; expected one of: {', '.join(found)}")
    language, code = found[name]
    click.echo(f"# {name} ({language}, from {EXAMPLES.name}; tested by the plugin's suite)\n{code}")
