"""Reading the agent's last answer from the end of its transcript, never the whole file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from integration_engineer.finish import transcript_tail


def _write(path: Path, records: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _assistant(text: str, mid: str = "m1") -> dict[str, Any]:
    return {
        "type": "assistant",
        "message": {"id": mid, "role": "assistant", "content": [{"type": "text", "text": text}]},
    }


def test_last_assistant_text_after_other_records(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "t.jsonl",
        [
            {"type": "user", "message": {"role": "user", "content": "TASK: X"}},
            _assistant("first", "m0"),
            {"type": "assistant", "message": {"id": "m1", "content": [{"type": "tool_use", "id": "t"}]}},
            _assistant("part one", "m2"),
            _assistant("part two", "m2"),
            {"type": "system", "subtype": "stop_hook_summary"},
        ],
    )
    assert transcript_tail.last_assistant_text(str(path)) == "part one\npart two"


def test_missing_empty_or_broken_files_give_nothing(tmp_path: Path) -> None:
    assert transcript_tail.last_assistant_text("") == ""
    assert transcript_tail.last_assistant_text(str(tmp_path / "nope.jsonl")) == ""
    (tmp_path / "e.jsonl").write_text("")
    assert transcript_tail.last_assistant_text(str(tmp_path / "e.jsonl")) == ""
    (tmp_path / "b.jsonl").write_text('{"type": "assistant", "mess')
    assert transcript_tail.last_assistant_text(str(tmp_path / "b.jsonl")) == ""


def test_reads_only_the_end_of_a_big_file(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    filler = json.dumps({"type": "user", "message": {"content": "y" * 10_000}}) + "\n"
    with path.open("w") as fh:
        fh.write(json.dumps(_assistant("early answer")) + "\n")
        fh.write(filler * 2_000)  # 20 MB
        fh.write(json.dumps(_assistant("the answer")) + "\n")
    assert transcript_tail.last_assistant_text(str(path)) == "the answer"
    # an answer further back than the cap is not looked for
    assert transcript_tail.last_assistant_text(str(path), max_bytes=1_000_000) == "the answer"
    path.write_text(json.dumps(_assistant("early answer")) + "\n" + filler * 200)
    assert transcript_tail.last_assistant_text(str(path), max_bytes=1_000_000) == ""


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(st.binary(max_size=300).map(lambda b: b.replace(b"\n", b"")), max_size=30),
    block=st.integers(min_value=1, max_value=200),
)
def test_reversed_lines_equals_the_lines_reversed(tmp_path_factory: Any, lines: list[bytes], block: int) -> None:
    path = tmp_path_factory.mktemp("rev") / "f"
    path.write_bytes(b"\n".join(lines))
    expected = [line for line in reversed(lines) if line.strip()]
    got = list(transcript_tail.reversed_lines(str(path), max_bytes=10**9, block=block))
    assert got == expected
