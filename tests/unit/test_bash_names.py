"""The pieces of bash the static reading models for names and words (issue 18), against real bash:
``read``'s IFS splitting and the ``${x@OP}`` operators (bash/expand.py), and PATH entries as bash
searches them (bash/resolve.py)."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest

from integration_engineer.bash.expand import ifs_split, transform
from integration_engineer.bash.resolve import INHERITED_PATH, search_entries

_PIECES = ["x", "y", "git", "a b", ":", "::", " ", "  ", ",", "\t", "-q"]
_IFS = [":", " ", ": ", ",", " \t\n", ":,"]


def _bash(script: str, *args: str) -> str:
    return subprocess.run(["bash", "-c", script, "_", *args], capture_output=True, text=True, check=True).stdout


def _lines(seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [("".join(rng.choice(_PIECES) for _ in range(rng.randrange(1, 7))), rng.choice(_IFS)) for _ in range(40)]


@pytest.mark.parametrize("seed", range(3))
def test_read_splits_as_bash_does(seed: int) -> None:
    cases = _lines(seed)
    script = (
        'while IFS= read -r -d "" t && IFS= read -r -d "" i; do '
        'IFS="$i" read -r a b <<<"$t"; printf "[%s][%s]" "$a" "$b"; '
        'IFS="$i" read -r -a w <<<"$t"; printf "(%s)" "${w[@]}"; printf "%s\\n" "${#w[@]}"; done'
    )
    feed = "".join(f"{t}\0{i}\0" for t, i in cases)
    real = subprocess.run(["bash", "-c", script], input=feed, capture_output=True, text=True, check=True).stdout
    mine = []
    for text, ifs in cases:
        two = [*ifs_split(text, ifs, 2), "", ""]
        fields = ifs_split(text, ifs)
        mine.append(f"[{two[0]}][{two[1]}]" + ("".join(f"({f})" for f in fields) or "()") + str(len(fields)))
    assert real.splitlines() == mine


@pytest.mark.parametrize("value", ["git", "Git Push", "it's", "\\x67it a\\tb", "a b", "ÉTÉ"])
@pytest.mark.parametrize("letter", ["Q", "E", "U", "u", "L", "A"])
def test_transform_operators_as_bash(value: str, letter: str) -> None:
    real = _bash(f'x="$1"; printf %s "${{x@{letter}}}"', value)
    if letter == "Q" and real.startswith("$'"):
        pytest.fail("bash chose $'...' quoting here; the model quotes with '...'")
    assert transform(letter, value, "x") == real


def test_prompt_operator_is_known_only_without_expansions() -> None:
    assert transform("P", "plain text", "p") == _bash('p="$1"; printf %s "${p@P}"', "plain text")
    assert transform("P", "$(date)", "p") is None
    assert transform("P", "\\u@\\h", "p") is None


def test_path_entries_as_bash_searches_them(tmp_path: Path) -> None:
    # An empty entry and "." are the working directory; a relative entry is taken from it.
    assert search_entries(f"bin::/usr/bin:.:{INHERITED_PATH}", "/w") == [
        "/w/bin",
        "/w",
        "/usr/bin",
        "/w",
        INHERITED_PATH,
    ]
    out = _bash(
        'mkdir -p "$1/bin" && printf "#!/bin/sh\\necho here\\n" > "$1/bin/zz" && chmod +x "$1/bin/zz" '
        '&& cd "$1" && PATH=bin:/usr/bin zz && PATH=/nowhere zz 2>/dev/null || echo missing',
        str(tmp_path),
    )
    assert out.splitlines() == ["here", "missing"]
