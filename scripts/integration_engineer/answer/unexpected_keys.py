"""Why a key does not belong in the answer: a near miss of a contract key, or something that
another agent reports (tests, coverage, quality, gates) or that Claude Code records (metadata)."""

from __future__ import annotations

import difflib
import re

from integration_engineer.answer.finding import Finding

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[^a-z0-9]+")

# Checked in order; the first match gives the reason.
_ELSEWHERE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"test|spec|pass|fail|assert"), "test results come from the test runner, which runs the tests itself"),
    (re.compile(r"cover|lcov"), "coverage is measured and reported by the test runner"),
    (
        re.compile(r"quality|score|grade|review|lint|assess|complexity|solid|security"),
        "quality is judged by the code reviewer and the security auditor, not by the author",
    ),
    (
        re.compile(r"gate|status|approv|verdict|ready"),
        "gate status is decided by the orchestrator from the test runner's and reviewers' reports",
    ),
    (
        re.compile(
            r"time|date|duration|elapsed|started|finished|version|exec|run_id|uuid|session"
            r"|agent_id|model|token|cost"
        ),
        "timestamps, versions and execution ids are recorded by Claude Code, not by the agent",
    ),
)


def normalise(key: str) -> str:
    """``testResults``, ``test-results`` and ``Test Results`` all become ``test_results``."""
    return _SEPARATORS.sub("_", _CAMEL.sub("_", key).lower()).strip("_")


def reason(key: str) -> str:
    """Why another party reports this kind of key; empty when it is none of those kinds."""
    name = normalise(key)
    return next((why for pattern, why in _ELSEWHERE if pattern.search(name)), "")


def finding(key: str, path: str, fields: tuple[str, ...]) -> Finding:
    allowed = ", ".join(fields)
    name = normalise(key)
    near = [f for f in fields if normalise(f) == name] or difflib.get_close_matches(name, fields, n=1, cutoff=0.75)
    if near:
        return Finding(
            "unexpected-key",
            path,
            f"unexpected key {key!r}: did you mean {near[0]!r}?",
            f"rename it to {near[0]!r}; the keys are: {allowed}",
        )
    why = reason(key)
    if why:
        return Finding(
            "reported-elsewhere",
            path,
            f"unexpected key {key!r}: {why}",
            f"remove it; the answer says only what was done ({allowed})",
        )
    return Finding(
        "unexpected-key",
        path,
        f"unexpected key {key!r}",
        f"remove it (put prose in 'narrative_report'); the keys are: {allowed}",
    )
