"""The one git runner: every git the plugin starts goes through here, with one policy.

- environment: the hook's own, plus ``GIT_OPTIONAL_LOCKS=0`` (a status must never take the
  index lock the agent's next git needs) and ``GIT_TERMINAL_PROMPT=0`` (never wait for a password);
- stdin: the given text, else ``/dev/null`` (git never reads the hook's payload);
- timeout: each caller's, killed when it passes (never left running past the hook);
- errors: ``run`` answers ``(exit code, stdout)``, -1 when git could not run or timed out;
  ``GitCall.output`` raises ``GitError`` naming the command and git's message.

``run`` is on the hot path (standard library only, no subprocess import): it spawns with
``os.posix_spawnp`` when no stdin is given. ``GitCall`` starts git early and is read later, so
several run while Python does other work (cold path).

Output goes to pipes: a command whose output outgrows the pipe (64 KiB) waits until it is read,
which only delays that command; the small outputs (diff, status of a few changes) finish early.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    import subprocess
    from pathlib import Path

FAILED = -1  # the exit code ``run`` reports when git could not run or took too long


def environment() -> dict[str, str]:
    return {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}


class GitError(RuntimeError):
    """A git command could not run or failed; the message names it and git's error."""


def run(cwd: str, args: tuple[str, ...] | list[str], *, timeout: float, stdin: str | None = None) -> tuple[int, str]:
    """``git -C cwd args...``: (exit code, stdout as subprocess's text mode decodes it)."""
    argv = ["git", "-C", cwd, *args]
    if stdin is None and hasattr(os, "posix_spawnp"):
        return _spawn(argv, timeout)
    import subprocess

    try:
        proc = subprocess.run(
            argv,
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env=environment(),
        )
    except (OSError, subprocess.SubprocessError):
        return FAILED, ""
    return proc.returncode, proc.stdout


def _spawn(argv: list[str], timeout: float) -> tuple[int, str]:
    """``run`` without subprocess (its import costs more than the git command): stdin and stderr
    are /dev/null, SIGPIPE and SIGXFSZ reset as subprocess does."""
    import select

    try:
        import _signal as signal  # type: ignore[import-not-found]  # no enum classes: ~5 ms less
    except ImportError:  # pragma: no cover - CPython has it
        import signal

    read_fd, write_fd = os.pipe()
    try:
        null = os.open(os.devnull, os.O_RDWR)
        try:
            pid = os.posix_spawnp(
                "git",
                argv,
                environment(),
                setsigdef=(signal.SIGPIPE, signal.SIGXFSZ),
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, null, 0),
                    (os.POSIX_SPAWN_DUP2, write_fd, 1),
                    (os.POSIX_SPAWN_DUP2, null, 2),
                ],
            )
        finally:
            os.close(null)
    except OSError:
        os.close(read_fd)
        return FAILED, ""
    finally:
        os.close(write_fd)
    import time

    chunks = []
    deadline = time.monotonic() + timeout
    poller = select.poll()
    poller.register(read_fd, select.POLLIN | select.POLLHUP)
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not poller.poll(left * 1000):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return FAILED, ""
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), _as_text(b"".join(chunks))


def _as_text(data: bytes) -> str:
    """Decoded as subprocess's text mode does: the locale's encoding, universal newlines."""
    import io

    return io.TextIOWrapper(io.BytesIO(data)).read()


class GitCall:
    """``git -C cwd args...`` started now; ``output()`` waits for it (call it once)."""

    def __init__(self, cwd: str | Path, *args: str) -> None:
        import subprocess

        self.cwd, self.args, self.error = str(cwd), args, ""
        self.proc: subprocess.Popen[bytes] | None = None
        try:
            self.proc = subprocess.Popen(
                ["git", "-C", self.cwd, *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                env=environment(),
            )
        except OSError as exc:
            self.error = f"git cannot be run ({exc})"

    def output(self, timeout: float = 60) -> str:
        import subprocess

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
