"""The hook events the plugin handles, each with the module under ``events/`` that handles it.

This is the one list: the router dispatches from it, doctor checks hooks.json against it, and a
test ties it to hooks.json, to the ``events/`` modules and to docs/hooks.md, so a new event cannot
be half registered. Standard library only (hot path).
"""

from __future__ import annotations

HANDLERS: dict[str, str] = {
    "SessionStart": "session_start",
    "UserPromptSubmit": "user_prompt_submit",
    "PreToolUse": "pre_tool_use",
    "PostToolUse": "post_tool_use",
    "PostToolUseFailure": "post_tool_use_failure",
    "SubagentStart": "subagent_start",
    "SubagentStop": "subagent_stop",
    "Stop": "stop",
}
