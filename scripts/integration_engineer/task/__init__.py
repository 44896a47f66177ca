"""The guarded agent's task: the orchestrator's prompt read, validated, and found again by later hooks."""
