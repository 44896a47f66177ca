"""Reading a command's words for the paths it writes: operands, option values, a word's tail.
Standard library only (hot path)."""

from __future__ import annotations

from integration_engineer.bash import commands
from integration_engineer.bash.lexer import Lit
from integration_engineer.bash.parser import Word

# What a handler finds: (word, operation, kind, whole_tree).
Found = list[tuple[Word, str, str, bool]]


def split_operands(
    words: list[Word], takes: frozenset[str] = frozenset(), short: str = ""
) -> tuple[list[Word], dict[str, list[str]]]:
    return commands.split_options(words[1:], takes, short)


def option_word(words: list[Word], flags: tuple[str, ...]) -> list[Word]:
    """The words given as values of ``flags`` (``-t DIR``, ``--target-directory=DIR``)."""
    out = []
    for i, w in enumerate(words):
        value = w.value or ""
        if value in flags and i + 1 < len(words):
            out.append(words[i + 1])
        for flag in flags:
            if flag.startswith("--") and value.startswith(flag + "="):
                out.append(suffix_word(w, len(flag) + 1))
    return out


def suffix_word(word: Word, cut: int) -> Word:
    value = word.value
    if value is None:
        return word
    return Word(word.start, word.end, word.raw, [Lit(value[cut:], False)])


def literal_word(text: str) -> Word:
    return Word(0, 0, text, [Lit(text, False)])
