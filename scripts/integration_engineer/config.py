"""Project configuration: ``.claude/integration-engineer.json``, checked against the schema.

Stdlib only (it runs on the hot path): a small checker of the JSON Schema subset that
``schemas/config.schema.json`` uses. A test checks it agrees with ``jsonschema`` on that schema.
"""

from __future__ import annotations

import os

from integration_engineer import PLUGIN_ROOT, reaper_yml
from integration_engineer.runtime import json_codec
from integration_engineer.runtime.record import field, record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path; mypy knows it)
if TYPE_CHECKING:
    from typing import Any

# os.path, not pathlib: pathlib drags in urllib.parse and ipaddress, milliseconds on every hook.
CONFIG_RELPATH = os.path.join(".claude", "integration-engineer.json")
SCHEMA_PATH = os.path.join(PLUGIN_ROOT, "schemas", "config.schema.json")


class ConfigError(ValueError):
    """The configuration file is unreadable or does not match the schema."""


@record
class Jira:
    enabled: bool = False
    timeout_seconds: float = 5.0


@record
class LogSettings:
    enabled: bool = True
    max_bytes: int = 1_048_576
    keep: int = 3


@record
class SandboxSettings:
    mode: str = "auto"
    network: str = "on"
    writable: tuple[str, ...] = (
        "~/.cache",
        "~/.npm",
        "~/.yarn",
        "~/.local/share/pnpm",
        "~/.cargo/registry",
        "~/.cargo/git",
        "~/go/pkg/mod",
        "~/.m2",
        "~/.gradle",
    )
    hidden: tuple[str, ...] = (
        "~/.aws",
        "~/.config/gcloud",
        "~/.azure",
        "~/.kube",
        "~/.oci",
        "~/.config/doctl",
        "~/.terraform.d",
    )


@record
class Settings:
    """Every setting with its default; the schema holds the same defaults (a test keeps them equal)."""

    guarded_agent_types: tuple[str, ...] = ("integration-engineer:integration-engineer",)
    worktree_root: str = "trees"
    forbidden_git_verbs: tuple[str, ...] = (
        "add",
        "stage",
        "commit",
        "push",
        "merge",
        "rebase",
        "pull",
        "cherry-pick",
        "revert",
        "am",
    )
    report_file_globs: tuple[str, ...] = (
        "*report*.md",
        "*report*.json",
        "*analysis*.json",
        "*validation*.json",
    )
    excluded_dirs: tuple[str, ...] = (
        "trees",
        "*backup*",
        ".backup",
        ".git",
        "node_modules",
        "vendor",
        "venv",
        ".venv",
        "env",
        "target",
        "build",
        "dist",
    )
    rewrite_commands: bool = True
    test_scope: str = "remind"
    artifacts: tuple[str, ...] = (
        "coverage/",
        ".nyc_output/",
        "htmlcov/",
        "__pycache__/",
        ".pytest_cache/",
        ".benchmarks/",
        ".ruff_cache/",
        ".mypy_cache/",
        ".tox/",
        ".coverage",
        ".coverage.*",
        "test-results.json",
        "junit.xml",
        "lcov.info",
        ".eslintcache",
        "*.tsbuildinfo",
        ".php-cs-fixer.cache",
        ".rubocop-cache/",
    )
    max_output_retries: int = 3
    quality_gates: str = "default"
    jira: Jira = field(default_factory=Jira)
    log: LogSettings = field(default_factory=LogSettings)
    sandbox: SandboxSettings = field(default_factory=SandboxSettings)
    source: str = ""
    # Where worktree_root came from when not from this file: ".reaper.yml worktrees.base_path".
    worktree_root_from: str = ""


def project_dir(cwd: str = "") -> str:
    """Where the session started: CLAUDE_PROJECT_DIR, else the payload's cwd, else ours."""
    return os.environ.get("CLAUDE_PROJECT_DIR") or cwd or os.getcwd()


def config_path(project: str | os.PathLike[str]) -> str:
    return os.path.join(os.fspath(project), CONFIG_RELPATH)


