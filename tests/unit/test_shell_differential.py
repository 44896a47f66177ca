"""Our lexer and parser against tree-sitter-bash (test-only dependency) on generated commands:
both must find the same simple commands with the same words, at the same offsets."""

from __future__ import annotations

import random

import pytest

from integration_engineer.bash.parser import SimpleCommand, parse
from tests.helpers import iter_commands

ts = pytest.importorskip("tree_sitter")
tsb = pytest.importorskip("tree_sitter_bash")
_PARSER = ts.Parser(ts.Language(tsb.language()))

_PLAIN = ["git", "push", "ls", "-la", "a.txt", "x=1", "--flag=v", "HEAD~1", "src/", "1", "%s", "@", "+x", "a,b", "é"]


def _word(rng: random.Random, depth: int) -> str:
    kind = rng.randrange(10 if depth < 2 else 8)
    if kind < 3:
        return rng.choice(_PLAIN[1:])
    if kind == 3:
        return "'" + rng.choice(["a b", "git push", "$x", "\\", '"', ""]) + "'"
    if kind == 4:
        return '"' + rng.choice(["a b", "$x", "${y:-z}", "\\$x", "it's", ""]) + '"'
    if kind == 5:
        return rng.choice(["$x", "${x}", "${x:-git}", "${#x}", "$1", "$@", "${x//a/b}"])
    if kind == 6:
        return rng.choice(_PLAIN[1:]) + rng.choice(["'q'", '"d"', "\\ z", "$v"])
    if kind == 7:
        return "$'" + rng.choice(["\\x67it", "a\\tb", "\\'"]) + "'"
    return "$(" + _command(rng, depth + 1) + ")"


def _command(rng: random.Random, depth: int) -> str:
    words = [rng.choice(_PLAIN[:3])] + [_word(rng, depth) for _ in range(rng.randrange(4))]
    text = " ".join(words)
    if rng.random() < 0.2:
        text += rng.choice([" > out", " 2>&1", " < in", " >> log"])
    return text


def _list(rng: random.Random, depth: int = 0) -> str:
    parts = [_statement(rng, depth)]
    for _ in range(rng.randrange(3)):
        parts.append(rng.choice([" ; ", " && ", " || ", " | ", "\n"]))
        parts.append(_statement(rng, depth))
    return "".join(parts)


def _statement(rng: random.Random, depth: int) -> str:
    kind = rng.randrange(10 if depth < 2 else 5)
    if kind < 5:
        return _command(rng, depth)
    inner = _list(rng, depth + 1)
    return [
        f"{{ {inner}; }}",
        f"( {inner} )",
        f"if {inner}; then {inner}; fi",
        f"for v in a b; do {inner}; done",
        f"while {inner}; do {inner}; done",
    ][kind - 5]


def _ours(source: str) -> list[tuple[int, list[str]]]:
    found = []
    for cmd in iter_commands(parse(source)):
        assert isinstance(cmd, SimpleCommand)
        if cmd.words:
            found.append((cmd.words[0].start, [w.raw for w in cmd.words]))
    return sorted(found)


def _theirs(source: str) -> list[tuple[int, list[str]]]:
    data = source.encode()
    tree = _PARSER.parse(data)
    assert not tree.root_node.has_error, source
    found = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.type != "command":
            continue
        words = [c for i, c in enumerate(node.children) if node.field_name_for_child(i) in ("name", "argument")]
        if words:
            start = len(data[: words[0].start_byte].decode())
            found.append((start, [w.text.decode() for w in words]))
    return sorted(found)


@pytest.mark.parametrize("seed", range(400))
def test_same_commands_and_words_as_tree_sitter(seed: int) -> None:
    source = _list(random.Random(seed))
    assert _ours(source) == _theirs(source), source


def test_generator_covers_the_constructs() -> None:
    sources = "\n".join(_list(random.Random(seed)) for seed in range(400))
    for construct in ("$(", "if ", "for v", "while ", "{ ", "( ", "$'", "${x:-git}", " | ", "'"):
        assert construct in sources, construct
