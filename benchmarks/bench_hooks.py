"""PreToolUse cost against the interpreter floor, and against cc-safety-net on the same commands.

Usage: bench_hooks.py [--quick] [--runs N] [--no-compare] [--json PATH] [--strict]

Every hook runs as Claude Code starts it: the command hooks.json registers, through ``sh -c``,
payload on stdin. The floor is the least any Python hook does: the same interpreter, started by the
same path the launcher execs (the dev ``.venv/bin/python``; see ``timing.interpreter`` for why not
the resolved binary), with ``-I -c 'import json,sys; json.load(sys.stdin)'`` on the same payload.
Targets: Bash (the mix), Write, Edit and Agent within 1.3x of the floor; on Bash, our median at most
a quarter of cc-safety-net's. Timing targets are reported here, never asserted in tests;
``--strict`` makes a missed target exit 1.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import safety_net
import timing
from timing import ROOT, Command, Samples

GUARDED = "integration-engineer:integration-engineer"
AGENT_ID = "a5e1f0c2b7d94e31"
SESSION_ID = "bench-0000-4000-8000-000000000001"
WORKTREE = "trees/PROJ-1-x"
TASK_PROMPT = (
    "TASK: PROJ-1, DESCRIPTION: Integrate Stripe payment webhooks with retries, WORKTREE_PATH: ./trees/PROJ-1-x"
)
FLOOR_CODE = "import json,sys; json.load(sys.stdin)"
FLOOR_LIMIT = 1.3
COMPARE_LIMIT = 0.25
DEFAULT_RUNS = 25
QUICK_RUNS = 3


def heredoc_command(size: int = 10 * 1024) -> str:
    """A quoted heredoc of ``size`` bytes whose text mentions git verbs (it must stay allowed)."""
    line = "- webhook retries: exponential backoff with jitter; never `git commit` or `git push` here\n"
    body = line * (size // len(line) + 1)
    return f"cat > notes/integration.md <<'EOF'\n{body}EOF\n"


PIPELINE = (
    "find . -name '*.py' -not -path './trees/*' -print0 | xargs -0 grep -n 'TODO' | sort "
    "| uniq -c | sort -rn | head -20 | awk '{print $2}' | tee todo.txt | wc -l"
)

BASH_CASES: tuple[tuple[str, str], ...] = (
    ("bash-plain", "ls -la"),
    ("bash-git-status", "git status --short"),
    ("bash-git-log", "git log --oneline -5"),
    ("bash-pipeline", PIPELINE),
    ("bash-heredoc-10k", heredoc_command()),
    ("bash-git-commit", 'git commit -m "wip: webhooks"'),
)
# A command that runs a script from disk (the script unchanged between runs): not in the mix, its
# own target, since reading and analysing the script is what it measures.
# Measured with the sandbox engine as the machine has it, and with the sandbox off (the project's
# configuration says so): where no sandbox can start, the static reading is the only layer.
SCRIPT_CASES: tuple[tuple[str, str], ...] = (
    ("script-gradlew", "./gradlew build"),
    ("script-gradlew-nosandbox", "./gradlew build"),
)
NO_SANDBOX = {"sandbox": {"mode": "off"}}
OTHER_CASES = ("write", "edit", "agent")
ROW_IDS = tuple(case for case, _ in BASH_CASES + SCRIPT_CASES) + OTHER_CASES


def build_wrapper_script() -> str:
    """A build-tool wrapper script of about 7 KB, shaped like the ones projects commit (``./gradlew``):
    option parsing, a search for the JVM, functions, case statements and a final exec."""
    head = """#!/bin/sh
