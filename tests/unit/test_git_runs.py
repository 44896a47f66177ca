"""Transports, hooks and the repository's configuration, one rule at a time (the labelled forms,
tests/cases/*/forms/gitsettings__*, hold what real git did; these check the readings they rest on)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from integration_engineer.git_guard import git_hooks, git_transports, repo_config
from integration_engineer.git_guard.policy import analyse
from integration_engineer.repository import repo_commands


def test_transport_of_a_url() -> None:
    assert git_transports.kind("../origin.git") == ("local", "")
    assert git_transports.kind("./h:o") == ("local", "")
    assert git_transports.kind("file:///srv/r") == ("local", "")
    assert git_transports.kind("git@host:r.git") == ("ssh", "")
    assert git_transports.kind("ssh://host/r") == ("ssh", "")
    assert git_transports.kind("https://host/r") == ("http", "")
    assert git_transports.kind("git://host/r") == ("git", "")
    assert git_transports.kind("ext::sh -c x") == ("ext", "")
    assert git_transports.kind("fd::3") == ("fd", "")
    assert git_transports.kind("hg::https://x") == ("helper", "hg")
    assert git_transports.kind("foo://x") == ("helper", "foo")
    assert git_transports.kind(None) == ("", "")


def test_remote_names_and_insteadof() -> None:
    config: dict[str, str | None] = {"remote.origin.url": "../o.git", "url.me@h:.insteadof": "../"}
    assert git_transports.remote_names("fetch", ["-q", "--depth", "1", "up"], False) == ["up"]
    assert git_transports.remote_names("fetch", ["-q"], False) == [""]
    assert git_transports.remote_names("status", [], False) is None
    assert git_transports.remote_names("remote", ["-v"], False) is None
    assert git_transports.remote_names("remote", ["show", "origin"], False) == ["origin"]
    assert git_transports.remote_names("submodule", ["update"], False) is None
    assert git_transports.remote_names("submodule", ["update"], True) == [None]
    assert git_transports.urls([""], config, False) == ["me@h:o.git"]
    assert git_transports.urls(["https://x/y"], config, False) == ["https://x/y"]
    assert git_transports.urls(["origin"], {"?": None}, False) == [None]


def test_ext_urls() -> None:
    assert not git_transports.ext_allowed({}, None)
    assert git_transports.ext_allowed({"protocol.allow": "always"}, None)
    assert not git_transports.ext_allowed({"protocol.allow": "always", "protocol.ext.allow": "never"}, None)
    assert git_transports.ext_allowed({"protocol.ext.allow": "user"}, None)
    assert git_transports.ext_allowed({}, ["file:ext"])
    assert not git_transports.ext_allowed({"protocol.ext.allow": "always"}, ["https"])
    assert git_transports.ext_argv("ext::sh -c git% add% -A", "git-upload-pack") == ["sh", "-c", "git add -A"]
    assert git_transports.ext_argv("ext::%s x%%", "git-upload-pack") == ["git-upload-pack", "x%"]


def test_hooks_of_verbs() -> None:
    assert git_hooks.hooks("branch", ["tmp"]) == ("reference-transaction",)
    assert git_hooks.hooks("branch", []) == ()
    assert git_hooks.hooks("branch", ["--list", "f*"]) == ()
    assert git_hooks.hooks("branch", ["-D", "x"]) == ("reference-transaction",)
    assert git_hooks.hooks("tag", ["v1"]) == ("reference-transaction",)
    assert git_hooks.hooks("tag", ["-l", "v*"]) == ()
    assert git_hooks.hooks("stash", ["list"]) == ()
    assert "post-checkout" in git_hooks.hooks("restore", ["a.txt"])
    assert git_hooks.hooks("status", []) == ("post-index-change",)
    assert git_hooks.hooks("log", ["-1"]) == ()
    assert git_hooks.hooks("symbolic-ref", ["HEAD"]) == ()
    assert git_hooks.hooks("worktree", ["add", "--no-checkout", "../w"]) == (
        "reference-transaction",
        "post-index-change",
    )
    assert git_hooks.hooks("hook", ["run", "pre-commit"]) == ("pre-commit",)


def test_automatic_gc_starts_only_past_its_limits() -> None:
    assert not git_hooks.auto_gc_starts({}, 3, 1)
    assert git_hooks.auto_gc_starts({}, 28, 0)
    assert git_hooks.auto_gc_starts({"gc.auto": "1"}, 2, 0)
    assert not git_hooks.auto_gc_starts({"gc.auto": "0"}, 999, 999)
    assert git_hooks.auto_gc_starts({"gc.autopacklimit": "1"}, 0, 2)
    assert git_hooks.auto_gc_starts({"gc.auto": "many"}, 0, 0)  # not a number: it may


def test_config_keys_and_files() -> None:
    assert repo_config.key("Diff.TC.TextConv") == "diff.TC.textconv"
    assert repo_config.key("Core.HooksPath") == "core.hookspath"
    text = '[core]\n\thooksPath = "h k" ; a comment\n[remote "Up"]\n\turl = ../o.git # c\n[branch.Main]\n\tremote\n'
    assert repo_config.parse(text) == [
        ("core.hookspath", "h k"),
        ("remote.Up.url", "../o.git"),
        ("branch.main.remote", "true"),
    ]
    assert ("?", None) in repo_config.parse("[core\n\tx = 1\n")


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "r"
    subprocess.run(["git", "init", "-q", str(repo)], check=True, capture_output=True)
    return repo


def test_a_plain_read_verb_is_read_fully_when_the_repository_may_run_something(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    assert not repo_commands.may_run(str(repo))
    assert not analyse("git branch tmp", cwd=str(repo)).blocked
    hook = repo / ".git" / "hooks" / "reference-transaction"
    hook.write_text("#!/bin/sh\ngit add -A\n")
    assert repo_commands.may_run(str(repo / "sub"))  # from a directory below the top too
    assert analyse("git branch tmp", cwd=str(repo)).blocked
    assert not analyse("git branch", cwd=str(repo)).blocked
    hook.unlink()
    with (repo / ".git" / "config").open("a") as fh:
        fh.write('[core]\n\tfsmonitor = "git commit -qam x #"\n')
    assert repo_commands.may_run(str(repo))
    assert analyse("git status", cwd=str(repo)).blocked
    assert not analyse("git log -1", cwd=str(repo)).blocked


def test_hooks_and_settings_really_run_as_read(tmp_path: Path) -> None:
    # The effect itself: git runs the hook the analysis refuses for, and the reading lets through
    # the look-alike git runs no hook for.
    repo = _repo(tmp_path)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(
        ["git", "-C", str(repo), "commit", "-q", "--allow-empty", "-m", "c"],
        check=True,
        env={
            **env,
            "GIT_AUTHOR_NAME": "a",
            "GIT_AUTHOR_EMAIL": "a@x",
            "GIT_COMMITTER_NAME": "a",
            "GIT_COMMITTER_EMAIL": "a@x",
        },
    )
    mark = tmp_path / "ran"
    hook = repo / "hk" / "reference-transaction"
    hook.parent.mkdir()
    hook.write_text(f"#!/bin/sh\ntouch {mark}\ngit add -A\n")
    hook.chmod(0o755)
    listing, creating = "git -c core.hooksPath=hk branch --list", "git -c core.hooksPath=hk branch tmp"
    assert not analyse(listing, cwd=str(repo)).blocked
    subprocess.run(["bash", "-c", listing], cwd=repo, env=env, check=True, capture_output=True)
    assert not mark.exists()
    assert analyse(creating, cwd=str(repo)).blocked
    subprocess.run(["bash", "-c", creating], cwd=repo, env=env, check=True, capture_output=True)
    assert mark.exists()
