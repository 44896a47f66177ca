"""Every benchmark, one entry (``make bench``): tables on stdout, results in benchmarks/results/.

Usage: run.py [--quick] [--runs N] [--no-compare] [--strict] [--update-results-md]

Runs the PreToolUse benchmark (against the floor and cc-safety-net), the hot-path import profile,
and, when present, ``bench_subagent_stop.py``, ``bench_audit.py``, ``bench_context.py``,
``bench_sandbox.py`` and ``bench_heldout.py`` (each prints its own table).
Writes ``results/latest.json`` and ``results/summary.md`` (git-ignored); ``--update-results-md``
also rewrites the committed ``RESULTS.md``. Exits non-zero only when one of our own benchmarks
fails to run; an unavailable cc-safety-net is reported and marked "not run". ``--strict`` also
fails on a missed target.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import bench_hooks
import profile_hooks
import timing

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
OTHERS = ("bench_subagent_stop.py", "bench_audit.py", "bench_context.py", "bench_sandbox.py", "bench_heldout.py")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="run every benchmark")
    parser.add_argument("--quick", action="store_true", help="few runs: a smoke test, not a measurement")
    parser.add_argument("--runs", type=int, default=None, help="runs per command for the hook benchmark")
    parser.add_argument("--no-compare", action="store_true", help="skip cc-safety-net")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--update-results-md", action="store_true", help="rewrite benchmarks/RESULTS.md")
    return parser.parse_args(argv)


def section(title: str) -> None:
    print(f"\n== {title} " + "=" * max(0, 70 - len(title)), flush=True)


def run_hooks(args: argparse.Namespace) -> dict[str, Any]:
    section("PreToolUse hooks")
    result = bench_hooks.run(bench_hooks.runs_for(args), compare=not args.no_compare, quick=args.quick)
    print(bench_hooks.render(result), flush=True)
    return result


def run_profile(args: argparse.Namespace) -> dict[str, Any]:
    section("hot-path import profile")
    result = profile_hooks.run(2 if args.quick else 9)
    print(profile_hooks.render(result), flush=True)
    return result


def accepts_quick(script: Path) -> bool:
    try:
        proc = subprocess.run(
            [sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return "--quick" in proc.stdout


def run_other(name: str, quick: bool) -> dict[str, Any]:
    """Another team's benchmark, as a subprocess whose output is echoed as it comes."""
    script = HERE / name
    section(name)
    argv = [sys.executable, str(script)] + (["--quick"] if quick and accepts_quick(script) else [])
    started = time.perf_counter()
    lines: list[str] = []
    with subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=str(HERE.parent)
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            print(line, end="", flush=True)
            lines.append(line)
    return {
        "script": name,
        "argv": argv[1:],
        "exit_code": proc.returncode,
        "seconds": round(time.perf_counter() - started, 1),
        "output": "".join(lines)[-20000:],
    }