# Build wrapper: finds a JVM, sets up the class path and starts the build tool.
set -e
APP_NAME="build-wrapper"
APP_BASE_NAME=${0##*/}
DEFAULT_JVM_OPTS='"-Xmx64m" "-Xms64m"'
MAX_FD=maximum

warn () {
    echo "$*"
} >&2

die () {
    echo
    echo "$*"
    echo
    exit 1
} >&2

cygwin=false
msys=false
darwin=false
nonstop=false
case "$( uname )" in
  CYGWIN* )         cygwin=true  ;;
  Darwin* )         darwin=true  ;;
  MSYS* | MINGW* )  msys=true    ;;
  NONSTOP* )        nonstop=true ;;
esac

APP_HOME=$( cd "${APP_HOME:-./}.." > /dev/null && pwd -P ) || exit
CLASSPATH=$APP_HOME/wrapper/build-wrapper.jar

if [ -n "$JAVA_HOME" ] ; then
    if [ -x "$JAVA_HOME/jre/sh/java" ] ; then
        JAVACMD=$JAVA_HOME/jre/sh/java
    else
        JAVACMD=$JAVA_HOME/bin/java
    fi
    if [ ! -x "$JAVACMD" ] ; then
        die "ERROR: JAVA_HOME is set to an invalid directory: $JAVA_HOME"
    fi
else
    JAVACMD=java
    if ! command -v java >/dev/null 2>&1
    then
        die "ERROR: JAVA_HOME is not set and no 'java' command could be found in your PATH."
    fi
fi
"""
    block = """
# Section {n}: file descriptor limits and platform adjustments.
if ! "$cygwin" && ! "$darwin" && ! "$nonstop" ; then
    case $MAX_FD in
      max*)
        MAX_FD=$( ulimit -H -n ) ||
            warn "Could not query maximum file descriptor limit"
    esac
    case $MAX_FD in
      '' | soft) :;;
      *)
        ulimit -n "$MAX_FD" ||
            warn "Could not set maximum file descriptor limit to $MAX_FD"
    esac
fi
for arg do
    shift
    case $arg in
      -D*) set -- "$@" "$arg" ;;
      --offline) OFFLINE_{n}=1; set -- "$@" "$arg" ;;
      *) set -- "$@" "$arg" ;;
    esac
done
"""
    tail = """
set -- \\
        "-Dapp.name=$APP_BASE_NAME" \\
        -classpath "$CLASSPATH" \\
        org.example.wrapper.Main \\
        "$@"

