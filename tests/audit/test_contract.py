"""Each contract rule, with the position of its finding (line and column of the key or value)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from integration_engineer.answer import contract
from integration_engineer.answer.check import check_answer
from integration_engineer.answer.rules import RULES

ROOT = Path(__file__).resolve().parents[2]
GOOD: dict[str, Any] = {
    "task_id": "PROJ-1",
    "worktree_path": "./trees/PROJ-1",
    "work_completed": "Stripe webhooks",
    "files_modified": ["src/a.py"],
    "unfinished": [],
}


def answer(**changes: Any) -> str:
    """GOOD with changes (None removes a key), indented: files_modified items on lines 6+."""
    body = {k: v for k, v in {**GOOD, **changes}.items() if v is not None}
    return json.dumps(body, indent=2)


def found(text: str) -> list[tuple[str, str, int, int]]:
    _value, findings = check_answer(text)
    return [(f.rule, f.path, f.line, f.column) for f in findings]


def test_good_answer_has_no_findings() -> None:
    value, findings = check_answer(answer(narrative_report="Long story.", artifacts_cleaned=["x/"]))
    assert findings == []
    assert value is not None and value["task_id"] == "PROJ-1"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"task_id": None}, [("missing-key", "$.task_id", 8, 1)]),
        ({"task_id": 7}, [("wrong-type", "$.task_id", 2, 14)]),
        ({"work_completed": "  "}, [("blank-value", "$.work_completed", 4, 21)]),
        ({"files_modified": "a.py"}, [("wrong-type", "$.files_modified", 5, 21)]),
        ({"files_modified": ["/etc/x"]}, [("absolute-path", "$.files_modified[0]", 6, 5)]),
        ({"files_modified": ["C:/x"]}, [("absolute-path", "$.files_modified[0]", 6, 5)]),
        ({"files_modified": ["~/x"]}, [("absolute-path", "$.files_modified[0]", 6, 5)]),
        ({"files_modified": ["a\\b"]}, [("backslash-in-path", "$.files_modified[0]", 6, 5)]),
        ({"files_modified": ["a/../../b"]}, [("path-escapes-worktree", "$.files_modified[0]", 6, 5)]),
        ({"files_modified": ["a\tb"]}, [("control-character", "$.files_modified[0]", 6, 5)]),
        ({"files_modified": ["a", "a"]}, [("duplicate-path", "$.files_modified[1]", 7, 5)]),
        ({"unfinished": [""]}, [("blank-value", "$.unfinished[0]", 9, 5)]),
        (
            {"narrative_report": None, "unfinished": None, "extra": 1},
            [("unexpected-key", "$.extra", 8, 3), ("missing-key", "$.unfinished", 9, 1)],
        ),
        ({"test_results": {"passed": 3}}, [("reported-elsewhere", "$.test_results", 9, 3)]),
        ({"taskId": "x"}, [("unexpected-key", "$.taskId", 9, 3)]),
    ],
)
def test_each_rule_points_at_the_key_or_value(
    changes: dict[str, Any], expected: list[tuple[str, str, int, int]]
) -> None:
    assert found(answer(**changes)) == expected


@pytest.mark.parametrize(
    "key",
    [
        "test_results",
        "tests_passed",
        "coverage",
        "quality_score",
        "gate_status",
        "timestamp",
        "version",
        "execution_id",
        "testResults",
        "code-coverage",
        "duration_ms",
    ],
)
def test_do_not_include_kinds_say_why(key: str) -> None:
    _value, findings = check_answer(answer(**{key: 1}))
    assert [f.rule for f in findings] == ["reported-elsewhere"]
    assert key in findings[0].message
    assert any(
        word in findings[0].message for word in ("test runner", "reviewer", "orchestrator", "recorded by Claude Code")
    )


def test_near_miss_key_suggests_the_right_name() -> None:
    _value, findings = check_answer(answer(files_modified=None, filesModified=["a.py"]))
    assert "did you mean 'files_modified'" in findings[0].message


def test_duplicate_key_is_reported_at_the_second_occurrence() -> None:
    text = answer().replace('"unfinished": []', '"unfinished": [],\n  "task_id": "X"')
    assert found(text) == [("duplicate-key", "$.task_id", 9, 3)]


def test_every_rule_the_code_can_emit_is_registered() -> None:
    sources = (ROOT / "scripts" / "integration_engineer").rglob("*.py")
    text = "\n".join(p.read_text() for p in sources)
    emitted = set(re.findall(r'Finding\(\s*"([a-z0-9-]+)"', text))
    emitted |= {rule for rule, _hint in contract._RULES.values()}
    assert len(emitted) > 20
    assert emitted - set(RULES) == set()


def test_schema_file_is_generated_from_the_model() -> None:
    on_disk = json.loads((ROOT / "schemas" / "agent-output.schema.json").read_text())
    assert on_disk == contract.json_schema(), "run: python -m integration_engineer.answer.contract --write-schema"
    jsonschema.Draft202012Validator.check_schema(on_disk)
    assert on_disk["$id"].endswith("agent-output.schema.json")
    assert on_disk["additionalProperties"] is False


_validator = jsonschema.Draft202012Validator(contract.json_schema())


@given(
    st.one_of(
        st.text(max_size=12),
        st.sampled_from(
            [
                "/a",
                "\\a",
                "C:x",
                "c:/x",
                "~",
                "~/a",
                "..",
                "a/..",
                "../a",
                "a/../b",
                "...",
                "a..b",
                "..a",
                "a/..b",
                " ",
                "a\n",
                "a\x00",
                "ok/file.py",
                "./x",
                "a//b",
                "é/😀.py",
                "a b",
            ]
        ),
    )
)
def test_schema_and_model_agree_on_paths(path: str) -> None:
    """Other validators using the published schema must accept and refuse what the model does."""
    data = {**GOOD, "files_modified": [path]}
    assert _validator.is_valid(data) == (contract.check_object(data) == [])


@given(
    st.dictionaries(
        st.sampled_from([*GOOD, "extra", "coverage", "worktreePath", "narrative_report"]),
        st.one_of(
            st.text(max_size=5),
            st.lists(st.text(max_size=5), max_size=3),
            st.integers(),
            st.none(),
            st.dictionaries(  # narrative_report as an object (Reaper's shape)
                st.sampled_from(["summary", "details", ""]),
                st.one_of(st.text(max_size=5), st.lists(st.text(max_size=5), max_size=2), st.integers()),
                max_size=3,
            ),
        ),
        max_size=9,
    )
)
def test_schema_and_model_agree_on_objects(data: dict[str, Any]) -> None:
    assert _validator.is_valid(data) == (contract.check_object(data) == [])


def test_reapers_answer_shape_is_accepted() -> None:
    """worktreePath for worktree_path, narrative_report as an object with a summary (or prose)."""
    reaper = {k: v for k, v in GOOD.items() if k != "worktree_path"}
    for narrative in ({"summary": "Added OAuth2.", "details": "PKCE.", "steps": ["a", "b"]}, "Prose."):
        data = {**reaper, "worktreePath": ".claude/worktrees/agent-a1", "narrative_report": narrative}
        assert contract.check_object(data) == [] and _validator.is_valid(data)


@pytest.mark.parametrize(
    ("change", "rule", "where"),
    [
        ({"worktree_path": None}, "missing-key", "$.worktree_path"),
        ({"worktree_path": None, "worktreePath": " "}, "blank-value", "$.worktreePath"),
        ({"narrative_report": {"details": "no summary"}}, "invalid-value", "$.narrative_report.summary"),
        ({"narrative_report": {"summary": " "}}, "invalid-value", "$.narrative_report.summary"),
        ({"narrative_report": {"summary": "ok", "details": 3}}, "invalid-value", "$.narrative_report.details"),
        ({"narrative_report": ["a"]}, "wrong-type", "$.narrative_report"),
    ],
)
def test_reapers_shape_refused_when_wrong(change: dict[str, Any], rule: str, where: str) -> None:
    data = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    findings = contract.check_object(data)
    assert [(f.rule, f.path) for f in findings] == [(rule, where)], findings
    assert not _validator.is_valid(data)
