"""`make demo` replays the recorded session through the registered hooks: each step's decision,
and the same decisions as the plugin made in the recorded Claude Code run."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

from tests.e2e.harness import pinned_version
from tests.helpers import ROOT

SESSION = ROOT / "examples" / "session-stripe-webhooks.jsonl"
EXPECTED = {
    2: "DENY",
    3: "REWRITE",
    4: "CONTEXT",
    5: "allow",
    6: "REWRITE",
    7: "allow",
    8: "DENY",
    9: "DENY",
    10: "DENY",
    11: "DENY",
    12: "REWRITE",
    13: "BLOCK",
    14: "allow",
    15: "CONTEXT",
    16: "allow",
}


def test_demo_timeline() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "integration_engineer.demo"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=True,
    )
    steps = re.findall(r"^ ?\d+\. \[.*?(?=^ ?\d+\. \[|\Z)", proc.stdout, flags=re.M | re.S)
    decisions = {int(s.split(".")[0]): re.search(r"-> (\w+)", s).group(1) for s in steps}  # type: ignore[union-attr]
    assert decisions == {1: "allow", **EXPECTED}
    text = {int(s.split(".")[0]): " ".join(s.split()) for s in steps}  # wrapped lines joined
    assert "ERROR: Worktree path required" in text[2]
    assert '"run_in_background": false' in text[3]
    assert "Task: PROJ-123" in text[4]
    assert "-g '!trees'" in text[6]
    assert "is outside the worktree" in text[8]
    assert "INTEGRATION_REPORT.md (matches *report*.md)" in text[9]
    assert "Refused: git add; git commit." in text[10]
    assert "git push, reached through bash -c" in text[11]
    assert "runs the whole test suite" in text[12]
    assert "test_results" in text[13] and "files_modified lists src/payments.py" in text[13]
    assert "artifacts left in the worktree: none" in text[14]
    assert "Run the test runner on ./trees/PROJ-123-stripe" in text[15]
    assert "!!" not in proc.stdout
    assert proc.stdout.rstrip().endswith("All 16 decisions are the ones the plugin made in the recorded run.")
    assert f"(recorded with claude-code {pinned_version()})" in proc.stdout.splitlines()[0]


def _lines() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SESSION.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_session_is_a_recording_of_the_pinned_cli() -> None:
    header, *steps = _lines()
    assert "payload" not in header
    assert header["recorded_with"] == f"claude-code {pinned_version()}"
    assert len(steps) == 16 and all(set(s) <= {"note", "recorded", "demo_creates", "payload"} for s in steps)
    assert all(s["note"] and s["recorded"]["decision"] in ("pass", "deny", "block") for s in steps)
    payloads = [s["payload"] for s in steps]
    # one session, one subagent; ids as Claude Code sent them, no field added for the demo
    assert len({p["session_id"] for p in payloads}) == 1
    assert {p.get("agent_id") for p in payloads} - {None} == {payloads[3]["agent_id"]}
    assert not [k for p in payloads for k in p if k.startswith("_")]
    assert all(p["transcript_path"].startswith("{transcripts}/") and p["cwd"] == "{project}" for p in payloads)
    # no path of the recording machine is left: only placeholders
    text = SESSION.read_text(encoding="utf-8")
    assert not re.search(r"/(tmp|root|home|work|Users)/", text.replace("{project}", "").replace("{transcripts}", ""))
