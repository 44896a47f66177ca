"""The git guard's answers for commands that read scripts from disk, kept between hook processes.

``./gradlew build`` costs a parse and an analysis of a 7 KB script on every call. The answer
depends on the command, where it runs (cwd, ``HOME``), the forbidden verbs, the analysis code, and
every file the analysis looked at (``bash/script_files.Reads``: texts read, paths found or not,
directories listed). An entry is used only while each of those files has the signature it had
(kind, size, mtime_ns, ctime_ns, inode, device); an analysis that read a file changed in the last
two seconds, or asked git for aliases, is not kept. Standard library only (hot path).

The cache lives in the state directory, through ``runtime/state_files`` (a link, FIFO or other
hostile file there, or one that is not ours or is open to others' writes, is not used: the command
is analysed afresh). A well-formed entry could still be forged by whoever can write the state
directory, so the cache is used only where the guarded agent has no write there that the guards let
through: every write the isolation and tamper guards see there is refused (Write, Edit, Bash
redirections and the programs ``isolation/bash_writes`` knows), and with the sandbox the directory
is read-only to every command. Without the sandbox, code that no static reading follows (a
Python one-liner's own ``open``) could write it; such code can run git itself just as well, which
only the sandbox stops (docs/design.md, "a forged nothing found").
"""

from __future__ import annotations

import os

from integration_engineer.bash import script_files
from integration_engineer.config import Settings
from integration_engineer.git_guard.findings import GitFinding, GitFindings
from integration_engineer.runtime import datadir, json_codec, paths, state_files
from integration_engineer.runtime.payload import HookEvent
from integration_engineer.task import acting as acting_task

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

FILE_NAME = "script-cache.json"
VERSION = 1
MAX_ENTRIES = 16
MAX_BYTES = 512 * 1024
MAX_COMMAND = 4096  # longer commands are not kept (they rarely repeat)
_CODE_DIRS = ("bash", "git_guard", "repository")  # the code the answer comes from
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def path() -> str:
    return os.path.join(datadir.data_dir(), FILE_NAME)


def trusted(event: HookEvent, settings: Settings) -> bool:
    """Whether the guarded agent has no route the guards let through to write the cache file: it
    lies in the state directory (refused to every write the isolation and tamper guards see) and in
    none of the places the agent may write (the worktree; with the sandbox also the task's /tmp and
    the cache directories), in a directory of ours closed to others. Used with and without the
    sandbox (docs/design.md, "a forged nothing found")."""
    task = acting_task.task_for(event, settings)
    if task is None:
        return False
    home = os.path.expanduser("~")
    try:
        writable = [acting_task.worktree_of(task)]
        if settings.sandbox.mode != "off":
            from integration_engineer.sandbox import task_tmp

            writable.append(task_tmp.tmp_root())
    except OSError:
        return False
    # As sandbox/layout expands them: "~/x" and relative paths are in the home directory.
    writable += [os.path.join(home, w[2:] if w.startswith("~/") else w) for w in settings.sandbox.writable]
    here = os.path.realpath(path())
    if any(paths.is_within(here, os.path.realpath(root)) for root in writable):
        return False
    return _private(os.path.dirname(here))


def _private(directory: str) -> bool:
    """The state directory is ours and closed to others (a group- or world-writable one could be
    written by anyone); a cache file there is checked again when read (``_owned``)."""
    try:
        st = os.lstat(directory)
    except OSError:
        return True  # not there yet: created 0700 by the first store
    return st.st_mode & 0o170000 == 0o040000 and st.st_uid == os.getuid() and not st.st_mode & 0o022


def key(command: str, cwd: str, forbidden: frozenset[str]) -> list[Any]:
    """What the answer depends on besides the code and the files the analysis reads: the
    environment's names too (a name missing there is unset in the command: inherited_unset)."""
    home, path = os.environ.get("HOME", ""), os.environ.get("PATH", "")
    return [command, cwd or os.getcwd(), home, path, sorted(forbidden), " ".join(sorted(os.environ))]


def code() -> list[list[Any]]:
    """The analysis code's own signatures: another version of the plugin starts another cache."""
    found = []
    for folder in _CODE_DIRS:
        directory = os.path.join(_PACKAGE, folder)
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            names = []
        for name in names:
            if name.endswith(".py"):
                found.append([f"{folder}/{name}", *script_files.signature(os.path.join(directory, name))])
    return found


