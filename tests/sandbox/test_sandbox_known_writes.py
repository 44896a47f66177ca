"""Writes the static guard can place although they are not literal paths, run for real through the
registered hook and bubblewrap: a variable the command itself fixes (``isolation/write_vars``),
and /tmp, which inside bubblewrap is the task's own directory (``isolation/policy._own_tmp``)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from tests.helpers import GUARDED, run_hook
from tests.sandbox.test_sandbox_effects import Scratch, scratch  # noqa: F401  (the fixture)


def test_a_loop_over_literal_words_writes_inside(scratch: Scratch) -> None:  # noqa: F811
    proc = scratch.run('for p in stripe paypal; do mkdir -p "src/$p" && touch "src/$p/__init__.py"; done')
    assert proc is not None and proc.returncode == 0, proc and proc.stderr
    assert (scratch.worktree / "src" / "stripe" / "__init__.py").is_file()
    assert (scratch.worktree / "src" / "paypal" / "__init__.py").is_file()


def test_a_variable_changed_on_a_later_round_is_refused_and_writes_nothing(scratch: Scratch) -> None:  # noqa: F811
    outside = scratch.tmp / "outside"
    outside.mkdir()
    command = f'd=src; for i in 1 2; do mkdir -p "$d"; touch "$d/x"; d={outside}; done'
    answer = scratch.hook(command)
    assert answer["permissionDecision"] == "deny" and str(outside) in answer["permissionDecisionReason"], answer
    assert scratch.run(command) is None
    assert list(outside.iterdir()) == []


def test_tmp_is_the_tasks_own_and_kept_between_commands(scratch: Scratch) -> None:  # noqa: F811
    name = f"/tmp/ie-known-writes-{uuid.uuid4().hex}.json"
    first = scratch.run(f"echo '{{\"id\": 1}}' > {name} && cat {name}")
    assert first is not None and first.returncode == 0 and first.stdout == '{"id": 1}\n', first and first.stderr
    assert not Path(name).exists()  # the host's /tmp was not written
    again = scratch.run(f'jq -r .id {name}; out=$(mktemp -d) && echo x > "$out/f" && cat "$out/f"')
    assert again is not None and again.stdout == "1\nx\n", again and again.stderr


def test_the_write_tool_to_tmp_is_still_refused(scratch: Scratch) -> None:  # noqa: F811
    # Write/Edit are not sandboxed: /tmp there is the host's.
    payload = {
        **scratch.common,
        "cwd": str(scratch.worktree),
        "agent_id": "a1",
        "agent_type": GUARDED,
        "hook_event_name": "PreToolUse",
        "tool_name": "Write",
        "tool_use_id": "tw",
        "tool_input": {"file_path": f"/tmp/ie-known-writes-{uuid.uuid4().hex}.txt", "content": "x\n"},
    }
    run = run_hook("PreToolUse", payload, tool="Write", env=scratch.env)
    body = json.loads(run.stdout) if run.stdout.strip() else {}
    decision = "deny" if run.exit_code == 2 else body.get("hookSpecificOutput", {}).get("permissionDecision")
    assert decision == "deny", run.stdout + run.stderr
