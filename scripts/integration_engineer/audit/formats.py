"""Which reporter writes which ``--format``: the human and JSON ones, and the CI ones on demand."""

from __future__ import annotations

import os
from typing import TextIO

from integration_engineer.audit.engine import Reporter
from integration_engineer.audit.reporters import JsonReporter, TextReporter


def make(fmt: str, out: TextIO, color: bool) -> Reporter:
    if fmt == "text":
        return TextReporter(out, color)
    if fmt == "json":
        return JsonReporter(out)
    from integration_engineer.audit import report_ci  # only when asked for

    if fmt == "github":
        return report_ci.GithubReporter(out, os.environ.get("GITHUB_STEP_SUMMARY", ""))
    if fmt == "junit":
        return report_ci.JunitReporter(out)
    return report_ci.SarifReporter(out)
