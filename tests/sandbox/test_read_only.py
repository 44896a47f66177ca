"""sandbox/read_only.py: the plugin's copy of "Claude Code would run this unasked", judged on the
command the agent sent. It must never say yes where Claude Code asks; where unsure it says no.

The golden table tests/cases/read_only/observed.json holds what the real CLI 2.1.332 did with
each command (tests/e2e/test_cli_facts.py re-checks it); the fixture below lays out the same
files as that run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from integration_engineer.sandbox import read_only
from tests.sandbox.read_only_world import expand, make_world, observed

MODES = ("default", "acceptEdits")
REL = "trees/PROJ-123-stripe"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_world(tmp_path_factory.mktemp("ro")).resolve()


CASES = [(e, m) for e in observed() for m in MODES]


@pytest.mark.parametrize(("entry", "mode"), CASES, ids=[f"{m}:{e['command']}" for e, m in CASES])
def test_the_plugin_allows_only_what_claude_code_ran_unasked(entry: dict[str, Any], mode: str, project: Path) -> None:
    unasked = read_only.runs_unasked(expand(entry["command"], project), mode, str(project), str(project))
    if entry[mode] == "asks":
        assert not unasked, f"Claude Code asks for this in {mode}: the plugin must not allow it"
    else:
        expected = mode not in entry.get("plugin_asks", ())
        assert unasked is expected, entry


@pytest.mark.parametrize(
    "command",
    [
        "ls -la ../..",
        "cat /etc/passwd",
        "cat sub/../../x",
        "ls ~",
        "cat ~/.ssh/id_rsa",
        "grep -r x /",
        "grep --file=/etc/shadow x",
        "head -n1 -- ../f.txt",
        "/bin/ls",  # a path to the program: not the command Claude Code knows by name
        "FOO=1 ls",
        "env ls",
        "ls; touch x",
        "ls && npm test",
        "ls | sh",
        "ls | xargs rm",
        "cat f.txt > g.txt",
        "cat f.txt >> g.txt",
        "cat < /etc/passwd",
        "ls &",
        "ls $HOME",
        "ls `pwd`",
        'echo "$(id)"',
        "ls\ntouch x",
        "ls 'unclosed",
        "git",
        "git -C sub status",
        "git -c core.pager=sh status",
        "git --no-pager log",
        "git push",
        "git commit -m x",
        "git checkout -b x",
        "git branch -D main",
        "git branch new",
        "git tag -d v1",
        "git stash",
        "git stash pop",
        "git reflog expire --all",
        "git worktree add x",
        "git remote add o x",
        "git config user.name x",
        "git config --list",
        "git diff --output=x",
        "git log --output-directory=x",
        "git diff --ext-diff",
        "git grep -Ocat x",
        "git show --textconv HEAD:f.txt",
        "git cat-file --filters HEAD:f.txt",
        "git diff --no-index f.txt /etc/passwd",
        "cd sub && git status",
        "cd .. && ls",
        "cd",
        "cd /",
        "cd - && ls",
        "find . -exec rm {} +",
        "find . -execdir sh -c x ;",
        "find . -fprintf out %p",
        "find . -fls out",
        "find / -name x",
        "sort -o out f.txt",
        "sort -uo out f.txt",
        "sort --output=out f.txt",
        "sort -T sub f.txt",
        "sort --compress-program=sh f.txt",
        "rg --pre=sh x",
        "rg -z x",
        "file -C -m f.txt",
        "sed -i s/a/b/ f.txt",
        "sed -n 'w out' f.txt",
        "sed -n 1e f.txt",
        "sed s/a/b/ f.txt",
        "sed -n 1p -i f.txt",  # GNU sed takes options after the script
        "sed -n 1p f.txt --in-place",
        "date -s 2020-01-01",
        "date --set=2020-01-01",
        "hostname evil",
        "awk '{print}' f.txt",
        "python3 -c 'print(1)'",
        "npm ls",
        "tee out",
        "ls # comment",
        "ls &>/dev/null",
        "ls 1>/dev/null",
        "cat out.lnk",
        "ls sub/*/../..",
        "cat */x",
        "touch x",  # only in acceptEdits
        "mkdir d",
        "rm -rf sub",
        # Beside the listing forms of branch, tag, reflog, stash, xargs, uniq, base64, date:
        "git branch new",
        "git branch -a new",
        "git branch --list a b",
        "git branch --merged main -D x",
        "git tag v1",
        "git tag --sort=x v1",  # no -l: creates v1
        "git reflog expire --all",
        "git stash drop",
        "git stash show --output=x",
        "xargs rm",
        "xargs -n1 wc -l",
        "xargs -I{} wc {}",
        "echo f.txt | xargs cat",
        "uniq f.txt out",
        "uniq -c f.txt",
        "base64 -w0 f.txt",
        "date -s 2020-01-01",
        "date -d x -s y",
        "nproc --all",
    ],
)
def test_what_the_plugin_asks_for_in_the_default_mode(command: str, project: Path) -> None:
    assert not read_only.runs_unasked(command, "default", str(project), str(project))


@pytest.mark.parametrize(
    "command",
    [
        "touch ../x",
        "touch /tmp/x",
        "rm -rf /",
        "rm -rf ~",
        "cp f.txt ..",
        "mv f.txt /tmp",
        "mkdir .claude/agents",
        "touch .git/hooks/pre-commit",
        "touch sub/.git/x",
        "cd sub && touch x",
        "rm out.lnk",  # the link leads outside: read broadly
        "chmod +x f.txt",
        "ln -s f.txt l",
        "touch x > y",
        "sed -i s/a/b/ f.txt",
    ],
)
def test_what_the_plugin_asks_for_in_accept_edits(command: str, project: Path) -> None:
    assert not read_only.runs_unasked(command, "acceptEdits", str(project), str(project))


@pytest.mark.parametrize("mode", ["plan", "bypassPermissions", "auto", ""])
def test_file_commands_run_unasked_only_in_accept_edits(mode: str, project: Path) -> None:
    assert read_only.runs_unasked("touch x", "acceptEdits", str(project), str(project))
    assert not read_only.runs_unasked("touch x", mode, str(project), str(project))


def test_nothing_is_judged_without_a_project_or_outside_it(project: Path, tmp_path: Path) -> None:
    assert read_only.runs_unasked("ls", "default", str(project), str(project))
    assert not read_only.runs_unasked("ls", "default", str(project), "")
    assert not read_only.runs_unasked("ls", "default", "", str(project))
    assert not read_only.runs_unasked("ls", "default", str(tmp_path), str(project))
    assert read_only.runs_unasked("ls", "default", str(project / "sub"), str(project))
    assert read_only.runs_unasked("cat ../f.txt", "default", str(project / "sub"), str(project)) is False


def test_a_glob_is_allowed_only_when_no_match_leads_outside(project: Path, tmp_path: Path) -> None:
    assert read_only.runs_unasked("ls sub/*.txt", "default", str(project), str(project))
    assert not read_only.runs_unasked("ls *", "default", str(project), str(project))  # out.lnk is in there
    inner = project / "sub" / "deep"
    inner.mkdir(exist_ok=True)
    os.symlink("/etc", inner / "etc-link")
    try:
        assert not read_only.runs_unasked("ls sub/deep/*", "default", str(project), str(project))
    finally:
        (inner / "etc-link").unlink()
        inner.rmdir()


def test_a_project_dir_given_through_a_link_is_resolved(project: Path, tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(project)
    assert read_only.runs_unasked("cat f.txt", "default", str(link), str(link))
    assert read_only.runs_unasked(f"cat {project}/f.txt", "default", str(link), str(link))


@pytest.mark.parametrize(
    "command",
    [
        "sort --outp=out f.txt",  # an abbreviation of --output
        "sort --comp=sh f.txt",
        "sort --te=sub f.txt",
        "git diff --outp=x",
        "git log --ext",
        "git grep --open x",
        "git diff --no-i a b",
        "file --comp f.txt",
    ],
)
def test_an_abbreviated_long_option_counts_as_the_option(command: str, project: Path) -> None:
    assert not read_only.runs_unasked(command, "default", str(project), str(project))


def test_the_end_of_options_is_not_an_option(project: Path) -> None:
    assert read_only.runs_unasked("git log -- f.txt", "default", str(project), str(project))
    assert not read_only.runs_unasked("git log -- /etc/passwd", "default", str(project), str(project))


@pytest.mark.parametrize(
    "command",
    [
        "rm -rf .",
        "rm -rf ./",
        f"rm -rf {REL}/../..",
        "rm -rf *",
        "rm sub/*",
        "touch .bashrc",
        "cp f.txt .mcp.json",
        "mv f.txt --target-directory=.claude",
        "touch x=.hidden",
    ],
)
def test_accept_edits_never_removes_the_project_globs_or_writes_dot_names(command: str, project: Path) -> None:
    assert not read_only.runs_unasked(command, "acceptEdits", str(project), str(project))


def test_accept_edits_file_commands_inside_run(project: Path) -> None:
    for command in ("touch new.txt", f"mkdir -p {REL}/d", "cp f.txt sub/copy.txt", "rm -rf sub/none", "touch ./x"):
        assert read_only.runs_unasked(command, "acceptEdits", str(project), str(project)), command
