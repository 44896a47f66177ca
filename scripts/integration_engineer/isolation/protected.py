"""Places the guarded agent may never write, even inside its worktree: the guards' own switches.

A write there could turn a guard off: this plugin's configuration and code, its data directory
(task state), Claude Code settings, git hooks and git configuration. Standard library only.
"""

from __future__ import annotations

import os

from integration_engineer import PLUGIN_ROOT
from integration_engineer.runtime import paths
from integration_engineer.runtime.datadir import data_dir
from integration_engineer.runtime.record import record

PACKAGE_REPO = PLUGIN_ROOT
HOME_ENTRIES = (
    (".claude", "Claude Code's user settings (~/.claude/)"),
    (".claude.json", "Claude Code's user configuration (~/.claude.json)"),
    (".gitconfig", "the global git configuration (~/.gitconfig)"),
    (".config/git", "the global git configuration (~/.config/git/)"),
)


@record
class Protected:
    """The protected locations for one hook call, every path resolved."""

    places: tuple[tuple[str, str], ...]  # (directory or file, what it is): it and all below
    carve_out: str = ""  # the task worktree: never protected as part of the plugin's directory

    def reason(self, path: str, *, whole_tree: bool = False) -> str:
        """What ``path`` (resolved) is, when it is protected; "" when it is not.

        ``whole_tree``: the operation also affects everything below ``path`` (rm -r, mv).
        """
        named = _by_name(path)
        if named:
            return named
        for place, label in self.places:
            if paths.is_within(path, place) or (whole_tree and paths.is_within(place, path)):
                if (
                    label.startswith("the plugin's")
                    and self.carve_out
                    and paths.is_within(path, self.carve_out)
                    and self.carve_out != place
                ):
                    continue
                return label
        return ""


def _by_name(path: str) -> str:
    """Protected wherever they are: git metadata and Claude Code project settings."""
    parts = path.split(os.sep)
    if ".git" in parts:
        return "git metadata (.git: hooks, config, the worktree's gitdir link)"
    for i, part in enumerate(parts):
        if part != ".claude":
            continue
        rest = parts[i + 1 :]
        if len(rest) >= 2 and rest[0] == "worktrees":
            continue  # a worktree under .claude/worktrees/: its files are work, its own .claude/ is not
        return _claude_label(rest)
    return ""


def _claude_label(rest: list[str]) -> str:
    name = rest[-1] if rest else ""
    if name == "integration-engineer.json":
        return "this plugin's configuration (.claude/integration-engineer.json)"
    if len(rest) == 1 and name.startswith("settings") and name.endswith(".json"):
        return "Claude Code settings (.claude/settings*.json)"
    if rest and rest[0] in ("agents", "commands", "hooks", "plugins"):
        return f"Claude Code {rest[0]} definitions (.claude/{rest[0]}/)"
    return "Claude Code project configuration (.claude/)"


def collect(worktree: str = "", home: str | None = None) -> Protected:
    """Every protected location for an agent working in ``worktree`` ("" when unknown)."""
    home = home if home is not None else os.path.expanduser("~")
    places: list[tuple[str, str]] = []

    def add(path: str, label: str) -> None:
        if path:
            places.append((os.path.realpath(path), label))

    for rel, label in HOME_ENTRIES:
        add(os.path.join(home, rel), label)
    xdg = os.environ.get("XDG_CONFIG_HOME")
    if xdg:
        add(os.path.join(xdg, "git"), "the global git configuration ($XDG_CONFIG_HOME/git/)")
    add("/etc/gitconfig", "the system git configuration (/etc/gitconfig)")
    add(os.environ.get("CLAUDE_PLUGIN_ROOT", ""), "the plugin's own directory (CLAUDE_PLUGIN_ROOT)")
    add(PACKAGE_REPO, "the plugin's own directory (its code)")
    add(data_dir(), "the plugin's data directory (CLAUDE_PLUGIN_DATA: task state, logs)")
    if os.environ.get("CLAUDE_PLUGIN_DATA"):
        add(os.environ["CLAUDE_PLUGIN_DATA"], "the plugin's data directory (CLAUDE_PLUGIN_DATA)")
    if worktree:
        hooks = hooks_path(worktree, home)
        if hooks:
            add(hooks, f"the git hooks directory (core.hooksPath = {hooks})")
    carve = os.path.realpath(worktree) if worktree else ""
    return Protected(tuple(places), carve)


def hooks_path(worktree: str, home: str) -> str:
    """``core.hooksPath`` of the worktree's repository, when set in a config file we can read."""
    value = ""
    for config in _config_files(worktree, home):
        found = _core_hooks_path(config)
        if found:
            value = found  # later files win, as in git
    if not value:
        return ""
    return paths.resolve(value, worktree, home)


def _config_files(worktree: str, home: str) -> list[str]:
    files = [os.path.join(home, ".gitconfig")]
    gitdir = _gitdir(worktree)
    if gitdir:
        common = gitdir
        try:
            with open(os.path.join(gitdir, "commondir"), encoding="utf-8") as fh:
                common = os.path.normpath(os.path.join(gitdir, fh.read().strip()))
        except OSError:
            pass
        files += [os.path.join(common, "config"), os.path.join(gitdir, "config.worktree")]
    return files


def _gitdir(worktree: str) -> str:
    dotgit = os.path.join(worktree, ".git")
    if os.path.isdir(dotgit):
        return dotgit
    try:
        with open(dotgit, encoding="utf-8") as fh:
            line = fh.readline().strip()
    except OSError:
        return ""
    if not line.startswith("gitdir:"):
        return ""
    return os.path.normpath(os.path.join(worktree, line[len("gitdir:") :].strip()))


def _core_hooks_path(config: str) -> str:
    """The last ``hooksPath`` of a ``[core]`` section (a plain reader: no includes, no escapes)."""
    try:
        with open(config, encoding="utf-8", errors="replace") as fh:
            lines = fh.read(256 * 1024).splitlines()
    except OSError:
        return ""
    section, value = "", ""
    for line in lines:
        text = line.strip()
        if text.startswith("["):
            section = text[1:].split("]", 1)[0].strip().lower()
            continue
        key, sep, rest = text.partition("=")
        if sep and section == "core" and key.strip().lower() == "hookspath":
            value = rest.split("#", 1)[0].split(";", 1)[0].strip().strip('"')
    return value
