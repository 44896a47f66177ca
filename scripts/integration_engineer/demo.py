"""``make demo``: replay a recorded integration-engineer session through the real hooks.

A temporary git project with a linked worktree under ``trees/`` is built; each recorded payload
(captured from a real Claude Code run by ``examples/record_session.py``, paths replaced by
placeholders) is sent to the command that ``hooks/hooks.json`` registers for its event, exactly
as Claude Code starts it, and the decision is printed as a timeline. Allowed file writes of the
subagent are carried out, and the artifacts its test run made (``demo_creates``), so the
end-of-task checks see a real change. Each decision is compared with the one the plugin made in
the recorded run (``recorded``); a difference is printed and makes the demo exit 1.

The subagent's meta file and transcript, through which the real run bound the subagent to its
task, do not exist here: the hooks fall back on the only unclaimed task of the session.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import integration_engineer

PLUGIN_ROOT = Path(integration_engineer.PLUGIN_ROOT)
SESSION = PLUGIN_ROOT / "examples" / "session-stripe-webhooks.jsonl"
WORKTREE = "trees/PROJ-123-stripe"


@dataclass(frozen=True)
class Step:
    note: str
    payload: dict[str, Any]
    creates: tuple[str, ...] = ()  # files (relative to the project) the recorded tool call made
    recorded: dict[str, Any] | None = None  # the plugin's decision in the recorded run


@dataclass(frozen=True)
class Session:
    recorded_with: str
    steps: list[Step]


def placeholders(base: Path, project: Path, data: Path) -> dict[str, str]:
    """What the recorder's placeholders stand for in this run (see examples/record_session.py)."""
    home = base / "home"
    transcripts = home / ".claude" / "projects" / str(project).replace("/", "-")
    return {
        "{project}": str(project),
        "{data}": str(data),
        "{home}": str(home),
        "{transcripts}": str(transcripts),
        "{tmp}": str(base / "tmp"),
        "{plugin}": str(PLUGIN_ROOT),
    }


def load_session(path: Path, values: dict[str, str]) -> Session:
    """The recorded steps with their placeholders filled in for this run; the header line (no
    ``payload``) names the CLI the session was recorded with."""
    steps, recorded_with = [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        for key, value in values.items():
            line = line.replace(key, json.dumps(value)[1:-1])
        record = json.loads(line)
        if "payload" not in record:
            recorded_with = record.get("recorded_with", recorded_with)
            continue
        steps.append(
            Step(
                record.get("note", ""), record["payload"], tuple(record.get("demo_creates", ())), record.get("recorded")
            )
        )
    return Session(recorded_with, steps)


def make_project(base: Path) -> Path:
    return build_project(base / "shop")


def build_project(project: Path) -> Path:
    """The project of the story, at ``project``: one commit, the worktree under ``trees/``.
    ``examples/record_session.py`` records the session in the same project."""
    project.mkdir(parents=True)
    for args in (
        ["init", "-q", "-b", "main"],
        ["config", "user.email", "demo@example.com"],
        ["config", "user.name", "demo"],
    ):
        _git(project, *args)
    (project / "README.md").write_text("# shop\n")
    (project / ".gitignore").write_text("trees/\n__pycache__/\n")
    (project / "src").mkdir()
    (project / "src" / "payments.py").write_text("def charge(amount: int) -> None:\n    pass\n")
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "initial")
    # The recorded session predates the kernel sandbox: the demo replays the static layer
    # (docs/sandbox.md shows the sandbox). Untracked and ignored, like a user's local config.
    (project / ".claude").mkdir()
    (project / ".claude" / "integration-engineer.json").write_text('{"sandbox": {"mode": "off"}}\n')
    (project / ".git" / "info" / "exclude").write_text(".claude/\n")
    _git(project, "worktree", "add", "-q", "-b", "PROJ-123-stripe", str(project / WORKTREE))
    return project


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True)


def hook_command(event: str) -> str:
    hooks = json.loads((PLUGIN_ROOT / "hooks" / "hooks.json").read_text())["hooks"]
    command: str = hooks[event][0]["hooks"][0]["command"]
    return command


def run_step(step: Step, env: dict[str, str], project: Path) -> tuple[int, dict[str, Any], str]:
    event = step.payload["hook_event_name"]
    proc = subprocess.run(
        ["sh", "-c", hook_command(event)],
        input=json.dumps(step.payload).encode(),
        capture_output=True,
        env=env,
        cwd=project,
        timeout=120,
    )
    out = proc.stdout.decode().strip()
    body = json.loads(out) if out.startswith("{") else {}
    return proc.returncode, body, proc.stderr.decode().strip()


