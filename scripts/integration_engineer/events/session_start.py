"""SessionStart: make sure the cold-path venv exists (plugin installs only)."""

from __future__ import annotations

import os
from pathlib import Path

from integration_engineer.config import Settings
from integration_engineer.runtime.outcome import PASS, Outcome
from integration_engineer.runtime.payload import HookEvent
from integration_engineer.setup import bootstrap


def handle(event: HookEvent, settings: Settings) -> Outcome:
    data = os.environ.get("CLAUDE_PLUGIN_DATA")
    if not data:
        return PASS
    result = bootstrap.ensure_venv(Path(data))
    if result.status == "failed":
        return Outcome(
            system_message=(
                f"integration-engineer: could not build its Python environment ({result.detail}). The guards "
                "still run; the end-of-task checks (cleanup, answer contract) are inactive until this is fixed: "
                "run `integration-engineer doctor` or see docs/troubleshooting.md."
            )
        )
    if result.status == "built":
        return Outcome(system_message=f"integration-engineer: {result.detail}.")
    return PASS
