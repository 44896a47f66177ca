"""One git runner (issue 14): every git the plugin starts goes through repository/git_runner."""

from __future__ import annotations

import os
import re
from pathlib import Path

from integration_engineer.repository import git_runner
from tests.helpers import ROOT, make_repo

PACKAGE = ROOT / "scripts" / "integration_engineer"
# The demo builds its own throwaway repository by hand, outside any hook.
ALLOWED = {"repository/git_runner.py", "demo.py"}
STARTS_GIT = re.compile(r"""(subprocess\.\w+|Popen|posix_spawnp?)\(\s*\[\s*["']git["']""")


def test_no_module_but_the_runner_starts_git() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel not in ALLOWED and STARTS_GIT.search(path.read_text()):
            offenders.append(rel)
    assert offenders == []


def test_run_answers_exit_code_and_output_with_one_policy(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    code, out = git_runner.run(str(repo), ("rev-parse", "--is-inside-work-tree"), timeout=5)
    assert (code, out) == (0, "true\n")
    code, _ = git_runner.run(str(repo), ("rev-parse", "--verify", "-q", "nope"), timeout=5)
    assert code == 1
    assert git_runner.run(str(tmp_path / "missing"), ("status",), timeout=5)[0] == 128
    code, out = git_runner.run(str(repo), ("hash-object", "--stdin"), timeout=5, stdin="x\n")
    assert code == 0 and len(out.strip()) == 40
    env = git_runner.environment()
    assert env["GIT_OPTIONAL_LOCKS"] == "0" and env["GIT_TERMINAL_PROMPT"] == "0"


def test_run_reports_a_missing_git_as_failed(tmp_path: Path) -> None:
    saved = os.environ["PATH"]
    os.environ["PATH"] = str(tmp_path)
    try:
        assert git_runner.run(str(tmp_path), ("status",), timeout=5) == (git_runner.FAILED, "")
    finally:
        os.environ["PATH"] = saved
