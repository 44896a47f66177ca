"""A scripted local stand-in for the Anthropic Messages API, for driving the real Claude Code CLI.

Only the model is fake. Each test gives two scripts, one for the orchestrator (the main thread)
and one for subagents (requests whose first system block says ``cc_is_subagent=true``); each side
is served by its own turn counter, because subagents run concurrently with the orchestrator.
A turn is a text, a :class:`ToolUse`, a list of both, or a callable that looks at the request
(what the hooks said) and returns one of those. When a side's script is exhausted it answers a
short final text.

Requests that are not turns of the agent loop (title generation, quota probes, token counting,
non-streaming side calls) are answered sensibly, recorded as ``aux`` and never consume a turn.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal, TypeAlias
from urllib.parse import urlsplit

Side = Literal["orchestrator", "subagent", "aux"]
SUBAGENT_MARK = "cc_is_subagent=true"
DEFAULT_FINAL = {"orchestrator": "Done.", "subagent": "Done."}
_REMINDER = re.compile(r"<system-reminder>(.*?)</system-reminder>", re.DOTALL)


@dataclass(frozen=True)
class ToolUse:
    """A tool call the scripted model makes: ``ToolUse("Bash", {"command": "ls"})``."""

    name: str
    input: dict[str, Any]


Block: TypeAlias = "str | ToolUse"
Reply: TypeAlias = "str | ToolUse | Sequence[Block]"
Turn: TypeAlias = "Reply | Callable[[ModelRequest], Reply]"


@dataclass(frozen=True)
class ToolResult:
    tool_use_id: str
    content: str
    is_error: bool


@dataclass
class ModelRequest:
    """One request the CLI sent, with the answer it got."""

    number: int
    side: Side
    path: str
    body: dict[str, Any]
    turn: int = -1  # index into the side's script; -1 for aux requests and exhausted scripts
    reply: list[dict[str, Any]] = field(default_factory=list)
    why_aux: str = ""

    @property
    def messages(self) -> list[dict[str, Any]]:
        value = self.body.get("messages")
        return value if isinstance(value, list) else []

    @property
    def system_blocks(self) -> list[str]:
        return system_blocks(self.body)

    def tool_results(self) -> list[ToolResult]:
        """Every tool result in the conversation so far, oldest first."""
        found: list[ToolResult] = []
        for message in self.messages:
            if message.get("role") != "user" or not isinstance(message.get("content"), list):
                continue
            for block in message["content"]:
                if isinstance(block, dict) and block.get("type") == "tool_result":
                    found.append(
                        ToolResult(
                            str(block.get("tool_use_id", "")),
                            _text_of(block.get("content")),
                            bool(block.get("is_error", False)),
                        )
                    )
        return found

    def last_tool_result(self) -> ToolResult | None:
        results = self.tool_results()
        return results[-1] if results else None

    def system_texts(self) -> list[str]:
        """What the harness told the model besides the user and tools: ``role: system`` messages
        and ``<system-reminder>`` parts (hook reasons and additional context arrive there)."""
        found: list[str] = []
        for message in self.messages:
            content = message.get("content")
            if message.get("role") == "system":
                found.append(_text_of(content))
                continue
            if isinstance(content, str):
                found.extend(_REMINDER.findall(content))
            elif isinstance(content, list):
                for block in content:
                    if isinstance(block, dict) and block.get("type") == "text":
                        found.extend(_REMINDER.findall(str(block.get("text", ""))))
        return found

    def user_texts(self) -> list[str]:
        """Text the user side sent (for a subagent: the orchestrator's prompt), leaving out the
        blocks that are only ``<system-reminder>`` parts."""
        found: list[str] = []
        for message in self.messages:
            if message.get("role") != "user":
                continue
            content = message.get("content")
            texts = (
                [content]
                if isinstance(content, str)
                else [str(b.get("text", "")) for b in content if isinstance(b, dict) and b.get("type") == "text"]
                if isinstance(content, list)
                else []
            )
            found.extend(t for t in texts if _REMINDER.sub("", t).strip())
        return found

    def everything_said(self) -> str:
        """All text of the conversation (messages, tool results, system), for loose searches."""
        return json.dumps(self.body.get("messages", []), ensure_ascii=False)


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(b.get("text", "")) for b in content if isinstance(b, dict) and b.get("type") == "text")
    return "" if content is None else json.dumps(content)


def system_blocks(body: dict[str, Any]) -> list[str]:
    system = body.get("system")
    if isinstance(system, str):
        return [system]
    if isinstance(system, list):
        return [str(b.get("text", "")) for b in system if isinstance(b, dict)]
    return []


class ModelServer:
    """``with ModelServer() as server: server.script(orchestrator=[...], subagent=[...])``."""

    def __init__(self, log_path: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._scripts: dict[str, list[Turn]] = {"orchestrator": [], "subagent": []}
        self._final = dict(DEFAULT_FINAL)
        self._counters = {"orchestrator": 0, "subagent": 0}
        self._numbers = itertools.count(1)
        self._tool_ids = itertools.count(1)
        self.requests: list[ModelRequest] = []
        self.other_calls: list[str] = []  # "GET /path" etc., everything but POST /v1/messages
        self.errors: list[str] = []  # failures inside scripted callables, shown by the tests
        self._log_path = log_path
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="model-server", daemon=True
        )

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> ModelServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> ModelServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- scripting -------------------------------------------------------------------------
    def script(
        self,
        *,
        orchestrator: Sequence[Turn] = (),
        subagent: Sequence[Turn] = (),
        orchestrator_final: str | None = None,
        subagent_final: str | None = None,
    ) -> None:
        """Replace both scripts and reset the turn counters and the records."""
        with self._lock:
            self._scripts = {"orchestrator": list(orchestrator), "subagent": list(subagent)}
            self._counters = {"orchestrator": 0, "subagent": 0}
            self._final = {
                "orchestrator": orchestrator_final or DEFAULT_FINAL["orchestrator"],
                "subagent": subagent_final or DEFAULT_FINAL["subagent"],
            }
            self.requests = []
            self.other_calls = []
            self.errors = []

    # -- what each side was told -----------------------------------------------------------
    def turns(self, side: Side) -> list[ModelRequest]:
        with self._lock:
            return [r for r in self.requests if r.side == side]

    def aux(self) -> list[ModelRequest]:
        return self.turns("aux")

    def tool_results(self, side: Side) -> list[ToolResult]:
        """Every tool result the side received, deduplicated by tool_use_id, oldest first."""
        seen: dict[str, ToolResult] = {}
        for request in self.turns(side):
            for result in request.tool_results():
                seen.setdefault(result.tool_use_id, result)
        return list(seen.values())

    def hook_denials(self, side: Side) -> list[ToolResult]:
        """Tool results that are a hook's refusal ("PreToolUse:Bash hook error: ...")."""
        return [r for r in self.tool_results(side) if r.is_error and re.match(r"PreToolUse:\w+ hook error", r.content)]

    def system_texts(self, side: Side) -> list[str]:
        """Every system message / system-reminder the side received, deduplicated, in order."""
        seen: dict[str, None] = {}
        for request in self.turns(side):
            for text in request.system_texts():
                seen.setdefault(text, None)
        return list(seen)

    def user_texts(self, side: Side) -> list[str]:
        seen: dict[str, None] = {}
        for request in self.turns(side):
            for text in request.user_texts():
                seen.setdefault(text, None)
        return list(seen)

    def tool_uses(self, side: Side) -> list[dict[str, Any]]:
        """The tool_use blocks this server answered for the side, in order."""
        return [b for r in self.turns(side) for b in r.reply if b.get("type") == "tool_use"]

    def summary(self) -> str:
        """A compact trace of every request, for assertion messages."""
        lines = []
        for r in list(self.requests):
            said = [b.get("name") if b.get("type") == "tool_use" else repr(b.get("text", ""))[:60] for b in r.reply]
            extra = f" ({r.why_aux})" if r.why_aux else ""
            lines.append(
                f"#{r.number} {r.side} turn={r.turn} model={r.body.get('model')}"
                f" stream={r.body.get('stream')} tools={len(r.body.get('tools') or [])}"
                f"{extra} -> {said}"
            )
        lines.extend(f"other: {c}" for c in self.other_calls)
        lines.extend(f"ERROR: {e}" for e in self.errors)
        return "\n".join(lines)

    # -- answering -------------------------------------------------------------------------
    def _classify(self, body: dict[str, Any]) -> tuple[Side, str]:
        blocks = system_blocks(body)
        tools = body.get("tools") or []
        messages = body.get("messages") or []
        if not tools:
            return "aux", "no tools"
        if not body.get("stream"):
            return "aux", "not streaming"
        if int(body.get("max_tokens") or 0) <= 16:
            return "aux", "tiny max_tokens"
        if not messages:
            return "aux", "no messages"
        if blocks and SUBAGENT_MARK in blocks[0]:
            return "subagent", ""
        if any(SUBAGENT_MARK in b for b in blocks):
            return "subagent", ""
        # CLIs before 2.1.2xx do not mark a subagent's system prompt: a subagent has no tool to
        # start agents, the orchestrator has.
        names = {t.get("name") for t in tools if isinstance(t, dict)}
        if len(names) >= 3 and not names & {"Agent", "Task"}:
            return "subagent", ""
        return "orchestrator", ""

    def answer(self, path: str, body: dict[str, Any]) -> ModelRequest:
        side, why = self._classify(body)
        with self._lock:
            request = ModelRequest(next(self._numbers), side, path, body, why_aux=why)
            turn: Turn | None = None
            if side != "aux":
                index = self._counters[side]
                self._counters[side] = index + 1
                if index < len(self._scripts[side]):
                    turn = self._scripts[side][index]
                    request.turn = index
            self.requests.append(request)
        reply: Reply
        if side == "aux":
            reply = _aux_reply(body)
        elif turn is None:
            reply = self._final[side]
        elif callable(turn):
            try:
                reply = turn(request)
            except Exception as exc:  # shown to the test, answered with text
                self.errors.append(f"turn {request.turn} of {side}: {type(exc).__name__}: {exc}")
                reply = f"(scripted turn failed: {exc})"
        else:
            reply = turn
        request.reply = self._blocks(reply)
        self._log(request)
        return request

    def _blocks(self, reply: Reply) -> list[dict[str, Any]]:
        items: Sequence[Block] = [reply] if isinstance(reply, (str, ToolUse)) else reply
        blocks: list[dict[str, Any]] = []
        for item in items:
            if isinstance(item, ToolUse):
                blocks.append(
                    {
                        "type": "tool_use",
                        "id": f"toolu_e2e_{next(self._tool_ids):04d}",
                        "name": item.name,
                        "input": item.input,
                    }
                )
            else:
                blocks.append({"type": "text", "text": item})
        return blocks

    def _log(self, request: ModelRequest) -> None:
        if self._log_path is None:
            return
        entry = {
            "number": request.number,
            "side": request.side,
            "turn": request.turn,
            "why_aux": request.why_aux,
            "path": request.path,
            "request": request.body,
            "reply": request.reply,
        }
        with self._lock, self._log_path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _send(self, status: int, payload: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("request-id", "req_e2e")
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            def _other(self) -> None:
                server.other_calls.append(f"{self.command} {self.path}")
                self._read_body()
                self._send(200, b"{}", "application/json")

            def _read_body(self) -> bytes:
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            do_GET = do_HEAD = do_PUT = do_DELETE = do_PATCH = _other

            def do_POST(self) -> None:
                path = urlsplit(self.path).path
                if path.endswith("/count_tokens"):
                    server.other_calls.append(f"POST {self.path}")
                    self._read_body()
                    self._send(
                        404,
                        b'{"type":"error","error":{"type":"not_found_error","message":"not here"}}',
                        "application/json",
                    )
                    return
                if not path.endswith("/v1/messages"):
                    self._other()
                    return
                try:
                    body = json.loads(self._read_body() or b"{}")
                except ValueError:
                    body = {}
                if not isinstance(body, dict):
                    body = {}
                request = server.answer(self.path, body)
                model = str(body.get("model") or "claude-sonnet-4-5")
                if body.get("stream"):
                    self._send(200, b"".join(_sse(request.reply, model)), "text/event-stream")
                else:
                    self._send(200, json.dumps(_message(request.reply, model)).encode(), "application/json")

        return Handler


def _aux_reply(body: dict[str, Any]) -> Reply:
    """Side calls: title generation wants a short title (sometimes as JSON), probes want a word."""
    wanted = json.dumps(body.get("system", "")) + json.dumps(body.get("messages", [])[-1:])
    if "json" in wanted.lower() and "title" in wanted.lower():
        return '{"title": "E2e session"}'
    if "title" in wanted.lower():
        return "E2e session"
    return "OK"


def _stop_reason(blocks: list[dict[str, Any]]) -> str:
    return "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"


def _usage() -> dict[str, int]:
    return {"input_tokens": 12, "output_tokens": 1, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}


def _message(blocks: list[dict[str, Any]], model: str) -> dict[str, Any]:
    return {
        "id": "msg_e2e",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": blocks,
        "stop_reason": _stop_reason(blocks),
        "stop_sequence": None,
        "usage": _usage(),
    }


def _event(name: str, data: dict[str, Any]) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


def _sse(blocks: list[dict[str, Any]], model: str) -> Iterator[bytes]:
    start = _message([], model)
    start["stop_reason"] = None
    yield _event("message_start", {"type": "message_start", "message": start})
    for index, block in enumerate(blocks):
        if block["type"] == "tool_use":
            opening = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
            delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
        else:
            opening = {"type": "text", "text": ""}
            delta = {"type": "text_delta", "text": block["text"]}
        yield _event("content_block_start", {"type": "content_block_start", "index": index, "content_block": opening})
        yield _event("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta})
        yield _event("content_block_stop", {"type": "content_block_stop", "index": index})
    yield _event(
        "message_delta",
        {
            "type": "message_delta",
            "delta": {"stop_reason": _stop_reason(blocks), "stop_sequence": None},
            "usage": {"output_tokens": 5},
        },
    )
    yield _event("message_stop", {"type": "message_stop"})
