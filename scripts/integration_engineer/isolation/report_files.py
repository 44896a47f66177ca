"""No report files: the agent's analysis belongs in ``narrative_report`` of its JSON answer.

A name matching one of ``settings.report_file_globs`` (case-insensitive; by default
``*report*.md``, ``*report*.json``, ``*analysis*.json``, ``*validation*.json``) may not be
written by a file tool, nor created by Bash (redirection, tee, cp/mv destination, touch...).
Deleting one is fine. Source files such as ``report_builder.py`` do not match.
"""

from __future__ import annotations

from integration_engineer.config import Settings
from integration_engineer.isolation import write_targets
from integration_engineer.runtime.globs import glob_match
from integration_engineer.runtime.outcome import PASS, Outcome, deny
from integration_engineer.runtime.payload import HookEvent

NAME = "report_files"


def is_report_name(name: str, globs: tuple[str, ...]) -> str:
    """The glob a file name matches (case-insensitive), "" when none does."""
    lowered = name.lower()
    for glob in globs:
        if glob_match(lowered, glob.lower()):
            return glob
    return ""


def check(event: HookEvent, settings: Settings) -> Outcome:
    hits = []
    for target in write_targets.of_event(event):
        if target.kind != "write" or target.unknown:
            continue
        glob = is_report_name(target.name, settings.report_file_globs)
        if glob:
            hits.append(f"{target.name} (matches {glob})")
    if not hits:
        return PASS
    return deny(
        NAME,
        "integration-engineer: report files are not written to disk: "
        f'{", ".join(hits)}. Put this content in the "narrative_report" field of your '
        "final JSON answer instead; write only code, tests and configuration files.",
    )
