"""The per-tool exclusion words, and that the pytest globs behave as claimed with real pytest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from integration_engineer.tool_scope import exclusion_flags as ef

DIRS = ("trees", "*backup*", "node_modules")


@pytest.mark.parametrize(
    ("tool", "text"),
    [
        ("rg", "-g '!trees' -g '!*backup*' -g '!node_modules'"),
        ("grep", "--exclude-dir=trees --exclude-dir='*backup*' --exclude-dir=node_modules"),
        ("find", "\\( -name trees -o -name '*backup*' -o -name node_modules \\) -prune -o"),
        ("fd", "-E trees -E '*backup*' -E node_modules"),
        (
            "pytest",
            "--ignore-glob='trees/*' --ignore-glob='*/trees/*' --ignore-glob='*backup*/*' "
            "--ignore-glob='node_modules/*' --ignore-glob='*/node_modules/*'",
        ),
        ("jest", "--testPathIgnorePatterns='<rootDir>/(.*/)?(trees|[^/]*backup[^/]*|node_modules)/'"),
        ("vitest", "--exclude '**/trees/**' --exclude '**/*backup*/**' --exclude '**/node_modules/**'"),
        ("ruff", "--extend-exclude '**/trees/**,**/*backup*/**,**/node_modules/**'"),
        ("eslint", "--ignore-pattern '**/trees/' --ignore-pattern '**/*backup*/' --ignore-pattern '**/node_modules/'"),
        ("mypy", "--exclude '(^|/)(trees|[^/]*backup[^/]*|node_modules)/'"),
    ],
)
def test_flags_text(tool: str, text: str) -> None:
    assert ef.shell_text(ef.flags(tool, DIRS)) == text


def test_no_dirs_no_flags() -> None:
    assert all(ef.flags(tool, ()) == [] for tool in ef.TOOLS)


@pytest.mark.parametrize(
    ("word", "quoted"),
    [
        ("-g", "-g"),
        ("!x", "'!x'"),
        ("(", "\\("),
        ("it's", "'it'\\''s'"),
        ("--exclude-dir=*b*", "--exclude-dir='*b*'"),
        ("", "''"),
    ],
)
def test_quote(word: str, quoted: str) -> None:
    assert ef.quote(word) == quoted


def test_pytest_globs_skip_directories_not_files(tmp_path: Path) -> None:
    """The seed-style ``--ignore-glob='*backup*'`` would drop tests/test_backup.py; ours does not."""
    for rel in (
        "tests/test_backup.py",
        "tests/test_a.py",
        "trees/X/tests/test_t.py",
        "src/old_backup/test_b.py",
        "sub/trees/y/test_c.py",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("def test_x():\n    pass\n")
    args = ef.flags("pytest", ("trees", "*backup*"))
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    collected = {line.split("::")[0] for line in proc.stdout.splitlines() if "::" in line}
    assert collected == {"tests/test_backup.py", "tests/test_a.py"}


def test_mypy_regex_matches_directories_only() -> None:
    import re

    regex = re.compile(ef.flags("mypy", DIRS)[1])
    assert regex.search("src/old_backup/") and regex.search("trees/") and regex.search("a/node_modules/")
    assert not regex.search("src/backup_client.py") and not regex.search("subtrees/")


def test_the_rewrite_notice_is_at_most_300_bytes() -> None:
    from integration_engineer.tool_scope import exclusions

    for tools in (["grep"], ["grep", "rg", "find", "jest", "pytest"], ["x" * 400]):
        text = exclusions.notice(tools)
        assert len(text.encode()) <= 300, text
        assert "added directory exclusions" in text and "--exclude-dir" not in text
