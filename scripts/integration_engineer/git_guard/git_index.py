"""Whether a repository's index holds unmerged entries (a conflict ``git mergetool`` would open).

git keeps a conflicted path as entries of stage 1-3 in ``.git/index`` (format versions 2-4:
a 62-byte stat and id part, 16 flag bits whose bits 12-13 are the stage, then the name; checked
against ``git ls-files -u``). No index file means no conflict. A split index (``link``
extension: more entries in a shared file) or anything this reading does not know answers None.
Standard library only.
"""

from __future__ import annotations

import os

from integration_engineer.bash import script_files

_MAX_BYTES = 64 << 20
_HASH = 20  # the trailing checksum (SHA-1 repositories; a longer one only ends the scan sooner)


def unmerged(gitdir: str) -> bool | None:
    """Whether some entry has a stage (a conflict); None when the index cannot be read."""
    found = _entries(gitdir)
    return None if found is None else any(stage for _name, stage in found)


def names(gitdir: str) -> list[str] | None:
    """The paths the index holds; None when it cannot be read."""
    found = _entries(gitdir)
    return None if found is None else [name for name, _stage in found]


def has_gitlink(gitdir: str) -> bool | None:
    """Whether the index holds a submodule (mode 160000: ``git status`` runs git in it)."""
    found = _entries(gitdir, modes=True)
    return None if found is None else any(stage & _GITLINK for _name, stage in found)


_GITLINK = 1 << 8  # set on the stage answered with ``modes``: the entry is a submodule


def _entries(gitdir: str, modes: bool = False) -> list[tuple[str, int]] | None:
    path = os.path.join(gitdir, "index")
    if not script_files.is_file(path):
        return []
    data = script_files.read_bytes(path, _MAX_BYTES)
    if data is None or len(data) < 12 or data[:4] != b"DIRC":
        return None
    version, count = int.from_bytes(data[4:8], "big"), int.from_bytes(data[8:12], "big")
    if version not in (2, 3, 4):
        return None
    found: list[tuple[str, int]] = []
    previous = b""
    at = 12
    for _ in range(count):
        if at + 62 > len(data):
            return None
        flags = int.from_bytes(data[at + 60 : at + 62], "big")
        start = at + 62 + (2 if version >= 3 and flags & 0x4000 else 0)
        strip = 0
        if version == 4:  # the name is the previous one less STRIP bytes, then this suffix
            while start < len(data):
                byte = data[start]
                start += 1
                strip = (strip << 7 | (byte & 0x7F)) + (1 if byte & 0x80 else 0)
                if not byte & 0x80:
                    break
        end = data.find(b"\0", start)
        if end < 0 or strip > len(previous):
            return None
        name = (previous[: len(previous) - strip] if version == 4 else b"") + data[start:end]
        previous = name
        link = modes and int.from_bytes(data[at + 24 : at + 28], "big") >> 12 == 0o16
        found.append((name.decode("utf-8", "surrogateescape"), (flags >> 12) & 3 | (_GITLINK if link else 0)))
        at = end + 1 if version == 4 else at + ((end - at + 8) & ~7)
    while at + 8 <= len(data) - _HASH:
        if data[at : at + 4] == b"link":
            return None
        at += 8 + int.from_bytes(data[at + 4 : at + 8], "big")
    return found
