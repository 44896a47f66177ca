"""Reaper's SCOPE: its globs as read from the prompt, and path globs as bash's globstar reads them."""

from __future__ import annotations

import pytest

from integration_engineer.runtime.globs import path_match
from integration_engineer.task import prompt as task_prompt

REAPER = (
    "TASK: RPR-7\n"
    "WORKTREE: .claude/worktrees/RPR-7-work\n"
    "BRIEF: Implement OAuth2 authentication flow with Google and GitHub providers\n"
    "SCOPE: src/auth/** tests/auth/**\n"
    "RESTRICTION: Do NOT modify user management or database modules"
)


def test_reapers_template_is_read_key_by_key() -> None:
    parsed = task_prompt.parse(REAPER)
    assert parsed.task_id == "RPR-7"
    assert parsed.worktree == ".claude/worktrees/RPR-7-work"
    assert parsed.description == "Implement OAuth2 authentication flow with Google and GitHub providers"
    assert parsed.description_source == "key"
    assert parsed.scope == ("src/auth/**", "tests/auth/**")
    assert parsed.scope_given
    assert parsed.restriction == "Do NOT modify user management or database modules"
    assert parsed.free_text == ""  # nothing of SCOPE or RESTRICTION leaks into the description


def test_description_wins_over_brief() -> None:
    parsed = task_prompt.parse("TASK: A-1\nDESCRIPTION: Integrate Stripe payment webhooks\nBRIEF: Stripe hooks")
    assert parsed.description == "Integrate Stripe payment webhooks"
    assert parsed.brief == "Stripe hooks"


@pytest.mark.parametrize(
    ("value", "globs"),
    [
        ("src/auth/** tests/auth/**", ("src/auth/**", "tests/auth/**")),
        ("`src/**`, 'docs/*.md'; lib/x.py", ("src/**", "docs/*.md", "lib/x.py")),
        ("\n- src/**\n- tests/**", ("src/**", "tests/**")),
        ("src/** src/**", ("src/**",)),
        ("", ()),
    ],
)
def test_scope_globs(value: str, globs: tuple[str, ...]) -> None:
    assert task_prompt.scope_globs(value) == globs


def test_a_scope_block_below_its_key() -> None:
    parsed = task_prompt.parse(
        "TASK: A-1, DESCRIPTION: Integrate Stripe payment webhooks\nSCOPE:\n- src/**\n- tests/**\n"
    )
    assert parsed.scope == ("src/**", "tests/**")


def test_an_empty_scope_is_seen() -> None:
    parsed = task_prompt.parse("TASK: A-1\nBRIEF: Integrate Stripe payment webhooks\nSCOPE:\nRESTRICTION: none")
    assert parsed.scope == () and parsed.scope_given


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("src/auth/google.py", "src/auth/**", True),
        ("src/auth/providers/deep/x.py", "src/auth/**", True),
        ("src/auth", "src/auth/**", True),  # ** matches no part too (bash: src/auth/** lists src/auth/)
        ("src/authz/x.py", "src/auth/**", False),
        ("src/users/model.py", "src/auth/**", False),
        ("src", "src/auth/**", False),
        ("tests/auth/test_flow.py", "tests/auth/test_*.py", True),
        ("tests/auth/deep/test_flow.py", "tests/auth/test_*.py", False),  # * stays within one part
        ("README.md", "*.md", True),
        ("docs/a.md", "*.md", False),  # anchored at the worktree: **/*.md for any depth
        ("docs/a.md", "**/*.md", True),
        ("a.md", "**/*.md", True),
        ("src/auth/x.py", "src/auth", True),  # no wildcard: the path and everything below
        ("src/auth/x.py", "src/auth/", True),
        ("src/authx.py", "src/auth", False),
        ("src/a1/x.py", "src/a[0-9]/*.py", True),
        ("src/ab/x.py", "src/a?/x.py", True),
        ("src/a/b/x.py", "src/**/x.py", True),
        ("src/x.py", "src/**/x.py", True),
        ("src/x.pyc", "src/**/x.py", False),
        ("src/.env", "src/*", True),  # dot files are not special here (unlike bash without dotglob)
    ],
)
def test_path_match(path: str, pattern: str, expected: bool) -> None:
    assert path_match(path, pattern) is expected
