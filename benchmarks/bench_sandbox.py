"""What the sandbox costs a guarded agent's Bash command: the command as the sandbox step rewrites
it (bwrap, the runner in the task's /tmp, the calling shell's definitions handed over) against the
same command unsandboxed, both started as ``/bin/bash -c TEXT`` in a linked worktree of a real
repository, with the default caches and hidden paths of this machine, round-robin, medians. The
figure is the median over the mix of each command's extra milliseconds (wall; CPU time of the
children beside it, less sensitive to a loaded machine); target: at most 10 ms more.

Usage: bench_sandbox.py [--quick] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(HERE))

import timing  # noqa: E402

from integration_engineer.config import SandboxSettings  # noqa: E402
from integration_engineer.sandbox import bwrap, layout, probe  # noqa: E402

TARGET_MS = 10.0
MIX = (
    ("plain", "true"),
    ("list files", "ls -la"),
    ("git read-only", "git status --short"),
    ("git log", "git log --oneline -5"),
    ("pipeline", "printf 'a\\nb\\n' | sort | wc -l"),
    # The interpreter itself, not the venv's link to it: a checkout under /tmp is not visible
    # inside the sandbox, whose /tmp is the task's own.
    ("python", f"{Path(sys.executable).resolve()} -I -c 'print(1)'"),
    ("write in worktree", "echo x > out.txt && cat out.txt"),
)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True)


def scratch(root: Path) -> Path:
    """A repository with one commit and a linked worktree (the agent's), as the plugin expects."""
    repo = root / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("# bench\n")
    git(repo, "add", "README.md")
    git(repo, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "init")
    git(repo, "worktree", "add", "-q", "-b", "task", str(repo / "trees" / "TASK-1"))
    return repo / "trees" / "TASK-1"


def commands(worktree: Path, tmp: Path, exe: str) -> list[tuple[str, timing.Command, timing.Command]]:
    # The default caches and hidden paths, as the hook builds the layout on this machine.
    defaults = SandboxSettings()
    box = layout.build(str(worktree), str(worktree), str(tmp), defaults.writable, defaults.hidden, True)
    bwrap.ensure_runner(box.tmp)
    defs = tmp / bwrap.defs_file("toolu_bench")
    out = []
    for label, command in MIX:
        text = bwrap.command_text(box, exe, command, "toolu_bench")
        plain = timing.Command(f"{label} (plain)", ("/bin/bash", "-c", command), cwd=str(worktree))
        # Each real call writes a new definitions file, which PostToolUse removes afterwards.
        boxed = timing.Command(
            f"{label} (sandbox)",
            ("/bin/bash", "-c", text),
            cwd=str(worktree),
            before=lambda: defs.unlink(missing_ok=True),
        )
        out.append((command, plain, boxed))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few runs: a smoke test, not a measurement")
    parser.add_argument("--runs", type=int, default=None)
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 31)
    name, exe = probe.detect()
    if name != "bwrap":
        print(f"sandbox benchmark: not run: {exe or 'no bwrap here'}")
        return 1
    with tempfile.TemporaryDirectory(prefix="ie-bench-sandbox-") as base:
        worktree = scratch(Path(base))
        tmp = Path(base) / "task-tmp"
        tmp.mkdir(mode=0o700)
        rows, extras, cpu_extras = [], [], []
        for command, plain, boxed in commands(worktree, tmp, exe):
            a, b = timing.measure([plain, boxed], runs)
            if a.exit_code != 0 or b.exit_code != 0:
                print(f"{command!r} failed: plain exit {a.exit_code}, sandbox exit {b.exit_code}: {b.stderr[-300:]!r}")
                return 1
            extra = b.wall_ms - a.wall_ms
            extras.append(extra)
            cpu_extras.append(b.cpu_ms - a.cpu_ms)
            cells = [timing.ms(a.wall_ms), timing.ms(b.wall_ms), f"{extra:+.1f}", f"{b.cpu_ms - a.cpu_ms:+.1f}"]
            rows.append([f"`{command}`", *cells])
    median = statistics.median(extras)
    verdict = "met" if median <= TARGET_MS else "MISSED"
    print(f"Medians of {runs} runs per command, plain and sandboxed alternating; bwrap {exe}.")
    print(timing.markdown_table(("command", "plain ms", "sandbox ms", "extra ms", "extra CPU ms"), rows))
    cpu = statistics.median(cpu_extras)
    print(
        f"\nsandbox cost, median over the mix: {median:+.1f} ms wall per command (target <= {TARGET_MS:.0f} ms: "
        f"{verdict}), {cpu:+.1f} ms CPU"
    )
    print(f"machine: {timing.describe(timing.machine(timing.interpreter()))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
