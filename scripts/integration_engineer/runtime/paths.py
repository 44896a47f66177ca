"""Where a path really points, and whether it lies inside a directory. Standard library only.

``resolve`` expands ``~``, makes the path absolute against a given working directory, and follows
symlinks at every level, including through components that do not exist yet (``os.path.realpath``
in non-strict mode: the existing prefix is resolved, the rest is normalised lexically, which is
what the kernel would do once those directories are created).
"""

from __future__ import annotations

import os


def resolve(path: str, cwd: str = "", home: str | None = None) -> str:
    """The absolute, symlink-free form of ``path`` as seen from ``cwd``."""
    if path == "~" or path.startswith("~/"):
        base = home if home is not None else os.path.expanduser("~")
        path = base + path[1:]
    elif path.startswith("~"):
        path = os.path.expanduser(path)
    if not os.path.isabs(path):
        path = os.path.join(cwd or os.getcwd(), path)
    return os.path.realpath(path)


def is_within(path: str, root: str) -> bool:
    """True when ``path`` is ``root`` or below it (both already resolved)."""
    root = root.rstrip(os.sep) or os.sep
    if path == root:
        return True
    prefix = root if root.endswith(os.sep) else root + os.sep
    return path.startswith(prefix)


def is_strictly_within(path: str, root: str) -> bool:
    return path != root.rstrip(os.sep) and is_within(path, root)


def relative_display(path: str, base: str) -> str:
    """``path`` relative to ``base`` when inside it, else the absolute path (for messages)."""
    if is_strictly_within(path, base):
        return os.path.relpath(path, base)
    return path
