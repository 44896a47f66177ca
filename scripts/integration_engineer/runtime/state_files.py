"""Every file the plugin opens in its state directory goes through here. Standard library only.

The guarded agent can write to the state directory with tools the guards do not parse (a Python
one-liner), so every file there is hostile until proved otherwise (docs/design.md, "The state
directory"). Each directory below the state root is opened with ``O_NOFOLLOW`` relative to its
parent's descriptor, the file itself with ``O_NOFOLLOW | O_NONBLOCK``, and only a regular file is
used: a link, FIFO, socket, device or directory raises ``StateFileError`` naming what was found.
Writes go to a fresh ``O_EXCL`` temporary beside the target, renamed over it; reads are bounded.
"""

from __future__ import annotations

import os

from integration_engineer.runtime import json_codec
from integration_engineer.runtime.datadir import data_dir

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from typing import Any

MAX_READ = 4 * 1024 * 1024  # no state file the plugin writes comes near this
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_DIR_FLAGS = os.O_RDONLY | _NOFOLLOW | _DIRECTORY | _CLOEXEC | _NONBLOCK
_KINDS = {0o140000: "a socket", 0o120000: "a symbolic link", 0o060000: "a block device", 0o040000: "a directory"}
_KINDS.update({0o020000: "a character device", 0o010000: "a FIFO", 0o100000: "a regular file"})


class StateFileError(Exception):
    """A state path is not a plain file in a plain directory (deliberately not an OSError:
    callers that treat a missing file as "none yet" must not swallow this)."""


def _kind(mode: int) -> str:
    return _KINDS.get(mode & 0o170000, "not a regular file")


def _split(path: str, root: str) -> tuple[str, list[str], str] | None:
    """(root, directories below it, file name) when ``path`` lies under ``root``."""
    root = os.path.abspath(root)
    path = os.path.abspath(path)
    if not path.startswith(root.rstrip("/") + "/"):
        return None
    parts = path[len(root.rstrip("/")) + 1 :].split("/")
    return root, parts[:-1], parts[-1]


def _open_parent(path: str, *, create: bool) -> tuple[int, str]:
    """A descriptor of the directory holding ``path`` and the file's name in it.

    Under the state root every component is opened without following links; elsewhere (Claude
    Code's own files) only the last component is protected.
    """
    split = _split(path, data_dir())
    if split is None:
        parent = os.path.dirname(os.path.abspath(path))
        return os.open(parent, os.O_RDONLY | _DIRECTORY | _CLOEXEC | _NONBLOCK), os.path.basename(path)
    root, dirs, name = split
    if create:
        os.makedirs(root, mode=0o700, exist_ok=True)
    fd = os.open(root, os.O_RDONLY | _DIRECTORY | _CLOEXEC | _NONBLOCK)
    for part in dirs:
        try:
            child = _enter(fd, part, path, create=create)
        finally:
            os.close(fd)
        fd = child
    return fd, name


def _enter(parent: int, name: str, path: str, *, create: bool) -> int:
    """Open directory ``name`` under ``parent``, never through a link."""
    if create:
        try:
            os.mkdir(name, 0o700, dir_fd=parent)
        except FileExistsError:
            create = False  # already there (not contextlib.suppress: one import less per tool call)
    try:
        return os.open(name, _DIR_FLAGS, dir_fd=parent)
    except FileNotFoundError:
        raise
    except OSError as exc:
        st = os.stat(name, dir_fd=parent, follow_symlinks=False)
        raise StateFileError(f"{path}: the component {name!r} is {_kind(st.st_mode)}, not a directory") from exc


def open_file(path: str, flags: int, mode: int = 0o600) -> int:
    """A descriptor of the regular file ``path`` (``os.open`` flags); never follows a link,
    never blocks on a FIFO. FileNotFoundError when missing; StateFileError when not a plain file."""
    parent, name = _open_parent(path, create=bool(flags & os.O_CREAT))
    try:
        try:
            fd = os.open(name, flags | _NOFOLLOW | _NONBLOCK | _CLOEXEC, mode, dir_fd=parent)
        except FileNotFoundError:
            raise
        except OSError as exc:
            try:
                st = os.stat(name, dir_fd=parent, follow_symlinks=False)
            except OSError:
                raise exc from None
            if st.st_mode & 0o170000 == 0o100000:
                raise
            raise StateFileError(f"{path} is {_kind(st.st_mode)}, expected a regular file") from exc
    finally:
        os.close(parent)
    st = os.fstat(fd)
    if st.st_mode & 0o170000 != 0o100000:
        os.close(fd)
        raise StateFileError(f"{path} is {_kind(st.st_mode)}, expected a regular file")
    return fd


def read_bytes(path: str, limit: int = MAX_READ) -> bytes:
    """The file's content; StateFileError when it is longer than ``limit``."""
    fd = open_file(path, os.O_RDONLY)
    try:
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise StateFileError(f"{path} is over {limit} bytes, longer than any state file the plugin writes")
    return b"".join(chunks)


def read_text(path: str, limit: int = MAX_READ) -> str | None:
    """The file as text; None when it is missing or unreadable. StateFileError when hostile."""
    try:
        return read_bytes(path, limit).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def read_json(path: str, limit: int = MAX_READ) -> dict[str, Any] | None:
    """A JSON object from a state file; None when missing or not a JSON object.
    StateFileError when the path is a link, FIFO, directory... (never silently "missing")."""
    text = read_text(path, limit)
    if text is None:
        return None
    try:
        data = json_codec.loads(text)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def write_bytes(path: str, data: bytes) -> None:
    """Atomic write: a fresh ``O_EXCL`` temporary in the same (checked) directory, renamed over
    the target. A link at the target is replaced, never followed; a directory there is refused."""
    parent, name = _open_parent(path, create=True)
    tmp = f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600, dir_fd=parent)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        try:
            os.replace(tmp, name, src_dir_fd=parent, dst_dir_fd=parent)
        except IsADirectoryError as exc:
            raise StateFileError(f"{path} is a directory, expected a regular file") from exc
        tmp = ""
    finally:
        if tmp:
            try:
                os.unlink(tmp, dir_fd=parent)
            except OSError:
                tmp = ""  # gone already
        os.close(parent)


def write_json(path: str, data: dict[str, Any]) -> None:
    write_bytes(path, json_codec.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass"))


def create_exclusive(path: str, data: bytes) -> bool:
    """Create ``path`` holding ``data`` only if nothing is there (not even a link). True if created."""
    try:
        fd = open_file(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    except FileExistsError:
        return False
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    return True


def append(path: str, data: bytes) -> None:
    """One ``write()`` on an ``O_APPEND`` descriptor: parallel writers never interleave a line."""
    fd = open_file(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def size(path: str) -> int:
    """Size of a regular state file, -1 when missing or not a plain file (never follows a link)."""
    try:
        st = os.lstat(path)
    except OSError:
        return -1
    return st.st_size if st.st_mode & 0o170000 == 0o100000 else -1


__all__ = [
    "MAX_READ",
    "StateFileError",
    "append",
    "create_exclusive",
    "open_file",
    "read_bytes",
    "read_json",
    "read_text",
    "size",
    "write_bytes",
    "write_json",
]
