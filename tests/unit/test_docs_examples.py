"""The code examples in the agent definition and the docs run, and do what the text says.

A fenced block preceded by the line ``<!-- tested: NAME -->`` (blank lines allowed between) is an
example. Every example found in ``agents/*.md`` and ``docs/**/*.md`` must be listed in ``EXPECTED``
and every listed one must be found, so an example cannot silently disappear or go untested. Python
examples are executed in a fresh module (after the examples they build on, see ``REQUIRES``), then
checked by the function of the same name below; JavaScript examples run under ``node`` with the
assertions of ``JS_CHECKS`` appended.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import types
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"<!--\s*tested:\s*([a-z0-9][a-z0-9-]*)\s*-->")
FENCE = re.compile(r"(`{3,}|~{3,})\s*([A-Za-z0-9_+-]*)")

# Every marked example, with its language. Removing an example from the docs fails the suite.
EXPECTED: dict[str, str] = {
    "retry-policy": "python",
    "api-client": "python",
    "webhook-signatures": "python",
    "stripe-signature-node": "javascript",
    "webhook-inbox": "python",
    "oauth-pkce": "python",
    "circuit-breaker": "python",
}
# Examples that use names defined by earlier ones (executed first, in the same module).
REQUIRES: dict[str, tuple[str, ...]] = {"api-client": ("retry-policy",)}


@dataclass(frozen=True)
class Example:
    name: str
    language: str
    code: str
    path: Path
    first_line: int  # 1-based line of the first code line in the markdown file


def extract(path: Path) -> list[Example]:
    """The marked examples of one markdown file; a marker not followed by a fence is an error."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Example] = []
    pending: tuple[str, int] | None = None
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        marker = MARKER.fullmatch(stripped)
        fence = FENCE.fullmatch(stripped)
        if marker:
            if pending:
                raise ValueError(f"{path}:{pending[1]}: marker not followed by a code block")
            pending = (marker.group(1), i + 1)
        elif fence:
            end = _closing_fence(lines, i, fence.group(1), path)
            if pending:
                code = "\n".join(lines[i + 1 : end]) + "\n"
                found.append(Example(pending[0], fence.group(2), code, path, i + 2))
                pending = None
            i = end
        elif stripped and pending:
            raise ValueError(f"{path}:{pending[1]}: marker not directly before a code block")
        i += 1
    if pending:
        raise ValueError(f"{path}:{pending[1]}: marker at the end of the file")
    return found


def _closing_fence(lines: list[str], start: int, opener: str, path: Path) -> int:
    for j in range(start + 1, len(lines)):
        text = lines[j].strip()
        if text and set(text) == {opener[0]} and len(text) >= len(opener):
            return j
    raise ValueError(f"{path}:{start + 1}: code block never closed")


def markdown_files() -> list[Path]:
    return sorted((ROOT / "agents").glob("*.md")) + sorted((ROOT / "docs").rglob("*.md"))


def all_examples() -> dict[str, Example]:
    examples: dict[str, Example] = {}
    for path in markdown_files():
        for example in extract(path):
            if example.name in examples:
                first = examples[example.name]
                raise ValueError(f"{path}: example {example.name!r} also in {first.path}")
            examples[example.name] = example
    return examples


EXAMPLES = all_examples()


def load(name: str) -> dict[str, Any]:
    """Run an example (after the ones it requires) in a fresh module; return its namespace."""
    module = types.ModuleType("docs_example_" + name.replace("-", "_"))
    sys.modules[module.__name__] = module  # dataclasses and pickling look the module up
    try:
        for part in (*REQUIRES.get(name, ()), name):
            example = EXAMPLES[part]
            # Pad so tracebacks show the line number in the markdown file.
            source = "\n" * (example.first_line - 1) + example.code
            exec(compile(source, str(example.path), "exec"), module.__dict__)
    finally:
        del sys.modules[module.__name__]
    return module.__dict__


# --- the extractor itself ---------------------------------------------------------------------


def test_every_expected_example_is_present_and_no_other() -> None:
    found = {name: example.language for name, example in EXAMPLES.items()}
    assert found == EXPECTED