def load(project: str | os.PathLike[str]) -> Settings:
    """Settings for a project; defaults when there is no file, ConfigError when it is wrong.
    Without ``worktree_root`` here, Reaper's ``.reaper.yml`` ``worktrees.base_path`` is the root."""
    data = _load_own(project)
    settings = from_dict(data, config_path(project)) if data is not None else Settings()
    if data is not None and "worktree_root" in data:
        return settings  # the plugin's own file wins
    try:
        root = reaper_yml.base_path(os.fspath(project))
    except reaper_yml.ReaperConfigError as exc:
        raise ConfigError(str(exc)) from None
    if not root:
        return settings
    where = f"{reaper_yml.FILE_NAME} {reaper_yml.KEY}"
    return Settings(**{**settings.__dict__, "worktree_root": root, "worktree_root_from": where})


def _load_own(project: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The plugin's own file, checked against the schema (None when there is none)."""
    path = config_path(project)
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    try:
        data = json_codec.loads(text)
    except ValueError as exc:
        raise ConfigError(f"{path}: not valid JSON ({exc})") from None
    problems = check(data, load_schema())
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems))
    assert isinstance(data, dict)  # the schema's top level is an object
    return data


def load_schema() -> dict[str, Any]:
    with open(SCHEMA_PATH, encoding="utf-8") as fh:
        schema: dict[str, Any] = json_codec.loads(fh.read())
    return schema


def from_dict(data: dict[str, Any], source: str = "") -> Settings:
    """Settings from an already validated mapping."""
    base = Settings()
    kwargs: dict[str, Any] = {"source": source}
    for key, value in data.items():
        if key == "$schema":
            continue
        if key == "jira":
            kwargs[key] = Jira(**{**Jira().__dict__, **value})
        elif key == "log":
            kwargs[key] = LogSettings(**{**LogSettings().__dict__, **value})
        elif key == "sandbox":
            merged: dict[str, Any] = {**SandboxSettings().__dict__, **value}
            fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in merged.items()}
            kwargs[key] = SandboxSettings(**fields)
        elif isinstance(getattr(base, key), tuple):
            kwargs[key] = tuple(value)
        else:
            kwargs[key] = value
    return Settings(**{**base.__dict__, **kwargs})


_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
}


def check(value: Any, schema: dict[str, Any], where: str = "") -> list[str]:
    """Problems of ``value`` against the schema subset we use, each naming the key and what was expected."""
    here = where or "(top level)"
    expected = schema.get("type")
    if expected is not None and not _is_type(value, expected):
        return [f"{here}: expected {expected}, got {_json_type(value)}"]
    if "enum" in schema and value not in schema["enum"]:
        choices = ", ".join(json_codec.dumps(c) for c in schema["enum"])
        return [f"{here}: {json_codec.dumps(value)} is not one of {choices}"]
    problems = _check_bounds(value, schema, here)
    if isinstance(value, dict):
        problems += _check_object(value, schema, where)
    if isinstance(value, list):
        for i, item in enumerate(value):
            problems += check(item, schema.get("items", {}), f"{where}[{i}]")
        if len(value) < schema.get("minItems", 0):
            problems.append(f"{here}: expected at least {schema['minItems']} item(s)")
    return problems


def _check_object(value: dict[str, Any], schema: dict[str, Any], where: str) -> list[str]:
    props: dict[str, Any] = schema.get("properties", {})
    problems: list[str] = []
    for key, item in value.items():
        path = f"{where}.{key}" if where else key
        if key in props:
            problems += check(item, props[key], path)
        elif schema.get("additionalProperties") is False:
            known = ", ".join(sorted(k for k in props if k != "$schema"))
            problems.append(f"{path}: unknown key; expected one of {known}")
    return problems


def _check_bounds(value: Any, schema: dict[str, Any], here: str) -> list[str]:
    problems = []
    if isinstance(value, str) and len(value) < schema.get("minLength", 0):
        problems.append(f"{here}: expected a non-empty string")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(f"{here}: {value} is below the minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(f"{here}: {value} is above the maximum {schema['maximum']}")
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            problems.append(f"{here}: {value} must be above {schema['exclusiveMinimum']}")
    return problems


def _is_type(value: Any, expected: str) -> bool:
    if isinstance(value, bool) and expected in ("integer", "number"):
        return False
    if expected == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _TYPES[expected])


def _json_type(value: Any) -> str:
    names = {
        dict: "object",
        list: "array",
        str: "string",
        bool: "boolean",
        int: "integer",
        float: "number",
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)
