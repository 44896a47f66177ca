"""One problem found in an agent's answer, with where it is (stdlib only)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Finding:
    """A problem: which rule, where (JSON path and text position), what is wrong and how to fix it.

    ``offset`` is a character index into the text that was checked (-1 when there is no position);
    ``line`` and ``column`` are 1-based and count characters (Unicode code points), 0 when unknown.
    """

    rule: str
    path: str
    message: str
    hint: str = ""
    offset: int = -1
    line: int = 0
    column: int = 0

    def placed(self, lines: LineIndex) -> Finding:
        """The same finding with line and column computed from its offset."""
        if self.offset < 0:
            return self
        line, column = lines.position(self.offset)
        return replace(self, line=line, column=column)


class LineIndex:
    """Offsets of line starts in a text, to turn a character offset into (line, column)."""

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1
