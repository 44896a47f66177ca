"""Shared test helpers: run the registered hook command the way Claude Code does, build git repos."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
