"""Fixtures of the real-CLI end-to-end suite: the pinned CLI, a scripted model server, a sandbox.

A CLI that cannot be installed or run fails every test that needs it; nothing is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import CLIUnavailableError, Sandbox, install_cli
from tests.e2e.model_server import ModelServer


@pytest.fixture(scope="session")
def claude_cli() -> Path:
    """The pinned CLI binary (installed into the cache on first use; IE_CLAUDE_BIN overrides)."""
    try:
        return install_cli()
    except CLIUnavailableError as exc:
        pytest.fail(f"the pinned Claude Code CLI is required for the e2e tests: {exc}", pytrace=False)


@pytest.fixture
def model_server(tmp_path: Path) -> Iterator[ModelServer]:
    with ModelServer(log_path=tmp_path / "model-requests.jsonl") as server:
        yield server


@pytest.fixture
def sandbox(tmp_path: Path, claude_cli: Path, model_server: ModelServer) -> Sandbox:
    """A throwaway HOME trusting a fresh git project with ``trees/PROJ-123-stripe``."""
    return Sandbox(tmp_path, claude_cli, model_server)


@pytest.fixture(scope="module")
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, ModelServer]]:
    """One module's temporary root and the scripted model server its sandboxes share (logging to
    ``model-requests.jsonl`` there): each sandbox goes in a directory of its own under the root."""
    root = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    with ModelServer(log_path=root / "model-requests.jsonl") as server:
        yield root, server


@pytest.fixture(scope="module")
def module_sandbox(world: tuple[Path, ModelServer], claude_cli: Path) -> Sandbox:
    """One sandbox for a whole module: for modules whose tests look at one shared CLI run."""
    root, server = world
    return Sandbox(root / "world", claude_cli, server)
