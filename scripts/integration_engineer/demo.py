"""``make demo``: replay a recorded integration-engineer session through the real hooks.

A temporary git project with a linked worktree under ``trees/`` is built; each recorded payload
(captured from a real Claude Code run, paths replaced by placeholders) is sent to the command
that ``hooks/hooks.json`` registers for its event, exactly as Claude Code starts it, and the
decision is printed as a timeline. Allowed file writes of the subagent are carried out, so the
end-of-task checks see a real change.
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

PLUGIN_ROOT = Path(__file__).resolve().parents[2]
SESSION = PLUGIN_ROOT / "examples" / "session-stripe-webhooks.jsonl"
WORKTREE = "trees/PROJ-123-stripe"


@dataclass(frozen=True)
class Step:
    note: str
    payload: dict[str, Any]


def load_session(path: Path, project: Path, data: Path) -> list[Step]:
    """Recorded steps with their placeholders filled in for this run."""
    values = {"{project}": str(project), "{data}": str(data)}
    steps = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        for key, value in values.items():
            line = line.replace(key, json.dumps(value)[1:-1])
        record = json.loads(line)
        steps.append(Step(record.get("note", ""), record["payload"]))
    return steps


def make_project(base: Path) -> Path:
    project = base / "shop"
    project.mkdir()
    for args in (["init", "-q", "-b", "main"], ["config", "user.email", "demo@example.com"],
                 ["config", "user.name", "demo"]):
        _git(project, *args)
    (project / "README.md").write_text("# shop\n")
    (project / ".gitignore").write_text("trees/\n__pycache__/\n")
    (project / "src").mkdir()
    (project / "src" / "payments.py").write_text("def charge(amount: int) -> None:\n    pass\n")
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "initial")
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
    proc = subprocess.run(["sh", "-c", hook_command(event)], input=json.dumps(step.payload).encode(),
                          capture_output=True, env=env, cwd=project, timeout=120)
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
    for artifact in payload.get("_demo_creates", []):
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


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="ie-demo-") as tmp:
        base = Path(tmp)
        project, data = make_project(base), base / "plugin-data"
        env = {**os.environ, "CLAUDE_PLUGIN_ROOT": str(PLUGIN_ROOT), "CLAUDE_PROJECT_DIR": str(project),
               "IE_DATA_DIR": str(data), "CLAUDE_PLUGIN_DATA": str(data)}
        print(f"integration-engineer demo: project {project}, worktree {WORKTREE}\n")
        for number, step in enumerate(load_session(SESSION, project, data), 1):
            code, body, stderr = run_step(step, env, project)
            decision, detail = describe(code, body, stderr)
            apply_effect(step, decision, project)
            print(f"{number:>2}. [{who(step.payload)}] {what(step.payload)[:90]}")
            if step.note:
                print(f"    ({step.note})")
            print(f"    -> {decision}")
            lines = [w for para in detail.splitlines() for w in (textwrap.wrap(para, 100) or [""])]
            for line in lines[:30]:
                print(f"       {line}")
            if step.payload["hook_event_name"] == "SubagentStop" and decision == "allow":
                left = artifacts_left(project / WORKTREE)
                print(f"       artifacts left in the worktree: {', '.join(left) or 'none'}")
            print()
    return 0


def artifacts_left(worktree: Path) -> list[str]:
    """Untracked, ignored or not, as git sees them: what the cleanup should have removed."""
    proc = subprocess.run(["git", "-C", str(worktree), "status", "--porcelain", "--ignored", "-uall"],
                          capture_output=True, text=True, check=True)
    names = [line[3:] for line in proc.stdout.splitlines() if line.startswith(("??", "!!"))]
    return [n for n in names if "stripe_webhooks.py" not in n or "__pycache__" in n]


if __name__ == "__main__":
    sys.exit(main())
