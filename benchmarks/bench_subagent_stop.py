"""SubagentStop cost on a realistic worktree: 5,000 tracked files, a 5 MB and a 50 MB transcript.

Usage: bench_subagent_stop.py [--quick] [--runs N] [--files N] [--json PATH] [--strict]

The whole hook runs as Claude Code starts it (the command hooks.json registers, through ``sh -c``,
payload on stdin): cleanup of freshly made artifacts (re-created before every run, outside the
timing), the answer's parse and contract, the claims against git, the stored record. The task is
accepted once by the real PreToolUse hook. Cases: the answer in ``last_assistant_message`` and,
as the fallback, read from the end of the transcript; a bad answer (blocked). Targets: median
under 300 ms for every case, and flat as the transcript grows (50 MB within 1.15x of 5 MB, or
within 15 ms). Timing targets are reported, never asserted in tests; ``--strict`` exits 1 on a miss.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GUARDED = "integration-engineer:integration-engineer"
SESSION = "bench-stop-0001"
AGENT_ID = "abench0000000001"
TOOL_USE_ID = "toolu_bench_stop"
PROMPT = (
    "TASK: PROJ-7, DESCRIPTION: Integrate Stripe payment webhooks with retry logic, "
    "WORKTREE_PATH: ./trees/PROJ-7-stripe"
)
CHANGED = [
    "src/pkg0/mod0.py",
    "src/pkg1/mod1.py",
    "src/pkg2/mod2.py",
    "src/payments/stripe.py",
    "src/payments/webhooks.py",
]
GOOD = {
    "task_id": "PROJ-7",
    "worktree_path": "./trees/PROJ-7-stripe",
    "work_completed": "Integrated Stripe payment webhooks with retries",
    "files_modified": CHANGED,
    "unfinished": [],
}
BAD = {**GOOD, "files_modified": CHANGED[:3], "test_results": "all passed"}
TARGET_MS = 300.0
FLAT_RATIO = 1.15
FLAT_MS = 15.0


@dataclass
class Case:
    name: str
    transcript: Path
    message: str
    expect: str  # "pass" or "block"


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True)


def build_project(base: Path, files: int) -> tuple[Path, Path]:
    project = base / "project"
    project.mkdir()
    git(project, "init", "-q", "-b", "main")
    git(project, "config", "user.email", "b@example.com")
    git(project, "config", "user.name", "bench")
    (project / ".gitignore").write_text("trees/\n__pycache__/\n")
    for i in range(files):
        path = project / "src" / f"pkg{i % 250}" / f"mod{i // 250}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"VALUE = {i}\n")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "5k files")
    worktree = project / "trees" / "PROJ-7-stripe"
    git(project, "worktree", "add", "-q", "-b", "PROJ-7", str(worktree))
    return project, worktree


def make_transcript(path: Path, size: int, answer: str) -> None:
    """JSON Lines like a subagent's: the prompt, then tool calls and results, then the answer."""
    path.parent.mkdir(parents=True, exist_ok=True)
    first = {"type": "user", "message": {"role": "user", "content": PROMPT}}
    result = {
        "type": "user",
        "message": {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": "t", "content": "line of tool output\n" * 200}],
        },
    }
    call = {
        "type": "assistant",
        "message": {
            "id": "m",
            "role": "assistant",
            "content": [{"type": "tool_use", "id": "t", "name": "Bash", "input": {"command": "pytest -q"}}],
        },
    }
    chunk = (json.dumps(call) + "\n" + json.dumps(result) + "\n").encode()
    with path.open("wb") as fh:
        fh.write((json.dumps(first) + "\n").encode())
        written = 0
        while written < size:
            fh.write(chunk)
            written += len(chunk)
        last = {
            "type": "assistant",
            "message": {"id": "m_last", "role": "assistant", "content": [{"type": "text", "text": answer}]},
        }
        fh.write((json.dumps(last) + "\n").encode())


def make_artifacts(worktree: Path) -> None:
    for i in range(5):
        cache = worktree / "src" / f"pkg{i}" / "__pycache__"
        cache.mkdir(parents=True, exist_ok=True)
        (cache / f"mod{i}.cpython-311.pyc").write_bytes(b"\0" * 512)
    for i in range(20):
        path = worktree / "coverage" / "lcov-report" / f"file{i}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<html/>")
    (worktree / ".coverage").write_bytes(b"\0" * 4096)
    (worktree / "junit.xml").write_text("<testsuite/>")


