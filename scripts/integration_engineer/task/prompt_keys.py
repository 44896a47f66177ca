"""Finding the keys of an orchestrator's prompt (``TASK:``, ``**Description** =``, ``- worktree path:``,
and Reaper's ``BRIEF:``, ``SCOPE:``, ``RESTRICTION:``).

String code, not a regular expression: compiling the equivalent pattern cost ~0.8 ms on every
Agent call (hot path). ``finditer(prompt)`` returns what ``finditer`` of this pattern returned
(``re.IGNORECASE | re.MULTILINE``; ``tests/unit/test_string_code.py`` compares the two)::

    (?P<lead>^|[,;|]|[ \\t])[ \\t]*(?:[-*+][ \\t]+|\\#{1,6}[ \\t]*|>[ \\t]*)?MARK[ \\t]*
    (?P<key>task[ _-]*id|task|ticket(?:[ _-]*id)?|description|desc|work[ _-]*tree(?:[ _-]*path)?
            |brief|scope|restrictions?)
    [ \\t]*MARK[ \\t]*[:=]MARK[ \\t]*          with MARK = (?:\\*\\*|__|\\*|_|`)?

How: a key starts at a letter, and what may precede it (bullets, marks, blanks) has no letter, so
each place where a key word starts has one run of such characters before it; the leftmost start
in that run from which the pattern's prefix parses is where the match begins.
"""

from __future__ import annotations

TASK, DESCRIPTION, WORKTREE = "task", "description", "worktree"
BRIEF, SCOPE, RESTRICTION = "brief", "scope", "restriction"  # Reaper's deployment template

MARKS = ("**", "__", "*", "_", "`", "")  # in the pattern's order of preference
BLANKS = " \t"
LEADS = ",;|"
PREFIX_CHARS = frozenset(" \t-*+#>_`")  # every character the part before a key may hold
JOINERS = " _-"
# Characters re.IGNORECASE takes for a key letter besides its ASCII cases (CPython's case fixes).
_FOLD = {
    **{c: c + 32 for c in range(ord("A"), ord("Z") + 1)},
    0x130: ord("i"),
    0x131: ord("i"),
    0x17F: ord("s"),
    0x212A: ord("k"),
}


class KeyMatch:
    """One key found: where its match starts and ends, the lead before it, the key as written."""

    __slots__ = ("end", "key", "lead", "name", "start")

    def __init__(self, start: int, end: int, lead: str, key: str, name: str) -> None:
        self.start, self.end, self.lead, self.key, self.name = start, end, lead, key, name

    def as_tuple(self) -> tuple[int, int, str, str, str]:
        return self.start, self.end, self.lead, self.key, self.name


def finditer(prompt: str) -> list[KeyMatch]:
    """Every key match, left to right, not overlapping (as ``re.finditer`` finds them)."""
    folded = prompt.lower() if prompt.isascii() else prompt.translate(_FOLD)
    found: list[KeyMatch] = []
    last_end = 0
    for k in _key_starts(folded):
        if k < last_end:
            continue
        key = _key_at(folded, k)
        start = _match_start(prompt, k, last_end) if key is not None else None
        if key is None or start is None:
            continue
        name, key_end, end = key
        found.append(KeyMatch(start[0], end, start[1], prompt[k:key_end], name))
        last_end = end
    return found


def _key_starts(folded: str) -> list[int]:
    starts = set()
    for word in ("task", "ticket", "desc", "work", "brief", "scope", "restriction"):
        at = folded.find(word)
        while at >= 0:
            starts.add(at)
            at = folded.find(word, at + 1)
    return sorted(starts)


def _skip(text: str, i: int, chars: str) -> int:
    while i < len(text) and text[i] in chars:
        i += 1
    return i


def _skip_blanks(text: str, i: int) -> int:
    return _skip(text, i, BLANKS)


def _key_at(folded: str, k: int) -> tuple[str, int, int] | None:
    """(name, end of the key word, end of the match) for the first alternative whose suffix fits."""
    for name, key_end in _key_words(folded, k):
        end = _suffix_end(folded, key_end)
        if end is not None:
            return name, key_end, end
    return None


