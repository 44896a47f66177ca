"""What the audit checks: one answer text, where it came from, and how to map its positions back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from integration_engineer.answer.finding import Finding, LineIndex
from integration_engineer.answer.json_scanner import PathKey, scan


class Origin(Protocol):
    def position(self, offset: int) -> tuple[int, int]: ...


@dataclass(frozen=True)
class Document:
    """An answer to check. ``source`` is the file shown in reports, ``name`` says which answer in it;
    ``origin`` maps offsets in ``text`` to the file's line and column (None: the text is the file)."""

    source: str
    name: str
    text: str
    origin: Origin | None = None
    preset: tuple[Finding, ...] = ()  # found while reading (e.g. bytes that are not UTF-8)

    def position(self, offset: int) -> tuple[int, int]:
        return (self.origin or LineIndex(self.text)).position(offset)


@dataclass(frozen=True)
class Unreadable:
    """An input that cannot be checked at all (exit 3)."""

    source: str
    reason: str


@dataclass
class Embedded:
    """An answer decoded from a JSON string inside one JSONL line (a transcript record).

    Positions point into the raw line, so an editor jumps to the very character: the string's
    escapes are walked only when a finding needs placing.
    """

    line_no: int
    line: str
    path: PathKey
    base: int = 0  # where the answer starts inside the decoded string
    _literal: int = field(default=-1, repr=False)

    def position(self, offset: int) -> tuple[int, int]:
        if self._literal < 0:
            self._literal = scan(self.line, 0).spans[self.path].start
        return self.line_no, _raw_index(self.line, self._literal, self.base + offset) + 1


def _raw_index(line: str, literal: int, target: int) -> int:
    """Index in ``line`` of decoded character ``target`` of the string literal at ``literal``."""
    i, n = literal + 1, 0
    while n < target and i < len(line):
        if line[i] != "\\":
            i += 1
        elif line[i + 1] != "u":
            i += 2
        elif 0xD800 <= int(line[i + 2 : i + 6], 16) < 0xDC00 and line.startswith("\\u", i + 6):
            i += 12  # a surrogate pair decodes to one character
        else:
            i += 6
        n += 1
    return i
