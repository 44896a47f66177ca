"""Whether the sandbox engine starts here, found once and kept in the state directory.

Probing starts a process (milliseconds); the answer rarely changes, so every hook reads the cached
line instead. ``doctor`` probes afresh. Stdlib ``os`` only: the first probe runs on the hot path.
"""

from __future__ import annotations

import os
import sys

from integration_engineer.runtime import datadir

CACHE_NAME = "sandbox-engine"
BWRAP_PATHS = ("/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap")


def engine(fresh: bool = False) -> tuple[str, str]:
    """("bwrap", path) or ("seatbelt", path) when it works, else ("", why not)."""
    path = os.path.join(datadir.data_dir(), CACHE_NAME)
    if not fresh:
        try:
            with open(path, encoding="utf-8") as fh:
                name, _, detail = fh.read().rstrip("\n").partition("\t")
            return name, detail
        except OSError:
            pass
    found = detect()
    _store(path, found)
    return found


def detect() -> tuple[str, str]:
    if os.environ.get("SANDBOX_RUNTIME") or os.environ.get("CLAUDE_CODE_SANDBOXED"):
        return "", "Claude Code's own sandbox is on and refuses a nested one"
    if sys.platform == "darwin":
        exe = "/usr/bin/sandbox-exec"
        if _runs([exe, "-p", "(version 1)(allow default)", "/usr/bin/true"]):
            return "seatbelt", exe
        return "", f"{exe} does not start"
    if not sys.platform.startswith("linux"):
        return "", f"no sandbox engine on {sys.platform}"
    exe = find_bwrap()
    if not exe:
        return "", "bubblewrap (bwrap) is not installed; install the 'bubblewrap' package"
    if not _runs([exe, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "/bin/true"]):
        return "", f"{exe} cannot start here (user namespaces disabled?)"
    return "bwrap", exe


def find_bwrap() -> str:
    """bwrap on the hook's PATH (Claude Code's environment, which the agent's commands cannot
    change), else in the usual places when PATH is unset; "" when there is none."""
    path = os.environ.get("PATH")
    dirs = path.split(os.pathsep) if path is not None else [os.path.dirname(p) for p in BWRAP_PATHS]
    for directory in dirs:
        exe = os.path.join(directory or ".", "bwrap")
        if os.path.isabs(exe) and os.path.isfile(exe) and os.access(exe, os.X_OK):
            return os.path.realpath(exe) if os.path.realpath(exe) in BWRAP_PATHS else exe
    return ""


def agent_line(mode: str) -> str:
    """What the guarded agent is told once, at its start, about the kernel layer (probed afresh:
    once per agent, so an engine installed or removed since is noticed)."""
    if mode == "off":
        return ""
    name, detail = engine(fresh=True)
    if name:
        return (
            f"- Your Bash commands run inside a sandbox ({name}): your worktree and /tmp are writable; "
            "the repository's git directory and everything outside the worktree are read-only; "
            "credentials are hidden. A refused write fails with 'Read-only file system'."
        )
    if mode == "required":
        return (
            f'- The sandbox cannot start here ({detail}) and config sandbox.mode is "required": your Bash '
            "commands are refused until it is fixed. Say so in your answer."
        )
    return (
        f"- The sandbox is not available here ({detail}): your Bash commands are checked by the static "
        "guard only. The rules above hold all the same."
    )


def _runs(argv: list[str]) -> bool:
    """Run ``argv`` silenced; True when it exits 0 (fork/exec: subprocess is not on the hot path)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _store(path: str, found: tuple[str, str]) -> None:
    datadir.ensure(os.path.dirname(path))
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(f"{found[0]}\t{found[1]}\n")
    os.replace(tmp, path)


def doctor_status(mode: str) -> tuple[str, str, str]:
    """(status, detail, fix) for doctor: which layer is active and why (probed afresh)."""
    if mode == "off":
        return "ok", "sandbox.mode is off: the static guard alone protects the repository", ""
    name, detail = engine(fresh=True)
    if name:
        return "ok", doctor_line(name, detail), ""
    fix = "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) or allow user namespaces"
    status = "fail" if mode == "required" else "warn"
    return status, doctor_line(name, detail), fix


def doctor_line(name: str = "", detail: str = "") -> str:
    """The line doctor prints about the active layer (probed afresh unless given)."""
    if not name and not detail:
        name, detail = engine(fresh=True)
    if name:
        return f"sandbox: {name} ({detail}): accepted Bash commands of guarded agents run inside it"
    return f"sandbox: not available ({detail}): the static guard alone protects the repository"
