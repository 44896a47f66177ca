"""find's command action with no file to run on, the index as the paths diff/status read, settings
git execs without a shell, and the ex/ed/sqlite3/tar/less escapes read more closely (the labelled
forms, tests/cases/*/forms/escapes__* and gitconfig__*, hold what really ran)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from integration_engineer.bash import escapes
from integration_engineer.git_guard import attribute_paths, find_matches, git_index, git_settings
from integration_engineer.git_guard.policy import analyse


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("one\n")
    (tmp_path / "sub" / "r.md").write_text("x\n")
    os.symlink("a.txt", tmp_path / "link.cfg")
    return tmp_path


@pytest.mark.parametrize(
    ("args", "never"),
    [
        ([".", "-name", "*.nope", "-exec", "git", "push", ";"], True),
        ([".", "-name", "*.txt", "-exec", "git", "push", ";"], False),
        ([".", "-name", "*.nope", "-o", "-name", "*.md", "-exec", "git", "push", ";"], False),
        ([".", "-name", "*.md", "-exec", "git", "push", ";", "-o", "-print"], False),
        ([".", "-name", "*.txt", "-print", "-o", "-name", "*.nope", "-exec", "x", ";"], True),
        ([".", "-type", "f", "-name", "*.cfg", "-exec", "x", ";"], False),  # a link, read as its file
        ([".", "-type", "f", "-name", "sub", "-exec", "x", ";"], True),
        ([".", "-type", "l", "-name", "*.cfg", "-exec", "x", ";"], False),
        ([".", "-maxdepth", "1", "-name", "r.md", "-exec", "x", ";"], True),
        ([".", "-mindepth", "2", "-name", "a.txt", "-exec", "x", ";"], True),
        (["sub", "missing", "-iname", "R.MD", "-exec", "x", "{}", "+"], False),
        (["missing", "-exec", "x", ";"], True),
        ([".", "-name", "[a]*", "-exec", "x", ";"], False),  # a class: not read here, it may match
        ([".", "!", "-name", "*.nope", "-exec", "x", ";"], False),
        (["-L", ".", "-name", "*.nope", "-exec", "x", ";"], False),
        ([".", "-name", "*.nope", "-fprint", "x.nope", "-exec", "x", ";"], False),
        ([".", "-name", "*.nope", "-exec", "x", ";", "-exec", "y", ";"], False),
        ([".", "-name", None, "-exec", "x", ";"], False),
        ([".", "-newer", "a.txt", "-name", "*.nope", "-exec", "x", ";"], True),
    ],
)
def test_whether_a_find_action_can_run(tmp_path: Path, args: list[str | None], never: bool) -> None:
    assert find_matches.never_runs(args, str(_tree(tmp_path))) is never


def test_a_find_runs_alone_only_beside_readers() -> None:
    assert find_matches.alone("find . -name '*.nope' -exec git push \\;")
    assert find_matches.alone("cat a.txt | find . -name x -exec git push \\; 2>/dev/null && echo done")
    assert not find_matches.alone("touch x.nope; find . -name '*.nope' -exec git push \\;")
    assert not find_matches.alone("find . -name '*.nope' -exec git push \\; > x.nope")
    assert not find_matches.alone("find . -name x -exec git push \\; | tee x.log")
    assert not find_matches.alone('find . -name "$(touch x)" -exec git push \\;')
    assert not find_matches.alone("find . -name a -exec true \\; ; find . -name b -exec git push \\;")


def test_find_with_nothing_to_run_on_is_let_through(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "x.nope").write_text("x\n")
    assert not analyse("find . -name '*.none' -exec git push -q \\;", cwd=str(tmp_path)).blocked
    assert analyse("find . -name '*.nope' -exec git push -q \\;", cwd=str(tmp_path)).blocked
    assert analyse("touch y.none; find . -name '*.none' -exec git push -q \\;", cwd=str(tmp_path)).blocked


def test_index_pathspec() -> None:
    assert attribute_paths.index_pathspec("diff", []) == []
    assert attribute_paths.index_pathspec("diff", ["--stat", "--", "a.txt"]) == ["a.txt"]
    assert attribute_paths.index_pathspec("diff", ["HEAD"]) is None
    assert attribute_paths.index_pathspec("diff", ["--cached"]) is None
    assert attribute_paths.index_pathspec("diff", ["--no-index", "a", "b"]) is None
    assert attribute_paths.index_pathspec("status", ["-s"]) == []
    assert attribute_paths.index_pathspec("status", ["-v"]) is None
    assert attribute_paths.index_pathspec("log", []) is None
    assert attribute_paths.index_pathspec("diff", ["--", "*.md"]) is None


def _repo(tmp_path: Path, attributes: str) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a.txt").write_text("one\n")
    subprocess.run(["git", "-C", str(tmp_path), "add", "a.txt"], check=True)
    (tmp_path / "a.txt").write_text("two\n")
    (tmp_path / "x.md").write_text("untracked\n")
    (tmp_path / ".gitattributes").write_text(attributes)
    return tmp_path


@pytest.mark.parametrize(
    ("attributes", "command", "refused"),
    [
        ("*.md diff=tc\n", "git -c diff.tc.textconv='git push -q; cat' diff", False),
        ("*.txt diff=tc\n", "git -c diff.tc.textconv='git push -q; cat' diff", True),
        ("* diff=tc\n", "git -c diff.tc.textconv='git push -q; cat' diff -- x.md", False),
        ("*.md diff=tc\n", "git -c diff.tc.textconv='git push -q; cat' diff HEAD", True),
        ("*.md filter=x\n", "git -c filter.x.clean='git push -q; cat' status", False),
        ("*.txt filter=x\n", "git -c filter.x.clean='git push -q; cat' status", True),
        ("*.md diff=tc\n", "git -c diff.tc.textconv='git push -q; cat' --git-dir=o/.git diff", True),
        ("*.md diff=tc\n", "GIT_INDEX_FILE=o git -c diff.tc.textconv='git push -q; cat' diff", True),
    ],
)
def test_diff_and_status_read_only_indexed_paths(tmp_path: Path, attributes: str, command: str, refused: bool) -> None:
    assert analyse(command, cwd=str(_repo(tmp_path, attributes))).blocked is refused


def test_settings_git_execs_without_a_shell() -> None:
    assert git_settings.as_run("git -c gpg.program", 'sh -c "git push"') == "'sh -c \"git push\"' ARG"
    assert git_settings.as_run("GIT_SSH=...", "it's") == "'it'\\''s' ARG"
    assert git_settings.as_run("git -c core.gitproxy", "./p.sh for example.com") == "'./p.sh' ARG"
    assert git_settings.as_run("git -c core.sshcommand", "ssh -v") == "ssh -v"
    assert git_settings.as_run("git -c credential.helper", "!f") == "f"


def test_ex_and_ed_globals_bars_and_addresses() -> None:
    assert escapes._ex_command("g/one/!git push") == ["git push"]
    assert escapes._ex_command("%s/a/b/|!git push") == ["git push"]
    assert escapes._ex_command("/one/!git push") == ["git push"]
    assert escapes._ex_command("v/x/r !git log") == ["git log"]
    assert escapes._ex_command("%s/one/two/g|wq") == []
    assert escapes._ed_command("g/one/!git push") == ["git push"]
    assert escapes._ed_command("1s/one/!x/") == []


def test_vim_combined_flags() -> None:
    nothing = lambda: ""  # noqa: E731
    assert escapes._vim("vim", ["-esc", "!git push", "a.txt"], nothing, lambda _p: None) == ["git push"]
    assert escapes._vim("vim", ["-Nesc", "echo 1", "a.txt"], nothing, lambda _p: None) == []


def test_sqlite_read_follows_the_file() -> None:
    files = {"s.sql": ".read t.sql\n", "t.sql": ".shell git push\n", "u.sql": "select 1;\n"}
    nothing = lambda: ""  # noqa: E731
    assert escapes._sqlite([":memory:", ".read s.sql"], nothing, files.get) == ["git push"]
    assert escapes._sqlite([":memory:", ".read u.sql"], nothing, files.get) == []
    assert escapes._sqlite([":memory:", ".read gone.sql"], nothing, files.get) == [None]


def _env(values: dict[str, list[str | None]]) -> Callable[[str], list[str | None] | None]:
    return lambda name: values.get(name)


def test_tar_scripts_only_when_turned_on() -> None:
    action = "--checkpoint-action=exec=git push"
    assert escapes._tar(["-cf", "x.tar", action, "a"]) == []
    assert escapes._tar(["-cf", "x.tar", "--checkpoint=1", action, "a"]) == ["git push"]
    assert escapes._tar(["-cf", "x.tar", "--info-script=git push", "a"]) == []
    assert escapes._tar(["-cMf", "x.tar", "--info-script=git push", "a"]) == ["git push"]
    env = _env({"TAR_OPTIONS": ["--checkpoint=1"]})
    assert escapes.from_environment(["tar", "-cf", "x", action], env) == ["git push"]


def test_less_preprocessor_on_stdin_and_lessclose(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LESSOPEN", raising=False)
    opened = _env({"LESSOPEN": ["|git push %s"]})
    assert escapes.from_environment(["less"], opened) == []  # stdin: only a |- pipe
    assert escapes.from_environment(["less", "a.txt"], opened) == ["git push a.txt"]
    assert escapes.from_environment(["less"], _env({"LESSOPEN": ["|-git push %s"]})) == ["git push -"]
    assert escapes.from_environment(["less", "a.txt"], _env({"LESSCLOSE": ["git push"]})) == []


def test_trees_checked_out_bring_their_own_attributes() -> None:
    assert attribute_paths.other_tree("checkout", ["-q", "feature"])
    assert not attribute_paths.other_tree("checkout", ["--", "a.txt"])
    assert attribute_paths.other_tree("switch", ["topic"])
    assert attribute_paths.other_tree("reset", ["--hard"])
    assert not attribute_paths.other_tree("reset", ["-q"])
    assert attribute_paths.other_tree("restore", ["--source=HEAD~1", "a.txt"])
    assert not attribute_paths.other_tree("restore", ["a.txt"])
    assert not attribute_paths.other_tree("status", [])


def _branch_with_attributes(tmp_path: Path) -> Path:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    (tmp_path / "a.txt").write_text("a\n")
    git("add", "a.txt")
    git("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "a")
    git("switch", "-qc", "feature")
    (tmp_path / ".gitattributes").write_text("* filter=x\n")
    git("add", ".gitattributes")
    git("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "b")
    git("switch", "-q", "main")
    return tmp_path


def test_a_filter_named_only_in_the_branch_checked_out_is_refused(tmp_path: Path) -> None:
    repo = str(_branch_with_attributes(tmp_path))
    assert analyse("git -c filter.x.smudge='git push -q; cat' checkout -q feature", cwd=repo).blocked
    assert not analyse("git -c filter.x.smudge='git push -q; cat' status", cwd=repo).blocked


def test_attributes_the_index_holds_but_the_work_tree_lost(tmp_path: Path) -> None:
    repo = _branch_with_attributes(tmp_path)
    subprocess.run(["git", "-C", str(repo), "switch", "-q", "feature"], check=True)
    (repo / ".gitattributes").unlink()  # git diff still reads the index's .gitattributes
    assert analyse("git -c filter.x.clean='git push -q; cat' diff", cwd=str(repo)).blocked


def test_a_submodule_keeps_the_paths_status_reads_unknown(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "*.md filter=x\n")
    head = "0" * 39 + "1"
    subprocess.run(["git", "-C", str(repo), "update-index", "--add", "--cacheinfo", f"160000,{head},sub"], check=True)
    assert git_index.has_gitlink(str(repo / ".git"))
    assert analyse("git -c filter.x.clean='git push -q; cat' status", cwd=str(repo)).blocked
