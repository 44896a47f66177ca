"""Claims against git, on real worktrees, with Expected built directly."""

from __future__ import annotations

import os
import time
from pathlib import Path

from integration_engineer.finish import claims
from integration_engineer.task.context import baseline_of, head_of
from tests.helpers import git, make_repo


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    project = make_repo(tmp_path / "p")
    (project / "src").mkdir()
    (project / "src" / "a.py").write_text("a\n")
    (project / "src" / "b.py").write_text("b\n")
    git(project, "add", "src")
    git(project, "commit", "-q", "-m", "src")
    git(project, "worktree", "add", "-q", "-b", "w", str(project / "trees" / "w"))
    return project, project / "trees" / "w"


def _expected(project: Path, wt: Path, **kw: object) -> claims.Expected:
    base = {
        "task_id": "T-1",
        "worktree": wt,
        "project": project,
        "base_head": head_of(str(wt)),
        "baseline": baseline_of(str(wt)),
    }
    base.update(kw)
    return claims.Expected(**base)  # type: ignore[arg-type]


def test_every_kind_of_change_counts(tmp_path: Path) -> None:
    project, wt = _setup(tmp_path)
    expected = _expected(project, wt)
    (wt / "src" / "a.py").write_text("changed\n")
    (wt / "src" / "b.py").unlink()
    (wt / "new.txt").write_text("n\n")
    git(wt, "mv", "README.md", "README.rst")
    changed = claims.agent_changes(wt, expected.base_head, expected.baseline)
    assert changed == {
        "src/a.py": "modified",
        "src/b.py": "deleted",
        "new.txt": "untracked",
        "README.md": "deleted",
        "README.rst": "added",
    }


def test_a_commit_by_the_agent_is_still_counted_from_the_base(tmp_path: Path) -> None:
    project, wt = _setup(tmp_path)
    expected = _expected(project, wt)
    (wt / "src" / "a.py").write_text("changed\n")
    git(wt, "commit", "-q", "-am", "sneaky")
    assert claims.agent_changes(wt, expected.base_head, {}) == {"src/a.py": "modified"}


def test_baseline_paths(tmp_path: Path) -> None:
    project, wt = _setup(tmp_path)
    (wt / "src" / "a.py").write_text("orchestrator\n")
    (wt / "src" / "b.py").write_text("orchestrator\n")
    (wt / "plan.md").write_text("plan\n")
    expected = _expected(project, wt)
    assert set(expected.baseline) == {"src/a.py", "src/b.py", "plan.md"}
    (wt / "src" / "a.py").write_text("agent\n")  # changed again: the agent's
    (wt / "src" / "b.py").write_text("b\n")  # restored to the commit: the agent's too
    changed = claims.agent_changes(wt, expected.base_head, expected.baseline)
    assert changed == {"src/a.py": "modified", "src/b.py": "restored"}


def test_identity_and_file_problems_name_each_path(tmp_path: Path) -> None:
    project, wt = _setup(tmp_path)
    expected = _expected(project, wt)
    (wt / "src" / "a.py").write_text("x\n")
    (wt / "src" / "c.py").write_text("x\n")
    answer = {
        "task_id": "T-2",
        "worktree_path": "./trees/other",
        "files_modified": ["src/a.py", "src/b.py", "src/zzz.py"],
    }
    result = claims.check(answer, expected)
    messages = [p.message for p in result.problems]
    assert messages[0] == "task_id is 'T-2'; this task is 'T-1'"
    assert "worktree_path is './trees/other'; this task's worktree is './trees/w'" in messages[1]
    assert any("misses src/c.py (untracked)" in m for m in messages)
    assert any("lists src/b.py, but git shows no change" in m for m in messages)
    assert any("lists src/zzz.py, but it does not exist" in m for m in messages)
    assert len(messages) == 5


def test_worktree_spellings(tmp_path: Path) -> None:
    project, wt = _setup(tmp_path)
    expected = _expected(project, wt)
    for spelling in ("./trees/w", "trees/w", "trees/w/", str(wt), str(wt) + "/", "./trees/./w"):
        assert claims.same_worktree(spelling, expected), spelling
    for spelling in ("./trees/x", "w", "/tmp", "../trees/w"):
        assert not claims.same_worktree(spelling, expected), spelling


def test_a_task_without_id_accepts_any_task_id(tmp_path: Path) -> None:
    project, wt = _setup(tmp_path)
    expected = _expected(project, wt, task_id="")
    answer = {"task_id": "stripe-webhooks", "worktree_path": "trees/w", "files_modified": []}
    assert claims.check(answer, expected).problems == []


def test_main_tree_changes_during_the_run(tmp_path: Path) -> None:
    project, wt = _setup(tmp_path)
    (project / "old.txt").write_text("before the run\n")
    past = time.time() - 3600
    os.utime(project / "old.txt", (past, past))
    expected = _expected(project, wt, started_at=time.time() - 60)
    (project / "src" / "a.py").write_text("during the run\n")
    (wt / "x.txt").write_text("worktree change\n")
    conflicts, _note = claims.main_tree_conflicts(expected)
    assert conflicts == ["src/a.py"]
    with_snapshot = _expected(
        project, wt, main_snapshot={"old.txt": claims.content_hashes(project, ["old.txt"])["old.txt"]}
    )
    assert claims.main_tree_conflicts(with_snapshot)[0] == ["src/a.py"]
    unknown = _expected(project, wt, started_at=None)
    conflicts, note = claims.main_tree_conflicts(unknown)
    assert conflicts == [] and "cannot be told apart" in note


def test_path_normalisation() -> None:
    assert claims.normalise("./src//a.py") == "src/a.py"
    assert claims.normalise("src/a/") == "src/a"
    assert claims.normalise("src\\a.py") == "src/a.py"
