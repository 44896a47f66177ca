"""scripts/launch: finds a Python, prefers the venvs, and is never silent when there is none."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

TOOLS = ("sh", "dirname", "cat", "mkdir", "mv", "printf")


def plugin_copy(tmp_path: Path) -> Path:
    """The launcher and package in a plugin directory without a .venv, as an install has."""
    root = tmp_path / "plugin"
    shutil.copytree(ROOT / "scripts", root / "scripts", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copytree(ROOT / "schemas", root / "schemas")
    return root


def bare_path(tmp_path: Path, with_python: str | None = None) -> str:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool in TOOLS:
        found = shutil.which(tool)
        assert found, tool
        (bin_dir / tool).symlink_to(found)
    if with_python:
        (bin_dir / "python3").symlink_to(with_python)
    return str(bin_dir)


def launch(root: Path, event: str, path: str, data: Path, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    env = {"PATH": path, "CLAUDE_PLUGIN_DATA": str(data), "IE_NO_LOG": "1"}
    return subprocess.run(
        [str(root / "scripts" / "launch"), event], input=stdin, env=env, capture_output=True, timeout=30
    )


GIT_COMMIT = json.dumps(
    {"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "ls"}}
).encode()


def test_no_python_blocks_guard_events_and_says_what_to_install(tmp_path: Path) -> None:
    proc = launch(plugin_copy(tmp_path), "PreToolUse", bare_path(tmp_path), tmp_path / "d", GIT_COMMIT)
    assert proc.returncode == 2
    assert b"no Python >= 3.10 found" in proc.stderr
    assert b"Install Python 3.10 or newer" in proc.stderr


@pytest.mark.parametrize("event", ["SubagentStop", "SessionStart", "PostToolUse"])
def test_no_python_reports_inactive_plugin_for_other_events(tmp_path: Path, event: str) -> None:
    proc = launch(plugin_copy(tmp_path), event, bare_path(tmp_path), tmp_path / "d", b"{}")
    assert proc.returncode == 0
    message = json.loads(proc.stdout)["systemMessage"]
    assert "no Python >= 3.10 found" in message
    assert "inactive" in message


def real_python() -> str:
    # The interpreter itself, not a version-manager shim that needs more of PATH.
    return os.path.realpath(sys.executable)


def test_system_python_is_probed_once_and_cached(tmp_path: Path) -> None:
    root, data = plugin_copy(tmp_path), tmp_path / "d"
    proc = launch(root, "PreToolUse", bare_path(tmp_path, real_python()), data, GIT_COMMIT)
    assert (proc.returncode, json.loads(proc.stdout)) == (0, {})
    assert (data / "python-path").read_text().strip().endswith("python3")


def test_plugin_venv_is_used_only_once_its_marker_exists(tmp_path: Path) -> None:
    root, data = plugin_copy(tmp_path), tmp_path / "d"
    venv_bin = data / "venv" / "bin"
    venv_bin.mkdir(parents=True)
    marker_script = venv_bin / "python"
    marker_script.write_text('#!/bin/sh\necho \'{"systemMessage": "venv python ran"}\'\n')
    marker_script.chmod(0o755)
    path = bare_path(tmp_path, real_python())
    before = launch(root, "SubagentStop", path, data, b"{}")
    assert b"venv python ran" not in before.stdout
    (data / "venv" / ".ready").write_text("ok")
    after = launch(root, "SubagentStop", path, data, b"{}")
    assert b"venv python ran" in after.stdout


def _fake_python(bin_dir: Path, says: str) -> None:
    bin_dir.mkdir(parents=True)
    script = bin_dir / "python"
    script.write_text(f'#!/bin/sh\necho \'{{"systemMessage": "{says}"}}\'\n')
    script.chmod(0o755)


@pytest.mark.parametrize(
    ("data_name", "expected"),
    [
        ("integration-engineer-inline", "dev venv ran"),  # claude --plugin-dir <checkout>
        ("integration-engineer-integration-engineer", "plugin venv ran"),  # installed, run in place
    ],
)
def test_the_checkouts_dev_venv_serves_only_plugin_dir_sessions(tmp_path: Path, data_name: str, expected: str) -> None:
    """A local marketplace runs the plugin from the checkout itself: its dev venv is not the plugin's."""
    root, data = plugin_copy(tmp_path), tmp_path / data_name
    _fake_python(root / ".venv" / "bin", "dev venv ran")
    _fake_python(data / "venv" / "bin", "plugin venv ran")
    (data / "venv" / ".ready").write_text("ok")
    proc = launch(root, "SubagentStop", bare_path(tmp_path, real_python()), data, b"{}")
    assert json.loads(proc.stdout) == {"systemMessage": expected}


