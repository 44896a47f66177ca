"""Audit speed and memory against check-jsonschema with our published schema.

    .venv/bin/python benchmarks/bench_audit.py [--small 3000] [--large 100000] [--runs 20]

Both tools run as one process over the same files, alternating, median of ``--runs``; start-up
included. Then ``--large`` files through ``audit`` alone, with the child's peak RSS
(``resource.getrusage(RUSAGE_CHILDREN)``), which must stay under 150 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SCHEMA = ROOT / "schemas" / "agent-output.schema.json"
RSS_LIMIT_MB = 150


def make_files(where: Path, count: int) -> list[str]:
    """Small answers, mostly good; every tenth one has an unexpected key (as in real runs)."""
    names = []
    for i in range(count):
        answer = {
            "task_id": f"PROJ-{i}",
            "worktree_path": f"./trees/PROJ-{i}-integration",
            "work_completed": "Stripe webhook handler with signature checks",
            "files_modified": [f"src/webhooks/h{i}.py", "tests/test_webhooks.py"],
            "unfinished": [],
        }
        if i % 10 == 0:
            answer["coverage"] = "93%"
        path = where / f"d{i // 1000:03}" / f"answer-{i:06}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(answer, indent=2))
        names.append(str(path))
    return names


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def compare(files: list[str], runs: int) -> dict[str, float]:
    ours = [str(BIN / "integration-engineer"), "audit", *files]
    theirs = [str(BIN / "check-jsonschema"), "--schemafile", str(SCHEMA), *files]
    times: dict[str, list[float]] = {"integration-engineer audit": [], "check-jsonschema": []}
    for _ in range(runs):
        times["integration-engineer audit"].append(timed(ours))
        times["check-jsonschema"].append(timed(theirs))
    return {name: statistics.median(values) for name, values in times.items()}


def peak_rss(directory: Path) -> tuple[float, float, int]:
    """Seconds, peak RSS in MB and exit code of one audit of a whole directory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(
        [str(BIN / "integration-engineer"), "audit", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024, proc.returncode  # ru_maxrss is in KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=3000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # The large run comes first: RUSAGE_CHILDREN keeps the peak of every child so far.
        large = Path(tmp) / "large"
        large.mkdir()
        make_files(large, args.large)
        seconds, rss, code = peak_rss(large)
        files = make_files(Path(tmp) / "small", args.small) if args.small else []
        medians = compare(files, args.runs) if files else {}
    print(f"{'tool':<28} {'files':>7} {'median s':>9}")
    for name, value in medians.items():
        print(f"{name:<28} {args.small:>7} {value:>9.3f}")
    print(
        f"\naudit of {args.large} files: {seconds:.2f} s, peak RSS {rss:.1f} MB (limit {RSS_LIMIT_MB} MB), exit {code}"
    )
    faster = not medians or medians["integration-engineer audit"] < medians["check-jsonschema"]
    return 0 if faster and rss < RSS_LIMIT_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
