"""Drive the real CLI's terminal UI (interactive mode) under tmux, offline.

Interactive sessions behave differently from ``-p``: every subagent runs in the background, its
result reaching the orchestrator as a ``<task-notification>`` in a UserPromptSubmit. Only a real
terminal shows that. A private tmux server (its own ``-L`` socket) holds one session; it is
killed when the test ends.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from tests.e2e.harness import ClaudeRun, Sandbox, pinned_version

PROMPT_MARK = "❯"


def prepare_home(sandbox: Sandbox) -> None:
    """The onboarding the terminal UI asks for, done (without it, it stops at a preflight)."""
    state_file = sandbox.home / ".claude.json"
    state = json.loads(state_file.read_text()) if state_file.exists() else {}
    state.update(
        hasCompletedOnboarding=True,
        lastOnboardingVersion=pinned_version(),
        theme="dark",
        bypassPermissionsModeAccepted=True,
        hasSeenAutoDefaultNotice=True,
        customApiKeyResponses={"approved": ["sk-ant-e2e-test"[-20:]], "rejected": []},
    )
    for project in state.setdefault("projects", {}).values():
        project.update(hasTrustDialogAccepted=True, hasCompletedProjectOnboarding=True)
    state_file.write_text(json.dumps(state, indent=2))


class Terminal:
    """One tmux session running ``claude`` in the sandbox's project."""

    def __init__(self, sandbox: Sandbox, socket: str) -> None:
        self.sandbox = sandbox
        self.socket = socket
        self.started = time.monotonic()

    def tmux(self, *args: str) -> str:
        proc = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30)
        return proc.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "main")

    def wait_for(self, what: str, ready: Callable[[], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready():
                return
            time.sleep(0.5)
        raise AssertionError(
            f"timed out after {timeout}s waiting for {what}\nscreen:\n{self.screen()}\n{self.describe()}"
        )

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "main", "-l", text)
        # On a loaded machine the UI draws the text late, and an Enter sent before that submits
        # nothing (seen once: no request ever came). Wait until its end shows, at most 20 s.
        tail = text[-16:]
        deadline = time.monotonic() + 20
        while tail not in self.screen() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(0.3)
        self.tmux("send-keys", "-t", "main", "Enter")

    def run(self) -> ClaudeRun:
        """What happened so far, in the shape of a ``-p`` run (exit code 0: still running)."""
        return ClaudeRun(
            ["(interactive)"],
            0,
            self.screen(),
            "",
            time.monotonic() - self.started,
            self.sandbox.payloads(),
            self.sandbox.server,
        )

    def describe(self) -> str:
        return self.run().describe()


@contextmanager
def terminal(
    sandbox: Sandbox, *, env: dict[str, str] | None = None, args: Sequence[str] = (), skip_permissions: bool = True
) -> Iterator[Terminal]:
    """Start ``claude [args]`` in a tmux session and wait for its prompt; kill the session at the end
    (``skip_permissions=False``: without ``--dangerously-skip-permissions``, e.g. the default mode)."""
    prepare_home(sandbox)
    (sandbox.records / "payloads.jsonl").unlink(missing_ok=True)
    socket = f"ie-e2e-{sandbox.root.name}-{time.monotonic_ns()}"
    environment = sandbox.env(env)
    command = " ".join(
        [
            "env",
            "-i",
            *(shlex.quote(f"{k}={v}") for k, v in environment.items()),
            shlex.quote(str(sandbox.cli)),
            "--plugin-dir",
            shlex.quote(str(sandbox.plugin_dir)),
            *(["--dangerously-skip-permissions"] if skip_permissions else []),
            *(shlex.quote(a) for a in args),
        ]
    )
    subprocess.run(
        [
            "tmux",
            "-L",
            socket,
            "new-session",
            "-d",
            "-s",
            "main",
            "-x",
            "200",
            "-y",
            "50",
            "-c",
            str(sandbox.project),
            command,
        ],
        check=True,
        timeout=30,
    )
    term = Terminal(sandbox, socket)
    try:
        term.wait_for("the prompt", lambda: PROMPT_MARK in term.screen(), 60)
        yield term
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=30)
        # tmux leaves its socket file behind when the server is killed: remove ours.
        Path(os.environ.get("TMUX_TMPDIR") or "/tmp", f"tmux-{os.getuid()}", socket).unlink(missing_ok=True)
