"""``integration-engineer doctor``: each thing the plugin needs, checked, with how to fix it.

Standard library only, so it runs when the plugin's venv is missing (``bin/integration-engineer``
then starts it on any Python 3.10+). It looks at the copy Claude Code installed (its own records
under ``~/.claude/plugins/``), not only at the copy it runs from. A ``fail`` is anything that leaves
the guards inert or wrong: too old a Claude Code, the plugin not installed or disabled, hooks not
registered or switched off, an invalid configuration.
"""

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
from integration_engineer.setup import bootstrap, installed, versions

PLUGIN_ROOT = bootstrap.PLUGIN_ROOT
TESTED_CLAUDE_VERSION = versions.NEWEST_TESTED
EXPECTED_EVENTS = tuple(HANDLERS)


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # "ok", "warn", "fail"
    detail: str
    fix: str = ""


def run_all(project: Path, claude_bin: str | None = None, data_dir: str | None = None) -> list[Check]:
    install = installation(project)
    root = install.install_path if install else PLUGIN_ROOT
    checks = [
        check_interpreter(),
        check_claude(claude_bin),
        check_installed(install),
        check_enabled(project, install),
        check_version(install),
        check_hooks(root),
        check_hooks_switched_on(project),
        check_venv(data_dir, install),
        check_config(project),
        check_data_dir(data_dir, install),
    ]
    inert = [c.name for c in checks if c.status == "fail" and c.name in GUARD_PREREQUISITES]
    return [*checks, check_static(inert), check_sandbox(project), check_base_ref(project)]


# A failure of one of these means no guard runs at all in a session.
GUARD_PREREQUISITES = ("claude", "installed", "enabled", "hooks", "hooks-on")


def installation(project: Path) -> installed.Installation | None:
    """The installed copy that applies here: a project-scoped one for this project, else the user's."""
    here = [i for i in installed.installations() if i.project and Path(i.project).resolve() == project]
    user = [i for i in installed.installations() if i.scope in ("user", "managed")]
    found = here or user
    return found[0] if found else None


def check_installed(install: installed.Installation | None) -> Check:
    running = os.environ.get("CLAUDE_PLUGIN_ROOT")
    if install:
        return Check("installed", "ok", f"{install.key} ({install.scope} scope) in {install.install_path}")
    if running:
        return Check("installed", "ok", f"loaded by this Claude Code session from {running} (--plugin-dir)")
    return Check(
        "installed",
        "fail",
        f"not installed ({installed.claude_home() / 'plugins' / 'installed_plugins.json'} does not list it): "
        "the guards run only in `claude --plugin-dir` sessions",
        "claude plugin marketplace add <this checkout or its git URL>; "
        "claude plugin install integration-engineer@integration-engineer",
    )


def check_enabled(project: Path, install: installed.Installation | None) -> Check:
    if install is None:
        return Check("enabled", "warn", "not installed, nothing to enable")
    on, where = installed.enabled(project, install.key)
    if on is False:
        return Check("enabled", "fail", f"disabled in {where}: no hook runs", f"claude plugin enable {install.key}")
    if on is None:
        return Check("enabled", "warn", f"no settings file names {install.key}", f"claude plugin enable {install.key}")
    return Check("enabled", "ok", f"enabled in {where}")


def check_version(install: installed.Installation | None) -> Check:
    here = installed.manifest_version(PLUGIN_ROOT) or "unknown"
    if install is None:
        return Check("version", "ok", f"{here} (this copy, {PLUGIN_ROOT})")
    copied = installed.manifest_version(install.install_path) or install.version
    if Path(PLUGIN_ROOT).resolve() != install.install_path.resolve() and copied != here:
        return Check(
            "version",
            "warn",
            f"installed {copied}, this copy ({PLUGIN_ROOT}) is {here}",
            f"claude plugin update {install.key}",
        )
    return Check("version", "ok", f"{copied}")


def check_hooks_switched_on(project: Path) -> Check:
    where = installed.hooks_disabled(project)
    if where:
        return Check(
            "hooks-on", "fail", f"disableAllHooks is true in {where}: no guard runs", f"remove it from {where}"
        )
    return Check("hooks-on", "ok", "no settings file sets disableAllHooks")


def check_static(inert: list[str]) -> Check:
    """The first layer: the guards read every tool call before it runs (standard library only)."""
    if inert:
        return Check("static", "fail", f"inactive: the guards do not run ({', '.join(inert)} failed above)")
    return Check("static", "ok", "active: every tool call is read before it runs (git guard, isolation, exclusions)")


def check_sandbox(project: Path) -> Check:
    from integration_engineer.sandbox import probe

    try:
        mode = config.load(project).sandbox.mode
    except config.ConfigError:
        mode = "auto"
    return Check("sandbox", *probe.doctor_status(mode))


