"""Where Claude Code's isolation worktrees branch from, and which of the orchestrator's commits
they would lack. Standard library only (read at the Agent call, only with isolation).

Observed with CLI 2.1.332: an isolation worktree (and ``claude --worktree``, EnterWorktree)
branches from origin's default branch ("fresh", the default) unless the settings say
``{"worktree": {"baseRef": "head"}}``; without an origin it branches from HEAD. So commits not
pushed to origin's default branch are missing from the agent's worktree.
"""

from __future__ import annotations

import os

from integration_engineer.repository import git_runner
from integration_engineer.runtime import json_codec

GIT_TIMEOUT = 5.0
DEFAULT_BRANCHES = ("main", "master")


def setting(project_dirs: tuple[str, ...], home: str = "") -> str:
    """``worktree.baseRef`` as Claude Code would read it: the project's settings.local.json, then
    its settings.json (each project directory in turn), then the user's; "fresh" when none says."""
    user = os.environ.get("CLAUDE_CONFIG_DIR") or os.path.join(home or os.path.expanduser("~"), ".claude")
    files = [os.path.join(d, ".claude", n) for d in project_dirs for n in ("settings.local.json", "settings.json")]
    for path in (*files, os.path.join(user, "settings.json")):
        value = _base_ref_in(path)
        if value:
            return value
    return "fresh"


def _base_ref_in(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            data = json_codec.loads(fh.read(1 << 20))
    except (OSError, ValueError, RecursionError):
        return ""
    worktree = data.get("worktree") if isinstance(data, dict) else None
    value = worktree.get("baseRef") if isinstance(worktree, dict) else None
    return value if isinstance(value, str) else ""


def origin_default(repo: str) -> str:
    """``origin/<default branch>`` (origin/HEAD, else origin/main or origin/master), "" without one."""
    code, out = git_runner.run(repo, ("symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD"), timeout=GIT_TIMEOUT)
    if code == 0 and out.strip():
        return out.strip()
    for name in DEFAULT_BRANCHES:
        ref = f"refs/remotes/origin/{name}"
        if git_runner.run(repo, ("rev-parse", "-q", "--verify", ref), timeout=GIT_TIMEOUT)[0] == 0:
            return f"origin/{name}"
    return ""


def missing(repo: str) -> tuple[str, int]:
    """(origin's default branch, how many commits of HEAD it lacks); ("", 0) without an origin or
    when git cannot tell."""
    base = origin_default(repo)
    if not base:
        return "", 0
    code, out = git_runner.run(repo, ("rev-list", "--count", f"{base}..HEAD"), timeout=GIT_TIMEOUT)
    try:
        return base, int(out.strip()) if code == 0 else 0
    except ValueError:
        return base, 0


def warning(repo: str, base_ref: str) -> str:
    """What the orchestrator (or doctor) should hear about the agent's starting point, given the
    ``baseRef`` setting; "" when the isolation worktree will have everything HEAD has."""
    base, count = ("", 0) if base_ref == "head" else missing(repo)
    return warning_text(base, count)


def warning_text(base: str, count: int) -> str:
    if not count:
        return ""
    return (
        f"{count} commit(s) of your HEAD are not on {base}, and isolation worktrees branch from {base} "
        '(worktree.baseRef is not "head"): the agent will not see them. Push them first, or set '
        '{"worktree": {"baseRef": "head"}} in .claude/settings.json.'
    )
