"""The bubblewrap command for a layout: the command text the Bash tool runs instead.

Order matters: later mounts cover earlier ones, so the read-only root comes first, then the
writable worktree and caches, then the read-only git directory inside them, then the hidden paths.
"""

from __future__ import annotations

from integration_engineer.sandbox.layout import SECRET_ENV, Layout

# The Bash tool's shell defines functions and aliases (Claude Code's own ``rg`` among them) that a
# fresh bash would lack: the outer shell hands them over in one variable, the inner one defines them.
DEFS = "IE_SANDBOX_DEFS"
INNER = f'shopt -s expand_aliases; eval "${DEFS}"; unset {DEFS}; eval "$1"'


def argv(layout: Layout, bwrap: str, command: str) -> list[str]:
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
    out += ["--chdir", layout.cwd, "--", "/bin/bash", "-c", INNER, "bash", command]
    return out


def quote(word: str) -> str:
    """POSIX single quoting (shlex would import re on the hot path)."""
    if word and all(c.isalnum() or c in "@%+=:,./-_" for c in word):
        return word
    return "'" + word.replace("'", "'\\''") + "'"


def command_text(layout: Layout, bwrap: str, command: str) -> str:
    return f'{DEFS}="$(declare -f; alias -p)" ' + " ".join(quote(w) for w in argv(layout, bwrap, command))


def inner(text: str) -> str:
    """The original command inside a rewritten one (its last, single-quoted word)."""
    start = text.rfind(" 'bash' ") if " 'bash' " in text else text.rfind(" bash ")
    word = text[start:].split(" ", 2)[2]
    if word.startswith("'"):
        return word[1:-1].replace("'\\''", "'")
    return word
