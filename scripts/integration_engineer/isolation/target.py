"""One path a tool call writes to: as written, absolute, and resolved. Standard library only."""

from __future__ import annotations

import os

from integration_engineer.runtime import paths
from integration_engineer.runtime.record import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from typing import Literal

# Devices a command may write to wherever the worktree is.
HARMLESS = frozenset({"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "/dev/zero"})


@record
class Target:
    """One write: ``raw`` as written, ``absolute`` joined to the working directory, ``path``
    resolved (symlinks followed). ``unknown`` says why the path cannot be known statically."""

    raw: str
    op: str
    kind: Literal["write", "delete"] = "write"
    absolute: str = ""
    path: str = ""
    whole_tree: bool = False  # the operation also affects everything below (rm -r, mv)
    unknown: str = ""

    def describe(self) -> str:
        return f"{self.op} {self.raw}" if self.op else self.raw

    @property
    def name(self) -> str:
        return os.path.basename(self.path or self.raw.rstrip("/"))


def make(
    raw: str, op: str, cwd: str | None, kind: Literal["write", "delete"] = "write", *, whole_tree: bool = False
) -> Target:
    """A target for a static path seen from ``cwd`` (None: the working directory is unknown)."""
    expanded = raw
    if raw == "~" or raw.startswith("~/"):
        expanded = os.path.expanduser("~") + raw[1:]
    if not os.path.isabs(expanded) and cwd is None:
        return Target(
            raw,
            op,
            kind,
            whole_tree=whole_tree,
            unknown="relative path after a change of directory that cannot be followed",
        )
    absolute = os.path.normpath(os.path.join(cwd or "", expanded))
    if raw.startswith("/dev/fd/") or absolute in HARMLESS:
        return Target(raw, op, kind, absolute, absolute, whole_tree)
    return Target(raw, op, kind, absolute, paths.resolve(expanded, cwd or ""), whole_tree)


def unknown(raw: str, op: str, why: str) -> Target:
    return Target(raw, op, unknown=why)
