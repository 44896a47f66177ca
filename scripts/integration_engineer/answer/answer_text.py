"""Exactly one JSON object out of the agent's answer text (stdlib only).

Accepted: the object alone, or the object inside one fenced block opened by three backticks with
``json`` or no language, with only whitespace around it. Refused, each with the position of the
problem: an empty answer, prose (also a short line before or after a fence: the contract says the
answer is only JSON), two values, two fences, an array or other non-object, broken JSON.
When prose surrounds one fence or one object, that JSON is still read, so every other problem is
reported in the same round.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from integration_engineer.answer.finding import Finding

_FENCE = re.compile(r"^[ ]{0,3}```[ \t]*([^\n`]*?)[ \t]*\r?$", re.MULTILINE)
_NON_SPACE = re.compile(r"[^\s\ufeff]")  # a BOM counts as blank
_OBJECT_LINE = re.compile(r"^[ \t]*\{", re.MULTILINE)
ONLY_JSON = "answer with the JSON object alone (optionally inside one ```json fence), no other text"


@dataclass(frozen=True)
class Extracted:
    """The object (or None), where it starts in the text, whether a key repeats, and the problems."""

    value: dict[str, Any] | None
    start: int = -1
    duplicates: bool = False
    findings: tuple[Finding, ...] = ()


def extract(text: str) -> Extracted:
    first = _next_char(text, 0, len(text))
    if first < 0:
        return _refused("empty-answer", "the answer is empty", ONLY_JSON, 0)
    fences = list(_FENCE.finditer(text))
    if fences and fences[0].start() <= first < fences[0].end():
        return _fenced(text, fences, ())
    if text[first] in '{["':
        return _bare(text, first, len(text), ())
    return _after_prose(text, first, fences)


def _after_prose(text: str, first: int, fences: list[re.Match[str]]) -> Extracted:
    """Prose first: refused; the JSON after it, if any, is still read and checked."""
    prose = Finding(
        "prose-around-json",
        "$",
        "the answer starts with prose before the JSON",
        "remove the text around the JSON: " + ONLY_JSON,
        first,
    )
    if fences:
        return _fenced(text, fences, (prose,))
    line = _OBJECT_LINE.search(text, first)
    if line is None:
        return _refused("not-json", "the answer is prose, not a JSON object", ONLY_JSON, first)
    return _bare(text, text.index("{", line.start()), len(text), (prose,))


def _fenced(text: str, fences: list[re.Match[str]], found: tuple[Finding, ...]) -> Extracted:
    opening, rest = fences[0], fences[1:]
    if opening.group(1).lower() not in ("", "json"):
        found += (
            Finding(
                "fence-language",
                "$",
                f"the fence is marked {opening.group(1)!r}, not json",
                "open the block with ```json",
                opening.start(1),
            ),
        )
    closing = next((m for m in rest if not m.group(1)), None)
    if closing is None:
        found += (
            Finding(
                "unclosed-fence",
                "$",
                "the ```json fence is never closed",
                "end the block with a line of three backticks",
                opening.start(),
            ),
        )
        return _bare(text, opening.end(), len(text), found)
    after = _next_char(text, closing.end(), len(text))
    if after >= 0:
        second = next((m for m in rest if m.start() >= closing.end()), None)
        found += (
            Finding("multiple-fences", "$", "a second fenced block follows the first", ONLY_JSON, second.start())
            if second
            else Finding(
                "prose-around-json",
                "$",
                "text follows the JSON block",
                "remove the text around the JSON: " + ONLY_JSON,
                after,
            ),
        )
    return _bare(text, opening.end(), closing.start(), found)


def _bare(text: str, start: int, end: int, found: tuple[Finding, ...]) -> Extracted:
    pos = _next_char(text, start, end)
    if pos < 0:
        return _refused("empty-answer", "the JSON block is empty", ONLY_JSON, start, found)
    seen_twice: list[bool] = []
    decoder = json.JSONDecoder(object_pairs_hook=lambda pairs: _pairs(pairs, seen_twice))
    try:
        value, stop = decoder.raw_decode(text[:end], pos)
    except json.JSONDecodeError as exc:
        return _refused(
            "json-syntax", f"not valid JSON: {exc.msg}", "fix the JSON syntax at this position", exc.pos, found
        )
    after = _next_char(text, stop, end)
    if after >= 0:
        found += (_trailing(text, after),)
    if not isinstance(value, dict):
        return _refused(
            "not-an-object",
            f"the answer is a JSON {_kind(value)}, not an object",
            "return one JSON object with the contract's keys",
            pos,
            found,
        )
    return Extracted(value, pos, bool(seen_twice), found)


def _trailing(text: str, at: int) -> Finding:
    if text[at] in "{[":
        return Finding(
            "multiple-values",
            "$",
            "a second JSON value starts here",
            "merge everything into one object: " + ONLY_JSON,
            at,
        )
    return Finding(
        "prose-around-json", "$", "text follows the JSON object", "remove the text around the JSON: " + ONLY_JSON, at
    )


def _pairs(pairs: list[tuple[str, Any]], seen_twice: list[bool]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen_twice.append(True)
    return result


def _refused(rule: str, message: str, hint: str, offset: int, found: tuple[Finding, ...] = ()) -> Extracted:
    return Extracted(None, -1, False, (*found, Finding(rule, "$", message, hint, offset)))


def _next_char(text: str, start: int, end: int) -> int:
    match = _NON_SPACE.search(text, start, end)
    return match.start() if match else -1


def _kind(value: Any) -> str:
    names = {list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")
