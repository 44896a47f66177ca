"""The sandbox's command texts and its cached probe. Seatbelt is tested as text only: there is no
macOS where these tests run."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from integration_engineer.sandbox import bwrap, layout, probe, seatbelt
from tests.helpers import make_repo


def _layout(tmp: Path, network: bool = True) -> layout.Layout:
    project = make_repo(tmp / "p", ("T-1",))
    wt = str(project / "trees" / "T-1")
    return layout.build(wt, wt, str(tmp), ("~/.cache",), (), network)


def test_git_dirs_cover_the_whole_repository_git_directory(tmp_path: Path) -> None:
    box = _layout(tmp_path)
    assert box.git_dirs[0].endswith("trees/T-1/.git")
    assert box.git_dirs[1] == os.path.realpath(tmp_path / "p" / ".git")


def test_seatbelt_profile_denies_git_dir_after_allowing_the_worktree(tmp_path: Path) -> None:
    box = _layout(tmp_path, network=False)
    text = seatbelt.profile(box)
    allow = text.index(f'(allow file-write* (subpath "{box.worktree}"))')
    deny = text.index(f'(deny file-write* (subpath "{box.git_dirs[1]}"))')
    assert text.startswith("(version 1)\n(allow default)\n(deny file-write*)\n")
    assert allow < deny  # Seatbelt: the last matching rule wins
    assert "(deny network*)" in text
    assert "-u SSH_AUTH_SOCK" in seatbelt.command_text(box, "ls")


def test_bwrap_command_runs_the_exact_command(tmp_path: Path) -> None:
    box = _layout(tmp_path)
    command = 'printf \'%s|\' "it\'s" a\\ b "$((1+2))" | cat; echo "$PWD"'
    bwrap.ensure_runner(box.tmp)
    text = bwrap.command_text(box, "/usr/bin/bwrap", command)
    inside = subprocess.run(["bash", "-c", text], capture_output=True, text=True, cwd=box.worktree)
    outside = subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=box.worktree)
    assert inside.stdout == outside.stdout == f"it's|a b|3|{box.worktree}\n"


def test_probe_is_cached_in_the_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IE_DATA_DIR", str(tmp_path))
    found = probe.engine()
    assert (tmp_path / probe.CACHE_NAME).read_text() == f"{found[0]}\t{found[1]}\n"
    (tmp_path / probe.CACHE_NAME).write_text("\tcached reason\n")
    assert probe.engine() == ("", "cached reason")  # read, not probed again
    assert probe.engine(fresh=True) == found
    assert "sandbox: bwrap" in probe.doctor_line()


def test_the_cached_engine_is_not_trusted_on_its_word(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IE_DATA_DIR", str(tmp_path / "data"))
    found = probe.engine(fresh=True)
    assert found == ("bwrap", probe.find_bwrap()), found
    cache = tmp_path / "data" / probe.CACHE_NAME
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\nshift $#; exec sh -c 'echo unsandboxed'\n")
    fake.chmod(0o755)
    for text in (f"bwrap\t{fake}\n", "seatbelt\t/usr/bin/sandbox-exec\n", "bwrap\t/usr/bin/bwrap", "x" * 5000):
        cache.write_text(text)
        assert probe.engine() == found, text  # probed again, not the file's engine
        assert cache.read_text() == f"{found[0]}\t{found[1]}\n"
    cache.unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("\tforged reason\n")
    cache.symlink_to(elsewhere)
    assert probe.engine() == found  # a link is not followed: probed and replaced
    assert not cache.is_symlink() and elsewhere.read_text() == "\tforged reason\n"


def test_a_bwrap_others_can_replace_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared-bin"
    shared.mkdir()
    shared.chmod(0o777)  # like /tmp: anyone may put a "bwrap" here
    (shared / "bwrap").symlink_to(probe.find_bwrap())
    real = probe.find_bwrap()
    monkeypatch.setenv("PATH", f"{shared}{os.pathsep}{os.path.dirname(real)}")
    assert probe.find_bwrap() == real
    monkeypatch.setenv("PATH", str(shared))
    assert probe.find_bwrap() == ""
    name, why = probe.detect()
    assert name == "" and why.startswith(f"{shared / 'bwrap'} is not used: another user can replace it"), why


def test_inner_gives_back_the_original_command_and_functions_are_handed_over(tmp_path: Path) -> None:
    box = _layout(tmp_path)
    command = "greet it\\'s; echo \"$((2*3))\" 'x' -- /bin/bash /tmp/.ie-sandbox-run a b"
    text = bwrap.command_text(box, "/usr/bin/bwrap", command)
    assert bwrap.inner(text) == command
    bwrap.ensure_runner(box.tmp)
    # A function and an alias of the calling shell (Claude Code's snapshot defines rg) work inside.
    outer = 'greet() { echo hello "$@"; }; shopt -s expand_aliases; alias shout="echo HEY"\n' + bwrap.command_text(
        box, "/usr/bin/bwrap", "greet world; shout", "toolu_01"
    )
    proc = subprocess.run(["bash", "-c", outer], capture_output=True, text=True, cwd=box.worktree)
    assert proc.stdout == "hello world\nHEY\n", proc.stderr
    # The runner leaves the file (PostToolUse removes it: tests/sandbox/test_sandbox_effects.py).
    assert "greet ()" in (tmp_path / ".ie-sandbox-defs-toolu_01").read_text()


def test_bwrap_text_is_a_list_of_simple_commands(tmp_path: Path) -> None:
    """Claude Code refuses, for an agent in one of its worktrees, a command that is not a plain list
    of simple commands and spells git anywhere (observed with CLI 2.1.332; the mounts name .git):
    no command substitution, no group, no alias outside the quoted inner script."""
    box = _layout(tmp_path)
    text = bwrap.command_text(box, "/usr/bin/bwrap", "ls", "toolu_01")
    outer = text[: text.index("/usr/bin/bwrap")]
    assert "$(" not in outer and "`" not in outer and "{" not in outer and "alias" not in outer, outer
    assert outer == (
        f"declare -f > {tmp_path}/.ie-sandbox-defs-toolu_01; "
        f"declare -p BASH_ALIASES >> {tmp_path}/.ie-sandbox-defs-toolu_01 2>/dev/null; "
    )
    assert bwrap.defs_file("a/b c") == ".ie-sandbox-defs-a_b_c" and bwrap.defs_file("") == ".ie-sandbox-defs"
    # The command is the runner's argument, never a shell's -c text ("hands text naming git to a shell").
    assert " -c " not in text and text.endswith(" -- /bin/bash /tmp/.ie-sandbox-run /tmp/.ie-sandbox-defs-toolu_01 ls")


def test_the_runner_is_rewritten_when_it_is_not_ours(tmp_path: Path) -> None:
    runner = tmp_path / bwrap.RUNNER_NAME
    bwrap.ensure_runner(str(tmp_path))
    assert runner.read_text() == bwrap.RUNNER
    runner.write_text("echo tampered\n")
    bwrap.ensure_runner(str(tmp_path))
    assert runner.read_text() == bwrap.RUNNER
    runner.unlink()
    (tmp_path / "elsewhere").write_text("keep\n")
    runner.symlink_to(tmp_path / "elsewhere")
    bwrap.ensure_runner(str(tmp_path))
    assert not runner.is_symlink() and runner.read_text() == bwrap.RUNNER
    assert (tmp_path / "elsewhere").read_text() == "keep\n"  # replaced, not followed


def test_positional_parameters_and_exit_status_are_the_commands(tmp_path: Path) -> None:
    box = _layout(tmp_path)
    bwrap.ensure_runner(box.tmp)
    text = bwrap.command_text(box, "/usr/bin/bwrap", 'echo "[$#]"; exit 7', "t")
    proc = subprocess.run(["bash", "-c", text], capture_output=True, text=True, cwd=box.worktree)
    assert (proc.returncode, proc.stdout) == (7, "[0]\n"), proc.stderr


def test_doctor_reports_the_active_layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from integration_engineer.setup import doctor

    monkeypatch.setenv("IE_DATA_DIR", str(tmp_path / "data"))
    check = doctor.check_sandbox(tmp_path)
    assert (check.status, check.name) == ("ok", "sandbox") and "bwrap" in check.detail
    assert probe.doctor_status("off")[1].startswith("sandbox.mode is off")


def test_the_task_tmp_root_is_private_and_not_under_dot_claude(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from integration_engineer.sandbox import task_tmp

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    root = task_tmp.tmp_root()
    assert root.startswith(str(tmp_path)) and ".claude" not in root
    owner = tmp_path / f"integration-engineer-{os.getuid()}"
    assert owner.stat().st_mode & 0o777 == 0o700
    other = tmp_path / "elsewhere"
    other.mkdir()
    owner.rename(tmp_path / "moved")
    owner.symlink_to(other)  # someone else's directory in its place: refused, never followed
    with pytest.raises(OSError, match="not a private directory"):
        task_tmp.tmp_root()


def test_the_task_tmp_names_keep_zlibs_crc32() -> None:
    import zlib

    from integration_engineer.sandbox import task_tmp

    for data in (b"", b"/home/u/.claude/plugins/data/integration-engineer", bytes(range(256)) * 3):
        assert task_tmp.crc32(data) == zlib.crc32(data)
