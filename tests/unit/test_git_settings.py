"""git's command-running settings count on the verbs that start them, and programs' shell escapes.

The golden forms (tests/cases/*/forms/gitcfg__*, escapes__*) hold the labels seen with real git and
bash; these check the tables one rule at a time.
"""

from __future__ import annotations

from integration_engineer.bash import escapes
from integration_engineer.git_guard import git_settings


def _keys(verb: str, args: list[str | None], config: dict[str, str | None], tty: bool = False) -> list[str]:
    return [label for label, _ in git_settings.commands(verb, args, config, lambda _name: None, tty)]


def test_editor_only_on_verbs_that_open_it() -> None:
    config: dict[str, str | None] = {"core.editor": "x"}
    assert _keys("tag", ["-a", "v1"], config) == ["git -c core.editor"]
    assert _keys("tag", ["v1"], config) == []
    assert _keys("log", ["-1"], config) == []
    assert _keys("branch", ["--edit-description"], config) == ["git -c core.editor"]


def test_ssh_command_only_on_network_verbs() -> None:
    config: dict[str, str | None] = {"core.sshcommand": "x"}
    assert _keys("fetch", [], config) == ["git -c core.sshcommand"]
    assert _keys("status", [], config) == []


def test_external_diff_unless_turned_off() -> None:
    config: dict[str, str | None] = {"diff.external": "x"}
    assert _keys("diff", [], config) == ["git -c diff.external"]
    assert _keys("diff", ["--no-ext-diff"], config) == []
    assert _keys("log", ["-p"], config) == []
    assert _keys("log", ["-p", "--ext-diff"], config) == ["git -c diff.external"]


def test_pager_only_with_a_terminal_and_fsmonitor_always() -> None:
    assert _keys("log", [], {"core.pager": "x"}) == []
    assert _keys("log", [], {"core.pager": "x"}, tty=True) == ["git -c core.pager"]
    assert _keys("status", [], {"core.fsmonitor": "x"}) == ["git -c core.fsmonitor"]
    assert _keys("diff", [], {"diff.tc.textconv": "x"}) == ["git -c diff.tc.textconv"]


def test_external_diff_only_where_a_patch_is_printed() -> None:
    config: dict[str, str | None] = {"diff.external": "x"}
    assert _keys("diff", ["--stat"], config) == []
    assert _keys("diff", ["--cached", "--name-only", "--", "a.txt"], config) == []
    assert _keys("diff", ["--stat", "-p"], config) == ["git -c diff.external"]
    # --exit-code, -w, -M change what is compared, not whether a patch is printed (labelled forms
    # gitcfg__git_c_diff_external_*); an option not known may print one.
    assert _keys("diff", ["--stat", "--exit-code", "-w", "-M50%"], config) == []
    assert _keys("diff", ["--exit-code"], config) == ["git -c diff.external"]
    assert _keys("diff", ["--stat", "--some-option"], config) == ["git -c diff.external"]
    assert _keys("diff", ["--stat", None], config) == ["git -c diff.external"]
    assert _keys("diff", ["--no-ext-diff", "--ext-diff"], config) == ["git -c diff.external"]
    assert _keys("log", ["-p", "--ext"], config) == ["git -c diff.external"]


def test_drivers_only_on_verbs_that_run_them() -> None:
    textconv: dict[str, str | None] = {"diff.tc.textconv": "x"}
    assert _keys("diff", ["--no-textconv"], textconv) == []
    assert _keys("diff", ["--no-textconv", "--textconv"], textconv) == ["git -c diff.tc.textconv"]
    assert _keys("status", ["--short"], textconv) == []
    assert _keys("status", ["-sv"], textconv) == ["git -c diff.tc.textconv"]
    assert _keys("status", ["--verb"], textconv) == ["git -c diff.tc.textconv"]
    assert _keys("log", ["-1"], textconv) == []
    assert _keys("log", ["--oneline", "-U1"], textconv) == ["git -c diff.tc.textconv"]
    assert _keys("show", ["--stat"], textconv) == []
    assert _keys("show", ["HEAD"], textconv) == ["git -c diff.tc.textconv"]
    assert _keys("blame", ["a.txt"], textconv) == ["git -c diff.tc.textconv"]
    assert _keys("grep", ["x"], textconv) == []
    smudge: dict[str, str | None] = {"filter.f.smudge": "x"}
    assert _keys("log", ["-1"], smudge) == []
    assert _keys("status", [], smudge) == ["git -c filter.f.smudge"]
    assert _keys("checkout", ["--", "a"], smudge) == ["git -c filter.f.smudge"]
    assert _keys("cat-file", ["--filters", "HEAD:a"], smudge) == ["git -c filter.f.smudge"]


