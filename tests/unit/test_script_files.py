"""script_files: what npm/yarn/pnpm, make and scripts from disk would run (read, never run)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from integration_engineer.bash import script_files

MAKEFILE = """\
# comment: git push
GIT ?= git
REMOTE := origin
FLAGS = -q
FLAGS += --follow-tags
export TAG_CMD = $(GIT) tag
.PHONY: all build release
all: build

build: gen
\t@echo building $@ from $<
gen:
\t-touch gen.txt
release: build ; $(GIT) push $(FLAGS) $(REMOTE) \\
\t  HEAD
ifeq ($(CI),1)
ci: ; $(GIT) commit -m ci
else
ci:
\techo local
endif
%.o: %.c
\t$(CC) -c $<
define HELP
\tgit push in a define is text
endef
release-notes: VERSION = 2
price = $$PRICE
show:
\techo $(price) $(UNKNOWN) $$HOME
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "Makefile").write_text(MAKEFILE)
    (tmp_path / "package.json").write_text(
        json.dumps(
            {
                "scripts": {
                    "prebuild": "node gen.js",
                    "build": "tsc",
                    "postbuild": "echo done",
                    "test": "jest",
                    "release": "git push",
                    "lint": 5,
                }
            }
        )
    )
    return tmp_path


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        ([], ["echo building build from gen", "touch gen.txt"]),  # the default target: all
        (["gen"], ["touch gen.txt"]),
        (["release"], ["git push -q --follow-tags origin    HEAD", "echo building build from gen", "touch gen.txt"]),
        (["ci"], ["git commit -m ci", "echo local"]),  # both branches of the conditional
        (["show"], ["echo $PRICE $(UNKNOWN) $HOME"]),  # $$ is $, an unknown variable stays
        (["-j", "4", "gen"], ["touch gen.txt"]),
        (["-j", "4"], ["echo building build from gen", "touch gen.txt"]),
        (
            ["GIT=hub", "release"],
            ["hub push -q --follow-tags origin    HEAD", "echo building build from gen", "touch gen.txt"],
        ),
        (["nothing-like-this"], []),
    ],
)
def test_make_recipes(project: Path, args: list[str | None], lines: list[str]) -> None:
    found = script_files.make_recipes(args, str(project))
    assert found is not None
    directory, shells, recipe = found
    assert directory == str(project)
    assert [" ".join(x.split()) for x in shells + recipe] == [" ".join(x.split()) for x in lines]


def test_make_directory_and_file_options(project: Path) -> None:
    sub = project / "sub"
    sub.mkdir()
    (sub / "build.mk").write_text("x:\n\tgit push\n")
    assert script_files.make_recipes(["-C", "sub", "-f", "build.mk", "x"], str(project)) == (str(sub), [], ["git push"])
    assert script_files.make_recipes(["--directory=sub", "--file=build.mk"], str(project)) == (
        str(sub),
        [],
        ["git push"],
    )
    assert script_files.make_recipes(["x"], str(sub)) is None  # no Makefile there
    (project / "Makefile").write_text("V := $(shell git commit -qm v)\nx:\n\ttrue\n")
    assert script_files.make_recipes(["x"], str(project)) == (str(project), ["git commit -qm v"], ["true"])


@pytest.mark.parametrize(
    ("tool_args", "expected"),
    [
        (["run", "build"], [("prebuild", "node gen.js"), ("build", "tsc"), ("postbuild", "echo done")]),
        (["run-script", "release", "--", "--dry-run"], [("release", "git push --dry-run")]),
        (["test"], [("test", "jest")]),
        (["t"], [("test", "jest")]),
        (["--silent", "run", "release"], [("release", "git push")]),
        (["release"], [("release", "git push")]),  # yarn/pnpm NAME
        (["run", "missing"], []),
        (["install"], []),  # lifecycle scripts: none in this package.json
        (["add", "lodash"], None),
        (["run"], None),
        (["run", None], None),
    ],
)
def test_package_scripts(project: Path, tool_args: list[str | None], expected: list[tuple[str, str]] | None) -> None:
    found = script_files.package_scripts(tool_args, str(project / "src"))  # found upwards
    assert (found[1] if found else None) == expected
    if found:
        assert found[0] == str(project)


