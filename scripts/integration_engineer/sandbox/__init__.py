"""The kernel layer: a guarded agent's accepted Bash command runs inside the OS sandbox.

``layout`` says what is writable, read-only and hidden; ``bwrap`` (Linux) and ``seatbelt``
(macOS) turn it into an engine's command; ``probe`` finds (once, cached) whether the engine
starts here; ``wrap`` is the PreToolUse step; ``failure`` explains a refused write afterwards.
"""
