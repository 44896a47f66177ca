"""Git commands started early and read later, so several run while Python does other work."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path


class GitError(RuntimeError):
    """A git command could not run or failed; the message names it and git's error."""


class GitCall:
    """``git -C cwd args...`` started now; ``output()`` waits for it."""

    def __init__(self, cwd: str | Path, *args: str) -> None:
        self.cwd, self.args, self.error = str(cwd), args, ""
        # Output goes to files, not pipes: a command started early never stalls on a full pipe.
        self.out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by output()
        self.err = tempfile.TemporaryFile()  # noqa: SIM115
        self.proc: subprocess.Popen[bytes] | None = None
        try:
            self.proc = subprocess.Popen(["git", "-C", self.cwd, *args], stdout=self.out,
                                         stderr=self.err, stdin=subprocess.DEVNULL,
                                         env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
        except OSError as exc:
            self.error = f"git cannot be run ({exc})"

    def output(self, timeout: float = 60) -> str:
        try:
            return self._wait(timeout)
        finally:
            self.out.close()
            self.err.close()

    def _wait(self, timeout: float) -> str:
        if self.proc is None:
            raise GitError(self.error)
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise GitError(f"git {self.args[0]} took longer than {timeout:.0f} s") from None
        self.out.seek(0)
        self.err.seek(0)
        if code != 0:
            err = self.err.read().decode("utf-8", "replace").strip()
            raise GitError(f"git {self.args[0]} failed in {self.cwd}: {err[:300]}")
        return self.out.read().decode("utf-8", "surrogateescape")


def git(cwd: str | Path, *args: str) -> str:
    return GitCall(cwd, *args).output()
