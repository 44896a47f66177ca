"""The stdlib pre-check never accepts what the real contract refuses (differential, hypothesis)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from integration_engineer.answer import contract, quick_contract
from tests.helpers import ROOT

GOOD = {
    "task_id": "PROJ-1",
    "worktree_path": "./trees/PROJ-1-x",
    "work_completed": "Did it",
    "files_modified": ["src/a.py"],
    "unfinished": [],
}

texts = st.one_of(st.sampled_from(["", " ", "\t\n", "x", "PROJ-1", "a b", "é"]), st.text(max_size=8))
paths = st.one_of(
    st.sampled_from(
        [
            "src/a.py",
            "./a",
            "a/../b",
            "..",
            "../a",
            "/abs",
            "~/x",
            "C:/x",
            "c:x",
            "a\\b",
            "a\nb",
            "a\x00",
            " ",
            "",
            "a/",
            ".hidden",
            "a/..b",
            "..a/b",
            "a/./b",
            "x\x1f",
            "a/..",
            "\t",
        ]
    ),
    st.text(alphabet=st.sampled_from("ab./\\~: \n.C"), max_size=6),
)
values = st.one_of(
    texts,
    st.integers(),
    st.none(),
    st.booleans(),
    st.lists(texts, max_size=3),
    st.lists(paths, max_size=3),
    st.dictionaries(st.text(max_size=3), texts, max_size=2),
)


# narrative_report as an object (Reaper's shape): a summary, other sections, or neither.
narratives = st.dictionaries(
    st.sampled_from(["summary", "details", "recommendations", ""]),
    st.one_of(texts, st.lists(texts, max_size=2), st.integers(), st.none()),
    max_size=3,
)


@st.composite
def answers(draw: st.DrawFn) -> dict[str, Any]:
    answer: dict[str, Any] = dict(GOOD)
    for key in ("task_id", "worktree_path", "work_completed"):
        if draw(st.booleans()):
            answer[key] = draw(st.one_of(texts, values))
    if draw(st.booleans()):
        answer["files_modified"] = draw(st.one_of(st.lists(paths, max_size=4), values))
    if draw(st.booleans()):
        answer["unfinished"] = draw(st.one_of(st.lists(texts, max_size=3), values))
    for key in ("narrative_report", "artifacts_cleaned"):
        if draw(st.booleans()):
            answer[key] = draw(st.one_of(texts, st.lists(texts, max_size=2), values, narratives))
    if draw(st.booleans()):  # Reaper's spelling, beside worktree_path or instead of it
        answer["worktreePath"] = draw(st.one_of(texts, values))
        if draw(st.booleans()):
            answer.pop("worktree_path")
    for key in draw(st.lists(st.sampled_from([*list(GOOD), "extra", "test_results", "worktreePath"]), max_size=2)):
        if draw(st.booleans()):
            answer.pop(key, None)
        else:
            answer[key] = draw(values)
    return answer


@settings(max_examples=3000, deadline=None)
@given(answers())
def test_surely_valid_implies_the_contract_accepts(answer: dict[str, Any]) -> None:
    if quick_contract.surely_valid(answer):
        assert contract.problems(answer) == [], answer


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["src/a.py", "b/c.ts", "README.md", ".env.example"]), unique=True),
    st.lists(st.sampled_from(["needs keys", "x"]), max_size=2),
    st.booleans(),
)
def test_ordinary_good_answers_take_the_fast_path(files: list[str], unfinished: list[str], narrative: bool) -> None:
    answer: dict[str, Any] = {**GOOD, "files_modified": files, "unfinished": unfinished}
    if narrative:
        answer["narrative_report"] = "Long prose."
    assert quick_contract.surely_valid(answer)
    assert contract.problems(answer) == []


def test_reapers_answer_takes_the_fast_path() -> None:
    answer = {
        **{k: v for k, v in GOOD.items() if k != "worktree_path"},
        "worktreePath": "/repo/.claude/worktrees/agent-a1b2",
        "narrative_report": {"summary": "Added the OAuth2 flow.", "details": "PKCE for the SPA."},
    }
    assert quick_contract.surely_valid(answer)
    assert contract.problems(answer) == []


def test_the_same_keys_and_path_rule_as_the_contract() -> None:
    assert quick_contract.REQUIRED == contract.REQUIRED
    assert quick_contract.REQUIRED + quick_contract.OPTIONAL == contract.FIELDS
    assert quick_contract.RELATIVE_PATH_PATTERN == contract.RELATIVE_PATH_PATTERN


def test_a_good_answer_is_checked_without_importing_pydantic() -> None:
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from integration_engineer.finish import stop_check as output_check\n"
        "answer, findings = output_check._check_text(sys.argv[2], lambda v: [])\n"
        "assert answer is not None and findings == [], findings\n"
        "print('pydantic' in sys.modules)\n"
    )
    good = subprocess.run(
        [sys.executable, "-I", "-c", probe, str(ROOT / "scripts"), json.dumps(GOOD)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert good.stdout.strip() == "False"
    bad = probe.replace("assert answer is not None and findings == [], findings\n", "")
    run = subprocess.run(
        [sys.executable, "-I", "-c", bad, str(ROOT / "scripts"), json.dumps({**GOOD, "extra": 1})],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == "True"