def describe(code: int, body: dict[str, Any], stderr: str) -> tuple[str, str]:
    """(decision, detail) in words, from the answer as Claude Code would read it."""
    specific = body.get("hookSpecificOutput", {})
    if code == 2:
        return "DENY", stderr
    if specific.get("permissionDecision"):
        return specific["permissionDecision"].upper(), specific.get("permissionDecisionReason", "")
    if body.get("decision") == "block":
        return "BLOCK", body.get("reason", "")
    if "updatedInput" in specific:
        shown = json.dumps(specific["updatedInput"].get("command", specific["updatedInput"]))
        context = specific.get("additionalContext", "")
        return "REWRITE", shown + (f"\ncontext: {context}" if context else "")
    if specific.get("additionalContext"):
        return "CONTEXT", specific["additionalContext"]
    if body.get("systemMessage"):
        return "MESSAGE", body["systemMessage"]
    return "allow", ""


def apply_effect(step: Step, decision: str, project: Path) -> None:
    """Carry out an allowed Write of the subagent, as the tool would have."""
    payload = step.payload
    is_write = payload.get("tool_name") == "Write" and payload.get("hook_event_name") == "PreToolUse"
    if is_write and decision not in ("DENY", "BLOCK"):
        target = Path(payload["tool_input"]["file_path"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(payload["tool_input"].get("content", ""))
    for artifact in step.creates:
        path = project / artifact
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("artifact\n")


def who(payload: dict[str, Any]) -> str:
    agent = payload.get("agent_type", "")
    return agent.split(":")[-1] if agent else "orchestrator"


def what(payload: dict[str, Any]) -> str:
    tool = payload.get("tool_name", "")
    tool_input = payload.get("tool_input", {})
    shown = tool_input.get("command") or tool_input.get("file_path") or tool_input.get("subagent_type") or ""
    return f"{payload['hook_event_name']} {tool} {shown}".strip()


def logged_decision(data: Path) -> dict[str, Any]:
    """The last entry of the plugin's decision log: what the hook just decided, as recorded."""
    try:
        lines = (data / "decisions.jsonl").read_text(encoding="utf-8").splitlines()
        entry = json.loads(lines[-1])
    except (OSError, ValueError, IndexError):
        return {}
    return {
        "decision": entry.get("decision"),
        "policy": entry.get("policy", ""),
        "rewritten": bool(entry.get("rewritten")),
    }


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="ie-demo-") as tmp:
        base = Path(tmp)
        project, data = make_project(base), base / "integration-engineer-inline"  # as --plugin-dir names it
        env = {
            **os.environ,
            "CLAUDE_PLUGIN_ROOT": str(PLUGIN_ROOT),
            "CLAUDE_PROJECT_DIR": str(project),
            "IE_DATA_DIR": str(data),
            "CLAUDE_PLUGIN_DATA": str(data),
        }
        for name in ("IE_NO_LOG", "IE_RECORD_PAYLOADS"):  # the comparison reads the decision log
            env.pop(name, None)
        session = load_session(SESSION, placeholders(base, project, data))
        recorded = f" (recorded with {session.recorded_with})" if session.recorded_with else ""
        print(f"integration-engineer demo: project {project}, worktree {WORKTREE}{recorded}\n")
        differ = []
        for number, step in enumerate(session.steps, 1):
            code, body, stderr = run_step(step, env, project)
            decision, detail = describe(code, body, stderr)
            apply_effect(step, decision, project)
            print(f"{number:>2}. [{who(step.payload)}] {what(step.payload)[:90]}")
            if step.note:
                print(f"    ({step.note})")
            print(f"    -> {decision}")
            logged = logged_decision(data)
            if step.recorded is not None and logged != step.recorded:
                differ.append(number)
                print(f"    !! the recorded run decided {json.dumps(step.recorded)}, this replay {json.dumps(logged)}")
            lines = [w for para in detail.splitlines() for w in (textwrap.wrap(para, 100) or [""])]
            for line in lines[:30]:
                print(f"       {line}")
            if step.payload["hook_event_name"] == "SubagentStop" and decision == "allow":
                left = artifacts_left(project / WORKTREE)
                print(f"       artifacts left in the worktree: {', '.join(left) or 'none'}")
            print()
        checked = sum(step.recorded is not None for step in session.steps)
        if differ:
            print(f"{len(differ)} of {checked} decisions differ from the recorded run: steps {differ}")
            return 1
        if checked:
            print(f"All {checked} decisions are the ones the plugin made in the recorded run.")
    return 0


def artifacts_left(worktree: Path) -> list[str]:
    """Untracked, ignored or not, as git sees them: what the cleanup should have removed."""
    proc = subprocess.run(
        ["git", "-C", str(worktree), "status", "--porcelain", "--ignored", "-uall"],
        capture_output=True,
        text=True,
        check=True,
    )
    names = [line[3:] for line in proc.stdout.splitlines() if line.startswith(("??", "!!"))]
    return [n for n in names if "stripe_webhooks.py" not in n or "__pycache__" in n]


if __name__ == "__main__":
    sys.exit(main())