exec "$JAVACMD" "$@"
"""
    text = head
    n = 0
    while len(text) + len(tail) < 7000:
        text += block.replace("{n}", str(n))
        n += 1
    return text + tail


@dataclass(frozen=True)
class Workspace:
    """A real repository with a linked worktree, a data directory and a transcript."""

    repo: Path
    data: Path
    transcript: Path

    @property
    def worktree(self) -> Path:
        return self.repo / WORKTREE


def make_workspace(base: Path) -> Workspace:
    repo = base / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("payments service\n")
    (repo / ".gitignore").write_text("trees/\n")
    (repo / "app.py").write_text("# TODO: webhooks\n")
    _git(repo, "add", "README.md", ".gitignore", "app.py")
    _git(repo, "commit", "-q", "-m", "init")
    _git(repo, "worktree", "add", "-q", "-b", "PROJ-1-x", str(repo / WORKTREE))
    wrapper = repo / WORKTREE / "gradlew"
    wrapper.write_text(build_wrapper_script())
    wrapper.chmod(0o755)
    transcript = base / "transcript.jsonl"
    transcript.write_text("")
    data = base / "data"
    data.mkdir()
    return Workspace(repo, data, transcript)


def _git(cwd: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.com",
    }
    subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True, env=env)


def payload(
    ws: Workspace, tool: str, tool_input: dict[str, Any], *, guarded: bool = True, event: str = "PreToolUse"
) -> bytes:
    # The guarded agent works in its worktree; the orchestrator in the repository.
    cwd = ws.worktree if guarded else ws.repo
    body: dict[str, Any] = {
        "session_id": SESSION_ID,
        "transcript_path": str(ws.transcript),
        "cwd": str(cwd),
        "permission_mode": "default",
        "hook_event_name": event,
    }
    if tool:
        body.update(tool_name=tool, tool_input=tool_input, tool_use_id="toolu_bench_01")
    if guarded:
        body.update(agent_id=AGENT_ID, agent_type=GUARDED)
    return json.dumps(body).encode()


def case_payload(ws: Workspace, case: str) -> bytes:
    target = str(ws.worktree / "src" / "webhooks.py")
    if case == "write":
        content = "def handle(event):\n    return retry(event)\n" * 40
        return payload(ws, "Write", {"file_path": target, "content": content})
    if case == "edit":
        return payload(
            ws,
            "Edit",
            {
                "file_path": target,
                "old_string": "return retry(event)",
                "new_string": "return retry(event, attempts=5)",
                "replace_all": False,
            },
        )
    if case == "agent":
        return payload(
            ws,
            "Agent",
            {"subagent_type": GUARDED, "description": "Stripe webhooks", "prompt": TASK_PROMPT},
            guarded=False,
        )
    return payload(ws, "Bash", {"command": dict(BASH_CASES + SCRIPT_CASES)[case], "description": "bench"})


def registered_command(event: str) -> str:
    """The command hooks.json registers for ``event``, as Claude Code runs it through a shell."""
    config = json.loads((ROOT / "hooks" / "hooks.json").read_text())
    command: str = config["hooks"][event][0]["hooks"][0]["command"]
    return command


def our_env(ws: Workspace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("IE_NO_LOG", "IE_RECORD_PAYLOADS", "CLAUDE_PLUGIN_DATA")}
    return {**env, "CLAUDE_PLUGIN_ROOT": str(ROOT), "CLAUDE_PROJECT_DIR": str(ws.repo), "IE_DATA_DIR": str(ws.data)}


def ours(ws: Workspace, data: bytes, event: str = "PreToolUse") -> Command:
    return Command("ours", ("sh", "-c", registered_command(event)), data, str(ws.repo), our_env(ws))


def floor(python: str, ws: Workspace, data: bytes) -> Command:
    return Command("floor", (python, "-I", "-c", FLOOR_CODE), data, str(ws.repo))


def bare(python: str, ws: Workspace, data: bytes) -> Command:
    return Command("bare", (python, "-I", "-c", "pass"), data, str(ws.repo))


def theirs(net: safety_net.SafetyNet, ws: Workspace, data: bytes) -> Command:
    env = net.env({**os.environ, "CLAUDE_PROJECT_DIR": str(ws.repo)})
    return Command("cc-safety-net", ("sh", "-c", net.shell_command()), data, str(ws.repo), env)


def warm_up_session(ws: Workspace) -> list[dict[str, str]]:
    """What Claude Code sends before the agent's first tool call: the Agent call, then SubagentStart."""
    steps = [("PreToolUse", case_payload(ws, "agent")), ("SubagentStart", payload(ws, "", {}, event="SubagentStart"))]
    done = []
    for event, data in steps:
        _, _, proc = timing.run_once(ours(ws, data, event))
        decision, detail = timing.hook_decision(proc.returncode, proc.stdout, proc.stderr)
        done.append({"event": event, "exit": str(proc.returncode), "decision": decision, "detail": detail})
    return done


def in_process_ms(ws: Workspace, case: str) -> float | None:
    """Median time inside the hook (dispatch.main, after interpreter start and imports), from its log."""
    log = ws.data / "decisions.jsonl"
    if not log.exists():
        return None
    values = [float(e["ms"]) for e in _jsonl(log) if isinstance(e.get("ms"), (int, float))]
    log.rename(ws.data / f"decisions-{case}.jsonl")
    return statistics.median(values) if values else None


def _jsonl(path: Path) -> list[dict[str, Any]]:
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


