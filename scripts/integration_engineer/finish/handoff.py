"""What the orchestrator is told when an integration-engineer returns (PostToolUse on Agent).

The checked record of the run (``results``), summarised, and the next steps of the workflow, as
the ``quality_gates`` preset names them (``quality_gates``: by default the test runner on that
worktree, then code review and security audit in parallel, then the user, and only then the branch
manager commits; at most ``MAX_ROUNDS`` rounds before asking the user). A session worktree given
beside isolation is named as the merge target. A failed run says so and lists the problems to send
back. Stdlib only.
"""

from __future__ import annotations

import re
from typing import Any

from integration_engineer.finish import quality_gates, results
from integration_engineer.finish.quality_gates import MAX_ROUNDS
from integration_engineer.runtime.payload import HookEvent

PREFIX = "integration-engineer hand-off"
_AGENT_ID = re.compile(r"""agent[_ ]?id["']?\s*[:=]\s*["']?([A-Za-z0-9_-]{4,})""", re.IGNORECASE)


def find_record(event: HookEvent) -> dict[str, Any] | None:
    """The checked record of this Agent call: by its tool_use_id, else by the agent id in the
    tool's response."""
    record = results.load(event.session_id, event.tool_use_id)
    if record is not None:
        return record
    agent_id = agent_id_of(event.tool_response)
    return results.load(event.session_id, f"agent-{agent_id}") if agent_id else None


def agent_id_of(response: Any) -> str:
    if isinstance(response, dict):
        for key in ("agentId", "agent_id"):
            value = response.get(key)
            if isinstance(value, str) and value:
                return value
        response = response.get("content", "")
    if isinstance(response, list):
        response = " ".join(
            b.get("text", "") for b in response if isinstance(b, dict) and isinstance(b.get("text"), str)
        )
    if isinstance(response, str):
        found = _AGENT_ID.search(response)
        return found.group(1) if found else ""
    return ""


def is_background(event: HookEvent) -> bool:
    """The Agent call returned at launch: the agent runs in the background (interactive sessions
    of recent CLIs always do; ``tool_response.status`` is ``async_launched`` there)."""
    response = event.tool_response
    if isinstance(response, dict) and (response.get("status") == "async_launched" or response.get("isAsync") is True):
        return True
    return event.tool_input.get("run_in_background") is True


def context_for(event: HookEvent, gates: str = "default") -> str:
    """The additionalContext for the orchestrator after an integration-engineer Agent call."""
    if is_background(event):
        remember_launch(event)
        return launched()
    record = find_record(event)
    if record is None:
        return missing()
    call = event.tool_use_id or str(record.get("tool_use_id") or record.get("agent_id") or "")
    return for_record(event.session_id, record, call, gates)


def launched() -> str:
    return (
        f"{PREFIX}: the integration-engineer runs in the background. Its output is checked when "
        "it stops, and the checked result (accepted or failed, summary, next steps) is delivered "
        "with its task notification. Do not start the quality gates on its worktree before that "
        "checked result has arrived."
    )


def missing() -> str:
    return (
        f"{PREFIX}: no checked result was found for this run (the end-of-run check did "
        "not run or could not find the task). Check the worktree yourself with git status "
        "before any quality gate, then follow the usual order: test runner, code review "
        "and security audit in parallel, ask the user, then the branch manager commits."
    )


def remember_launch(event: HookEvent) -> None:
    """Note that this call started a guarded agent in the background, so its notification is
    recognised as ours even when no checked result was written."""
    agent_id = agent_id_of(event.tool_response)
    names = [f"launched-{event.tool_use_id}"] if event.tool_use_id else []
    if agent_id:
        names.append(f"launched-agent-{agent_id}")
    if names:
        results.save(event.session_id, names, {"tool_use_id": event.tool_use_id, "agent_id": agent_id})


