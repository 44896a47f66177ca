"""The output formats of ``audit``: text, json, github, junit, sarif.

Text and github stream as they go; the others need totals first, so they keep the findings
(small records) and write at the end. Answers' texts are never kept.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import TextIO

from integration_engineer import __version__
from integration_engineer.answer.finding import Finding
from integration_engineer.audit.document import Document, Unreadable
from integration_engineer.audit.engine import Summary

FORMATS = ("text", "json", "github", "junit", "sarif")
TOOL = "integration-engineer"
INFO_URI = "https://github.com/integration-engineer/integration-engineer/blob/main/docs/ci.md"


@dataclass(frozen=True)
class Result:
    source: str
    name: str
    findings: tuple[Finding, ...]


@dataclass
class Collector:
    """Keeps what the end-of-run formats need."""

    out: TextIO
    results: list[Result] = field(default_factory=list)
    failures: list[Unreadable] = field(default_factory=list)

    def unreadable(self, item: Unreadable) -> None:
        self.failures.append(item)

    def document(self, doc: Document, findings: list[Finding]) -> None:
        self.results.append(Result(doc.source, doc.name, tuple(findings)))


def summary_line(summary: Summary) -> str:
    s = "" if summary.answers == 1 else "s"
    line = f"{summary.answers} answer{s} checked: "
    if summary.findings:
        line += f"{summary.findings} finding(s) in {summary.failed} answer(s)"
    else:
        line += "no findings"
    if summary.unreadable:
        line += f"; {summary.unreadable} input(s) could not be read"
    return line


class TextReporter:
    def __init__(self, out: TextIO, color: bool) -> None:
        self.out, self.color = out, color

    def _paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color else text

    def unreadable(self, item: Unreadable) -> None:
        self.out.write(f"{self._paint(item.source, '1')}: {self._paint('cannot check', '31;1')}: {item.reason}\n")

    def document(self, doc: Document, findings: list[Finding]) -> None:
        which = "" if doc.name == "answer" else f" ({doc.name})"
        for f in findings:
            where = f"{doc.source}:{f.line}:{f.column}" if f.line else doc.source
            self.out.write(
                f"{self._paint(where, '1')}: {self._paint(f.rule, '31')} {f.message} "
                f"{self._paint('at ' + f.path, '2')}{which}\n"
            )
            if f.hint:
                self.out.write(f"    {self._paint('hint:', '36')} {f.hint}\n")

    def finish(self, summary: Summary) -> None:
        code = "32" if summary.exit_code == 0 else "31;1"
        self.out.write(self._paint(summary_line(summary), code) + "\n")


class JsonReporter(Collector):
    def finish(self, summary: Summary) -> None:
        body = {
            "tool": TOOL,
            "version": __version__,
            "exit_code": summary.exit_code,
            "summary": asdict(summary),
            "answers": [
                {"file": r.source, "name": r.name, "findings": [_finding_json(f) for f in r.findings]}
                for r in self.results
            ],
            "unreadable": [{"file": u.source, "reason": u.reason} for u in self.failures],
        }
        json.dump(body, self.out, indent=2, ensure_ascii=False)
        self.out.write("\n")


def _finding_json(f: Finding) -> dict[str, object]:
    return {"rule": f.rule, "path": f.path, "line": f.line, "column": f.column, "message": f.message, "hint": f.hint}
