"""Interpreter one-liners, live code and runners: what they print, what of them runs, what a
runner's options leave out, and what the command fixes in a program's environment."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from integration_engineer.bash import live_code, printed
from integration_engineer.git_guard import pytest_selection
from integration_engineer.git_guard.policy import analyse


@pytest.mark.parametrize(
    ("args", "lang", "out"),
    [
        (["-c", 'print("log")'], "python", "log\n"),
        (["-I", "-c", 'print("a", "b"); print("c")'], "python", "a b\nc\n"),
        (["-c", "print(x)"], "python", None),
        (["-c", 'print("log", end="")'], "python", None),
        (["-c", 'print("log")', "extra"], "python", None),
        (["-p", '"status"'], "node", "status\n"),
        (["-e", 'console.log("diff")'], "node", "diff\n"),
        (["-e", "console.log(`a${b}`)"], "node", None),
        (["-e", 'print "diff"'], "perl", "diff"),
        (["-e", 'print "diff\\n"'], "perl", "diff\n"),
        (["-e", 'print "$x"'], "perl", None),
        (["-le", 'print "x"'], "perl", None),
    ],
)
def test_what_a_one_liner_prints(args: list[str], lang: str, out: str | None) -> None:
    assert printed.stdout(args, lang) == out


@pytest.mark.parametrize(
    ("command", "blocked"),
    [
        ("git $(python3 -c 'print(\"log\")') -1", False),
        ("git $(python3 -c 'print(\"commit\")') -qam x", True),
        ("git $(node -p '\"status\"')", False),
        ("PYTHONPATH=. git $(PYTHONPATH=. python3 -c 'print(\"log\")')", True),  # a preload may print
    ],
)
def test_printed_verbs(tmp_path: Path, command: str, blocked: bool) -> None:
    assert analyse(command, cwd=str(tmp_path)).blocked is blocked


def test_perl_subs_nothing_calls_and_code_after_exit() -> None:
    assert "system" not in live_code.perl('sub ship { system("git push") } print "ok";')
    assert "system" in live_code.perl('sub ship { system("git push") } ship();')
    assert "system" not in live_code.perl('exit 0; system("git push");')
    # Not unconditional, not a statement of its own, a sub after it, a module that may call back:
    for kept in (
        'exit 0 if $x; system("git push");',
        'f() or exit; system("git push");',
        'ship(); exit 0; sub ship { system("git push") }',
        'use Foo; sub ship { system("git push") }',
        'END { system("git push") } exit 0;',
        'sub ship { system("git push") } # a comment {',
    ):
        assert "system" in live_code.perl(kept), kept


@pytest.mark.parametrize(
    ("code", "environ", "left_out"),
    [
        ('if (process.env.CI) x("git push")', {"CI": ""}, True),
        ('if (process.env.CI) x("git push")', {"CI": "1"}, False),
        ('if (process.env.CI) x("git push")', {}, False),  # inherited: not known
        ('if (!process.env.CI) x("git push")', {"CI": "1"}, True),
        ('if (process.env.CI === "yes") x("git push")', {"CI": "no"}, True),
        ('if (process.env.CI === "") x("git push")', {"CI": ""}, False),  # empty or removed: not decided
        ('process.env.CI = "1"; if (process.env.CI) x("git push")', {"CI": ""}, False),
        ('require("dotenv").config(); if (process.env.CI) x("git push")', {"CI": ""}, False),
    ],
)
def test_node_environment_tests(code: str, environ: dict[str, str], left_out: bool) -> None:
    assert ("git push" not in live_code.javascript(code, "", environ)) is left_out


def test_node_exports_nothing_names() -> None:
    module = 'const { execSync } = require("child_process");\nmodule.exports = { push: () => execSync("git push") };\n'
    assert "git push" not in live_code.javascript(module)
    assert "git push" in live_code.javascript(module, 'require("./lib").push()')
    assert "git push" in live_code.javascript(module, "Object.values(require('./lib'))[0]()")
    assert "git push" in live_code.javascript(module + "module.exports.push();\n")
    assert live_code.js_walks("for (const k in lib) lib[k]()")


@pytest.mark.parametrize(
    ("command", "blocked"),
    [
        ("node lib.js", False),
        ("node -e 'require(\"./lib.js\")'", False),
        ("node -e 'require(\"./lib.js\").push()'", True),
        ('node -e \'require("./lib.js"); require("./app.js")\'', True),  # app.js calls it: read whole again
        ("node -r ./lib.js app.js", True),
    ],
)
def test_exported_functions_called_later(tmp_path: Path, command: str, blocked: bool) -> None:
    (tmp_path / "lib.js").write_text(
        'const { execSync } = require("child_process");\nmodule.exports = { push: () => execSync("git push") };\n'
    )
    (tmp_path / "app.js").write_text('require("./lib.js").push();\n')
    assert analyse(command, cwd=str(tmp_path)).blocked is blocked


@pytest.mark.parametrize(
    ("command", "blocked"),
    [
        ('node -e \'if (process.env.CI) require("child_process").execSync("git push")\'', True),
        ('CI= node -e \'if (process.env.CI) require("child_process").execSync("git push")\'', False),
        ('env -u CI node -e \'if (process.env.CI) require("child_process").execSync("git push")\'', False),
        ('CI= env CI=1 node -e \'if (process.env.CI) require("child_process").execSync("git push")\'', True),
        (
            'env -u CI bash -c \'CI=1 node -e "if (process.env.CI) require(\\"child_process\\")'
            '.execSync(\\"git push\\")"\'',
            True,
        ),
        ("env -u RELEASE make release", False),
        ("make release", True),  # RELEASE may come from the environment
        ("make release RELEASE=", False),
        ("env RELEASE=1 make release", True),
    ],
)
def test_what_the_command_fixes_in_the_environment(tmp_path: Path, command: str, blocked: bool) -> None:
    (tmp_path / "Makefile").write_text(
        "ifdef RELEASE\nrelease:\n\tgit push origin main\nelse\nrelease:\n\t@echo set RELEASE\nendif\n"
    )
    assert analyse(command, cwd=str(tmp_path)).blocked is blocked


def test_pytest_node_ids_and_deselect(tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    tests.mkdir()
    path = str(tests / "test_a.py")
    text = (
        "def test_ok():\n    pass\n\ndef test_push():\n    pass\n\nclass TestC:\n    def test_m(self):\n        pass\n"
    )
    cwd = str(tmp_path)
    assert pytest_selection.left_by_ids(["tests/test_a.py::test_ok"], cwd, path, text, "") == [
        "TestC.test_m",
        "test_push",
    ]
    assert pytest_selection.left_by_ids(["tests/test_a.py::TestC"], cwd, path, text, "") == ["test_ok", "test_push"]
    assert pytest_selection.left_by_ids(["tests/test_a.py"], cwd, path, text, "") == []
    deselect = ["tests/test_a.py", "--deselect", "tests/test_a.py::test_p"]
    assert pytest_selection.left_by_ids(deselect, cwd, path, text, "") == ["test_push"]  # a prefix
    # ./ is no prefix of a node id; a rootdir that may be elsewhere decides nothing.
    assert pytest_selection.left_by_ids(["--deselect", "./tests/test_a.py::test_push"], cwd, path, text, "") == []
    assert (
        pytest_selection.left_by_ids(
            ["--rootdir", "x", "--deselect", "tests/test_a.py::test_push"], cwd, path, text, ""
        )
        == []
    )
    assert pytest_selection.left_by_ids(["tests/test_a.py::test_ok"], cwd, path, text, "params") == []


def test_pytest_version_loads_no_conftest(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text("import os\nos.system('git commit -qam c')\n")
    assert not analyse("pytest --version", cwd=str(tmp_path)).blocked
    assert analyse("pytest --version --version", cwd=str(tmp_path)).blocked  # twice: plugins listed, conftest loaded
    assert analyse("pytest --help", cwd=str(tmp_path)).blocked


def test_task_runners_that_only_print(tmp_path: Path) -> None:
    (tmp_path / "tox.ini").write_text("[testenv]\ncommands = git push\n")
    (tmp_path / "justfile").write_text("ship:\n    git push\n")
    assert not analyse("tox --help", cwd=str(tmp_path)).blocked
    assert not analyse("just --list", cwd=str(tmp_path)).blocked
    assert analyse("just ship", cwd=str(tmp_path)).blocked
    (tmp_path / "toxfile.py").write_text("import os\nos.system('git push')\n")
    assert analyse("tox --help", cwd=str(tmp_path)).blocked  # tox 4 imports its inline plugin first


def test_make_past_the_target_cap_is_refused(tmp_path: Path) -> None:
    names = [f"t{i}" for i in range(300)]
    rules = "".join(f"{n}:\n\techo {n}\n" for n in names)
    (tmp_path / "Makefile").write_text("all: " + " ".join(names) + "\n" + rules)
    found = analyse("make", cwd=str(tmp_path))
    assert found.blocked
    assert "more than are read" in found.findings[0].describe()
    assert not analyse("make t1", cwd=str(tmp_path)).blocked


@pytest.mark.skipif(shutil.which("perl") is None, reason="perl is not installed")
def test_perl_list_pipe_open_commits_for_real(tmp_path: Path) -> None:
    # What the reading refuses, perl really does: the list form runs git without a shell.
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)}
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=env)
    subprocess.run(["git", "-C", str(tmp_path), "config", "user.email", "t@example.com"], check=True, env=env)
    subprocess.run(["git", "-C", str(tmp_path), "config", "user.name", "T"], check=True, env=env)
    code = 'open(my $f, "-|", "git", "commit", "-q", "--allow-empty", "-m", "po"); print <$f>'
    subprocess.run(["perl", "-e", code], cwd=tmp_path, check=True, env=env)
    log = subprocess.run(["git", "-C", str(tmp_path), "log", "--oneline"], capture_output=True, text=True, env=env)
    assert "po" in log.stdout
    assert analyse(f"perl -e '{code}'", cwd=str(tmp_path)).blocked
