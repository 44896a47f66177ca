"""Where the plugin keeps state: ``${CLAUDE_PLUGIN_DATA}`` (survives plugin updates).

Outside Claude Code (demo, tests, CLI by hand) ``IE_DATA_DIR`` or a per-user default is used.
"""

from __future__ import annotations

import os


def data_dir() -> str:
    explicit = os.environ.get("IE_DATA_DIR") or os.environ.get("CLAUDE_PLUGIN_DATA")
    if explicit:
        return explicit
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return os.path.join(base, "integration-engineer")


def ensure(path: str) -> str:
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path