def check_base_ref(project: Path) -> Check:
    """Whether an isolation worktree (Agent isolation, --worktree, EnterWorktree) would lack the
    project's unpushed commits: it branches from origin's default branch unless baseRef is head."""
    from integration_engineer.task import base_ref

    ref = base_ref.setting((str(project),))
    if ref == "head":
        return Check("base-ref", "ok", 'worktree.baseRef is "head": isolation worktrees branch from your HEAD')
    base, count = base_ref.missing(str(project))
    if not base:
        return Check("base-ref", "ok", "no origin default branch: isolation worktrees branch from your HEAD")
    detail = f"isolation worktrees branch from {base} (worktree.baseRef {ref!r})"
    if not count:
        return Check("base-ref", "ok", f"{detail}; your HEAD has no commit missing there")
    return Check(
        "base-ref",
        "warn",
        f"{detail}: {count} commit(s) of your HEAD are not on {base}, so an isolated agent would not see them",
        'push them, or set {"worktree": {"baseRef": "head"}} in .claude/settings.json',
    )


def check_interpreter() -> Check:
    # The package itself needs 3.10+, so reaching this line already proves the version.
    version = ".".join(map(str, sys.version_info[:3]))
    return Check("interpreter", "ok", f"{sys.executable} (Python {version})")


def check_venv(data_dir: str | None, install: installed.Installation | None) -> Check:
    data = data_dir or os.environ.get("CLAUDE_PLUGIN_DATA") or (str(install.data_dir) if install else "")
    if (not data or bootstrap.development(Path(data))) and (PLUGIN_ROOT / ".venv" / "bin" / "python").exists():
        return Check("venv", "ok", f"development checkout: {PLUGIN_ROOT / '.venv'}")
    if not data:
        return Check(
            "venv",
            "warn",
            "no plugin data directory (not installed, not under Claude Code)",
            "install the plugin, or `make install` in the plugin directory",
        )
    if bootstrap.needed(Path(data)):
        return Check(
            "venv",
            "warn",
            f"{data}/venv is not built yet (or out of date): the guards run on the standard library; the "
            "end-of-task checks (cleanup, answer contract) wait for it",
            "start a new Claude Code session (its SessionStart hook builds it) and read its message",
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


def check_hooks(root: Path) -> Check:
    hooks_json = root / "hooks" / "hooks.json"
    try:
        registered = json.loads(hooks_json.read_text())["hooks"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Check("hooks", "fail", f"{hooks_json}: {exc}", "reinstall the plugin")
    missing = [e for e in EXPECTED_EVENTS if e not in registered]
    launcher = root / "scripts" / "launch"
    if missing or not os.access(launcher, os.X_OK):
        detail = f"missing events {missing}" if missing else f"{launcher} is not executable"
        return Check("hooks", "fail", detail, "reinstall the plugin (chmod +x scripts/launch)")
    return Check("hooks", "ok", f"{len(registered)} events registered in {hooks_json}")


def check_data_dir(data_dir: str | None, install: installed.Installation | None) -> Check:
    chosen = data_dir or os.environ.get("IE_DATA_DIR") or os.environ.get("CLAUDE_PLUGIN_DATA")
    path = Path(chosen or (str(install.data_dir) if install else datadir.data_dir()))
    try:
        datadir.ensure(str(path))
        probe = path / ".doctor-probe"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        return Check("data", "fail", f"{path} is not writable: {exc}", "fix the directory's permissions")
    return Check("data", "ok", f"{path} (decision log, task state)")


MARKS = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL"}


def report(checks: list[Check]) -> tuple[str, int]:
    """The printed report and the exit code (1 when a check failed)."""
    lines: list[str] = []
    for check in checks:
        lines.append(f"[{MARKS[check.status]}] {check.name:<12} {check.detail}")
        if check.fix:
            lines.append(f"       fix: {check.fix}")
    return "\n".join(lines), (1 if any(c.status == "fail" for c in checks) else 0)


def main(argv: list[str]) -> int:
    """``integration-engineer doctor [--project DIR] [--claude PATH] [--data-dir DIR]`` (argparse, no click)."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="integration-engineer doctor",
        description="Check the installed plugin, its hooks and venv, Claude Code, the config and the layers.",
    )
    parser.add_argument("--project", default=".", help="project whose configuration and settings to check")
    parser.add_argument("--claude", dest="claude_bin", help="path of the claude binary (default: from PATH)")
    parser.add_argument("--data-dir", help="plugin data directory (default: the installed copy's)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    project = Path(args.project).resolve()
    if not project.is_dir():
        sys.stderr.write(f"integration-engineer doctor: --project {args.project}: not a directory\n")
        return 2
    text, code = report(run_all(project, args.claude_bin, args.data_dir))
    sys.stdout.write(text + "\n")
    return code
