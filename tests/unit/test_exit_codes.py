"""One exit-code scheme for every command: 0 ok, 1 findings or refusal, 2 usage, 3 environment/config.

Run as the installed command is run (a process), so a traceback would show on standard error.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-m", "integration_engineer.cli"]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, env=os.environ.copy())


def broken_config(project: Path) -> None:
    (project / ".claude").mkdir()
    (project / ".claude" / "integration-engineer.json").write_text('{"exclusions": {"dirs": "build"}, "tset_scope": 1}')


def test_validate_task_with_a_config_typo_is_exit_3_without_a_traceback(tmp_path: Path) -> None:
    broken_config(tmp_path)
    proc = cli("validate-task", "--project", str(tmp_path), "Task ID: X-1", cwd=tmp_path)
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "integration-engineer.json" in proc.stderr


def test_check_command_refusal_is_1_and_a_mistyped_flag_is_2(tmp_path: Path) -> None:
    refused = cli("check-command", "--cwd", str(tmp_path), "git commit -m x", cwd=tmp_path)
    assert refused.returncode == 1, refused.stdout
    assert "decision: deny" in refused.stdout
    typo = cli("check-command", "--agent-typ", "x", "git status", cwd=tmp_path)
    assert typo.returncode == 2
    assert "No such option" in typo.stderr and "Traceback" not in typo.stderr
    allowed = cli("check-command", "--cwd", str(tmp_path), "git status", cwd=tmp_path)
    assert allowed.returncode == 0


def test_check_command_with_a_config_typo_is_exit_3(tmp_path: Path) -> None:
    broken_config(tmp_path)
    proc = cli("check-command", "--cwd", str(tmp_path), "git status", cwd=tmp_path)
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr and proc.stderr.strip()


def test_an_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    proc = cli("valdate-task", "x", cwd=tmp_path)
    assert proc.returncode == 2
    assert "No such command" in proc.stderr and "Traceback" not in proc.stderr


def test_another_guarded_agent_type_is_not_called_integration_engineer(tmp_path: Path) -> None:
    (tmp_path / ".claude").mkdir()
    (tmp_path / ".claude" / "integration-engineer.json").write_text('{"guarded_agent_types": ["release-bot"]}')
    proc = cli("check-command", "--cwd", str(tmp_path), "--agent-type", "release-bot", "git push", cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "This agent may not run git push" in proc.stdout
    assert "integration-engineer agent" not in proc.stdout


def test_the_pre_commit_hook_matches_agent_answers_only() -> None:
    import re

    hooks = (Path(__file__).parents[2] / ".pre-commit-hooks.yaml").read_text()
    pattern = re.compile(next(line.split(": ", 1)[1] for line in hooks.splitlines() if line.startswith("  files:")))
    assert pattern.search("agent-output/PROJ-1.json") and pattern.search("ci/agent-output/run.jsonl")
    assert not any(pattern.search(p) for p in ("package.json", "tsconfig.json", "web/package.json"))
