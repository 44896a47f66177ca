"""Regenerate tests/audit/transcripts/ with the real Claude Code CLI (run by hand, not by pytest).

    .venv/bin/python tests/audit/capture_transcripts.py

Two sessions against the scripted model server: a foreground Agent call whose answer breaks the
contract, and a background one whose answer is good. The records holding whole API requests
(system prompts, tens of kilobytes each) are dropped; every other record is kept as written.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.model_server import ModelServer, ToolUse  # noqa: E402

AGENT = "integration-engineer:integration-engineer"
BAD = (
    "Here is my report:\n```json\n"
    + json.dumps(
        {
            "task_id": "PROJ-7",
            "worktree_path": "./trees/PROJ-7-integration",
            "work_completed": "Stripe webhooks with “idempotency” keys 😀",
            "files_modified": ["src/webhooks/stripe.py", "/abs/src/app.py"],
            "test_results": {"passed": 12, "failed": 0},
            "unfinished": [],
        },
        indent=2,
        ensure_ascii=False,
    )
    + "\n```"
)
GOOD = json.dumps(
    {
        "task_id": "PROJ-8",
        "worktree_path": "./trees/PROJ-8-integration",
        "work_completed": "OAuth token refresh with retry on 401",
        "files_modified": ["src/oauth/refresh.py"],
        "unfinished": [],
    },
    indent=2,
)
DROPPED = {"api-request-blob", "api-request", "api-request-shape", "tools-used"}


def run_session(name: str, answer: str, background: bool, home: Path, target: Path) -> None:
    plugin = home / "plugin"
    (plugin / ".claude-plugin").mkdir(parents=True, exist_ok=True)
    (plugin / ".claude-plugin" / "plugin.json").write_text('{"name": "integration-engineer"}\n')
    shutil.copytree(ROOT / "agents", plugin / "agents", dirs_exist_ok=True)
    call = {
        "description": "integration work",
        "prompt": f"TASK: {name}",
        "subagent_type": AGENT,
        "run_in_background": background,
    }
    project = home / "project"
    project.mkdir(exist_ok=True)
    cli = subprocess.run(
        ["sh", str(ROOT / "tests" / "e2e" / "install_cli.sh")], capture_output=True, text=True, check=True
    ).stdout.strip()
    with ModelServer() as server:
        server.script(
            orchestrator=[ToolUse("Agent", call), "Thanks."],
            subagent=[ToolUse("Bash", {"command": "ls", "description": "look"}), answer],
        )
        env = {
            **os.environ,
            "HOME": str(home),
            "ANTHROPIC_BASE_URL": server.url,
            "ANTHROPIC_API_KEY": "test",
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
            "DISABLE_AUTOUPDATER": "1",
            "DISABLE_TELEMETRY": "1",
            "IS_SANDBOX": "1",
        }
        subprocess.run(
            [cli, "-p", "go", "--plugin-dir", str(plugin), "--output-format", "json", "--dangerously-skip-permissions"],
            cwd=project,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
    sessions = home / ".claude" / "projects"
    for path in sessions.rglob("*"):
        if path.is_file():
            out = target / name / path.relative_to(next(sessions.iterdir()))
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(_trimmed(path) if path.suffix == ".jsonl" else path.read_text())


def _trimmed(path: Path) -> str:
    keep = [line for line in path.read_text().splitlines(keepends=True) if json.loads(line).get("type") not in DROPPED]
    return "".join(keep)


def main() -> None:
    target = HERE / "transcripts"
    shutil.rmtree(target, ignore_errors=True)
    for name, answer, background in (("foreground-bad", BAD, False), ("background-good", GOOD, True)):
        with tempfile.TemporaryDirectory() as home:
            run_session(name, answer, background, Path(home), target)


if __name__ == "__main__":
    main()
