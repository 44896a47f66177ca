"""The adversarial corpus's BLOCK cases, executed inside the sandbox as if the static reading had
missed every one of them: each Bash command of ``tests/cases/deny/{git,isolation,scripts}`` is
wrapped exactly as the sandbox step wraps an accepted command (the same layout, runner and text),
run as the Bash tool runs it in a scratch repository with a bare remote, and judged by its effects:
every file outside the worktree is unchanged, byte for byte, the repository's whole git directory
(every ref, the index, HEADs, stash, worktrees) and the bare remote's included.
(What the static reading decides is tested by test_guard_cases.py and test_git_guard_cases.py;
here only the second layer is on trial.)

Inside the worktree a command may still change files (a report file, the worktree's own
``.claude``): the static reading refuses those; the sandbox does not claim to.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from integration_engineer.config import SandboxSettings
from integration_engineer.sandbox import bwrap, layout, probe
from tests.helpers import ROOT, git
from tests.sandbox.test_sandbox_effects import Scratch
from tests.stop_scenario import write

CASES = ROOT / "tests" / "cases" / "deny"
GROUPS = ("git", "isolation", "scripts")


def _cases() -> list[Any]:
    found = []
    for group in GROUPS:
        for path in sorted((CASES / group).glob("*.json")):
            case = json.loads(path.read_text())
            command = case.get("command") or case.get("tool_input", {}).get("command")
            if case.get("tool_name", "Bash") == "Bash" and isinstance(command, str):
                found.append(pytest.param(case, command, id=f"{group}/{path.stem}"))
    return found


CORPUS = _cases()


class Boxed:
    """A scratch repository (with a bare remote, a feature branch and uncommitted work) and the
    sandbox's rewrite of a command for its worktree."""

    def __init__(self, scratch: Scratch) -> None:
        self.scratch = scratch
        self.outside = scratch.tmp / "outside"
        self.outside.mkdir()
        (self.outside / "keep.txt").write_text("keep\n")
        project = scratch.project
        git(project, "branch", "feature", "main")
        git(project, "push", "-q", "origin", "feature")
        self.tmp = scratch.tmp / "data" / "task-tmp"
        self.tmp.mkdir(parents=True)
        self.exe = probe.find_bwrap()

    def snapshot(self) -> dict[str, str]:
        """Every entry outside the worktree, byte for byte: the repository's whole git directory
        (refs, index, HEADs, config, hooks, objects, stash, worktrees), the bare remote, the
        project's files, the home and the outside directory; plus the worktree's ``.git`` file.
        Only the worktree's other files and the task's own /tmp may change."""
        s = self.scratch
        skip = (s.worktree, self.tmp)
        out: dict[str, str] = {}
        for dirpath, dirnames, filenames in os.walk(s.tmp):
            here = Path(dirpath)
            dirnames[:] = [d for d in dirnames if here / d not in skip]
            for name in sorted(dirnames + filenames):
                path = here / name
                if path.is_symlink():
                    out[str(path)] = "-> " + os.readlink(path)
                elif path.is_file():
                    out[str(path)] = path.read_bytes().hex()
                else:
                    out[str(path)] = "dir"
        dot_git = s.worktree / ".git"
        out[str(dot_git)] = dot_git.read_bytes().hex() if dot_git.is_file() else "missing"
        return out

    def dirty(self) -> None:
        """Uncommitted work for add, commit, stash, reset and checkout to act on."""
        wt = self.scratch.worktree
        (wt / "a.txt").write_text("a\nchanged\n")
        (wt / "new.txt").write_text("untracked\n")

    def expand(self, text: str) -> str:
        s = self.scratch
        for key, value in (
            ("@worktree", s.worktree),
            ("@project", s.project),
            ("@outside", self.outside),
            ("@home", s.tmp / "home"),
            ("@root", s.tmp),
        ):
            text = text.replace(key, str(value))
        return text

    def rewritten(self, command: str, cwd: Path) -> str:
        s = self.scratch
        home = os.environ.get("HOME")
        os.environ["HOME"] = str(s.tmp / "home")  # the agent's home, as layout reads it
        try:
            defaults = SandboxSettings()
            box = layout.build(str(s.worktree), str(cwd), str(self.tmp), defaults.writable, defaults.hidden, True)
        finally:
            if home is not None:
                os.environ["HOME"] = home
        bwrap.ensure_runner(box.tmp)
        return bwrap.command_text(box, self.exe, command, "toolu_corpus")

    def run(self, command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        text = self.rewritten(command, cwd)
        assert "/bwrap " in text
        try:
            return subprocess.run(
                ["bash", "-c", text], cwd=cwd, capture_output=True, text=True, env=self.scratch.env, timeout=5
            )
        except subprocess.TimeoutExpired as exc:  # `watch git push`, `until false; do ...`: stopped, then judged
            return subprocess.CompletedProcess(exc.cmd, -9, str(exc.stdout), str(exc.stderr))


@pytest.fixture(scope="module")
def boxed() -> Iterator[Boxed]:
    base = Path("/var/tmp") / "ie-sandbox-tests"  # not under /tmp: see test_sandbox_effects.scratch
    base.mkdir(exist_ok=True)
    root = Path(tempfile.mkdtemp(dir=base))
    try:
        yield Boxed(Scratch(root))
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_the_corpus_is_all_here() -> None:
    groups = {str(p.id).split("/")[0] for p in CORPUS}
    assert groups == set(GROUPS) and len(CORPUS) >= 300, len(CORPUS)


@pytest.mark.parametrize(("case", "command"), CORPUS)
def test_a_block_case_changes_nothing_it_must_not(boxed: Boxed, case: dict[str, Any], command: str) -> None:
    s = boxed.scratch
    boxed.dirty()
    for rel, content in json.loads(boxed.expand(json.dumps(case.get("worktree", {})))).get("files", {}).items():
        write(s.worktree / rel, content)
    for rel, target in json.loads(boxed.expand(json.dumps(case.get("worktree", {})))).get("symlinks", {}).items():
        link = s.worktree / rel
        if not link.is_symlink():
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(target)
    cwd = Path(boxed.expand(case.get("cwd", "@worktree")))
    before = boxed.snapshot()
    proc = boxed.run(boxed.expand(command), cwd)
    after = boxed.snapshot()
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, (command, changed[:10], proc.returncode, proc.stdout[-500:], proc.stderr[-1500:])


def test_the_snapshot_sees_what_the_sandbox_must_stop(boxed: Boxed) -> None:
    """The check can fail: the same commands run unsandboxed change the snapshot."""
    s = boxed.scratch
    for command in ("git tag probe-tag", f"echo x > {boxed.outside}/probe.txt", "git add a.txt"):
        boxed.dirty()
        before = boxed.snapshot()
        subprocess.run(["bash", "-c", command], cwd=s.worktree, capture_output=True, env=s.env, check=True)
        assert boxed.snapshot() != before, command
    git(s.project, "tag", "-d", "probe-tag")
    (boxed.outside / "probe.txt").unlink()
    git(s.worktree, "reset", "-q")
