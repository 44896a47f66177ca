"""SubagentStart: bind the guarded subagent to its task, and tell it what it works on and under
which rules (``additionalContext`` reaches its first request). Standard library only."""

from __future__ import annotations

from integration_engineer.config import Settings
from integration_engineer.runtime.actor import is_guarded
from integration_engineer.runtime.outcome import PASS, Outcome
from integration_engineer.runtime.payload import HookEvent
from integration_engineer.task import context as task_context
from integration_engineer.task import lookup as task_lookup

# SubagentStart may come before Claude Code has written the meta file: wait longer than usual.
START_RETRIES = 30
REQUIRED_KEYS = ("task_id", "worktree_path", "work_completed", "files_modified", "unfinished")
OPTIONAL_KEYS = ("narrative_report", "artifacts_cleaned")


def handle(event: HookEvent, settings: Settings) -> Outcome:
    if not is_guarded(event.agent_type, settings.guarded_agent_types):
        return PASS
    task = task_lookup.find(event, settings, retries=START_RETRIES)
    if task is None:
        return unbound(event, settings)
    task = task_context.with_baseline(task)  # before the agent's first request: what it found
    task_context.mark_finished(task.session_id, task.key, finished=False)  # a continued agent runs again
    return Outcome(
        kind="pass",
        policy="subagent_start",
        context=context_for(task, settings),
        details={"task_id": task.task_id, "tool_use_id": task.tool_use_id},
    )


def context_for(task: task_context.Task, settings: Settings) -> str:
    """What the guarded agent is told about its task and the rules the hooks enforce."""
    name = task.task_id or "(no id)"
    lines = [
        "integration-engineer task context (from the plugin's hooks):",
        f"- Task: {name}: {task.description[:300]}",
        f"- Worktree: {task.worktree} (given as {task.worktree_arg}). Read, write and run "
        "everything there; writes outside it are refused.",
    ]
    if task.isolation:
        lines.append("- It is Claude Code's isolation worktree for you (your cwd when you started).")
    if task.session_worktree:
        lines.append(
            f"- Session worktree: {task.session_worktree}. Your work is merged into it later by the "
            "branch manager; do not write there."
        )
    if task.scope:
        lines.append(
            "- SCOPE: you may write only the files these globs name, relative to your worktree: "
            + " ".join(task.scope)
            + ". Writes to other files are refused."
        )
    if task.restriction:
        lines.append(f"- RESTRICTION: {task.restriction[:300]}")
    if task.requirement_files:
        lines.append("- Requirements also in: " + ", ".join(task.requirement_files))
    if task.baseline:
        lines.append(
            f"- {len(task.baseline)} file(s) were already changed in the worktree "
            "before you started; leave changes you did not make alone."
        )
    return "\n".join(lines + rules(settings) + sandbox_lines(settings))


def sandbox_lines(settings: Settings) -> list[str]:
    """The kernel layer, said once at the start: active, unavailable (auto) or refusing (required)."""
    from integration_engineer.sandbox import probe

    line = probe.agent_line(settings.sandbox.mode)
    return [line] if line else []


def rules(settings: Settings) -> list[str]:
    """The rules the hooks enforce, as the agent is told them."""
    verbs = "/".join(settings.forbidden_git_verbs)
    return [
        f"- Rules: no git {verbs} (refused; the branch manager integrates your work).",
        "- Exclude " + ", ".join(settings.excluded_dirs) + " from searches, tests, linters "
        "and builds; run the tests for what you changed, not the whole suite.",
        "- No report files (" + ", ".join(settings.report_file_globs) + "): every report goes into your final answer.",
        "- Before finishing, remove tool artifacts you created (coverage, caches, test results).",
        "- Final answer: only one JSON object with "
        + ", ".join(REQUIRED_KEYS)
        + " (required) and optionally "
        + ", ".join(OPTIONAL_KEYS)
        + ".",
    ]


def unbound(event: HookEvent, settings: Settings) -> Outcome:
    """Several agents started in one turn: at SubagentStart none of their files exist yet, so
    this agent cannot be told from the others. Every task still waiting for its agent gets its
    baseline now (no agent of this turn has made a request yet); this agent is bound by the task
    key in its prompt at its first tool call."""
    waiting = task_context.pending(event.session_id)
    if not waiting:
        return Outcome(kind="pass", policy="subagent_start", context=missing_context(settings))
    for task in waiting:
        task_context.with_baseline(task)
    return Outcome(
        kind="pass",
        policy="subagent_start",
        context=unbound_context(settings),
        details={"pending": [t.tool_use_id for t in waiting]},
    )


def unbound_context(settings: Settings) -> str:
    """The rules, for an agent whose task the hooks bind at its first tool call."""
    return "\n".join(
        [
            "integration-engineer task context (from the plugin's hooks):",
            "- Your task and worktree are the TASK and WORKTREE_PATH of your prompt; its last line "
            "(the task key) binds you to them at your first tool call. Read, write and run "
            "everything in that worktree; writes outside it are refused.",
            "- The files already changed in the worktree before you started were recorded; leave "
            "changes you did not make alone.",
            *rules(settings),
            *sandbox_lines(settings),
        ]
    )


def missing_context(settings: Settings) -> str:
    return (
        "integration-engineer: no validated task was found for this agent (it was not "
        "started through a checked Agent call, or its state is lost). File writes will be "
        "refused and the git guard applies. Finish with the JSON answer ("
        + ", ".join(REQUIRED_KEYS)
        + ") and say in unfinished that the task context was "
        "missing."
    )
