"""The end of a run: clean up, read the answer, check it against the contract and git, decide.

Used by SubagentStop (the agent as a subagent) and Stop (the agent as the main thread). Any problem
sends the answer back (``block``) with every problem and the expected shape, so one retry can fix
them all. After ``max_output_retries`` blocks in a row the agent is let go, the user is told, and
the failure is kept for the orchestrator's hand-off. Every checked result is stored (``results``).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from integration_engineer.answer import answer_text, quick_contract
from integration_engineer.answer.finding import Finding
from integration_engineer.config import Settings
from integration_engineer.finish import claims, cleanup, results, transcript_tail
from integration_engineer.repository.git_runner import GitCall
from integration_engineer.runtime.outcome import Outcome
from integration_engineer.runtime.payload import HookEvent
from integration_engineer.runtime.record import replace
from integration_engineer.runtime.state_files import StateFileError
from integration_engineer.task import context as task_context
from integration_engineer.task.context import Task

POLICY = "output-check"
MAX_ANSWER_CHARS = 8 * 1024 * 1024
PREFIX = "integration-engineer"


@dataclass
class Checked:
    """Everything one stop found; becomes the stored record."""

    answer: dict[str, Any] | None = None
    problems: list[dict[str, Any]] = field(default_factory=list)
    changed: dict[str, str] = field(default_factory=dict)
    cleanup: dict[str, Any] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def review(event: HookEvent, settings: Settings, task: Task | None, transcript: str) -> Outcome:
    """Check the final answer of the guarded agent and decide whether it may stop."""
    names = results.keys(task.tool_use_id if task else "", event.agent_id)
    with results.locked(event.session_id, names[0]):
        return _review(event, settings, task, transcript, names)


def _review(event: HookEvent, settings: Settings, task: Task | None, transcript: str, names: list[str]) -> Outcome:
    unstored = ""
    try:
        previous = results.load(event.session_id, names[0]) or {}
    except (OSError, StateFileError) as exc:
        previous, unstored = {}, f"the previous record could not be read ({exc})"
    checked = inspect(event, settings, task, transcript)
    in_row = previous.get("blocks_in_row", 0) if event.stop_hook_active else 0
    in_row = in_row if isinstance(in_row, int) else 0
    attempts = previous.get("attempts", 0)
    attempts = (attempts if isinstance(attempts, int) else 0) + 1
    if not checked.problems:
        status, outcome = "accepted", Outcome(kind="pass", policy=POLICY, system_message=_warnings(checked))
    elif in_row >= settings.max_output_retries:
        status, outcome = "failed", _release(checked, in_row)
    else:
        in_row += 1
        status = "blocked"
        outcome = Outcome(
            kind="block", policy=POLICY, reason=block_reason(checked, task, in_row, settings.max_output_retries)
        )
    record = _record(event, task, checked, status, in_row if status == "blocked" else 0, attempts)
    try:
        results.save(event.session_id, names, record)
    except (OSError, StateFileError) as exc:
        unstored = "; ".join(m for m in (unstored, f"the record could not be stored ({exc})") if m)
    if task is not None and status != "blocked":
        try:
            task_context.mark_finished(task.session_id, task.key)  # its worktree is no longer held
        except (OSError, StateFileError) as exc:
            unstored = "; ".join(m for m in (unstored, f"the finished marker could not be stored ({exc})") if m)
    if unstored:  # the check above still decided: a bad answer stays blocked
        note = f"{PREFIX}: {unstored}; re-prompts are counted from what could be read."
        outcome = replace(outcome, system_message="\n".join(m for m in (outcome.system_message, note) if m))
    return outcome


def inspect(event: HookEvent, settings: Settings, task: Task | None, transcript: str) -> Checked:
    """Cleanup, then the answer's contract and claims; every problem and note in one result."""
    checked = Checked()
    moved = _moved(task.worktree) if task is not None else ""
    expected = claims.Expected.of(task) if task is not None and not moved else None
    text = event.last_assistant_message
    if not text.strip():
        text = transcript_tail.last_assistant_text(transcript)
    oversized = len(text) > MAX_ANSWER_CHARS
    if oversized:  # checked from its head and tail (where a JSON answer or its fence would be)
        text = text[: MAX_ANSWER_CHARS // 2] + "\n" + text[-MAX_ANSWER_CHARS // 2 :]
    # git runs in other processes: start every call whose answer cleanup cannot change now, and
    # when the answer needs the full contract, import it (pydantic) while they run.
    git = _GitClaims(expected)
    cleaning = cleanup.start(expected.worktree) if expected is not None else None
    if not _plainly_valid(answer_text.extract(text)):
        import integration_engineer.answer.check  # noqa: F401
    if task is None:
        checked.notes.append(
            "the task context of this agent was not found: no cleanup, and the claims were not checked against git"
        )
    elif moved:  # neither cleaned nor compared: it is not the directory the task was given
        checked.cleanup = {"error": f"cleanup refused: {moved}"}
        checked.notes.append(f"cleanup refused and claims not checked: {moved}")
    else:
        git.removed = _clean(task, settings, checked, cleaning)
    checked.answer, findings = _check_text(text, git.problems)
    checked.problems = [_finding(f) for f in findings]
    if oversized:
        checked.problems.append(
            {
                "rule": "answer.too_large",
                "where": "$",
                "message": f"the answer is over {MAX_ANSWER_CHARS} characters; only its head and tail were checked",
                "hint": "answer with the JSON object alone: a few kilobytes, no logs or file contents",
            }
        )
    if moved:
        checked.problems.append(
            {
                "rule": "claims.worktree_moved",
                "where": "$.worktree_path",
                "message": moved,
                "hint": "put the worktree back as it was (a linked git worktree, not a symlink); never replace it",
            }
        )
    git.report(checked)
    return checked


class _GitClaims:
    """The claims check, run once (git calls started at creation), shared by both contract paths."""

    def __init__(self, expected: claims.Expected | None) -> None:
        self.expected = expected
        self.started = claims.start(expected) if expected is not None else None
        self.removed: list[str] = []
        self.result: claims.Result | None = None

    def problems(self, value: dict[str, Any]) -> list[ContractProblem]:
        """The claims' problems, in the contract's form (so check_answer places them)."""
        if self.expected is None:
            return []
        if self.result is None:
            self.result = claims.check(value, self.expected, self.removed, self.started)
        return [(p.loc, "value", Finding(p.rule, p.where, p.message)) for p in self.result.problems]

    def report(self, checked: Checked) -> None:
        if self.expected is None:
            return
        if self.result is None:  # no JSON to check: git's view still helps the next answer
            self.problems({})
        assert self.result is not None
        checked.changed = self.result.changed
        checked.conflicts = self.result.conflicts
        checked.notes += self.result.notes


def _plainly_valid(got: answer_text.Extracted) -> bool:
    return got.value is not None and not got.findings and not got.duplicates and quick_contract.surely_valid(got.value)


ContractProblem = tuple[tuple[str | int, ...], str, Finding]


def _check_text(
    text: str, against_git: Callable[[dict[str, Any]], list[ContractProblem]]
) -> tuple[dict[str, Any] | None, list[Finding]]:
    """The answer and its findings; a plainly valid answer with true claims never loads pydantic."""
    got = answer_text.extract(text)
    if _plainly_valid(got) and got.value is not None and not against_git(got.value):
        return got.value, []
    from integration_engineer.answer.check import check_answer

    return check_answer(text, against_git)


def _clean(task: Task, settings: Settings, checked: Checked, started: GitCall | None) -> list[str]:
    try:
        report = cleanup.clean(task.worktree, settings.artifacts, settings.excluded_dirs, started=started)
    except (cleanup.CleanupError, OSError) as exc:
        checked.cleanup = {"error": str(exc)}
        checked.notes.append(f"cleanup did not run: {exc}")
        return []
    checked.cleanup = report.as_dict()
    return [e.path for e in report.removed]


def _moved(worktree: str) -> str:
    """Why the recorded worktree is no longer the directory accepted ("" when it still is): a
    worktree replaced by a symlink (to the main tree, say) must not be cleaned through it."""
    if os.path.islink(worktree) or os.path.realpath(worktree) != os.path.normpath(worktree):
        return (
            f"{worktree} is now a symlink or resolves to {os.path.realpath(worktree)}, not "
            "the worktree accepted for the task"
        )
    if not os.path.isfile(os.path.join(worktree, ".git")):
        return f"{worktree} is no longer a linked worktree (no .git file)"
    return ""


def _finding(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {"rule": finding.rule, "where": finding.path, "message": finding.message}
    if finding.hint:
        data["hint"] = finding.hint
    if finding.line:
        data["line"], data["column"] = finding.line, finding.column
    return data


def describe(problem: dict[str, Any]) -> str:
    """One problem on one line: where, what, how to fix it."""
    at = f" (line {problem['line']}, column {problem['column']})" if problem.get("line") else ""
    hint = f"; {problem['hint']}" if problem.get("hint") else ""
    return f"[{problem['rule']}] {problem['where']}{at}: {problem['message']}{hint}"


def block_reason(checked: Checked, task: Task | None, attempt: int, limit: int) -> str:
    lines = [
        f"{PREFIX}: your final answer was not accepted (sent back {attempt} of at most "
        f"{limit} times). Fix every problem below, then answer again with only the JSON "
        "object.",
        "",
        "Problems:",
    ]
    lines += [f"{i}. {describe(p)}" for i, p in enumerate(checked.problems, 1)]
    lines += [
        "",
        "Expected shape (these keys only; narrative_report and artifacts_cleaned are optional):",
        expected_shape(task),
    ]
    if checked.changed:
        listed = ", ".join(f"{p} ({s})" for p, s in sorted(checked.changed.items()))
        lines += [
            "",
            f"Git shows these paths changed in the worktree since you started: "
            f"{listed}. files_modified must list exactly these; a path that is not part of "
            "your work should be reverted or removed instead of listed.",
        ]
    elif task is not None and checked.answer is not None:
        lines += ["", "Git shows no change in the worktree since you started: files_modified must be []."]
    if checked.notes:
        lines += ["", "Notes:", *checked.notes]
    lines += [
        "",
        "Do not include test results, coverage, quality or gate status, timestamps, "
        "versions or execution ids: the test runner and the reviewers report those.",
    ]
    return "\n".join(lines)


def expected_shape(task: Task | None) -> str:
    shape = {
        "task_id": (task.task_id if task and task.task_id else "<the task id from your prompt>"),
        "worktree_path": (task.worktree_arg if task else "<e.g. ./trees/PROJ-123-integration>"),
        "work_completed": "<one sentence: what you built or changed>",
        "files_modified": ["<every path you changed, relative to the worktree>"],
        "unfinished": [],
    }
    return json.dumps(shape, ensure_ascii=False)


def _release(checked: Checked, blocks: int) -> Outcome:
    problems = "; ".join(describe(p) for p in checked.problems[:10])
    more = f" (and {len(checked.problems) - 10} more)" if len(checked.problems) > 10 else ""
    message = (
        f"{PREFIX}: the agent's final answer still failed the output checks after {blocks} "
        f"retr{'y' if blocks == 1 else 'ies'}; it was let go. Problems: {problems}{more}. "
        "The orchestrator is told to send them back before any quality gate."
    )
    warnings = _warnings(checked)
    # The stop goes ahead ("pass" to Claude Code) but the decision log must say it failed.
    return Outcome(
        kind="pass",
        policy=POLICY,
        system_message=message + ("\n" + warnings if warnings else ""),
        details={"logged_as": "released"},
    )


def _warnings(checked: Checked) -> str:
    """What the user should know even when the answer is fine: conflicts, unchecked parts."""
    lines = []
    if checked.conflicts:
        lines.append(
            f"{PREFIX}: conflict: the main working tree changed during the run: " + ", ".join(checked.conflicts[:20])
        )
    lines += [f"{PREFIX}: {note}" for note in checked.notes]
    return "\n".join(lines)


def _record(
    event: HookEvent, task: Task | None, checked: Checked, status: str, in_row: int, attempts: int
) -> dict[str, Any]:
    answer = checked.answer or {}
    return {
        "status": status,
        "blocks_in_row": in_row,
        "attempts": attempts,
        "checked_at": round(time.time(), 3),
        "session_id": event.session_id,
        "agent_id": event.agent_id,
        "agent_type": event.agent_type,
        "tool_use_id": task.tool_use_id if task else "",
        "task_id": task.task_id if task else answer.get("task_id", ""),
        "worktree": task.worktree if task else "",
        "session_worktree": task.session_worktree if task else "",
        "worktree_arg": task.worktree_arg if task else answer.get("worktree_path") or answer.get("worktreePath", ""),
        "summary": answer.get("work_completed", ""),
        "files": answer.get("files_modified", []),
        "unfinished": answer.get("unfinished", []),
        "narrative_report": _narrative(answer)[:4000],
        "changed": checked.changed,
        "cleanup": checked.cleanup,
        "problems": checked.problems,
        "conflicts": checked.conflicts,
        "outside_scope": outside_scope(checked.changed, task.scope) if task else [],
        "notes": checked.notes,
    }


def _narrative(answer: dict[str, Any]) -> str:
    """narrative_report as text: prose, or the summary of Reaper's object."""
    value = answer.get("narrative_report", "")
    if isinstance(value, dict):
        return str(value.get("summary", ""))
    return value if isinstance(value, str) else ""


def outside_scope(changed: dict[str, str], scope: tuple[str, ...]) -> list[str]:
    """The agent's changes (git's) that no SCOPE glob names: the backstop for writes the static
    reading could not see (a program writing by itself). Reported, not sent back: undoing them
    would be a write outside SCOPE too."""
    if not scope:
        return []
    from integration_engineer.runtime.globs import path_match

    return sorted(p for p in changed if not any(path_match(p, g) for g in scope))
