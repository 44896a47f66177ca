"""What the git guard found in one command: each reason to refuse, and the whole analysis."""

from __future__ import annotations


class GitFinding:
    """One reason to refuse. kind: 'forbidden' (a forbidden verb runs), 'unresolved' (what runs
    cannot be known and git may be involved), 'unparsable' (the parser refused git-like text)."""

    __slots__ = ("detail", "kind", "route", "verb")

    def __init__(self, kind: str, verb: str | None, route: tuple[str, ...], detail: str) -> None:
        self.kind = kind
        self.verb = verb
        self.route = route
        self.detail = detail

    def describe(self) -> str:
        where = f", reached through {' -> '.join(self.route)}" if self.route else ""
        if self.kind == "forbidden":
            return f"git {self.verb}{where}"
        return f"{self.detail}{where}"

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "verb": self.verb, "route": list(self.route), "detail": self.detail}


class GitFindings:
    """The analysis of one command: ``findings`` (empty = allowed), ``fast`` when the cheap
    first look decided, ``notes`` on what was followed (for check-command)."""

    __slots__ = ("fast", "findings", "notes")

    def __init__(self, findings: list[GitFinding], fast: bool, notes: list[str]) -> None:
        self.findings = findings
        self.fast = fast
        self.notes = notes

    @property
    def blocked(self) -> bool:
        return bool(self.findings)