def check_rules_active(net: safety_net.SafetyNet, ws: Workspace) -> None:
    """Our rulebook must be what blocks: ``git stage`` is caught by no built-in rule."""
    data = payload(ws, "Bash", {"command": "git stage app.py"})
    _, _, proc = timing.run_once(theirs(net, ws, data))
    decision, detail = timing.hook_decision(proc.returncode, proc.stdout, proc.stderr)
    if decision != "deny" or safety_net.RULEBOOK not in proc.stdout.decode(errors="replace"):
        raise safety_net.Unavailable(f"its custom rulebook is not active (git stage: {decision} {detail})")


def measure_case(
    ws: Workspace, case: str, python: str, runs: int, net: safety_net.SafetyNet | None
) -> tuple[dict[str, Any], list[Samples]]:
    data = case_payload(ws, case)
    commands = [floor(python, ws, data), ours(ws, data)]
    if net is not None:
        commands.append(theirs(net, ws, data))
    config = ws.repo / ".claude" / "integration-engineer.json"
    if case.endswith("-nosandbox"):
        config.parent.mkdir(exist_ok=True)
        config.write_text(json.dumps(NO_SANDBOX))
    try:
        samples = timing.measure(commands, runs, warmup=1 if runs <= QUICK_RUNS else 2)
    finally:
        config.unlink(missing_ok=True)
    return row(case, data, samples, in_process_ms(ws, case)), samples


def row(case: str, data: bytes, samples: list[Samples], inside: float | None) -> dict[str, Any]:
    low, ours_s = samples[0], samples[1]
    decision, detail = timing.hook_decision(ours_s.exit_code, ours_s.stdout, ours_s.stderr)
    out: dict[str, Any] = {
        "id": case,
        "group": case.split("-")[0],
        "command": _summary(case),
        "payload_bytes": len(data),
        "runs": len(ours_s.wall_ns),
        "floor_ms": low.wall_ms,
        "ours_ms": ours_s.wall_ms,
        "ratio_floor": timing.ratio(ours_s.wall_ms, low.wall_ms),
        "ours_iqr_ms": ours_s.quartiles_ms(),
        "floor_iqr_ms": low.quartiles_ms(),
        "floor_cpu_ms": low.cpu_ms,
        "ours_cpu_ms": ours_s.cpu_ms,
        "cpu_ratio_floor": timing.ratio(ours_s.cpu_ms, low.cpu_ms),
        "in_process_ms": inside,
        "decision": decision,
        "decision_detail": detail,
    }
    if len(samples) > 2:
        net_s = samples[2]
        their_decision, their_detail = timing.hook_decision(net_s.exit_code, net_s.stdout, net_s.stderr)
        out.update(
            cc_ms=net_s.wall_ms,
            cc_cpu_ms=net_s.cpu_ms,
            ratio_cc=timing.ratio(ours_s.wall_ms, net_s.wall_ms),
            cc_decision=their_decision,
            cc_decision_detail=their_detail,
        )
    return out


def _summary(case: str) -> str:
    if case in OTHER_CASES:
        return {
            "write": "Write src/webhooks.py (2 KB) in the worktree",
            "edit": "Edit src/webhooks.py in the worktree",
            "agent": "Agent: valid PROJ-1 prompt, worktree trees/PROJ-1-x (orchestrator)",
        }[case]
    command = dict(BASH_CASES + SCRIPT_CASES)[case]
    if case.startswith("script-gradlew"):
        where = " without the sandbox" if case.endswith("-nosandbox") else ""
        return f"{command}{where} (a {round(len(build_wrapper_script()) / 1024)} KB shell script on disk, unchanged)"
    if case == "bash-heredoc-10k":
        return f"cat > notes/integration.md <<'EOF' ... ({len(command.encode()) // 1024} KB)"
    return command if len(command) <= 60 else command[:57] + "..."