def for_notification(session_id: str, task_id: str, tool_use_id: str, gates: str = "default") -> str:
    """The hand-off for a background agent's task notification; "" when it is not a guarded
    agent's. A continued agent (SendMessage) keeps its agent id, so the record is found by it."""
    record = results.load(session_id, tool_use_id) if tool_use_id else None
    if record is None and task_id:
        record = results.load(session_id, f"agent-{task_id}")
    if record is None:
        ours = (tool_use_id and results.load(session_id, f"launched-{tool_use_id}")) or (
            task_id and results.load(session_id, f"launched-agent-{task_id}")
        )
        return missing() if ours else ""
    # Each checked answer is its own round: a continued agent is checked again.
    call = f"{tool_use_id or task_id}@{record.get('checked_at', '')}"
    return for_record(session_id, record, call, gates)


def for_record(session_id: str, record: dict[str, Any], call: str, gates: str = "default") -> str:
    worktree = str(record.get("worktree_arg") or record.get("worktree") or "")
    round_no = results.bump_round(session_id, worktree, call)
    if record.get("status") == "accepted":
        return accepted(record, worktree, round_no, gates)
    return failed(record, worktree, round_no, gates)


def summary(record: dict[str, Any], worktree: str) -> list[str]:
    files = [str(f) for f in record.get("files") or []]
    unfinished = [str(u) for u in record.get("unfinished") or []]
    lines = [f"Task: {record.get('task_id') or '(no id)'}   Worktree: {worktree}"]
    if record.get("summary"):
        lines.append(f"Work completed: {record['summary']}")
    lines.append(f"Files modified ({len(files)}): {', '.join(files) if files else 'none'}")
    if record.get("session_worktree"):
        lines.append(f"Session worktree (the work is merged into it): {record['session_worktree']}")
    if unfinished:
        lines.append("Unfinished (blockers reported by the agent): " + "; ".join(unfinished))
    lines += _cleanup_lines(record.get("cleanup") or {})
    if record.get("outside_scope"):
        lines.append(
            "OUTSIDE SCOPE: git shows changes the task's SCOPE does not name: "
            + ", ".join(str(p) for p in record["outside_scope"][:20])
            + ". Review or revert them before any gate (a scope violation)."
        )
    if record.get("conflicts"):
        lines.append(
            "CONFLICT: the main working tree changed during the run: "
            + ", ".join(str(p) for p in record["conflicts"][:20])
            + ". Check these paths before anything is committed."
        )
    return lines


def _cleanup_lines(report: dict[str, Any]) -> list[str]:
    if report.get("error"):
        return [f"Cleanup did not run: {report['error']}"]
    removed = report.get("removed") or []
    kept = [k for k in report.get("kept") or [] if isinstance(k, dict)]
    if not removed and not kept:
        return []
    line = f"Cleanup: {len(removed)} artifact path(s) removed"
    if kept:
        line += "; kept: " + ", ".join(f"{k.get('path')} ({k.get('reason')})" for k in kept[:10])
    return [line]


def accepted(record: dict[str, Any], worktree: str, round_no: int, gates: str = "default") -> str:
    head = (
        f"{PREFIX} (round {round_no} of {MAX_ROUNDS}): the integration-engineer's output was "
        "checked and accepted: the JSON contract holds and files_modified matches git."
    )
    session = str(record.get("session_worktree") or "")
    steps = quality_gates.accepted_steps(gates, worktree, session, round_no)
    if record.get("unfinished"):
        steps.insert(
            0, "The agent reported unfinished work: tell the user before the quality gates, or send it back to finish."
        )
    return "\n".join([head, *summary(record, worktree), *steps])


def failed(record: dict[str, Any], worktree: str, round_no: int, gates: str = "default") -> str:
    problems = [p for p in record.get("problems") or [] if isinstance(p, dict)]
    head = (
        f"{PREFIX} (round {round_no} of {MAX_ROUNDS}): the integration-engineer's output "
        f"FAILED the checks (after {record.get('attempts', '?')} answer(s)); do not start the "
        "quality gates on it."
    )
    lines = [head, *summary(record, worktree), "Blocking problems to send back:"]
    for i, problem in enumerate(problems[:30], 1):
        lines.append(f"{i}. [{problem.get('rule')}] {problem.get('where')}: {problem.get('message')}")
    if round_no >= MAX_ROUNDS:
        lines.append(f"This was round {round_no}: ask the user how to proceed instead of starting another round.")
    else:
        lines.append(quality_gates.failed_next(gates, worktree, round_no))
    return "\n".join(lines)
