"""JSON for the hot path without importing the ``json`` package. Standard library only.

``import json`` imports ``re`` (with enum, functools, collections): ~10 ms, about half of what a
bare Python hook costs. The parsing and printing themselves are done by CPython's accelerator
``_json``, which needs none of that; this module calls it the way ``json`` does, so ``loads`` and
``dumps`` give what ``json.loads`` and ``json.dumps`` give (``tests/unit/test_json_codec.py``
compares them). Malformed text raises ``json.JSONDecodeError`` with json's own message: the
``json`` package is imported then, and only then. Where ``_json`` is missing (not CPython), the
``json`` package does everything.

CPython 3.11's scanner finds ``JSONDecodeError`` only in an already imported ``json.decoder``; before
that, malformed text makes it raise ``SystemError`` ("returned NULL without setting an exception").
``loads`` then hands the text to ``json.loads``, which raises the error it promises.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from typing import Any, NoReturn

try:
    import _json
except ImportError:  # pragma: no cover - CPython always has it
    _json = None  # type: ignore[assignment]

_WHITESPACE = " \t\n\r"  # json.decoder.WHITESPACE
_CONSTANTS = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}


class _Options:
    """What ``json.JSONDecoder()`` hands the scanner (its defaults, as ``json.loads`` uses them)."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = _CONSTANTS.__getitem__


_scan = _json.make_scanner(_Options()) if _json is not None else None  # type: ignore[arg-type]  # typeshed wants a scanner


def loads(text: str) -> Any:
    """``json.loads(text)`` for a str."""
    if _scan is None:  # pragma: no cover - not CPython
        import json

        return json.loads(text)
    if text.startswith("\ufeff"):
        _fail("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    try:
        value, end = _scan(text, _skip_whitespace(text, 0))
    except StopIteration as stop:
        _fail("Expecting value", text, stop.value)
    except SystemError:
        # Malformed text before json.decoder was imported (3.11, see above): json raises the right error.
        import json

        return json.loads(text)
    end = _skip_whitespace(text, end)
    if end != len(text):
        _fail("Extra data", text, end)
    return value


def dumps(value: Any, *, ensure_ascii: bool = True) -> str:
    """``json.dumps(value, ensure_ascii=...)`` (every other option at json's default)."""
    if _json is None:  # pragma: no cover - not CPython
        import json

        return json.dumps(value, ensure_ascii=ensure_ascii)
    quote = _json.encode_basestring_ascii if ensure_ascii else _json.encode_basestring
    if isinstance(value, str):
        return str(quote(value))
    # markers (circular check), default, string encoder, indent, key and item separators,
    # sort_keys, skipkeys, allow_nan: json.JSONEncoder's defaults, in the order it passes them.
    encode = _json.make_encoder({}, _not_serializable, quote, None, ": ", ", ", False, False, True)
    return "".join(encode(value, 0))


def _not_serializable(value: object) -> NoReturn:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _skip_whitespace(text: str, index: int) -> int:
    end = len(text)
    while index < end and text[index] in _WHITESPACE:
        index += 1
    return index


def _fail(message: str, text: str, position: int) -> NoReturn:
    from json import JSONDecodeError  # only for malformed text

    raise JSONDecodeError(message, text, position)
