"""Definitions, indirection and expansion as the git guard reads them, checked against bash.

Each refused form is also run for real with a recording ``git`` first on PATH: the guard refuses
exactly what bash would hand to git with a forbidden verb; each let-through form never does.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from integration_engineer.bash.expand import Env, expand_argv
from integration_engineer.bash.parser import SimpleCommand, parse
from integration_engineer.git_guard.policy import analyse

# Forms bash runs ``git VERB`` for (VERB forbidden), each beside a harmless twin.
REFUSED = [
    "[ -e nope ] && v=echo; $v git push origin main",
    "if [ -e nope ]; then v=echo; fi; ${v:-git} push origin main",
    "a=(git x commit -qam y); unset 'a[1]'; \"${a[@]}\"",
    "git() { :; }; unset -f git; git push origin main",
    "git() { :; }; f() { unset -f git; }; f; git push origin main",
    'git() { [ "$1" = log ] || command git "$@"; }; git commit -qam z',
    'git() { case $1 in commit) command git "$@";; esac; }; git commit -qam x',
    'git() { case $1 in push) :;& log) command git "$@";; esac; }; git push origin main',
    'git() { command git "${@/status/commit}"; }; git status -qam x',
    'set -- a git push origin main; "${@:2}"',
    'set -- git push; bash -c "$*"',
    "v=x-commit; git ${v#*-} -qam y",
    "shopt -s nocasematch; v=status; git ${v/STATUS/commit} -qam y",
    'a=(status commit); git "${a[-1]}" -qam y',
    "v=status; f() { v=commit; }; f; git $v -qam y",
    "f() { [ -e a.txt ] && local v; v=status; }; v=commit; f; git $v -qam y",
    "v=status; (v=commit; git $v -qam y)",
    "tool=git; [ -e nope ] && unset tool; ${tool-echo} push origin main",
    "trap 'git commit -qam t' USR1; sh -c 'kill -USR1 $PPID'; sleep 0.2",
    "trap 'git commit -qam t' RETURN; . /dev/null",
    "trap 'git commit -qam t' ERR; true | false",
    "f() { exit 0; }; (f); git push origin main",
    "[ -e nope ] && read v <<< echo; $v git push origin main",
    "[ -e nope ] && for v in echo; do :; done; $v git push origin main",
    "git() { :; }; export -f git; unset -f git; bash -c 'git push origin main'",
    'f() { case $1 in push) return;; esac; git "$@"; }; f commit -qam y',
]
LET_THROUGH = [
    "git() { :; }; (unset -f git; git status -s); git commit -qam shadowed",
    "unset -f git; git() { :; }; git push origin main",
    "git() { :; }; f() { unset -f git; }; (f); git push origin main",
    'git() { [ "$1" = log ] && command git "$@"; }; git log -1; git commit -qam z',
    'git() { case $1 in commit|push) echo "no $1";; *) command git "$@";; esac; }; git commit -qam x',
    'git() { command git "${@/commit/status}"; }; git commit --short',
    "a=(git commit -qam x); unset 'a[1]'; \"${a[@]}\"",
    'set -- a git status; "${@:2}"',
    'IFS=:; set -- git push; bash -c "$*"',
    "v=git-commit; ${v%-*} status -s",
    'a=(commit status); git "${a[-1]}" -s',
    "v=status; f() { local v=commit; }; f; git $v -s",
    "v=status; (v=commit); git $v -s",
    'v=status; echo commit | read -r v; git "$v" -s',
    "g=git; g=echo; $g push",
    "unset w; ${w-echo} commit",
    "trap 'git commit -qam t' USR1; git status -s",
    "trap 'git commit -qam t' RETURN; f() { :; }; f",
    "trap 'git push' ERR; false || true",
    "f() { exit 0; }; f; git push origin main",
    "f() { g() { git commit -qam x; }; }; g; true",
    "read v <<< echo; $v git push",
    "for v in echo; do :; done; $v git push",
    "git() { :; }; export -f git; (unset -f git); bash -c 'git push'",
    'f() { case $1 in push) return;; esac; git "$@"; }; f push origin main',
    "case a in a) exit 0;; esac; git push origin main",
]


def _bash_runs_git_verb(command: str, tmp_path: Path) -> bool:
    """Run ``command`` with a recording git first on PATH: True when it got a forbidden verb."""
    bin_dir, log = tmp_path / "bin", tmp_path / "git.log"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "git"
    fake.write_text(f'#!/bin/sh\necho "$1" >> {log}\n')
    fake.chmod(0o755)
    (tmp_path / "a.txt").write_text("a\n")
    env = {"PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}", "HOME": str(tmp_path)}
    subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, timeout=20, check=False)
    verbs = log.read_text().split() if log.exists() else []
    return bool({"push", "commit", "add", "merge"} & set(verbs))


@pytest.mark.parametrize("command", REFUSED)
def test_refused_forms_reach_git_in_bash(command: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a\n")
    assert analyse(command, cwd=str(tmp_path)).blocked, command
    assert _bash_runs_git_verb(command, tmp_path), f"bash never gave git a forbidden verb: {command}"


@pytest.mark.parametrize("command", LET_THROUGH)
def test_let_through_forms_never_reach_git_verbs(command: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a\n")
    assert not _bash_runs_git_verb(command, tmp_path), f"bash ran a forbidden verb: {command}"
    assert not analyse(command, cwd=str(tmp_path)).blocked, command


def _argv(text: str, env: Env) -> list[list[str | None]]:
    cmd = parse(text).body.items[0].pipelines[0].commands[0]
    assert isinstance(cmd, SimpleCommand)
    return expand_argv(cmd.words, env)


def test_patterns_match_as_bash_does() -> None:
    env = Env()
    env.vars["v"] = ["git-commit-x"]
    found = _argv('echo "${v%-*}" "${v%%-*}" "${v#*-}" "${v##*-}" "${v//-?/Y}" "${v/#g?/Z}" "${v/%-?/W}"', env)
    assert found == [["echo", "git-commit", "git", "commit-x", "x", "gitYommitY", "Zt-commit-x", "git-commitW"]]


def test_quoted_or_expanded_patterns_are_not_guessed() -> None:
    env = Env()
    env.vars.update({"v": ["a*b"], "p": ["*"]})
    assert _argv('echo "${v/"*"/x}" "${v/$p/x}" ${v/\\*/x}', env) == [["echo", None, None, None]]


def test_list_operators_apply_to_each_element() -> None:
    env = Env()
    env.positional = ["commit", "xstatus"]
    env.assign_array("a", ["x", "git", "log"])
    assert _argv('echo "${@/commit/status}" "${@#x}" "${a[@]:1}" "${a[@]^^}"', env) == [
        ["echo", "status", "xstatus", "commit", "status", "git", "log", "X", "GIT", "LOG"]
    ]


def test_star_joins_with_the_first_ifs_character() -> None:
    env = Env()
    env.positional = ["git", "push"]
    assert _argv('echo "$*"', env) == [["echo", "git push"]]
    env.assign("IFS", [":"])
    assert _argv('echo "$*"', env) == [["echo", "git:push"]]


def test_unset_elements_and_negative_subscripts() -> None:
    env = Env()
    env.assign_array("a", ["git", "x", "commit"])
    env.unset_element("a", "1", surely=True)
    assert _argv('echo "${a[@]}" "${a[-1]}"', env) == [["echo", "git", "commit", "commit"]]
    env.unset_element("a", "0", surely=False)
    assert _argv('echo "${a[@]}"', env) == [["echo", None]]


def test_defaults_of_names_surely_unset() -> None:
    env = Env()
    assert _argv("echo ${t:-echo}", env) == [["echo", None], ["echo", "echo"]]  # maybe in the environment
    env.absent = lambda name: name == "t"
    assert _argv("echo ${t:-echo} ${t:+git} ${t-x}", env) == [["echo", "echo", "x"]]
    assert _argv("echo ${t:=d}; echo $t", env)[0][:2] == ["echo", "d"]
    assert env.vars["t"] == ["d", ""]  # assigned where it ran: maybe unset elsewhere


# Harmless only because the variable is missing from the environment the shell starts with.
ABSENT = [
    "${unset_one:+git} push origin main",
    "${PROG:=echo} commit -qam x",
    ": ${TOOL:=echo}; $TOOL push",
    "${nothere:-git} status -s",
    'echo commit | read -r v; git "${v:-status}" -s',
    "f() { local v=commit; }; f; git ${v:-status} -s",
]


@pytest.mark.parametrize("command", ABSENT)
def test_names_missing_from_the_environment_are_unset(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLAUDE_ENV_FILE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("unset_one", "PROG", "TOOL", "nothere", "v"):
        monkeypatch.delenv(name, raising=False)
    assert not _bash_runs_git_verb(command, tmp_path), command
    assert not analyse(command, cwd=str(tmp_path)).blocked, command
    monkeypatch.setenv("CLAUDE_ENV_FILE", str(tmp_path / "env.sh"))  # a file the Bash tool sources may set them
    assert analyse(command, cwd=str(tmp_path)).blocked or "status" in command, command


def test_an_env_file_or_the_variable_keeps_it_unknown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAUDE_ENV_FILE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("MY_TOOL_X", "git")
    assert analyse("${MY_TOOL_X:-echo} push", cwd=str(tmp_path)).blocked
    monkeypatch.delenv("MY_TOOL_X")
    assert not analyse("${MY_TOOL_X:-echo} push", cwd=str(tmp_path)).blocked
    (tmp_path / ".claude" / "session-env" / "s1").mkdir(parents=True)
    assert analyse("${MY_TOOL_X:-echo} push", cwd=str(tmp_path)).blocked
