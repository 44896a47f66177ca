"""`integration-engineer doctor` and `log`, run as the installed command; the log's rotation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from integration_engineer.runtime import decision_log
from tests.helpers import run_hook

CLI = [sys.executable, "-m", "integration_engineer.cli"]


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, env=os.environ.copy())


def test_doctor_reports_a_broken_config_with_a_fix(tmp_path: Path) -> None:
    (tmp_path / ".claude").mkdir()
    (tmp_path / ".claude" / "integration-engineer.json").write_text('{"test_scope": 1}')
    proc = cli("doctor", "--project", str(tmp_path), "--claude", "/nonexistent/claude")
    assert proc.returncode == 1
    assert "[FAIL] config" in proc.stdout
    assert "fix: fix the file; see docs/configuration.md" in proc.stdout
    assert "[ok  ] hooks        8 events registered" in proc.stdout


def test_log_shows_hook_decisions(tmp_path: Path) -> None:
    payload = {
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "cwd": str(tmp_path),
        "tool_input": {"command": "ls"},
        "agent_type": "integration-engineer:integration-engineer",
    }
    run_hook("PreToolUse", b"not json", tool="Bash")
    run_hook("PreToolUse", payload, tool="Bash")
    table = cli("log", "-n", "5").stdout.splitlines()
    assert table[0].split()[:5] == ["time", "event", "tool", "agent", "decision"]
    assert any("malformed hook payload" in line and " error " in line for line in table[1:])
    denied = [json.loads(line) for line in cli("log", "--json", "--denied").stdout.splitlines()]
    assert denied and all(e["decision"] in ("deny", "block", "error") for e in denied)


def test_log_rotates_and_keeps_a_bounded_number_of_files(_isolated_data_dir: Path) -> None:
    for i in range(200):
        assert decision_log.append({"event": "PreToolUse", "i": i, "pad": "x" * 100}, max_bytes=4096, keep=2)
    files = sorted(p.name for p in _isolated_data_dir.iterdir())
    assert files == ["decisions.jsonl", "decisions.jsonl.1", "decisions.jsonl.2"]
    assert all(p.stat().st_size < 4096 + 200 for p in _isolated_data_dir.iterdir())
    recent = decision_log.read_recent(5)
    assert [e["i"] for e in recent] == [195, 196, 197, 198, 199]


def test_log_settings_of_the_project_are_honoured(tmp_path: Path, _isolated_data_dir: Path) -> None:
    (tmp_path / ".claude").mkdir()
    config_file = tmp_path / ".claude" / "integration-engineer.json"
    payload = {"hook_event_name": "PreToolUse", "tool_name": "Read", "cwd": str(tmp_path), "tool_input": {}}
    config_file.write_text('{"log": {"enabled": false}}')
    run_hook("PreToolUse", payload)
    assert not (_isolated_data_dir / "decisions.jsonl").exists()
    config_file.write_text('{"log": {"max_bytes": 4096, "keep": 1}}')
    for _ in range(30):
        run_hook("PreToolUse", {**payload, "session_id": "s" * 200})
    names = sorted(p.name for p in _isolated_data_dir.iterdir() if p.name.startswith("decisions"))
    assert names == ["decisions.jsonl", "decisions.jsonl.1"]
    entry = json.loads((_isolated_data_dir / "decisions.jsonl").read_text().splitlines()[-1])
    assert "_log_settings" not in entry


def test_log_in_a_terminal_finds_the_installed_plugins_data(tmp_path: Path) -> None:
    # A terminal has neither IE_DATA_DIR nor CLAUDE_PLUGIN_DATA: the log of the installed copy
    # under ~/.claude/plugins/data/ is the one to show, and --data-dir names any other.
    installed = tmp_path / "home" / ".claude" / "plugins" / "data" / "integration-engineer-integration-engineer"
    installed.mkdir(parents=True)
    entry = {"ts": 1, "event": "PreToolUse", "tool": "Bash", "decision": "deny", "reason": "from-the-plugin"}
    (installed / "decisions.jsonl").write_text(json.dumps(entry) + "\n")
    other = tmp_path / "other"
    other.mkdir()
    (other / "decisions.jsonl").write_text(json.dumps({**entry, "reason": "from-elsewhere"}) + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("IE_DATA_DIR", "CLAUDE_PLUGIN_DATA", "CLAUDE_CONFIG_DIR")}
    env["HOME"] = str(tmp_path / "home")
    found = subprocess.run([*CLI, "log"], capture_output=True, text=True, env=env)
    assert found.returncode == 0 and "from-the-plugin" in found.stdout, found.stdout + found.stderr
    named = subprocess.run([*CLI, "log", "--data-dir", str(other)], capture_output=True, text=True, env=env)
    assert "from-elsewhere" in named.stdout and "from-the-plugin" not in named.stdout
