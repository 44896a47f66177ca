"""The hot path (every PreToolUse, SubagentStart, UserPromptSubmit) imports only the standard library."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.helpers import GUARDED, ROOT, TASK_PROMPT, agent_call, make_repo, write_agent_meta

PAYLOADS: list[dict[str, Any]] = [
    {
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "agent_type": GUARDED,
        "agent_id": "a",
        "tool_input": {"command": "git -c alias.ci=commit ci -m x; rg foo; pytest"},
    },
    {
        "hook_event_name": "PreToolUse",
        "tool_name": "Write",
        "agent_type": GUARDED,
        "agent_id": "a",
        "tool_input": {"file_path": "/tmp/report.md", "content": "x"},
    },
    {
        "hook_event_name": "PreToolUse",
        "tool_name": "Agent",
        "tool_input": {"subagent_type": GUARDED, "prompt": "TASK: X-1", "description": "d"},
    },
    {"hook_event_name": "SubagentStart", "agent_type": GUARDED, "agent_id": "a"},
    {"hook_event_name": "UserPromptSubmit", "prompt": "hello"},
    {
        "hook_event_name": "UserPromptSubmit",
        "prompt": "<task-notification>\n<task-id>a1</task-id>\n<tool-use-id>t1</tool-use-id>\n</task-notification>",
    },
]
PROBE = """
import json, sys
before = set(sys.modules)
sys.path.insert(0, sys.argv[1])
from integration_engineer.events import dispatch
for line in sys.stdin:
    payload = json.loads(line)
    dispatch.decide(payload["hook_event_name"], line.encode())
third_party = sorted(
    name for name in set(sys.modules) - before
    if name.split(".")[0] not in sys.stdlib_module_names
    and name.split(".")[0] not in ("integration_engineer", "__main__")
)
print(json.dumps(third_party))
"""


def test_hot_path_imports_no_third_party_module(tmp_path: object) -> None:
    stdin = "\n".join(json.dumps({**p, "cwd": str(ROOT)}) for p in PAYLOADS)
    proc = subprocess.run(
        [sys.executable, "-I", "-c", PROBE, str(ROOT / "scripts")],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        env={"IE_NO_LOG": "1", "PATH": "/usr/bin:/bin"},
    )
    assert json.loads(proc.stdout) == []


def test_the_probe_would_see_a_third_party_import() -> None:
    # Guard against a probe that cannot fail: importing click must show up.
    probe = PROBE.replace(
        "from integration_engineer.events import dispatch",
        "from integration_engineer.events import dispatch\nimport click",
    )
    proc = subprocess.run(
        [sys.executable, "-I", "-c", probe, str(ROOT / "scripts")], input="", capture_output=True, text=True, check=True
    )
    assert "click" in json.loads(proc.stdout)


# Modules the common guard decisions must not import: json and fnmatch bring re (with enum,
# functools, collections), ~10 ms of a ~20 ms hook; the others were measured at milliseconds too.
SLOW = frozenset(
    {
        "json",
        "re",
        "fnmatch",
        "enum",
        "functools",
        "collections",
        "typing",
        "dataclasses",
        "inspect",
        "pathlib",
        "subprocess",
        "hashlib",
        "shlex",
        "zlib",  # the sandbox's task /tmp name: a CRC-32 in a few lines (sandbox/task_tmp.py)
    }
)


def _imported(event: str, payload: dict[str, Any], env: dict[str, str]) -> tuple[list[str], str]:
    """The modules one hook process imports (``-X importtime``), started as the launcher starts
    it on hot events (``python -I -S hook.py EVENT``, payload on stdin), and its answer."""
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-X", "importtime", str(ROOT / "scripts" / "hook.py"), event],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    modules = [
        line.rsplit("|", 1)[-1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    ]
    return modules[1:], proc.stdout  # the first line is the header


ON_DEMAND = frozenset(
    {
        "integration_engineer.isolation.program_writes",
        "integration_engineer.isolation.git_writes",
        "integration_engineer.isolation.write_words",
        "integration_engineer.git_guard.git_settings",
        "integration_engineer.git_guard.known_git",
        "integration_engineer.git_guard.repo_config",
        "integration_engineer.git_guard.git_transports",
        "integration_engineer.git_guard.git_hooks",
    }
)


def test_common_guard_decisions_import_no_slow_module(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p", ("PROJ-1-x",))
    worktree = project / "trees" / "PROJ-1-x"
    env = {
        "IE_DATA_DIR": str(tmp_path / "data"),
        "CLAUDE_PROJECT_DIR": str(project),
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }
    common = {"session_id": "s", "cwd": str(project), "transcript_path": str(tmp_path / "s.jsonl")}
    _, answer = _imported("PreToolUse", agent_call(common), env)
    assert "updatedInput" in answer  # accepted: the agent's later calls have a task
    agent = {**common, "cwd": str(worktree), "agent_id": "a1", "agent_type": GUARDED}
    write_agent_meta(common)
    (worktree / "README.md").write_text("changed before the agent starts\n")
    modules, answer = _imported("SubagentStart", {**agent, "hook_event_name": "SubagentStart"}, env)
    assert "Task: PROJ-1" in answer and "1 file(s) were already changed" in answer  # git ran
    assert not SLOW & set(modules), ("SubagentStart", sorted(SLOW & set(modules)))
    main_thread = {
        **common,
        "session_id": "s2",
        "hook_event_name": "UserPromptSubmit",
        "agent_type": GUARDED,
        "prompt": TASK_PROMPT,
    }
    modules, answer = _imported("UserPromptSubmit", main_thread, env)
    assert "Task: PROJ-1" in answer
    assert not SLOW & set(modules), ("UserPromptSubmit", sorted(SLOW & set(modules)))
    calls = {
        # Accepted Bash commands run inside the sandbox (bwrap is installed where tests run).
        "Bash ls": ("Bash", {"command": "ls -la"}, "--ro-bind"),
        "Bash git commit": ("Bash", {"command": "git commit -m wip"}, "deny"),
        "Bash find rewritten": ("Bash", {"command": "find . -name '*.py' | xargs grep -n retry"}, "updatedInput"),
        "Bash heredoc": ("Bash", {"command": "cat > notes.md <<'EOF'\nretry\nEOF"}, "bwrap"),
        "Write": ("Write", {"file_path": str(worktree / "src" / "a.py"), "content": "x = 1\n"}, "{}"),
        "Edit": (
            "Edit",
            {"file_path": str(worktree / "README.md"), "old_string": "project", "new_string": "shop"},
            "{}",
        ),
    }
    for name, (tool, tool_input, expected) in calls.items():
        payload = {
            **agent,
            "hook_event_name": "PreToolUse",
            "tool_name": tool,
            "tool_input": tool_input,
            "tool_use_id": f"t-{name}",
        }
        modules, answer = _imported("PreToolUse", payload, env)
        assert expected in answer, (name, answer)
        assert "integration_engineer.events.dispatch" in modules, name  # the probe sees our imports
        assert not SLOW & set(modules), (name, sorted(SLOW & set(modules)))
        if name == "Bash heredoc":  # imported on demand only: by commands that run git, cp, sed...
            assert not ON_DEMAND & set(modules), sorted(ON_DEMAND & set(modules))
    modules, _ = _imported("PreToolUse", agent_call(common), env)
    assert not SLOW & set(modules), ("Agent", sorted(SLOW & set(modules)))
