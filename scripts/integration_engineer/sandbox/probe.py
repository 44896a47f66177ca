"""Whether the sandbox engine starts here, found once and kept in the state directory.

Probing starts a process (milliseconds); the answer rarely changes, so every hook reads the cached
line instead. ``doctor`` probes afresh. Stdlib ``os`` only: the first probe runs on the hot path.
The cache is a state file (``runtime.state_files``: never through a link, bounded, written
atomically) and what it names is not trusted: an engine path is used only when it is the one the
lookup finds now; anything else is probed again.
"""

from __future__ import annotations

import os
import sys

from integration_engineer.runtime import datadir, state_files

CACHE_NAME = "sandbox-engine"
BWRAP_PATHS = ("/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap")
SANDBOX_EXEC = "/usr/bin/sandbox-exec"


def engine(fresh: bool = False) -> tuple[str, str]:
    """("bwrap", path) or ("seatbelt", path) when it works, else ("", why not)."""
    path = os.path.join(datadir.data_dir(), CACHE_NAME)
    if not fresh:
        cached = _cached(path)
        if cached is not None:
            return cached
    found = detect()
    _store(path, found)
    return found


def _cached(path: str) -> tuple[str, str] | None:
    """The cached answer when it can be used as it is; None to probe again."""
    try:
        text = state_files.read_text(path, 4096)
    except state_files.StateFileError:
        return None  # a link, FIFO... in its place: probed again and replaced, never followed
    if text is None or not text.endswith("\n"):
        return None
    name, tab, detail = text[:-1].partition("\t")
    if not tab or "\n" in detail:
        return None
    if name == "":
        return name, detail
    if name == "bwrap" and detail == find_bwrap():
        return name, detail
    if name == "seatbelt" and detail == SANDBOX_EXEC and sys.platform == "darwin":
        return name, detail
    return None  # an engine the lookup would not find now: not run on the word of a file


def detect() -> tuple[str, str]:
    if os.environ.get("SANDBOX_RUNTIME") or os.environ.get("CLAUDE_CODE_SANDBOXED"):
        return "", "Claude Code's own sandbox is on and refuses a nested one"
    if sys.platform == "darwin":
        exe = SANDBOX_EXEC
        if _runs([exe, "-p", "(version 1)(allow default)", "/usr/bin/true"]):
            return "seatbelt", exe
        return "", f"{exe} does not start"
    if not sys.platform.startswith("linux"):
        return "", f"no sandbox engine on {sys.platform}"
    exe, skipped = _lookup()
    if not exe and skipped:
        return "", f"{skipped} is not used: another user can replace it; install the 'bubblewrap' package"
    if not exe:
        return "", "bubblewrap (bwrap) is not installed; install the 'bubblewrap' package"
    if not _runs([exe, "--unshare-user", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "/bin/true"]):
        return "", f"{exe} cannot start here (user namespaces disabled?)"
    return "bwrap", exe


def find_bwrap() -> str:
    """bwrap on the hook's PATH (Claude Code's environment, which the agent's commands cannot
    change), else in the usual places when PATH is unset; "" when there is none. Only a copy that
    nobody but root and this user can replace: the file, its link and every directory above."""
    return _lookup()[0]


def _lookup() -> tuple[str, str]:
    """(the bwrap to use, the first one passed over as replaceable by others)."""
    path = os.environ.get("PATH")
    dirs = path.split(os.pathsep) if path is not None else [os.path.dirname(p) for p in BWRAP_PATHS]
    skipped = ""
    for directory in dirs:
        exe = os.path.join(directory or ".", "bwrap")
        if os.path.isabs(exe) and os.path.isfile(exe) and os.access(exe, os.X_OK):
            real = os.path.realpath(exe)
            if _owned_safely(exe) and _owned_safely(real):
                return (real if real in BWRAP_PATHS else exe), skipped
            skipped = skipped or exe
    return "", skipped


def _owned_safely(path: str) -> bool:
    """``path`` and every directory above it belong to root or this user, and none is writable by
    others (a link's own mode means nothing: its owner counts)."""
    owners = (0, os.getuid())
    while True:
        try:
            info = os.lstat(path)
        except OSError:
            return False
        if info.st_uid not in owners or (info.st_mode & 0o170000 != 0o120000 and info.st_mode & 0o002):
            return False
        parent = os.path.dirname(path)
        if parent == path:
            return True
        path = parent


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
    try:
        state_files.write_bytes(path, f"{found[0]}\t{found[1]}\n".encode())
    except (OSError, state_files.StateFileError):
        return  # not cached: the next hook probes again (the answer stands; no contextlib on the hot path)


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
