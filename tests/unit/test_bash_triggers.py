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

from integration_engineer.bash import triggers as policy_triggers
from integration_engineer.config import SandboxSettings, Settings
from integration_engineer.events import pre_tool_use
from integration_engineer.runtime import payload
from integration_engineer.runtime.outcome import Outcome
from integration_engineer.runtime.payload import HookEvent
from integration_engineer.sandbox import wrap
from tests.helpers import ROOT
from tests.stop_scenario import GUARDED, SESSION, Scenario, build

CASES = ROOT / "tests" / "cases"
STRICT = Settings(test_scope="deny")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    found = build(
        tmp_path_factory.mktemp("triggers"), {"src/app.py": "x = 1\n", "tests/test_app.py": "def test(): pass\n"}
    )
    home = found.root / "home"
    home.mkdir()
    found.env["HOME"] = str(home)
    found.prompt += "\nSCOPE: src/** tests/** *.md"  # the scope policy judges writes too
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
    for key, value in (
        ("@worktree", scenario.worktree),
        ("@project", scenario.project),
        ("@outside", scenario.outside),
        ("@home", scenario.root / "home"),
        ("@root", scenario.root),
    ):
        text = text.replace(key, str(value))
    return text


def _event(scenario: Scenario, command: str) -> HookEvent:
    # Built by the payload reader, as in a hook process (the guard checks the raw payload too).
    return payload.parse(
        {
            "hook_event_name": "PreToolUse",
            "session_id": SESSION,
            "cwd": str(scenario.worktree),
            "transcript_path": str(scenario.transcripts / f"{SESSION}.jsonl"),
            "tool_name": "Bash",
            "tool_input": {"command": command},
            "tool_use_id": "toolu_t",
            "agent_id": scenario.agent_id,
            "agent_type": GUARDED,
        },
        "PreToolUse",
    )


def _both(scenario: Scenario, command: str, config: Settings) -> tuple[Outcome, Outcome]:
    skipping = pre_tool_use.handle(_event(scenario, command), config)
    event = _event(scenario, command)
    # Every policy, then the same sandbox wrapping the hook applies to what they accepted.
    everything = wrap.apply(event, config, pre_tool_use._run(pre_tool_use.POLICIES["Bash"], event, config))
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
EXTRA = [
    "$'\\x72g' TODO",
    "$'p\\x79test'",
    "echo a | $'\\x72g' b",
    "x=1 $'\\x6e'pm test",
    "r\\g x",
    "'r'g x",
    "p\\\nytest",
    "`rg x`",
    "$(pytest)",
    "env $'py'test",
    '$"rg" x',
    "tee $'\\x72'eport.md",
    "echo x >$'o'ut.txt",
    "$'\\x67'it config a b",
    "g\\it checkout .",
]
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


