"""Run the real Claude Code CLI against the scripted model server, in a throwaway world.

A :class:`Sandbox` is a throwaway ``HOME`` (trusting the project), a real git project with one
commit and a linked worktree ``trees/PROJ-123-stripe``, and a :class:`ModelServer`. Its
:meth:`Sandbox.run` starts the pinned CLI with ``--plugin-dir`` pointing at this repository, so
Claude Code itself starts our hooks from ``hooks/hooks.json``. Every payload the hooks receive
is recorded by the dispatcher (``IE_RECORD_PAYLOADS``), every request the CLI sends to the model
by the server: a test asserts on both, and on the filesystem.
"""

from __future__ import annotations

import enum
import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.e2e.model_server import ModelServer, Turn
from tests.helpers import make_repo

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = Path(__file__).resolve().with_name("install_cli.sh")
AGENT_TYPE = "integration-engineer:integration-engineer"
TASK_ID = "PROJ-123"
WORKTREE_NAME = "PROJ-123-stripe"
VALID_PROMPT = (
    "TASK: PROJ-123, DESCRIPTION: Integrate Stripe payment webhooks with signature "
    "verification and retries, WORKTREE_PATH: ./trees/PROJ-123-stripe"
)
DEFAULT_TIMEOUT = 60.0


class _Anyone(enum.Enum):
    ANYONE = "anyone"


ANYONE = _Anyone.ANYONE


class CLIUnavailableError(RuntimeError):
    """The pinned CLI could not be installed or does not run: a test failure, never a skip."""


def pinned_version() -> str:
    """The one place the version is written down is the installer; ``IE_CLAUDE_VERSION`` runs
    the suite on another version (CI runs the core scenario on the oldest supported one)."""
    if os.environ.get("IE_CLAUDE_VERSION"):
        return os.environ["IE_CLAUDE_VERSION"]
    match = re.search(r"^CLAUDE_CODE_VERSION=(\S+)$", INSTALLER.read_text(), re.MULTILINE)
    if not match:
        raise CLIUnavailableError(f"no CLAUDE_CODE_VERSION= line in {INSTALLER}")
    return match.group(1)


