"""Where the hot path's time goes: ``python -X importtime`` of PreToolUse, against the floor.

Usage: profile_hooks.py [--quick] [--runs N] [--json PATH]

Runs the hook entry the launcher runs (``.venv/bin/python`` with the launcher's flags for
PreToolUse, ``scripts/hook.py PreToolUse``; ``-I`` ignores PYTHONPROFILEIMPORTTIME, so
``-X importtime`` is passed) and the floor with the same interpreter, several times, and prints
per-module medians: the import total of each, the imports the hot path adds to the floor (which
stdlib chains our modules pull in, and who pulls them), and the heaviest modules by their own time.
"""

from __future__ import annotations

import argparse
import json
import pstats
import re
import statistics
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bench_hooks
import timing
from timing import ROOT, Command

LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)")
OURS = "integration_engineer"
WRAPPERS = ("dispatch", "pre_tool_use", "routes")  # every call passes through them: not informative
PROFILED = ("bash-plain", "bash-git-commit", "bash-heredoc-10k", "write", "agent")
HINTS = {
    "typing": "annotations only: `from __future__ import annotations`, names under `if TYPE_CHECKING:`",
    "dataclasses": "pulls inspect (ast, dis, tokenize...): a plain class with __slots__ or a NamedTuple avoids it",
    "inspect": "pulled by dataclasses (and typing helpers): avoid both on the hot path",
    "pathlib": "pulls urllib.parse, ipaddress, fnmatch...: os.path is enough on the hot path",
    "urllib.parse": "pulled by pathlib (file URIs) or by code that parses URLs",
    "enum": "each Enum class costs at import: module-level str constants are free",
    "importlib": "pulls warnings: routes.load (__import__) loads handlers and policies without it",
    "importlib.util": "importlib.import_module does not need importlib.util",
    "subprocess": "pulls signal, threading, selectors...: import it inside the function that spawns",
    "shlex": "small, but imported only where a command is split",
}


@dataclass(frozen=True)
class Entry:
    name: str
    depth: int
    self_us: int
    cumulative_us: int
    parent: str


