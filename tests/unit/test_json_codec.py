"""json_codec (the hot path's JSON, without importing json) gives what json gives: the same text
for the same values, the same values for the same text, the same errors for malformed text."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integration_engineer.runtime import json_codec
from tests.helpers import ROOT

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
KEYS = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=25,
)
# Text close to JSON: its punctuation, literals, numbers, escapes, whitespace (JSON's and not).
PIECES = st.sampled_from(
    [
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        '"',
        "\\",
        "\\u00e9",
        "\\ud800",
        "u",
        "a",
        "1",
        "-",
        "0",
        ".",
        "e",
        "+",
        "true",
        "false",
        "null",
        "NaN",
        "Infinity",
        "-Infinity",
        " ",
        "\t",
        "\n",
        "\r",
        "\x0c",
        "\xa0",
        "\ufeff",
        "é",
        "\x00",
    ]
)
NEAR_JSON = st.lists(PIECES, max_size=20).map("".join)
MANY = settings(max_examples=1500, deadline=None)


def _outcome(function: Any, *args: Any, **kwargs: Any) -> tuple[str, Any]:
    """("ok", json text of the result) or ("error", the exception's type, message and position)."""
    try:
        value = function(*args, **kwargs)
    except (ValueError, TypeError, RecursionError) as exc:
        return "error", (type(exc), str(exc), getattr(exc, "pos", None))
    return "ok", json.dumps(value) if not isinstance(value, str) else value


@MANY
@given(VALUES, st.booleans())
def test_dumps_is_json_dumps(value: Any, ensure_ascii: bool) -> None:
    assert json_codec.dumps(value, ensure_ascii=ensure_ascii) == json.dumps(value, ensure_ascii=ensure_ascii)


@MANY
@given(VALUES)
def test_loads_reads_back_what_json_wrote(value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert json.dumps(json_codec.loads(text)) == json.dumps(json.loads(text))


@settings(max_examples=4000, deadline=None)
@given(NEAR_JSON)
def test_loads_accepts_and_refuses_what_json_does(text: str) -> None:
    assert _outcome(json_codec.loads, text) == _outcome(json.loads, text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\ufeff{}",
        "{} x",
        '{"a": 1,}',
        '{"a" 1}',
        "[1, 2",
        "nul",
        '"\\x"',
        '"a\nb"',
        " [NaN, -Infinity, 1e400] ",
        '{"a": {"b": []}}',
    ],
)
def test_loads_on_written_cases(text: str) -> None:
    assert _outcome(json_codec.loads, text) == _outcome(json.loads, text)


def test_constants_and_big_numbers() -> None:
    values = json_codec.loads("[NaN, Infinity, -Infinity, 12345678901234567890123, 1.5e3]")
    assert math.isnan(values[0]) and values[1:3] == [math.inf, -math.inf]
    assert values[3] == 12345678901234567890123 and values[4] == 1500.0


def test_errors_are_jsons() -> None:
    with pytest.raises(json.JSONDecodeError, match=r"Expecting value: line 1 column 1 \(char 0\)"):
        json_codec.loads("")
    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        json_codec.dumps({"a": {1}})
    loop: list[Any] = []
    loop.append(loop)
    assert _outcome(json_codec.dumps, loop) == _outcome(json.dumps, loop)
    assert _outcome(json_codec.dumps, loop)[0] == "error"


# The hot path's state: a fresh ``python -I -S`` in which nothing has imported json yet.
FRESH = r"""
import sys
sys.path.insert(0, sys.argv[1])
from integration_engineer.runtime import json_codec
assert "json" not in sys.modules, "json was imported before the test could parse"
try:
    json_codec.loads(sys.argv[2])
except Exception as exc:
    print(type(exc).__module__, type(exc).__name__, getattr(exc, "pos", None), exc, sep="|")
else:
    print("parsed")
"""


@pytest.mark.parametrize(
    "text",
    ['{"a": 1,}', '{"a" 1}', '"abc', '{"a": "\\x"}', "{", '{"a": [1, }', '["a" "b"]', "[1, 2", "nul", ""],
)
def test_malformed_text_in_a_fresh_interpreter_raises_jsons_error(text: str) -> None:
    """Before json is imported (CPython 3.11's scanner cannot find JSONDecodeError then and raised
    SystemError), malformed text still gives json's own error, message and position."""
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", FRESH, str(ROOT / "scripts"), text],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    error = expected.value
    assert proc.stdout.strip() == f"json.decoder|JSONDecodeError|{error.pos}|{error}"
