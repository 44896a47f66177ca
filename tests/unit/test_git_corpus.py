"""The golden corpus of the git-operation guard: no missed block, at most 1% wrongly blocked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from integration_engineer.git_guard.policy import analyse

CASES = Path(__file__).resolve().parents[1] / "cases"
DENY = sorted((CASES / "deny" / "git").glob("*.json"))
ALLOW = sorted((CASES / "allow" / "git").glob("*.json"))


def _command(path: Path) -> str:
    case = json.loads(path.read_text(encoding="utf-8"))
    assert set(case) <= {"command", "note"} and case["note"], f"{path.name}: needs command+note"
    command: str = case["command"]
    return command


def test_corpus_is_large_enough() -> None:
    assert len(DENY) + len(ALLOW) >= 250
    assert len(DENY) >= 100 and len(ALLOW) >= 100


def test_no_missed_block() -> None:
    missed = [p.name for p in DENY if not analyse(_command(p), cwd=str(p.parent)).blocked]
    assert missed == []


def test_at_most_one_percent_wrongly_blocked() -> None:
    wrong = [p.name for p in ALLOW if analyse(_command(p), cwd=str(p.parent)).blocked]
    assert len(wrong) <= len(ALLOW) // 100, wrong


@pytest.mark.parametrize("path", DENY, ids=lambda p: p.stem)
def test_deny_case_names_what_it_found(path: Path) -> None:
    findings = analyse(_command(path), cwd=str(path.parent)).findings
    assert findings and all(f.describe() for f in findings)
