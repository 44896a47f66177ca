"""`make demo` replays the recorded session through the registered hooks: each step's decision."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.helpers import ROOT

EXPECTED = {
    2: "DENY", 3: "REWRITE", 4: "CONTEXT", 5: "allow", 6: "REWRITE", 7: "allow", 8: "DENY", 9: "DENY",
    10: "DENY", 11: "DENY", 12: "REWRITE", 13: "BLOCK", 14: "allow", 15: "CONTEXT", 16: "allow",
}


def test_demo_timeline() -> None:
    proc = subprocess.run([sys.executable, "-m", "integration_engineer.demo"], capture_output=True,
                          text=True, cwd=ROOT, timeout=300, check=True)
    steps = re.findall(r"^ ?\d+\. \[.*?(?=^ ?\d+\. \[|\Z)", proc.stdout, flags=re.M | re.S)
    decisions = {int(s.split(".")[0]): re.search(r"-> (\w+)", s).group(1) for s in steps}  # type: ignore[union-attr]
    assert decisions == {1: "allow", **EXPECTED}
    text = {int(s.split(".")[0]): s for s in steps}
    assert "ERROR: Worktree path required" in text[2]
    assert "git push, reached through bash -c" in text[11]
    assert "test_results" in text[13]
    assert "artifacts left in the worktree: none" in text[14]
    assert "Run the test runner on ./trees/PROJ-123-stripe" in text[15]
