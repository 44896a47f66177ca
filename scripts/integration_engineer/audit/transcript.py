"""The integration-engineer answers inside Claude Code transcripts (JSONL), read defensively.

The format is internal and changes between versions: every field is optional here, odd lines are
skipped, and files are streamed line by line (a transcript can be large).

- Subagent transcript ``agent-<id>.jsonl`` with ``agent-<id>.meta.json`` naming a guarded
  ``agentType``: the answer is the last text block of the last assistant record with text
  (Claude Code writes one record per content block and hands back the last text).
- Main transcript: ``Agent`` (or ``Task``) calls whose ``subagent_type`` is guarded; the answer is
  the last text block of the call's ``toolUseResult.content`` (foreground), or the ``<result>``
  of the ``<task-notification>`` naming the call (background). The tool_result text the
  orchestrator reads is framed and indented by Claude Code, so it is only a last resort.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from integration_engineer.answer.json_scanner import PathKey
from integration_engineer.audit.document import Document, Embedded
from integration_engineer.runtime.actor import is_guarded

_NOTIFIED_ID = re.compile(r"<tool-use-id>([^<]+)</tool-use-id>")
_RESULT_OPEN, _RESULT_CLOSE = "<result>", "</result>"


def meta_path(path: Path) -> Path:
    return path.with_name(path.name[: -len(".jsonl")] + ".meta.json")


def agent_type(path: Path) -> str | None:
    """The subagent's type from its meta file; None when the file is not a subagent transcript."""
    try:
        meta = json.loads(meta_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    kind = meta.get("agentType") if isinstance(meta, dict) else None
    return kind if isinstance(kind, str) else None


def answers(
    path: Path, source: str, guarded: tuple[str, ...], skip_calls: frozenset[str] = frozenset()
) -> Iterator[Document]:
    """Every guarded answer in the transcript at ``path`` (which must be readable), but for the
    Agent calls in ``skip_calls`` (their subagent transcripts are checked instead)."""
    kind = agent_type(path) if path.name.startswith("agent-") else None
    if kind is not None:
        if is_guarded(kind, guarded):
            yield _last_answer(path, source)
        return
    yield from _main_answers(path, source, guarded, skip_calls)


def subagent_transcripts(path: Path) -> dict[str, Path]:
    """The subagent transcripts Claude Code keeps beside a main transcript, by the Agent call
    that started them: ``<session>/subagents/agent-<id>.jsonl`` with the call's id as the
    ``toolUseId`` of its meta file."""
    found: dict[str, Path] = {}
    for meta in sorted(path.with_suffix("").joinpath("subagents").glob("agent-*.meta.json")):
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        call = data.get("toolUseId") if isinstance(data, dict) else None
        sub = meta.with_name(meta.name[: -len(".meta.json")] + ".jsonl")
        if isinstance(call, str) and sub.is_file():
            found[call] = sub
    return found


def _records(path: Path) -> Iterator[tuple[int, str, dict[str, Any]]]:
    with open(path, encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, 1):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                yield number, line.rstrip("\n"), record


def _blocks(record: dict[str, Any]) -> list[Any]:
    message = record.get("message")
    content = message.get("content") if isinstance(message, dict) else None
    return content if isinstance(content, list) else []


def _last_text(blocks: list[Any], prefix: PathKey) -> tuple[str, PathKey] | None:
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if isinstance(block, dict) and block.get("type") == "text" and isinstance(block.get("text"), str):
            return block["text"], (*prefix, index, "text")
    return None


def _last_answer(path: Path, source: str) -> Document:
    found: tuple[int, str, str, PathKey] | None = None
    for number, line, record in _records(path):
        if record.get("type") != "assistant":
            continue
        last = _last_text(_blocks(record), ("message", "content"))
        if last is not None:
            found = (number, line, *last)
    if found is None:
        return Document(source, "subagent answer (none found)", "")
    number, line, text, where = found
    return Document(source, "subagent answer", text, Embedded(number, line, where))


def _main_answers(path: Path, source: str, guarded: tuple[str, ...], skip_calls: frozenset[str]) -> Iterator[Document]:
    calls: set[str] = set()
    for number, line, record in _records(path):
        if record.get("type") == "assistant":
            calls.update(c for c in _guarded_calls(_blocks(record), guarded) if c not in skip_calls)
        elif record.get("type") == "user":
            yield from _results(number, line, record, calls, source)


def _guarded_calls(blocks: list[Any], guarded: tuple[str, ...]) -> Iterator[str]:
    for block in blocks:
        if not isinstance(block, dict) or block.get("type") != "tool_use":
            continue
        tool_input = block.get("input")
        kind = tool_input.get("subagent_type") if isinstance(tool_input, dict) else None
        if (
            block.get("name") in ("Agent", "Task")
            and isinstance(kind, str)
            and is_guarded(kind, guarded)
            and isinstance(block.get("id"), str)
        ):
            yield block["id"]


def _results(number: int, line: str, record: dict[str, Any], calls: set[str], source: str) -> Iterator[Document]:
    message = record.get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if isinstance(content, str):
        yield from _notification(number, line, content, calls, source)
        return
    for index, block in enumerate(content if isinstance(content, list) else []):
        if isinstance(block, dict) and block.get("type") == "tool_result" and block.get("tool_use_id") in calls:
            answer = _tool_result(number, line, record, index, block, source)
            if answer is not None:
                yield answer


def _tool_result(
    number: int, line: str, record: dict[str, Any], index: int, block: dict[str, Any], source: str
) -> Document | None:
    name = f"Agent call {block['tool_use_id']}"
    result = record.get("toolUseResult")
    if isinstance(result, dict):
        if result.get("status") == "async_launched" or result.get("isAsync") is True:
            return None  # the answer comes later, in a task-notification
        blocks = result.get("content")
        text = _last_text(blocks if isinstance(blocks, list) else [], ("toolUseResult", "content"))
        if text is not None:
            return Document(source, name, text[0], Embedded(number, line, text[1]))
    inner = block.get("content")
    if isinstance(inner, str):
        return Document(source, name, inner, Embedded(number, line, ("message", "content", index, "content")))
    text = _last_text(inner if isinstance(inner, list) else [], ("message", "content", index, "content"))
    return Document(source, name, text[0], Embedded(number, line, text[1])) if text else None


def _notification(number: int, line: str, content: str, calls: set[str], source: str) -> Iterator[Document]:
    called = _NOTIFIED_ID.search(content)
    start, end = content.find(_RESULT_OPEN), content.rfind(_RESULT_CLOSE)
    if called is None or called.group(1) not in calls or start < 0 or end < start:
        return
    base = start + len(_RESULT_OPEN)
    yield Document(
        source,
        f"Agent call {called.group(1)}, background",
        content[base:end],
        Embedded(number, line, ("message", "content"), base),
    )
