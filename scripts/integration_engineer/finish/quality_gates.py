"""The quality gates the hand-off names (config ``quality_gates``): the steps after an accepted run,
and the next step after a failed one.

``default``: the reference workflow (test runner, then code review and security audit in parallel,
the user, then the branch manager commits), at most ``MAX_ROUNDS`` rounds. ``reaper``: Reaper's
orchestrator as it runs today (``commands/takeoff.md``): ``reaper:test-runner`` as the blocking
gate, the work-type experts and ``reaper:security-auditor`` in parallel, its per-gate retry limits,
and its autonomy rule (its branch manager commits each unit without asking; the user is asked
before the merge into the base branch). Stdlib only.
"""

from __future__ import annotations

MAX_ROUNDS = 3
PRESETS = ("default", "reaper")
# Reaper's differential retry limits: how often a gate is re-run before the user is asked.
REAPER_RETRIES = {"reaper:test-runner": 3, "Gate 2 reviewer": 1, "reaper:security-auditor": 1}


def accepted_steps(preset: str, worktree: str, session: str, round_no: int) -> list[str]:
    if preset == "reaper":
        return _reaper_accepted(worktree, session)
    merge = f" and merges them into the session worktree {session}" if session else ""
    return [
        "Next steps, in this order:",
        f"1. Run the test runner on {worktree} (that worktree only).",
        "2. Then run the code review and the security audit of the same worktree, in parallel.",
        "3. Then show the user the summary and the findings, and ask whether to proceed.",
        "4. Only after the user agrees: the branch manager commits the worktree's changes"
        f"{merge} (the integration-engineer never commits).",
        rounds(round_no),
    ]


def failed_next(preset: str, worktree: str, round_no: int) -> str:
    if preset == "reaper":
        return (
            "Next: resume the integration-engineer (Task --resume with its agent_id, so it keeps "
            f"its worktree {worktree}) with these problems; only a checked, accepted answer goes on "
            "to reaper:test-runner, the work-type experts and reaper:security-auditor, then "
            "reaper:branch-manager."
        )
    return (
        f"Next: start the integration-engineer again on {worktree} with the same task "
        "and these problems, then continue with the test runner, code review and "
        "security audit, the user, and the branch manager. " + rounds(round_no)
    )


def rounds(round_no: int) -> str:
    if round_no >= MAX_ROUNDS:
        return f"This is round {round_no}: if tests, review or audit fail again, ask the user before another round."
    return (
        f"If the test runner, review or audit find problems, send them back to the "
        f"integration-engineer on the same worktree and repeat from step 1: at most "
        f"{MAX_ROUNDS} rounds, then ask the user."
    )


def _reaper_accepted(worktree: str, session: str) -> list[str]:
    target = f"the session worktree {session}" if session else "the session branch (the WORKTREE of the call)"
    limits = ", ".join(f"{gate} {n}" for gate, n in REAPER_RETRIES.items())
    return [
        "Next steps (Reaper's quality gates), in this order:",
        f"1. Gate 1 (blocking): reaper:test-runner in {worktree} itself (no isolation), with "
        "narrative_report.summary, TEST_COMMAND and LINT_COMMAND; it must return "
        "all_checks_passed: true.",
        "2. Gate 2, in parallel, each with isolation: the work-type experts for the files changed "
        "(the code-review skill) and reaper:security-auditor; each must return "
        "all_checks_passed: true and blocking_issues: [].",
        "3. A gate that fails: resume the integration-engineer with that gate's blocking_issues, "
        f"then re-run only the failed gate. Re-runs at most: {limits}; then ask the user.",
        f"4. When every gate passes: reaper:branch-manager commits the work in {worktree} and "
        f"fast-forwards it into {target} without asking the user (the integration-engineer never commits).",
        "5. Ask the user before merging into the base branch (BASE_BRANCH); merge only on their explicit approval.",
    ]
