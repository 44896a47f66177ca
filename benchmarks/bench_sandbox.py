"""What the sandbox costs a guarded agent's Bash command: the command as the sandbox step rewrites
it (bwrap, the runner in the task's /tmp, the calling shell's definitions handed over) against the
same command unsandboxed, both started as ``/bin/bash -c TEXT`` in a linked worktree of a real
repository, with the default caches and hidden paths of this machine, round-robin, medians. The
figure is the median over the mix of each command's extra milliseconds (wall; CPU time of the
children beside it, less sensitive to a loaded machine); target: at most 10 ms more.

``--pieces`` shows where the time goes instead: the sandboxed ``true`` built up one piece at a time
(bwrap alone, its /dev and /proc, the layout's mounts, the runner's bash, the calling shell writing
its definitions), each against the one before, alternating.

Usage: bench_sandbox.py [--quick] [--runs N] [--pieces]
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


def pieces(worktree: Path, tmp: Path, exe: str) -> list[tuple[str, timing.Command]]:
    """The sandboxed ``true`` built up piece by piece (each started directly, no shell, until the last)."""
    defaults = SandboxSettings()
    box = layout.build(str(worktree), str(worktree), str(tmp), defaults.writable, defaults.hidden, True)
    bwrap.ensure_runner(box.tmp)
    full = bwrap.argv(box, exe, "true")
    options = full[1 : full.index("--")]
    defs = tmp / bwrap.defs_file("toolu_bench")
    floor = (exe, "--unshare-user", "--ro-bind", "/", "/")
    steps = [
        ("a process: /bin/true", ("/bin/true",)),
        ("bwrap --unshare-user --ro-bind / / /bin/true", (*floor, "/bin/true")),
        ("+ --dev /dev --proc /proc", (*floor, "--dev", "/dev", "--proc", "/proc", "/bin/true")),
        (f"+ the layout ({len(options)} option words)", (exe, *options, "--", "/bin/true")),
        ("+ the runner's bash running true", tuple(full)),
        (
            "+ the calling shell writing its definitions",
            ("/bin/bash", "-c", bwrap.command_text(box, exe, "true", "toolu_bench")),
        ),
    ]
    out = [("plain: /bin/bash -c true", timing.Command("plain", ("/bin/bash", "-c", "true"), cwd=str(worktree)))]
    for label, command in steps:
        out.append(
            (label, timing.Command(label, command, cwd=str(worktree), before=lambda: defs.unlink(missing_ok=True)))
        )
    return out


def show_pieces(worktree: Path, tmp: Path, exe: str, runs: int) -> int:
    steps = pieces(worktree, tmp, exe)
    samples = timing.measure([c for _, c in steps], runs)
    for (label, _), got in zip(steps, samples, strict=True):
        if got.exit_code != 0:
            print(f"{label} failed: exit {got.exit_code}: {got.stderr[-300:]!r}")
            return 1
    rows = [[steps[0][0], timing.ms(samples[0].wall_ms), "", timing.ms(samples[0].cpu_ms), ""]]
    for k in range(1, len(steps)):
        a, b = samples[k - 1], samples[k]
        step = "" if k == 1 else f"{b.wall_ms - a.wall_ms:+.1f}"
        step_cpu = "" if k == 1 else f"{b.cpu_ms - a.cpu_ms:+.1f}"
        rows.append([steps[k][0], timing.ms(b.wall_ms), step, timing.ms(b.cpu_ms), step_cpu])
    print(f"Where the sandbox's time goes: medians of {runs} runs, all alternating; bwrap {exe}.")
    print(timing.markdown_table(("piece", "wall ms", "step ms", "CPU ms", "step CPU ms"), rows))
    last, plain = samples[-1], samples[0]
    extra, cpu = last.wall_ms - plain.wall_ms, last.cpu_ms - plain.cpu_ms
    print(f"\nsandboxed true against plain: {extra:+.1f} ms wall, {cpu:+.1f} ms CPU")
    print(f"machine: {timing.describe(timing.machine(timing.interpreter()))}")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few runs: a smoke test, not a measurement")
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--pieces", action="store_true", help="where the time goes, piece by piece")
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
        if args.pieces:
            return show_pieces(worktree, tmp, exe, runs)
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
