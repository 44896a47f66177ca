"""The stdlib config checker agrees with jsonschema, and Settings' defaults equal the schema's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from integration_engineer import config
from integration_engineer.runtime.record import fields

SCHEMA = config.load_schema()

SAMPLES: list[Any] = [
    {},
    {"worktree_root": ".claude/worktrees"},
    {"test_scope": "deny"},
    {"test_scope": "nope"},
    {"max_output_retries": 8},
    {"max_output_retries": 2.0},
    {"max_output_retries": True},
    {"guarded_agent_types": []},
    {"guarded_agent_types": ["a", ""]},
    {"excluded_dirs": "trees"},
    {"jira": {"enabled": True, "timeout_seconds": 0}},
    {"jira": {"enabeld": True}},
    {"log": {"max_bytes": 10}},
    {"unknown": 1},
    [],
    "text",
    {"rewrite_commands": "yes"},
    {"$schema": "./schemas/config.schema.json", "artifacts": ["coverage/"]},
]


@pytest.mark.parametrize("sample", SAMPLES)
def test_checker_agrees_with_jsonschema(sample: Any) -> None:
    ours = config.check(sample, SCHEMA)
    theirs = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(sample))
    assert bool(ours) == bool(theirs), (ours, [e.message for e in theirs])


def test_settings_defaults_equal_schema_defaults() -> None:
    defaults = config.Settings()
    for key, prop in SCHEMA["properties"].items():
        if key == "$schema":
            continue
        value = getattr(defaults, key)
        if hasattr(value, "__record_fields__"):
            for sub, subprop in prop["properties"].items():
                got = getattr(value, sub)
                assert (list(got) if isinstance(got, tuple) else got) == subprop["default"], f"{key}.{sub}"
        else:
            expected = prop["default"]
            assert (list(value) if isinstance(value, tuple) else value) == expected, key


def test_every_setting_is_in_the_schema() -> None:
    names = {f.name for f in fields(config.Settings)} - {"source", "worktree_root_from"}  # where they came from
    assert names == set(SCHEMA["properties"]) - {"$schema"}


def write(project: Path, text: str) -> None:
    (project / ".claude").mkdir(exist_ok=True)
    (project / ".claude" / "integration-engineer.json").write_text(text)


def test_load_reads_values_and_falls_back_to_defaults(tmp_path: Path) -> None:
    assert config.load(tmp_path) == config.Settings()
    write(tmp_path, json.dumps({"worktree_root": "wt", "jira": {"enabled": True}}))
    loaded = config.load(tmp_path)
    assert (loaded.worktree_root, loaded.jira.enabled, loaded.jira.timeout_seconds) == ("wt", True, 5)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{", "not valid JSON"),
        ('{"test_scope": "nope"}', 'test_scope: "nope" is not one of'),
        ('{"max_output_retries": -1}', "below the minimum 0"),
        ('{"excluded_dirs": [1]}', "excluded_dirs[0]: expected string, got integer"),
    ],
)
def test_load_names_what_is_wrong(tmp_path: Path, text: str, fragment: str) -> None:
    write(tmp_path, text)
    with pytest.raises(config.ConfigError, match=r"integration-engineer\.json") as info:
        config.load(tmp_path)
    assert fragment in str(info.value)
