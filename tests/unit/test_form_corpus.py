"""The forms corpus (issue 18): bypass classes and their harmless look-alikes, each decided right.

``tests/cases/{deny,allow}/forms/*.json`` were labelled by running them for real
(``benchmarks/label_forms.py write``: bash, GIT_TRACE, a scratch repository with a remote); ``seen``
records what the run showed. Each is decided by ``git_operations.analyse`` in a copy of that
scratch repository holding the form's ``files`` (``label_forms.decided_in``). The held-out sets
of ``benchmarks/heldout/`` (every file there) stay out of it and out of each other: they measure
what tuning has not seen.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from integration_engineer.git_guard.policy import analyse

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases"
DENY = sorted((CASES / "deny" / "forms").glob("*.json"))
ALLOW = sorted((CASES / "allow" / "forms").glob("*.json"))
HELDOUT_SETS = sorted((ROOT / "benchmarks" / "heldout").glob("*.json"))


def _case(path: Path) -> dict[str, Any]:
    case: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert case.get("command") and case.get("note"), f"{path.name}: needs command and note"
    return case


def _label_forms() -> Any:
    spec = importlib.util.spec_from_file_location("label_forms", ROOT / "benchmarks" / "label_forms.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LABEL_FORMS = _label_forms()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scratch repository the labeller ran the forms in (label_forms.scratch)."""
    root = tmp_path_factory.mktemp("scratch")
    repo: Path = LABEL_FORMS.scratch(root)["repo"]
    return repo


def _blocked(case: dict[str, Any], tmp_path: Path, template: Path, monkeypatch: pytest.MonkeyPatch) -> bool:
    repo, home = LABEL_FORMS.decided_in(template, tmp_path, case.get("files", {}))
    for rel in case.get("files", {}):
        path = (repo / rel).resolve()
        inside = path.is_relative_to(repo.resolve()) or path.is_relative_to(home.resolve())
        assert inside, f"{rel}: outside the repository and HOME"
    monkeypatch.setenv("HOME", str(home))
    return analyse(case["command"], cwd=str(repo)).blocked


def test_corpus_size_and_balance() -> None:
    assert len(DENY) + len(ALLOW) >= 300
    assert len(ALLOW) >= len(DENY) * 0.8, "harmless look-alikes about as many as bypasses"


def _held_out(path: Path) -> list[dict[str, Any]]:
    forms: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return forms


def _commands(value: Any, found: set[str]) -> set[str]:
    """Every ``command`` string anywhere in a case file (forms, hook payloads, tool inputs)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "command" and isinstance(item, str):
                found.add(item)
            else:
                _commands(item, found)
    elif isinstance(value, list):
        for item in value:
            _commands(item, found)
    return found


def test_there_are_held_out_sets() -> None:
    assert [p.name for p in HELDOUT_SETS if p.name.startswith("fresh-")], "a set written without looking"


@pytest.mark.parametrize("path", HELDOUT_SETS, ids=lambda p: p.stem)
def test_no_held_out_form_is_in_the_corpus(path: Path) -> None:
    # A fresh set shares no command with any case file; forms.json, older, is kept out of the forms
    # corpus only (it shares 24 everyday commands such as `git status` with the other case files).
    # read_only/observed.json records which commands Claude Code itself runs unasked, not what the git
    # reading decides, so everyday commands there (`git tag -l`) do not tune what these sets measure.
    observed = CASES / "read_only" / "observed.json"
    every = [case for case in sorted(CASES.rglob("*.json")) if case != observed]
    files = every if path.name.startswith("fresh") else DENY + ALLOW
    corpus: set[str] = set()
    for case in files:
        _commands(json.loads(case.read_text(encoding="utf-8")), corpus)
    overlap = [f["command"] for f in _held_out(path) if f["command"] in corpus]
    assert overlap == []


@pytest.mark.parametrize("path", HELDOUT_SETS, ids=lambda p: p.stem)
def test_held_out_sets_do_not_share_forms(path: Path) -> None:
    # A form is its command with its files: the same words over other files are another form.
    mine = {_form_key(f) for f in _held_out(path)}
    others = [other for other in HELDOUT_SETS if other != path]
    shared = [(other.name, k[0]) for other in others for k in mine & {_form_key(f) for f in _held_out(other)}]
    assert shared == []


def _form_key(form: dict[str, Any]) -> tuple[str, str]:
    return form["command"], json.dumps(form.get("files", {}), sort_keys=True)


@pytest.mark.parametrize("path", HELDOUT_SETS, ids=lambda p: p.stem)
def test_held_out_labels_come_from_a_run(path: Path) -> None:
    forms = _held_out(path)
    for form in forms:
        assert form.get("command") and form.get("note") and form.get("class"), form
        assert form["label"] in ("deny", "allow"), form
        if form["label"] == "deny":
            seen = form.get("seen", {})
            assert seen.get("forbidden_verbs") or seen.get("refs_moved"), form["command"]
    assert {f["label"] for f in forms} == {"deny", "allow"}


def test_labels_come_from_a_run() -> None:
    for path in DENY:
        seen = _case(path).get("seen", {})
        assert seen.get("forbidden_verbs") or seen.get("refs_moved"), path.name


@pytest.mark.parametrize("path", DENY, ids=lambda p: p.stem)
def test_bypass_is_refused(path: Path, tmp_path: Path, template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _blocked(_case(path), tmp_path, template, monkeypatch)


@pytest.mark.parametrize("path", ALLOW, ids=lambda p: p.stem)
def test_look_alike_is_let_through(path: Path, tmp_path: Path, template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not _blocked(_case(path), tmp_path, template, monkeypatch)
