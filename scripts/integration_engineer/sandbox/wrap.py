"""PreToolUse's last step for a guarded agent's Bash command: run it inside the sandbox.

It applies after the static policies accepted the command, to the command as they left it (the
exclusion rewrite included), so there is one rewrite. ``sandbox.mode``: "auto" wraps when the
engine works and otherwise leaves the static guard alone; "required" refuses instead; "off".

The rewritten command no longer matches the user's permission rules (Claude Code matches the
command it runs), so this step judges the original command against them itself
(``permission_rules``) and answers for them: deny, ask, or allow (a rule allows it, or no rule
decides and Claude Code would have run it unasked: ``read_only``).
"""

from __future__ import annotations

import os

from integration_engineer.config import Settings
from integration_engineer.runtime import hook_reply
from integration_engineer.runtime.outcome import Outcome, deny
from integration_engineer.runtime.payload import HookEvent
from integration_engineer.sandbox import bwrap, layout, permission_rules, probe, read_only, seatbelt, task_tmp
from integration_engineer.task import acting as acting_task

NAME = "sandbox"


def apply(event: HookEvent, settings: Settings, outcome: Outcome) -> Outcome:
    mode = settings.sandbox.mode
    if mode == "off" or outcome.kind in ("deny", "block"):
        return outcome
    tool_input = outcome.updated_input if outcome.updated_input is not None else event.tool_input
    command = tool_input.get("command")
    if not isinstance(command, str) or not command.strip():
        return outcome
    name, detail = probe.engine()
    if not name:
        if mode == "required":
            return deny(NAME, _unavailable(detail), sandbox="none")
        return _with(outcome, outcome.updated_input, sandbox=f"none: {detail}")
    task = acting_task.task_for(event, settings)
    if task is None:
        return deny(NAME, acting_task.missing_reason("this Bash call"), sandbox=name)
    worktree = acting_task.worktree_of(task)
    try:
        tmp = task_tmp.make(task.key)
    except OSError as exc:
        return deny(NAME, f"integration-engineer: the sandbox's /tmp for this task cannot be made: {exc}", sandbox=name)
    box = layout.build(
        worktree,
        os.path.realpath(event.cwd or worktree),
        tmp,
        settings.sandbox.writable,
        settings.sandbox.hidden,
        settings.sandbox.network == "on",
    )
    if name == "bwrap":
        bwrap.ensure_runner(box.tmp)
        text = bwrap.command_text(box, detail, command, event.tool_use_id)
    else:
        text = seatbelt.command_text(box, command)
    return _answer(event, outcome, {**tool_input, "command": text}, name, worktree)


# Modes in which an allow rule lets a command run without a prompt (bypassPermissions runs
# everything not denied anyway; plan, auto and unknown modes get a question instead).
ALLOWING_MODES = frozenset({"default", "acceptEdits", "dontAsk"})


def _answer(event: HookEvent, outcome: Outcome, updated: dict[str, object], engine: str, worktree: str) -> Outcome:
    """The decision for the rewritten command: what the user's rules say of the original one."""
    original = str(event.tool_input.get("command", ""))
    rules = permission_rules.load(os.environ.get("CLAUDE_PROJECT_DIR", ""), event.cwd or worktree)
    verdict = permission_rules.judge(rules, original)
    mode = str(event.raw.get("permission_mode") or "")
    project = os.environ.get("CLAUDE_PROJECT_DIR", "")
    if verdict.kind == "none" and not verdict.where and read_only.runs_unasked(original, mode, event.cwd, project):
        verdict = permission_rules.Verdict("allow", read_only.RULE, read_only.WHERE)
    rule = f"{verdict.rule} in {verdict.where}" if verdict.rule else ""
    if verdict.kind == "deny":
        reason = f"Permission to use Bash with command {original} has been denied by your rule {rule}."
        return deny("permission_rules", reason, sandbox=engine, permission="deny")
    if outcome.kind == "ask" or verdict.kind == "ask":
        return _asked(outcome, updated, engine, f"your rule {rule} asks" if verdict.kind == "ask" else outcome.reason)
    if mode == "bypassPermissions":
        return _with(outcome, updated, sandbox=engine, permission=verdict.kind)
    if verdict.kind == "allow" and mode in ALLOWING_MODES:
        why, permission = _allowed_by(verdict, rule)
        return _with(
            outcome,
            updated,
            kind="allow",
            policy=hook_reply.USER_RULES,
            reason=f"integration-engineer runs this command inside the sandbox ({engine}): {why}",
            sandbox=engine,
            permission=permission,
        )
    why = f"the rules of {verdict.where} are unknown" if verdict.where else "no permission rule allows it"
    return _asked(outcome, updated, engine, why)


def _asked(outcome: Outcome, updated: dict[str, object], engine: str, why: str) -> Outcome:
    """An ask: the user reads the reason; the agent is told (additionalContext) what to do if refused."""
    runs = f"integration-engineer runs this command inside the sandbox ({engine}); the user is asked"
    told = f"{ASKED}: {why}. {ASK_ADVICE}"
    return _with(outcome, updated, kind="ask", reason=f"{runs}: {why}", context=told, sandbox=engine, permission="ask")


# What the agent is told with a question only the user can answer: a background agent's question
# waits for the user, and a refusal reaches the agent as Claude Code's bare "Permission ... denied".
ASKED = "integration-engineer: this command needs the user's approval"
ASK_ADVICE = (
    "If it is refused, do not retry it in another form: report it in your answer, naming the command; "
    "the user can allow it with a permission rule such as Bash(npm test:*) in .claude/settings.json."
)


def _allowed_by(verdict: permission_rules.Verdict, rule: str) -> tuple[str, str]:
    """Why an allow is answered, and what the decision log records for it."""
    if verdict.where == read_only.WHERE:
        return "Claude Code runs this command without asking in this permission mode", read_only.RULE
    return f"allowed by your rule {rule}", "allow"


def _with(
    outcome: Outcome,
    updated: dict[str, object] | None,
    kind: str = "",
    reason: str = "",
    policy: str = "",
    context: str = "",
    **details: str,
) -> Outcome:
    return Outcome(
        kind=kind or outcome.kind,  # type: ignore[arg-type]
        reason=reason or outcome.reason,
        policy=policy or outcome.policy,
        updated_input=updated,
        context="\n".join(c for c in (outcome.context, context) if c),
        system_message=outcome.system_message,
        details={**outcome.details, **details},
    )


def _unavailable(detail: str) -> str:
    return (
        f'integration-engineer: Bash commands are refused: config sandbox.mode is "required" and the '
        f"sandbox cannot start ({detail}). Fix: install bubblewrap (Debian/Ubuntu: apt-get install "
        'bubblewrap) or allow user namespaces, or set sandbox.mode to "auto" in '
        ".claude/integration-engineer.json."
    )
