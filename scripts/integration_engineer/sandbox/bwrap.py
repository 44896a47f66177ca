"""The bubblewrap command for a layout: the command text the Bash tool runs instead.

Order matters: later mounts cover earlier ones, so the read-only root comes first, then the
writable worktree and caches, then the read-only git directory inside them, then the hidden paths.
"""

from __future__ import annotations

from integration_engineer.sandbox.layout import SECRET_ENV, Layout

# The Bash tool's shell defines functions and aliases (Claude Code's own ``rg`` among them) that a
# fresh bash would lack: the outer shell writes them to a file in the task's /tmp, the inner one
# reads and removes it. Not ``VAR="$(declare -f; alias -p)"``: Claude Code refuses every command of
# an agent in one of its worktrees (isolation, --worktree, EnterWorktree) that is not a plain list
# of simple commands and spells "git" anywhere, and the git directories are named in the mounts.
# ``alias`` itself is refused there too ("runs a string through alias"): BASH_ALIASES carries them.
DEFS_NAME = ".ie-sandbox-defs"


def inner_script(defs: str) -> str:
    return f'shopt -s expand_aliases; . {defs} 2>/dev/null; rm -f {defs}; eval "$1"'


def argv(layout: Layout, bwrap: str, command: str, defs: str = "/dev/null") -> list[str]:
    out = [bwrap, "--die-with-parent", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    out += ["--bind", layout.tmp, "/tmp"]
    for path in layout.under_tmp:  # the task's /tmp would hide a project kept under /tmp
        out += ["--ro-bind", path, path]
    for path in (layout.worktree, *layout.writable):
        out += ["--bind", path, path]
    for path in layout.git_dirs:
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
    out += ["--chdir", layout.cwd, "--", "/bin/bash", "-c", inner_script(defs), "bash", command]
    return out


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
    """The original command inside a rewritten one (its last, single-quoted word)."""
    start = text.rfind(" 'bash' ") if " 'bash' " in text else text.rfind(" bash ")
    word = text[start:].split(" ", 2)[2]
    if word.startswith("'"):
        return word[1:-1].replace("'\\''", "'")
    return word
