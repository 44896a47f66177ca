"""``claude plugin validate`` of the pinned CLI accepts the repository: strict (no warning), and the
plugin directory's profile finds nothing it would refuse.

On the repository root the validator checks the marketplace manifest (the folder holds both);
the plugin manifest is checked by pointing it at ``.claude-plugin/plugin.json``. Both run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import AGENT_TYPE, Sandbox

pytestmark = pytest.mark.e2e

TARGETS = {"root": ".", "plugin manifest": ".claude-plugin/plugin.json"}


def validate(sandbox: Sandbox, target: str, *extra: str) -> tuple[int, dict[str, Any], str]:
    run = sandbox.command("plugin", "validate", "--strict", "--json", *extra, target, cwd=sandbox.plugin_dir)
    try:
        report = json.loads(run.stdout)
    except ValueError:
        pytest.fail(f"validate printed no JSON report:\n{run.describe()}\n{run.stdout}")
    assert isinstance(report, dict), run.stdout
    return run.exit_code, report, run.stdout


def problems(report: dict[str, Any]) -> list[Any]:
    """Errors and warnings anywhere in the report (manifest, agents, hooks, other contents)."""
    found: list[Any] = []
    manifest = report.get("manifest") or {}
    found += manifest.get("errors") or []
    found += manifest.get("warnings") or []
    for item in report.get("contents") or []:
        if isinstance(item, dict):
            found += item.get("errors") or []
            found += item.get("warnings") or []
    return found


@pytest.mark.parametrize("target", TARGETS.values(), ids=TARGETS.keys())
def test_strict_validation_passes_without_any_warning(sandbox: Sandbox, target: str) -> None:
    code, report, raw = validate(sandbox, target)
    assert code == 0 and report.get("success") is True, raw
    assert report.get("strict") is True, raw
    assert problems(report) == [], raw


@pytest.mark.parametrize("target", TARGETS.values(), ids=TARGETS.keys())
def test_the_plugin_directory_would_refuse_nothing(sandbox: Sandbox, target: str) -> None:
    code, report, raw = validate(sandbox, target, "--profile", "directory")
    directory = report.get("directory") or {}
    assert directory.get("profile") == "directory", raw
    assert directory.get("findings") == [], raw
    assert directory.get("undecided") == [], raw
    assert directory.get("incomplete") is False and directory.get("failure") is None, raw
    assert code == 0, raw


def test_the_validator_sees_our_agent_and_every_registered_hook(sandbox: Sandbox) -> None:
    _, report, raw = validate(sandbox, TARGETS["plugin manifest"])
    provides = report.get("provides") or {}
    assert AGENT_TYPE in (provides.get("agents") or []), raw
    registered = json.loads((sandbox.plugin_dir / "hooks" / "hooks.json").read_text())["hooks"]
    seen = {hook["event"] for hook in provides.get("hooks") or []}
    assert seen == set(registered), raw


def test_a_broken_manifest_fails_strict_validation(sandbox: Sandbox, tmp_path: Path) -> None:
    """The check above can fail: the same command refuses an unknown field under --strict."""
    plugin = tmp_path / "broken"
    (plugin / ".claude-plugin").mkdir(parents=True)
    (plugin / ".claude-plugin" / "plugin.json").write_text(
        json.dumps({"name": "broken", "version": "0.0.1", "description": "x", "author": {"name": "x"}, "bogus": 1})
    )
    code, report, raw = validate(sandbox, str(plugin))
    assert code != 0 and report.get("success") is False, raw
    assert any("bogus" in json.dumps(p) for p in problems(report)), raw
