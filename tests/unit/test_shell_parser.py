"""The parser finds every simple command bash would run, at any depth."""

from __future__ import annotations

import pytest

from integration_engineer.bash import commands
from integration_engineer.bash.parser import (
    Case,
    CondCommand,
    For,
    FunctionDef,
    If,
    Script,
    ShellSyntaxError,
    SimpleCommand,
    parse,
)
from tests.helpers import iter_commands


def walk(script: Script) -> list[tuple[SimpleCommand, tuple[str, ...]]]:
    return [(found.command, found.via) for found in commands.simple_commands(script)]


def argvs(source: str) -> list[list[str]]:
    return [[w.raw for w in c.words] for c in iter_commands(parse(source)) if c.words]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a; b && c || d | e |& f & g", [["a"], ["b"], ["c"], ["d"], ["e"], ["f"], ["g"]]),
        ("(a; b)", [["a"], ["b"]]),
        ("{ a; b; }", [["a"], ["b"]]),
        ("! a | b", [["a"], ["b"]]),
        ("time -p a", [["a"]]),
        ("coproc a b", [["a", "b"]]),
        ("coproc N { a; }", [["a"]]),
        ("if a; then b; elif c; then d; else e; fi", [["a"], ["b"], ["c"], ["d"], ["e"]]),
        ("while a; do b; done", [["a"], ["b"]]),
        ("until a; do b; done", [["a"], ["b"]]),
        ("for x in 1 2; do b; done", [["b"]]),
        ("for ((i=0;i<2;i++)); do b; done", [["b"]]),
        ("select x in a; do b; done", [["b"]]),
        ("case $x in a|b) c;; (d) e;& *) f;;& esac", [["c"], ["e"], ["f"]]),
        ("f() { a; }", [["a"]]),
        ("function f { a; }", [["a"]]),
        ("function f() ( a )", [["a"]]),
        ("[[ $(a) == b ]] && c", [["a"], ["c"]]),
        ("(( $(a) )) && b", [["a"], ["b"]]),
        ("echo $(a $(b))", [["b"], ["a", "$(b)"], ["echo", "$(a $(b))"]]),
        ("echo `a`", [["a"], ["echo", "`a`"]]),
        ("diff <(a) >(b)", [["a"], ["b"], ["diff", "<(a)", ">(b)"]]),
        ("x=$(a) y=1", [["a"]]),
        ("echo ${x:-$(a)}", [["a"], ["echo", "${x:-$(a)}"]]),
        ("a \\\n b", [["a", "b"]]),
        ("a # b; c", [["a"]]),
        ("a\n\nb", [["a"], ["b"]]),
        ("x=(1 $(a) 3) b", [["a"], ["b"]]),
        ("echo > $(a)", [["a"], ["echo"]]),
        ("for x in $(a); do b; done", [["a"], ["b"]]),
        ("case $(a) in *) b;; esac", [["a"], ["b"]]),
    ],
)
def test_every_simple_command_is_found(source: str, expected: list[list[str]]) -> None:
    assert argvs(source) == expected


def test_heredocs_quoted_are_text_unquoted_run_substitutions() -> None:
    source = "cat <<'A' <<B; after\n$(quoted)\nA\n$(runs)\nB\nlast"
    assert argvs(source) == [["runs"], ["cat"], ["after"], ["last"]]
    cmd = next(c for c in iter_commands(parse(source)) if c.words[0].raw == "cat")
    first, second = (r.heredoc for r in cmd.redirects)
    assert first is not None and first.quoted and first.body.value == "$(quoted)\n"
    assert second is not None and not second.quoted and second.body.value is None


def test_heredoc_with_tabs_and_inside_substitution() -> None:
    assert argvs("x=$(cat <<-E\n\t$(a)\n\tE\n); b") == [["a"], ["cat"], ["b"]]


def test_here_string_substitution_runs() -> None:
    assert argvs('cat <<< "$(a)"') == [["a"], ["cat"]]


def test_walk_names_the_enclosing_constructs() -> None:
    vias = [(c.words[0].raw, via) for c, via in walk(parse("f() { echo $(a); }; cat <<E\n`b`\nE"))]
    assert vias == [
        ("a", ("function f", "$(...)")),
        ("echo", ("function f",)),
        ("b", ("here-document", "`...`")),
        ("cat", ()),
    ]


def test_pipeline_positions_are_recorded() -> None:
    cmds = list(iter_commands(parse("echo x | tr a b | sh")))
    assert [c.index for c in cmds] == [0, 1, 2]
    assert cmds[2].pipeline is cmds[0].pipeline and cmds[0].pipeline is not None


def test_node_types() -> None:
    body = parse("if a; then b; fi; for x in y; do :; done; case a in b) ;; esac; f() { :; }; [[ a ]]").body
    nodes = [item.pipelines[0].commands[0] for item in body.items]
    assert [type(n) for n in nodes] == [If, For, Case, FunctionDef, CondCommand]


def test_reserved_words_only_in_command_position() -> None:
    assert argvs("echo if then fi done }") == [["echo", "if", "then", "fi", "done", "}"]]
    assert argvs("'if' a") == [["'if'", "a"]]


@pytest.mark.parametrize(
    "source",
    [
        "if a; then b",
        "a &&",
        "| a",
        "(a",
        "a )",
        "for x in a; do b",
        "case a in b) c",
        "f() a",
        "{ a; ",
        "a ;; b",
        "$(" * 60 + ")" * 60,
    ],
)
def test_invalid_bash_is_refused(source: str) -> None:
    with pytest.raises(ShellSyntaxError):
        parse(source)


def test_arithmetic_command_is_not_a_subshell() -> None:
    # bash evaluates ((echo hi)) as arithmetic (an error), it runs nothing.
    assert argvs("((echo hi))") == []
    assert argvs("x=$((echo hi) )") == [["echo", "hi"]]


def test_regex_operand_and_bare_negation() -> None:
    assert argvs('[[ "$a" =~ (foo|bar)baz ]] && echo y') == [["echo", "y"]]
    assert argvs("!") == []
