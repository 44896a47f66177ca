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

    def __init__(self, locate: Callable[[str], list[str]], text: Callable[[], str] | None = None) -> None:
        super().__init__()
        self._locate = locate
        self._text = text  # the whole command: a file it writes anywhere is not known on disk
        self._read: dict[str, str | None] = {}

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        key = norm(key)
        if key in self:
            return self[key]
        if self._text is not None and written_in(self._text(), key):
            return default  # written later, maybe before this read runs again (in a loop)
        paths = self._locate(key)  # where depends on the directory the analysis is in
        texts = [self.disk_text(path) for path in paths]
        if not texts or None in texts:
            return default
        return "\n".join(t for t in texts if t is not None)

    def forget(self, keys: list[str]) -> None:
        """Files whose text is no longer known (written by a program not followed, or under
        another name)."""
        for key in keys:
            if key in self:
                self[key] = None

    def named_in(self, text: str) -> list[str]:
        """The known files ``text`` names by their base name (a program given them may write them)."""
        return [key for key, value in self.items() if value is not None and names_file(text, key)]

    def unknown(self) -> list[str]:
        """The files written in the command whose text is not known."""
        return [key for key, value in self.items() if value is None]

    def same_file(self, key: str) -> list[str]:
        """Other keys that may name the file ``key`` names (``d/../f``, ``$PWD/f``, ``./x/f``
        through a link to ``.``): those with its base name."""
        name = key.rsplit("/", 1)[-1]
        return [k for k in self if k != key and k.rsplit("/", 1)[-1] == name]

    def disk_text(self, path: str) -> str | None:
        """A file's text on disk (``script_files.read_text``), read once per analysis."""
        if path not in self._read:
            self._read[path] = script_files.read_text(path)
        return self._read[path]


def norm(path: str) -> str:
    while path.startswith("./"):
        path = path[2:]
    return path


_WRITERS = frozenset({"tee", "cp", "mv", "ln", "install", "touch", "truncate", "dd", "rm", "patch", "rsync"})
_COPIERS = frozenset({"cp", "ln", "install", "rsync"})  # they write their last operand only


def written_in(text: str, path: str) -> bool:
    """Whether the command may write ``path``: named after ``>``/``>>``/``>|``, or in a command
    of a program that writes or removes the files it names (tee, cp, mv, sed -i...)."""
    name = path.rsplit("/", 1)[-1]
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        if (at == 0 or not _name_char(text[at - 1])) and (end == len(text) or not _name_char(text[end])):
            start = at  # the start of the word naming it (``>"$d/v"``, ``./v``)
            while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "><|;&":
                start -= 1
            before = text[:start].rstrip(" \t")
            if before.endswith((">", ">|")):
                return True
            segment, after = before, text[end:]
            for stop in ";|&\n(){}`":
                segment, after = segment.rsplit(stop, 1)[-1], after.split(stop, 1)[0]
            words = segment.split()
            in_place = words[:1] in (["sed"], ["perl"]) and any(w.startswith("-i") for w in words)
            last = not after.split()  # cp SRC DEST: only the last operand is written
            if words and ((words[0] in _WRITERS and (last or words[0] not in _COPIERS)) or in_place):
                return True
        at = text.find(name, at + 1)
    return False


def names_file(text: str, key: str) -> bool:
    """Whether ``text`` names the file ``key`` by its base name, as a whole word (not inside a
    longer file name)."""
    name = key.rsplit("/", 1)[-1]
    if not name:
        return False
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        if (at == 0 or not _name_char(text[at - 1])) and (end == len(text) or not _name_char(text[end])):
            return True
        at = text.find(name, at + 1)
    return False


def _name_char(c: str) -> bool:
    return c.isalnum() or c in "._-+"
