"""Full-suite detection: the runs the reminder (or deny) is about, and the targeted ones."""

from __future__ import annotations

import pytest

from integration_engineer.tool_scope.test_scope import _is_test_file, full_suite_runs


@pytest.mark.parametrize(
    "command",
    [
        "pytest",
        "pytest -q -x",
        "python -m pytest --tb=short",
        "(cd ./trees/X && pytest)",
        "npm test",
        "npm t",
        "npm run test",
        "yarn test",
        "pnpm test",
        "npm test -- --coverage",
        "npx jest",
        "npx jest --coverage",
        "vitest run",
        "npx vitest",
        "go test ./...",
        "go test -v ./...",
    ],
)
def test_full_suite(command: str) -> None:
    assert full_suite_runs(command)


@pytest.mark.parametrize(
    "command",
    [
        "pytest tests/test_a.py",
        "pytest -k stripe",
        "pytest --lf",
        "pytest --cov src",
        "npm test -- path/to/a.test.js",
        "npx jest src/a.test.js",
        "npx jest -t Stripe",
        "npx vitest run src/a",
        "go test ./pkg/...",
        "go test ./... -run TestX",
        "npm run build",
        "echo pytest",
        'pytest "$T"',
        "cargo test",
    ],
)
def test_targeted(command: str) -> None:
    assert full_suite_runs(command) == []


@pytest.mark.parametrize(
    ("path", "is_test"),
    [
        ("tests/test_stripe.py", True),
        ("src/stripe_test.go", True),
        ("src/a.test.ts", True),
        ("spec/models/user_spec.rb", True),
        ("tests/StripeTest.php", True),
        ("src/stripe.py", False),
        ("src/report_builder.py", False),
        ("contest.py", False),
    ],
)
def test_test_file_names(path: str, is_test: bool) -> None:
    assert _is_test_file(path) is is_test