def install_cli() -> Path:
    """Install (or reuse) the pinned CLI and return its binary; ``IE_CLAUDE_BIN`` overrides."""
    explicit = os.environ.get("IE_CLAUDE_BIN")
    if explicit:
        binary = Path(explicit)
    else:
        try:
            proc = subprocess.run(
                ["sh", str(INSTALLER)], capture_output=True, text=True, timeout=600, env={**os.environ}
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise CLIUnavailableError(f"{INSTALLER} did not finish: {exc}") from exc
        if proc.returncode != 0:
            raise CLIUnavailableError(f"{INSTALLER} failed (exit {proc.returncode}):\n{proc.stderr}{proc.stdout}")
        binary = Path(proc.stdout.strip().splitlines()[-1])
    try:
        version = subprocess.run(
            [str(binary), "--version"],
            capture_output=True,
            text=True,
            timeout=60,
            env=base_env(Path(os.environ.get("HOME", "/"))),
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CLIUnavailableError(f"{binary} does not run: {exc}") from exc
    if version.returncode != 0 or not version.stdout.startswith(pinned_version()):
        raise CLIUnavailableError(
            f"{binary} --version gave {version.stdout!r} {version.stderr!r}, expected {pinned_version()}"
        )
    return binary


def base_env(home: Path) -> dict[str, str]:
    """A clean environment: nothing of the caller's Claude Code, API or plugin settings leaks in."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "USER": os.environ.get("USER", "e2e"),
        "SHELL": "/bin/bash" if Path("/bin/bash").exists() else "/bin/sh",
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
        "DISABLE_AUTOUPDATER": "1",
        "DISABLE_TELEMETRY": "1",
        "DISABLE_ERROR_REPORTING": "1",
        "NO_COLOR": "1",
    }
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        env["IS_SANDBOX"] = "1"  # --dangerously-skip-permissions refuses root otherwise
    # The network settings of the machine (the SessionStart bootstrap runs pip), never the
    # caller's Claude Code or API settings; the model server is always reached directly.
    for name, value in os.environ.items():
        if name.startswith("PIP_") or name.lower() in PASSED_THROUGH:
            env[name] = value
    direct = "127.0.0.1,localhost"
    for name in ("NO_PROXY", "no_proxy"):
        env[name] = f"{env[name]},{direct}" if env.get(name) else direct
    return env


PASSED_THROUGH = (
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "ssl_cert_file",
    "ssl_cert_dir",
    "requests_ca_bundle",
    "node_extra_ca_certs",
)


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(cwd), *args], capture_output=True, text=True, env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    )
    if proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed in {cwd}: {proc.stderr}")
    return proc.stdout


def make_project(path: Path, worktrees: Iterable[str] = (WORKTREE_NAME,)) -> Path:
    """A real repository with one commit and linked worktrees under ``trees/`` (git-ignored)."""
    files = {"README.md": "# shop\n", ".gitignore": "trees/\n", "src/app.py": "print('shop')\n"}
    return make_repo(path, worktrees, files)


@dataclass
class ClaudeRun:
    """What one CLI run did: its exit, its JSON result, the hook payloads, the model requests."""

    args: list[str]
    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    payloads: list[dict[str, Any]]
    server: ModelServer
    result: dict[str, Any] = field(default_factory=dict)

    def hooks(
        self, event: str, tool: str | None = None, *, agent_type: str | _Anyone | None = ANYONE
    ) -> list[dict[str, Any]]:
        """Payloads of one event (and tool); ``agent_type=None`` keeps the orchestrator's only."""
        found = []
        for p in self.payloads:
            if p.get("hook_event_name") != event:
                continue
            if tool is not None and p.get("tool_name") != tool:
                continue
            if agent_type is not ANYONE and p.get("agent_type") != agent_type:
                continue
            found.append(p)
        return found

    def timeline(self) -> list[str]:
        """``EVENT[:tool][@agent_type]`` for each recorded payload, in order."""
        out = []
        for p in self.payloads:
            item = str(p.get("hook_event_name"))
            if p.get("tool_name"):
                item += f":{p['tool_name']}"
            if p.get("agent_type"):
                item += f"@{p['agent_type']}"
            out.append(item)
        return out

    def agent_transcript(self) -> list[dict[str, Any]]:
        """The last guarded subagent's transcript (``agent_transcript_path`` of its SubagentStop),
        as the CLI wrote it; [] when no subagent stopped."""
        stops = [p for p in self.hooks("SubagentStop") if p.get("agent_transcript_path")]
        return read_jsonl(str(stops[-1]["agent_transcript_path"])) if stops else []

    def describe(self) -> str:
        """Everything needed to understand a failure, for assertion messages."""
        return "\n".join(
            [
                f"claude {' '.join(self.args)}",
                f"exit {self.exit_code} after {self.seconds:.1f}s; result: {self.result.get('result')!r}",
                f"hooks: {self.timeline()}",
                "model requests:",
                self.server.summary() or "(none)",
                "stderr (tail):",
                self.stderr[-3000:] or "(empty)",
            ]
        )


def plugin_under_test() -> Path:
    """This checkout, or the copy named by ``IE_E2E_PLUGIN_DIR`` (e.g. a clean clone)."""
    explicit = os.environ.get("IE_E2E_PLUGIN_DIR")
    return Path(explicit).resolve() if explicit else ROOT


class Sandbox:
    """A throwaway HOME, project (with worktree) and model server, and the CLI to run in them."""

    def __init__(self, root: Path, cli: Path, server: ModelServer, plugin_dir: Path | None = None) -> None:
        self.root = root
        self.cli = cli
        self.server = server
        self.plugin_dir = plugin_dir or plugin_under_test()
        self.home = root / "home"
        self.tmp = root / "tmp"
        self.records = root / "records"
        self.project = make_project(root / "project")
        self.worktree = self.project / "trees" / WORKTREE_NAME
        for d in (self.home, self.tmp, self.records):
            d.mkdir(parents=True, exist_ok=True)
        self.trust(self.project)

    def trust(self, *projects: Path) -> None:
        """Accept the workspace-trust dialog for these projects in the throwaway HOME."""
        state_file = self.home / ".claude.json"
        state: dict[str, Any] = json.loads(state_file.read_text()) if state_file.exists() else {}
        state.setdefault("hasCompletedOnboarding", True)
        for project in projects:
            state.setdefault("projects", {})[str(project)] = {"hasTrustDialogAccepted": True}
        state_file.write_text(json.dumps(state, indent=2))

    def write_config(self, config: dict[str, Any]) -> Path:
        """The project's ``.claude/integration-engineer.json``."""
        path = self.project / ".claude" / "integration-engineer.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(config, indent=2))
        return path

    def tracked_state(self) -> str:
        """HEAD, status and log of project and worktree: compare before and after a run."""
        parts = []
        for repo in (self.project, self.worktree):
            parts.append(
                git(repo, "rev-parse", "HEAD")
                + git(repo, "status", "--porcelain")
                + git(repo, "log", "--oneline", "--all")
            )
        return "\n".join(parts)

    @property
    def plugin_data(self) -> Path:
        """Where the CLI points ``CLAUDE_PLUGIN_DATA`` for a ``--plugin-dir`` plugin (observed:
        ``~/.claude/plugins/data/<name>-inline``; an installed plugin gets ``<name>-<marketplace>``)."""
        return self.home / ".claude" / "plugins" / "data" / "integration-engineer-inline"

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = base_env(self.home)
        env.update(
            {
                "ANTHROPIC_BASE_URL": self.server.url,
                "ANTHROPIC_API_KEY": "sk-ant-e2e-test",
                "TMPDIR": str(self.tmp),
                "IE_RECORD_PAYLOADS": str(self.records),
            }
        )
        env.update(extra or {})
        return env

    def payloads(self) -> list[dict[str, Any]]:
        path = self.records / "payloads.jsonl"
        if not path.exists():
            return []
        found = []
        for line in path.read_text(errors="replace").splitlines():
            try:
                value = json.loads(line)
            except ValueError:
                value = {"unparsable": line}
            found.append(value if isinstance(value, dict) else {"unparsable": line})
        return found

    def run(
        self,
        prompt: str,
        *,
        orchestrator: Sequence[Turn] = (),
        subagent: Sequence[Turn] = (),
        args: Sequence[str] = (),
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        skip_permissions: bool = True,
        subagent_final: str | None = None,
        orchestrator_final: str | None = None,
        plugin: bool = True,
    ) -> ClaudeRun:
        """Script the model, run ``claude -p PROMPT`` in the project, return what happened.

        The records (payloads, model requests) are reset first, so each run stands alone.
        """
        self.server.script(
            orchestrator=orchestrator,
            subagent=subagent,
            orchestrator_final=orchestrator_final,
            subagent_final=subagent_final,
        )
        (self.records / "payloads.jsonl").unlink(missing_ok=True)
        argv = ["-p", prompt, "--output-format", "json"]
        if plugin:
            argv += ["--plugin-dir", str(self.plugin_dir)]
        if skip_permissions:
            argv.append("--dangerously-skip-permissions")
        argv += list(args)
        return self._run(argv, env=env, cwd=cwd or self.project, timeout=timeout)

    def command(self, *args: str, timeout: float = DEFAULT_TIMEOUT, cwd: Path | None = None) -> ClaudeRun:
        """Any other CLI command (``plugin validate``, ``plugin install`` ...) in the sandbox."""
        return self._run(list(args), env=None, cwd=cwd or self.project, timeout=timeout)

    def _run(self, argv: list[str], *, env: dict[str, str] | None, cwd: Path, timeout: float) -> ClaudeRun:
        started = time.monotonic()
        proc = subprocess.Popen(
            [str(self.cli), *argv],
            cwd=cwd,
            env=self.env(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate()
            run = ClaudeRun(argv, -9, stdout, stderr, time.monotonic() - started, self.payloads(), self.server)
            raise AssertionError(f"claude did not finish within {timeout}s\n{run.describe()}") from None
        run = ClaudeRun(argv, proc.returncode, stdout, stderr, time.monotonic() - started, self.payloads(), self.server)
        try:
            parsed = json.loads(stdout) if stdout.strip() else {}
        except ValueError:
            parsed = {}
        if isinstance(parsed, dict):
            run.result = parsed
        return run


def copy_checkout(source: Path, target: Path) -> Path:
    """A clean copy of a checkout: its tracked and untracked-but-not-ignored files (no .venv, no
    caches), as a fresh clone of the working tree would have them."""
    listed = subprocess.run(
        ["git", "-C", str(source), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        check=True,
    ).stdout
    for name in sorted({n for n in listed.decode().split("\0") if n}):
        src = source / name
        if not src.is_file():  # deleted in the working tree but still in the index
            continue
        dst = target / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_bytes(src.read_bytes())
        dst.chmod(src.stat().st_mode & 0o777)
    return target


def decision_log_entries(data_dir: Path) -> list[dict[str, Any]]:
    """The plugin's decision log (``decisions.jsonl`` in its data directory), oldest first."""
    path = data_dir / "decisions.jsonl"
    if not path.exists():
        return []
    entries: list[dict[str, Any]] = []
    for line in path.read_text(errors="replace").splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            entries.append(value)
    return entries


PROBE_HOOK = r"""
import json, os, sys
raw = sys.stdin.read()
payload = json.loads(raw)
probe = os.environ["IE_PROBE_DIR"]
env = {k: v for k, v in os.environ.items() if k.startswith("CLAUDE_PLUGIN_")}
with open(os.path.join(probe, "log.jsonl"), "a") as log:
    log.write(json.dumps({"payload": payload, "env": env}) + "\n")
try:
    with open(os.path.join(probe, "answers.json")) as f:
        answers = json.load(f)
except OSError:
    answers = {}
answer = answers.get(payload.get("hook_event_name", "") + ":" + payload.get("tool_name", ""))
if answer is not None:
    print(json.dumps(answer))
"""
PROBE_EVENTS = (
    "SessionStart",
    "UserPromptSubmit",
    "PreToolUse",
    "PostToolUse",
    "SubagentStart",
    "SubagentStop",
    "Stop",
)


def make_probe_plugin(path: Path, name: str = "integration-engineer") -> Path:
    """A throwaway plugin for checking how the CLI behaves: an agent named like ours and one hook
    on every event that records payload and plugin environment to ``$IE_PROBE_DIR/log.jsonl``
    and answers what ``$IE_PROBE_DIR/answers.json`` holds under ``"Event:Tool"``."""
    (path / ".claude-plugin").mkdir(parents=True, exist_ok=True)
    (path / "agents").mkdir(exist_ok=True)
    (path / "hooks").mkdir(exist_ok=True)
    (path / ".claude-plugin" / "plugin.json").write_text(
        json.dumps({"name": name, "version": "0.0.1", "description": "probe", "author": {"name": "e2e"}})
    )
    (path / "agents" / "integration-engineer.md").write_text(
        "---\nname: integration-engineer\ndescription: Probe agent for integration work.\n"
        "color: blue\n---\nYou are a probe. Answer briefly.\n"
    )
    (path / "hooks" / "probe.py").write_text(PROBE_HOOK)
    command = '"${CLAUDE_PLUGIN_ROOT}/hooks/probe.sh"'
    (path / "hooks" / "probe.sh").write_text('#!/bin/sh\nexec python3 -I "$(dirname "$0")/probe.py"\n')
    (path / "hooks" / "probe.sh").chmod(0o755)
    hooks = {event: [{"hooks": [{"type": "command", "command": command, "timeout": 30}]}] for event in PROBE_EVENTS}
    (path / "hooks" / "hooks.json").write_text(json.dumps({"hooks": hooks}, indent=2))
    return path


def probe_log(probe_dir: Path) -> list[dict[str, Any]]:
    path = probe_dir / "log.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSON-lines file (a transcript); [] when it does not exist."""
    file = Path(path)
    if not file.is_file():
        return []
    found: list[dict[str, Any]] = []
    for line in file.read_text(errors="replace").splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            found.append(value)
    return found


def hook_attachments(
    entries: Iterable[dict[str, Any]], kind: str, *, event: str | None = None, tool_use_id: str | None = None
) -> list[dict[str, Any]]:
    """The ``attachment`` objects of one kind in a transcript (observed with CLI 2.1.332:
    ``hook_success`` records each hook's ``stdout`` under ``hookEvent`` and ``toolUseID``;
    ``hook_system_message`` is a hook's ``systemMessage``, shown to the user;
    ``hook_additional_context`` holds what reached the model)."""
    found = []
    for entry in entries:
        attachment = entry.get("attachment")
        if not isinstance(attachment, dict) or attachment.get("type") != kind:
            continue
        if event is not None and attachment.get("hookEvent") != event:
            continue
        if tool_use_id is not None and attachment.get("toolUseID") != tool_use_id:
            continue
        found.append(attachment)
    return found


def hook_answers(entries: Iterable[dict[str, Any]], event: str, tool_use_id: str | None = None) -> list[dict[str, Any]]:
    """What our hooks answered (their stdout, parsed), as the CLI recorded it in a transcript."""
    answers = []
    for attachment in hook_attachments(entries, "hook_success", event=event, tool_use_id=tool_use_id):
        try:
            value = json.loads(str(attachment.get("stdout") or "{}"))
        except ValueError:
            value = {"unparsable": attachment.get("stdout")}
        answers.append(value if isinstance(value, dict) else {"unparsable": value})
    return answers
