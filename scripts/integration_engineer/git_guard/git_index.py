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
    path = os.path.join(gitdir, "index")
    if not script_files.is_file(path):
        return False
    data = script_files.read_bytes(path, _MAX_BYTES)
    if data is None or len(data) < 12 or data[:4] != b"DIRC":
        return None
    version, count = int.from_bytes(data[4:8], "big"), int.from_bytes(data[8:12], "big")
    if version not in (2, 3, 4):
        return None
    at = 12
    for _ in range(count):
        if at + 62 > len(data):
            return None
        flags = int.from_bytes(data[at + 60 : at + 62], "big")
        if flags & 0x3000:
            return True
        start = at + 62 + (2 if version >= 3 and flags & 0x4000 else 0)
        if version == 4:
            while start < len(data) and data[start] & 0x80:  # the prefix length, a varint
                start += 1
            start += 1
        end = data.find(b"\0", start)
        if end < 0:
            return None
        at = end + 1 if version == 4 else at + ((end - at + 8) & ~7)
    while at + 8 <= len(data) - _HASH:
        if data[at : at + 4] == b"link":
            return None
        at += 8 + int.from_bytes(data[at + 4 : at + 8], "big")
    return False
