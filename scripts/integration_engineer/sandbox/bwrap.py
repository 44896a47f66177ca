"""The bubblewrap command for a layout: the command text the Bash tool runs instead.

Order matters: later mounts cover earlier ones, so the read-only root comes first, then the
writable worktree and caches, then the read-only git directory inside them, then the hidden paths.
Every mount costs bwrap a pass over the mount table (benchmarks/bench_sandbox.py), so a path that
the read-only root already covers is not mounted again.
"""

from __future__ import annotations

from integration_engineer.runtime import state_files
from integration_engineer.sandbox.layout import SECRET_ENV, Layout

# The Bash tool's shell defines functions and aliases (Claude Code's own ``rg`` among them) that a
# fresh bash would lack: the outer shell writes them to a file in the task's /tmp, and the runner
# (a script the hook keeps there) reads it, then runs the command. The runner does not remove it
# (``rm`` would be one more process per command, a third of the sandbox's cost): PostToolUse does,
# and the task's /tmp goes with the task (``task_tmp.remove_defs``, ``task_tmp.remove``). Claude Code judges
# the outer text for an agent in one of its worktrees (isolation, --worktree, EnterWorktree;
# observed with CLI 2.1.332) and refuses: any command that is not a list of simple commands and
# spells "git" anywhere (the mounts name the git directories), so no ``VAR="$(...)"``; ``alias``
# ("runs a string through alias"), so BASH_ALIASES carries the aliases; and a shell's ``-c`` text
# naming git ("hands text naming git to a shell"), so the command is the runner's argument, not a
# ``-c`` script. Inside, the whole git directory is read-only anyway: what that check protects.
DEFS_NAME = ".ie-sandbox-defs"
RUNNER_NAME = ".ie-sandbox-run"
RUNNER = """# integration-engineer's sandbox runner: $1 the calling shell's definitions, $2 the command.
shopt -s expand_aliases
. "$1" 2>/dev/null
IE_SANDBOX_COMMAND=$2
set --
eval "$IE_SANDBOX_COMMAND"
"""
SHELL_START = " -- /bin/bash /tmp/" + RUNNER_NAME + " "


def ensure_runner(tmp: str) -> None:
    """The runner in the task's /tmp, written again whenever it is not exactly ours (the agent can
    change it, but only from inside the sandbox)."""
    path = tmp.rstrip("/") + "/" + RUNNER_NAME
    try:
        if state_files.read_text(path, 4096) == RUNNER:
            return
    except state_files.StateFileError:
        pass  # a link, FIFO... in its place: replaced, never followed
    state_files.write_bytes(path, RUNNER.encode())


def argv(layout: Layout, bwrap: str, command: str, defs: str = "/dev/null") -> list[str]:
    # A user namespace for root too (unprivileged users always get one): without it a root
    # command reaches the host's files through /proc/PID/root of any process outside.
    out = [bwrap, "--unshare-user", "--die-with-parent", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    out += ["--bind", layout.tmp, "/tmp"]
    for path in layout.under_tmp:  # the task's /tmp would hide a project kept under /tmp
        out += ["--ro-bind", path, path]
    writable = outermost((layout.worktree, *layout.writable))
    for path in writable:
        out += ["--bind", path, path]
    for path in layout.git_dirs:
        if exposed(path, writable, layout.under_tmp):
            out += ["--ro-bind", path, path]
    for path in layout.hidden_dirs:
        out += ["--tmpfs", path]
    for path in layout.hidden_files:
        out += ["--ro-bind", "/dev/null", path]
    for name in SECRET_ENV:
        out += ["--unsetenv", name]
    out += ["--setenv", "TMPDIR", "/tmp", "--setenv", "IE_SANDBOX", "bwrap"]
    if not layout.network:
        out.append("--unshare-net")
    out += ["--chdir", layout.cwd, "--", "/bin/bash", "/tmp/" + RUNNER_NAME, defs, command]
    return out


def _inside(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")


def outermost(paths: tuple[str, ...]) -> tuple[str, ...]:
    """The writable paths, in order, without repeats and those inside another (writable with it)."""
    out: list[str] = []
    for path in paths:
        if path not in out and not any(_inside(path, other) for other in paths if other != path):
            out.append(path)
    return tuple(out)


def exposed(path: str, writable: tuple[str, ...], shown: tuple[str, ...]) -> bool:
    """Whether a git path needs its own read-only mount: it lies inside a writable mount, or under
    /tmp (the task's own there) outside the project shown again read-only. Elsewhere (a git
    directory beside the worktrees, as with ``trees/``) the read-only root already covers it."""
    if any(_inside(path, w) for w in writable):
        return True
    return _inside(path, "/tmp") and not any(_inside(path, s) for s in shown)


def quote(word: str) -> str:
    """POSIX single quoting (shlex would import re on the hot path)."""
    if word and all(c.isalnum() or c in "@%+=:,./-_" for c in word):
        return word
    return "'" + word.replace("'", "'\\''") + "'"


def defs_file(call_id: str) -> str:
    """The definitions' file name, one per Bash call (parallel calls of one task share its /tmp)."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in call_id)[:80]
    return f"{DEFS_NAME}-{safe}" if safe else DEFS_NAME


def command_text(layout: Layout, bwrap: str, command: str, call_id: str = "") -> str:
    """A list of simple commands: write the definitions, then run bwrap (see DEFS_NAME)."""
    name = defs_file(call_id)
    outside = quote(layout.tmp.rstrip("/") + "/" + name)
    words = argv(layout, bwrap, command, defs="/tmp/" + name)
    return f"declare -f > {outside}; declare -p BASH_ALIASES >> {outside} 2>/dev/null; " + " ".join(
        quote(w) for w in words
    )


def inner(text: str) -> str:
    """The original command inside a rewritten one: the runner's second argument, the last word
    (the first runner word is ours: the command comes after it)."""
    rest = text[text.index(SHELL_START) + len(SHELL_START) :]
    word = rest.split(" ", 1)[1]
    if word.startswith("'"):
        return word[1:-1].replace("'\\''", "'")
    return word
