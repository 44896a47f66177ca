"""The commands docs/ci.md shows are run here as written, so the docs cannot drift."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "ci.md").read_text()
BIN = Path(sys.executable).parent
GOOD = {
    "task_id": "PROJ-1",
    "worktree_path": "./trees/PROJ-1",
    "work_completed": "Webhooks",
    "files_modified": ["src/a.py"],
    "unfinished": [],
}


def doc_commands() -> list[str]:
    """Every ``integration-engineer audit`` command in the docs' code blocks."""
    blocks = re.findall(r"```ya?ml\n(.*?)```", DOC, re.DOTALL)
    found = re.findall(r"(?:run:|- )\s*(integration-engineer audit [^\n]+)", "\n".join(blocks))
    return found


def test_the_docs_show_the_commands() -> None:
    commands = doc_commands()
    assert len(commands) == 1  # GitLab's; the GitHub snippets use the action (test_ci_install.py)
    assert any("--format junit" in c for c in commands)


def _workspace(tmp_path: Path, answer: object) -> Path:
    (tmp_path / "agent-output").mkdir()
    (tmp_path / "agent-output" / "PROJ-1.json").write_text(json.dumps(answer))
    return tmp_path


@pytest.mark.parametrize("command", doc_commands())
@pytest.mark.parametrize(("answer", "code"), [(GOOD, 0), ({**GOOD, "coverage": "90%"}, 1)])
def test_doc_command_runs(tmp_path: Path, command: str, answer: object, code: int) -> None:
    work = _workspace(tmp_path, answer)
    summary = tmp_path / "summary.md"
    argv = [str(BIN / "integration-engineer"), *shlex.split(command)[1:]]
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary)}
    proc = subprocess.run(argv, cwd=work, capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == code, proc.stdout + proc.stderr
    if "--format sarif" in command:
        assert json.loads((work / "results.sarif").read_text())["version"] == "2.1.0"
    if "--format junit" in command:
        assert ET.parse(work / "audit-junit.xml").getroot().tag == "testsuites"
    if "--format github" in command and code:
        assert "::error file=agent-output/PROJ-1.json,line=1" in proc.stdout
        assert "reported-elsewhere" in summary.read_text()


def test_precommit_hook_and_action_call_the_same_command() -> None:
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "id: integration-engineer-audit" in hooks
    assert "entry: integration-engineer audit" in hooks
    action = (ROOT / "action.yml").read_text()
    assert '"$IE_BIN/integration-engineer" audit --format "$IE_FORMAT"' in action
    assert "${{ inputs" not in action.split("run: |")[1]  # inputs only through the environment


def test_precommit_style_call_checks_the_files_it_is_given(tmp_path: Path) -> None:
    work = _workspace(tmp_path, {**GOOD, "timestamp": "now"})
    entry = re.search(r"entry: (.+)", (ROOT / ".pre-commit-hooks.yaml").read_text())
    assert entry is not None
    argv = [str(BIN / "integration-engineer"), *entry.group(1).split()[1:], "agent-output/PROJ-1.json"]
    proc = subprocess.run(argv, cwd=work, capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert "agent-output/PROJ-1.json:1:" in proc.stdout