def test_extractor_reads_markers_fences_and_ignores_markers_inside_code(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        "Intro\n\n<!-- tested: one -->\n\n```python\nx = 1\n```\n\n"
        "````markdown\n<!-- tested: inside -->\n```python\ny = 2\n```\n````\n\n"
        "<!-- tested: two -->\n~~~javascript\nconst z = 3;\n~~~\n"
    )
    examples = extract(doc)
    assert [(e.name, e.language, e.code, e.first_line) for e in examples] == [
        ("one", "python", "x = 1\n", 6),
        ("two", "javascript", "const z = 3;\n", 18),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "<!-- tested: lost -->\nSome prose.\n```python\nx = 1\n```\n",
        "<!-- tested: a -->\n<!-- tested: b -->\n```python\nx = 1\n```\n",
        "<!-- tested: last -->\n",
        "<!-- tested: open -->\n```python\nx = 1\n",
    ],
)
def test_extractor_refuses_markers_that_would_silently_test_nothing(tmp_path: Path, text: str) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(text)
    with pytest.raises(ValueError, match=r"doc\.md:"):
        extract(doc)


def test_languages_of_marked_examples_are_runnable() -> None:
    assert {e.language for e in EXAMPLES.values()} <= {"python", "javascript"}


# --- Python examples --------------------------------------------------------------------------


def _raising(errors: list[Exception], calls: list[int]) -> Callable[[], str]:
    def call() -> str:
        calls.append(1)
        if errors:
            raise errors.pop(0)
        return "ok"

    return call


def check_retry_policy(ns: dict[str, Any]) -> None:
    retry, server, client, network = (ns["call_with_retries"], ns["ServerError"], ns["ClientError"], ns["NetworkError"])
    now = 1_700_000_000.0

    # Retry-After wins over a shorter backoff; one failure means one sleep.
    sleeps: list[float] = []
    calls: list[int] = []
    error = server("HTTP 503", status=503, retryable=True, retry_after=7.0)
    assert retry(_raising([error], calls), sleep=sleeps.append, jitter=lambda: 0.0) == "ok"
    assert sleeps == [7.0] and len(calls) == 2

    # Full jitter: a fraction of min(cap, base * 2**n); no sleep after the last attempt.
    for fraction, expected in ((1.0, [1.0, 2.0, 3.0]), (0.5, [0.5, 1.0, 1.5])):
        sleeps, calls = [], []
        failures: list[Exception] = [network("reset") for _ in range(4)]
        with pytest.raises(network):
            retry(
                _raising(failures, calls),
                attempts=4,
                base=1.0,
                cap=3.0,
                sleep=sleeps.append,
                jitter=lambda f=fraction: f,
            )
        assert sleeps == expected and len(calls) == 4

    # A longer backoff is not shortened by a small Retry-After.
    sleeps, calls = [], []
    error = server("HTTP 503", status=503, retryable=True, retry_after=0.1)
    retry(_raising([error], calls), base=2.0, sleep=sleeps.append, jitter=lambda: 1.0)
    assert sleeps == [2.0]

    # Not retryable: raised at once.
    sleeps, calls = [], []
    with pytest.raises(client):
        retry(_raising([client("HTTP 404", status=404)], calls), sleep=sleeps.append)
    assert sleeps == [] and len(calls) == 1

    # Retry-After longer than the caller may wait: give up now instead of sleeping.
    sleeps, calls = [], []
    error = server("HTTP 503", status=503, retryable=True, retry_after=600.0)
    with pytest.raises(server):
        retry(_raising([error], calls), max_wait=60.0, sleep=sleeps.append)
    assert sleeps == [] and len(calls) == 1

    with pytest.raises(ValueError):
        retry(lambda: "ok", attempts=0)

    # Statuses become typed errors; Retry-After in both of its forms.
    for_status = ns["error_for_status"]
    unavailable = for_status(503, {"Retry-After": "12"}, now)
    assert isinstance(unavailable, server) and unavailable.retryable
    assert unavailable.retry_after == 12.0 and unavailable.status == 503
    in_30s = format_datetime(datetime.fromtimestamp(now + 30, timezone.utc), usegmt=True)
    limited = for_status(429, {"Retry-After": in_30s}, now)
    assert isinstance(limited, client) and limited.retryable and limited.retry_after == 30.0
    missing = for_status(404, {}, now)
    assert isinstance(missing, client) and not missing.retryable and missing.retry_after is None
    assert not for_status(501, {}, now).retryable
    assert isinstance(network("timeout"), ns["IntegrationError"]) and network("x").retryable

    seconds = ns["retry_after_seconds"]
    past = format_datetime(datetime.fromtimestamp(now - 60, timezone.utc), usegmt=True)
    assert seconds(past, now) == 0.0
    for junk in (None, "", "soon", "\u0663", "-5", "Mon, 99 Foo 2024 99:99:99 GMT", "1.5"):
        assert seconds(junk, now) is None


