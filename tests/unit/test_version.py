"""One version everywhere: plugin.json, the marketplace entry, pyproject, the package, and every version
the docs name (the CI snippets' tag is checked in tests/audit/test_ci_install.py)."""

from __future__ import annotations

import json
import re

import integration_engineer
from tests.helpers import ROOT

VERSION = json.loads((ROOT / ".claude-plugin" / "plugin.json").read_text())["version"]


def test_every_manifest_has_plugin_jsons_version() -> None:
    market = json.loads((ROOT / ".claude-plugin" / "marketplace.json").read_text())
    project = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.MULTILINE)
    assert [p["version"] for p in market["plugins"] if p["name"] == "integration-engineer"] == [VERSION]
    assert project and project.group(1) == VERSION
    assert integration_engineer.__version__ == VERSION


def test_the_docs_name_no_other_version_of_the_plugin() -> None:
    named: dict[str, list[str]] = {}
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        text = doc.read_text()
        for found in re.findall(
            r"integration-engineer@v?(\d+\.\d+\.\d+)|version (\d+\.\d+\.\d+) \(|Version: (\d+\.\d+\.\d+)"
            r"|\brev: v(\d+\.\d+\.\d+)",  # pre-commit's rev (the tag itself is the release's)
            text,
        ):
            named.setdefault(next(v for v in found if v), []).append(doc.name)
    assert named and set(named) == {VERSION}, named
