"""Words as bash sees them: quote removal, escapes, expansions, spans."""

from __future__ import annotations

import pytest

from integration_engineer.bash.lexer import Arith, Lit, Param, ShellSyntaxError, Sub
from integration_engineer.bash.parser import SimpleCommand, parse
from tests.helpers import iter_commands


def words(source: str) -> list[tuple[str, str | None]]:
    cmd = next(c for c in iter_commands(parse(source)) if c.words)
    return [(w.raw, w.value) for w in cmd.words]


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("g''it", "git"),
        ('g""it', "git"),
        ('"git"', "git"),
        ("'git'", "git"),
        ("g\\it", "git"),
        ("$'\\x67it'", "git"),
        ("$'\\147\\151\\164'", "git"),
        ("$'\\u0067it'", "git"),
        ("$'a\\'b'", "a'b"),
        ("$'\\cA'", "\x01"),
        ('$"loc"', "loc"),
        ("gi\\\nt", "git"),
        ('"a\\"b"', 'a"b'),
        ('"a\\$b"', "a$b"),
        ('"a\\nb"', "a\\nb"),
        ("'a\\nb'", "a\\nb"),
        ("a\\ b", "a b"),
        ("''", ""),
        ('""', ""),
    ],
)
def test_quote_removal(source: str, value: str) -> None:
    assert words(source + " x")[0] == (source, value)


@pytest.mark.parametrize(
    "source",
    [
        "$x",
        "${x}",
        "${x:-git}",
        "${#x}",
        "${x//a/b}",
        "${!p*}",
        "$(git)",
        "`git`",
        "$((1+2))",
        "<(ls)",
        "a$x",
        '"$x"',
        "${x:-$(git push)}",
        "$[1+2]",
    ],
)
def test_expansions_make_the_value_unknown(source: str) -> None:
    cmd = next(c for c in iter_commands(parse("echo " + source)) if c.words[0].raw == "echo")
    word = cmd.words[1]
    assert word.value is None and word.has_expansion and word.raw == source


def test_trailing_backslash_is_literal() -> None:
    assert words("echo \\")[1] == ("\\", "\\")


def test_parts_keep_the_structure() -> None:
    cmd = next(c for c in iter_commands(parse('echo a"$x"${y:-d}$(e)$((1))')) if len(c.words) == 2)
    kinds = [type(p) for p in cmd.words[1].parts]
    assert kinds == [Lit, Param, Param, Sub, Arith]
    param = cmd.words[1].parts[2]
    assert isinstance(param, Param) and param.op == ":-" and param.arg is not None


def test_spans_point_into_the_source() -> None:
    source = "  git  -C 'a b'  push # done"
    cmd = next(iter_commands(parse(source)))
    assert [source[w.start : w.end] for w in cmd.words] == ["git", "-C", "'a b'", "push"]
    assert source[cmd.start : cmd.end] == "git  -C 'a b'  push"


def test_globs_are_flagged_only_unquoted() -> None:
    glob, quoted = next(iter_commands(parse("ls *.py '*.md'"))).words[1:]
    assert glob.has_glob and not quoted.has_glob


@pytest.mark.parametrize(
    "source",
    [
        "echo 'x",
        'echo "x',
        "echo $(x",
        "echo `x",
        "echo ${x",
        "echo $'x",
        "echo ${}",
    ],
)
def test_unterminated_constructs_raise_with_a_position(source: str) -> None:
    with pytest.raises(ShellSyntaxError) as info:
        parse(source)
    assert 0 <= info.value.pos <= len(source)


def test_fd_and_redirect_operators() -> None:
    cmd = next(iter_commands(parse("cmd 2>&1 >>log <in 3<&- &>/dev/null {fd}>x 1>|y <>z")))
    assert isinstance(cmd, SimpleCommand)
    assert [(r.fd, r.op, r.target.raw) for r in cmd.redirects] == [
        ("2", ">&", "1"),
        (None, ">>", "log"),
        (None, "<", "in"),
        ("3", "<&", "-"),
        (None, "&>", "/dev/null"),
        ("{fd}", ">", "x"),
        ("1", ">|", "y"),
        (None, "<>", "z"),
    ]
    assert [w.raw for w in cmd.words] == ["cmd"]


def test_digits_after_a_redirection_are_its_target() -> None:
    cmd = next(iter_commands(parse("cmd >&12 2>&1")))
    assert [(r.fd, r.op, r.target.raw) for r in cmd.redirects] == [(None, ">&", "12"), ("2", ">&", "1")]


def test_process_substitution_joins_the_word_it_touches() -> None:
    cmd = next(c for c in iter_commands(parse("echo a<(ls)b")) if c.words[0].raw == "echo")
    assert [w.raw for w in cmd.words] == ["echo", "a<(ls)b"]
