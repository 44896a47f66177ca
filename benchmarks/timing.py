"""Side-by-side timing of commands started as hooks are: round-robin runs, medians, ratios.

Every figure the benchmarks report is a ratio of two commands measured in the same loop: each
round runs every command once, and the order rotates from round to round, so drift in machine
load hits both sides alike. Wall time is ``perf_counter_ns`` around ``subprocess.run`` (payload on
stdin); CPU time is the ``RUSAGE_CHILDREN`` delta of the same run (user + system, descendants
included once they are waited for).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Command:
    label: str
    argv: tuple[str, ...]
    stdin: bytes = b""
    cwd: str | None = None
    env: dict[str, str] | None = None
    timeout: float = 60.0
    before: Callable[[], None] | None = None  # run untimed before each run (state a real call starts from)


@dataclass
class Samples:
    """The runs of one command; the last run's output is kept for its decision."""

    wall_ns: list[int] = field(default_factory=list)
    cpu_ns: list[int] = field(default_factory=list)
    exit_code: int = 0
    stdout: bytes = b""
    stderr: bytes = b""

    @property
    def wall_ms(self) -> float:
        return statistics.median(self.wall_ns) / 1e6

    @property
    def cpu_ms(self) -> float:
        return statistics.median(self.cpu_ns) / 1e6

    def quartiles_ms(self) -> tuple[float, float]:
        if len(self.wall_ns) < 2:
            return self.wall_ms, self.wall_ms
        q = statistics.quantiles(self.wall_ns, n=4)
        return q[0] / 1e6, q[2] / 1e6

    def extend(self, other: Samples) -> None:
        self.wall_ns += other.wall_ns
        self.cpu_ns += other.cpu_ns


def _cpu_seconds(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def run_once(command: Command) -> tuple[int, int, subprocess.CompletedProcess[bytes]]:
    """Wall and CPU nanoseconds of one run, and what it answered."""
    if command.before is not None:
        command.before()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter_ns()
    proc = subprocess.run(
        list(command.argv),
        input=command.stdin,
        capture_output=True,
        cwd=command.cwd,
        env=command.env,
        timeout=command.timeout,
        check=False,
    )
    wall = time.perf_counter_ns() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = round((_cpu_seconds(after) - _cpu_seconds(before)) * 1e9)
    return wall, cpu, proc


def measure(commands: Sequence[Command], runs: int, warmup: int = 2) -> list[Samples]:
    """Run the commands round-robin ``runs`` times each, rotating which one goes first."""
    for _ in range(warmup):
        for command in commands:
            run_once(command)
    samples = [Samples() for _ in commands]
    count = len(commands)
    for round_no in range(runs):
        for k in range(count):
            index = (round_no + k) % count
            wall, cpu, proc = run_once(commands[index])
            _record(samples[index], wall, cpu, proc)
    return samples


def _record(into: Samples, wall: int, cpu: int, proc: subprocess.CompletedProcess[bytes]) -> None:
    into.wall_ns.append(wall)
    into.cpu_ns.append(cpu)
    into.exit_code, into.stdout, into.stderr = proc.returncode, proc.stdout, proc.stderr


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("inf")


def hook_decision(exit_code: int, stdout: bytes, stderr: bytes) -> tuple[str, str]:
    """What Claude Code would make of a PreToolUse answer: (decision, detail)."""
    err = stderr.decode(errors="replace").strip()
    if exit_code == 2:
        kind = "deny (error)" if _is_internal_error(err) else "deny"
        return kind, err.splitlines()[0] if err else ""
    if exit_code != 0:
        return f"allow (exit {exit_code})", err[:200]
    return _json_decision(stdout.decode(errors="replace").strip())


def _is_internal_error(stderr: str) -> bool:
    return "internal error" in stderr or "could not run" in stderr


def _json_decision(text: str) -> tuple[str, str]:
    if not text:
        return "allow", ""
    try:
        body = json.loads(text)
    except ValueError:
        return "allow (bad json)", text[:200]
    specific = body.get("hookSpecificOutput", {}) if isinstance(body, dict) else {}
    decision = specific.get("permissionDecision")
    if decision:
        reason = str(specific.get("permissionDecisionReason", ""))
        return str(decision), reason.splitlines()[0] if reason else ""
    if "updatedInput" in specific:
        return "allow (rewritten)", ""
    return "allow", ""


def interpreter() -> str:
    """The interpreter the launcher execs in development: ``.venv/bin/python``, as that path.

    Not the resolved binary: started through the venv's path, Python reads the venv's
    ``pyvenv.cfg`` and site-packages, exactly as the hook does; started as the resolved base binary,
    it runs the base installation's ``.pth`` files instead (which differ from machine to machine).
    """
    venv = ROOT / ".venv" / "bin" / "python"
    if venv.exists():
        return str(venv)
    return os.path.realpath(os.environ.get("PYTHON", "") or "/usr/bin/python3")


def launcher_flags(event: str) -> tuple[str, ...]:
    """The interpreter flags ``scripts/launch`` uses for ``event`` (its ``EVENTS) flags="..."`` cases)."""
    import re

    text = (ROOT / "scripts" / "launch").read_text(encoding="utf-8")
    for events, flags in re.findall(r'^\s*([A-Za-z|*]+)\)\s*flags="([^"]*)"', text, re.MULTILINE):
        if event in events.split("|") or events == "*":
            return tuple(flags.split())
    return ("-I",)


def site_pth_files(python: str) -> list[str]:
    """The ``.pth`` files the interpreter's site runs at start-up (each may import modules)."""
    code = (
        "import site, glob, os; print('\\n'.join(sorted(p for d in site.getsitepackages() "
        "for p in glob.glob(os.path.join(d, '*.pth')))))"
    )
    proc = subprocess.run([python, "-I", "-c", code], capture_output=True, text=True, check=False)
    return [line for line in proc.stdout.splitlines() if line]


def machine(python: str) -> dict[str, Any]:
    """The machine and interpreter a result was measured on."""
    version = subprocess.run(
        [python, "-I", "-c", "import sys; print(sys.version.split()[0])"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "python": version,
        "python_path": python,
        "python_binary": os.path.realpath(python),
        "os": platform.platform(),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def describe(info: dict[str, Any]) -> str:
    load = f"load average {info['loadavg'][0]} at start"
    if "loadavg_end" in info:
        load += f", {info['loadavg_end'][0]} at end"
    return f"{info['cpu']}, {info['nproc']} CPUs, Python {info['python']}, {info['os']} ({load})"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table with aligned columns."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(line.rstrip() for line in lines)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(out)


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def times(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"
