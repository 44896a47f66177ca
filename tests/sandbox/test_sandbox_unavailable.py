"""Where the sandbox cannot start (simulated: bwrap missing from PATH), with real hook and doctor
processes: in "auto" the agent is told once, at its start, and its commands run unwrapped, logged as
such; doctor says which layer is active and why. With bwrap on PATH the agent is told it is inside."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from integration_engineer.sandbox import probe
from tests.helpers import GUARDED, agent_call, make_repo, run_hook, write_agent_meta

NOT_AVAILABLE = "The sandbox is not available here (bubblewrap (bwrap) is not installed"


def path_without_bwrap(root: Path) -> str:
    """Every program of this PATH, linked into one directory, except bwrap."""
    bin_dir = root / "bin-without-bwrap"
    bin_dir.mkdir()
    for directory in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(directory):
            continue
        for name in os.listdir(directory):
            target = bin_dir / name
            if name != "bwrap" and not os.path.lexists(target):
                target.symlink_to(os.path.join(directory, name))
    return str(bin_dir)


def start_agent(tmp_path: Path, env: dict[str, str]) -> tuple[str, dict[str, object]]:
    """The real hooks of an Agent call and the agent's start; (the start's context, the agent's payload base)."""
    project = make_repo(tmp_path / "p", ("PROJ-1-x",))
    common = {"session_id": "s", "cwd": str(project), "transcript_path": str(tmp_path / "s.jsonl")}
    assert "updatedInput" in run_hook("PreToolUse", agent_call(common), tool="Agent", env=env).stdout
    write_agent_meta(common)
    agent: dict[str, object] = {**common, "cwd": str(project / "trees" / "PROJ-1-x"), "agent_id": "a1"}
    agent["agent_type"] = GUARDED
    started = run_hook("SubagentStart", {**agent, "hook_event_name": "SubagentStart"}, env=env)
    assert started.exit_code == 0, started.stderr
    context = json.loads(started.stdout)["hookSpecificOutput"]["additionalContext"]
    return str(context), agent


def env_for(tmp_path: Path, path: str | None = None) -> dict[str, str]:
    env = {"IE_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path), "TMPDIR": str(tmp_path)}
    env["CLAUDE_PROJECT_DIR"] = str(tmp_path / "p")
    return {**env, "PATH": path} if path else env


def test_without_bwrap_the_agent_is_told_once_and_its_commands_run_unwrapped(tmp_path: Path) -> None:
    env = env_for(tmp_path, path_without_bwrap(tmp_path))
    context, agent = start_agent(tmp_path, env)
    assert context.count(NOT_AVAILABLE) == 1, context
    assert "run inside a sandbox" not in context
    bash = {**agent, "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_use_id": "t2"}
    bash["tool_input"] = {"command": "ls"}
    for _ in range(2):
        ran = run_hook("PreToolUse", bash, tool="Bash", env=env)
        assert ran.exit_code == 0 and "bwrap" not in ran.stdout and NOT_AVAILABLE not in ran.stdout, ran.stdout
    logged = [json.loads(line) for line in (tmp_path / "data" / "decisions.jsonl").read_text().splitlines()]
    layers = [e.get("sandbox") for e in logged if e.get("tool") == "Bash"]
    assert layers == ["none: bubblewrap (bwrap) is not installed; install the 'bubblewrap' package"] * 2, layers


def test_with_bwrap_the_agent_is_told_its_commands_run_inside(tmp_path: Path) -> None:
    if not probe.detect()[0]:
        pytest.fail(f"the sandbox engine does not start here ({probe.detect()[1]}); make test installs bubblewrap")
    context, _ = start_agent(tmp_path, env_for(tmp_path))
    assert "- Your Bash commands run inside a sandbox (bwrap)" in context, context
    assert NOT_AVAILABLE not in context


def test_required_mode_without_bwrap_tells_the_agent_its_commands_are_refused(tmp_path: Path) -> None:
    env = env_for(tmp_path, path_without_bwrap(tmp_path))
    config = tmp_path / "p" / ".claude" / "integration-engineer.json"
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"sandbox": {"mode": "required"}}))
    context, agent = start_agent(tmp_path, env)
    assert 'sandbox.mode is "required": your Bash commands are refused' in context, context
    bash = {**agent, "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_use_id": "t2"}
    bash["tool_input"] = {"command": "ls"}
    refused = run_hook("PreToolUse", bash, tool="Bash", env=env)
    assert refused.decision == "deny" and "apt-get install bubblewrap" in refused.reason, refused.stdout


def test_doctor_reports_the_static_guard_alone_without_bwrap(tmp_path: Path) -> None:
    env = {**os.environ, **env_for(tmp_path, path_without_bwrap(tmp_path))}
    proc = subprocess.run(
        [sys.executable, "-m", "integration_engineer.cli", "doctor", "--project", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
    )
    line = next((x for x in proc.stdout.splitlines() if "] sandbox" in x), "")
    assert line.startswith("[WARN] sandbox"), proc.stdout
    assert "not available (bubblewrap (bwrap) is not installed" in line
    assert "the static guard alone protects the repository" in line
    assert "apt-get install bubblewrap" in proc.stdout
