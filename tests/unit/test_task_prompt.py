"""The prompt parser: keys in any case and shape, ids of any format, @file references."""

from __future__ import annotations

import pytest

from integration_engineer.task.prompt import description_problems, parse

GOOD = "Integrate Stripe payment webhooks with retry logic"


@pytest.mark.parametrize(
    ("prompt", "task_id", "description", "worktree"),
    [
        (
            f"TASK: PROJ-123, DESCRIPTION: {GOOD}, WORKTREE_PATH: ./trees/PROJ-123-x",
            "PROJ-123",
            GOOD,
            "./trees/PROJ-123-x",
        ),
        (f"**Task:** repo-a3f\n**Description:** {GOOD}\n**Worktree Path:** `./trees/a`", "repo-a3f", GOOD, "./trees/a"),
        (
            f"- **TASK**: sprint-5-auth\n- **DESCRIPTION**: {GOOD}\n- **WORKTREE_PATH**: ./trees/s",
            "sprint-5-auth",
            GOOD,
            "./trees/s",
        ),
        (f"task_id=#456; desc={GOOD}; worktree=./trees/456", "#456", GOOD, "./trees/456"),
        (
            f"Ticket: integration-slack | Description: {GOOD} | Worktree: ./trees/slack",
            "integration-slack",
            GOOD,
            "./trees/slack",
        ),
        (f"TASK: PROJ-9 {GOOD} WORKTREE_PATH: ./trees/PROJ-9-x.", "PROJ-9", GOOD, "./trees/PROJ-9-x"),
        (f"TASK: {GOOD}, WORKTREE: './trees/my tree'", "", GOOD, "./trees/my tree"),
        (f"DESCRIPTION:\n{GOOD}\n\nWORKTREE PATH: ./trees/gh", "", GOOD, "./trees/gh"),
        (f"{GOOD}.\nWORKTREE:\n./trees/w\n", "", GOOD + ".", "./trees/w"),
        ("TASK: PROJ-123", "PROJ-123", "", ""),
        ("", "", "", ""),
    ],
)
def test_parse(prompt: str, task_id: str, description: str, worktree: str) -> None:
    parsed = parse(prompt)
    assert (parsed.task_id, parsed.description, parsed.worktree) == (task_id, description, worktree)


def test_a_lowercase_word_in_a_sentence_is_not_a_key() -> None:
    parsed = parse("Please fix the worktree: ./trees/x is broken. TASK: A-1")
    assert parsed.worktree == ""
    assert parsed.task_id == "A-1"


@pytest.mark.parametrize(
    ("prompt", "named", "maybe"),
    [
        ("see @plan.md and @docs/api-spec.yaml.", ("plan.md", "docs/api-spec.yaml"), ()),
        ("mail a@b.com, install @stripe/stripe-js", (), ("stripe/stripe-js",)),
        ("(@plan.md)", ("plan.md",), ()),
    ],
)
def test_file_references(prompt: str, named: tuple[str, ...], maybe: tuple[str, ...]) -> None:
    parsed = parse(prompt)
    assert (parsed.file_refs, parsed.maybe_file_refs) == (named, maybe)


@pytest.mark.parametrize(
    ("description", "fragments"),
    [
        (GOOD, []),
        ("Add SendGrid email API integration", []),
        ("add integration", ["2 word(s)", "only generic words"]),
        ("a b c d ef", ["10 characters"]),
        ("add the new api integration", ["only generic words"]),
        ("Stripe", ["6 characters", "1 word(s)"]),
    ],
)
def test_description_problems(description: str, fragments: list[str]) -> None:
    problems = description_problems(description)
    assert len(problems) == len(fragments)
    for problem, fragment in zip(problems, fragments, strict=True):
        assert fragment in problem