def cached(
    command: str, cwd: str, forbidden: frozenset[str], analyse: Callable[[], GitFindings]
) -> tuple[GitFindings, str]:
    """The findings for ``command`` (``analyse()`` unless a valid entry holds them), and how they
    were found: "hit", "stored", or why they were not kept."""
    if len(command) > MAX_COMMAND:
        return analyse(), "not kept: a long command"
    wanted = key(command, cwd, forbidden)
    stored_code, entries = _load()
    current: list[list[Any]] | None = None
    if any(entry["key"] == wanted for entry in entries):  # the code's signatures only when needed
        current = code()
        entries = entries if stored_code == current else []
        for entry in entries:
            if entry["key"] == wanted and _unchanged(entry["deps"]):
                return _findings(entry), "hit"
    reads = script_files.recording()
    try:
        found = analyse()
    finally:
        script_files.stop_recording(reads)
    if reads.unsound:
        return found, f"not kept: {reads.unsound}"
    if not reads.seen:
        return found, "not kept: no file was read"
    if current is None:
        current = code()
        entries = entries if stored_code == current else []
    deps = [[p, *sig] for p, sig in reads.seen.items()]
    entry = {"key": wanted, "deps": deps, "findings": [f.as_dict() for f in found.findings], "notes": found.notes}
    others = [e for e in entries if e["key"] != wanted]
    _store(current, [entry, *others][:MAX_ENTRIES])
    return found, "stored"


def _unchanged(deps: list[list[Any]]) -> bool:
    return all(list(script_files.signature(dep[0])) == dep[1:] for dep in deps)


def _load() -> tuple[object, list[dict[str, Any]]]:
    """The code signatures the cache file was written for, and its valid entries; (None, [])
    when it is missing, corrupt, or not a plain file."""
    try:
        data = _read()
    except (state_files.StateFileError, OSError):
        return None, []
    if data is None or data.get("version") != VERSION or not isinstance(data.get("entries"), list):
        return None, []
    return data.get("code"), [e for e in data["entries"] if _valid(e)]


def _read() -> dict[str, Any] | None:
    """The cache file's JSON object, only from a regular file of ours that no one else may write
    (None otherwise: the command is analysed afresh)."""
    fd = state_files.open_file(path(), os.O_RDONLY)
    try:
        st = os.fstat(fd)
        if st.st_uid != os.getuid() or st.st_mode & 0o022 or st.st_size > MAX_BYTES:
            return None
        chunks = []
        while chunk := os.read(fd, MAX_BYTES + 1):
            chunks.append(chunk)
            if sum(map(len, chunks)) > MAX_BYTES:
                return None
    finally:
        os.close(fd)
    try:
        data = json_codec.loads(b"".join(chunks).decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _valid(entry: object) -> bool:
    if not isinstance(entry, dict) or not isinstance(entry.get("key"), list):
        return False
    deps, findings, notes = entry.get("deps"), entry.get("findings"), entry.get("notes")
    if not isinstance(deps, list) or not deps or not isinstance(notes, list) or not isinstance(findings, list):
        return False
    if not all(isinstance(d, list) and d and isinstance(d[0], str) for d in deps):
        return False
    if not all(isinstance(d, list) and all(isinstance(n, int) for n in d[1:]) for d in deps):
        return False
    return all(isinstance(n, str) for n in notes) and all(_valid_finding(f) for f in findings)


def _valid_finding(found: object) -> bool:
    if not isinstance(found, dict):
        return False
    route = found.get("route")
    return (
        isinstance(found.get("kind"), str)
        and isinstance(found.get("verb"), (str, type(None)))
        and isinstance(found.get("detail"), str)
        and isinstance(route, list)
        and all(isinstance(r, str) for r in route)
    )


def _findings(entry: dict[str, Any]) -> GitFindings:
    found = [GitFinding(f["kind"], f["verb"], tuple(f["route"]), f["detail"]) for f in entry["findings"]]
    return GitFindings(found, False, list(entry["notes"]))


def _store(current: list[list[Any]], entries: list[dict[str, Any]]) -> None:
    try:
        datadir.ensure(datadir.data_dir())
        state_files.write_json(path(), {"version": VERSION, "code": current, "entries": entries})
    except (state_files.StateFileError, OSError, ValueError):
        pass  # not kept: the next call analyses again
