"""`integration-engineer doctor` as a user runs it (a real process): it reads Claude Code's own records
under the config dir (``installed_plugins.json``, settings), runs without the venv, and fails, exit 1,
for each thing that leaves the guards inert. The real installed plugin: tests/e2e/test_marketplace_install.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, git, make_repo

KEY = "integration-engineer@integration-engineer"


def claude_home(tmp_path: Path, install_path: Path, enabled: bool | None = True, **settings: object) -> Path:
    """A Claude Code config dir holding what ``claude plugin install`` writes (observed, 2.1.332)."""
    home = tmp_path / "claude-home"
    (home / "plugins").mkdir(parents=True)
    record = {"version": 2, "plugins": {KEY: [{"scope": "user", "installPath": str(install_path), "version": "0.1.0"}]}}
    (home / "plugins" / "installed_plugins.json").write_text(json.dumps(record))
    body: dict[str, object] = dict(settings)
    if enabled is not None:
        body["enabledPlugins"] = {KEY: enabled}
    (home / "settings.json").write_text(json.dumps(body))
    return home


def claude_stand_in(tmp_path: Path, version: str) -> Path:
    """Only ``claude --version``'s output matters to doctor; the real CLI's is checked in e2e."""
    script = tmp_path / f"claude-{version}"
    script.write_text(f"#!/bin/sh\necho '{version} (Claude Code)'\n")
    script.chmod(0o755)
    return script


def doctor(
    tmp_path: Path, home: Path, *args: str, command: list[str] | None = None, path: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("IE_DATA_DIR", "CLAUDE_PLUGIN_DATA", "CLAUDE_PLUGIN_ROOT")}
    env["CLAUDE_CONFIG_DIR"] = str(home)
    env["PATH"] = path or env["PATH"]
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    argv = command or [sys.executable, "-m", "integration_engineer.cli"]
    return subprocess.run(
        [*argv, "doctor", "--project", str(project), *args], capture_output=True, text=True, env=env, timeout=60
    )


def line(report: str, name: str) -> str:
    found = [row for row in report.splitlines() if row[7:19].strip() == name]
    assert len(found) == 1, report
    return found[0]


def test_a_healthy_install_passes(tmp_path: Path) -> None:
    home = claude_home(tmp_path, ROOT)
    proc = doctor(tmp_path, home, "--claude", str(claude_stand_in(tmp_path, "2.1.332")))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "[FAIL]" not in proc.stdout
    assert f"{KEY} (user scope) in {ROOT}" in line(proc.stdout, "installed")
    assert line(proc.stdout, "enabled").startswith("[ok  ]")
    assert line(proc.stdout, "version").endswith("0.1.0")
    assert "active" in line(proc.stdout, "static")
    assert "sandbox" in line(proc.stdout, "sandbox")


@pytest.mark.parametrize(
    ("case", "check", "says"),
    [
        ("too old", "claude", "older than"),
        ("not installed", "installed", "not installed"),
        ("disabled", "enabled", "disabled in"),
        ("hooks off", "hooks-on", "disableAllHooks is true"),
        ("no hooks", "hooks", "hooks.json"),
    ],
)
def test_whatever_leaves_the_guards_inert_fails(tmp_path: Path, case: str, check: str, says: str) -> None:
    install_path = ROOT
    if case == "no hooks":
        install_path = tmp_path / "broken-copy"
        (install_path / "hooks").mkdir(parents=True)
    home = claude_home(
        tmp_path,
        install_path,
        enabled=case != "disabled",
        **({"disableAllHooks": True} if case == "hooks off" else {}),
    )
    if case == "not installed":
        (home / "plugins" / "installed_plugins.json").write_text('{"version": 2, "plugins": {}}')
    version = "2.1.50" if case == "too old" else "2.1.332"
    proc = doctor(tmp_path, home, "--claude", str(claude_stand_in(tmp_path, version)))
    assert proc.returncode == 1, proc.stdout
    assert line(proc.stdout, check).startswith("[FAIL]") and says in line(proc.stdout, check), proc.stdout
    assert line(proc.stdout, "static").startswith("[FAIL]") and check in line(proc.stdout, "static")
    assert "Traceback" not in proc.stderr


def test_a_usage_error_is_exit_2(tmp_path: Path) -> None:
    proc = doctor(tmp_path, claude_home(tmp_path, ROOT), "--no-such-flag")
    assert proc.returncode == 2 and "unrecognized arguments: --no-such-flag" in proc.stderr


def test_runs_on_the_standard_library_when_the_venv_is_missing(tmp_path: Path) -> None:
    """An installed copy before its first session: bin/ finds a bare Python and doctor says what is missing."""
    copy = tmp_path / "installed"
    for part in ("scripts", "schemas", "hooks", "bin", ".claude-plugin"):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    # A Python without the plugin's dependencies: a fresh venv without pip sees no site-packages.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "bare")], check=True, timeout=120)
    bare = tmp_path / "bare" / "bin"
    probe = subprocess.run([str(bare / "python3"), "-I", "-c", "import click"], capture_output=True)
    assert probe.returncode != 0, "the bare Python must not have click"
    home = claude_home(tmp_path, copy)
    stand_in = str(claude_stand_in(tmp_path, "2.1.332"))
    launcher = [str(copy / "bin" / "integration-engineer")]
    proc = doctor(tmp_path, home, "--claude", stand_in, command=launcher, path=str(bare))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert line(proc.stdout, "venv").startswith("[WARN]") and "not built yet" in line(proc.stdout, "venv")
    assert f"in {copy}" in line(proc.stdout, "installed")
    assert str(bare) in line(proc.stdout, "interpreter")


def _repo_with_unpushed_commit(tmp_path: Path) -> Path:
    project = make_repo(tmp_path / "project")
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)
    git(project, "remote", "add", "origin", str(origin))
    git(project, "push", "-q", "origin", "HEAD:main")
    git(project, "remote", "set-head", "origin", "main")
    (project / "unpushed.py").write_text("LOCAL = 1\n")
    git(project, "add", "unpushed.py")
    git(project, "commit", "-qm", "unpushed")
    return project


def test_doctor_warns_when_isolation_worktrees_would_lack_unpushed_commits(tmp_path: Path) -> None:
    project = _repo_with_unpushed_commit(tmp_path)
    home = claude_home(tmp_path, ROOT)
    proc = doctor(tmp_path, home, "--claude", str(claude_stand_in(tmp_path, "2.1.332")))
    said = line(proc.stdout, "base-ref")
    assert said.startswith("[WARN]") and "1 commit(s) of your HEAD are not on origin/main" in said, proc.stdout
    assert '"baseRef": "head"' in proc.stdout and proc.returncode == 0, proc.stdout  # a warning, not a failure
    (project / ".claude").mkdir()
    (project / ".claude" / "settings.json").write_text(json.dumps({"worktree": {"baseRef": "head"}}))
    proc = doctor(tmp_path, home, "--claude", str(claude_stand_in(tmp_path, "2.1.332")))
    assert line(proc.stdout, "base-ref").startswith("[ok  ]") and "branch from your HEAD" in proc.stdout
    git(project, "push", "-q", "origin", "HEAD:main")
    (project / ".claude" / "settings.json").unlink()
    proc = doctor(tmp_path, home, "--claude", str(claude_stand_in(tmp_path, "2.1.332")))
    assert line(proc.stdout, "base-ref").startswith("[ok  ]") and "no commit missing" in proc.stdout, proc.stdout


def test_data_dir_names_the_venv_and_data_to_check(tmp_path: Path) -> None:
    home = claude_home(tmp_path, ROOT)
    data = tmp_path / "elsewhere"
    (data / "venv").mkdir(parents=True)
    stand_in = str(claude_stand_in(tmp_path, "2.1.332"))
    missing = doctor(tmp_path, home, "--claude", stand_in, "--data-dir", str(data))
    assert f"{data}/venv is not built yet" in line(missing.stdout, "venv"), missing.stdout
    (data / "venv" / "requirements.txt").write_bytes((ROOT / "requirements.txt").read_bytes())
    (data / "venv" / ".ready").write_text("ok")
    ready = doctor(tmp_path, home, "--claude", stand_in, "--data-dir", str(data))
    assert f"{data}/venv is ready" in line(ready.stdout, "venv")
    assert line(ready.stdout, "data").startswith(f"[ok  ] data         {data} ")
