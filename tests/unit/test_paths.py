"""paths.resolve / is_within: every escape route of the isolation check, on real directories."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from integration_engineer.runtime import paths


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path.resolve()
    (root / "wt" / "src").mkdir(parents=True)
    (root / "out").mkdir()
    os.symlink(root / "out", root / "wt" / "src" / "esc")
    os.symlink(root / "wt", root / "wt-link")
    os.symlink(root / "out" / "new.py", root / "wt" / "dangling.py")
    return root


@pytest.mark.parametrize(
    ("path", "inside"),
    [
        ("wt/src/a.py", True),
        ("wt/src/new/dir/a.py", True),  # components that do not exist yet
        ("wt/src/../a.py", True),
        ("wt/../out/a.py", False),
        ("wt/src/esc/a.py", False),  # symlink in the middle
        ("wt/src/esc/../../wt/a.py", False),  # '..' after a symlink goes up from its target
        ("wt-link/src/a.py", True),  # symlinked worktree root
        ("wt/dangling.py", False),  # dangling symlink pointing out
        ("wt-other/a.py", False),  # shared name prefix
        ("wt", True),
    ],
)
def test_resolve_and_within(tree: Path, path: str, inside: bool) -> None:
    resolved = paths.resolve(path, str(tree))
    assert paths.is_within(resolved, str(tree / "wt")) is inside


def test_tilde_uses_home(tmp_path: Path) -> None:
    assert paths.resolve("~/x", "/elsewhere", home=str(tmp_path)) == str(tmp_path.resolve() / "x")


def test_relative_display() -> None:
    assert paths.relative_display("/a/b/c", "/a") == "b/c"
    assert paths.relative_display("/x/y", "/a") == "/x/y"
