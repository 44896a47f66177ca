"""The SessionStart bootstrap builds a real venv, marker last, once, and rebuilds on change."""

from __future__ import annotations

import threading
from pathlib import Path

from integration_engineer.setup import bootstrap
from tests.helpers import run_hook


def requirements(tmp_path: Path, text: str = "# nothing to install\n") -> Path:
    path = tmp_path / "requirements.txt"
    path.write_text(text)
    return path


def test_builds_then_is_current_then_rebuilds_when_requirements_change(tmp_path: Path) -> None:
    data, req = tmp_path / "data", requirements(tmp_path)
    assert bootstrap.ensure_venv(data, req).status == "built"
    assert (data / "venv" / ".ready").exists()
    assert (data / "venv" / "bin" / "python").exists()
    assert bootstrap.ensure_venv(data, req).status == "current"
    req.write_text("# changed\n")
    assert bootstrap.needed(data, req)
    assert bootstrap.ensure_venv(data, req).status == "built"


def test_a_venv_without_its_marker_is_rebuilt(tmp_path: Path) -> None:
    data, req = tmp_path / "data", requirements(tmp_path)
    bootstrap.ensure_venv(data, req)
    (data / "venv" / ".ready").unlink()
    assert bootstrap.needed(data, req)


def test_parallel_sessions_build_once(tmp_path: Path) -> None:
    data, req = tmp_path / "data", requirements(tmp_path)
    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(bootstrap.ensure_venv(data, req).status)) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["built", "current"]


def test_failed_build_leaves_no_marker_and_says_why(tmp_path: Path) -> None:
    data = tmp_path / "data"
    req = requirements(tmp_path, "this-package-does-not-exist-ie==0.0.0\n")
    result = bootstrap.ensure_venv(data, req, timeout=120)
    assert result.status == "failed"
    assert "-m pip exited 1" in result.detail
    assert "No matching distribution" in result.detail
    assert not (data / "venv" / ".ready").exists()


def test_session_start_in_a_development_checkout_is_silent(tmp_path: Path) -> None:
    """``claude --plugin-dir <checkout>``: Claude Code names the data dir ``<plugin>-inline``."""
    data = tmp_path / "integration-engineer-inline"
    run = run_hook(
        "SessionStart",
        {"hook_event_name": "SessionStart", "cwd": str(tmp_path)},
        env={"CLAUDE_PLUGIN_DATA": str(data)},
    )
    assert (run.exit_code, run.json) == (0, {})
    assert not (data / "venv").exists()


def test_only_plugin_dir_sessions_count_as_development(tmp_path: Path) -> None:
    assert bootstrap.development(tmp_path / "integration-engineer-inline")
    assert not bootstrap.development(tmp_path / "integration-engineer-integration-engineer")


def test_session_start_reports_an_invalid_config(tmp_path: Path) -> None:
    (tmp_path / ".claude").mkdir()
    (tmp_path / ".claude" / "integration-engineer.json").write_text('{"worktree_root": 3}')
    run = run_hook("SessionStart", {"hook_event_name": "SessionStart", "cwd": str(tmp_path)})
    assert "worktree_root: expected string, got integer" in run.json["systemMessage"]
