"""Where an installed copy of the plugin keeps its data, seen from a terminal outside Claude Code.

Claude Code gives hooks ``CLAUDE_PLUGIN_DATA`` (``~/.claude/plugins/data/<plugin>-<marketplace>/``);
a shell the user opens has no such variable, so ``log`` and ``doctor`` look there themselves.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class Installation:
    """One ``integration-engineer@<marketplace>`` entry of Claude Code's ``installed_plugins.json``."""

    key: str
    scope: str
    install_path: Path
    version: str
    project: str = ""

    @property
    def marketplace(self) -> str:
        return self.key.partition("@")[2]

    @property
    def data_dir(self) -> Path:
        """Claude Code's ``CLAUDE_PLUGIN_DATA`` for it: ``<plugin>-<marketplace>`` (observed)."""
        return claude_home() / "plugins" / "data" / f"{PLUGIN_NAME}-{self.marketplace}"


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def installations() -> list[Installation]:
    """What ``claude plugin install`` recorded for this plugin (empty when not installed)."""
    record = _read_json(claude_home() / "plugins" / "installed_plugins.json")
    plugins = record.get("plugins") if isinstance(record, dict) else None
    found: list[Installation] = []
    for key, entries in (plugins or {}).items() if isinstance(plugins, dict) else ():
        if key.partition("@")[0] != PLUGIN_NAME or not isinstance(entries, list):
            continue
        for entry in entries:
            if isinstance(entry, dict) and entry.get("installPath"):
                found.append(
                    Installation(
                        key=key,
                        scope=str(entry.get("scope", "")),
                        install_path=Path(str(entry["installPath"])),
                        version=str(entry.get("version", "")),
                        project=str(entry.get("projectPath", "")),
                    )
                )
    return found


def settings_files(project: Path) -> list[Path]:
    """Claude Code's settings, least specific first (user, project, local)."""
    return [
        claude_home() / "settings.json",
        project / ".claude" / "settings.json",
        project / ".claude" / "settings.local.json",
    ]


def setting(project: Path, read: Callable[[dict[str, Any]], Any]) -> tuple[Any, Path | None]:
    """The most specific settings file's value (``read`` returns None where a file says nothing)."""
    value: Any = None
    where: Path | None = None
    for path in settings_files(project):
        data = _read_json(path)
        if isinstance(data, dict):
            found = read(data)
            if found is not None:
                value, where = found, path
    return value, where


def enabled(project: Path, key: str) -> tuple[bool | None, Path | None]:
    """``enabledPlugins[key]`` as Claude Code's settings say it (None when no file names it)."""

    def read(data: dict[str, Any]) -> Any:
        plugins = data.get("enabledPlugins")
        return plugins.get(key) if isinstance(plugins, dict) else None

    value, where = setting(project, read)
    return (bool(value) if value is not None else None), where


def hooks_disabled(project: Path) -> Path | None:
    """The settings file that sets ``disableAllHooks: true`` (no hook of any plugin runs), if any."""
    value, where = setting(project, lambda data: data.get("disableAllHooks"))
    return where if value is True else None


def manifest_version(root: Path) -> str:
    data = _read_json(root / ".claude-plugin" / "plugin.json")
    return str(data.get("version", "")) if isinstance(data, dict) else ""
