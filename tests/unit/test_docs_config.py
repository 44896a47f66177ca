"""docs/configuration.md documents every key of the config schema, with the schema's default.

The keys are the rows of a markdown table whose first cell is the key in backticks (nested keys
as ``jira.enabled``) and whose second cell is the default as JSON in backticks, or ``(none)``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "configuration.md"
SCHEMA = ROOT / "schemas" / "config.schema.json"
ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|\s*(.*?)\s*\|(.*)\|\s*$")
NO_DEFAULT = "(none)"


def schema_keys(schema: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Leaf keys of the schema (objects with properties are replaced by their children),
    each with its default (NO_DEFAULT when the schema gives none)."""
    keys: dict[str, Any] = {}
    for name, spec in schema["properties"].items():
        if "properties" in spec:
            keys.update(schema_keys(spec, f"{prefix}{name}."))
        else:
            keys[prefix + name] = spec.get("default", NO_DEFAULT)
    return keys


def documented_keys(text: str) -> dict[str, tuple[str, str]]:
    """key -> (default cell, meaning cell) for every table row that starts with a backticked key."""
    rows: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        match = ROW.match(line.strip())
        if match:
            key = match.group(1)
            assert key not in rows, f"{key} is documented twice"
            rows[key] = (match.group(2), match.group(3).strip())
    return rows


def parse_default(cell: str) -> Any:
    if cell == NO_DEFAULT:
        return NO_DEFAULT
    assert cell.startswith("`") and cell.endswith("`"), f"default {cell!r} is not in backticks"
    return json.loads(cell[1:-1])


SCHEMA_KEYS = schema_keys(json.loads(SCHEMA.read_text(encoding="utf-8")))
DOC_KEYS = documented_keys(DOC.read_text(encoding="utf-8"))


def test_every_schema_key_is_documented() -> None:
    missing = sorted(set(SCHEMA_KEYS) - set(DOC_KEYS))
    assert not missing, f"docs/configuration.md does not document: {missing}"


def test_every_documented_key_exists_in_the_schema() -> None:
    unknown = sorted(set(DOC_KEYS) - set(SCHEMA_KEYS))
    assert not unknown, f"docs/configuration.md documents keys the schema lacks: {unknown}"


@pytest.mark.parametrize("key", sorted(SCHEMA_KEYS))
def test_documented_default_equals_the_schema_default(key: str) -> None:
    default_cell, meaning = DOC_KEYS[key]
    assert parse_default(default_cell) == SCHEMA_KEYS[key]
    assert len(meaning.split()) >= 5, f"{key}: the meaning is missing or too short"


def test_the_row_parser_sees_nested_keys_and_ignores_other_tables() -> None:
    text = (
        "| key | default | meaning |\n|---|---|---|\n"
        "| `jira.enabled` | `false` | Run acli for ids. |\n"
        "| tool | flag | note |\n| rg | `-g` | x |\n"
    )
    assert documented_keys(text) == {"jira.enabled": ("`false`", "Run acli for ids.")}
    assert schema_keys({"properties": {"a": {"default": 1}, "b": {"properties": {"c": {"default": [2]}}}}}) == {
        "a": 1,
        "b.c": [2],
    }


def test_the_stricter_git_list_refuses_the_plumbing_it_names(tmp_path: Path) -> None:
    import subprocess
    import sys

    text = DOC.read_text()
    section = text[text.index("### A stricter git list") : text.index("## Where state lives")]
    block = section.split("```json", 1)[1].split("```", 1)[0]
    config = json.loads(block)
    project = tmp_path / "p"
    (project / ".claude").mkdir(parents=True)
    (project / ".claude" / "integration-engineer.json").write_text(json.dumps(config))
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    cli = str(Path(sys.executable).parent / "integration-engineer")
    plumbing = [
        "git update-index --add f",
        "git commit-tree HEAD^{tree} -m x",
        "git update-ref refs/heads/main HEAD~1",
        "git read-tree -m a b",
        "git apply --cached p.diff",
    ]
    for command in plumbing:
        strict = subprocess.run(
            [cli, "check-command", "--cwd", str(project), command], capture_output=True, text=True, cwd=project
        )
        default = subprocess.run(
            [cli, "check-command", "--cwd", str(tmp_path), command], capture_output=True, text=True, cwd=tmp_path
        )
        assert (strict.returncode, default.returncode) == (1, 0), (command, strict.stdout, default.stdout)