def parse(stderr: str) -> list[Entry]:
    """The ``-X importtime`` lines, each with the module that imported it (children come first)."""
    raw = [
        (m.group(4), len(m.group(3)) // 2, int(m.group(1)), int(m.group(2)))
        for m in (LINE.match(line) for line in stderr.splitlines())
        if m
    ]
    entries = []
    for index, (name, depth, own, cumulative) in enumerate(raw):
        parent = next((n for n, d, _, _ in raw[index + 1 :] if d < depth), "")
        entries.append(Entry(name, depth, own, cumulative, parent))
    return entries


@dataclass(frozen=True)
class Profile:
    """Per-module medians over several runs of one command."""

    label: str
    modules: dict[str, Entry]

    @property
    def total_ms(self) -> float:
        return sum(e.self_us for e in self.modules.values()) / 1000


def profile(command: Command, runs: int) -> Profile:
    runs_seen = [parse(timing.run_once(command)[2].stderr.decode(errors="replace")) for _ in range(runs)]
    names = {e.name: e for e in runs_seen[0]}
    merged = {}
    for name, first in names.items():
        found = [e for run in runs_seen for e in run if e.name == name]
        merged[name] = Entry(
            name,
            first.depth,
            int(statistics.median(e.self_us for e in found)),
            int(statistics.median(e.cumulative_us for e in found)),
            first.parent,
        )
    return Profile(command.label, merged)


def hook_command(ws: bench_hooks.Workspace, case: str) -> Command:
    python = str(ROOT / ".venv" / "bin" / "python")
    argv = (
        python,
        "-X",
        "importtime",
        *timing.launcher_flags("PreToolUse"),
        str(ROOT / "scripts" / "hook.py"),
        "PreToolUse",
    )
    data = bench_hooks.case_payload(ws, case)
    return Command(f"hook {case}", argv, data, str(ws.repo), bench_hooks.our_env(ws))


def floor_command(ws: bench_hooks.Workspace, code: str, label: str) -> Command:
    python = str(ROOT / ".venv" / "bin" / "python")
    return Command(
        label, (python, "-X", "importtime", "-I", "-c", code), bench_hooks.case_payload(ws, "bash-plain"), str(ws.repo)
    )


def added(hot: Profile, base: Profile) -> list[Entry]:
    """Modules the hot path imports that the floor does not."""
    return [e for name, e in hot.modules.items() if name not in base.modules]


def chains(extra: list[Entry]) -> list[Entry]:
    """The stdlib modules our code imports directly (or at top level): each heads a chain."""
    names = {e.name for e in extra}
    return sorted(
        (e for e in extra if not e.name.startswith(OURS) and e.parent not in names - _ours(names)),
        key=lambda e: -e.cumulative_us,
    )


def _ours(names: set[str]) -> set[str]:
    return {n for n in names if n.startswith(OURS)}


def in_hook(ws: bench_hooks.Workspace, case: str, out: Path) -> dict[str, Any]:
    """One run under cProfile: where the time after start-up goes (class creation, git calls, our code)."""
    python = str(ROOT / ".venv" / "bin" / "python")
    argv = (
        python,
        *timing.launcher_flags("PreToolUse"),
        "-m",
        "cProfile",
        "-o",
        str(out),
        str(ROOT / "scripts" / "hook.py"),
        "PreToolUse",
    )
    timing.run_once(Command(case, argv, bench_hooks.case_payload(ws, case), str(ws.repo), bench_hooks.our_env(ws)))
    stats: dict[tuple[str, int, str], tuple[Any, ...]] = getattr(pstats.Stats(str(out)), "stats", {})

    def find(file_end: str, names: tuple[str, ...]) -> tuple[int, float]:
        hits = [v for (f, _, n), v in stats.items() if f.endswith(file_end) and n in names]
        return sum(int(v[1]) for v in hits), sum(float(v[3]) for v in hits) * 1000

    total = max(
        (float(v[3]) for (f, _, n), v in stats.items() if f.endswith("hook.py") and n == "<module>"), default=0.0
    )
    classes, class_ms = find("dataclasses.py", ("_process_class",))
    spawns, _ = find("subprocess.py", ("_execute_child",))
    _, spawn_ms = find("subprocess.py", ("run", "call"))
    ours = sorted(
        (
            (f"{Path(f).stem}.{n}", float(v[3]) * 1000)
            for (f, _, n), v in stats.items()
            if f"/{OURS}/" in f and n != "<module>" and Path(f).stem not in WRAPPERS
        ),
        key=lambda item: -item[1],
    )
    return {
        "case": case,
        "total_ms": total * 1000,
        "dataclasses": classes,
        "dataclass_ms": class_ms,
        "subprocesses": spawns,
        "subprocess_ms": spawn_ms,
        "top_functions": [{"function": name, "cumulative_ms": value} for name, value in ours[:5]],
    }


# -X importtime times only the import statement (the C import path): modules loaded through
# routes.load (every event handler and policy) never appear, only what they import.
# This probe times those calls in-process, around the same dispatch.main the hook runs.
LAZY_PROBE = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
start = time.perf_counter_ns()
from integration_engineer.events import dispatch
from integration_engineer.events import routes
loaded = time.perf_counter_ns() - start
real, seen = routes.load, {}
def timed(name):
    fresh = name not in sys.modules
    start = time.perf_counter_ns()
    module = real(name)
    if fresh:
        seen[name] = time.perf_counter_ns() - start
    return module
routes.load = timed
start = time.perf_counter_ns()
dispatch.main(["PreToolUse"])
seen["(dispatch import)"], seen["(dispatch.main)"] = loaded, time.perf_counter_ns() - start
sys.stderr.write("LAZY " + json.dumps(seen) + "\\n")
"""


def lazy_imports(ws: bench_hooks.Workspace, case: str, runs: int) -> dict[str, Any]:
    """Per module loaded by routes.load: median ms of its first import (nested imports included)."""
    python = str(ROOT / ".venv" / "bin" / "python")
    command = Command(
        case,
        (python, *timing.launcher_flags("PreToolUse"), "-c", LAZY_PROBE, str(ROOT / "scripts")),
        bench_hooks.case_payload(ws, case),
        str(ws.repo),
        bench_hooks.our_env(ws),
    )
    found: dict[str, list[int]] = {}
    for _ in range(runs):
        stderr = timing.run_once(command)[2].stderr.decode(errors="replace")
        line = next((x for x in stderr.splitlines() if x.startswith("LAZY ")), "LAZY {}")
        for name, ns in json.loads(line[5:]).items():
            found.setdefault(name, []).append(int(ns))
    modules = sorted(((n, statistics.median(v) / 1e6) for n, v in found.items()), key=lambda item: -item[1])
    return {"case": case, "modules": [{"module": n, "ms": value} for n, value in modules]}


def run(runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ie-profile-") as tmp:
        ws = bench_hooks.make_workspace(Path(tmp))
        bench_hooks.warm_up_session(ws)
        bare = profile(floor_command(ws, "pass", "bare -I -c pass"), runs)
        base = profile(floor_command(ws, bench_hooks.FLOOR_CODE, "floor"), runs)
        hooks = [profile(hook_command(ws, case), runs) for case in PROFILED]
        inside = [in_hook(ws, case, Path(tmp) / f"{case}.prof") for case in PROFILED]
        lazy = [lazy_imports(ws, case, runs) for case in PROFILED]
    return {**summarise(runs, bare, base, hooks), "in_hook": inside, "lazy": lazy}


def summarise(runs: int, bare: Profile, base: Profile, hooks: list[Profile]) -> dict[str, Any]:
    hot = hooks[0]
    extra = added(hot, base)
    ours = [e for e in extra if e.name.startswith(OURS)]
    return {
        "runs": runs,
        "interpreter": str(ROOT / ".venv" / "bin" / "python"),
        "flags": " ".join(timing.launcher_flags("PreToolUse")),
        "totals": [
            {
                "label": p.label,
                "modules": len(p.modules),
                "import_ms": p.total_ms,
                "over_floor_ms": p.total_ms - base.total_ms,
            }
            for p in (bare, base, *hooks)
        ],
        "hot_path": hot.label,
        "added_modules": len(extra),
        "added_ms": sum(e.self_us for e in extra) / 1000,
        "ours_self_ms": sum(e.self_us for e in ours) / 1000,
        "chains": [_entry(e) for e in chains(extra)[:15]],
        "heaviest_self": [_entry(e) for e in sorted(extra, key=lambda e: -e.self_us)[:15]],
        "our_modules": [_entry(e) for e in sorted(ours, key=lambda e: -e.self_us)],
    }


def _entry(e: Entry) -> dict[str, Any]:
    return {
        "module": e.name,
        "self_ms": e.self_us / 1000,
        "cumulative_ms": e.cumulative_us / 1000,
        "imported_by": e.parent or "(top level)",
        "hint": HINTS.get(e.name, ""),
    }


def render(result: dict[str, Any]) -> str:
    totals = [
        [t["label"], str(t["modules"]), timing.ms(t["import_ms"]), f"{t['over_floor_ms']:+.1f}"]
        for t in result["totals"]
    ]
    parts = [
        f"Hook cost profile: python -X importtime, medians of {result['runs']} runs ({result['interpreter']} "
        f"{result['flags']} for the hook, -I for the floor)",
        "",
        timing.table(("command", "modules", "import ms", "vs floor ms"), totals),
        "",
        f"{result['hot_path']}: {result['added_modules']} modules beyond the floor, "
        f"{result['added_ms']:.1f} ms of imports ({result['ours_self_ms']:.1f} ms in our own modules' bodies)",
        "",
        "stdlib chains the hot path pulls in (cumulative):",
        _entries(result["chains"]),
        "",
        "heaviest modules by own time:",
        _entries(result["heaviest_self"], hints=False),
        "",
        "modules loaded by routes.load (invisible to -X importtime), first import in ms:",
        _lazy_text(result["lazy"]),
        "",
        "one run under cProfile (inflated by the profiler; for proportions):",
        _in_hook_text(result["in_hook"]),
    ]
    return "\n".join(parts)


def _lazy_text(lazy: Sequence[dict[str, Any]]) -> str:
    short = {"(dispatch import)": "(dispatch import)", "(dispatch.main)": "(dispatch.main)"}
    rows = [
        [
            item["case"],
            ", ".join(
                f"{short.get(m['module'], m['module'].rsplit('.', 1)[-1])} {m['ms']:.1f}" for m in item["modules"]
            ),
        ]
        for item in lazy
    ]
    return timing.table(("case", "module ms (largest first; dispatch.main includes the lazy imports)"), rows)


def _in_hook_text(inside: Sequence[dict[str, Any]]) -> str:
    rows = [
        [
            i["case"],
            timing.ms(i["total_ms"]),
            f"{i['dataclasses']} / {i['dataclass_ms']:.1f} ms",
            f"{i['subprocesses']} / {i['subprocess_ms']:.1f} ms",
            ", ".join(f"{f['function']} {f['cumulative_ms']:.1f}" for f in i["top_functions"][:3]),
        ]
        for i in inside
    ]
    headers = ("case", "total ms", "@dataclass classes built", "processes spawned", "slowest of ours (cumulative ms)")
    return timing.table(headers, rows)


def _entries(entries: Sequence[dict[str, Any]], hints: bool = True) -> str:
    rows = [
        [
            e["module"],
            timing.ms(e["self_ms"]),
            timing.ms(e["cumulative_ms"]),
            e["imported_by"],
            e["hint"] if hints else "",
        ]
        for e in entries
    ]
    return timing.table(("module", "self ms", "cumulative ms", "imported by", "hint" if hints else ""), rows)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="python -X importtime of the PreToolUse hot path")
    parser.add_argument("--quick", action="store_true", help="2 runs each")
    parser.add_argument("--runs", type=int, default=None, help="runs per command (default 9)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    runs = args.runs or (2 if args.quick else 9)
    result = run(max(1, runs))
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
