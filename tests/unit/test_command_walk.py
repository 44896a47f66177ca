"""One walk over the parse tree per command: the policies of one PreToolUse share the parse, the
list of simple commands (``bash/commands.simple_commands``) and each command's unwrapping."""

from __future__ import annotations

import pytest

from integration_engineer.bash import commands
from integration_engineer.bash.parser import FunctionDef, Script, SimpleCommand, Word, parse
from integration_engineer.git_guard import config_writes
from integration_engineer.git_guard.policy import analyse
from integration_engineer.isolation import bash_writes
from integration_engineer.tool_scope import exclusions, test_scope


def test_the_walk_lists_every_simple_command_with_its_context() -> None:
    script = parse("env -C /w timeout 5 rg x $(git log -1) | f() { pytest; }")
    found = commands.simple_commands(script)
    assert [(c.program, c.via) for c in found] == [
        ("git", ("$(...)",)),
        ("rg", ()),
        ("pytest", ("function f",)),
    ]
    assert [w.raw for w in found[1].command.words][:3] == ["env", "-C", "/w"]
    assert found[1].unwrapped.chdir is not None and found[1].unwrapped.chdir.raw == "/w"
    assert commands.simple_commands(script) is found  # kept per node


def test_the_walk_of_another_node_is_its_own() -> None:
    one, two = parse("ls"), parse("ls")
    assert commands.simple_commands(one) is not commands.simple_commands(two)
    assert [c.program for c in commands.simple_commands(two)] == ["ls"]


def test_the_policies_of_one_call_walk_and_unwrap_each_command_once(monkeypatch: pytest.MonkeyPatch) -> None:
    walks: list[object] = []
    unwraps: list[tuple[str, ...]] = []
    real_unwrap = commands.unwrap
    real_run = commands._Walker.run

    def counting_walk(self: commands._Walker, node: Script) -> commands.Walk:
        walks.append(node)
        return real_run(self, node)

    def counting_unwrap(words: list[Word]) -> commands.Unwrapped:
        unwraps.append(tuple(w.raw for w in words))
        return real_unwrap(words)

    monkeypatch.setattr(commands._Walker, "run", counting_walk)
    monkeypatch.setattr(commands, "unwrap", counting_unwrap)
    # Empty caches: one filled by earlier tests is cleared when full, maybe in the middle of this one
    # (the parse then made again is a new tree, walked and unwrapped again).
    monkeypatch.setattr(commands, "_PARSED", {})
    monkeypatch.setattr(commands, "_UNWRAPPED", {})
    monkeypatch.setattr(commands, "_WALKED", {})
    # Unique text: the parse is new to this process, as it is to a hook process.
    command = "nice rg -n walk-once-8f3 src && env X=1 git -c a.b=1 config --get x && timeout 9 pytest -q"
    analyse(command, cwd="/tmp")
    config_writes.find(command)
    bash_writes.targets(command, "/tmp")
    test_scope.full_suite_runs(command)
    exclusions.rewrite(command, ("node_modules",))
    script = commands.parsed(command)
    assert [node for node in walks if node is script] == [script]  # one walk of the command
    assert sorted(unwraps) == sorted(set(unwraps))  # every command unwrapped once
    assert ("timeout", "9", "pytest", "-q") in unwraps


def test_an_unwrapping_is_kept_per_command_object() -> None:
    first = parse("sudo -u x cp a b").body.items[0].pipelines[0].commands[0]
    second = parse("sudo -u x cp a b").body.items[0].pipelines[0].commands[0]
    assert isinstance(first, SimpleCommand) and isinstance(second, SimpleCommand)
    assert commands.unwrapped(first) is commands.unwrapped(first)
    assert commands.unwrapped(second) is not commands.unwrapped(first)
    assert [w.raw for w in commands.unwrapped(second).words] == ["cp", "a", "b"]


def test_no_policy_walks_the_tree_itself() -> None:
    """Only bash/commands walks a parsed command (commands.walked); a policy that needs the
    simple commands, redirections, definitions or directories asks it, shared with the others."""
    import ast
    from pathlib import Path

    package = Path(commands.__file__).resolve().parents[1]
    walkers = {"walk", "iter_commands", "walk_word"}
    lists = {"AndOr", "CommandList"}
    found = []
    for path in sorted(package.rglob("*.py")):
        if path.relative_to(package).as_posix() in ("bash/parser.py", "bash/commands.py", "bash/status.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("bash.parser"):
                found += [f"{path.relative_to(package)}: {a.name}" for a in node.names if a.name in walkers]
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith(("bash.parser", "bash.nodes")):
                # The lists a walk descends through: only the walk itself needs them.
                found += [f"{path.relative_to(package)}: {a.name}" for a in node.names if a.name in lists]
    assert found == []


@pytest.mark.parametrize(
    ("source", "dead"),
    [
        ("false && git push; echo ok", ["git push"]),
        ('[ -n "" ] || git add -A; exit 0; git commit', ["git commit"]),
        ("if [ a = b ]; then git add; elif true; then echo; else git push; fi; ls", ["git add", "git push"]),
        ("{ echo; exit; }; git add", ["git add"]),
        ("exec env true; git add", ["git add"]),
        ("while false; do git add; done; until :; do git push; done", ["git add", "git push"]),
        # Not provably dead: an exit in a subshell, pipeline or $(...), one whose redirection may
        # fail, return outside a function, a test bash/status does not evaluate.
        ("(exit); x | exit; echo $(exit); exit >/no/f; return; [ -f a ] && git add", []),
    ],
)
def test_the_walk_marks_commands_that_never_run(source: str, dead: list[str]) -> None:
    found = commands.simple_commands(parse(source))
    assert [" ".join(w.raw for w in c.command.words) for c in found if c.dead] == dead


def test_a_return_ends_a_function_body_only_there() -> None:
    body = parse("f() { return 0; git add; }").body.items[0].pipelines[0].commands[0]
    assert isinstance(body, FunctionDef)
    assert [c.dead for c in commands.function_commands(body.body)] == [False, True]
    assert not any(c.dead for c in commands.simple_commands(parse("return 0; git add")))


def test_definitions_after_an_unknown_test_may_be_missing() -> None:
    walk = commands.walked(parse("[ -f x ] || git() { :; }; (g() { :; }; g); true && h() { :; }; false && k() { :; }"))
    assert [(d.node.name, d.certain, d.dead) for d in walk.definitions] == [  # type: ignore[union-attr]
        ("git", False, False),  # in effect or not: both are followed
        ("g", True, False),  # certain inside its subshell (its scope)
        ("h", True, False),
        ("k", False, True),  # never made
    ]
