"""PreToolUse: the guards. Which policies judge which tool, for whom.

The Agent/Task validation applies to whoever starts a guarded subagent; other subagents' writes
are kept out of the worktrees of running guarded agents; every other policy applies only when the
guarded agent itself is acting.
"""

from __future__ import annotations

from integration_engineer.config import Settings
from integration_engineer.events import routes
from integration_engineer.runtime.actor import is_guarded
from integration_engineer.runtime.outcome import PASS, Outcome, combine, deny
from integration_engineer.runtime.payload import HookEvent, input_str

# Policy modules per tool, in the order they run; deny wins (outcome.combine). For Bash, those
# certain to have nothing to say about the command are not even imported (policy_triggers).
AGENT_TOOLS = ("Agent", "Task")
POLICIES: dict[str, tuple[str, ...]] = {
    "Bash": ("git_operations", "isolation", "scope", "report_files", "tamper", "exclusions", "test_scope"),
    "Write": ("isolation", "scope", "report_files", "tamper"),
    "Edit": ("isolation", "scope", "report_files", "tamper"),
    "MultiEdit": ("isolation", "scope", "report_files", "tamper"),
    "NotebookEdit": ("isolation", "scope", "report_files", "tamper"),
}
LAUNCH_POLICIES: tuple[str, ...] = ("task_validation",)
FOREIGN_POLICIES: tuple[str, ...] = ("held_worktrees",)

# The registry: each policy's id (in logs, triggers and docs) and the module that decides it.
# Each module exposes ``check(event, settings) -> Outcome``.
POLICY_MODULES: dict[str, str] = {
    "task_validation": "integration_engineer.task.validation",
    "git_operations": "integration_engineer.git_guard.policy",
    "isolation": "integration_engineer.isolation.policy",
    "scope": "integration_engineer.isolation.scope",
    "held_worktrees": "integration_engineer.isolation.held_worktrees",
    "report_files": "integration_engineer.isolation.report_files",
    "tamper": "integration_engineer.isolation.tamper",
    "exclusions": "integration_engineer.tool_scope.exclusions",
    "test_scope": "integration_engineer.tool_scope.test_scope",
}


def handle(event: HookEvent, settings: Settings) -> Outcome:
    if event.tool_name in AGENT_TOOLS:
        too_old = _version_refusal(event, settings)
        return too_old if too_old is not None else _run(LAUNCH_POLICIES, event, settings)
    if not is_guarded(event.agent_type, settings.guarded_agent_types):
        if event.agent_id and event.tool_name in POLICIES:  # another subagent: not into held worktrees
            return _run(FOREIGN_POLICIES, event, settings)
        return PASS
    problem = malformed(event)
    if problem:
        return Outcome(kind="deny", policy="payload", reason=f"integration-engineer: malformed tool call: {problem}")
    names = POLICIES[event.tool_name]
    if event.tool_name == "Bash":
        from integration_engineer.bash.triggers import bash_policies

        forbidden = frozenset(v.lower() for v in settings.forbidden_git_verbs)
        names = bash_policies(input_str(event, "command"), names, forbidden, event.cwd)
        from integration_engineer.sandbox import wrap

        # The kernel layer wraps what the static policies accepted (one rewrite, theirs included).
        return wrap.apply(event, settings, _run(names, event, settings))
    return _run(names, event, settings)


# The input field each guarded tool cannot go without (hooks.json's matcher sends no others).
REQUIRED_INPUT = {
    "Bash": "command",
    "Write": "file_path",
    "Edit": "file_path",
    "MultiEdit": "file_path",
    "NotebookEdit": "notebook_path",
}


def malformed(event: HookEvent) -> str:
    """What is wrong with a guarded agent's payload, "" when nothing: a guard that cannot read the
    call must refuse it, not let it through with nothing to check."""
    if event.tool_name not in POLICIES:
        return f"tool_name {event.tool_name!r} is not one of {', '.join(sorted(POLICIES))}"
    if not isinstance(event.raw.get("tool_input"), dict):
        return "tool_input is missing; expected an object"
    key = REQUIRED_INPUT.get(event.tool_name)
    if key and not isinstance(event.tool_input.get(key), str):
        return f"tool_input.{key} is missing or not a string"
    return ""


def _version_refusal(event: HookEvent, settings: Settings) -> Outcome | None:
    """A guarded agent is not started on a CLI whose subagent payloads the guards cannot read."""
    if not is_guarded(input_str(event, "subagent_type"), settings.guarded_agent_types):
        return None
    from integration_engineer.setup import versions

    version = versions.running(event.transcript_path)
    reason = versions.refusal(version) if version else ""
    return deny("cli_version", reason, version=version) if reason else None


def _run(names: tuple[str, ...], event: HookEvent, settings: Settings) -> Outcome:
    outcomes = []
    for name in names:
        module = routes.load(POLICY_MODULES[name])
        outcomes.append(module.check(event, settings))
    return combine(outcomes)
