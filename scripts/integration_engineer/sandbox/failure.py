"""After a sandboxed Bash command: when it failed on a protected path, tell the agent which path,
which rule, and what to do instead (PostToolUse context)."""

from __future__ import annotations

import os

MARKERS = ("Read-only file system", "Errno 30")
MARKER_ENV = "IE_SANDBOX "  # in the rewritten command: ``--setenv IE_SANDBOX bwrap``


def was_sandboxed(command: str) -> bool:
    return MARKER_ENV in command or "IE_SANDBOX=seatbelt" in command


def protected_paths(output: str) -> list[str]:
    """Paths named on the lines where a write was refused as read-only."""
    found: list[str] = []
    for line in output.splitlines():
        if not any(m in line for m in MARKERS):
            continue
        for quote in ("'", '"', "`"):
            parts = line.split(quote)
            found += [p for p in parts[1::2] if "/" in p or p.startswith(".")]
        for word in line.replace(":", " ").split():
            if word.startswith(("/", "../", "./")) and word not in found:
                found.append(word)
    return list(dict.fromkeys(found))


def context(output: str, worktree: str) -> str:
    """The explanation for the agent ("" when nothing was refused by the sandbox)."""
    paths = protected_paths(output)
    if not paths and not any(m in output for m in MARKERS):
        return ""
    gitty = [p for p in paths if ".git" in p.split(os.sep) or p.endswith((".lock", "/.git"))]
    lines = ["integration-engineer: this command ran inside the sandbox and a write was refused."]
    if gitty or not paths:
        lines.append(
            "The repository's git directory (objects, refs, index, HEAD, config, hooks) is read-only: "
            "you cannot add, commit, reset, stash, tag, branch, merge, rebase or push. Leave your "
            "changes in the worktree and list what should be committed in your JSON answer; the "
            "orchestrator commits."
        )
    others = [p for p in paths if p not in gitty]
    if others:
        lines.append(
            f"Outside your worktree {worktree} everything is read-only ({', '.join(others[:5])}). "
            "Write inside the worktree (scratch files go in /tmp, which is yours) and report in your "
            "JSON answer anything that must change elsewhere."
        )
    return "\n".join(lines)
