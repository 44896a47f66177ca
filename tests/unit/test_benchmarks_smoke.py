"""The hook benchmark runs and reports every row. No timing assertion: targets live in its output."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import ROOT

ROWS = (
    "bash-plain",
    "bash-git-status",
    "bash-git-log",
    "bash-pipeline",
    "bash-heredoc-10k",
    "bash-git-commit",
    "script-gradlew",
    "script-gradlew-nosandbox",
    "write",
    "edit",
    "agent",
)
NUMBERS = ("floor_ms", "ours_ms", "ratio_floor", "floor_cpu_ms", "ours_cpu_ms")


def test_quick_hook_benchmark_prints_and_writes_every_row(tmp_path: Path) -> None:
    out = tmp_path / "hooks.json"
    proc = _quick("bench_hooks.py", 300, "--no-compare", "--json", str(out))
    for text in ("ours/floor", "floor/bare", "bash mix (pooled)", "NOT RUN", *ROWS):
        assert text in proc.stdout
    result = json.loads(out.read_text())
    assert [r["id"] for r in result["rows"]] == list(ROWS)
    for row in result["rows"]:
        assert row["runs"] == 3
        assert all(isinstance(row[k], float) and row[k] > 0 for k in NUMBERS), row
        assert row["decision"]
        assert "cc_ms" not in row
    for gradlew in (r for r in result["rows"] if r["id"].startswith("script-gradlew")):
        assert gradlew["decision"] != "deny (error)", gradlew  # the script on disk was read and analysed
    assert result["comparison"]["status"] == "not run"
    assert result["floor_vs_bare"]["bare_ms"] > 0
    names = [t["name"] for t in result["targets"]]
    assert names == [
        "PreToolUse(Bash) mix vs floor",
        "PreToolUse(Bash) ./gradlew build, repeated, vs floor",
        "PreToolUse(Bash) ./gradlew build without the sandbox, repeated, vs floor",
        "PreToolUse(Write) vs floor",
        "PreToolUse(Edit) vs floor",
        "PreToolUse(Agent) vs floor",
    ]
    assert all(isinstance(t["met"], bool) for t in result["targets"])


def _quick(script: str, timeout: int, *args: str) -> subprocess.CompletedProcess[str]:
    """``benchmarks/SCRIPT --quick ARGS`` from the checkout; it must exit 0."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--quick", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def _context_in_tokens(stdout: str) -> None:
    """Both sizes, in bytes and tokens, against their budgets."""
    table = {line.split(" | ")[0]: line.split(" | ")[1:] for line in stdout.splitlines() if " | " in line}
    agent_bytes = len((ROOT / "agents" / "integration-engineer.md").read_bytes())
    assert table["agent definition"][:2] == [str(agent_bytes), str(20 * 1024)]
    assert int(table["agent definition"][2]) == round(
        len((ROOT / "agents" / "integration-engineer.md").read_text()) / 4
    )
    assert int(table["rewrite notice (longest)"][0]) <= 300
    assert "token-counting API" in stdout


def _sandbox_both_ways(stdout: str) -> None:
    """Each command timed plain and sandboxed."""
    rows = [line for line in stdout.splitlines() if line.startswith("| `")]
    assert len(rows) == 7, stdout
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert float(cells[-4]) > 0 and float(cells[-3]) > 0, row  # plain and sandboxed wall ms
    assert "sandbox cost, median over the mix:" in stdout


@pytest.mark.parametrize(
    ("script", "timeout", "check"),
    [("bench_context.py", 60, _context_in_tokens), ("bench_sandbox.py", 300, _sandbox_both_ways)],
    ids=["context", "sandbox"],
)
def test_a_quick_benchmark_reports_what_it_measures(script: str, timeout: int, check: Callable[[str], None]) -> None:
    check(_quick(script, timeout).stdout)
