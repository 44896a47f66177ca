"""git config: writes are found (at any depth), reads are not."""

from __future__ import annotations

import pytest

from integration_engineer.git_guard.config_writes import find


@pytest.mark.parametrize(
    "command",
    [
        "git config core.hooksPath /dev/null",
        "git config --global alias.ci commit",
        "git config --unset core.hooksPath",
        "git config set core.hooksPath x",
        "git -C . config --add a.b c",
        "bash -c 'git config core.hooksPath x'",
        "env X=1 git config --file .git/config a.b c",
        "git config -e",
        'git config a.b "$V"',
        "true && { git config user.name x; }",
    ],
)
def test_writes(command: str) -> None:
    assert find(command)


@pytest.mark.parametrize(
    "command",
    [
        "git config core.hooksPath",
        "git config --get a.b",
        "git config --list",
        "git config -l",
        "git config get a.b",
        "git status",
        "echo git config a b",
        "git log --grep=config",
    ],
)
def test_reads(command: str) -> None:
    assert find(command) == []
