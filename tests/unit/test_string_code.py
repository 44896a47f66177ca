"""The hot path's string code does what the regular expressions it replaced did (the regexes
cost a compile on every hook call): compared on generated text, Unicode whitespace included."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integration_engineer.runtime import actor
from integration_engineer.task import context as task_context
from integration_engineer.task import prompt as task_prompt
from integration_engineer.task import prompt_keys
from integration_engineer.tool_scope import exclusion_flags, tool_calls

TEXT = st.text(
    alphabet=st.sampled_from(list("ab9#:;,|*_-–—. \t\n\r\x0b\x0c\x1c\x85\xa0\u2003\u3000AZ@'\"`é")), max_size=14
)
MANY = settings(max_examples=1500, deadline=None)


@MANY
@given(TEXT)
def test_clean(value: str) -> None:
    old = value.strip()
    old = re.sub(r"^(?:\*\*|__|[*_])\s*", "", old)
    old = re.sub(r"\s*(?:\*\*|__|[*_])?\s*[,;|]?\s*$", "", old).strip()
    assert task_prompt._clean(value) == old


@MANY
@given(TEXT)
def test_first_token(value: str) -> None:
    token, _rest = task_prompt._first_token(value)
    value = value.strip()
    if not (value and value[0] in task_prompt._QUOTES and value.find(value[0], 1) > 0):
        parts = value.split(None, 1)
        old = parts[0].strip("\"'`").rstrip(".,;:!?)]}").strip("\"'`") if parts else ""
        assert token == re.sub(r"(?:\*\*|__)$", "", old)


@MANY
@given(TEXT)
def test_looks_like_id_split_task_and_squash(value: str) -> None:
    assert task_prompt._looks_like_id(value) == (bool(re.search(r"[0-9#_-]", value)) or value.isupper())
    assert task_prompt._lstrip_separators(value) == re.sub(r"^[\s:\-–—,;|]+", "", value)
    assert task_prompt._lstrip_separators(value, ",;|") == re.sub(r"^[\s,;|]+", "", value)
    assert task_prompt._squash(value) == re.sub(r"\s+", " ", value).strip()


@MANY
@given(TEXT)
def test_normalise(value: str) -> None:
    assert actor.normalise(value) == re.sub(r"[\s_\-]+", "-", value.strip().lower())


@MANY
@given(TEXT)
def test_safe_names(value: str) -> None:
    expected = re.sub(r"[^A-Za-z0-9._-]", "_", value)[:100]
    safe = task_context._safe(value)
    if expected == value and value not in ("", ".", ".."):
        assert safe == value
    else:
        assert safe.rpartition("-")[0] == expected


# The pattern prompt_keys replaced (task_prompt compiled it on every Agent call, ~0.8 ms).
_KEY_WORDS = {
    "task": r"task[ _-]*id|task|ticket(?:[ _-]*id)?",
    "description": r"description|desc",
    "worktree": r"work[ _-]*tree(?:[ _-]*path)?",
    "brief": r"brief",
    "scope": r"scope",
    "restriction": r"restrictions?",
}
_MARK = r"(?:\*\*|__|\*|_|`)?"
_KEY = re.compile(
    r"(?P<lead>^|[,;|]|[ \t])[ \t]*(?:[-*+][ \t]+|\#{1,6}[ \t]*|>[ \t]*)?"
    + _MARK
    + r"[ \t]*"
    + r"(?P<key>"
    + "|".join(f"(?P<{name}>{words})" for name, words in _KEY_WORDS.items())
    + r")"
    + r"[ \t]*"
    + _MARK
    + r"[ \t]*[:=]"
    + _MARK
    + r"[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)
# Pieces of prompts: every key word and joiner in several cases, every character the pattern
# treats specially, and the characters re.IGNORECASE folds into key letters (İ ı ſ K).
PIECES = st.sampled_from(
    [
        "task",
        "TASK",
        "Task",
        "id",
        "_id",
        " ID",
        "-id",
        "ticket",
        "TICKET",
        "desc",
        "DESCRIPTION",
        "description",
        "Desc",
        "work",
        "WORK",
        "tree",
        "-tree",
        "_Tree",
        " path",
        "PATH",
        "brief",
        "BRIEF",
        "scope",
        "Scope",
        "restriction",
        "RESTRICTION",
        "s",
        " ",
        "  ",
        "\t",
        "_",
        "-",
        "*",
        "**",
        "`",
        "#",
        "##",
        "#######",
        ">",
        "+",
        ":",
        "=",
        ",",
        ";",
        "|",
        "\n",
        "\r",
        "\n\n",
        "x",
        "X1",
        "İ",
        "ı",
        "ſ",
        "\u212a",
        "tasK",
        "TAſK",
        "a",
        "é",
        "\xa0",
    ]
)
PROMPTS = st.lists(PIECES, max_size=16).map("".join)


def _regex_keys(prompt: str) -> list[tuple[int, int, str, str, str]]:
    return [
        (m.start(), m.end(), m.group("lead"), m.group("key"), next(name for name in _KEY_WORDS if m.group(name)))
        for m in _KEY.finditer(prompt)
    ]


@settings(max_examples=4000, deadline=None)
@given(PROMPTS)
def test_prompt_keys_find_what_the_pattern_found(prompt: str) -> None:
    assert [m.as_tuple() for m in prompt_keys.finditer(prompt)] == _regex_keys(prompt)


@pytest.mark.parametrize(
    "prompt",
    [
        "TASK: PROJ-123, DESCRIPTION: Integrate Stripe webhooks, WORKTREE_PATH: ./trees/PROJ-123-x",
        "**Task ID**: #456\n- **Description**: GitHub app\n> worktree = trees/a",
        "## Ticket-ID: sprint-5-auth\n### desc:\nOAuth PKCE\n\n* work tree path :`./trees/x`",
        "the description: is a sentence, TASK:: x;desc=y|WORKTREE:z",
        "\n   \t - TASK_: a\n####### desc: b\n#task: c\n_*Description*_: d",
        "TASK: RPR-7\nWORKTREE: .claude/worktrees/RPR-7-work\nBRIEF: Stripe\nSCOPE: src/** tests/**\nRESTRICTION: none",
        "**Scope**: src/**; restrictions = no db, ſcope: x",
    ],
)
def test_prompt_keys_on_written_prompts(prompt: str) -> None:
    assert [m.as_tuple() for m in prompt_keys.finditer(prompt)] == _regex_keys(prompt)
    assert prompt_keys.finditer(prompt)


@MANY
@given(st.lists(st.sampled_from(["a", " ", "\t", "\n", "\r", "\xa0", "x y"]), max_size=12).map("".join))
def test_first_block(text: str) -> None:
    assert task_prompt._first_block(text) == re.split(r"\n[ \t]*\n", text, maxsplit=1)[0]


@MANY
@given(st.text(alphabet=st.sampled_from(list("aZ09'.+#/-_ \t\né@")), max_size=20))
def test_words_of(text: str) -> None:
    assert task_prompt.words_of(text) == re.findall(r"[A-Za-z0-9][A-Za-z0-9'.+#/-]*", text)


@MANY
@given(st.lists(st.sampled_from(["py", "python", "3", ".", "1", "12", "٣", "x", "thon", "-"]), max_size=6).map("".join))
def test_is_python(program: str) -> None:
    assert tool_calls.is_python(program) == bool(re.fullmatch(r"python(3(\.\d+)?)?|py", program))


@MANY
@given(st.text(alphabet=st.sampled_from(list("aZ09_./=:,@%+- '\"$*é\n")), min_size=1, max_size=10))
def test_safe_shell_word(word: str) -> None:
    assert exclusion_flags._safe(word) == bool(re.fullmatch(r"[A-Za-z0-9_./=:,@%+-]+", word))
