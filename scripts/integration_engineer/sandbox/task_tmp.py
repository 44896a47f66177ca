"""The tasks' own /tmp directories: made on a task's first sandboxed command, kept between its
commands, removed when the task ends. Stdlib ``os`` only (hot path)."""

from __future__ import annotations

import os

from integration_engineer.runtime import datadir
from integration_engineer.sandbox import bwrap

TMP_DIR = "sandbox-tmp"


def tmp_root() -> str:
    """Where the tasks' /tmp directories live: a private directory under the system's temporary
    directory, one per plugin data directory. Not under ``~/.claude`` (where the state directory
    is): Claude Code asks before any command whose text writes under a ``.claude`` directory, even
    when a hook allows it (observed with CLI 2.1.332), so the sandboxed command must not name it."""
    base = os.environ.get("TMPDIR") or "/tmp"
    owner = os.path.join(base, f"integration-engineer-{os.getuid()}")
    _private(owner)
    root = os.path.join(owner, f"{crc32(datadir.data_dir().encode()):08x}")
    _private(root)
    return os.path.join(root, TMP_DIR)


def crc32(data: bytes) -> int:
    """zlib's CRC-32 (the same directory names as before), without importing zlib on the hot path:
    a data directory's path is a few dozen bytes."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0xEDB88320 & -(crc & 1))
    return crc ^ 0xFFFFFFFF


def _private(path: str) -> None:
    """Create ``path`` (0700) or accept it only when it is our own private directory, not a link."""
    os.makedirs(path, 0o700, exist_ok=True)  # a link to a directory is accepted here, refused below
    info = os.lstat(path)
    if not (info.st_mode & 0o170000 == 0o040000 and info.st_uid == os.getuid() and not info.st_mode & 0o077):
        raise OSError(f"{path} is not a private directory of this user (a link, or open to others)")


def make(key: str) -> str:
    """The task's own /tmp, kept between its commands (removed by ``remove`` at the end)."""
    path = os.path.join(tmp_root(), _safe(key))
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def remove_defs(key: str, call_id: str) -> None:
    """After a sandboxed command: delete the calling shell's definitions handed to it (the runner
    leaves them: removing them inside would cost a process per command). Only that file, in this
    task's /tmp under our own private root, never through a link."""
    try:
        root = tmp_root()
        fd = os.open(os.path.join(root, _safe(key)), os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return
    try:
        os.unlink(bwrap.defs_file(call_id), dir_fd=fd)  # a link in its place is removed, not followed
    except OSError:
        pass  # gone already, or never written (the command did not start)
    finally:
        os.close(fd)


def _safe(key: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in key) or "main"


def remove(key: str) -> None:
    """Delete the task's /tmp: only this directory under our own private root."""
    import shutil

    try:
        root = tmp_root()
    except OSError:
        return
    path = os.path.join(root, _safe(key))
    if os.path.isdir(path) and not os.path.islink(path) and os.path.dirname(path) == root:
        shutil.rmtree(path, ignore_errors=True)