def check_api_client(ns: dict[str, Any]) -> None:
    client_cls, client_error, server_error = ns["ApiClient"], ns["ClientError"], ns["ServerError"]
    sent: list[tuple[str, str, dict[str, str], float]] = []
    replies: list[Any] = []

    def send(method: str, url: str, *, headers: dict[str, str], json: Any, timeout: float) -> Any:
        sent.append((method, url, dict(headers), timeout))
        reply = replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply

    sleeps: list[float] = []
    api = client_cls(
        "https://api.example.com/v1/", send, timeout=5.0, clock=lambda: 1_700_000_000.0, sleep=sleeps.append
    )

    # A 503 with Retry-After, then success: same idempotency key on both attempts.
    replies[:] = [(503, {"Retry-After": "1"}, None), (201, {}, {"id": "pi_1"})]
    assert api.request("POST", "/payment_intents", body={"amount": 100}) == {"id": "pi_1"}
    assert [s[1] for s in sent] == ["https://api.example.com/v1/payment_intents"] * 2
    keys = {s[2]["Idempotency-Key"] for s in sent}
    assert len(keys) == 1 and all(keys)
    assert sleeps == [1.0]

    # Every call carries the timeout; a caller's key is used as given; GET has none.
    sent.clear()
    replies[:] = [TimeoutError("read timed out"), (200, {}, {"ok": True})]
    api.request("POST", "/refunds", idempotency_key="refund-order-42")
    replies[:] = [(200, {}, {"id": "cus_1"})]
    api.request("GET", "/customers/cus_1")
    assert [s[3] for s in sent] == [5.0, 5.0, 5.0]
    assert [s[2].get("Idempotency-Key") for s in sent] == ["refund-order-42"] * 2 + [None]

    # A client error is not retried.
    sent.clear()
    replies[:] = [(422, {}, {"error": "bad amount"}), (200, {}, {})]
    with pytest.raises(client_error):
        api.request("POST", "/payment_intents", body={"amount": -1})
    assert len(sent) == 1

    # Cursor pagination follows next_cursor to the end and refuses a repeated cursor.
    def pages(book: dict[str | None, dict[str, Any]]) -> Iterator[Any]:
        def paged(method: str, url: str, **_: Any) -> Any:
            cursor = parse_qs(urlsplit(url).query).get("cursor", [None])[0]
            return 200, {}, book[cursor]

        api.send = paged
        return iter(api.iter_items("/customers", page_size=2))

    book: dict[str | None, dict[str, Any]] = {
        None: {"data": [1, 2], "next_cursor": "c1"},
        "c1": {"data": [3, 4], "next_cursor": "c2+/=&x"},  # opaque cursors need escaping
        "c2+/=&x": {"data": [5], "next_cursor": None},
    }
    assert list(pages(book)) == [1, 2, 3, 4, 5]
    book["c2+/=&x"] = {"data": [5], "next_cursor": "c1"}
    with pytest.raises(server_error, match="c1"):
        list(pages(book))


