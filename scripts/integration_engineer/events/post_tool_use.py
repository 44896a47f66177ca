"""PostToolUse on Agent/Task: when a guarded agent returns, tell the orchestrator what was checked
and what comes next (``handoff``). On Bash: a sandboxed command that hit a read-only path is
explained to the agent, and the definitions file handed to it is removed. Every other tool call
is left alone before any import."""

from __future__ import annotations

from integration_engineer.config import Settings
from integration_engineer.runtime.actor import is_guarded
from integration_engineer.runtime.outcome import PASS, Outcome
from integration_engineer.runtime.payload import HookEvent

AGENT_TOOLS = ("Agent", "Task")


def handle(event: HookEvent, settings: Settings) -> Outcome:
    if event.tool_name == "Bash":
        return _sandboxed_bash(event, settings)
    if event.tool_name not in AGENT_TOOLS:
        return PASS
    target = event.tool_input.get("subagent_type")
    if not isinstance(target, str) or not is_guarded(target, settings.guarded_agent_types):
        return PASS
    from integration_engineer.finish import handoff

    return Outcome(kind="pass", policy="handoff", context=handoff.context_for(event, settings.quality_gates))


def _sandboxed_bash(event: HookEvent, settings: Settings) -> Outcome:
    """A guarded agent's sandboxed command that hit a read-only path is told why (a command that
    failed arrives as PostToolUseFailure instead: ``sandboxed_failure``)."""
    command = event.tool_input.get("command")
    if not is_guarded(event.agent_type, settings.guarded_agent_types) or not isinstance(command, str):
        return PASS
    from integration_engineer.sandbox import failure

    if not failure.was_sandboxed(command):
        return PASS
    response = event.raw.get("tool_response", event.raw.get("error"))
    if isinstance(response, dict):
        output = "\n".join(str(response.get(k, "")) for k in ("stdout", "stderr"))
    else:
        output = str(response or "")
    from integration_engineer.task import acting

    task = acting.task_for(event, settings)
    if task is not None and not event.tool_input.get("run_in_background"):
        # The calling shell's definitions handed to the command (sandbox.bwrap.DEFS_NAME); a
        # command in the background may not have read them yet: they go with the task's /tmp.
        from integration_engineer.sandbox import task_tmp

        task_tmp.remove_defs(task.key, event.tool_use_id)
    note = failure.context(output, acting.worktree_of(task) if task else event.cwd)
    return Outcome(kind="pass", policy="sandbox", context=note) if note else PASS


def sandboxed_failure(event: HookEvent, settings: Settings) -> Outcome:
    """PostToolUseFailure(Bash): the command exited non-zero; its output is the payload's ``error``."""
    return _sandboxed_bash(event, settings) if event.tool_name == "Bash" else PASS
