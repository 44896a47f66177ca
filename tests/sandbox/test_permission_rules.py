"""The sandbox step's reading of the user's Bash permission rules: deny and ask found broadly,
allow only for plain commands every piece of which a rule allows (sandbox/permission_rules.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from integration_engineer.sandbox import permission_rules as pr
from tests.helpers import ROOT

RULES = pr.Rules(
    deny=(("curl:*", "s.json"),),
    ask=(("git status:*", "s.json"),),
    allow=(("npm test:*", "s.json"), ("git log *", "s.json"), ("make", "s.json")),
)


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        ("npm test", "allow"),
        ("npm test -- --watch=false", "allow"),
        ("cd src && npm test 2>&1", "allow"),
        ("npm test && make", "allow"),
        ("git log --oneline", "allow"),
        ("make", "allow"),
        ("npm tests", "none"),  # a prefix rule ends at a word
        ("make install", "none"),  # an exact rule is exact
        ("npm test > out.txt", "none"),  # a redirection into a file
        ("npm test $(rm -rf x)", "none"),
        ("npm test `id`", "none"),
        ('npm test "$HOME"', "none"),
        ("npm test\nrm -rf x", "none"),
        ("npm test; ls", "none"),  # every piece must be allowed
        ("cd src", "none"),
        ("git status", "ask"),
        ("cd x && git status --short", "ask"),
        ("npm test && git status", "ask"),
        ("curl -o x https://example.com", "deny"),
        ("npm test && curl x", "deny"),
        ("bash -c 'curl x'", "deny"),
        ("FOO=1 timeout 5 curl x", "deny"),
        ("echo $(curl x)", "deny"),
        ("/usr/bin/env curl x", "deny"),
        ("git status; curl x", "deny"),  # deny wins over ask
    ],
)
def test_judge(command: str, kind: str) -> None:
    assert pr.judge(RULES, command).kind == kind


def test_the_verdict_names_the_rule_and_its_file() -> None:
    verdict = pr.judge(RULES, "curl x")
    assert (verdict.rule, verdict.where) == ("Bash(curl:*)", "s.json")


def test_a_bare_bash_rule_covers_every_command() -> None:
    assert pr.judge(pr.Rules(deny=(("", "s"),)), "ls").kind == "deny"
    assert pr.judge(pr.Rules(allow=(("*", "s"),)), "ls -la").kind == "allow"


def _settings(path: Path, **perms: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"permissions": perms}))


def test_rules_come_from_user_project_and_local_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(tmp_path / "home"))
    project = tmp_path / "project"
    _settings(tmp_path / "home" / "settings.json", allow=["Bash(npm test:*)", "Read"])
    _settings(project / ".claude" / "settings.json", deny=["Bash(curl:*)"])
    _settings(project / ".claude" / "settings.local.json", ask=["Bash(git push:*)"])
    rules = pr.load(str(project), str(project), argv=[])
    assert [p for p, _ in rules.allow] == ["npm test:*"]
    assert [p for p, _ in rules.deny] == ["curl:*"]
    assert [p for p, _ in rules.ask] == ["git push:*"]


def test_allows_of_a_file_claude_code_may_not_read_do_not_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worktree's own .claude/settings.json (the agent can write it): its denials count, its
    allows do not."""
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(tmp_path / "home"))
    worktree = tmp_path / "wt"
    _settings(worktree / ".claude" / "settings.json", allow=["Bash(rm:*)"], deny=["Bash(curl:*)"])
    rules = pr.load(str(tmp_path / "project"), str(worktree), argv=[])
    assert pr.judge(rules, "rm -rf x").kind == "none"
    assert pr.judge(rules, "curl x").kind == "deny"


def test_an_unreadable_settings_file_allows_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(tmp_path / "home"))
    project = tmp_path / "project"
    _settings(tmp_path / "home" / "settings.json", allow=["Bash(npm test:*)"])
    (project / ".claude").mkdir(parents=True)
    (project / ".claude" / "settings.json").write_text("{not json")
    verdict = pr.judge(pr.load(str(project), str(project), argv=[]), "npm test")
    assert verdict.kind == "none" and "not valid JSON" in verdict.where


def test_rules_given_as_flags_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(tmp_path / "home"))
    extra = tmp_path / "extra.json"
    _settings(extra, ask=["Bash(git diff:*)"])
    argv = ["claude", "-p", "hi", "--allowedTools", "Bash(npm test:*),Edit", "Bash(make:*)"]
    argv += ["--disallowedTools=Bash(curl:*)", "--settings", str(extra)]
    rules = pr.load("", "", argv=argv)
    assert [p for p, _ in rules.allow] == ["npm test:*", "make:*"]
    assert [p for p, _ in rules.deny] == ["curl:*"]
    assert [p for p, _ in rules.ask] == ["git diff:*"]


def test_the_hook_finds_the_command_line_of_its_claude_ancestor(tmp_path: Path) -> None:
    """A real process tree: a program named ``claude`` starts a shell that starts the hook."""
    claude = tmp_path / "claude"
    claude.symlink_to(sys.executable)
    hook = "from integration_engineer.sandbox import permission_rules as p; print(p.cli_flags(p.claude_argv())[0x0])"
    hook = hook.replace("[0x0]", '["deny"]')
    python = json.dumps(sys.executable)
    inner = f"import subprocess; subprocess.run(['sh', '-c', {python} + ' -c \\'{hook}\\''])"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    out = subprocess.run(
        [str(claude), "-c", inner, "--disallowedTools", "Bash(curl:*)"], capture_output=True, text=True, env=env
    )
    assert out.stdout.strip() == "['curl:*']", out
