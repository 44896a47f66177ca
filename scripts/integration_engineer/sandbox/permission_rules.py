"""The user's Bash permission rules, judged against the command the agent asked for.

Claude Code matches its rules against the command *after* our rewrite (observed with CLI 2.1.332,
tests/e2e/test_cli_permission_facts.py): a sandboxed command starts with the engine, contains
command substitution and quoting, so no rule matches it. Without a decision every call would ask
(and be refused in ``-p``); with ``allow`` a deny or ask rule would be slipped past. So the
sandbox step reads the rules itself and judges the original command: deny > ask > allow.

It errs one way only. Deny and ask are found broadly (every file that may hold rules, every
piece of the command, wrappers and ``bash -c`` stripped); allow needs every piece of a plain
command to be allowed by a rule from a file Claude Code certainly reads. Stdlib only (hot path).
"""

from __future__ import annotations

import os
import sys

from integration_engineer.runtime import json_codec
from integration_engineer.runtime.record import record

# Programs that run the rest of their words as a command (deny/ask look through them).
WRAPPERS = frozenset(
    {"env", "command", "exec", "nohup", "nice", "time", "timeout", "stdbuf", "sudo", "xargs", "builtin"}
)
SHELLS = frozenset({"bash", "sh", "dash", "zsh", "ksh"})
# Redirections a plain command may carry and still be allowed.
HARMLESS_REDIRECTS = frozenset({"2>&1", ">/dev/null", "2>/dev/null", "&>/dev/null", "1>/dev/null"})
FLAG_NAMES = {
    "--allowedTools": "allow",
    "--allowed-tools": "allow",
    "--disallowedTools": "deny",
    "--disallowed-tools": "deny",
}


@record
class Rules:
    """Bash patterns per kind (``""`` = every command); ``unreadable`` names a settings file that
    exists but could not be read: its rules are unknown, so nothing is allowed."""

    deny: tuple[tuple[str, str], ...] = ()  # (pattern, where)
    ask: tuple[tuple[str, str], ...] = ()
    allow: tuple[tuple[str, str], ...] = ()
    unreadable: str = ""


@record
class Verdict:
    kind: str  # "deny", "ask", "allow" or "none" (no rule decides)
    rule: str = ""  # the rule as written, e.g. Bash(curl:*)
    where: str = ""  # the file (or flag) that holds it


def settings_files(project_dir: str, cwd: str) -> tuple[list[str], list[str]]:
    """(files Claude Code reads, further files that may hold rules: only their deny/ask count)."""
    home = os.environ.get("CLAUDE_CONFIG_DIR") or os.path.join(os.path.expanduser("~"), ".claude")
    managed = (
        "/Library/Application Support/ClaudeCode/managed-settings.json"
        if sys.platform == "darwin"
        else "/etc/claude-code/managed-settings.json"
    )
    certain = [managed, os.path.join(home, "settings.json")]
    if project_dir:
        certain += [os.path.join(project_dir, ".claude", n) for n in ("settings.json", "settings.local.json")]
    extra = [os.path.join(cwd, ".claude", n) for n in ("settings.json", "settings.local.json")] if cwd else []
    return certain, [p for p in extra if p not in certain]


def load(project_dir: str, cwd: str, argv: list[str] | None = None) -> Rules:
    certain, extra = settings_files(project_dir, cwd)
    found: dict[str, list[tuple[str, str]]] = {"deny": [], "ask": [], "allow": []}
    unreadable = ""
    flags = cli_flags(argv if argv is not None else claude_argv())
    for path in certain + extra + flags.pop("settings", []):
        perms, error = _permissions(path)
        if error:
            unreadable = unreadable or f"{path}: {error}"
            continue
        for kind in ("deny", "ask", "allow"):
            if kind == "allow" and path in extra:
                continue  # Claude Code may not read it: its allows are not the user's
            found[kind] += [(p, path) for p in _bash_patterns(perms.get(kind))]
    for kind in ("deny", "allow"):
        found[kind] += [(p, f"--{kind}edTools" if kind == "allow" else "--disallowedTools") for p in flags[kind]]
    return Rules(tuple(found["deny"]), tuple(found["ask"]), tuple(found["allow"]), unreadable)


def judge(rules: Rules, command: str) -> Verdict:
    """What the user's rules say about the command the agent asked for."""
    pieces = broad_pieces(command)
    for kind, table in (("deny", rules.deny), ("ask", rules.ask)):
        for pattern, where in table:
            if any(matches(pattern, piece, strict=False) for piece in pieces):
                return Verdict(kind, _written(pattern), where)
    if rules.unreadable:
        return Verdict("none", "", rules.unreadable)
    segments = plain_segments(command)
    if not segments:
        return Verdict("none")
    used: list[tuple[str, str]] = []
    for segment in segments:
        if _is_cd(segment):
            continue
        hit = next(((p, w) for p, w in rules.allow if matches(p, segment, strict=True)), None)
        if hit is None:
            return Verdict("none")
        used.append(hit)
    if not used:
        return Verdict("none")
    return Verdict("allow", ", ".join(_written(p) for p, _ in used), used[0][1])


def matches(pattern: str, command: str, *, strict: bool) -> bool:
    """Claude Code's Bash rule forms: ``""``/``*`` (all), ``prefix:*``, globs with ``*``, exact.
    ``strict`` (for allow) reads them narrowly, otherwise broadly."""
    command = command.strip()
    if pattern in ("", "*"):
        return True
    if pattern.endswith(":*"):
        prefix = pattern[:-2].rstrip()
        if strict:
            return command == prefix or command.startswith(prefix + " ")
        return command.startswith(prefix)
    if "*" in pattern:
        if not strict and pattern.endswith(" *") and command == pattern[:-2].rstrip():
            return True
        return _glob(pattern, command)
    return command == pattern


