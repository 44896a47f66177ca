"""A JSON scanner that remembers where every key and value is (stdlib only).

The standard ``json`` module parses fast but forgets positions; findings must point at the
offending key or value. This scanner runs only on text ``json`` already accepted (so it can stay
small), and only when there is something to report.
"""

from __future__ import annotations

import json.decoder
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

PathKey = tuple[str | int, ...]

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}
# The C string decoder json itself uses; typeshed does not declare it.
_scanstring = cast(Callable[[str, int], tuple[str, int]], vars(json.decoder)["scanstring"])


@dataclass(frozen=True)
class Span:
    """Where one value is: ``start``/``end`` of the value; ``key`` of its member name, or -1."""

    start: int
    end: int
    key: int = -1


@dataclass
class Located:
    """A parsed value with the span of every value in it, keyed by JSON path tuple."""

    value: Any = None
    spans: dict[PathKey, Span] = field(default_factory=dict)
    duplicates: list[tuple[PathKey, int]] = field(default_factory=list)


def scan(text: str, start: int) -> Located:
    """Positions of the JSON value starting at ``start``; ValueError on text json would refuse."""
    out = Located()
    out.value, _ = _value(text, _skip(text, start), (), out)
    return out


def _skip(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


def _value(text: str, pos: int, path: PathKey, out: Located, key: int = -1) -> tuple[Any, int]:
    char = text[pos : pos + 1]
    value: Any
    if char == "{":
        value, end = _object(text, pos, path, out)
    elif char == "[":
        value, end = _array(text, pos, path, out)
    elif char == '"':
        value, end = _scanstring(text, pos + 1)
    else:
        value, end = _scalar(text, pos)
    out.spans[path] = Span(pos, end, key)
    return value, end


def _scalar(text: str, pos: int) -> tuple[Any, int]:
    for word, value in _LITERALS.items():
        if text.startswith(word, pos):
            return value, pos + len(word)
    match = _NUMBER.match(text, pos)
    if not match:
        raise ValueError(f"no JSON value at offset {pos}")
    number = match.group()
    return (float(number) if any(c in number for c in ".eE") else int(number)), match.end()


def _object(text: str, pos: int, path: PathKey, out: Located) -> tuple[dict[str, Any], int]:
    result: dict[str, Any] = {}
    pos = _skip(text, pos + 1)
    if text.startswith("}", pos):
        return result, pos + 1
    while True:
        key_at = pos
        name, pos = _scanstring(text, pos + 1)
        pos = _skip(text, _skip(text, pos) + 1)  # past the colon
        if name in result:
            out.duplicates.append(((*path, name), key_at))
        result[name], pos = _value(text, pos, (*path, name), out, key_at)
        pos = _skip(text, pos)
        if text.startswith("}", pos):
            return result, pos + 1
        pos = _skip(text, pos + 1)  # past the comma


def _array(text: str, pos: int, path: PathKey, out: Located) -> tuple[list[Any], int]:
    result: list[Any] = []
    pos = _skip(text, pos + 1)
    if text.startswith("]", pos):
        return result, pos + 1
    while True:
        item, pos = _value(text, pos, (*path, len(result)), out)
        result.append(item)
        pos = _skip(text, pos)
        if text.startswith("]", pos):
            return result, pos + 1
        pos = _skip(text, pos + 1)


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def json_path(path: PathKey) -> str:
    """``$.files_modified[2]``; keys that are not identifiers are quoted: ``$['a b']``."""
    parts = ["$"]
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif _IDENTIFIER.match(step):
            parts.append(f".{step}")
        else:
            quoted = step.replace("\\", "\\\\").replace("'", "\\'")
            parts.append(f"['{quoted}']")
    return "".join(parts)
