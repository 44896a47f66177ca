"""The hot path (every PreToolUse, SubagentStart, UserPromptSubmit) imports only the standard library."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from tests.helpers import ROOT

GUARDED = "integration-engineer:integration-engineer"
PAYLOADS: list[dict[str, Any]] = [
    {"hook_event_name": "PreToolUse", "tool_name": "Bash", "agent_type": GUARDED, "agent_id": "a",
     "tool_input": {"command": "git -c alias.ci=commit ci -m x; rg foo; pytest"}},
    {"hook_event_name": "PreToolUse", "tool_name": "Write", "agent_type": GUARDED, "agent_id": "a",
     "tool_input": {"file_path": "/tmp/report.md", "content": "x"}},
    {"hook_event_name": "PreToolUse", "tool_name": "Agent",
     "tool_input": {"subagent_type": GUARDED, "prompt": "TASK: X-1", "description": "d"}},
    {"hook_event_name": "SubagentStart", "agent_type": GUARDED, "agent_id": "a"},
    {"hook_event_name": "UserPromptSubmit", "prompt": "hello"},
]
PROBE = """
import json, sys
before = set(sys.modules)
sys.path.insert(0, sys.argv[1])
from integration_engineer import dispatch
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
    proc = subprocess.run([sys.executable, "-I", "-c", PROBE, str(ROOT / "scripts")],
                          input=stdin, capture_output=True, text=True, check=True,
                          env={"IE_NO_LOG": "1", "PATH": "/usr/bin:/bin"})
    assert json.loads(proc.stdout) == []


def test_the_probe_would_see_a_third_party_import() -> None:
    # Guard against a probe that cannot fail: importing click must show up.
    probe = PROBE.replace("from integration_engineer import dispatch",
                          "from integration_engineer import dispatch\nimport click")
    proc = subprocess.run([sys.executable, "-I", "-c", probe, str(ROOT / "scripts")],
                          input="", capture_output=True, text=True, check=True)
    assert "click" in json.loads(proc.stdout)
