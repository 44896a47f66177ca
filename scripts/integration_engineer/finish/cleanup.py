"""Remove tool artifacts (coverage, caches, test reports) from one worktree, safely.

Safety rules, each enforced here rather than hoped for:

- only inside the worktree: the walk starts at its resolved top and never follows a symlink, and
  every directory is opened relative to its parent with ``O_NOFOLLOW`` (a link swapped in during
  the walk makes the open fail instead of leading outside);
- never a tracked path: git decides (``git ls-files``); an artifact directory holding tracked
  files loses only its untracked content;
- symlinks are unlinked, never followed, wherever they are (a link named ``coverage`` or a link
  inside ``htmlcov/``): their targets stay as they were;
- never inside a nested repository or another worktree (a directory with its own ``.git``);
- dependency and build directories (``excluded_dirs``: node_modules, .venv, ...) are not searched:
  a package's own ``coverage/`` is not ours to delete.

Every removed and every kept path is recorded with the reason, and a dry run reports exactly the
same list without touching anything.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import functools
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from integration_engineer.repository.git_runner import GitCall, GitError

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class CleanupError(RuntimeError):
    """The worktree cannot be cleaned at all (not a git working tree, git missing)."""


@dataclass(frozen=True)
class Entry:
    """One path (relative to the worktree, ``/``-separated, directories end with ``/``)."""

    path: str
    reason: str
    files: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "reason": self.reason, "files": self.files}


@dataclass
class Report:
    worktree: str
    dry_run: bool = False
    removed: list[Entry] = field(default_factory=list)
    kept: list[Entry] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "worktree": self.worktree,
            "dry_run": self.dry_run,
            "removed": [e.as_dict() for e in self.removed],
            "kept": [e.as_dict() for e in self.kept],
        }


@dataclass(frozen=True)
class Patterns:
    """Artifact patterns: ``name/`` matches directories, ``name`` files and links; globs allowed.

    A pattern with a ``/`` inside (``target/debug/``) matches the path from the worktree's top.
    Each kind is compiled into one regular expression: a name is matched once, not per pattern.
    """

    dirs: tuple[str, ...]
    files: tuple[str, ...]

    @classmethod
    def parse(cls, artifacts: tuple[str, ...] | list[str]) -> Patterns:
        dirs = tuple(p.rstrip("/") for p in artifacts if p.endswith("/") and p.strip("/"))
        files = tuple(p for p in artifacts if not p.endswith("/") and p)
        return cls(dirs, files)

    def dir_match(self, rel: str, name: str) -> str:
        return _matcher(self.dirs, "/")(rel, name)

    def file_match(self, rel: str, name: str) -> str:
        return _matcher(self.files, "")(rel, name)


@functools.lru_cache(maxsize=16)
def _matcher(patterns: tuple[str, ...], suffix: str) -> Callable[[str, str], str]:
    """A function (path, name) -> the first pattern that matches (with ``suffix``), or ""."""
    by_name = [p for p in patterns if "/" not in p]
    by_path = [p for p in patterns if "/" in p]
    name_re = re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in by_name)) if by_name else None

    def match(rel: str, name: str) -> str:
        if name_re is not None and name_re.match(name):
            return next(p for p in by_name if fnmatch.fnmatchcase(name, p)) + suffix
        for pattern in by_path:
            if fnmatch.fnmatchcase(rel, pattern.lstrip("/")):
                return pattern + suffix
        return ""

    return match


def clean(
    worktree: str | Path,
    artifacts: tuple[str, ...] | list[str],
    excluded_dirs: tuple[str, ...] | list[str] = (),
    *,
    dry_run: bool = False,
    started: GitCall | None = None,
) -> Report:
    """Remove (or, with ``dry_run``, list) the artifacts of one git working tree.

    ``started``: the git call of ``start(worktree)``, begun earlier by a caller with other work.
    """
    root = Path(worktree).resolve()
    tracked = tracked_paths(root, started)
    walker = _Walker(root, Patterns.parse(artifacts), tuple(excluded_dirs), tracked | submodule_paths(root), dry_run)
    fd = os.open(root, _DIR_FLAGS)
    try:
        walker.dev = os.fstat(fd).st_dev
        walker.walk(fd, "")
    finally:
        os.close(fd)
    walker.report.removed.sort(key=lambda e: e.path)
    walker.report.kept.sort(key=lambda e: e.path)
    return walker.report


def start(worktree: str | Path) -> GitCall:
    """The git call cleanup needs, started now (it runs while the caller does other work)."""
    return GitCall(Path(worktree).resolve(), "ls-files", "-z")


def tracked_paths(root: Path, started: GitCall | None = None) -> frozenset[str]:
    """Every path git tracks in this working tree, plus their parent directories (``a/b/``).

    The top of a working tree is the directory holding its ``.git`` (a directory, or the file of
    a linked worktree): git's own discovery stops there, so no ``rev-parse`` is needed.
    """
    listing = started or start(root)
    if not os.path.lexists(root / ".git"):
        _discard(listing)
        raise CleanupError(f"{root} is not the top of a git working tree (it has no .git)")
    try:
        out = listing.output()
    except GitError as exc:
        raise CleanupError(f"{root} is not the top of a git working tree ({exc})") from None
    paths: set[str] = set()
    for path in out.split("\0"):
        if not path:
            continue
        paths.add(path)
        parts = path.split("/")
        for i in range(1, len(parts)):
            paths.add("/".join(parts[:i]) + "/")
    return frozenset(paths)


def mount_points(below: str) -> frozenset[str]:
    """Mount points under ``below`` from /proc/self/mountinfo (empty where there is none)."""
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return frozenset()
    found = set()
    for line in lines:
        fields = line.split(" ")
        if len(fields) > 4:
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4])
            if point.startswith(below.rstrip("/") + "/"):
                found.add(point)
    return frozenset(found)


def submodule_paths(root: Path) -> frozenset[str]:
    """The paths ``.gitmodules`` names (an uninitialised submodule is an empty, untracked-looking
    directory: never an artifact, whatever its name)."""
    try:
        text = (root / ".gitmodules").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    found = re.findall(r"^\s*path\s*=\s*(.+?)\s*$", text, re.MULTILINE)
    return frozenset(p.strip('"').strip("/") for p in found)


def _discard(call: GitCall) -> None:
    with contextlib.suppress(GitError):
        call.output()


class _Walker:
    def __init__(
        self, root: Path, patterns: Patterns, excluded: tuple[str, ...], tracked: frozenset[str], dry_run: bool
    ) -> None:
        self.patterns = patterns
        self.excluded = excluded
        self.tracked = tracked
        self.dry_run = dry_run
        self.report = Report(str(root), dry_run)
        self.dev = -1  # the worktree's file system: a directory on another one is a mount point
        self.root = str(root)
        # A bind mount of the same file system keeps st_dev: the kernel's table names it.
        self.mounts = mount_points(self.root)

    def _enter(self, fd: int, name: str, path: str) -> int | None:
        """Open a directory to search or purge, or record why it is left alone. The same test in
        a dry run and a real one, so both list the same paths."""
        if path in self.tracked and path + "/" not in self.tracked:
            self.report.kept.append(Entry(path + "/", "submodule (tracked gitlink or .gitmodules path): left alone"))
            return None
        sub = _open_dir(fd, name)
        if sub is None:
            self.report.kept.append(Entry(path + "/", "could not be opened without following a link"))
            return None
        if (self.dev != -1 and os.fstat(sub).st_dev != self.dev) or self.root + "/" + path in self.mounts:
            os.close(sub)
            self.report.kept.append(Entry(path + "/", "mount point (another file system): left alone"))
            return None
        return sub

    def walk(self, fd: int, rel: str) -> None:
        """Search one directory (never the inside of an artifact) for artifacts."""
        for name, mode in _entries(fd):
            path = rel + name
            if name == ".git":
                continue
            if stat.S_ISDIR(mode):
                self._visit_dir(fd, name, path)
            elif pattern := self._leaf_match(path, name, mode):
                self._remove_file(fd, name, path, mode, f"artifact {pattern}")

    def _leaf_match(self, path: str, name: str, mode: int) -> str:
        """A file or link named like an artifact (a link named ``coverage`` counts too)."""
        found = self.patterns.file_match(path, name)
        if not found and stat.S_ISLNK(mode):
            found = self.patterns.dir_match(path, name)
        return found

    def _visit_dir(self, fd: int, name: str, path: str) -> None:
        if _has_git(fd, name):
            self.report.kept.append(Entry(path + "/", "nested repository or worktree: left alone"))
            return
        pattern = self.patterns.dir_match(path, name)
        if not pattern and _matcher(self.excluded, "")("", name):
            return
        sub = self._enter(fd, name, path)
        if sub is None:
            return
        try:
            if pattern:
                self._purge_dir(fd, sub, name, path, f"artifact {pattern}")
            else:
                self.walk(sub, path + "/")
        finally:
            os.close(sub)

    def _remove_file(self, fd: int, name: str, path: str, mode: int, reason: str) -> bool:
        if path in self.tracked:
            self.report.kept.append(Entry(path, "tracked by git"))
            return False
        if stat.S_ISLNK(mode):
            reason += ": symlink unlinked, its target not followed"
        if not self.dry_run:
            try:
                os.unlink(name, dir_fd=fd)
            except OSError as exc:
                self.report.kept.append(Entry(path, f"could not be removed ({exc.strerror})"))
                return False
        self.report.removed.append(Entry(path, reason, 1))
        return True

    def _purge_dir(self, parent: int, fd: int, name: str, path: str, reason: str) -> None:
        """Remove an artifact directory; what must stay (tracked, nested repos) is kept and named."""
        removed_before = len(self.report.removed)
        kept_before = len(self.report.kept)
        files = self._purge_contents(fd, path + "/", reason)
        if len(self.report.kept) > kept_before:
            return
        del self.report.removed[removed_before:]
        if not self.dry_run:
            try:
                os.rmdir(name, dir_fd=parent)
            except OSError as exc:
                self.report.kept.append(Entry(path + "/", f"could not be removed ({exc.strerror})"))
                return
        self.report.removed.append(Entry(path + "/", reason, files))

    def _purge_contents(self, fd: int, rel: str, reason: str) -> int:
        files = 0
        for name, mode in _entries(fd):
            path = rel + name
            if not stat.S_ISDIR(mode):
                files += int(self._remove_file(fd, name, path, mode, reason))
                continue
            if _has_git(fd, name):
                self.report.kept.append(Entry(path + "/", "nested repository or worktree: left alone"))
                continue
            sub = self._enter(fd, name, path)
            if sub is None:
                continue
            try:
                before = len(self.report.kept)
                removed_before = len(self.report.removed)
                count = self._purge_contents(sub, path + "/", reason)
            finally:
                os.close(sub)
            files += count
            if len(self.report.kept) == before:
                del self.report.removed[removed_before:]
                if self.dry_run or _rmdir(fd, name):
                    self.report.removed.append(Entry(path + "/", reason, count))
                else:
                    self.report.kept.append(Entry(path + "/", "could not be removed"))
        return files


def _entries(fd: int) -> list[tuple[str, int]]:
    """(name, file type bits) of each entry of an open directory, without following links.

    The type comes from the directory listing itself (no stat per file on most file systems).
    """
    out: list[tuple[str, int]] = []
    with os.scandir(fd) as it:
        for entry in it:
            try:
                if entry.is_symlink():
                    kind = stat.S_IFLNK
                elif entry.is_dir(follow_symlinks=False):
                    kind = stat.S_IFDIR
                else:
                    kind = stat.S_IFREG
            except OSError:
                continue
            out.append((entry.name, kind))
    out.sort()
    return out


def _open_dir(parent: int, name: str) -> int | None:
    try:
        return os.open(name, _DIR_FLAGS, dir_fd=parent)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.ENOENT, errno.EACCES):
            return None
        raise


def _has_git(parent: int, name: str) -> bool:
    try:
        os.stat(f"{name}/.git", dir_fd=parent, follow_symlinks=False)
    except OSError:
        return False
    return True


def _rmdir(parent: int, name: str) -> bool:
    try:
        os.rmdir(name, dir_fd=parent)
    except OSError:
        return False
    return True
