"""The files the golden table tests/cases/read_only/observed.json was observed on, shared by the
unit test (tests/sandbox/test_read_only.py) and the real-CLI check (tests/e2e/test_cli_facts.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers import ROOT

TABLE = ROOT / "tests" / "cases" / "read_only" / "observed.json"
REL = "trees/PROJ-123-stripe"  # the e2e harness's worktree


def observed() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(TABLE.read_text())["commands"]
    return entries


def add_fixture_files(project: Path) -> None:
    """Beside the e2e project's own files: a file to read, a subdirectory, a link leading out."""
    (project / "f.txt").write_text("b\na\n")
    (project / "sub").mkdir()
    (project / "sub" / "g.txt").write_text("x\n")
    (project / "pkg.json").write_text("{}")
    (project / "out.lnk").symlink_to("/etc/hostname")


def make_world(root: Path) -> Path:
    """The e2e project's files (README, src, the worktree directory) and the fixture files."""
    project = root / "project"
    (project / "src").mkdir(parents=True)
    (project / REL).mkdir(parents=True)
    (project / "README.md").write_text("# shop\n")
    (project / "src" / "app.py").write_text("print('shop')\n")
    (project / REL / "README.md").write_text("# shop\n")
    add_fixture_files(project)
    return project


def expand(command: str, project: Path) -> str:
    """@PROJ: the project; @WT: the worktree (absolute); @REL: the worktree (relative)."""
    return command.replace("@WT", str(project / REL)).replace("@PROJ", str(project)).replace("@REL", REL)
