"""Exactly one JSON object out of an answer text; every refusal says where."""

from __future__ import annotations

import pytest

from integration_engineer.answer.answer_text import extract
from integration_engineer.answer.check import check_answer

OBJ = '{"task_id": "P"}'


@pytest.mark.parametrize(
    "text",
    [
        OBJ,
        f"\n  {OBJ}\n\n",
        f"```json\n{OBJ}\n```",
        f"\n```JSON\n{OBJ}\n```\n",
        f"```\n{OBJ}\n```",
        f"\ufeff{OBJ}",
        f"```json\r\n{OBJ}\r\n```\r\n",
    ],
)
def test_accepted_shapes(text: str) -> None:
    got = extract(text)
    assert got.findings == ()
    assert got.value == {"task_id": "P"}


@pytest.mark.parametrize(
    ("text", "rule", "line", "column"),
    [
        ("", "empty-answer", 1, 1),
        ("   \n ", "empty-answer", 1, 1),
        ("All done, the tests pass.", "not-json", 1, 1),
        (f"Here it is:\n{OBJ}", "prose-around-json", 1, 1),
        (f"  Result:\n```json\n{OBJ}\n```", "prose-around-json", 1, 3),
        (f"```json\n{OBJ}\n```\nHope this helps!", "prose-around-json", 4, 1),
        (f"{OBJ}\nThanks", "prose-around-json", 2, 1),
        (f"{OBJ}\n{OBJ}", "multiple-values", 2, 1),
        (f"```json\n{OBJ}\n```\n```json\n{OBJ}\n```", "multiple-fences", 4, 1),
        ("[1, 2]", "not-an-object", 1, 1),
        ('"just a string"', "not-an-object", 1, 1),
        ('{\n  "a": 1,\n}', "json-syntax", 3, 1),
        ('{\n  "a": tru\n}', "json-syntax", 2, 8),
        ("```json\n{}\n", "unclosed-fence", 1, 1),
        ("```python\n{}\n```", "fence-language", 1, 4),
        ("```json\n\n```", "empty-answer", 1, 8),
    ],
)
def test_refusals_point_at_the_problem(text: str, rule: str, line: int, column: int) -> None:
    _value, findings = check_answer(text)
    first = findings[0]
    assert (first.rule, first.line, first.column) == (rule, line, column), findings


def test_json_around_prose_is_still_checked_so_one_retry_fixes_everything() -> None:
    value, findings = check_answer(f"Here:\n```json\n{OBJ}\n```")
    assert value == {"task_id": "P"}
    rules = [f.rule for f in findings]
    assert rules[0] == "prose-around-json"
    assert "missing-key" in rules


def test_unicode_columns_count_characters() -> None:
    text = '{"task_id": "é😀", "x": 1}'
    _value, findings = check_answer(text)
    unexpected = next(f for f in findings if f.rule == "unexpected-key")
    assert text[unexpected.column - 1 :].startswith('"x"')
