"""The Seatbelt (macOS ``sandbox-exec``) profile for a layout.

Not run here (no macOS in CI): tested as text. Same meaning as ``bwrap``: writes allowed only to
the worktree, the task's temporary directory and the caches, then denied again for the git
directory; hidden paths denied for reading too. Seatbelt applies the last matching rule.
"""

from __future__ import annotations

from integration_engineer.sandbox.bwrap import quote
from integration_engineer.sandbox.layout import SECRET_ENV, Layout


def _lit(path: str) -> str:
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def profile(layout: Layout) -> str:
    lines = ["(version 1)", "(allow default)", "(deny file-write*)"]
    writable = (layout.worktree, layout.tmp, *layout.writable, "/dev/null", "/dev/tty")
    lines += [f"(allow file-write* (subpath {_lit(p)}))" for p in writable]
    lines += [f"(deny file-write* (subpath {_lit(p)}))" for p in layout.git_dirs]
    hidden = (*layout.hidden_dirs, *layout.hidden_files)
    lines += [f"(deny file-read* file-write* (subpath {_lit(p)}))" for p in hidden]
    if not layout.network:
        lines.append("(deny network*)")
    return "\n".join(lines) + "\n"


def command_text(layout: Layout, command: str) -> str:
    unset = " ".join(f"-u {name}" for name in SECRET_ENV)
    return (
        f"cd {quote(layout.cwd)} && env {unset} TMPDIR={quote(layout.tmp)} IE_SANDBOX=seatbelt "
        f"/usr/bin/sandbox-exec -p {quote(profile(layout))} /bin/bash -c {quote(command)}"
    )