def _hex(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def check_webhook_signatures(ns: dict[str, Any]) -> None:
    body = b'{"id": "evt_1", "type": "payment_intent.succeeded"}'
    tampered = body.replace(b"evt_1", b"evt_2")
    t = 1_700_000_000
    ts = str(t)

    stripe = ns["verify_stripe"]
    secret = "whsec_test_stripe"
    sig = _hex(secret.encode(), f"{t}.".encode() + body)
    header = f"t={t},v1={sig}"
    assert stripe(body, header, secret, now=t + 5)
    assert stripe(body, f"t={t},v1={'0' * 64},v1={sig}", secret, now=t)  # secret rotation
    real_now = int(time.time())
    assert stripe(body, f"t={real_now},v1={_hex(secret.encode(), f'{real_now}.'.encode() + body)}", secret)
    assert not stripe(tampered, header, secret, now=t)
    assert not stripe(body, header, "whsec_other", now=t)
    assert not stripe(body, header, secret, now=t + 301)
    assert not stripe(body, header, secret, now=t - 301)
    for junk in (
        "",
        "t=",
        f"t={t}",
        f"t={t},v1=",
        f"t={t},v1=abc",
        f"t={t},v1={sig[:-1]}",
        f"t={t},v1={sig}00",
        f"t={t},v0={sig}",
        f"t=\u0661\u0662,v1={sig}",
        f"t={t},v1={'é' * 64}",
        f"t={t},t={t},v1={sig}",
        "\udcff",
        ",,,===",
        f"t={t},v1={sig.upper()}",
    ):
        assert stripe(body, junk, secret, now=t) is False, junk

    github = ns["verify_github"]
    gh = "sha256=" + _hex(b"gh-secret", body)
    assert github(body, gh, "gh-secret")
    assert not github(tampered, gh, "gh-secret")
    assert not github(body, gh, "other-secret")
    for junk in (
        "",
        "sha256=",
        "sha256=abc",
        gh[:-2],
        gh + "0",
        "sha1=" + gh[7:],
        "SHA256=" + gh[7:],
        "sha256=" + "é" * 64,
        "\udcff",
    ):
        assert github(body, junk, "gh-secret") is False, junk

    slack = ns["verify_slack"]
    sl = "v0=" + _hex(b"slack-secret", f"v0:{ts}:".encode() + body)
    assert slack(body, ts, sl, "slack-secret", now=t)
    assert not slack(tampered, ts, sl, "slack-secret", now=t)
    assert not slack(body, ts, sl, "slack-secret", now=t + 301)
    assert not slack(body, str(t + 1), sl, "slack-secret", now=t)
    for stamp, junk in (
        (ts, ""),
        (ts, "v0="),
        (ts, "v1=" + sl[3:]),
        (ts, sl[3:]),
        (ts, "v0=" + "é" * 64),
        ("abc", sl),
        ("", sl),
        ("\u0663", sl),
    ):
        assert slack(body, stamp, junk, "slack-secret", now=t) is False, (stamp, junk)

    standard = ns["verify_standard_webhook"]
    key = b"0123456789abcdef0123456789abcdef"
    whsec = "whsec_" + base64.b64encode(key).decode()
    msg_id = "msg_2LhHnQ"
    signed = f"{msg_id}.{ts}.".encode() + body
    b64 = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert standard(body, msg_id, ts, f"v1,{b64}", whsec, now=t)
    assert standard(body, msg_id, ts, f"v1,bm9wZQ== v1,{b64}", whsec, now=t)
    assert not standard(tampered, msg_id, ts, f"v1,{b64}", whsec, now=t)
    assert not standard(body, "msg_other", ts, f"v1,{b64}", whsec, now=t)
    assert not standard(body, msg_id, ts, f"v1,{b64}", whsec, now=t + 301)
    # Keyed with the decoded secret, not with the whsec_ string itself.
    wrong_key = base64.b64encode(hmac.new(whsec.encode(), signed, hashlib.sha256).digest())
    assert not standard(body, msg_id, ts, f"v1,{wrong_key.decode()}", whsec, now=t)
    for junk in ("", "v1,", f"v2,{b64}", b64, f"v1,{b64[:-4]}", "v1,é", "v1,\udcff", ",,, "):
        assert standard(body, msg_id, ts, junk, whsec, now=t) is False, junk
    assert standard(body, msg_id, "later", f"v1,{b64}", whsec, now=t) is False


def check_webhook_inbox(ns: dict[str, Any]) -> None:
    accept, work_once = ns["accept"], ns["work_once"]
    with closing(sqlite3.connect(":memory:")) as db:
        db.execute(ns["INBOX_SCHEMA"])
        assert accept(db, "evt_1", b"first") is True
        assert accept(db, "evt_1", b"first") is False  # duplicate delivery
        assert accept(db, "evt_bad", b"poison") is True
        assert accept(db, "evt_2", b"second") is True

        handled: list[bytes] = []

        def handle(body: bytes) -> None:
            if body == b"poison":
                raise RuntimeError("cannot parse order")
            handled.append(body)

        assert work_once(db, handle, max_attempts=3) == 3
        assert handled == [b"first", b"second"]  # one bad event does not block the others
        for _ in range(2):
            work_once(db, handle, max_attempts=3)
        assert handled == [b"first", b"second"]  # done events are never processed again
        state, attempts, error = db.execute(
            "SELECT state, attempts, last_error FROM webhook_inbox WHERE event_id = 'evt_bad'"
        ).fetchone()
        assert (state, attempts) == ("dead", 3) and "cannot parse order" in error
        assert work_once(db, handle, max_attempts=3) == 0  # dead-lettered: left alone


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def check_oauth_pkce(ns: dict[str, Any]) -> None:
    # Our reference computation agrees with RFC 7636, appendix B.
    assert _s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    verifier, challenge = ns["pkce_pair"]()
    assert 43 <= len(verifier) <= 128 and re.fullmatch(r"[A-Za-z0-9._~-]+", verifier)
    assert challenge == _s256(verifier)
    assert ns["pkce_pair"]()[0] != verifier

    session: dict[str, str] = {}
    url = ns["start_login"](
        session,
        authorize_url="https://github.com/login/oauth/authorize",
        client_id="cid",
        redirect_uri="https://app.example.com/callback",
        scopes=["read:user", "user:email"],
    )
    query = parse_qs(urlsplit(url).query)
    assert url.startswith("https://github.com/login/oauth/authorize?")
    assert query["response_type"] == ["code"] and query["code_challenge_method"] == ["S256"]
    assert query["state"] == [session["oauth_state"]]
    assert query["code_challenge"] == [_s256(session["oauth_verifier"])]
    assert query["scope"] == ["read:user user:email"]
    assert query["redirect_uri"] == ["https://app.example.com/callback"]

    finish = ns["finish_login"]
    stored_state, stored_verifier = session["oauth_state"], session["oauth_verifier"]
    forged = dict(session)
    with pytest.raises(PermissionError):
        finish(forged, "attacker-state")
    assert "oauth_state" not in forged  # a failed attempt burns the state too
    for bad in ("", "é", "\udcff", stored_state + "x"):
        with pytest.raises(PermissionError):
            finish(dict(session), bad)
    assert finish(session, stored_state) == stored_verifier
    with pytest.raises(PermissionError):
        finish(session, stored_state)  # single use
    with pytest.raises(PermissionError):
        finish(dict[str, str](), "")


def check_circuit_breaker(ns: dict[str, Any]) -> None:
    breaker_cls, open_error = ns["CircuitBreaker"], ns["CircuitOpenError"]
    clock = [0.0]
    breaker = breaker_cls(threshold=3, reset_after=10.0, clock=lambda: clock[0])

    def down() -> None:
        raise ConnectionError("provider down")

    def fail(times: int) -> None:
        for _ in range(times):
            with pytest.raises(ConnectionError):
                breaker.call(down)

    fail(2)
    assert breaker.call(lambda: "ok") == "ok"  # a success resets the count
    fail(2)
    assert breaker.state == "closed"
    fail(1)
    assert breaker.state == "open"

    calls: list[int] = []
    with pytest.raises(open_error):
        breaker.call(lambda: calls.append(1))
    clock[0] = 9.9
    with pytest.raises(open_error):
        breaker.call(lambda: calls.append(1))
    assert calls == []  # while open, the dependency is not called at all

    clock[0] = 10.0

    def probe() -> str:
        assert breaker.state == "half-open"
        with pytest.raises(open_error):
            breaker.call(lambda: "second caller")  # only one probe at a time
        return "pong"

    assert breaker.call(probe) == "pong"
    assert breaker.state == "closed"

    fail(3)
    clock[0] = 25.0
    with pytest.raises(ConnectionError):
        breaker.call(down)  # the probe fails: open again, for a fresh period
    assert breaker.state == "open"
    clock[0] = 34.0
    with pytest.raises(open_error):
        breaker.call(lambda: "too early")
    clock[0] = 35.0
    assert breaker.call(lambda: "back") == "back" and breaker.state == "closed"

    lenient = breaker_cls(threshold=1, is_failure=lambda exc: not isinstance(exc, KeyError))
    empty: dict[str, str] = {}
    with pytest.raises(KeyError):
        lenient.call(lambda: empty["missing"])
    assert lenient.state == "closed"  # a 404-like error says nothing about the dependency


PYTHON_CHECKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "retry-policy": check_retry_policy,
    "api-client": check_api_client,
    "webhook-signatures": check_webhook_signatures,
    "webhook-inbox": check_webhook_inbox,
    "oauth-pkce": check_oauth_pkce,
    "circuit-breaker": check_circuit_breaker,
}