def test_package_json_options_and_bad_files(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "package.json").write_text('{"scripts": {"ship": "git push"}}')
    assert script_files.package_scripts(["--prefix", str(other), "run", "ship"], "/") == (
        str(other),
        [("ship", "git push")],
    )
    assert script_files.package_scripts([f"--cwd={other}", "ship"], "/") == (str(other), [("ship", "git push")])
    (other / "package.json").write_text("{not json")
    assert script_files.package_scripts(["--prefix", str(other), "run", "ship"], "/") is None


@pytest.mark.parametrize(
    ("text", "program"),
    [
        ("#!/bin/sh\necho", "sh"),
        ("#!/usr/bin/env python3\n", "python3"),
        ("#!/usr/bin/env -S node --no-warnings\n", "node"),
        ("#! /usr/bin/perl -w\n", "perl"),
        ("echo hi\n", ""),
        ("#!\n", ""),
    ],
)
def test_interpreter_of(text: str, program: str) -> None:
    assert script_files.interpreter_of(text) == program


def test_read_text_refuses_what_is_not_a_readable_script(tmp_path: Path) -> None:
    (tmp_path / "ok.sh").write_text("git push\n")
    (tmp_path / "binary").write_bytes(b"\x7fELF" + b"\0" * 10 + b"git push")
    (tmp_path / "late-nul").write_bytes(b"x" * 5000 + b"\0")
    (tmp_path / "big.sh").write_text("#" * (script_files.MAX_BYTES + 1))
    os.mkfifo(tmp_path / "fifo")  # opening it for reading would block
    assert script_files.read_text(str(tmp_path / "ok.sh")) == "git push\n"
    for name in ("binary", "late-nul", "big.sh", "fifo", "missing", ""):
        assert script_files.read_text(str(tmp_path / name)) is None, name


def test_lifecycle_scripts_of_install_and_version(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(
        json.dumps(
            {"scripts": {"prepare": "husky", "postinstall": "node fix.js", "preversion": "npm test", "test": "jest"}}
        )
    )
    for args in (["install"], ["ci"], ["i"], []):
        assert script_files.package_scripts(args, str(tmp_path)) == (
            str(tmp_path),
            [("postinstall", "node fix.js"), ("prepare", "husky")],
        ), args
    assert script_files.package_scripts(["version", "patch"], str(tmp_path)) == (
        str(tmp_path),
        [("preversion", "npm test")],
    )


@pytest.mark.parametrize(
    ("args", "commits"),
    [
        (["version", "patch"], True),
        (["--silent", "version", "1.2.3"], True),
        (["version", "patch", "--no-git-tag-version"], False),
        (["version", "--git-tag-version=false"], False),
        (["run", "version"], False),
        (["install"], False),
        ([], False),
        (["version"], False),
        (["version", "--json"], False),
        (["version", None], True),
    ],
)
def test_version_commits(args: list[str | None], commits: bool) -> None:
    assert script_files.version_commits(args) is commits


def test_included_makefiles_are_read(tmp_path: Path) -> None:
    (tmp_path / "Makefile").write_text("include release.mk\n-include mk/*.mk\ninclude $(LOCAL)\nall:\n\ttrue\n")
    (tmp_path / "release.mk").write_text("publish:\n\tgit push origin HEAD\n")
    (tmp_path / "mk").mkdir()
    (tmp_path / "mk" / "tag.mk").write_text("TAG := $(shell git tag v1)\ntag:\n\tgit tag -f v1\n")
    (tmp_path / "mk" / "notes.txt").write_text("publish:\n\tgit commit -m notes\n")  # not *.mk
    assert script_files.make_recipes(["publish"], str(tmp_path)) == (
        str(tmp_path),
        ["git tag v1"],
        ["git push origin HEAD"],
    )
    assert script_files.make_recipes(["tag"], str(tmp_path)) == (str(tmp_path), ["git tag v1"], ["git tag -f v1"])
