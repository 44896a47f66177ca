"""Build a real end-of-run scenario: a repository, a worktree, a task accepted through the real
PreToolUse hook, what the agent did, and its SubagentStop, all through the registered commands.

Used by the golden cases (``tests/cases/{allow,deny}/stop/*.json``) and the unit tests of the
end of a run. Placeholders in case files: ``@outside`` (a directory outside the repository),
``@worktree`` (the worktree's absolute path).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.helpers import HookRun, git, make_repo, run_hook

GUARDED = "integration-engineer:integration-engineer"
SESSION = "sess-stop"
TASK_ID = "PROJ-123"
WORKTREE = "PROJ-123-stripe"
PROMPT = (
    "TASK: PROJ-123, DESCRIPTION: Integrate Stripe payment webhooks with retry logic, "
    "WORKTREE_PATH: ./trees/PROJ-123-stripe"
)


@dataclass
class Scenario:
    root: Path
    project: Path
    worktree: Path
    outside: Path
    transcripts: Path
    env: dict[str, str] = field(default_factory=dict)
    agent_id: str = "agent0001"
    tool_use_id: str = "toolu_stop_1"
    prompt: str = PROMPT  # the orchestrator's prompt for the Agent call

    def expand(self, text: str) -> str:
        return text.replace("@outside", str(self.outside)).replace("@worktree", str(self.worktree))

    @property
    def agent_transcript(self) -> Path:
        return self.transcripts / SESSION / "subagents" / f"agent-{self.agent_id}.jsonl"

    def accept(self, *, start: bool = True) -> HookRun:
        """The orchestrator's Agent call, through the real PreToolUse hook, then (as Claude Code
        does before the agent's first request) SubagentStart, which records the baseline."""
        payload = {
            "hook_event_name": "PreToolUse",
            "session_id": SESSION,
            "cwd": str(self.project),
            "tool_name": "Agent",
            "tool_use_id": self.tool_use_id,
            "tool_input": {"description": "stripe", "prompt": self.prompt, "subagent_type": GUARDED},
        }
        run = run_hook("PreToolUse", payload, tool="Agent", env=self.env, cwd=self.project)
        assert run.decision != "deny", run.reason
        self.agent_transcript.parent.mkdir(parents=True, exist_ok=True)
        meta = {"agentType": GUARDED, "description": "stripe", "toolUseId": self.tool_use_id}
        self.agent_transcript.with_suffix(".meta.json").write_text(json.dumps(meta))
        first = {"type": "user", "message": {"role": "user", "content": self.prompt}}
        self.agent_transcript.write_text(json.dumps(first) + "\n")
        if start:
            started = self.start()
            assert started.exit_code == 0 and self.task_id_in(started), started
        return run

    def start(self) -> HookRun:
        payload = {
            "hook_event_name": "SubagentStart",
            "session_id": SESSION,
            "cwd": str(self.project),
            "transcript_path": str(self.transcripts / f"{SESSION}.jsonl"),
            "agent_id": self.agent_id,
            "agent_type": GUARDED,
        }
        return run_hook("SubagentStart", payload, env=self.env, cwd=self.project)

    @staticmethod
    def task_id_in(run: HookRun) -> bool:
        """SubagentStart found the task (its context names it)."""
        return f"Task: {TASK_ID}" in run.stdout

    def stop(self, message: str, *, active: bool = False) -> HookRun:
        payload = {
            "hook_event_name": "SubagentStop",
            "session_id": SESSION,
            "cwd": str(self.project),
            "transcript_path": str(self.transcripts / f"{SESSION}.jsonl"),
            "agent_id": self.agent_id,
            "agent_type": GUARDED,
            "stop_hook_active": active,
            "agent_transcript_path": str(self.agent_transcript),
            "last_assistant_message": message,
        }
        return run_hook("SubagentStop", payload, env=self.env, cwd=self.project)

    def handoff(self, response: Any = None) -> HookRun:
        payload = {
            "hook_event_name": "PostToolUse",
            "session_id": SESSION,
            "cwd": str(self.project),
            "tool_name": "Agent",
            "tool_use_id": self.tool_use_id,
            "tool_input": {"description": "stripe", "prompt": self.prompt, "subagent_type": GUARDED},
            "tool_response": response
            if response is not None
            else {"status": "completed", "content": [{"type": "text", "text": "done"}]},
        }
        return run_hook("PostToolUse", payload, tool="Agent", env=self.env, cwd=self.project)

    def append_transcript(self, *records: dict[str, Any]) -> None:
        with self.agent_transcript.open("a") as fh:
            for record in records:
                fh.write(json.dumps(record) + "\n")


def build(
    tmp: Path, committed: dict[str, str] | None = None, gitignore: tuple[str, ...] = (), data_dir: Path | None = None
) -> Scenario:
    """A project with ``committed`` files and a linked worktree under trees/."""
    root = tmp.resolve()
    project = make_repo(root / "project")
    ignore = ["trees/", *gitignore]
    (project / ".gitignore").write_text("\n".join(ignore) + "\n")
    for rel, content in (committed or {}).items():
        write(project / rel, content)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "fixtures", "--allow-empty")
    worktree = project / "trees" / WORKTREE
    git(project, "worktree", "add", "-q", "-b", WORKTREE, str(worktree))
    outside = root / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("must survive\n")
    (outside / "__pycache__").mkdir()
    (outside / "__pycache__" / "x.pyc").write_text("pyc")
    env = {"IE_DATA_DIR": str(data_dir or root / "data"), "CLAUDE_PROJECT_DIR": str(project)}
    return Scenario(root, project, worktree, outside, root / "transcripts", env)


def write(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)


def apply(scenario: Scenario, base: Path, changes: dict[str, Any]) -> None:
    """Files (content; null deletes), symlinks, directories and nested repositories under ``base``."""
    for rel, content in changes.get("files", {}).items():
        if content is None:
            target = base / rel
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink()
        else:
            write(base / rel, scenario.expand(content))
    for rel in changes.get("dirs", []):
        (base / rel).mkdir(parents=True, exist_ok=True)
    for rel, target in changes.get("symlinks", {}).items():
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(scenario.expand(target), base / rel)
    for rel, files in changes.get("nested_repos", {}).items():
        repo = base / rel
        repo.mkdir(parents=True, exist_ok=True)
        git(repo, "init", "-q")
        for name, content in files.items():
            write(repo / name, content)


def answer_text(scenario: Scenario, case: dict[str, Any]) -> str:
    if "answer_text" in case:
        return scenario.expand(str(case["answer_text"]))
    answer = json.loads(scenario.expand(json.dumps(case["answer"])))
    return json.dumps(answer, indent=2)
