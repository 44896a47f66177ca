"""The agent definition: at most 20 KB (it is in every guarded agent's context), the same rules as the
configuration's defaults, the seed's three ERROR lines, how to start it, and its tested examples
reachable through ``integration-engineer example``. Sizes in tokens: benchmarks/bench_context.py."""

from __future__ import annotations

import subprocess
import sys

from integration_engineer.config import Settings
from tests.helpers import ROOT
from tests.unit.test_docs_examples import EXPECTED

AGENT = ROOT / "agents" / "integration-engineer.md"
TEXT = AGENT.read_text(encoding="utf-8")
MAX_BYTES = 20 * 1024


def test_the_definition_fits_its_budget() -> None:
    assert len(TEXT.encode("utf-8")) <= MAX_BYTES


def test_the_rules_name_every_default() -> None:
    defaults = Settings()
    missing = [v for v in defaults.forbidden_git_verbs if f"`{v}`" not in TEXT]
    missing += [g for g in defaults.report_file_globs if f"`{g}`" not in TEXT]
    assert not missing, missing
    for line in (
        "ERROR: Need task identifier with description OR detailed integration description",
        "ERROR: Worktree path required (e.g., ./trees/PROJ-123-integration)",
        "ERROR: Integration requirements required (provide API specs, authentication flow, data flow)",
    ):
        assert line in TEXT


def test_the_description_says_how_to_start_it() -> None:
    description = TEXT.split("\n---\n", 1)[0]
    assert "/integration-engineer:start-task [--isolation]" in description
    assert 'isolation: "worktree"' in description
    assert "git worktree add ./trees/" in description
    assert "integration-engineer:integration-engineer" in description


def test_every_example_it_names_is_printed_by_the_command() -> None:
    listed = subprocess.run(
        [sys.executable, "-m", "integration_engineer.cli", "example"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert set(listed[0::2]) == set(EXPECTED)
    for name in EXPECTED:
        assert f"`{name}`" in TEXT, name
        shown = subprocess.run(
            [sys.executable, "-m", "integration_engineer.cli", "example", name], capture_output=True, text=True
        )
        assert shown.returncode == 0 and len(shown.stdout.splitlines()) > 5, shown.stderr
