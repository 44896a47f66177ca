"""The forms corpus (issue 18): bypass classes and their harmless look-alikes, each decided right.

``tests/cases/{deny,allow}/forms/*.json`` were labelled by running them for real
(``benchmarks/label_forms.py write``: bash, GIT_TRACE, a scratch repository with a remote); ``seen``
records what the run showed. Each is decided by ``git_operations.analyse`` in a fresh repository
holding the form's ``files``. The held-out forms of ``benchmarks/heldout/`` stay out of it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from integration_engineer.git_guard.policy import analyse

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases"
DENY = sorted((CASES / "deny" / "forms").glob("*.json"))
ALLOW = sorted((CASES / "allow" / "forms").glob("*.json"))
HELDOUT = ROOT / "benchmarks" / "heldout" / "forms.json"


def _case(path: Path) -> dict[str, Any]:
    case: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert case.get("command") and case.get("note"), f"{path.name}: needs command and note"
    return case


def _blocked(case: dict[str, Any], tmp_path: Path) -> bool:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True, capture_output=True)
    for rel, text in case.get("files", {}).items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return analyse(case["command"], cwd=str(repo)).blocked


def test_corpus_size_and_balance() -> None:
    assert len(DENY) + len(ALLOW) >= 300
    assert len(ALLOW) >= len(DENY) * 0.8, "harmless look-alikes about as many as bypasses"


def test_no_held_out_form_is_in_the_corpus() -> None:
    held = {f["command"] for f in json.loads(HELDOUT.read_text(encoding="utf-8"))}
    overlap = [p.name for p in DENY + ALLOW if _case(p)["command"] in held]
    assert overlap == []


def test_labels_come_from_a_run() -> None:
    for path in DENY:
        seen = _case(path).get("seen", {})
        assert seen.get("forbidden_verbs") or seen.get("refs_moved"), path.name


@pytest.mark.parametrize("path", DENY, ids=lambda p: p.stem)
def test_bypass_is_refused(path: Path, tmp_path: Path) -> None:
    assert _blocked(_case(path), tmp_path)


@pytest.mark.parametrize("path", ALLOW, ids=lambda p: p.stem)
def test_look_alike_is_let_through(path: Path, tmp_path: Path) -> None:
    assert not _blocked(_case(path), tmp_path)
