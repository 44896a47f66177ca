"""The files a command's text can be known of, along one analysis. Standard library only (hot path)."""

from __future__ import annotations

from integration_engineer.bash import script_files

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from collections.abc import Callable


class KnownFiles(dict[str, "str | None"]):
    """The files a command's text can be known of: those it writes itself (``in``: content, or
    None when unknown), and through ``get`` any other file it reads (``sh < f``, ``cat f | sh``,
    ``$(cat f)``, ``xargs -a f``): its text on disk, None when it is not a readable text file."""

    def __init__(self, locate: Callable[[str], list[str]]) -> None:
        super().__init__()
        self._locate = locate
        self._read: dict[str, str | None] = {}

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        key = norm(key)
        if key in self:
            return self[key]
        paths = self._locate(key)  # where depends on the directory the analysis is in
        texts = [self.disk_text(path) for path in paths]
        if not texts or None in texts:
            return default
        return "\n".join(t for t in texts if t is not None)

    def disk_text(self, path: str) -> str | None:
        """A file's text on disk (``script_files.read_text``), read once per analysis."""
        if path not in self._read:
            self._read[path] = script_files.read_text(path)
        return self._read[path]


def norm(path: str) -> str:
    while path.startswith("./"):
        path = path[2:]
    return path
