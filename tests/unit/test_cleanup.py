"""The cleanup engine and ``integration-engineer clean`` on real git worktrees."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from integration_engineer.cli import group as cli_main
from integration_engineer.config import Settings
from integration_engineer.finish import cleanup
from tests.helpers import git, make_repo

ARTIFACTS = Settings().artifacts
EXCLUDED = Settings().excluded_dirs


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    project = make_repo(tmp_path / "p", worktrees=("w",))
    return project, project / "trees" / "w"


def _touch(path: Path, content: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    return path


def test_nested_pycache_at_every_depth(tmp_path: Path) -> None:
    _, wt = _tree(tmp_path)
    for rel in ("__pycache__/a.pyc", "a/__pycache__/b.pyc", "a/b/c/d/__pycache__/e.pyc"):
        _touch(wt / rel)
    report = cleanup.clean(wt, ARTIFACTS, EXCLUDED)
    assert [e.path for e in report.removed] == ["__pycache__/", "a/__pycache__/", "a/b/c/d/__pycache__/"]
    assert (wt / "a/b/c/d").is_dir() and not (wt / "a/b/c/d/__pycache__").exists()


def test_pytest_benchmark_storage_is_removed(tmp_path: Path) -> None:
    _, wt = _tree(tmp_path)
    _touch(wt / ".benchmarks" / "Linux-CPython-3.11-64bit" / "0001_run.json", "{}")
    report = cleanup.clean(wt, ARTIFACTS, EXCLUDED)
    assert [e.path for e in report.removed] == [".benchmarks/"]
    assert not (wt / ".benchmarks").exists()


def test_tracked_artifacts_are_kept_and_untracked_ones_in_the_same_dir_removed(tmp_path: Path) -> None:
    project = make_repo(tmp_path / "p")
    _touch(project / "junit.xml", "<fixture/>")
    _touch(project / "coverage" / ".gitkeep", "")
    git(project, "add", "junit.xml", "coverage/.gitkeep")
    git(project, "commit", "-q", "-m", "fixtures")
    git(project, "worktree", "add", "-q", "-b", "w", str(project / "trees" / "w"))
    wt = project / "trees" / "w"
    _touch(wt / "coverage" / "index.html")
    _touch(wt / "coverage" / "deep" / "x.json")
    report = cleanup.clean(wt, ARTIFACTS, EXCLUDED)
    assert (wt / "junit.xml").read_text() == "<fixture/>"
    assert (wt / "coverage" / ".gitkeep").exists()
    assert not (wt / "coverage" / "index.html").exists()
    assert {e.path for e in report.kept} == {"junit.xml", "coverage/.gitkeep"}
    assert {e.path for e in report.removed} == {"coverage/index.html", "coverage/deep/"}
    assert all(e.reason == "tracked by git" for e in report.kept)


def test_symlinks_are_unlinked_never_followed(tmp_path: Path) -> None:
    _, wt = _tree(tmp_path)
    outside = tmp_path / "outside"
    _touch(outside / "keep.txt")
    _touch(outside / "__pycache__" / "x.pyc")
    os.symlink(outside, wt / "coverage")  # a link named like an artifact directory
    os.symlink(outside, wt / "src")  # a link to a directory that holds an artifact
    _touch(wt / "htmlcov" / "index.html")
    os.symlink(outside, wt / "htmlcov" / "out")  # a directory holding a link
    os.symlink(outside / "keep.txt", wt / "junit.xml")  # a link named like an artifact file
    report = cleanup.clean(wt, ARTIFACTS, EXCLUDED)
    assert (outside / "keep.txt").exists() and (outside / "__pycache__" / "x.pyc").exists()
    assert not os.path.lexists(wt / "coverage") and not os.path.lexists(wt / "htmlcov")
    assert not os.path.lexists(wt / "junit.xml")
    assert os.path.islink(wt / "src")  # not an artifact, and never descended into
    assert {e.path for e in report.removed} == {"coverage", "htmlcov/", "junit.xml"}
    assert "symlink unlinked" in next(e.reason for e in report.removed if e.path == "coverage")


def test_nested_repositories_and_worktrees_are_left_alone(tmp_path: Path) -> None:
    project, wt = _tree(tmp_path)
    nested = wt / "lib" / "sdk"
    nested.mkdir(parents=True)
    git(nested, "init", "-q")
    _touch(nested / "coverage" / "x")
    _touch(nested / "__pycache__" / "x.pyc")
    (wt / "__pycache__").mkdir()
    git(project, "worktree", "add", "-q", "-b", "inner", str(wt / "__pycache__" / "inner"))
    report = cleanup.clean(wt, ARTIFACTS, EXCLUDED)
    assert (nested / "coverage" / "x").exists() and (nested / "__pycache__" / "x.pyc").exists()
    assert (wt / "__pycache__" / "inner" / "README.md").exists()
    kept = {e.path: e.reason for e in report.kept}
    assert kept["lib/sdk/"].startswith("nested repository")
    assert kept["__pycache__/inner/"].startswith("nested repository")
    assert report.removed == []


def test_the_main_tree_is_never_touched_from_a_worktree(tmp_path: Path) -> None:
    project, wt = _tree(tmp_path)
    _touch(project / "coverage" / "index.html")
    _touch(project / "__pycache__" / "a.pyc")
    _touch(wt / "coverage" / "index.html")
    cleanup.clean(wt, ARTIFACTS, EXCLUDED)
    assert (project / "coverage" / "index.html").exists()
    assert (project / "__pycache__" / "a.pyc").exists()
    assert not (wt / "coverage").exists()


def test_the_main_tree_cleaned_by_hand_skips_its_worktrees(tmp_path: Path) -> None:
    project, wt = _tree(tmp_path)
    _touch(project / "coverage" / "index.html")
    _touch(wt / "coverage" / "index.html")
    cleanup.clean(project, ARTIFACTS, ())  # no excluded dirs: trees/ is walked, worktrees skipped
    assert not (project / "coverage").exists()
    assert (wt / "coverage" / "index.html").exists()


def test_dependency_directories_are_not_searched(tmp_path: Path) -> None:
    _, wt = _tree(tmp_path)
    _touch(wt / "node_modules" / "pkg" / "coverage" / "lib.js")
    _touch(wt / ".venv" / "lib" / "__pycache__" / "x.pyc")
    cleanup.clean(wt, ARTIFACTS, EXCLUDED)
    assert (wt / "node_modules" / "pkg" / "coverage" / "lib.js").exists()
    assert (wt / ".venv" / "lib" / "__pycache__" / "x.pyc").exists()


def test_patterns_globs_and_paths(tmp_path: Path) -> None:
    _, wt = _tree(tmp_path)
    for rel in (
        "app.tsbuildinfo",
        "pkg/tsconfig.tsbuildinfo",
        ".coverage.host.1",
        "target/debug/x",
        "other/target/debug/y",
        "coverage.py",
        "my.coverage",
    ):
        _touch(wt / rel)
    report = cleanup.clean(wt, (*ARTIFACTS, "target/debug/"), EXCLUDED)
    assert {e.path for e in report.removed} == {"app.tsbuildinfo", "pkg/tsconfig.tsbuildinfo", ".coverage.host.1"}
    # target/ is an excluded (build) directory: not searched unless the pattern names it
    report = cleanup.clean(wt, ("target/debug/",), ())
    assert [e.path for e in report.removed] == ["target/debug/"]
    assert (wt / "other/target/debug/y").exists()
    assert (wt / "coverage.py").exists() and (wt / "my.coverage").exists()


def test_dry_run_lists_exactly_what_the_real_run_removes(tmp_path: Path) -> None:
    _, wt = _tree(tmp_path)
    for rel in ("coverage/a", "x/__pycache__/b.pyc", ".coverage", "junit.xml"):
        _touch(wt / rel)
    dry = cleanup.clean(wt, ARTIFACTS, EXCLUDED, dry_run=True)
    assert (wt / "coverage" / "a").exists() and (wt / ".coverage").exists()
    real = cleanup.clean(wt, ARTIFACTS, EXCLUDED)
    assert dry.removed == real.removed and dry.kept == real.kept
    assert len(real.removed) == 4
    assert cleanup.clean(wt, ARTIFACTS, EXCLUDED).removed == []


def test_a_directory_that_is_not_a_worktree_top_is_refused(tmp_path: Path) -> None:
    _, wt = _tree(tmp_path)
    (wt / "sub").mkdir()
    with pytest.raises(cleanup.CleanupError, match="not the top of a git working tree"):
        cleanup.clean(wt / "sub", ARTIFACTS)
    with pytest.raises(cleanup.CleanupError):
        cleanup.clean(tmp_path, ARTIFACTS)


def test_a_symlinked_worktree_argument_is_resolved(tmp_path: Path) -> None:
    _, wt = _tree(tmp_path)
    _touch(wt / "coverage" / "a")
    os.symlink(wt, tmp_path / "link")
    report = cleanup.clean(tmp_path / "link", ARTIFACTS)
    assert report.worktree == str(wt.resolve())
    assert not (wt / "coverage").exists()


def test_cli_dry_run_prints_the_list_and_changes_nothing(tmp_path: Path) -> None:
    _, wt = _tree(tmp_path)
    _touch(wt / "coverage" / "a")
    _touch(wt / "src" / "__pycache__" / "m.pyc")
    runner = CliRunner()
    result = runner.invoke(cli_main, ["clean", str(wt), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would remove" in result.output and "coverage/ (1 file)" in result.output
    assert "src/__pycache__/" in result.output and "nothing changed" in result.output
    assert (wt / "coverage" / "a").exists()
    result = runner.invoke(cli_main, ["clean", str(wt), "--json"])
    data = json.loads(result.output)
    assert [e["path"] for e in data["removed"]] == ["coverage/", "src/__pycache__/"]
    assert not (wt / "coverage").exists()


def test_cli_uses_the_projects_artifact_list(tmp_path: Path) -> None:
    project, wt = _tree(tmp_path)
    _touch(project / ".claude" / "integration-engineer.json", json.dumps({"artifacts": ["*.log"]}))
    _touch(wt / "run.log")
    _touch(wt / "coverage" / "a")
    result = CliRunner().invoke(cli_main, ["clean", str(wt)])
    assert result.exit_code == 0, result.output
    assert not (wt / "run.log").exists() and (wt / "coverage" / "a").exists()


def test_cli_refuses_a_plain_directory(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli_main, ["clean", str(tmp_path)])
    assert result.exit_code == 1
    assert "not the top of a git working tree" in result.output