def summary_markdown(result: dict[str, Any]) -> str:
    """The summary pasted into README: the machine, the tables, the verdicts."""
    hooks = result.get("hooks")
    lines = ["# Benchmark results", "", f"Measured {result['date']} on {timing.describe(result['machine'])}.", ""]
    if hooks:
        lines += _hooks_markdown(hooks)
    if result.get("profile"):
        lines += _profile_markdown(result["profile"])
    for other in result.get("others", []):
        lines += [
            f"## {other['script']}",
            "",
            f"`{' '.join(other['argv'])}`: exit {other['exit_code']}, {other['seconds']} s. Its own output:",
            "",
            "```text",
            other["output"].rstrip(),
            "```",
            "",
        ]
    # The first measurement of each held-out set is the result for unseen forms: kept verbatim.
    first_runs = HERE / "heldout" / "first-runs.md"
    if first_runs.is_file():
        lines += [first_runs.read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(lines).rstrip().replace(os.path.expanduser("~") + "/", "~/") + "\n"


def _hooks_markdown(hooks: dict[str, Any]) -> list[str]:
    fb = hooks["floor_vs_bare"]
    rows = [bench_hooks.row_cells(r) for r in hooks["rows"]]
    b = hooks["bash_mix"]
    rows.append(
        [
            "**Bash mix (pooled)**",
            timing.ms(b["floor_ms"]),
            timing.ms(b["ours_ms"]),
            timing.times(b["ratio_floor"]),
            "",
            "",
            timing.ms(b.get("cc_ms")),
            timing.times(b.get("ratio_cc")),
        ]
    )
    comparison = hooks["comparison"]
    compared = (
        f"cc-safety-net {comparison['version']} (`{comparison.get('command', '')}` with a rulebook "
        f"forbidding the ten git verbs)"
        if comparison["status"] == "run"
        else f"cc-safety-net: not run ({comparison['reason']})"
    )
    decisions = [[r["id"], f"`{r['command']}`", r["decision"], r.get("cc_decision", "-")] for r in hooks["rows"]]
    verdicts = [bench_hooks.target_cells(t) for t in hooks["targets"]]
    return [
        "## PreToolUse",
        "",
        f"Medians of {hooks['runs']} runs per command, each ratio measured side by side in one round-robin loop. "
        f"Floor: `python -I -c '{bench_hooks.FLOOR_CODE}'` on the same payload = {fb['floor_ms']:.1f} ms; "
        f"bare `-I -c pass` = {fb['bare_ms']:.1f} ms (floor/bare {fb['ratio']:.2f}x). Ours runs "
        f"`{hooks['hook_command']}` through `sh -c` as Claude Code does (the shell and launcher cost "
        f"{fb['launcher_ms']:.1f} ms over `python {fb.get('flags', '-I')} hook.py`). {compared}.",
        "",
        timing.markdown_table(bench_hooks.ROW_HEADERS, rows),
        "",
        timing.markdown_table(("case", "command", "ours", "cc-safety-net"), decisions),
        "",
        timing.markdown_table(bench_hooks.TARGET_HEADERS, verdicts),
        "",
    ]


def _profile_markdown(profile: dict[str, Any]) -> list[str]:
    totals = [
        [t["label"], str(t["modules"]), timing.ms(t["import_ms"]), f"{t['over_floor_ms']:+.1f}"]
        for t in profile["totals"]
    ]
    chains = [[e["module"], timing.ms(e["cumulative_ms"]), e["imported_by"]] for e in profile["chains"][:8]]
    return [
        "## Hot-path imports (`python -X importtime`)",
        "",
        timing.markdown_table(("command", "modules", "import ms", "vs floor ms"), totals),
        "",
        timing.markdown_table(("stdlib chain", "cumulative ms", "imported by"), chains),
        "",
    ]


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    python = timing.interpreter()
    result: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": timing.machine(python),
        "quick": args.quick,
        "failures": [],
    }
    for key, step in (("hooks", run_hooks), ("profile", run_profile)):
        try:
            result[key] = step(args)
        except Exception:
            traceback.print_exc()
            result["failures"].append(key)
    result["others"] = [run_other(name, args.quick) for name in OTHERS if (HERE / name).exists()]
    result["failures"] += [o["script"] for o in result["others"] if o["exit_code"] != 0]
    return finish(result, args)


def finish(result: dict[str, Any], args: argparse.Namespace) -> int:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    markdown = summary_markdown(result)
    (RESULTS / "summary.md").write_text(markdown, encoding="utf-8")
    if args.update_results_md:
        (HERE / "RESULTS.md").write_text(markdown, encoding="utf-8")
    section("summary")
    print(f"results: {RESULTS / 'latest.json'}, {RESULTS / 'summary.md'}")
    if result["failures"]:
        print(f"FAILED to run: {', '.join(result['failures'])}")
        return 1
    missed = [t["name"] for t in result.get("hooks", {}).get("targets", []) if not t["met"]]
    if missed:
        print(f"targets missed: {'; '.join(missed)}")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