def direct(ws: Workspace, data: bytes) -> Command:
    """Our hook without the shell and the launcher: what the launcher costs is the difference."""
    python = str(ROOT / ".venv" / "bin" / "python")
    argv = (python, *timing.launcher_flags("PreToolUse"), str(ROOT / "scripts" / "hook.py"), "PreToolUse")
    return Command("direct", argv, data, str(ws.repo), our_env(ws))


def floor_vs_bare(ws: Workspace, python: str, runs: int) -> dict[str, Any]:
    """Floor against bare start-up, our hook with and without the launcher, and the floor started as
    the resolved binary (outside the venv: other site-packages, other .pth files), in one loop."""
    data = case_payload(ws, "bash-plain")
    binary = os.path.realpath(python)
    commands = [
        floor(python, ws, data),
        bare(python, ws, data),
        direct(ws, data),
        ours(ws, data),
        floor(binary, ws, data),
    ]
    low, none, plain, launched, resolved = timing.measure(commands, runs)
    in_process_ms(ws, "baselines")
    return {
        "bare_ms": none.wall_ms,
        "floor_ms": low.wall_ms,
        "ratio": timing.ratio(low.wall_ms, none.wall_ms),
        "bare_cpu_ms": none.cpu_ms,
        "floor_cpu_ms": low.cpu_ms,
        "direct_ms": plain.wall_ms,
        "launched_ms": launched.wall_ms,
        "launcher_ms": launched.wall_ms - plain.wall_ms,
        "flags": " ".join(timing.launcher_flags("PreToolUse")),
        "resolved_binary": binary,
        "resolved_floor_ms": resolved.wall_ms,
        "resolved_pth": timing.site_pth_files(binary),
    }


def mix(rows: list[dict[str, Any]], pooled: dict[str, list[Samples]]) -> dict[str, Any]:
    """The Bash mix: medians over every run of every Bash command, per side."""
    sides: dict[str, Samples] = {}
    for name, parts in pooled.items():
        sides[name] = Samples()
        for part in parts:
            sides[name].extend(part)
    low, mine = sides["floor"], sides["ours"]
    out: dict[str, Any] = {
        "floor_ms": low.wall_ms,
        "ours_ms": mine.wall_ms,
        "ratio_floor": timing.ratio(mine.wall_ms, low.wall_ms),
        "cpu_ratio_floor": timing.ratio(mine.cpu_ms, low.cpu_ms),
    }
    if "cc" in sides:
        out.update(
            cc_ms=sides["cc"].wall_ms,
            ratio_cc=timing.ratio(mine.wall_ms, sides["cc"].wall_ms),
            cpu_ratio_cc=timing.ratio(mine.cpu_ms, sides["cc"].cpu_ms),
        )
    out["decisions_final"] = all(r["decision"] != "deny (error)" for r in rows if r["group"] == "bash")
    return out


def targets(rows: list[dict[str, Any]], bash: dict[str, Any]) -> list[dict[str, Any]]:
    found = [_target("PreToolUse(Bash) mix vs floor", bash, "floor", FLOOR_LIMIT)]
    for r in rows:
        if r["group"] == "script":
            found.append(
                _target(f"PreToolUse(Bash) {r['command'].split(' (')[0]}, repeated, vs floor", r, "floor", FLOOR_LIMIT)
            )
        elif r["group"] != "bash":
            found.append(_target(f"PreToolUse({r['id'].capitalize()}) vs floor", r, "floor", FLOOR_LIMIT))
    if "ratio_cc" in bash:
        found.append(_target("PreToolUse(Bash) mix vs cc-safety-net", bash, "cc", COMPARE_LIMIT))
    return found


def _target(name: str, figures: dict[str, Any], other: str, limit: float) -> dict[str, Any]:
    measured, ours_ms = figures[f"ratio_{other}"], figures["ours_ms"]
    budget_ms = figures[f"{other}_ms"] * limit
    met = measured <= limit
    over = 0.0 if met else (measured / limit - 1) * 100
    return {
        "name": name,
        "measured": measured,
        "cpu_ratio": figures.get(f"cpu_ratio_{other}"),
        "limit": limit,
        "met": met,
        "ours_ms": ours_ms,
        "budget_ms": budget_ms,
        "over_percent": over,
        "over_ms": max(0.0, ours_ms - budget_ms),
    }


