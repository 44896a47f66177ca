"""The wrapper table's programs not installed where forms are labelled (bash.runners, the GNU
tools' Homebrew names, text filters feeding shells): how the reading decides them, fail-closed."""

from __future__ import annotations

from pathlib import Path

import pytest

from integration_engineer.bash import text_filters
from integration_engineer.bash.resolve import unwrap
from integration_engineer.git_guard.policy import analyse


@pytest.mark.parametrize(
    "command",
    [
        "gtimeout 5 git commit -qam x",
        "genv -u HOME git commit -qam x",
        "gstdbuf -oL git push",
        "gosu app git commit -qam g",
        "chpst -u app git add -A",
        "aa-exec -p prof -- git commit -qam a",
        "podman unshare git commit -qam p",
        "hyperfine --runs 1 'git commit -qam h'",
        "mise exec -- git push -q origin main",
        "bundle exec git commit -qam b",
        "op run --env-file=.env -- git push",
        "aws-vault exec prod --duration=1h -- git push",
        "sandbox-exec -f p.sb git commit -qam s",
        "nix develop -c git commit -qam n",
        "xterm -e git commit -qam x",
        "systemd-inhibit --why=build git commit -qam s",
        "ip netns exec ns1 git push",
        "cross-env NODE_ENV=test git commit -qam c",
        "concurrently 'npm:watch' 'git push'",
    ],
)
def test_runner_running_a_forbidden_verb_is_refused(command: str, tmp_path: Path) -> None:
    assert analyse(command, cwd=str(tmp_path)).blocked


@pytest.mark.parametrize(
    "command",
    [
        "gtimeout 5 git status -s",
        "gosu app git log -1",
        "hyperfine --runs 1 'git status'",
        "bundle exec rspec",
        "bundle install",
        "pyenv versions",
        "pyenv exec python -V",
        "op run -- env",
        "sandbox-exec -f p.sb git status -s",
        "ip addr show",
        "perf report",
        "arch",
        "concurrently 'npm:watch' 'git status'",
    ],
)
def test_runner_running_harmless_commands_is_allowed(command: str, tmp_path: Path) -> None:
    assert not analyse(command, cwd=str(tmp_path)).blocked


def test_runner_words_each_may_start_the_command() -> None:
    step = unwrap(["perf", "stat", "-e", "cycles", "git", "status"])
    assert step is not None and step.kind == "argvs"
    assert ["git", "status"] in (step.argvs or [])
    assert ["cycles", "git", "status"] in (step.argvs or [])


def test_filters_known_output() -> None:
    lines = "git\nstatus\n"
    assert text_filters.paste(["-sd", " "], lambda _: lines, lambda t: t) == "git status\n"
    assert text_filters.paste(["-d", "\\0"], lambda _: lines, lambda t: t) is None
    assert text_filters.cut(["-d,", "-f2-"], lambda _: "a,b,c\nx\n") == "b,c\nx\n"
    assert text_filters.cut(["-c3-"], lambda _: "x git log\n") == "git log\n"
    doc = '{"a": {"b": ["s", 1]}, "f": 1.5}'
    assert text_filters.jq(["-r", ".a.b[0]"], lambda _: doc) == "s\n"
    assert text_filters.jq([".a.b"], lambda _: doc) == '[\n  "s",\n  1\n]\n'
    assert text_filters.jq(["-c", ".a"], lambda _: doc) == '{"b":["s",1]}\n'
    assert text_filters.jq([".f"], lambda _: doc) is None  # jq may print a float otherwise
    assert text_filters.jq(["..", "-r"], lambda _: doc) is None
    assert text_filters.jq(["--arg", "x", "y", ".a"], lambda _: doc) is None


@pytest.mark.parametrize(
    ("command", "written"),
    [
        ("strace -qo /dev/null cp a b", ["/p/b"]),  # -o ends the cluster: its value is the next word
        ("strace -fo/dev/null cp a b", ["/p/b"]),
        ("env -iu X cp a b", ["/p/b"]),
        ("env --chdir=/x cp a b", ["/x/b"]),
        ("nice --version cp a b", []),  # prints its version, runs nothing
        ("nohup --help cp a b", []),
        ("timeout -k1 5 cp a b", ["/p/b"]),
    ],
)
def test_write_guard_reads_wrappers_as_the_git_guard_does(command: str, written: list[str]) -> None:
    from integration_engineer.isolation.bash_writes import targets

    assert [t.path for t in targets(command, "/p") if t.op == "cp destination"] == written
