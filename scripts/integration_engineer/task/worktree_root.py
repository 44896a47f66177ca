"""Where a project's task worktrees go: the root the Agent-call check holds a WORKTREE_PATH to.

``integration-engineer worktree-root`` prints it, and ``/integration-engineer:start-task`` runs that
before the model reads its steps, so the worktree is made where the hooks will look for it: the
plugin's ``worktree_root``, else ``.reaper.yml``'s ``worktrees.base_path``, else ``trees``, under the
main checkout. Standard library only: ``scripts/cli.py`` runs it without click, before the plugin's
venv exists.
"""

from __future__ import annotations

import os
import sys

from integration_engineer import config
from integration_engineer.runtime import json_codec
from integration_engineer.runtime.record import record
from integration_engineer.task import validation

EXIT_OK, EXIT_USAGE, EXIT_ENVIRONMENT = 0, 2, 3


class NotARepositoryError(ValueError):
    """The project is not a git repository, so no linked worktree can be made in it."""


@record
class Root:
    project: str  # the main checkout
    path: str  # absolute, as the Agent-call check resolves worktree_root
    source: str  # where the root was set


def resolve(directory: str) -> Root:
    """The worktree root for a session in ``directory``, as the hooks see it: its configuration, a
    relative root read from the main checkout. ConfigError for a bad configuration,
    NotARepositoryError outside git."""
    where = os.path.realpath(directory)
    project = validation.project_at(where)
    if not validation.is_repository(project):
        raise NotARepositoryError(
            f"{project} is not a git repository: a task's worktree is a linked git worktree of the "
            "project, so run this in its checkout (git init first for a new project)"
        )
    settings = config.load(where)  # as the hooks load it (events/dispatch.py)
    if settings.worktree_root_from:
        source = settings.worktree_root_from
    elif settings.worktree_root != config.Settings().worktree_root:
        source = f"{settings.source} worktree_root"
    else:
        source = "the default"
    return Root(project, os.path.normpath(os.path.join(project, settings.worktree_root)), source)


def main(argv: list[str]) -> int:
    """``integration-engineer worktree-root [--project DIR] [--json]`` (argparse, no click)."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="integration-engineer worktree-root",
        description="Print the directory under which the task worktrees of the project go "
        "(worktree_root, else .reaper.yml worktrees.base_path, else trees), as an absolute path.",
    )
    parser.add_argument(
        "--project", default="", help="a directory of the project (default: CLAUDE_PROJECT_DIR, else the current one)"
    )
    parser.add_argument("--json", action="store_true", help="print project, root and where it was set, as JSON")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    if args.project and not os.path.isdir(args.project):
        sys.stderr.write(f"integration-engineer worktree-root: --project {args.project}: not a directory\n")
        return EXIT_USAGE
    try:
        root = resolve(args.project or config.project_dir())
    except (config.ConfigError, NotARepositoryError, OSError) as exc:
        sys.stderr.write(f"integration-engineer worktree-root: {exc}\n")
        return EXIT_ENVIRONMENT
    if args.json:
        sys.stdout.write(json_codec.dumps({"project": root.project, "root": root.path, "from": root.source}) + "\n")
    else:
        sys.stdout.write(root.path + "\n")
    return EXIT_OK
