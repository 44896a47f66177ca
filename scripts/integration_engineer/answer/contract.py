"""The integration-engineer's JSON answer: the pydantic model is the source of truth.

``schemas/agent-output.schema.json`` is generated from it (``python -m
integration_engineer.answer.contract --write-schema``); a test keeps the file and the model equal.
``problems`` and ``check_object`` never raise: every problem becomes a ``Finding``
(``agent_answer.check_answer`` adds the text's positions).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from integration_engineer import PLUGIN_ROOT
from integration_engineer.answer import unexpected_keys
from integration_engineer.answer.finding import Finding
from integration_engineer.answer.json_scanner import PathKey, json_path

SCHEMA_ID = "https://github.com/integration-engineer/integration-engineer/schemas/agent-output.schema.json"
SCHEMA_PATH = Path(PLUGIN_ROOT) / "schemas" / "agent-output.schema.json"

# The same rules as _relative_path, for other validators (a test checks they agree).
RELATIVE_PATH_PATTERN = (
    r"^(?=.*\S)(?![/\\~])(?![A-Za-z]:)(?!.*[\\\x00-\x1f])"
    r"(?!(?:.*/)?\.\.(?:/|$)).*$"
)
_DRIVE = re.compile(r"[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f]")
# A problem before it has a text position: its JSON path, what to point at ("key", "value",
# or "end": the closing brace of the object that lacks the key), and the finding.
Problem = tuple[PathKey, str, Finding]


def _relative_path(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank_value", "the path is empty")
    if value.startswith(("/", "\\", "~")) or _DRIVE.match(value):
        raise PydanticCustomError("absolute_path", "the path '{path}' is absolute", {"path": value})
    if "\\" in value:
        raise PydanticCustomError("backslash_in_path", "the path '{path}' contains a backslash", {"path": value})
    if _CONTROL.search(value):
        raise PydanticCustomError("control_character", "the path contains a control character")
    if ".." in value.split("/"):
        raise PydanticCustomError(
            "path_escapes_worktree", "the path '{path}' leaves the worktree with '..'", {"path": value}
        )
    return value


def _unique(paths: list[str]) -> list[str]:
    seen: set[str] = set()
    for index, path in enumerate(paths):
        if path in seen:
            raise PydanticCustomError(
                "duplicate_path", "the path '{path}' is listed twice", {"path": path, "index": index}
            )
        seen.add(path)
    return paths


Text = Annotated[str, StringConstraints(pattern=r"\S")]
RelativePath = Annotated[
    str, AfterValidator(_relative_path), Field(json_schema_extra={"pattern": RELATIVE_PATH_PATTERN})
]


class AgentOutput(BaseModel):
    """What the integration-engineer did; test results, quality and gates come from others."""

    model_config = ConfigDict(extra="forbid", strict=True, title="integration-engineer answer")

    task_id: Text = Field(description="The task identifier given in the prompt (e.g. PROJ-123).")
    worktree_path: Text = Field(description="The worktree the work was done in (e.g. ./trees/PROJ-123-integration).")
    work_completed: Text = Field(description="One sentence: what was built or changed.")
    files_modified: Annotated[list[RelativePath], AfterValidator(_unique)] = Field(
        description="Every file created, changed or deleted, relative to the worktree, once each.",
        json_schema_extra={"uniqueItems": True},
    )
    unfinished: list[Text] = Field(
        description="Blockers that kept the work from being finished; empty when it is done."
    )
    narrative_report: str = Field(default="", description="Optional human-readable account of the work, in prose.")
    artifacts_cleaned: list[Text] = Field(
        default_factory=list, description="Optional: tool artifacts removed from the worktree."
    )


FIELDS: tuple[str, ...] = tuple(AgentOutput.model_fields)
REQUIRED: tuple[str, ...] = tuple(n for n, f in AgentOutput.model_fields.items() if f.is_required())


def json_schema() -> dict[str, Any]:
    """The published JSON Schema, generated from the model."""
    schema = AgentOutput.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def problems(data: Any) -> list[Problem]:
    """Each contract problem with its path and anchor ("key", "value" or "end" of the object)."""
    if not isinstance(data, dict):
        return [
            (
                (),
                "value",
                Finding(
                    "not-an-object",
                    "$",
                    "the answer is not a JSON object",
                    "return one JSON object with the contract's keys",
                ),
            )
        ]
    try:
        AgentOutput.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    else:
        return []
    found = [_problem(error) for error in errors]
    if not any(e["type"] == "duplicate_path" for e in errors):
        found += _duplicates(data.get("files_modified"))  # pydantic skips it when an item failed
    return found


def _duplicates(paths: Any) -> list[Problem]:
    if not isinstance(paths, list):
        return []
    seen: set[str] = set()
    found = []
    for index, path in enumerate(paths):
        if not isinstance(path, str):
            continue
        if path in seen:
            loc: PathKey = ("files_modified", index)
            found.append(
                (
                    loc,
                    "value",
                    Finding(
                        "duplicate-path",
                        json_path(loc),
                        f"the path '{path}' is listed twice",
                        _RULES["duplicate_path"][1],
                    ),
                )
            )
        seen.add(path)
    return found


def check_object(data: Any) -> list[Finding]:
    """The contract's findings for an already parsed value (JSON paths, no text positions)."""
    return [finding for _path, _anchor, finding in problems(data)]


