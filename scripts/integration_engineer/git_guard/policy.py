"""The guarded agent may not add, commit, push, merge or rebase, however the command is spelled.

``analyse(command, cwd=..., forbidden=...)`` parses the command with our own bash parser and
follows what would run: wrappers, shells and ``eval``, xargs/find/parallel, functions and
aliases, git's global options, its aliases and runners, scripts written and run in the same
command, interpreter one-liners. Where the program or the git subcommand cannot be known and
git may be involved, the answer is a refusal (fail closed). ``could_involve_git`` is the cheap
first look that lets commands with no possible git in them through without parsing.
"""

from __future__ import annotations

from integration_engineer.bash.triggers import could_involve_git, git_like, single_git
from integration_engineer.config import Settings
from integration_engineer.git_guard.findings import GitFinding, GitFindings
from integration_engineer.repository import repo_commands
from integration_engineer.runtime.outcome import PASS, Outcome, deny
from integration_engineer.runtime.payload import HookEvent, input_str

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["GitFinding", "GitFindings", "analyse", "check", "could_involve_git", "git_like", "reason"]

POLICY = "git_operations"
DEFAULT_FORBIDDEN = frozenset(Settings().forbidden_git_verbs)


def analyse(
    command: str,
    *,
    cwd: str = "",
    forbidden: frozenset[str] = DEFAULT_FORBIDDEN,
    may_keep: Callable[[], bool] | None = None,
) -> GitFindings:
    """Every forbidden git operation (or unknowable program) the command could run. ``may_keep``:
    whether the full analysis may be kept in (and taken from) the script cache (``script_cache``)."""
    if not could_involve_git(command):
        return GitFindings([], True, ["nothing in the command can spell or run git"])
    lowered = frozenset(v.lower() for v in forbidden)
    single = single_git(command, lowered)
    if single == "" and repo_commands.may_run(cwd):
        single = None  # the repository's hooks or settings may run something: read them
    if single is not None:  # one literal `git VERB ...`: what the analysis below would find
        found = [GitFinding(kind="forbidden", verb=single, route=(), detail="")] if single else []
        return GitFindings(found, False, [])
    if may_keep is not None and may_keep():
        from integration_engineer.git_guard import script_cache

        return script_cache.cached(command, cwd, lowered, lambda: _analysed(command, cwd, lowered))[0]
    return _analysed(command, cwd, lowered)


def _analysed(command: str, cwd: str, lowered: frozenset[str]) -> GitFindings:
    from integration_engineer.git_guard.analysis import Analyzer

    analyzer = Analyzer(cwd, lowered)
    try:
        analyzer.source(command, ())
    except RecursionError:
        # Nesting deeper than Python's stack: refuse when git could be in it.
        if git_like(command) or analyzer.findings:
            analyzer.flag("unparsable", None, (), "the command is nested too deeply to analyse")
    return GitFindings(analyzer.findings, False, analyzer.notes)


def check(event: HookEvent, settings: Settings) -> Outcome:
    command = input_str(event, "command")
    findings = analyse(
        command,
        cwd=event.cwd,
        forbidden=frozenset(settings.forbidden_git_verbs),
        may_keep=lambda: script_cache_trusted(event, settings),
    )
    if not findings.blocked:
        return PASS
    return deny(POLICY, reason(findings), findings=[f.as_dict() for f in findings.findings])


def script_cache_trusted(event: HookEvent, settings: Settings) -> bool:
    from integration_engineer.git_guard import script_cache

    return script_cache.trusted(event, settings)


def reason(findings: GitFindings) -> str:
    """The deny message: what was found, and what to do instead."""
    seen = list(dict.fromkeys(f.describe() for f in findings.findings))
    forbidden = [f for f in findings.findings if f.kind == "forbidden"]
    if forbidden:
        verbs = ", ".join(dict.fromkeys(f"git {f.verb}" for f in forbidden))
        head = (
            "Refused: " + "; ".join(seen[:5]) + f". This agent may not run "
            f"{verbs} (nor add, commit, push, merge or rebase in any other spelling)."
        )
    else:
        head = (
            "Refused: " + "; ".join(seen[:5]) + ". A forbidden git operation (add, commit, "
            "push, merge, rebase, ...) cannot be ruled out. Write the command with a literal "
            "program name and git subcommand if it is not one of those."
        )
    return head + (
        " Do not retry it in another form: leave the changes in the worktree, finish, "
        "and report them in your JSON answer; the orchestrator's branch manager "
        "commits after the quality gates pass."
    )
