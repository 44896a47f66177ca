"""A stdlib pre-check of the answer contract, so an answer that is plainly right skips pydantic.

``surely_valid`` answers True only for an object every rule of ``contract.AgentOutput`` accepts
(a differential test with hypothesis holds it to that); anything else, including whatever it is
unsure about, goes to the real contract, which names each problem. Importing pydantic and
building the model costs more than the rest of a SubagentStop together; most answers are right.
"""

from __future__ import annotations

import re
from typing import Any

# The contract's keys (a test checks they equal contract.FIELDS and contract.REQUIRED).
REQUIRED = ("task_id", "worktree_path", "work_completed", "files_modified", "unfinished")
OPTIONAL = ("narrative_report", "artifacts_cleaned", "worktreePath")
WORKTREE_KEYS = ("worktree_path", "worktreePath")  # one of them is required (contract.ALIASES)
# Copied from contract.RELATIVE_PATH_PATTERN (a test checks they are the same).
RELATIVE_PATH_PATTERN = (
    r"^(?=.*\S)(?![/\\~])(?![A-Za-z]:)(?!.*[\\\x00-\x1f])"
    r"(?!(?:.*/)?\.\.(?:/|$)).*$"
)
_RELATIVE = re.compile(RELATIVE_PATH_PATTERN)
_TEXT = re.compile(r"\S")
_UNSAFE = re.compile(r"[\x00-\x1f\\]")
_KEYS = frozenset(REQUIRED + OPTIONAL)


def surely_valid(value: Any) -> bool:
    if type(value) is not dict or not _KEYS.issuperset(value):
        return False
    if not all(k in value for k in REQUIRED if k != "worktree_path"):
        return False
    worktree = [k for k in WORKTREE_KEYS if k in value]
    if not worktree or not all(_text(value[k]) for k in ("task_id", "work_completed", *worktree)):
        return False
    if not _texts(value["unfinished"]) or not _texts(value.get("artifacts_cleaned", [])):
        return False
    if not _narrative(value.get("narrative_report", "")):
        return False
    files = value["files_modified"]
    return type(files) is list and all(_path(p) for p in files) and len(set(files)) == len(files)


def _narrative(value: Any) -> bool:
    """Prose, or an object whose summary is text and whose other sections are strings."""
    if type(value) is str:
        return True
    return type(value) is dict and _text(value.get("summary")) and all(type(v) is str for v in value.values())


def _text(value: Any) -> bool:
    return type(value) is str and _TEXT.search(value) is not None


def _texts(value: Any) -> bool:
    return type(value) is list and all(_text(v) for v in value)


def _path(value: Any) -> bool:
    if type(value) is not str or not value.strip() or _UNSAFE.search(value):
        return False
    if value.startswith(("/", "~")) or ".." in value.split("/") or re.match(r"[A-Za-z]:", value):
        return False
    return _RELATIVE.match(value) is not None
