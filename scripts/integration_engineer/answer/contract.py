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

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, WithJsonSchema
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


def _narrative(value: Any) -> Any:
    """Prose, or an object with a ``summary`` (Reaper reads ``narrative_report.summary``) and
    further sections as strings or lists of strings."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        raise PydanticCustomError(
            "narrative_type", "expected a string or an object with a 'summary', got {got}", {"got": _json_type(value)}
        )
    summary = value.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        why = "is missing" if "summary" not in value else "is not a non-empty string"
        raise PydanticCustomError("narrative_summary", "the object's 'summary' {why}", {"why": why, "key": "summary"})
    for key, item in value.items():
        if not (isinstance(item, str) or (isinstance(item, list) and all(isinstance(i, str) for i in item))):
            raise PydanticCustomError(
                "narrative_section",
                "the section '{key}' is {got}; expected a string or an array of strings",
                {"key": key, "got": _json_type(item)},
            )
    return value


NARRATIVE_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "required": ["summary"],
            "properties": {"summary": {"type": "string", "pattern": "\\S"}},
            "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        },
    ]
}
Text = Annotated[str, StringConstraints(pattern=r"\S")]
# The keys that name the same thing: Reaper's orchestrator reads worktreePath.
ALIASES = {"worktreePath": "worktree_path"}
RelativePath = Annotated[
    str, AfterValidator(_relative_path), Field(json_schema_extra={"pattern": RELATIVE_PATH_PATTERN})
]


class AgentOutput(BaseModel):
    """What the integration-engineer did; test results, quality and gates come from others."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        title="integration-engineer answer",
        json_schema_extra={"anyOf": [{"required": ["worktree_path"]}, {"required": ["worktreePath"]}]},
    )

    task_id: Text = Field(description="The task identifier given in the prompt (e.g. PROJ-123).")
    # Required, as worktree_path or worktreePath (``problems`` says so when both are missing).
    worktree_path: Text = Field(
        default="", description="The worktree the work was done in (e.g. ./trees/PROJ-123-integration)."
    )
    work_completed: Text = Field(description="One sentence: what was built or changed.")
    files_modified: Annotated[list[RelativePath], AfterValidator(_unique)] = Field(
        description="Every file created, changed or deleted, relative to the worktree, once each.",
        json_schema_extra={"uniqueItems": True},
    )
    unfinished: list[Text] = Field(
        description="Blockers that kept the work from being finished; empty when it is done."
    )
    narrative_report: Annotated[Any, AfterValidator(_narrative), WithJsonSchema(NARRATIVE_SCHEMA)] = Field(
        default="",
        description="Optional human-readable account of the work: prose, or an object with a 'summary' "
        "(Reaper's shape) and further sections.",
    )
    artifacts_cleaned: list[Text] = Field(
        default_factory=list, description="Optional: tool artifacts removed from the worktree."
    )
    worktreePath: Text = Field(  # Reaper's spelling, as its orchestrator reads it
        default="", description="Reaper's spelling of worktree_path, with the same checks; give one of the two."
    )


FIELDS: tuple[str, ...] = tuple(AgentOutput.model_fields)
REQUIRED: tuple[str, ...] = tuple(
    n for n, f in AgentOutput.model_fields.items() if f.is_required() or n == "worktree_path"
)


def json_schema() -> dict[str, Any]:
    """The published JSON Schema, generated from the model."""
    schema = AgentOutput.model_json_schema()
    for name in ("worktree_path", *ALIASES):  # required one way or the other, never defaulted
        schema["properties"][name].pop("default", None)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def worktree_keys(data: dict[str, Any]) -> list[str]:
    """The keys of the answer that name its worktree (worktree_path, worktreePath), as given."""
    return [k for k in ("worktree_path", *ALIASES) if k in data]


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
    missing = [] if worktree_keys(data) else [_missing(("worktree_path",))]
    try:
        AgentOutput.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    else:
        return missing
    found = [*missing, *(_problem(error) for error in errors)]
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
        return _missing(loc)
    if kind == "narrative_summary":
        loc = (*loc, "summary")
        return loc, "end" if ctx.get("why") == "is missing" else "value", _narrative_finding(loc, error["msg"])
    if kind == "narrative_section":
        loc = (*loc, str(ctx["key"]))
        return loc, "value", _narrative_finding(loc, error["msg"])
    rule, hint = _RULES.get(kind, ("invalid-value", ""))
    message = error["msg"]
    if rule == "wrong-type" and kind != "narrative_type":
        message = f"expected {_EXPECTED.get(kind, kind)}, got {_json_type(error['input'])}"
    elif rule == "blank-value":
        message = "the value is empty or only whitespace"
    return loc, "value", Finding(rule, path, message, hint)


def _missing(loc: PathKey) -> Problem:
    name = str(loc[-1])
    also = " (or Reaper's 'worktreePath')" if name == "worktree_path" else ""
    return (
        loc,
        "end",
        Finding(
            "missing-key", json_path(loc), f"the required key {name!r}{also} is missing", _MISSING_HINTS.get(name, "")
        ),
    )


def _narrative_finding(loc: PathKey, message: str) -> Finding:
    return Finding(
        "invalid-value",
        json_path(loc),
        message,
        "write narrative_report as prose, or as an object whose 'summary' is a sentence and whose other "
        "sections are strings",
    )


_EXPECTED = {"string_type": "a string", "list_type": "an array", "model_type": "an object"}
_RULES: dict[str, tuple[str, str]] = {
    "string_type": ("wrong-type", "write the value as a JSON string"),
    "list_type": ("wrong-type", "write the value as a JSON array of strings"),
    "string_pattern_mismatch": ("blank-value", "say it in words; an empty value says nothing"),
    "narrative_type": ("wrong-type", "write narrative_report as prose, or as an object with a 'summary'"),
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