def _problem(error: ErrorDetails) -> Problem:
    loc: PathKey = tuple(error["loc"])
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "duplicate_path":
        loc = (*loc, int(ctx["index"]))
    path = json_path(loc)
    if kind == "extra_forbidden":
        return loc, "key", unexpected_keys.finding(str(loc[0]), path, FIELDS)
    if kind == "missing":
        return (
            loc,
            "end",
            Finding(
                "missing-key", path, f"the required key {loc[-1]!r} is missing", _MISSING_HINTS.get(str(loc[-1]), "")
            ),
        )
    rule, hint = _RULES.get(kind, ("invalid-value", ""))
    message = error["msg"]
    if rule == "wrong-type":
        message = f"expected {_EXPECTED.get(kind, kind)}, got {_json_type(error['input'])}"
    elif rule == "blank-value":
        message = "the value is empty or only whitespace"
    return loc, "value", Finding(rule, path, message, hint)


_EXPECTED = {"string_type": "a string", "list_type": "an array", "model_type": "an object"}
_RULES: dict[str, tuple[str, str]] = {
    "string_type": ("wrong-type", "write the value as a JSON string"),
    "list_type": ("wrong-type", "write the value as a JSON array of strings"),
    "string_pattern_mismatch": ("blank-value", "say it in words; an empty value says nothing"),
    "blank_value": ("blank-value", "remove the empty entry"),
    "absolute_path": ("absolute-path", "write the path relative to the worktree root, e.g. src/app.py"),
    "backslash_in_path": ("backslash-in-path", "separate directories with '/'"),
    "control_character": ("control-character", "remove the control character from the path"),
    "path_escapes_worktree": ("path-escapes-worktree", "list only files inside the worktree, relative to its root"),
    "duplicate_path": ("duplicate-path", "list each file once"),
}
_MISSING_HINTS = {
    "task_id": 'copy the task identifier from the prompt (e.g. "PROJ-123")',
    "worktree_path": 'give the worktree you worked in (e.g. "./trees/PROJ-123-integration")',
    "work_completed": "add one sentence saying what was done",
    "files_modified": "list the files you changed, relative to the worktree ([] if none)",
    "unfinished": "list what is left to do, or [] when the work is finished",
}


def _json_type(value: Any) -> str:
    names = {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        type(None): "null",
        int: "a number",
        float: "a number",
    }
    return names.get(type(value), type(value).__name__)


def main(argv: list[str]) -> int:
    """``--write-schema [PATH]`` writes the schema file; with no argument, prints it."""
    if argv[:1] == ["--write-schema"]:
        target = Path(argv[1]) if len(argv) > 1 else SCHEMA_PATH
        target.write_text(schema_text(), encoding="utf-8")
        return 0
    if argv:
        print("usage: python -m integration_engineer.answer.contract [--write-schema [PATH]]", file=sys.stderr)
        return 2
    sys.stdout.write(schema_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
