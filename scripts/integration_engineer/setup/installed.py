"""Where an installed copy of the plugin keeps its data, seen from a terminal outside Claude Code.

Claude Code gives hooks ``CLAUDE_PLUGIN_DATA`` (``~/.claude/plugins/data/<plugin>-<marketplace>/``);
a shell the user opens has no such variable, so ``log`` and ``doctor`` look there themselves.
"""

from __future__ import annotations

import os
from pathlib import Path

from integration_engineer.runtime import datadir

PLUGIN_NAME = "integration-engineer"


def claude_home() -> Path:
    return Path(os.environ.get("CLAUDE_CONFIG_DIR") or Path.home() / ".claude")


def plugin_data_dirs() -> list[Path]:
    """Data directories of installed copies, the most recently written first."""
    root = claude_home() / "plugins" / "data"
    try:
        found = [p for p in root.iterdir() if p.is_dir() and p.name.startswith(PLUGIN_NAME)]
    except OSError:
        return []
    return sorted(found, key=_last_written, reverse=True)


def _last_written(directory: Path) -> float:
    try:
        return (directory / "decisions.jsonl").stat().st_mtime
    except OSError:
        return directory.stat().st_mtime if directory.exists() else 0.0


def data_dir(explicit: str | None = None) -> str:
    """``--data-dir``, then IE_DATA_DIR / CLAUDE_PLUGIN_DATA, then an installed copy's, then the default."""
    if explicit:
        return explicit
    if os.environ.get("IE_DATA_DIR") or os.environ.get("CLAUDE_PLUGIN_DATA"):
        return datadir.data_dir()
    installed = plugin_data_dirs()
    return str(installed[0]) if installed else datadir.data_dir()