def test_fsmonitor_only_where_the_index_is_read() -> None:
    config: dict[str, str | None] = {"core.fsmonitor": "x"}
    assert _keys("rev-parse", ["HEAD"], config) == []
    assert _keys("log", ["-p"], config) == []
    assert _keys("rev-parse", [":a.txt"], config) == ["git -c core.fsmonitor"]
    assert _keys("show", [None], config) == ["git -c core.fsmonitor"]
    assert _keys("rev-list", ["--indexed-objects"], config) == ["git -c core.fsmonitor"]
    assert _keys("ls-files", [], config) == ["git -c core.fsmonitor"]


def test_tool_commands_only_on_difftool_and_mergetool() -> None:
    assert _keys("diff", [], {"difftool.t.cmd": "x", "mergetool.t.cmd": "y"}) == []
    assert _keys("difftool", ["-t", "t"], {"mergetool.t.cmd": "y"}) == ["git -c mergetool.t.cmd"]
    assert _keys("mergetool", [], {"difftool.t.cmd": "x"}) == []


def test_unknown_config_on_a_plain_read_of_the_configuration() -> None:
    unknown: dict[str, str | None] = {"?": None}
    assert _keys("config", ["--get", "alias.x"], unknown) == []
    assert _keys("config", ["--edit"], unknown) == ["git -c (not known statically)"]
    assert _keys("config", [None], unknown) == ["git -c (not known statically)"]
    assert _keys("status", [], unknown) == ["git -c (not known statically)"]


def test_environment_variables_and_unknown_config() -> None:
    def env(name: str) -> list[str | None] | None:
        return ["x"] if name == "GIT_EDITOR" else None

    assert git_settings.commands("commit", [], {}, env, False) == [("GIT_EDITOR=...", "x")]
    assert git_settings.commands("log", [], {}, env, False) == []
    assert ("git -c (not known statically)", None) in git_settings.commands("log", [], {"?": None}, env, False)


def test_options_that_carry_commands() -> None:
    assert git_settings.option_commands("grep", ["-Ofoo", "x"]) == [("git grep -O", "foo")]
    assert git_settings.option_commands("ls-remote", ["--upload-pack=up", "."]) == [
        ("git ls-remote --upload-pack", "up")
    ]
    assert git_settings.option_commands("log", ["-Ofoo"]) == []


def _esc(argv: list[str | None], stdin: str | None = "") -> list[str | None] | None:
    return escapes.commands(argv, lambda: stdin, lambda _path: None)


def test_shell_escapes() -> None:
    assert _esc(["vim", "-es", "-c", "!git push", "-c", "q"]) == ["git push"]
    assert _esc(["vim", "-es", "-c", "%s/a/b/", "-c", "wq"]) == []
    assert _esc(["vim", "-es", '+call system("git log -1")']) == ["git log -1"]
    assert _esc(["vim", "-es", '+call system("git " . "push")']) == [None]
    assert _esc(["vim", "-es", "+set shell=./s.sh", "+!ls"]) == ["./s.sh", "ls"]
    assert _esc(["ed", "-s", "f"], "!git add -A\n,p\n") == ["git add -A"]
    assert _esc(["ed", "-s", "f"], None) == [None]
    assert _esc(["sed", "-n", "1e git push", "f"]) == ["git push"]
    assert _esc(["sed", "s/a/b/e", "f"]) == ["b", None]  # the replacement's words, and the unknown rest
    assert _esc(["sed", "--sandbox", "s/a/b/e", "f"]) == []
    assert _esc(["sed", "-e", "s/a/b/e", "--sandbox", "f"]) == ["b", None]  # -e compiled first
    assert _esc(["vim", "-es", "-c", "!git push", "-Z"]) == []
    assert _esc(["rvim", "-es", "-c", "!git push"]) == []
    assert _esc(["ed", "-rs", "f"], "!git push\n") == []
    assert _esc(["ed", "-p", "r", "f"], "!git push\n") == ["git push"]
    assert _esc(["sqlite3", "-safe", ":memory:", ".shell git push"]) == []
    assert _esc(["sqlite3", "-cmd", ".shell git push", "-safe", ":memory:"]) == ["git push"]
    assert _esc(["sed", "-n", "1p", "f"]) == []
    assert _esc(["sqlite3", ":memory:", ".shell git push"]) == ["git push"]
    assert _esc(["gdb", "-batch", "-ex", "shell git push"]) == ["git push"]
    assert _esc(["tar", "-cf", "x", "--to-command=git push", "f"]) == []
    assert _esc(["tar", "-xf", "x", "--to-command=git push"]) == ["git push"]
    assert _esc(["zip", "z", "f", "-TT", "git push"]) == []  # -TT runs only with -T
    assert _esc(["zip", "-T", "z", "f", "-TT", "git push"]) == ["git push"]
    assert _esc(["cmake", "-E", "env", "A=1", "git", "push"]) == ["git push"]
    assert _esc(["expect", "-c", 'puts "git push"']) == [""]
    assert _esc(["expect", "-c", "exec git push"]) == [None]  # Tcl exec runs a program
    assert _esc(["expect", "-d"]) == [None]  # commands from stdin
    assert _esc(["ls", "-l"]) is None