def hook_command(event: str) -> list[str]:
    config = json.loads((ROOT / "hooks" / "hooks.json").read_text())
    command: str = config["hooks"][event][0]["hooks"][0]["command"]
    return ["sh", "-c", command.replace("${CLAUDE_PLUGIN_ROOT}", str(ROOT))]


def run(
    argv: list[str], payload: dict[str, Any], env: dict[str, str], cwd: Path
) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    ms, _cpu, proc = run_timed(argv, payload, env, cwd)
    return ms, proc


def run_timed(
    argv: list[str], payload: dict[str, Any], env: dict[str, str], cwd: Path
) -> tuple[float, float, subprocess.CompletedProcess[bytes]]:
    """Wall ms, CPU ms (user + system of the hook and its git children) and the answer."""
    data = json.dumps(payload).encode()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter_ns()
    proc = subprocess.run(argv, input=data, capture_output=True, env=env, cwd=cwd, check=False, timeout=120)
    wall = (time.perf_counter_ns() - start) / 1e6
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000
    return wall, cpu, proc


def decision(proc: subprocess.CompletedProcess[bytes]) -> str:
    body = json.loads(proc.stdout or b"{}")
    return "block" if body.get("decision") == "block" else "pass"


def measure(runs: int, files: int, sizes: tuple[int, ...]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-stop-") as tmp:
        base = Path(tmp)
        project, worktree = build_project(base, files)
        env = {
            **os.environ,
            "CLAUDE_PLUGIN_ROOT": str(ROOT),
            "IE_DATA_DIR": str(base / "data"),
            "CLAUDE_PROJECT_DIR": str(project),
            "IE_NO_LOG": "1",
        }
        accept = {
            "hook_event_name": "PreToolUse",
            "session_id": SESSION,
            "cwd": str(project),
            "tool_name": "Agent",
            "tool_use_id": TOOL_USE_ID,
            "tool_input": {"description": "stripe", "prompt": PROMPT, "subagent_type": GUARDED},
        }
        _, proc = run(hook_command("PreToolUse"), accept, env, project)
        assert b"deny" not in proc.stdout, proc.stdout
        for rel in CHANGED:
            (worktree / rel).parent.mkdir(parents=True, exist_ok=True)
            (worktree / rel).write_text("changed by the agent\n")
        cases = _cases(base, sizes)
        floor = [sys.executable, "-I", "-c", "import json,sys; json.load(sys.stdin)"]
        samples: dict[str, list[float]] = {c.name: [] for c in cases}
        samples["floor"] = []
        cpu: dict[str, list[float]] = {name: [] for name in samples}
        load_before = os.getloadavg()[0]
        stop = hook_command("SubagentStop")
        for i in range(runs + 1):  # the first round warms caches and binds the agent: not counted
            for case in cases[i % len(cases) :] + cases[: i % len(cases)]:
                make_artifacts(worktree)
                ms, cpu_ms, proc = run_timed(stop, _payload(case, project), env, project)
                got = decision(proc)
                if got != case.expect:
                    raise SystemExit(
                        f"{case.name}: expected {case.expect}, got {got}: {proc.stdout[:2000]!r} {proc.stderr[:2000]!r}"
                    )
                if i:
                    samples[case.name].append(ms)
                    cpu[case.name].append(cpu_ms)
                    if case.expect == "pass" and (worktree / "coverage").exists():
                        raise SystemExit(f"{case.name}: artifacts were not removed")
            ms, cpu_ms, _ = run_timed(floor, _payload(cases[0], project), env, project)
            if i:
                samples["floor"].append(ms)
                cpu["floor"].append(cpu_ms)
        result = _summary(samples, cases, runs, files)
        for row in result["rows"]:
            row["cpu_ms"] = round(statistics.median(cpu[row["case"]]), 1)
        result["load"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
        result["cpus"] = os.cpu_count()
        return result


def _cases(base: Path, sizes: tuple[int, ...]) -> list[Case]:
    cases = []
    good, bad = json.dumps(GOOD, indent=2), json.dumps(BAD, indent=2)
    for size in sizes:
        mb = size // (1024 * 1024)
        transcript = base / "transcripts" / f"{mb}mb" / "subagents" / f"agent-{AGENT_ID}.jsonl"
        make_transcript(transcript, size, good)
        meta = {"agentType": GUARDED, "description": "stripe", "toolUseId": TOOL_USE_ID}
        transcript.with_suffix(".meta.json").write_text(json.dumps(meta))
        cases += [
            Case(f"message, {mb} MB transcript", transcript, good, "pass"),
            Case(f"transcript tail, {mb} MB", transcript, "", "pass"),
            Case(f"bad answer (block), {mb} MB", transcript, bad, "block"),
        ]
    return cases


def _payload(case: Case, project: Path) -> dict[str, Any]:
    return {
        "hook_event_name": "SubagentStop",
        "session_id": SESSION,
        "cwd": str(project),
        "transcript_path": str(case.transcript.parents[2] / "main.jsonl"),
        "agent_id": AGENT_ID,
        "agent_type": GUARDED,
        "stop_hook_active": False,
        "agent_transcript_path": str(case.transcript),
        "last_assistant_message": case.message,
    }


def _summary(samples: dict[str, list[float]], cases: list[Case], runs: int, files: int) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for name, values in samples.items():
        q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
        rows.append(
            {
                "case": name,
                "median_ms": round(statistics.median(values), 1),
                "q1_ms": round(q[0], 1),
                "q3_ms": round(q[2], 1),
                "runs": len(values),
            }
        )
    medians: dict[str, float] = {r["case"]: float(r["median_ms"]) for r in rows}
    targets = [
        {
            "name": f"{r['case']}: median < {TARGET_MS:.0f} ms",
            "measured": r["median_ms"],
            "met": r["median_ms"] < TARGET_MS,
        }
        for r in rows
        if r["case"] != "floor"
    ]
    kinds = sorted({c.name.split(",")[0] for c in cases})
    for kind in kinds:
        sized = [medians[c.name] for c in cases if c.name.startswith(kind)]
        if len(sized) >= 2:
            small, large = sized[0], sized[-1]
            flat = large <= small * FLAT_RATIO or large - small <= FLAT_MS
            targets.append(
                {
                    "name": f"{kind}: flat from smallest to largest transcript",
                    "measured": round(large / small, 3),
                    "met": flat,
                }
            )
    return {"files": files, "runs": runs, "rows": rows, "targets": targets}


def render(result: dict[str, Any]) -> str:
    load = result.get("load", ["?", "?"])
    lines = [
        f"SubagentStop on a worktree of {result['files']} tracked files; "
        f"medians of {result['runs']} runs (ms); {result.get('cpus')} CPUs, load average "
        f"{load[0]} before, {load[1]} after",
        "",
        f"{'case':<36} {'median':>8} {'q1':>8} {'q3':>8} {'cpu':>8}",
    ]
    for row in result["rows"]:
        lines.append(
            f"{row['case']:<36} {row['median_ms']:>8.1f} {row['q1_ms']:>8.1f} "
            f"{row['q3_ms']:>8.1f} {row.get('cpu_ms', 0):>8.1f}"
        )
    lines.append("(cpu: user + system of the hook process and its git children)")
    lines += ["", "targets:"]
    for target in result["targets"]:
        lines.append(f"  [{'met' if target['met'] else 'MISSED'}] {target['name']} (measured {target['measured']})")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few runs, small files: a smoke test")
    parser.add_argument("--runs", type=int, default=None, help="runs per case (default 20)")
    parser.add_argument("--files", type=int, default=5000, help="tracked files in the worktree")
    parser.add_argument("--json", type=Path, default=None, help="also write the result as JSON")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    runs = args.runs or (2 if args.quick else 20)
    sizes = (1024 * 1024, 5 * 1024 * 1024) if args.quick else (5 * 1024 * 1024, 50 * 1024 * 1024)
    result = measure(runs, args.files, sizes)
    print(render(result), flush=True)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    missed = [t for t in result["targets"] if not t["met"]]
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
