"""Issue 18: what shells read at start-up, read loops, compiled programs and task runners' files.

Each case runs the real analysis (``git_guard.policy.analyse``) in a real repository holding the
files; the corpus (tests/cases/*/forms) has the labelled forms of the tools installed here. The task
runners below (just, task, tox, nox, rake, meson) are not installed on this machine, so their files'
formats are taken from their documentation and checked here by decision only.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from integration_engineer.bash import startup
from integration_engineer.git_guard.policy import analyse


def _blocked(tmp_path: Path, command: str, files: dict[str, str]) -> bool:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True, capture_output=True)
    for rel, text in files.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return analyse(command, cwd=str(repo)).blocked


RUNNERS = [
    ("just release", {"justfile": "release:\n    @git push -q origin HEAD\n"}, True),
    ("just lint", {"justfile": "lint:\n    git diff --check\n    echo 'git commit later'\n"}, False),
    ("task ship", {"Taskfile.yml": "version: '3'\ntasks:\n  ship:\n    cmds:\n      - git commit -qam t\n"}, True),
    ("task check", {"Taskfile.yml": "version: '3'\ntasks:\n  check:\n    cmds:\n      - git status -s\n"}, False),
    ("tox -q", {"tox.ini": "[testenv]\ncommands =\n    pytest -q\n    git add -A\n"}, True),
    ("tox -e py", {"tox.ini": "[testenv]\ncommands = python -c 'print(1)'\n"}, False),
    ("nox -s ship", {"noxfile.py": "import nox\n@nox.session\ndef ship(s):\n    s.run('git', 'push')\n"}, True),
    ("nox", {"noxfile.py": "import nox\n@nox.session\ndef t(s):\n    s.run('git', 'status')\n"}, False),
    ("rake deploy", {"Rakefile": "task :deploy do\n  sh 'git push -q origin HEAD'\nend\n"}, True),
    ("rake test", {"Rakefile": "task :test do\n  puts 'git commit is done by hand'\nend\n"}, False),
    (
        "meson setup build",
        {"meson.build": "project('x')\nrun_command('git', 'add', '-A', check: false)\n"},
        True,
    ),
    ("meson setup build", {"meson.build": "project('x')\nrun_command('git', 'describe', check: false)\n"}, False),
]


@pytest.mark.parametrize(("command", "files", "refused"), RUNNERS, ids=[f"{c} {r}" for c, _, r in RUNNERS])
def test_task_runner_files_are_read(tmp_path: Path, command: str, files: dict[str, str], refused: bool) -> None:
    assert _blocked(tmp_path, command, files) is refused


def test_login_shell_reads_the_first_profile_only() -> None:
    def lookup(name: str) -> list[str | None] | None:
        return ["/h"] if name == "HOME" else None

    groups = startup.shell_files(["bash", "-l", "-c", ":"], lookup)
    assert groups == [[(f"bash -l (~/{p})", f"/h/{p}") for p in (".bash_profile", ".bash_login", ".profile")]]
    logout = [[("bash -l (~/.bash_logout)", "/h/.bash_logout")]]  # an interactive login shell ends: read
    assert startup.shell_files(["bash", "-il", "-c", ":"], lookup) == groups + logout  # no ~/.bashrc
    assert startup.shell_files(["bash", "-l", "-c", "exit 0"], lookup) == groups + logout  # the exit builtin
    assert startup.shell_files(["bash", "-n", "x.sh"], lookup) == []
    assert startup.is_noexec(["sh", "-n", "x.sh"]) and not startup.is_noexec(["bash", "-n", "-i"])


def test_env_only_for_posix_shells() -> None:
    def lookup(name: str) -> list[str | None] | None:
        values: dict[str, list[str | None]] = {"ENV": ["e.sh"], "HOME": ["/h"]}
        return values.get(name)

    assert [("ENV", "e.sh")] in startup.shell_files(["sh", "-i", "-c", ":"], lookup)
    assert [("ENV", "e.sh")] in startup.shell_files(["bash", "--posix", "-i", "-c", ":"], lookup)
    assert [("ENV", "e.sh")] not in startup.shell_files(["bash", "-i", "-c", ":"], lookup)


def test_pythonstartup_only_when_interactive() -> None:
    def lookup(name: str) -> list[str | None] | None:
        return ["st.py"] if name == "PYTHONSTARTUP" else None

    assert startup.interpreter_files(["python3", "-i"], "python", lookup) == [("PYTHONSTARTUP", "st.py")]
    assert startup.interpreter_files(["python3", "-W", "ignore", "-i"], "python", lookup) != []
    argvs: list[list[str | None]] = [
        ["python3"],
        ["python3", "-i", "-c", "x"],
        ["python3", "-I", "-i"],
        ["python3", "-i", "s.py"],
    ]
    for argv in argvs:
        assert startup.interpreter_files(argv, "python", lookup) == []


def test_unknown_startup_file_written_in_the_command_is_refused(tmp_path: Path) -> None:
    # The rc file's content comes from outside; the command around it runs git.
    command = 'curl -s "$U" > .bashrc; HOME=$PWD bash -ic "git status"'
    assert _blocked(tmp_path, command, {})


def test_compiled_from_unknown_source_then_run_is_refused_when_git_is_near(tmp_path: Path) -> None:
    assert _blocked(tmp_path, 'curl -s "$U" | gcc -x c - -o t && ./t && git status', {})


def test_compiled_and_never_run_is_allowed(tmp_path: Path) -> None:
    assert not _blocked(tmp_path, 'curl -s "$U" | gcc -x c - -o t && git status', {})


def test_read_loop_over_a_long_file_still_sees_git(tmp_path: Path) -> None:
    lines = "".join(f"echo {i}\n" for i in range(40)) + "git add -A\n"
    assert _blocked(tmp_path, 'while read -r l; do eval "$l"; done < many.txt', {"many.txt": lines})


def test_home_startup_file_builds_path_from_the_inherited_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # ~/.bashrc (this user's, not written by the command) puts $HOME/.tool/bin on PATH and evals a
    # tool's output: with $HOME known the names it runs are looked up on a PATH that is known.
    home = tmp_path / "home"
    (home / ".tool" / "bin").mkdir(parents=True)
    (home / ".bashrc").write_text('export ROOT="$HOME/.tool"\nexport PATH="$ROOT/bin:$PATH"\neval "$(tool init -)"\n')
    monkeypatch.setenv("HOME", str(home))
    assert not _blocked(tmp_path, "PROMPT_COMMAND='git add -A' bash -i -c 'echo hi'", {})
    assert startup.prompts(["bash", "-i"]) and startup.prompts(["bash", "-is"])
    assert not startup.prompts(["bash", "-i", "-c", ":"]) and not startup.prompts(["bash", "-i", "s.sh"])


def test_home_startup_file_the_command_may_write_is_not_assumed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text('export PATH="$HOME/bin:$PATH"\n')
    monkeypatch.setenv("HOME", str(home))
    assert _blocked(tmp_path, "printf 'git push -q\\n' >> \"$HOME/.bashrc\"; bash -i -c true", {})