WORDS = [
    "ls",
    "-la",
    "cat",
    "echo",
    "x",
    "file.txt",
    "report.md",
    "out/analysis.json",
    "rm",
    "-rf",
    "cp",
    "mv",
    "tee",
    "touch",
    "sed",
    "-i",
    "git",
    "status",
    "commit",
    "config",
    "core.hooksPath",
    "add",
    "push",
    "rg",
    "grep",
    "-r",
    "find",
    ".",
    "-delete",
    "pytest",
    "npm",
    "test",
    "go",
    "./...",
    "xargs",
    "bash",
    "-c",
    "eval",
    "env",
    "sudo",
    "timeout",
    "5",
    "cd",
    "..",
    "/tmp",
    "~/.claude/settings.json",
    "@worktree/src/a.py",
    "@outside/keep.txt",
    ".git/config",
    "python",
    "-m",
    "vitest",
    "run",
    "jest",
    "mypy",
    "ruff",
    "check",
    "*.py",
    "a?",
    "/bin/rm",
    "'a b'",
    '"q r"',
    "'rg'",
    '"g"it',
    "r'm'",
    "fi",
    "then",
    "if",
    "do",
    "done",
    "{",
    "}",
    "!",
    "time",
    "in",
    "A=1",
    "--",
    "=",
    "%",
    "@",
    "+x",
    ",",
    ":",
]
OPERATORS = [
    " ",
    " ",
    " ",
    "|",
    "||",
    "&&",
    ";",
    "&",
    "\n",
    ">",
    ">>",
    "<",
    "2>&1",
    "<<EOF\nx\nEOF\n",
    "$(",
    ")",
    "`",
    "$X",
    "${X}",
    "(",
    ")",
    "#",
    "\\",
    "'",
    '"',
    "\\\n",
    ";;",
    "|&",
    "<(",
    "$'\\x72m'",
    "$'\\x72g'",
    "$'p\\x79test'",
    '$"rg"',
    "`rg x`",
    "`\\rg`",
    "$(pytest)",
    "{a,b}",
    "npx",
    "uv run",
    "yarn",
]


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.one_of(
            st.sampled_from(WORDS),
            st.sampled_from(OPERATORS),
            st.text(alphabet="ab|&;'\" \n$`\\()<>{}#=-./*rmgitx", max_size=6),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_generated_commands_get_the_same_answer(scenario: Scenario, parts: list[str]) -> None:
    command = _expand(scenario, " ".join(parts) if len(parts) % 2 else "".join(parts))
    for config in (Settings(), STRICT):
        fast, full = _both(scenario, command, config)
        assert fast == full, command


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("ls -la", ()),
        ("cat README.md | wc -l && echo 'ok'", ()),
        ("git status --short", ("git_operations",)),
        ("git -C x config core.hooksPath y", ("git_operations", "isolation", "scope", "report_files", "tamper")),
        ("git checkout .", ("git_operations", "isolation", "scope", "report_files", "tamper")),
        ("rg TODO src", ("exclusions", "test_scope")),
        ("pytest -q", ("git_operations", "exclusions", "test_scope")),  # conftest.py may run git
        ("npm test", ("git_operations", "test_scope")),  # package.json's test script may run git
        ("echo x > out.txt", ("isolation", "scope", "report_files", "tamper")),
        ("ls |", ("isolation", "scope", "report_files", "tamper")),
        ("echo 'unbalanced", ("isolation", "scope", "report_files", "tamper")),
        ("/bin/rm -rf build", ("git_operations", "isolation", "scope", "report_files", "tamper")),  # a file by path
        ("cat ./notes.txt docs/a.md", ()),
        ("echo $HOME", ("git_operations", "isolation", "scope", "report_files", "tamper")),
        ("echo $'\\x72g'", pre_tool_use.POLICIES["Bash"]),
    ],
)
def test_what_each_command_triggers(command: str, expected: tuple[str, ...]) -> None:
    assert policy_triggers.bash_policies(command, pre_tool_use.POLICIES["Bash"]) == expected


def test_plain_words() -> None:
    assert policy_triggers.plain_words("a 'b c'd \"e\" | f&&g; h &\n\ni") == ["a", "b cd", "e", "f", "g", "h", "i"]
    for text in (
        "a |",
        "| a",
        "a ;; b",
        "a && && b",
        "a |& b",
        "a > b",
        "a $b",
        'a "$b"',
        "a 'b",
        "if a",
        "a # c",
        "a\\ b",
        "(a)",
        "a |\nb",
    ):
        assert policy_triggers.plain_words(text) is None, text


def test_the_tables_follow_the_policies() -> None:
    from integration_engineer.bash import parser
    from integration_engineer.isolation import git_writes, program_writes
    from integration_engineer.tool_scope import test_scope, tool_calls

    assert set(tool_calls.NAMES) == set(policy_triggers.SEARCH_TEST_LINT)
    assert set(test_scope.NPM_LIKE) == set(policy_triggers.NPM_LIKE)
    writing_git = git_writes.GIT_WRITING_VERBS | git_writes.GIT_OUTPUT_VERBS
    assert writing_git | {"config"} == policy_triggers.GIT_WRITING_WORDS
    # The shells, eval, xargs, find, git and sg (sg GROUP -c CMD) are followed by the walk itself.
    followed = {"bash", "sh", "dash", "zsh", "ksh", "eval", "xargs", "find", "git", "sg"}
    assert set(program_writes.HANDLERS) | followed == set(policy_triggers.WRITING_WORDS)
    assert parser._CLOSERS | parser._COMPOUND <= policy_triggers.RESERVED
    assert os.sep == "/"