JS_CHECKS: dict[str, str] = {
    "stripe-signature-node": r"""
const assert = require('node:assert/strict');
const nodeCrypto = require('node:crypto');
const secret = 'whsec_test_stripe';
const body = Buffer.from('{"id": "evt_1", "type": "payment_intent.succeeded"}');
const t = 1700000000;
const sign = (ts, payload) => nodeCrypto.createHmac('sha256', secret)
  .update(Buffer.concat([Buffer.from(`${ts}.`), payload])).digest('hex');
const good = `t=${t},v1=${sign(t, body)}`;
assert.equal(verifyStripeSignature(body, good, secret, { now: t + 5 }), true);
const rotated = `t=${t},v1=${'0'.repeat(64)},v1=${sign(t, body)}`;
assert.equal(verifyStripeSignature(body, rotated, secret, { now: t }), true);
const nowSec = Math.floor(Date.now() / 1000);
assert.equal(verifyStripeSignature(body, `t=${nowSec},v1=${sign(nowSec, body)}`, secret), true);
const tampered = Buffer.from(body.toString().replace('evt_1', 'evt_2'));
assert.equal(verifyStripeSignature(tampered, good, secret, { now: t }), false);
assert.equal(verifyStripeSignature(body, good, 'whsec_other', { now: t }), false);
assert.equal(verifyStripeSignature(body, good, secret, { now: t + 301 }), false);
assert.equal(verifyStripeSignature(body, good, secret, { now: t - 301 }), false);
for (const junk of ['', undefined, null, 't=', `t=${t}`, `t=${t},v1=`, `t=${t},v1=abc`,
  `t=${t},v1=${sign(t, body)}00`, `t=${t},v1=${'é'.repeat(64)}`, `t=${t},v1=${'é'.repeat(32)}`,
  `t=${t},v0=${sign(t, body)}`, `t=abc,v1=${sign(t, body)}`, `t=${t},t=${t},v1=${sign(t, body)}`]) {
  assert.equal(verifyStripeSignature(body, junk, secret, { now: t }), false, String(junk));
}
console.log('all checks passed');
""",
}


@pytest.mark.parametrize("name", sorted(n for n, lang in EXPECTED.items() if lang == "python"))
def test_python_example(name: str) -> None:
    PYTHON_CHECKS[name](load(name))


def test_every_example_has_a_check() -> None:
    assert set(PYTHON_CHECKS) | set(JS_CHECKS) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(n for n, lang in EXPECTED.items() if lang == "javascript"))
def test_javascript_example(name: str, tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is required to run the JavaScript examples (CI installs it)")
    script = tmp_path / f"{name}.js"
    script.write_text(EXAMPLES[name].code + "\n" + JS_CHECKS[name], encoding="utf-8")
    proc = subprocess.run([node, str(script)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("all checks passed")
