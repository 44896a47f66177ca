"""``integration-engineer doctor``: each thing the plugin needs, checked, with how to fix it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from integration_engineer import config
from integration_engineer.runtime import datadir
from integration_engineer.runtime.event_names import HANDLERS
from integration_engineer.setup import bootstrap, versions

PLUGIN_ROOT = bootstrap.PLUGIN_ROOT
TESTED_CLAUDE_VERSION = versions.NEWEST_TESTED
EXPECTED_EVENTS = tuple(HANDLERS)


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # "ok", "warn", "fail"
    detail: str
    fix: str = ""


def run_all(project: Path, claude_bin: str | None = None) -> list[Check]:
    return [
        check_interpreter(),
        check_venv(),
        check_claude(claude_bin),
        check_config(project),
        check_hooks(),
        check_data_dir(),
        check_sandbox(project),
    ]


def check_sandbox(project: Path) -> Check:
    from integration_engineer.sandbox import probe

    try:
        mode = config.load(project).sandbox.mode
    except config.ConfigError:
        mode = "auto"
    return Check("sandbox", *probe.doctor_status(mode))


def check_interpreter() -> Check:
    # The package itself needs 3.10+, so reaching this line already proves the version.
    version = ".".join(map(str, sys.version_info[:3]))
    return Check("interpreter", "ok", f"{sys.executable} (Python {version})")


def check_venv() -> Check:
    if (PLUGIN_ROOT / ".venv" / "bin" / "python").exists():
        return Check("venv", "ok", f"development checkout: {PLUGIN_ROOT / '.venv'}")
    data = os.environ.get("CLAUDE_PLUGIN_DATA")
    if not data:
        return Check(
            "venv",
            "warn",
            "CLAUDE_PLUGIN_DATA is not set (not running under Claude Code)",
            "run doctor from a Claude Code session, or `make install` in the plugin directory",
        )
    if bootstrap.needed(Path(data)):
        return Check(
            "venv",
            "fail",
            f"{data}/venv is missing, unfinished or out of date",
            "start a new Claude Code session (SessionStart builds it) and read its message",
        )
    return Check("venv", "ok", f"{data}/venv is ready")


def check_claude(claude_bin: str | None) -> Check:
    binary = claude_bin or shutil.which("claude")
    if not binary:
        return Check("claude", "warn", "`claude` is not on PATH", "install Claude Code (npm @anthropic-ai/claude-code)")
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Check("claude", "fail", f"{binary} --version failed: {exc}", "reinstall Claude Code")
    version = out.split()[0] if out.split() else "unknown"
    return Check("claude", *versions.doctor_line(version))


def check_config(project: Path) -> Check:
    try:
        settings = config.load(project)
    except config.ConfigError as exc:
        return Check("config", "fail", str(exc), "fix the file; see docs/configuration.md")
    where = settings.source or f"defaults (no {config.config_path(project)})"
    return Check("config", "ok", where)


def check_hooks() -> Check:
    hooks_json = PLUGIN_ROOT / "hooks" / "hooks.json"
    try:
        registered = json.loads(hooks_json.read_text())["hooks"]
    except (OSError, ValueError, KeyError) as exc:
        return Check("hooks", "fail", f"{hooks_json}: {exc}", "reinstall the plugin")
    missing = [e for e in EXPECTED_EVENTS if e not in registered]
    launcher = PLUGIN_ROOT / "scripts" / "launch"
    if missing or not os.access(launcher, os.X_OK):
        detail = f"missing events {missing}" if missing else f"{launcher} is not executable"
        return Check("hooks", "fail", detail, "reinstall the plugin (chmod +x scripts/launch)")
    return Check("hooks", "ok", f"{len(registered)} events registered in {hooks_json}")


def check_data_dir() -> Check:
    path = Path(datadir.data_dir())
    try:
        datadir.ensure(str(path))
        probe = path / ".doctor-probe"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        return Check("data", "fail", f"{path} is not writable: {exc}", "fix the directory's permissions")
    return Check("data", "ok", f"{path} (decision log, task state)")