def test_the_scenario_exercises_every_policy(scenario: Scenario) -> None:
    policies: set[str] = set()
    for raw in GOLDEN:
        fast, _ = _both(scenario, _expand(scenario, raw), STRICT)
        policies.update(p for p in fast.policy.split(",") if p)
    assert {"git_operations", "isolation", "scope", "report_files", "tamper", "exclusions", "test_scope"} <= policies
    # With the sandbox off: in bubblewrap /tmp (where pytest keeps the scenario) is the task's own.
    static = Settings(sandbox=SandboxSettings(mode="off"))
    outside = _both(scenario, f"echo x > {scenario.outside}/a.txt", static)[0]
    assert outside.kind == "deny" and "outside the worktree" in outside.reason


@given(st.text(alphabet="ab.*?[]!^-\n", max_size=8), st.text(alphabet="ab.*?[]-\n", max_size=8))
def test_report_globs_match_as_fnmatch(name: str, pattern: str) -> None:
    from fnmatch import fnmatchcase

    from integration_engineer.runtime.globs import glob_match

    assert glob_match(name, pattern) == fnmatchcase(name, pattern)


# -------------------------------------------------------------- single literal git commands

FORBIDDEN = frozenset(Settings().forbidden_git_verbs)
GIT_COMMANDS = [
    "git status --short",
    "git log --oneline -5",
    'git commit -m "wip: webhooks"',
    "git 'commit'",
    "'git' push origin main",
    "git diff HEAD~1 -- src/a.py",
    "git branch --list",
    "git commit -h",
    "git commit --help",
    "git push -h x",
    "  git  show  HEAD  ",
    "git status\t-s",
    "git COMMIT -a",
    "git Status",
    "git -C x status",
    "git -c alias.status=commit status",
    "git --no-pager log",
    "/usr/bin/git status",
    "git status; git commit",
    "git status && rm x",
    "git status | cat",
    "git status &",
    "git status\ngit push",
    "git log *.py",
    "git log a?",
    "git log [ab]",
    "git status > out",
    "git status $X",
    "git status `x`",
    'git status "$(git push)"',
    "git rebase -x 'git commit' main",
    "git config alias.st commit",
    "git submodule foreach x",
    "git bisect run git commit",
    "git subtree push",
    "git fetch --upload-pack=x .",
    "git grep -Ox a",
    "git st",
    "git",
    "git ''",
    "GIT_DIR=x git status",
    "g'it' status",
    "git status # x",
    "git status 'a b' \"c d\"",
    "git stage .",
    "git cherry-pick abc",
    "git am < x.patch",
    "git status\\",
    "time git status",
    "! git status",
    "git status ;",
]


def _fully(command: str, forbidden: frozenset[str]) -> dict[str, object]:
    """git_operations.analyse without the single-command shortcut: the parser answers."""
    from integration_engineer.git_guard import policy as git_operations

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(git_operations, "single_git", lambda _command, _forbidden: None)
        return _analysis(command, forbidden)


def _analysis(command: str, forbidden: frozenset[str]) -> dict[str, object]:
    from integration_engineer.git_guard import policy as git_operations

    found = git_operations.analyse(command, forbidden=forbidden)
    return {"findings": [f.as_dict() for f in found.findings], "fast": found.fast, "notes": found.notes}


