"""The scripted model server on its own (no CLI): event order, sides, turns, side requests."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.model_server import SUBAGENT_MARK, ModelRequest, ModelServer, ToolUse


@pytest.fixture
def server() -> Iterator[ModelServer]:
    with ModelServer() as s:
        yield s


def post(server: ModelServer, body: dict[str, Any], path: str = "/v1/messages?beta=true") -> tuple[int, str]:
    host, port = server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def turn_body(subagent: bool = False, messages: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    first = f"x-anthropic-billing-header: {SUBAGENT_MARK}" if subagent else "header"
    return {
        "model": "m",
        "stream": True,
        "max_tokens": 32000,
        "system": [{"type": "text", "text": first}],
        "tools": [{"name": "Bash"}],
        "messages": messages or [{"role": "user", "content": "go"}],
    }


def events(raw: str) -> list[dict[str, Any]]:
    out = []
    for chunk in raw.strip().split("\n\n"):
        name, data = chunk.split("\n")
        assert name.startswith("event: ") and data.startswith("data: ")
        payload = json.loads(data.removeprefix("data: "))
        assert payload["type"] == name.removeprefix("event: ")
        out.append(payload)
    return out


def test_a_tool_use_turn_streams_in_the_api_order(server: ModelServer) -> None:
    server.script(orchestrator=[["thinking aloud", ToolUse("Bash", {"command": "ls"})]])
    status, raw = post(server, turn_body())
    assert status == 200
    got = events(raw)
    assert [e["type"] for e in got] == [
        "message_start",
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    assert got[0]["message"]["content"] == []
    assert got[2]["delta"] == {"type": "text_delta", "text": "thinking aloud"}
    assert got[4]["content_block"]["name"] == "Bash"
    assert json.loads(got[5]["delta"]["partial_json"]) == {"command": "ls"}
    assert got[7]["delta"]["stop_reason"] == "tool_use"


def test_each_side_has_its_own_turns_and_a_final_text(server: ModelServer) -> None:
    server.script(orchestrator=["o1"], subagent=["s1", "s2"], subagent_final="s-final")
    texts = []
    for subagent in (True, False, True, False, True):
        _, raw = post(server, turn_body(subagent))
        texts.append(events(raw)[2]["delta"]["text"])
    assert texts == ["s1", "o1", "s2", "Done.", "s-final"]
    assert [r.turn for r in server.turns("subagent")] == [0, 1, -1]


def test_side_requests_use_no_turn(server: ModelServer) -> None:
    server.script(orchestrator=["o1"])
    assert (
        post(server, {"model": "haiku", "max_tokens": 1, "messages": [{"role": "user", "content": "quota"}]})[0] == 200
    )
    status, raw = post(
        server,
        {"model": "m", "stream": False, "max_tokens": 512, "messages": [{"role": "user", "content": "title please"}]},
    )
    assert status == 200 and json.loads(raw)["content"][0]["type"] == "text"
    assert post(server, turn_body(), "/v1/messages/count_tokens?beta=true")[0] == 404
    _, raw = post(server, turn_body())
    assert events(raw)[2]["delta"]["text"] == "o1"
    assert len(server.aux()) == 2


def test_a_callable_turn_reads_what_the_hooks_said(server: ModelServer) -> None:
    def decide(request: ModelRequest) -> str:
        result = request.last_tool_result()
        return f"denied: {result.content}" if result and result.is_error else "ran"

    server.script(subagent=[decide])
    messages: list[dict[str, Any]] = [
        {"role": "user", "content": [{"type": "text", "text": "go"}]},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "Bash", "input": {}}]},
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "t1",
                    "is_error": True,
                    "content": "PreToolUse:Bash hook error: no commits",
                },
                {"type": "text", "text": "<system-reminder>\nstay in the tree\n</system-reminder>"},
            ],
        },
        {"role": "system", "content": "SubagentStart hook additional context: ctx"},
    ]
    _, raw = post(server, turn_body(True, messages))
    assert events(raw)[2]["delta"]["text"] == "denied: PreToolUse:Bash hook error: no commits"
    assert [d.content for d in server.hook_denials("subagent")] == ["PreToolUse:Bash hook error: no commits"]
    assert server.system_texts("subagent") == ["\nstay in the tree\n", "SubagentStart hook additional context: ctx"]
    assert server.user_texts("subagent") == ["go"]


def test_a_failing_callable_is_reported(server: ModelServer) -> None:
    def broken(request: ModelRequest) -> str:
        raise ValueError("boom")

    server.script(orchestrator=[broken])
    post(server, turn_body())
    assert server.errors and "boom" in server.errors[0]
