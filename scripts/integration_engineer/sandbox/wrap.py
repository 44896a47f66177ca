"""PreToolUse's last step for a guarded agent's Bash command: run it inside the sandbox.

It applies after the static policies accepted the command, to the command as they left it (the
exclusion rewrite included), so there is one rewrite. ``sandbox.mode``: "auto" wraps when the
engine works and otherwise leaves the static guard alone; "required" refuses instead; "off".
"""

from __future__ import annotations

import os

from integration_engineer.config import Settings
from integration_engineer.runtime import datadir
from integration_engineer.runtime.outcome import Outcome, deny
from integration_engineer.runtime.payload import HookEvent
from integration_engineer.sandbox import bwrap, layout, probe, seatbelt
from integration_engineer.task import acting as acting_task

NAME = "sandbox"
TMP_DIR = "sandbox-tmp"  # in the state directory: the tasks' own /tmp, writable inside the sandbox


def apply(event: HookEvent, settings: Settings, outcome: Outcome) -> Outcome:
    mode = settings.sandbox.mode
    if mode == "off" or outcome.kind in ("deny", "ask", "block"):
        return outcome
    tool_input = outcome.updated_input if outcome.updated_input is not None else event.tool_input
    command = tool_input.get("command")
    if not isinstance(command, str) or not command.strip():
        return outcome
    name, detail = probe.engine()
    if not name:
        if mode == "required":
            return deny(NAME, _unavailable(detail), sandbox="none")
        return _with(outcome, outcome.updated_input, sandbox=f"none: {detail}")
    task = acting_task.task_for(event, settings)
    if task is None:
        return deny(NAME, acting_task.missing_reason("this Bash call"), sandbox=name)
    worktree = acting_task.worktree_of(task)
    box = layout.build(
        worktree,
        os.path.realpath(event.cwd or worktree),
        task_tmp(task.key),
        settings.sandbox.writable,
        settings.sandbox.hidden,
        settings.sandbox.network == "on",
    )
    if name == "bwrap":
        bwrap.ensure_runner(box.tmp)
        text = bwrap.command_text(box, detail, command, event.tool_use_id)
    else:
        text = seatbelt.command_text(box, command)
    return _with(outcome, {**tool_input, "command": text}, sandbox=name)


def task_tmp(key: str) -> str:
    """The task's own /tmp, kept between its commands (removed by ``remove_tmp`` at the end)."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in key) or "main"
    path = os.path.join(datadir.data_dir(), TMP_DIR, safe)
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def remove_tmp(key: str) -> None:
    """Delete the task's /tmp: only this directory under our own state directory."""
    import shutil

    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in key) or "main"
    root = os.path.join(datadir.data_dir(), TMP_DIR)
    path = os.path.join(root, safe)
    if os.path.isdir(path) and not os.path.islink(path) and os.path.dirname(path) == root:
        shutil.rmtree(path, ignore_errors=True)


def _with(outcome: Outcome, updated: dict[str, object] | None, **details: str) -> Outcome:
    return Outcome(
        kind=outcome.kind,
        reason=outcome.reason,
        policy=outcome.policy,
        updated_input=updated,
        context=outcome.context,
        system_message=outcome.system_message,
        details={**outcome.details, **details},
    )


def _unavailable(detail: str) -> str:
    return (
        f'integration-engineer: Bash commands are refused: config sandbox.mode is "required" and the '
        f"sandbox cannot start ({detail}). Fix: install bubblewrap (Debian/Ubuntu: apt-get install "
        'bubblewrap) or allow user namespaces, or set sandbox.mode to "auto" in '
        ".claude/integration-engineer.json."
    )
