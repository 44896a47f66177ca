"""Every test runs with its own data directory, so decision logs and task state never leak."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

# CI and `make test` are reproducible: the same examples on every machine. `make fuzz` explores
# with fresh random examples (and more of them); what it finds becomes a fixed test case.
# Found examples are kept under .venv (outside the checkout, see the Makefile), never in .hypothesis/;
# derandomized runs keep none.
_EXAMPLES = DirectoryBasedExampleDatabase(str(Path(__file__).resolve().parents[1] / ".venv" / "cache" / "hypothesis"))
settings.register_profile("deterministic", derandomize=True)
settings.register_profile("explore", derandomize=False, database=_EXAMPLES)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    data = tmp_path_factory.mktemp("plugin-data")
    monkeypatch.setenv("IE_DATA_DIR", str(data))
    monkeypatch.delenv("CLAUDE_PLUGIN_DATA", raising=False)
    monkeypatch.delenv("CLAUDE_PROJECT_DIR", raising=False)
    yield data
