"""The whole check of an answer text: one JSON object, then the contract, with positions.

This is what the SubagentStop hook calls (``check_answer``) and what ``audit`` runs per answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from integration_engineer.answer import contract
from integration_engineer.answer.answer_text import extract
from integration_engineer.answer.contract import Problem
from integration_engineer.answer.finding import Finding, LineIndex
from integration_engineer.answer.json_scanner import Located, json_path, scan

# A further check of the parsed object (e.g. claims against git): problems as contract.problems.
Check = Callable[[dict[str, Any]], list[Problem]]


def check_answer(text: str, *checks: Check) -> tuple[dict[str, Any] | None, list[Finding]]:
    """The parsed object (None when there is no single object) and every finding, placed in
    ``text`` by line and column; ``checks`` run after the contract. Never raises."""
    got = extract(text)
    found = list(got.findings)
    if got.value is not None:
        problems = contract.problems(got.value)
        for check in checks:
            problems += check(got.value)
        found += _placed_problems(text, got.start, problems, got.duplicates)
    lines = LineIndex(text)
    return got.value, [f.placed(lines) for f in found]


def _placed_problems(text: str, start: int, problems: list[Problem], duplicates: bool) -> list[Finding]:
    if not problems and not duplicates:
        return []  # the common case: no positions needed, so no second scan
    located = scan(text, start)
    found = [_duplicate(path, offset) for path, offset in located.duplicates]
    found += [replace(f, offset=_offset(located, path, anchor)) for path, anchor, f in problems]
    return sorted(found, key=lambda f: f.offset)


def _duplicate(path: tuple[str | int, ...], offset: int) -> Finding:
    return Finding(
        "duplicate-key",
        json_path(path),
        f"the key {path[-1]!r} appears twice",
        "keep one: JSON readers silently drop all but the last",
        offset,
    )


def _offset(located: Located, path: tuple[str | int, ...], anchor: str) -> int:
    """The key for unexpected keys, the value for bad values, the closing brace for missing keys.
    Falls back to the nearest enclosing value the scanner knows."""
    if anchor == "end":
        parent = located.spans.get(path[:-1])
        return parent.end - 1 if parent else -1
    for depth in range(len(path), -1, -1):
        span = located.spans.get(path[:depth])
        if span is not None:
            key_wanted = anchor == "key" and depth == len(path) and span.key >= 0
            return span.key if key_wanted else span.start
    return -1
