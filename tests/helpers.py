"""Shared test helpers: run the registered hook command the way Claude Code does, build git repos."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from integration_engineer.bash import commands
from integration_engineer.bash.parser import Script, SimpleCommand

ROOT = Path(__file__).resolve().parents[1]
HOOKS_JSON = ROOT / "hooks" / "hooks.json"


@dataclass(frozen=True)
class HookRun:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def json(self) -> dict[str, Any]:
        value = json.loads(self.stdout) if self.stdout.strip() else {}
        assert isinstance(value, dict)
        return value

    @property
    def decision(self) -> str:
        """deny / ask / block / pass, read from the answer as Claude Code would."""
        if self.exit_code == 2:
            return "deny"
        assert self.exit_code == 0, f"unexpected exit {self.exit_code}: {self.stderr}"
        body = self.json
        if body.get("decision") == "block":
            return "block"
        specific = body.get("hookSpecificOutput", {})
        return str(specific.get("permissionDecision", "pass"))

    @property
    def reason(self) -> str:
        if self.exit_code == 2:
            return self.stderr
        body = self.json
        specific = body.get("hookSpecificOutput", {})
        return str(specific.get("permissionDecisionReason") or body.get("reason") or "")


def registered_command(event: str, tool: str = "") -> str:
    """The command hooks.json registers for an event (and tool), with the plugin root filled in."""
    config = json.loads(HOOKS_JSON.read_text())
    for group in config["hooks"][event]:
        matcher = group.get("matcher", "")
        if tool and matcher and tool not in matcher.split("|"):
            continue
        command: str = group["hooks"][0]["command"]
        return command.replace("${CLAUDE_PLUGIN_ROOT}", str(ROOT))
    raise KeyError(f"no hook registered for {event} {tool}")


def run_hook(
    event: str,
    payload: dict[str, Any] | bytes,
    *,
    tool: str = "",
    env: dict[str, str] | None = None,
    cwd: str | Path | None = None,
    timeout: float = 30,
) -> HookRun:
    """Start the registered command through a shell, payload on stdin, as Claude Code does."""
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    full_env = {**os.environ, "CLAUDE_PLUGIN_ROOT": str(ROOT), **(env or {})}
    proc = subprocess.run(
        ["sh", "-c", registered_command(event, tool)],
        input=data,
        capture_output=True,
        env=full_env,
        cwd=cwd,
        timeout=timeout,
    )
    return HookRun(proc.returncode, proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace"))


def git(cwd: str | Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(cwd), *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"},
    )
    return proc.stdout


DEFAULT_FILES = {"README.md": "project\n", ".gitignore": "trees/\n"}


def make_repo(path: Path, worktrees: Iterable[str] = (), files: dict[str, str] | None = None) -> Path:
    """A real repository whose one commit holds ``files`` (relative path -> text), with linked
    worktrees under ``trees/`` (git-ignored by the default files)."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", "t@example.com")
    git(path, "config", "user.name", "t")
    for name, text in (DEFAULT_FILES if files is None else files).items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
        git(path, "add", name)
    git(path, "commit", "-q", "-m", "init")
    for name in worktrees:
        git(path, "worktree", "add", "-q", "-b", name, str(path / "trees" / name))
    return path


def iter_commands(script: Script) -> Iterator[SimpleCommand]:
    """The simple commands of the one walk (bash/commands), in the order bash meets them."""
    return iter([found.command for found in commands.simple_commands(script)])


GUARDED = "integration-engineer:integration-engineer"
TASK_PROMPT = (
    "TASK: PROJ-1, DESCRIPTION: Integrate Stripe payment webhooks with retries, WORKTREE_PATH: ./trees/PROJ-1-x"
)


def agent_call(common: dict[str, Any]) -> dict[str, Any]:
    """The orchestrator's Agent call for PROJ-1 in ./trees/PROJ-1-x (PreToolUse, tool use t1): one
    the guard accepts, so the guarded agent's later calls have a task."""
    return {
        **common,
        "hook_event_name": "PreToolUse",
        "tool_name": "Agent",
        "tool_use_id": "t1",
        "tool_input": {"subagent_type": GUARDED, "prompt": TASK_PROMPT, "description": "d"},
    }


def write_agent_meta(common: dict[str, Any], agent_id: str = "a1") -> None:
    """The subagent's meta file beside the session's transcript, as Claude Code writes it: it ties
    agent ``agent_id`` to the Agent call t1."""
    transcript = Path(common["transcript_path"])
    meta = transcript.parent / transcript.stem / "subagents" / f"agent-{agent_id}.meta.json"
    meta.parent.mkdir(parents=True)
    meta.write_text(json.dumps({"agentType": GUARDED, "toolUseId": "t1"}))
