"""Git commands started early and read later, so several run while Python does other work.

Output goes to pipes: a command whose output outgrows the pipe (64 KiB) waits until it is read,
which only delays that command; the small outputs (diff, status of a few changes) finish early.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class GitError(RuntimeError):
    """A git command could not run or failed; the message names it and git's error."""


class GitCall:
    """``git -C cwd args...`` started now; ``output()`` waits for it (call it once)."""

    def __init__(self, cwd: str | Path, *args: str) -> None:
        self.cwd, self.args, self.error = str(cwd), args, ""
        self.proc: subprocess.Popen[bytes] | None = None
        try:
            self.proc = subprocess.Popen(
                ["git", "-C", self.cwd, *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
            )
        except OSError as exc:
            self.error = f"git cannot be run ({exc})"

    def output(self, timeout: float = 60) -> str:
        if self.proc is None:
            raise GitError(self.error)
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
            raise GitError(f"git {self.args[0]} took longer than {timeout:.0f} s") from None
        if self.proc.returncode != 0:
            message = err.decode("utf-8", "replace").strip()
            raise GitError(f"git {self.args[0]} failed in {self.cwd}: {message[:300]}")
        return out.decode("utf-8", "surrogateescape")


def git(cwd: str | Path, *args: str) -> str:
    return GitCall(cwd, *args).output()
