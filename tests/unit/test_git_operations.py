"""The git-operation guard as a policy: outcomes, messages, configuration, repository aliases."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integration_engineer.config import Settings
from integration_engineer.git_guard import policy as git_operations
from integration_engineer.git_guard.policy import analyse, check, could_involve_git
from integration_engineer.runtime.outcome import Outcome
from integration_engineer.runtime.payload import HookEvent
from tests.helpers import ROOT, git, make_repo

GUARDED = "integration-engineer:integration-engineer"


def event(command: object, cwd: str = "/tmp") -> HookEvent:
    return HookEvent(event="PreToolUse", tool_name="Bash", agent_type=GUARDED, cwd=cwd, tool_input={"command": command})


def test_deny_names_the_operation_and_the_route() -> None:
    outcome = check(event("bash -c 'git push origin main'"), Settings())
    assert outcome.kind == "deny" and outcome.policy == "git_operations"
    assert "git push, reached through bash -c" in outcome.reason
    assert "orchestrator" in outcome.reason and "JSON answer" in outcome.reason


def test_allowed_command_has_no_opinion(tmp_path: Path) -> None:
    # A directory of its own: pytest run in /tmp would collect whatever conftest.py lies below it.
    assert check(event("git status && pytest -q", cwd=str(tmp_path)), Settings()).kind == "pass"


def test_unresolved_program_is_refused_with_the_reason() -> None:
    outcome = check(event("$(ls /usr/bin/gi*) push"), Settings())
    assert outcome.kind == "deny"
    assert "not known statically" in outcome.reason


def test_forbidden_verbs_come_from_settings() -> None:
    only_push = Settings(forbidden_git_verbs=("push",))
    assert check(event("git commit -m x"), only_push).kind == "pass"
    assert check(event("git push"), only_push).kind == "deny"
    with_reset = Settings(forbidden_git_verbs=("reset",))
    assert check(event("git -C . reset --hard"), with_reset).kind == "deny"


def test_non_string_command_is_a_payload_error() -> None:
    from integration_engineer.runtime.payload import PayloadError

    with pytest.raises(PayloadError):
        check(event(["git", "push"]), Settings())


def test_fast_path_skips_the_parser_for_plain_commands() -> None:
    assert analyse("ls -la tests/unit").fast
    assert not analyse("ls -la; git status").fast
    assert not analyse("pytest -q tests/unit").fast  # its conftest.py files run first: they are read
    for sneaky in (
        "g''it push",
        "$X push",
        "echo hsup tig | rev | sh",
        "/usr/bin/gi? push",
        "{g,}it push",
        "python3 -c 'x'",
        "echo x > s; ./s",
        "g\\it push",
    ):
        assert could_involve_git(sneaky), sneaky


def test_repository_alias_is_read_only_for_unknown_verbs(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    git(repo, "config", "alias.ship", "push origin HEAD")
    git(repo, "config", "alias.sync", "!git pull --rebase")
    git(repo, "config", "alias.st", "status")
    found = analyse("git ship", cwd=str(repo))
    assert [f.describe() for f in found.findings] == [
        "git push, reached through git alias ship (repository configuration)"
    ]
    assert analyse("git sync", cwd=str(repo)).blocked
    assert not analyse("git st", cwd=str(repo)).blocked
    assert not analyse("git lfs ls-files", cwd=str(repo)).blocked
    assert analyse("git -C sub ship", cwd=str(tmp_path)).blocked is False  # no such repo
    assert analyse("git -C repo ship", cwd=str(tmp_path)).blocked


def test_alias_cannot_shadow_a_builtin(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    git(repo, "config", "alias.status", "push")
    assert not analyse("git status", cwd=str(repo)).blocked


def test_a_builtin_spelled_in_capitals_runs_the_alias(tmp_path: Path) -> None:
    # git matches built-ins case-sensitively but aliases case-insensitively: `git STATUS` runs
    # alias.status when one is set (checked with git itself below), so it is judged as that alias.
    repo = make_repo(tmp_path / "repo")
    git(repo, "config", "alias.status", "!git commit --allow-empty -q -m via-alias")
    git(repo, "config", "alias.submodule", "!git push")
    before = git(repo, "rev-list", "--count", "HEAD")
    subprocess.run(["git", "-C", str(repo), "STATUS"], capture_output=True, check=True)
    assert git(repo, "rev-list", "--count", "HEAD") != before, "git ran the alias"
    for command, verb in (("git STATUS", "commit"), ("git Submodule foreach true", "push")):
        result = analyse(command, cwd=str(repo))
        assert result.blocked, command
        assert any(f.describe().startswith(f"git {verb}, reached through git alias") for f in result.findings)
    assert not analyse("git status", cwd=str(repo)).blocked
    assert not analyse("git LOG", cwd=str(repo)).blocked


def test_check_command_cli_prints_decision_and_reasoning(tmp_path: Path) -> None:
    cli = [sys.executable, "-m", "integration_engineer.cli", "check-command"]
    denied = subprocess.run(
        [*cli, "nohup git -c alias.ci=commit ci -m x", "--cwd", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert denied.returncode == 1, denied.stderr
    assert "decision: deny" in denied.stdout
    assert "git commit, reached through nohup -> git alias ci" in denied.stdout
    orchestrator = subprocess.run(
        [*cli, "git commit -m x", "--agent-type", "", "--cwd", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert orchestrator.returncode == 0 and "not guarded" in orchestrator.stdout
    allowed = subprocess.run(
        [*cli, "--json", "--cwd", str(tmp_path), "git log --grep=rebase"], capture_output=True, text=True, check=False
    )
    assert allowed.returncode == 0 and '"decision": "allow"' in allowed.stdout


def test_hot_path_module_imports_only_the_standard_library() -> None:
    probe = (
        "import sys; before = set(sys.modules); sys.path.insert(0, sys.argv[1]);"
        "from integration_engineer.git_guard.policy import analyse;"
        "analyse(\"bash -c 'git -c alias.x=commit x'; python3 -c 'import os'\");"
        "new = {m.split('.')[0] for m in set(sys.modules) - before};"
        "print(sorted(n for n in new if n not in sys.stdlib_module_names"
        " and n != 'integration_engineer'))"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", probe, str(ROOT / "scripts")], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_check_always_answers_validly(command: str) -> None:
    outcome = check(event(command), Settings())
    assert isinstance(outcome, Outcome) and outcome.kind in ("pass", "deny")
    assert outcome.kind == "pass" or outcome.reason


_SHELLISH = st.lists(
    st.sampled_from(
        [
            "git",
            "push",
            "commit",
            "status",
            " ",
            "'",
            '"',
            "\\",
            "$",
            "(",
            ")",
            "{",
            "}",
            "|",
            ";",
            "&&",
            "<<",
            "EOF",
            "\n",
            "`",
            "$(",
            "${",
            ":-",
            "bash -c",
            "eval",
            "xargs",
            "-c",
            "=",
            "#",
            "[[",
            "]]",
            "((",
            "))",
            "if",
            "then",
            "fi",
            "for",
            "do",
            "done",
            "case",
            "esac",
            "*",
            "?",
        ]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_SHELLISH)
def test_check_never_raises_on_shell_like_text(command: str) -> None:
    outcome = check(event(command), Settings())
    assert outcome.kind in ("pass", "deny")


def test_git_words_in_fuzzed_text_fail_closed() -> None:
    # A git push the parser cannot read is still refused.
    assert git_operations.analyse("git push $(").blocked


def test_registered_hook_denies_the_agent_and_lets_the_orchestrator_commit(tmp_path: Path) -> None:
    from tests.helpers import run_hook

    base = {
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "cwd": str(tmp_path),
        "session_id": "s",
        "tool_input": {"command": "sh -c 'git commit -am wip'"},
    }
    agent = run_hook(
        "PreToolUse", {**base, "agent_type": GUARDED, "agent_id": "a"}, tool="Bash", env={"IE_NO_LOG": "1"}
    )
    assert agent.decision == "deny"
    assert "git commit, reached through sh -c" in agent.reason
    orchestrator = run_hook("PreToolUse", base, tool="Bash", env={"IE_NO_LOG": "1"})
    assert orchestrator.decision == "pass"


@pytest.mark.parametrize(
    "command",
    ["bash ''", "sh '' publish", "bash -- ''", "make -C", "npm --prefix", "gh -R", "yarn ''", "xargs -a", "source ''"],
)
def test_odd_arguments_are_analysed_without_an_error(command: str) -> None:
    # Found by random commands over the script readers: `bash ''` used to raise in the resolver
    # (a refusal "internal error in the guard" for a command that runs nothing forbidden).
    result = analyse(command, cwd="/tmp")
    assert not result.blocked, (command, result)