@pytest.mark.parametrize(
    "forbidden", [FORBIDDEN, FORBIDDEN | {"status", "log"}, frozenset(), frozenset({"COMMIT", "Push"})]
)
def test_the_git_shortcut_finds_what_the_parser_finds(forbidden: frozenset[str]) -> None:
    for command in GIT_COMMANDS + GOLDEN:
        assert _analysis(command, forbidden) == _fully(command, forbidden), command


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "git",
                    "status",
                    "log",
                    "commit",
                    "push",
                    "-h",
                    "--help",
                    "-C",
                    "x",
                    "'a b'",
                    '"c"',
                    "rebase",
                    "show",
                    "-c",
                    "alias.log=commit",
                    "LOG",
                    "*",
                    "|",
                    ";",
                ]
            ),
            st.text(alphabet="gitsaus-'\" $`\\;|&\n*", max_size=5),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_generated_git_commands_find_the_same(parts: list[str]) -> None:
    command = " ".join(parts)
    assert _analysis(command, FORBIDDEN) == _fully(command, FORBIDDEN), command


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("git status --short", ""),
        ("git log --oneline -5", ""),
        ("  git 'diff'  HEAD ", ""),
        ("git branch --list", ""),
        ('git commit -m "wip: webhooks"', "commit"),
        ("git 'push' origin", "push"),
        ("git cherry-pick abc", "cherry-pick"),
    ],
)
def test_single_git_commands_take_the_shortcut(command: str, expected: str) -> None:
    assert policy_triggers.single_git(command, FORBIDDEN) == expected
    skipped = "git_operations" not in policy_triggers.bash_policies(command, pre_tool_use.POLICIES["Bash"], FORBIDDEN)
    assert skipped == (expected == "")


@pytest.mark.parametrize(
    "command",
    [
        c
        for c in GIT_COMMANDS
        if c
        not in (
            "git status --short",
            "git log --oneline -5",
            'git commit -m "wip: webhooks"',
            "git 'commit'",
            "'git' push origin main",
            "git diff HEAD~1 -- src/a.py",
            "git branch --list",
            "git push -h x",
            "  git  show  HEAD  ",
            "git status\t-s",
            "git status 'a b' \"c d\"",
            "git stage .",
            "git cherry-pick abc",
        )
    ],
)
def test_other_commands_do_not_take_the_shortcut(command: str) -> None:
    assert policy_triggers.single_git(command, FORBIDDEN) is None, command
    assert "git_operations" in policy_triggers.bash_policies(command, pre_tool_use.POLICIES["Bash"], FORBIDDEN)


def test_a_forbidden_read_verb_is_refused() -> None:
    assert policy_triggers.single_git("git status", FORBIDDEN | {"status"}) == "status"
    assert policy_triggers.single_git("git status", frozenset()) == ""


def test_the_shortcut_verbs_are_built_ins_the_analysis_does_not_follow() -> None:
    from integration_engineer.git_guard.known_git import KNOWN_GIT

    assert policy_triggers.READ_GIT_VERBS <= policy_triggers.FAST_GIT_VERBS <= KNOWN_GIT
    assert not policy_triggers.FAST_GIT_VERBS & {"submodule", "bisect", "rebase", "config", "subtree"}
    assert FORBIDDEN - {"rebase"} <= policy_triggers.FAST_GIT_VERBS


def test_git_does_not_let_an_alias_shadow_a_shortcut_verb(tmp_path: Any) -> None:
    """git ignores an alias named like a built-in: `git VERB` never runs alias.VERB (from the
    repository's configuration or from -c)."""
    import subprocess

    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_PAGER": "cat",
        "PAGER": "cat",
    }
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=env)
    marker = tmp_path / "shadowed"
    for verb in sorted(policy_triggers.FAST_GIT_VERBS):
        alias = f"!touch {marker}; :"
        subprocess.run(["git", "config", f"alias.{verb}", alias], cwd=tmp_path, check=True, env=env)
        for argv in (["git", verb], ["git", "-c", f"alias.{verb}={alias}", verb]):
            subprocess.run(
                [*argv, "--definitely-not-an-option"],
                cwd=tmp_path,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=30,
            )
            assert not marker.exists(), verb
