"""Worktree isolation: where the guarded agent may write, and the files it may never touch."""
