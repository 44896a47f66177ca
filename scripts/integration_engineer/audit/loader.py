"""The inputs of an audit, streamed one answer at a time (never all files in memory).

A path is a file (``.jsonl``: a transcript; anything else: one answer text), a directory (its
``*.json`` and ``*.jsonl`` files, recursively, sorted, without ``*.meta.json``, ``.git`` and
``node_modules``), or ``-`` for stdin (one answer text). An input that yields nothing to check is
``Unreadable`` (exit 3): a missing path, an unreadable file, a directory or transcript without
answers. An answer is checked once: when a main transcript's Agent call has its subagent
transcript among the inputs too, the answer is checked there (the agent's own last message),
not a second time in the main transcript.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

from integration_engineer.answer.finding import Finding
from integration_engineer.audit import transcript
from integration_engineer.audit.document import Document, Unreadable
from integration_engineer.runtime.actor import is_guarded

Item = Document | Unreadable
_SKIPPED_DIRS = {".git", "node_modules"}


def items(paths: list[str], guarded: tuple[str, ...]) -> Iterator[Item]:
    inputs = Inputs(paths)
    for given in paths:
        count = 0
        for item in _one(given, guarded, inputs):
            count += isinstance(item, Document)
            yield item
        if count == 0 and Path(given).is_dir():
            yield Unreadable(
                given,
                "nothing to check: no answers (*.json) or transcripts with "
                "integration-engineer answers (*.jsonl) in this directory",
            )


def display(path: str, cwd: str = "") -> str:
    """The path as reports show it: relative to the current directory when inside it.
    String work only: resolving every path costs more than checking the file."""
    cwd = cwd or os.getcwd()
    if os.path.isabs(path):
        inside = path.startswith(cwd.rstrip(os.sep) + os.sep)
        return os.path.relpath(path, cwd) if inside else path
    return os.path.normpath(path)


class Inputs:
    """Whether a file is among the audit's inputs (given itself, or inside a given directory)."""

    def __init__(self, paths: list[str]) -> None:
        real = [os.path.realpath(p) for p in paths if p != "-"]
        self.files = {p for p in real if not os.path.isdir(p)}
        self.dirs = [p.rstrip(os.sep) + os.sep for p in real if os.path.isdir(p)]

    def __contains__(self, path: object) -> bool:
        real = os.path.realpath(str(path))
        return real in self.files or any(real.startswith(d) for d in self.dirs)


def _one(given: str, guarded: tuple[str, ...], inputs: Inputs) -> Iterator[Item]:
    if given == "-":
        yield Document("<stdin>", "answer", sys.stdin.read())
        return
    if os.path.isdir(given):
        cwd = os.getcwd()
        for found in _walk(given):
            yield from _file(found, display(found, cwd), guarded, inputs, explicit=False)
    elif os.path.lexists(given):
        yield from _file(given, display(given), guarded, inputs, explicit=True)
    else:
        yield Unreadable(given, "no such file or directory")


def _walk(root: str) -> Iterator[str]:
    for top, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        for name in sorted(files):
            if name.endswith((".json", ".jsonl")) and not name.endswith(".meta.json"):
                yield os.path.join(top, name)


def _file(path: str, source: str, guarded: tuple[str, ...], inputs: Inputs, explicit: bool) -> Iterator[Item]:
    if path.endswith(".jsonl"):
        yield from _transcript(Path(path), source, guarded, inputs, explicit)
        return
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        yield Unreadable(source, exc.strerror or str(exc))
        return
    yield _decoded(source, data)


def _transcript(path: Path, source: str, guarded: tuple[str, ...], inputs: Inputs, explicit: bool) -> Iterator[Item]:
    if not os.access(path, os.R_OK) or not path.is_file():
        yield Unreadable(source, "cannot be read")
        return
    checked_there = frozenset(
        call
        for call, sub in transcript.subagent_transcripts(path).items()
        if sub in inputs and is_guarded(transcript.agent_type(sub) or "", guarded)
    )
    count = len(checked_there)
    try:
        for document in transcript.answers(path, source, guarded, checked_there):
            count += 1
            yield document
    except OSError as exc:
        yield Unreadable(source, exc.strerror or str(exc))
        return
    if count == 0 and explicit:
        yield Unreadable(
            source,
            "nothing to check: no integration-engineer answer in this "
            "transcript (agent type not guarded, or no Agent call)",
        )


def _decoded(source: str, data: bytes) -> Document:
    """UTF-8 text (a BOM is dropped); bytes that are not UTF-8 are a finding at the first one."""
    try:
        return Document(source, "answer", data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8-sig", errors="replace")
        offset = len(data[: exc.start].decode("utf-8-sig", errors="replace"))
        bad = Finding("not-utf8", "$", f"byte 0x{data[exc.start]:02x} is not UTF-8", "save the answer as UTF-8", offset)
        return Document(source, "answer", text, preset=(bad,))
