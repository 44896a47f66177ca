"""The formats CI systems read: GitHub annotations, JUnit XML, SARIF 2.1.0."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from integration_engineer import __version__
from integration_engineer.answer.finding import Finding
from integration_engineer.answer.rules import RULES
from integration_engineer.audit.document import Document, Unreadable
from integration_engineer.audit.engine import Summary
from integration_engineer.audit.reporters import INFO_URI, TOOL, Collector, Result, summary_line

ANNOTATION_LIMIT = 10  # GitHub shows only the first 10 error annotations of a step


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass
class GithubReporter:
    """At most 10 annotations, then a summary line; every finding in the job summary (markdown)."""

    out: TextIO
    step_summary: str
    shown: int = 0
    rows: list[tuple[str, int, int, str, str, str]] = field(default_factory=list)

    def _annotate(self, source: str, line: int, column: int, title: str, message: str) -> None:
        self.rows.append((source, line, column, title, message, ""))
        if self.shown >= ANNOTATION_LIMIT:
            return
        self.shown += 1
        props = [f"file={escape_property(source)}"]
        if line:
            props += [f"line={line}", f"col={column}"]
        props.append(f"title={escape_property(title)}")
        self.out.write(f"::error {','.join(props)}::{escape_data(message)}\n")

    def unreadable(self, item: Unreadable) -> None:
        self._annotate(item.source, 0, 0, f"{TOOL}: cannot check", item.reason)

    def document(self, doc: Document, findings: list[Finding]) -> None:
        for f in findings:
            hint = f"\nhint: {f.hint}" if f.hint else ""
            self._annotate(doc.source, f.line, f.column, f"{TOOL}: {f.rule}", f"{f.message} (at {f.path}){hint}")

    def finish(self, summary: Summary) -> None:
        line = f"{TOOL} audit: {summary_line(summary)}"
        if len(self.rows) > self.shown:
            line += f" (first {self.shown} of {len(self.rows)} shown as annotations"
            line += "; all in the job summary)" if self.step_summary else ")"
        self.out.write(line + "\n")
        if self.step_summary:
            with open(self.step_summary, "a", encoding="utf-8") as fh:
                fh.write(self._markdown(line))

    def _markdown(self, line: str) -> str:
        cell = _md_cell
        text = f"## {TOOL} audit\n\n{line}\n\n"
        if self.rows:
            text += "| file | line | column | rule | message |\n|---|---|---|---|---|\n"
            for source, ln, col, title, message, _ in self.rows:
                text += (
                    f"| {cell(source)} | {ln or ''} | {col or ''} | "
                    f"{cell(title.split(': ', 1)[-1])} | {cell(message)} |\n"
                )
        return text + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


class JunitReporter(Collector):
    """One testcase per answer (or unreadable input), at most one failure per testcase (the common
    JUnit schema allows one): it lists every finding of that answer."""

    def finish(self, summary: Summary) -> None:
        tests = len(self.results) + len(self.failures)
        counts = {"tests": str(tests), "failures": str(summary.failed), "errors": str(summary.unreadable)}
        self.out.write('<?xml version="1.0" encoding="utf-8"?>\n')
        self.out.write(_open_tag("testsuites", {"name": f"{TOOL} audit", **counts}) + "\n")
        self.out.write("  " + _open_tag("testsuite", {"name": f"{TOOL} audit", **counts}) + "\n")
        for result in self.results:
            self.out.write("    " + ET.tostring(_testcase(result), encoding="unicode") + "\n")
        for item in self.failures:
            case = ET.Element("testcase", {"classname": TOOL, "name": item.source, "file": item.source})
            ET.SubElement(case, "error", {"type": "unreadable", "message": item.reason})
            self.out.write("    " + ET.tostring(case, encoding="unicode") + "\n")
        self.out.write("  </testsuite>\n</testsuites>\n")


def _open_tag(name: str, attrs: dict[str, str]) -> str:
    return ET.tostring(ET.Element(name, attrs), encoding="unicode").replace(" />", ">")


def _testcase(result: Result) -> ET.Element:
    name = result.source if result.name == "answer" else f"{result.source}: {result.name}"
    case = ET.Element("testcase", {"classname": TOOL, "name": name, "file": result.source})
    if not result.findings:
        return case
    lines = []
    for f in result.findings:
        where = f"{result.source}:{f.line}:{f.column}" if f.line else result.source
        lines.append(f"{where}: [{f.rule}] {f.message} (at {f.path})" + (f"\n  hint: {f.hint}" if f.hint else ""))
    first = result.findings[0]
    count = len(result.findings)
    message = first.message if count == 1 else f"{count} findings; first: {first.message}"
    rules = ",".join(dict.fromkeys(f.rule for f in result.findings))
    ET.SubElement(case, "failure", {"type": rules, "message": message}).text = "\n".join(lines)
    return case


class SarifReporter(Collector):
    def finish(self, summary: Summary) -> None:
        import json

        index = {rule: i for i, rule in enumerate(RULES)}
        results = [_sarif_result(r.source, f, index) for r in self.results for f in r.findings]
        notes = [
            {"level": "error", "message": {"text": f"{u.source}: {u.reason}"}, "locations": [_location(u.source, None)]}
            for u in self.failures
        ]
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": TOOL,
                    "version": __version__,
                    "informationUri": INFO_URI,
                    "rules": [_sarif_rule(r, d) for r, d in RULES.items()],
                }
            },
            "columnKind": "unicodeCodePoints",
            "invocations": [
                {
                    "executionSuccessful": not self.failures,
                    "exitCode": summary.exit_code,
                    "toolExecutionNotifications": notes,
                }
            ],
            "results": results,
        }
        body = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
        json.dump(body, self.out, indent=2, ensure_ascii=False)
        self.out.write("\n")


def _sarif_rule(rule: str, description: str) -> dict[str, Any]:
    return {
        "id": rule,
        "name": "".join(p.title() for p in rule.split("-")),
        "shortDescription": {"text": description},
        "helpUri": f"{INFO_URI}#rules",
        "defaultConfiguration": {"level": "error"},
    }


def _sarif_result(source: str, f: Finding, index: dict[str, int]) -> dict[str, Any]:
    text = f"{f.message} (at {f.path})" + (f". Hint: {f.hint}" if f.hint else "")
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "level": "error",
        "message": {"text": text},
        "locations": [_location(source, f)],
    }
    if f.rule in index:
        result["ruleIndex"] = index[f.rule]
    return result


def _location(source: str, f: Finding | None) -> dict[str, Any]:
    uri = "stdin" if source == "<stdin>" else source
    if Path(source).is_absolute():
        uri = Path(source).as_uri()
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if f is not None and f.line:
        physical["region"] = {"startLine": f.line, "startColumn": f.column}
    location: dict[str, Any] = {"physicalLocation": physical}
    if f is not None:
        location["logicalLocations"] = [{"fullyQualifiedName": f.path, "kind": "member"}]
    return location
