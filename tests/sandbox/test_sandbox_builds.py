"""Legitimate builds keep working inside the sandbox: each is run both ways, sandboxed (through the
real PreToolUse hook's rewrite, run as the Bash tool runs it) in one copy of a project in the
worktree and unsandboxed in a twin copy, and the two runs are compared: exit status, the
artifacts, the test output. npm install with husky (its ``prepare`` calls ``git config``, which the
read-only git directory refuses: husky says so and the install still succeeds), go test, cargo
build. The toolchains come from Debian packages (tests/system/install_deps.sh); the registry is
reached over the network, which the sandbox leaves on by default.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sandbox.test_sandbox_effects import Scratch


@pytest.fixture
def scratch() -> Iterator[Scratch]:
    base = Path("/var/tmp") / "ie-sandbox-tests"  # not under /tmp: see test_sandbox_effects.scratch
    base.mkdir(exist_ok=True)
    root = Path(tempfile.mkdtemp(dir=base))
    try:
        box = Scratch(root)
        for cache in (".npm", ".cache", "go/pkg/mod", ".cargo/registry"):  # a user's usual caches
            (root / "home" / cache).mkdir(parents=True, exist_ok=True)
        yield box
    finally:
        shutil.rmtree(root, ignore_errors=True)


def both_ways(
    scratch: Scratch, files: dict[str, str], command: str
) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str], Path, Path]:
    """(sandboxed run, plain run, sandboxed copy, plain copy) of ``command`` in twin projects."""
    copies = []
    for name in ("boxed", "plain"):
        directory = scratch.worktree / name
        for rel, text in files.items():
            (directory / rel).parent.mkdir(parents=True, exist_ok=True)
            (directory / rel).write_text(text.replace("@copy", name))
        copies.append(directory)
    boxed = scratch.run(command, cwd=copies[0])
    assert boxed is not None, f"the static reading refused {command!r}"
    plain = subprocess.run(["bash", "-c", command], cwd=copies[1], capture_output=True, text=True, env=scratch.env)
    return boxed, plain, copies[0], copies[1]


def test_npm_install_with_a_husky_prepare_script(scratch: Scratch) -> None:
    package = {
        "name": "shop",
        "version": "1.0.0",
        # The project is a subdirectory of the repository: husky's documented monorepo form.
        "scripts": {"prepare": "cd .. && husky @copy/.husky", "test": "node -e \"console.log('tests ok')\""},
        "devDependencies": {"husky": "9.1.7"},
    }
    files = {"package.json": json.dumps(package, indent=2)}
    boxed, plain, b, p = both_ways(scratch, files, "npm install --no-audit --no-fund && npm test")
    assert plain.returncode == 0, plain.stderr
    assert boxed.returncode == 0, boxed.stdout + boxed.stderr
    for copy in (b, p):
        assert (copy / "node_modules" / "husky" / "package.json").is_file()
        assert (
            json.loads((copy / "package-lock.json").read_text())["packages"]["node_modules/husky"]["version"] == "9.1.7"
        )
    assert "tests ok" in boxed.stdout and "tests ok" in plain.stdout
    # husky's `git config core.hooksPath` is refused inside: the repository's config is unchanged.
    assert "Read-only file system" in boxed.stdout + boxed.stderr
    config = subprocess.run(
        ["git", "-C", str(scratch.project), "config", "--get-all", "core.hooksPath"], capture_output=True, text=True
    )
    assert config.stdout.strip() == "plain/.husky/_", config.stdout  # set by the plain run only


GO_FILES = {
    "go.mod": "module example.com/shop\n\ngo 1.19\n",
    "shop.go": "package shop\n\nfunc Total(a, b int) int { return a + b }\n",
    "shop_test.go": 'package shop\n\nimport "testing"\n\nfunc TestTotal(t *testing.T) {\n'
    '\tif Total(2, 3) != 5 {\n\t\tt.Fatal("wrong")\n\t}\n}\n',
}


def working(program: str, *probe: str, env: dict[str, str] | None = None) -> str:
    """The first ``program`` on PATH that runs with this environment (a rustup proxy without a
    toolchain in this HOME does not)."""
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        candidate = os.path.join(directory, program)
        probe_argv = [candidate, *(probe or ("--version",))]
        if os.access(candidate, os.X_OK) and subprocess.run(probe_argv, capture_output=True, env=env).returncode == 0:
            return candidate
    raise AssertionError(f"no working {program} on PATH: tests/system/install_deps.sh installs it (Debian)")


def test_go_test(scratch: Scratch) -> None:
    go = working("go", "version", env=scratch.env)
    boxed, plain, _, _ = both_ways(scratch, GO_FILES, f"{go} test ./... 2>&1")
    assert plain.returncode == 0, plain.stdout
    assert boxed.returncode == 0, boxed.stdout + boxed.stderr
    assert boxed.stdout.split()[:2] == plain.stdout.split()[:2] == ["ok", "example.com/shop"], (
        boxed.stdout,
        plain.stdout,
    )


CARGO_FILES = {
    "Cargo.toml": '[package]\nname = "shop"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n',
    "src/main.rs": 'fn main() {\n    println!("total {}", 2 + 3);\n}\n',
}


def test_cargo_build(scratch: Scratch) -> None:
    cargo, rustc = working("cargo", env=scratch.env), working("rustc", env=scratch.env)
    build = f"RUSTC={rustc} {cargo} build -q && ./target/debug/shop"
    boxed, plain, b, p = both_ways(scratch, CARGO_FILES, build)
    assert plain.returncode == 0, plain.stderr
    assert boxed.returncode == 0, boxed.stdout + boxed.stderr
    assert boxed.stdout == plain.stdout == "total 5\n"
    assert (b / "target" / "debug" / "shop").is_file() and (p / "target" / "debug" / "shop").is_file()


def test_make_and_read_only_git_give_the_same_output(scratch: Scratch) -> None:
    files = {"Makefile": "all:\n\t@echo built > out.txt\n\t@cat out.txt\n"}
    boxed, plain, _, _ = both_ways(scratch, files, "make -s && git log --oneline -1 && git diff HEAD~1 --stat")
    assert boxed.returncode == plain.returncode == 0, boxed.stderr
    assert boxed.stdout == plain.stdout and "built" in boxed.stdout
