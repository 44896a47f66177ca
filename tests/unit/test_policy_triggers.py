"""Skipping the Bash policies policy_triggers rules out never changes an answer.

Every command of the golden cases (``tests/cases/**``) and a generated set is decided twice, in
one real scenario (a repository, a linked worktree, an accepted task, the guarded agent bound to
it): with the pre-checks (``pre_tool_use.handle``) and with every Bash policy run. The outcomes
must be equal, field by field, under the default settings and under strict ones.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integration_engineer import policy_triggers
from integration_engineer.config import Settings
from integration_engineer.events import pre_tool_use
from integration_engineer.outcome import Outcome
from integration_engineer.payload import HookEvent
from tests.helpers import ROOT
from tests.stop_scenario import GUARDED, SESSION, Scenario, build

CASES = ROOT / "tests" / "cases"
STRICT = Settings(test_scope="deny")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    found = build(tmp_path_factory.mktemp("triggers"), {"src/app.py": "x = 1\n",
                                                         "tests/test_app.py": "def test(): pass\n"})
    home = found.root / "home"
    home.mkdir()
    found.env["HOME"] = str(home)
    with pytest.MonkeyPatch.context() as patch:
        _environment(patch, found)
        found.accept()
    (found.worktree / "tests").mkdir(exist_ok=True)
    (found.worktree / "tests" / "test_new.py").write_text("def test(): pass\n")
    yield found


def _environment(patch: pytest.MonkeyPatch, scenario: Scenario) -> None:
    for key, value in scenario.env.items():
        patch.setenv(key, value)


@pytest.fixture(autouse=True)
def _scenario_environment(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scenario's data directory and project (conftest gives each test its own)."""
    if "scenario" in request.fixturenames:
        _environment(monkeypatch, request.getfixturevalue("scenario"))


def _expand(scenario: Scenario, text: str) -> str:
    for key, value in (("@worktree", scenario.worktree), ("@project", scenario.project),
                       ("@outside", scenario.outside), ("@home", scenario.root / "home"),
                       ("@root", scenario.root)):
        text = text.replace(key, str(value))
    return text


def _event(scenario: Scenario, command: str) -> HookEvent:
    return HookEvent(event="PreToolUse", session_id=SESSION, cwd=str(scenario.worktree),
                     transcript_path=str(scenario.transcripts / f"{SESSION}.jsonl"),
                     tool_name="Bash", tool_input={"command": command}, tool_use_id="toolu_t",
                     agent_id=scenario.agent_id, agent_type=GUARDED)


def _both(scenario: Scenario, command: str, config: Settings) -> tuple[Outcome, Outcome]:
    skipping = pre_tool_use.handle(_event(scenario, command), config)
    everything = pre_tool_use._run(pre_tool_use.POLICIES["Bash"], _event(scenario, command), config)
    return skipping, everything


def _golden_commands() -> list[str]:
    found: list[str] = []
    for path in sorted(CASES.rglob("*.json")):
        case: Any = json.loads(path.read_text())
        if not isinstance(case, dict):
            continue
        command = case.get("command")
        tool_input = case.get("tool_input")
        if isinstance(tool_input, dict) and case.get("tool_name", "Bash") == "Bash":
            command = tool_input.get("command", command)
        if isinstance(command, str):
            found.append(command)
    return list(dict.fromkeys(found))


# Spellings the generated set rarely reaches: tool words that are not written as such.
EXTRA = ["$'\\x72g' TODO", "$'p\\x79test'", "echo a | $'\\x72g' b", "x=1 $'\\x6e'pm test", "r\\g x",
         "'r'g x", "p\\\nytest", "`rg x`", "$(pytest)", "env $'py'test", "$\"rg\" x",
         "tee $'\\x72'eport.md", "echo x >$'o'ut.txt", "$'\\x67'it config a b", "g\\it checkout ."]
GOLDEN = _golden_commands() + EXTRA


def test_there_are_golden_commands() -> None:
    assert len(GOLDEN) > 400


def test_the_golden_commands_get_the_same_answer(scenario: Scenario) -> None:
    skipped = 0
    for raw in GOLDEN:
        command = _expand(scenario, raw)
        for config in (Settings(), STRICT):
            fast, full = _both(scenario, command, config)
            assert fast == full, command
        skipped += len(policy_triggers.bash_policies(command, pre_tool_use.POLICIES["Bash"])) < 6
    assert skipped > 50, "the pre-checks skip something"


WORDS = ["ls", "-la", "cat", "echo", "x", "file.txt", "report.md", "out/analysis.json", "rm", "-rf",
         "cp", "mv", "tee", "touch", "sed", "-i", "git", "status", "commit", "config", "core.hooksPath",
         "add", "push", "rg", "grep", "-r", "find", ".", "-delete", "pytest", "npm", "test", "go",
         "./...", "xargs", "bash", "-c", "eval", "env", "sudo", "timeout", "5", "cd", "..", "/tmp",
         "~/.claude/settings.json", "@worktree/src/a.py", "@outside/keep.txt", ".git/config",
         "python", "-m", "vitest", "run", "jest", "mypy", "ruff", "check", "*.py", "a?", "/bin/rm",
         "'a b'", '"q r"', "'rg'", '"g"it', "r'm'", "fi", "then", "if", "do", "done", "{", "}",
         "!", "time", "in", "A=1", "--", "=", "%", "@", "+x", ",", ":"]
