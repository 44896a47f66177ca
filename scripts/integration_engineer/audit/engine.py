"""Run the audit: every input, one at a time, through the checks, into a reporter."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from integration_engineer.answer.check import Check, check_answer
from integration_engineer.answer.finding import Finding, LineIndex
from integration_engineer.audit import loader
from integration_engineer.audit.document import Document, Unreadable

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3


@dataclass
class Summary:
    answers: int = 0
    failed: int = 0
    findings: int = 0
    unreadable: int = 0

    @property
    def exit_code(self) -> int:
        """3 wins over 1: a run that could not read an input proves nothing about it."""
        if self.unreadable:
            return EXIT_UNREADABLE
        return EXIT_FINDINGS if self.findings else EXIT_CLEAN


class Reporter(Protocol):
    def unreadable(self, item: Unreadable) -> None: ...

    def document(self, doc: Document, findings: list[Finding]) -> None: ...

    def finish(self, summary: Summary) -> None: ...


def run(paths: list[str], guarded: tuple[str, ...], checks: tuple[Check, ...], reporter: Reporter) -> Summary:
    summary = Summary()
    for item in loader.items(paths, guarded):
        if isinstance(item, Unreadable):
            summary.unreadable += 1
            reporter.unreadable(item)
            continue
        findings = check(item, checks)
        summary.answers += 1
        summary.failed += bool(findings)
        summary.findings += len(findings)
        reporter.document(item, findings)
    reporter.finish(summary)
    return summary


def check(doc: Document, checks: tuple[Check, ...]) -> list[Finding]:
    """The findings of one answer, placed in the file the answer came from."""
    _value, found = check_answer(doc.text, *checks)
    if doc.preset:
        lines = LineIndex(doc.text)
        found = [f.placed(lines) for f in doc.preset] + found
    if doc.origin is None:
        return found
    placed = []
    for finding in found:
        if finding.offset >= 0:
            line, column = doc.position(finding.offset)
            finding = replace(finding, line=line, column=column)
        placed.append(finding)
    return placed
