"""Every hook event is registered everywhere or nowhere: hooks.json, the router's table, a
handler module under events/, doctor's check, and a section of docs/hooks.md."""

from __future__ import annotations

import json
import re

from integration_engineer.events import routes
from integration_engineer.runtime.event_names import HANDLERS
from integration_engineer.setup import doctor
from tests.helpers import ROOT

PACKAGE = ROOT / "scripts" / "integration_engineer"


def _registered() -> set[str]:
    return set(json.loads((ROOT / "hooks" / "hooks.json").read_text(encoding="utf-8"))["hooks"])


def test_hooks_json_registers_exactly_the_handled_events() -> None:
    assert _registered() == set(HANDLERS)


def test_each_event_has_its_handler_module() -> None:
    for event, module in HANDLERS.items():
        assert (PACKAGE / "events" / f"{module}.py").is_file(), event
        assert callable(routes.handler_for(event)), event
    assert routes.handler_for("NoSuchEvent") is None


def test_each_hooks_json_command_names_its_own_event() -> None:
    for event, matchers in json.loads((ROOT / "hooks" / "hooks.json").read_text(encoding="utf-8"))["hooks"].items():
        for matcher in matchers:
            for hook in matcher["hooks"]:
                assert hook["command"].endswith(f'scripts/launch" {event}'), (event, hook["command"])


def test_doctor_expects_every_event() -> None:
    assert set(doctor.EXPECTED_EVENTS) == set(HANDLERS)


def test_docs_describe_every_event() -> None:
    text = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    for event in HANDLERS:
        named = [h for h in headings if re.search(rf"\b{event}\b", h)]
        assert named, f"docs/hooks.md has no section for {event}"


def test_no_handler_module_is_left_unrouted() -> None:
    modules = {p.stem for p in (PACKAGE / "events").glob("*.py")} - {"__init__", "routes", "dispatch"}
    handlers = {m for m in modules if "def handle(" in (PACKAGE / "events" / f"{m}.py").read_text(encoding="utf-8")}
    assert handlers == set(HANDLERS.values())
