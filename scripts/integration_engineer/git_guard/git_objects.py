"""Whether the commits and tags a verifying verb reads carry a signature, read from the repository.

``git verify-commit``, ``verify-tag`` and ``log``/``show --show-signature`` start ``gpg.program``
(or ``gpg.ssh.program``...) only for an object that has a signature: a commit's ``gpgsig`` (or
``gpgsig-sha256``, or a ``mergetag`` whose tag is signed) header, a tag's ``-----BEGIN`` block
(checked with git 2.39 under GIT_TRACE: on unsigned commits the program never starts). The objects
are read as git keeps them loose (zlib, imported only here: never on the common path); anything
this reading does not know (a packed object, a revision it cannot resolve, replace refs, grafts,
reftable, more than ``MAX_OBJECTS``) answers None: the caller then counts the program as run.
Standard library only.
"""

from __future__ import annotations

import os

from integration_engineer.bash import script_files

MAX_OBJECTS = 200
_MAX_OBJECT_BYTES = 1 << 20
_HEX = frozenset("0123456789abcdef")
# git's rules for a short name (refs.c ref_rev_parse_rules)
_RULES = ("{}", "refs/{}", "refs/tags/{}", "refs/heads/{}", "refs/remotes/{}", "refs/remotes/{}/HEAD")


class Store:
    """A repository's refs and loose objects (``gitdir``: its own directory, ``common``: the shared one)."""

    def __init__(self, gitdir: str, common: str) -> None:
        self.gitdir, self.common = gitdir, common
        self._packed: dict[str, str] | None = None

    def plain(self) -> bool:
        """No replace refs, grafts or reftable, which change what a name reads."""
        if script_files.list_dir(os.path.join(self.common, "refs", "replace")):
            return False
        if script_files.is_file(os.path.join(self.common, "info", "grafts")):
            return False
        if script_files.list_dir(os.path.join(self.common, "reftable")):
            return False
        return not any(name.startswith("refs/replace/") for name in self.packed())

    def packed(self) -> dict[str, str]:
        if self._packed is None:
            self._packed = {}
            text = script_files.read_text(os.path.join(self.common, "packed-refs")) or ""
            for line in text.splitlines():
                oid, _, name = line.partition(" ")
                if name and _is_oid(oid):
                    self._packed[name] = oid
        return self._packed

    def ref(self, name: str, depth: int = 0) -> str | bool | None:
        """The object a full ref name points to: its id, None when there is no such ref, False
        when it cannot be read."""
        if depth > 5:
            return False
        for base in dict.fromkeys((self.gitdir, self.common)):
            text = script_files.read_text(os.path.join(base, name))
            if text is None:
                continue
            first = text.split("\n", 1)[0].strip()
            if first.startswith("ref:"):
                return self.ref(first[4:].strip(), depth + 1)
            oid = first.split()[0] if first.split() else ""
            return oid if _is_oid(oid) else False
        return self.packed().get(name)

    def resolve(self, word: str) -> list[str] | bool | None:
        """The objects a revision word may name (every rule that matches: a superset of git's
        choice); None when it names none (git reads it as a path, or fails); False when it
        cannot be known (an abbreviated id, ``@{...}``, ``:/text``)."""
        if word in ("", "@"):
            word = "HEAD"
        if _is_oid(word.lower()):
            return [word.lower()]
        if any(c in word for c in "{}:*?[\\") or word.startswith(("/", "-", ".")) or "/." in word:
            return False
        if len(word) >= 4 and all(c in _HEX for c in word.lower()):
            return False
        found: list[str] = []
        for rule in _RULES:
            oid = self.ref(rule.format(word))
            if oid is False:
                return False
            if isinstance(oid, str):
                found.append(oid)
        return found or None

    def object(self, oid: str) -> tuple[str, bytes] | None:
        """A loose object's type and body; None when it is not loose here."""
        import zlib  # only when signatures are looked for (hot path)

        data = script_files.read_bytes(os.path.join(self.common, "objects", oid[:2], oid[2:]), _MAX_OBJECT_BYTES)
        if data is None:
            return None
        try:
            raw = zlib.decompressobj().decompress(data, 4 * _MAX_OBJECT_BYTES)
        except zlib.error:
            return None
        head, nul, body = raw.partition(b"\0")
        kind, _, size = head.decode("ascii", "replace").partition(" ")
        if not nul or not size.isdigit() or int(size) != len(body):
            return None
        return kind, body


def _is_oid(text: str) -> bool:
    return len(text) in (40, 64) and all(c in _HEX for c in text)


def signed(store: Store, starts: list[str], walk: bool) -> bool | None:
    """Whether an object named by ``starts`` (or, with ``walk``, an ancestor of one) carries a
    signature; None when that cannot be known from the loose objects."""
    todo, seen = list(starts), set()
    while todo:
        oid = todo.pop()
        if oid in seen:
            continue
        seen.add(oid)
        if len(seen) > MAX_OBJECTS:
            return None
        found = store.object(oid)
        if found is None:
            return None
        kind, body = found
        if kind == "tag":
            if b"\n-----BEGIN " in body or body.startswith(b"-----BEGIN "):
                return True
            target = _header(body, b"object")
            todo.extend(target)
        elif kind == "commit":
            headers = body.split(b"\n\n", 1)[0]
            if any(line.startswith((b"gpgsig", b"mergetag ")) for line in headers.split(b"\n")):
                return True
            if walk:
                todo.extend(_header(body, b"parent"))
    return False


def _header(body: bytes, name: bytes) -> list[str]:
    headers = body.split(b"\n\n", 1)[0]
    prefix = name + b" "
    lines = [line for line in headers.split(b"\n") if line.startswith(prefix)]
    return [line[len(prefix) :].decode("ascii", "replace").strip() for line in lines]