def run(runs: int, compare: bool, quick: bool = False) -> dict[str, Any]:
    python = timing.interpreter()
    result: dict[str, Any] = {
        "benchmark": "hooks",
        "runs": runs,
        "quick": quick,
        "machine": timing.machine(python),
        "hook_command": registered_command("PreToolUse"),
    }
    with tempfile.TemporaryDirectory(prefix="ie-bench-") as tmp:
        ws = make_workspace(Path(tmp))
        net, result["comparison"] = _comparison(ws, compare)
        result["setup"] = warm_up_session(ws)
        in_process_ms(ws, "setup")
        result["floor_vs_bare"] = floor_vs_bare(ws, python, runs)
        rows, pooled = _measure_all(ws, python, runs, net)
    result["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    result["rows"], result["bash_mix"] = rows, mix(rows, pooled)
    result["targets"] = targets(rows, result["bash_mix"])
    return result


def _comparison(ws: Workspace, compare: bool) -> tuple[safety_net.SafetyNet | None, dict[str, Any]]:
    info: dict[str, Any] = {"tool": safety_net.PACKAGE, "version": safety_net.VERSION}
    if not compare:
        return None, {**info, "status": "not run", "reason": "--no-compare"}
    try:
        net = safety_net.prepare()
        check_rules_active(net, ws)
    except (safety_net.Unavailable, OSError, subprocess.SubprocessError) as exc:
        return None, {**info, "status": "not run", "reason": str(exc)}
    return net, {
        **info,
        "status": "run",
        "command": net.shell_command(),
        "home": str(net.home),
        "rulebook": safety_net.RULEBOOK,
    }


def _measure_all(
    ws: Workspace, python: str, runs: int, net: safety_net.SafetyNet | None
) -> tuple[list[dict[str, Any]], dict[str, list[Samples]]]:
    rows: list[dict[str, Any]] = []
    pooled: dict[str, list[Samples]] = {"floor": [], "ours": []}
    if net is not None:
        pooled["cc"] = []
    for case in ROW_IDS:
        found, samples = measure_case(ws, case, python, runs, net)
        rows.append(found)
        if found["group"] == "bash":
            for name, part in zip(pooled, samples, strict=True):
                pooled[name].append(part)
    return rows, pooled


def render(result: dict[str, Any]) -> str:
    """The tables printed for a result."""
    parts = [
        f"PreToolUse hook cost ({result['runs']} runs each, medians; {timing.describe(result['machine'])})",
        "",
        _floor_text(result),
        "",
        _rows_text(result),
        "",
        _decisions_text(result),
        "",
        _targets_text(result),
    ]
    return "\n".join(parts)


def _floor_text(result: dict[str, Any]) -> str:
    fb = result["floor_vs_bare"]
    text = (
        f"floor: python -I -c '{FLOOR_CODE}' = {fb['floor_ms']:.1f} ms, "
        f"bare -I -c pass = {fb['bare_ms']:.1f} ms, floor/bare = {fb['ratio']:.2f}x\n"
        f"launcher: sh -c + scripts/launch = {fb['launched_ms']:.1f} ms, python {fb['flags']} hook.py directly = "
        f"{fb['direct_ms']:.1f} ms, the shell and launcher cost {fb['launcher_ms']:.1f} ms (bash-plain)"
    )
    if fb["resolved_binary"] != result["machine"]["python_path"]:
        pth = ", ".join(os.path.basename(p) for p in fb["resolved_pth"]) or "none"
        text += (
            f"\nnot the floor: the same floor started as the resolved binary {fb['resolved_binary']} = "
            f"{fb['resolved_floor_ms']:.1f} ms (its own site-packages; .pth files run at start-up: {pth})"
        )
    return text + busy_warning(result["machine"])


def busy_warning(info: dict[str, Any]) -> str:
    """Wall times on a busy machine are noisy; the CPU ratios hold up better."""
    load, cpus = max(info["loadavg"][0], info.get("loadavg_end", [0])[0]), info["nproc"] or 1
    if load < 0.5 * cpus:
        return ""
    return (
        f"\nwarning: the machine is busy (load {load} on {cpus} CPUs): wall-time ratios are noisy, "
        "compare the CPU ratios and rerun when idle"
    )


ROW_HEADERS = (
    "case",
    "floor ms",
    "ours ms",
    "ours/floor",
    "cpu ours/floor",
    "in-hook ms",
    "cc-safety-net ms",
    "ours/cc",
)


def row_cells(r: dict[str, Any]) -> list[str]:
    return [
        r["id"],
        timing.ms(r["floor_ms"]),
        timing.ms(r["ours_ms"]),
        timing.times(r["ratio_floor"]),
        timing.times(r["cpu_ratio_floor"]),
        timing.ms(r["in_process_ms"]),
        timing.ms(r.get("cc_ms")),
        timing.times(r.get("ratio_cc")),
    ]


def _rows_text(result: dict[str, Any]) -> str:
    rows = [row_cells(r) for r in result["rows"]]
    b = result["bash_mix"]
    rows.append(
        [
            "bash mix (pooled)",
            timing.ms(b["floor_ms"]),
            timing.ms(b["ours_ms"]),
            timing.times(b["ratio_floor"]),
            "",
            "",
            timing.ms(b.get("cc_ms")),
            timing.times(b.get("ratio_cc")),
        ]
    )
    return timing.table(ROW_HEADERS, rows)


def _decisions_text(result: dict[str, Any]) -> str:
    comparison = result["comparison"]
    header = "decisions (ours | cc-safety-net):"
    if comparison["status"] != "run":
        header += f"  cc-safety-net comparison NOT RUN: {comparison['reason']}"
    rows = [[r["id"], r["command"], r["decision"], r.get("cc_decision", "-")] for r in result["rows"]]
    text = header + "\n" + timing.table(("case", "command", "ours", "cc-safety-net"), rows)
    if not result["bash_mix"]["decisions_final"]:
        text += (
            "\nnote: some Bash decisions are internal errors (a policy module is missing): these figures are not final"
        )
    return text


def _targets_text(result: dict[str, Any]) -> str:
    return timing.table(TARGET_HEADERS, [target_cells(t) for t in result["targets"]])


TARGET_HEADERS = ("target", "wall ratio", "limit", "verdict (wall)", "cpu ratio")


def target_cells(t: dict[str, Any]) -> list[str]:
    return [t["name"], timing.times(t["measured"]), f"<= {t['limit']:.2f}x", verdict(t), timing.times(t["cpu_ratio"])]


def verdict(t: dict[str, Any]) -> str:
    if t["met"]:
        return "met"
    return f"MISSED by {t['over_percent']:.0f}% ({t['ours_ms']:.1f} ms against a budget of {t['budget_ms']:.1f} ms)"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_RUNS} runs each: a smoke test")
    parser.add_argument("--runs", type=int, default=None, help=f"runs per command (default {DEFAULT_RUNS})")
    parser.add_argument("--no-compare", action="store_true", help="skip cc-safety-net")
    parser.add_argument("--json", type=Path, default=None, help="write the result here")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return parser.parse_args(argv)


def runs_for(args: argparse.Namespace) -> int:
    if args.runs is not None:
        return max(1, int(args.runs))
    return QUICK_RUNS if args.quick else DEFAULT_RUNS


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    result = run(runs_for(args), compare=not args.no_compare, quick=args.quick)
    print(render(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    missed = [t for t in result["targets"] if not t["met"]]
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
