"""SessionStart bootstrap: the cold-path virtualenv in ``${CLAUDE_PLUGIN_DATA}/venv``.

Claude Code installs no Python dependencies for plugins. The venv is rebuilt when the bundled
requirements differ from the copy stored beside it; the ``.ready`` marker is written last, and
the launcher uses the venv only when the marker exists, so a half-built venv is never used.
Standard library only: this runs on whatever interpreter the launcher found.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import integration_engineer

PLUGIN_ROOT = Path(integration_engineer.PLUGIN_ROOT)
REQUIREMENTS = PLUGIN_ROOT / "requirements.txt"


@dataclass(frozen=True)
class BuildResult:
    status: str  # "skipped", "current", "built", "failed"
    detail: str


def venv_paths(data: Path) -> tuple[Path, Path, Path]:
    venv = data / "venv"
    return venv, venv / ".ready", venv / "requirements.txt"


def needed(data: Path, requirements: Path = REQUIREMENTS) -> bool:
    """True when the venv is missing, unfinished, or built from other requirements."""
    _, ready, stored = venv_paths(data)
    if not ready.exists() or not stored.exists():
        return True
    return stored.read_bytes() != requirements.read_bytes()


def development(data: Path) -> bool:
    """True for ``--plugin-dir`` sessions (Claude Code names their data dir ``<plugin>-inline``), as
    the launcher decides: an installed plugin builds its own venv even when it runs from a checkout."""
    return data.name.endswith("-inline")


def ensure_venv(data: Path, requirements: Path = REQUIREMENTS, timeout: float = 540) -> BuildResult:
    """Build the venv if needed, under an exclusive lock (parallel sessions wait for one build)."""
    if development(data) and (PLUGIN_ROOT / ".venv").is_dir() and requirements == REQUIREMENTS:
        return BuildResult("skipped", "development checkout: the repository's .venv is used")
    if not needed(data, requirements):
        return BuildResult("current", f"{data / 'venv'} is up to date")
    data.mkdir(parents=True, exist_ok=True)
    with open(data / "venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not needed(data, requirements):  # another session built it while we waited
            return BuildResult("current", f"{data / 'venv'} was built by another session")
        return _build(data, requirements, timeout)


def _build(data: Path, requirements: Path, timeout: float) -> BuildResult:
    venv, ready, stored = venv_paths(data)
    ready.unlink(missing_ok=True)
    shutil.rmtree(venv, ignore_errors=True)
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(requirements),
        ],
    ]
    for step in steps:
        try:
            proc = subprocess.run(step, capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return BuildResult("failed", f"{' '.join(step[:3])}: {exc}")
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            return BuildResult("failed", f"{' '.join(step[:3])} exited {proc.returncode}: {' | '.join(tail)}")
    shutil.copyfile(requirements, stored)
    tmp = ready.with_suffix(".tmp")
    tmp.write_text(sys.version.split()[0] + "\n")
    os.replace(tmp, ready)
    return BuildResult("built", f"built {venv} from {requirements.name}")