def test_a_user_json_module_in_the_project_is_not_imported(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "json.py").write_text("raise SystemExit('hijacked')\n")
    proc = subprocess.run(
        [str(ROOT / "scripts" / "launch"), "PreToolUse"],
        input=GIT_COMMIT,
        cwd=project,
        capture_output=True,
        env={**os.environ, "IE_NO_LOG": "1"},
    )
    assert (proc.returncode, json.loads(proc.stdout)) == (0, {})


def test_bin_wrapper_refuses_clearly_without_a_venv(tmp_path: Path) -> None:
    root = plugin_copy(tmp_path)
    shutil.copytree(ROOT / "bin", root / "bin")
    proc = subprocess.run(
        [str(root / "bin" / "integration-engineer"), "--version"],
        env={"PATH": bare_path(tmp_path), "CLAUDE_PLUGIN_DATA": str(tmp_path / "d")},
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 3
    assert "Python environment is not built yet" in proc.stderr


def test_bin_wrapper_runs_the_cli_in_a_checkout() -> None:
    proc = subprocess.run(
        [str(ROOT / "bin" / "integration-engineer"), "--version"], capture_output=True, text=True, check=True
    )
    assert "integration-engineer, version" in proc.stdout


def _tools_only(tmp_path: Path) -> Path:
    """A PATH directory with the shell tools and no Python."""
    return Path(bare_path(tmp_path))


def test_a_plugin_path_with_spaces_works(tmp_path: Path) -> None:
    spaced = tmp_path / "My Plugins" / "integration engineer"
    spaced.mkdir(parents=True)
    root, data = plugin_copy(spaced), tmp_path / "d"
    proc = launch(root, "PreToolUse", bare_path(tmp_path, real_python()), data, GIT_COMMIT)
    assert (proc.returncode, json.loads(proc.stdout)) == (0, {}), proc.stderr


def test_plain_python_is_found_when_there_is_no_python3(tmp_path: Path) -> None:
    root, data = plugin_copy(tmp_path), tmp_path / "d"
    bin_dir = _tools_only(tmp_path)
    (bin_dir / "python").symlink_to(real_python())
    proc = launch(root, "PreToolUse", str(bin_dir), data, GIT_COMMIT)
    assert (proc.returncode, json.loads(proc.stdout)) == (0, {}), proc.stderr
    assert (data / "python-path").read_text().strip() == str(bin_dir / "python")


def test_the_windows_py_launcher_is_asked_for_python_3(tmp_path: Path) -> None:
    """``py`` stands in for the Windows launcher: it must be called as ``py -3``."""
    root, data = plugin_copy(tmp_path), tmp_path / "d"
    bin_dir = _tools_only(tmp_path)
    refuse = '[ "$1" = -3 ] || { echo "py called without -3" >&2; exit 9; }'
    (bin_dir / "py").write_text(f'#!/bin/sh\n{refuse}\nshift\nexec "{real_python()}" "$@"\n')
    (bin_dir / "py").chmod(0o755)
    proc = launch(root, "PreToolUse", str(bin_dir), data, GIT_COMMIT)
    assert (proc.returncode, json.loads(proc.stdout)) == (0, {}), proc.stderr


@pytest.mark.parametrize(("event", "flags"), [("PreToolUse", "-I -S -X utf8"), ("SubagentStop", "-I -X utf8")])
def test_python_runs_isolated_and_in_utf8_mode(tmp_path: Path, event: str, flags: str) -> None:
    """UTF-8 mode whatever the locale (LANG=C, a Windows code page); -S only on the hot events."""
    root, data = plugin_copy(tmp_path), tmp_path / "d"
    bin_dir = _tools_only(tmp_path)
    seen = tmp_path / "argv"
    (bin_dir / "python3").write_text(f'#!/bin/sh\necho "$*" >> "{seen}"\nexec "{real_python()}" "$@"\n')
    (bin_dir / "python3").chmod(0o755)
    proc = launch(root, event, str(bin_dir), data, b"{}")
    assert proc.returncode in (0, 2), proc.stderr
    hook_calls = [line for line in seen.read_text().splitlines() if "hook.py" in line]
    assert hook_calls and hook_calls[-1].startswith(f"{flags} ") and hook_calls[-1].endswith(f"hook.py {event}")