def _glob(pattern: str, text: str) -> bool:
    parts = pattern.split("*")
    if not text.startswith(parts[0]):
        return False
    pos = len(parts[0])
    for part in parts[1:-1]:
        found = text.find(part, pos)
        if found < 0:
            return False
        pos = found + len(part)
    last = parts[-1]
    return len(text) - pos >= len(last) and text.endswith(last)


def plain_segments(command: str) -> list[str]:
    """The simple commands of a plain command line (split on unquoted ``&& || ; | &``), or []
    when it holds anything an allow rule cannot vouch for: expansion, substitution, subshells,
    redirections into files, here-documents, newlines, an unclosed quote, an empty piece."""
    segments: list[str] = []
    current = ""
    quote = ""
    for i, c in enumerate(command):
        if quote:
            if quote == '"' and c in "`$\\":
                return []
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in "`$(){}\n\\":
            return []
        elif c in ";|" or (c == "&" and command[i - 1 : i] != ">" and command[i + 1 : i + 2] != ">"):
            segments.append(current)
            current = ""
            continue
        current += c
    if quote:
        return []
    segments.append(current)
    # "a && b" leaves an empty piece between the two "&"; a command of nothing is not allowed.
    joined = [p for p in (s.strip() for s in segments) if p]
    if not joined:
        return []
    out = []
    for piece in joined:
        words = piece.split()
        if any(("<" in w or ">" in w) and w not in HARMLESS_REDIRECTS for w in words):
            return []
        out.append(" ".join(w for w in words if w not in HARMLESS_REDIRECTS))
    return out


def broad_pieces(command: str) -> list[str]:
    """Every piece a deny or ask rule might be meant for: the whole line, each piece between
    operators (quoted or not), with leading assignments, wrappers and ``sh -c`` taken off."""
    text = command
    for sep in ("&&", "||", "$(", "<(", ">(", "`", ";", "|", "&", "(", ")", "{", "}", "\n"):
        text = text.replace(sep, "\0")
    pieces = [command.strip()]
    for raw in text.split("\0"):
        piece = raw.strip().strip("'\"").strip()
        if piece:
            pieces += _unwrapped(piece)
    return pieces


def _unwrapped(piece: str) -> list[str]:
    """The piece, and what it runs once assignments, wrappers and shells are taken off."""
    out = [piece]
    words = piece.split()
    while words:
        first = words[0].rsplit("/", 1)[-1]
        if (
            ("=" in words[0] and not words[0].startswith("="))
            or first in WRAPPERS
            or first.startswith("-")
            or first.isdigit()
        ):
            words = words[1:]
        elif first in SHELLS and len(words) > 2 and words[1].startswith("-") and "c" in words[1]:
            words = words[2:]
        else:
            break
        rest = " ".join(words).strip("'\"").strip()
        if rest:
            out.append(rest)
    return out


def _is_cd(segment: str) -> bool:
    words = segment.split()
    return bool(words) and words[0] == "cd" and len(words) <= 2


def _written(pattern: str) -> str:
    return f"Bash({pattern})" if pattern else "Bash"


def _bash_patterns(entries: object) -> list[str]:
    if not isinstance(entries, list):
        return []
    out = []
    for entry in entries:
        if not isinstance(entry, str):
            continue
        rule = entry.strip()
        if rule == "Bash":
            out.append("")
        elif rule.startswith("Bash(") and rule.endswith(")"):
            out.append(rule[5:-1].strip())
    return out


def _permissions(path: str) -> tuple[dict[str, object], str]:
    """The ``permissions`` object of a settings file ({} when absent), or the reason it is unknown."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        return {}, ""
    except OSError as exc:
        return {}, exc.strerror or "unreadable"
    if not text.strip():
        return {}, ""
    try:
        data = json_codec.loads(text)
    except ValueError:
        return {}, "not valid JSON"
    perms = data.get("permissions") if isinstance(data, dict) else None
    return (perms, "") if isinstance(perms, dict) else ({}, "")


def cli_flags(argv: list[str]) -> dict[str, list[str]]:
    """Rules given on the claude command line: ``--allowedTools``/``--disallowedTools`` (space or
    comma separated, several words) and ``--settings`` files (JSON text there is written to no file)."""
    out: dict[str, list[str]] = {"allow": [], "deny": [], "settings": []}
    current = ""
    for word in argv[1:]:
        name, _, value = word.partition("=")
        if word.startswith("-"):
            current = FLAG_NAMES.get(name, "settings" if name == "--settings" else "")
            if not value:
                continue
            word = value
        if current == "settings":
            if not word.lstrip().startswith("{"):
                out["settings"].append(word)
            current = ""
        elif current:
            out[current] += _bash_patterns([r for r in _split_rules(word)])
    return out


def _split_rules(word: str) -> list[str]:
    """``Bash(git diff:*),Edit Read`` -> its rules (commas and spaces outside parentheses)."""
    rules, depth, current = [], 0, ""
    for c in word:
        depth += c == "("
        depth -= c == ")"
        if depth == 0 and c in ", ":
            rules.append(current)
            current = ""
        else:
            current += c
    return [r for r in [*rules, current] if r]


def claude_argv() -> list[str]:
    """The command line of the Claude Code process that started this hook (Linux: /proc), so rules
    given as flags are seen too; [] elsewhere."""
    pid = os.getppid()
    for _ in range(8):
        if pid <= 1:
            return []
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                argv = [w.decode("utf-8", "replace") for w in fh.read().split(b"\0") if w]
            with open(f"/proc/{pid}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            return []
        if argv and "claude" in argv[0].rsplit("/", 1)[-1]:
            return argv
        pid = int(stat[stat.rfind(b")") + 2 :].split()[1])
    return []