def _key_words(folded: str, k: int) -> list[tuple[str, int]]:
    """The key words starting at k, in the pattern's order of preference, with their ends."""
    if folded.startswith("task", k):
        return [*_with_tail(folded, k + 4, "id", TASK), (TASK, k + 4)]
    if folded.startswith("ticket", k):
        return [*_with_tail(folded, k + 6, "id", TASK), (TASK, k + 6)]
    if folded.startswith("work", k):
        tree = _with_tail(folded, k + 4, "tree", WORKTREE)
        return [*_with_tail(folded, tree[0][1], "path", WORKTREE), *tree] if tree else []
    if folded.startswith("description", k):
        return [(DESCRIPTION, k + 11), (DESCRIPTION, k + 4)]
    if folded.startswith("desc", k):
        return [(DESCRIPTION, k + 4)]
    if folded.startswith("restriction", k):
        plural = [(RESTRICTION, k + 12)] if folded.startswith("restrictions", k) else []
        return [*plural, (RESTRICTION, k + 11)]
    return [(name, k + len(name)) for name in (BRIEF, SCOPE) if folded.startswith(name, k)]


def _with_tail(folded: str, i: int, tail: str, name: str) -> list[tuple[str, int]]:
    """``[ _-]*TAIL`` from i: the key word's end when it is there."""
    after = _skip(folded, i, JOINERS)
    return [(name, after + len(tail))] if folded.startswith(tail, after) else []


def _suffix_end(folded: str, i: int) -> int | None:
    """End of ``[ \\t]*MARK[ \\t]*[:=]MARK[ \\t]*`` from i, None when it does not match."""
    i = _skip_blanks(folded, i)
    for mark in MARKS:
        if not folded.startswith(mark, i):
            continue
        j = _skip_blanks(folded, i + len(mark))
        if j < len(folded) and folded[j] in ":=":
            j += 1
            j += len(next(m for m in MARKS if folded.startswith(m, j)))
            return _skip_blanks(folded, j)
    return None


def _line_start(text: str, i: int) -> bool:
    return i == 0 or text[i - 1] == "\n"


def _match_start(prompt: str, k: int, last_end: int) -> tuple[int, str] | None:
    """(start, lead) of the leftmost match, not before ``last_end``, that reaches the key at k."""
    run = k
    while run > 0 and prompt[run - 1] in PREFIX_CHARS:
        run -= 1
    first = _skip_blanks(prompt, run)
    # At a line start "^" (an empty lead) is tried before the lead character; a lead character
    # just before the run is not a prefix character, so "^" there never reaches the key.
    if run - 1 >= last_end and prompt[run - 1] in LEADS and _prefix_parses(prompt, first, k):
        return run - 1, prompt[run - 1]
    if run >= last_end and _line_start(prompt, run) and _prefix_parses(prompt, first, k):
        return run, ""
    s = max(run, last_end)
    while s < k:
        if prompt[s] not in BLANKS:
            s += 1
            continue
        after = _skip_blanks(prompt, s)  # every blank of a stretch leads to the same prefix
        if _prefix_parses(prompt, after, k):
            return s, prompt[s]
        s = after
    return None


def _prefix_parses(prompt: str, q: int, k: int) -> bool:
    """``prompt[q:k]`` is ``(?:[-*+][ \\t]+|\\#{1,6}[ \\t]*|>[ \\t]*)?MARK[ \\t]*``."""
    text = prompt[q:k]
    rests = [text]
    if text[:1] in ("-", "*", "+") and text[1:2] in (" ", "\t"):
        rests.append(text[1:].lstrip(BLANKS))
    elif text[:1] == "#":
        hashes = len(text) - len(text.lstrip("#"))
        if hashes <= 6:
            rests.append(text[hashes:].lstrip(BLANKS))
    elif text[:1] == ">":
        rests.append(text[1:].lstrip(BLANKS))
    return any(rest.startswith(mark) and not rest[len(mark) :].strip(BLANKS) for rest in rests for mark in MARKS)
