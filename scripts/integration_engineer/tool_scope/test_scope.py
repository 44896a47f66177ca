"""Test scope: the agent runs the tests of its change, not the whole suite.

A full-suite run (``pytest``, ``jest``/``npx jest``, ``vitest run`` with no path and no name
filter, ``npm test`` / ``yarn test`` / ``pnpm test`` with no path, ``go test ./...`` without
``-run``) gets a reminder naming the test files changed in the worktree (``"remind"``, the
default), is refused (``"deny"``), or is left alone (``"off"``). Standard library only; git runs
only when a full-suite run was seen.
"""

from __future__ import annotations

import os

from integration_engineer.bash import commands
from integration_engineer.bash.parser import ShellSyntaxError, Word
from integration_engineer.config import Settings
from integration_engineer.runtime.outcome import PASS, Outcome, deny
from integration_engineer.runtime.payload import HookEvent, input_str
from integration_engineer.task import acting as acting_task
from integration_engineer.task import context as task_context
from integration_engineer.tool_scope.tool_calls import identify

NAME = "test_scope"
TEST_FILE = (
    r"(^|/)(test_[^/]*\.py|[^/]*_test\.py|[^/]*\.(test|spec)\.[cm]?[jt]sx?|[^/]*_test\.go"
    r"|[^/]*Test\.php|[^/]*_spec\.rb|conftest\.py)$|(^|/)(tests?|__tests__|spec)/"
)  # compiled when needed: importing re costs ~7 ms on the hot path
NARROWING = {
    "pytest": ("-k", "--lf", "--last-failed", "--sw", "--stepwise", "--deselect", "--pyargs"),
    "jest": (
        "-t",
        "--testNamePattern",
        "--findRelatedTests",
        "-o",
        "--onlyChanged",
        "--changedSince",
        "--lastCommit",
        "--testPathPattern",
        "--testPathPatterns",
        "--selectProjects",
        "--shard",
    ),
    "vitest": ("-t", "--testNamePattern", "--changed", "--related", "--shard", "--project"),
}
VALUE_OPTIONS = {
    "pytest": frozenset(
        {
            "-k",
            "-m",
            "-p",
            "-c",
            "-o",
            "-n",
            "-W",
            "-r",
            "--maxfail",
            "--tb",
            "--rootdir",
            "--ignore",
            "--ignore-glob",
            "--deselect",
            "--durations",
            "--basetemp",
            "--confcutdir",
            "--cov-report",
            "--cov-config",
            "--junitxml",
            "--junit-xml",
            "--log-level",
            "--log-file",
            "--timeout",
            "--capture",
            "--import-mode",
            "--override-ini",
            "--color",
            "--count",
            "--reruns",
            "--dist",
            "--numprocesses",
            "--html",
            "--randomly-seed",
            "--log-cli-level",
            "--log-format",
        }
    ),
    "jest": frozenset(
        {
            "-t",
            "-c",
            "--config",
            "-w",
            "--maxWorkers",
            "--reporters",
            "--coverageReporters",
            "--testTimeout",
            "--outputFile",
            "--rootDir",
            "--roots",
            "--testMatch",
            "--testRegex",
            "--env",
            "--testEnvironment",
            "--testNamePattern",
            "--testPathIgnorePatterns",
            "--coverageDirectory",
        }
    ),
    "vitest": frozenset(
        {
            "-t",
            "-c",
            "--config",
            "-r",
            "--root",
            "--reporter",
            "--exclude",
            "--dir",
            "--environment",
            "--pool",
            "--outputFile",
            "--testNamePattern",
            "--maxWorkers",
            "--minWorkers",
            "--testTimeout",
        }
    ),
}
NPM_LIKE = frozenset({"npm", "yarn", "pnpm", "bun"})


def check(event: HookEvent, settings: Settings) -> Outcome:
    if event.tool_name != "Bash" or settings.test_scope == "off":
        return PASS
    runs = full_suite_runs(input_str(event, "command"))
    if not runs:
        return PASS
    task = acting_task.task_for(event, settings)
    changed = changed_tests(acting_task.worktree_of(task)) if task else []
    message = _message(runs, changed, settings.test_scope == "deny")
    if settings.test_scope == "deny":
        return deny(NAME, message, runs=runs)
    return Outcome(kind="pass", policy=NAME, context=message)


def full_suite_runs(source: str) -> list[str]:
    """The full-suite test runs in ``source``, as written."""
    try:
        script = commands.parsed(source)
    except ShellSyntaxError:
        return []
    runs = []
    for found in commands.simple_commands(script):
        words = found.words
        call = identify(found.command)
        if call is not None and _is_full(call.tool, call.args):
            runs.append(" ".join(w.raw for w in call.words))
        elif call is None and words and _npm_full(words):
            runs.append(" ".join(w.raw for w in words))
    return runs


def _is_full(tool: str, args: list[Word]) -> bool:
    if tool == "go":
        values = [w.value for w in args]
        return (
            bool(values)
            and values[0] == "test"
            and "./..." in values
            and not any(v is not None and v.startswith("-run") for v in values)
        )
    if tool == "vitest":
        if args and args[0].value in ("run", "watch", "dev"):
            args = args[1:]
        elif args and args[0].value and not args[0].value.startswith("-"):
            return False  # a filter or another subcommand
    if tool not in VALUE_OPTIONS or any(w.value is None for w in args):
        return False
    # An unknown option followed by a word counts that word as an operand (a possible path):
    # when unsure, this is not a full-suite run.
    operands, options = commands.split_options(args, VALUE_OPTIONS[tool])
    return not operands and not any(name in options for name in NARROWING[tool])


def _npm_full(words: list[Word]) -> bool:
    program = commands.name(words[0])
    if program not in NPM_LIKE:
        return False
    values = [w.value for w in words[1:]]
    if any(v is None for v in values):
        return False
    rest: list[str | None]
    if values[:1] in (["test"], ["t"]) and (program != "bun"):
        rest = values[1:]
    elif values[:2] in (["run", "test"], ["run-script", "test"]):
        rest = values[2:]
    else:
        return False
    return not any(v is not None and v != "--" and not v.startswith("-") for v in rest)


def changed_tests(worktree: str) -> list[str]:
    """Test files changed (or new) in the worktree, relative to it."""
    changed = task_context.changed_paths(worktree)
    return sorted(
        p for p, exists in changed.items() if exists and _is_test_file(p) and os.path.isfile(os.path.join(worktree, p))
    )


def _message(runs: list[str], changed: list[str], refused: bool) -> str:
    head = (
        f"integration-engineer: {'refused: ' if refused else ''}`{runs[0]}` runs the whole "
        "test suite. Run only the tests of your change; the test-runner agent runs the full "
        "suite after you."
    )
    if changed:
        shown = ", ".join(changed[:20]) + (" ..." if len(changed) > 20 else "")
        return f"{head} Test files changed in the worktree: {shown}. Run them by path."
    return (
        f"{head} No test file is changed in the worktree yet: write the tests of your change,"
        " then run them by path (or filter by name: pytest -k, jest -t)."
    )


def _is_test_file(path: str) -> bool:
    import re

    return re.search(TEST_FILE, path) is not None
