"""Golden cases for the pre-work validation: tests/cases/{allow,deny}/agent/*.json.

Each case is run through the registered PreToolUse command, in a real repository built for it
(linked worktrees, plain directories, symlinks, files, project configuration, a stand-in ``acli``).
Strings in the case may use ``{project}``, ``{home}`` and ``{blob:PATH}`` (the git blob id of a
file in the first worktree).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from integration_engineer.task.context import token_line
from tests.helpers import ROOT, git, make_repo, run_hook

CASES = sorted((ROOT / "tests" / "cases").glob("*/agent/*.json"))
ERROR_LINE = re.compile(r"^ERROR: .*$", re.MULTILINE)


def _fill(value: Any, marks: dict[str, str]) -> Any:
    if isinstance(value, str):
        for mark, text in marks.items():
            value = value.replace("{" + mark + "}", text)
        return value
    if isinstance(value, list):
        return [_fill(v, marks) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, marks) for k, v in value.items()}
    return value


def _stand_in_acli(bin_dir: Path, spec: dict[str, Any], log: Path) -> None:
    bin_dir.mkdir(parents=True, exist_ok=True)
    out = bin_dir / "acli.out"
    out.write_text(spec.get("stdout", ""))
    err = bin_dir / "acli.err"
    err.write_text(spec.get("stderr", ""))
    script = bin_dir / "acli"
    script.write_text(
        "#!/bin/sh\n"
        f"printf '%s\\n' \"$*\" >> '{log}'\n"
        + (f"sleep {spec['sleep']}\n" if spec.get("sleep") else "")
        + f"cat '{out}'\ncat '{err}' >&2\nexit {int(spec.get('exit', 0))}\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def _build(tmp: Path, setup: dict[str, Any]) -> tuple[Path, dict[str, str]]:
    project = make_repo(tmp / "project", tuple(setup.get("worktrees", ())))
    for name in setup.get("claude_worktrees", ()):
        git(project, "worktree", "add", "-q", "-b", name, str(project / ".claude/worktrees" / name))
    marks = {"project": str(project.resolve()), "home": str(tmp / "home")}
    for rel in setup.get("dirs", ()):
        (project / rel).mkdir(parents=True, exist_ok=True)
    for rel, text in setup.get("files", {}).items():
        target = project / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    for rel, dest in setup.get("symlinks", {}).items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).symlink_to(_fill(dest, marks))
    if "config" in setup:
        (project / ".claude").mkdir(exist_ok=True)
        (project / ".claude" / "integration-engineer.json").write_text(json.dumps(setup["config"]))
    worktrees = list(setup.get("worktrees", ()))
    if worktrees:
        first = project / "trees" / worktrees[0]
        for path in first.rglob("*"):
            if path.is_file() and ".git" not in path.parts:
                rel = path.relative_to(first).as_posix()
                marks[f"blob:{rel}"] = git(first, "hash-object", "--", rel).strip()
    return project, marks


@pytest.mark.parametrize("case_path", CASES, ids=lambda p: f"{p.parts[-3]}-{p.stem}")
def test_agent_case(case_path: Path, tmp_path: Path, _isolated_data_dir: Path) -> None:
    case = json.loads(case_path.read_text())
    setup, expect = case["setup"], case["expect"]
    project, marks = _build(tmp_path, setup)
    payload = _fill(case["payload"], marks)
    env = {"IE_NO_LOG": "1"}
    acli_log = tmp_path / "acli.log"
    if "acli" in setup:
        if setup["acli"] is None:
            git_dir = os.path.dirname(shutil.which("git") or "/usr/bin/git")
            env["PATH"] = os.pathsep.join(dict.fromkeys([git_dir, "/usr/bin", "/bin"]))
        else:
            _stand_in_acli(tmp_path / "bin", setup["acli"], acli_log)
            env["PATH"] = f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}"
    run = run_hook("PreToolUse", payload, tool=payload["tool_name"], env=env, cwd=project)

    assert run.decision == expect["decision"], run.stdout + run.stderr
    specific = run.json.get("hookSpecificOutput", {})
    stored = sorted((_isolated_data_dir / "tasks").rglob("toolu_*.json"))
    if expect["decision"] == "deny":
        # The reference's ERROR lines, each exactly once, in order, the first one first.
        assert ERROR_LINE.findall(run.reason) == expect["errors"]
        assert run.reason.startswith(expect["errors"][0])
        assert stored == [], "a refused task must not be remembered"
    for fragment in _fill(expect.get("reason_contains", []), marks):
        assert fragment in run.reason
    for fragment in expect.get("context_contains", []):
        assert fragment in specific.get("additionalContext", "")
    if expect["decision"] == "pass" and "task" in expect:
        # Accepted agents run in the foreground, so their answer is checked before the hand-off.
        assert specific["updatedInput"]["run_in_background"] is False
    if expect.get("no_update"):
        # Nothing changed but the foreground and the task key line that binds the agent.
        updated = dict(specific["updatedInput"])
        key_line = "\n\n" + token_line(payload["tool_use_id"])
        assert updated["prompt"].endswith(key_line)
        updated["prompt"] = updated["prompt"].removesuffix(key_line)
        assert {**updated, "run_in_background": None} == {**payload["tool_input"], "run_in_background": None}
    if "updated_prompt_contains" in expect:
        updated = specific["updatedInput"]
        assert updated["subagent_type"] == payload["tool_input"]["subagent_type"]
        assert updated["prompt"].startswith(payload["tool_input"]["prompt"])
        for fragment in expect["updated_prompt_contains"]:
            assert fragment in updated["prompt"]
    if "acli_args" in expect:
        assert acli_log.read_text().split("\n")[0] == expect["acli_args"]
    if expect.get("acli_not_called"):
        assert not acli_log.exists()
    if expect.get("no_task"):
        assert stored == []
    if "task" in expect:
        assert len(stored) == 1
        task = json.loads(stored[0].read_text())
        assert task["tool_use_id"] == payload["tool_use_id"]
        assert task["session_id"] == payload["session_id"]
        assert task["project"] == marks["project"]
        assert len(task["base_head"]) == (40 if task["worktree"] else 0)  # isolation: learned at start
        for key, want in _fill(expect["task"], marks).items():
            if key == "requirements_contains":
                assert want in task["requirements"]
            else:
                assert task[key] == want, key