OPERATORS = [" ", " ", " ", "|", "||", "&&", ";", "&", "\n", ">", ">>", "<", "2>&1", "<<EOF\nx\nEOF\n",
             "$(", ")", "`", "$X", "${X}", "(", ")", "#", "\\", "'", '"', "\\\n", ";;", "|&", "<(",
             "$'\\x72m'", "$'\\x72g'", "$'p\\x79test'", "$\"rg\"", "`rg x`", "`\\rg`", "$(pytest)",
             "{a,b}", "npx", "uv run", "yarn"]


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(OPERATORS),
                          st.text(alphabet="ab|&;'\" \n$`\\()<>{}#=-./*rmgitx", max_size=6)),
                min_size=1, max_size=12))
def test_generated_commands_get_the_same_answer(scenario: Scenario, parts: list[str]) -> None:
    command = _expand(scenario, " ".join(parts) if len(parts) % 2 else "".join(parts))
    for config in (Settings(), STRICT):
        fast, full = _both(scenario, command, config)
        assert fast == full, command


@pytest.mark.parametrize(("command", "expected"), [
    ("ls -la", ()),
    ("cat README.md | wc -l && echo 'ok'", ()),
    ("git status --short", ("git_operations",)),
    ("git -C x config core.hooksPath y", ("git_operations", "isolation", "report_files", "tamper")),
    ("git checkout .", ("git_operations", "isolation", "report_files", "tamper")),
    ("rg TODO src", ("exclusions", "test_scope")),
    ("pytest -q", ("exclusions", "test_scope")),
    ("npm test", ("test_scope",)),
    ("echo x > out.txt", ("isolation", "report_files", "tamper")),
    ("ls |", ("isolation", "report_files", "tamper")),
    ("echo 'unbalanced", ("isolation", "report_files", "tamper")),
    ("/bin/rm -rf build", ("isolation", "report_files", "tamper")),
    ("echo $HOME", ("git_operations", "isolation", "report_files", "tamper")),
    ("echo $'\\x72g'", pre_tool_use.POLICIES["Bash"]),
])
def test_what_each_command_triggers(command: str, expected: tuple[str, ...]) -> None:
    assert policy_triggers.bash_policies(command, pre_tool_use.POLICIES["Bash"]) == expected


def test_plain_words() -> None:
    assert policy_triggers.plain_words("a 'b c'd \"e\" | f&&g; h &\n\ni") == \
        ["a", "b cd", "e", "f", "g", "h", "i"]
    for text in ("a |", "| a", "a ;; b", "a && && b", "a |& b", "a > b", "a $b", 'a "$b"',
                 "a 'b", "if a", "a # c", "a\\ b", "(a)", "a |\nb"):
        assert policy_triggers.plain_words(text) is None, text


def test_the_tables_follow_the_policies() -> None:
    from integration_engineer import bash_writes, tool_calls
    from integration_engineer.policies import test_scope
    from integration_engineer.shell import parser

    assert set(tool_calls.NAMES) == set(policy_triggers.SEARCH_TEST_LINT)
    assert set(test_scope.NPM_LIKE) == set(policy_triggers.NPM_LIKE)
    assert bash_writes.GIT_WRITING_VERBS | {"config"} == policy_triggers.GIT_WRITING_WORDS
    assert set(bash_writes.HANDLERS) | {"bash", "sh", "dash", "zsh", "ksh", "eval", "xargs", "find",
                                        "git"} == set(policy_triggers.WRITING_WORDS)
    assert parser._CLOSERS | parser._COMPOUND <= policy_triggers.RESERVED
    assert os.sep == "/"


def test_the_scenario_exercises_every_policy(scenario: Scenario) -> None:
    policies: set[str] = set()
    for raw in GOLDEN:
        fast, _ = _both(scenario, _expand(scenario, raw), STRICT)
        policies.update(p for p in fast.policy.split(",") if p)
    assert {"git_operations", "isolation", "report_files", "tamper", "exclusions",
            "test_scope"} <= policies
    outside = _both(scenario, f"echo x > {scenario.outside}/a.txt", Settings())[0]
    assert outside.kind == "deny" and "outside the worktree" in outside.reason


@given(st.text(alphabet="ab.*?[]!^-\n", max_size=8), st.text(alphabet="ab.*?[]-\n", max_size=8))
def test_report_globs_match_as_fnmatch(name: str, pattern: str) -> None:
    from fnmatch import fnmatchcase

    from integration_engineer.policies.report_files import glob_match

    assert glob_match(name, pattern) == fnmatchcase(name, pattern)
