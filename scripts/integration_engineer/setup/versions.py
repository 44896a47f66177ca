"""Which Claude Code versions the plugin supports, and how a hook learns the running one.

Found by running the core scenario (``tests/e2e/test_version_core.py``) on real CLIs: on 2.1.69,
2.1.75, 2.1.100, 2.1.200, 2.1.272 and 2.1.332 a subagent's tool calls carry ``agent_type``/``agent_id``
and the guards bind; 2.1.68, 2.1.67, 2.1.63, 2.1.50, 2.1.0 and 2.0.77 send neither, so the guards
cannot tell the subagent from the orchestrator and would be inert. Below ``OLDEST`` a guarded agent is not started and
doctor fails.

No payload field or environment variable names the version. The running one is read from the
process that started the hook (Linux ``/proc``): its executable (the native ``claude``) or the
``cli.js`` node runs sits beside the npm package's ``package.json``. Node-based versions (before
2.1.1xx) rename their process ``claude``, so for them only the transcript tells. Else from
the main transcript, where Claude Code writes ``"version":"X.Y.Z"`` into each line (observed,
2.0.77 to 2.1.332; 2.1.50 had not written it yet at the first Agent call of a ``-p`` run).
Standard library only (read on the Agent call).
"""

from __future__ import annotations

import os

OLDEST = "2.1.69"  # the first version the core scenario passes on (2.1.68 fails)
NEWEST_TESTED = "2.1.332"
UPDATE = "npm install -g @anthropic-ai/claude-code@latest (or `claude update`)"
_TAIL_BYTES = 256 * 1024
_KEY = '"version":"'


def parse(version: str) -> tuple[int, ...] | None:
    """``"2.1.100 (Claude Code)"`` -> (2, 1, 100); None when it is no version number."""
    head = version.strip().split(" ")[0] if version.strip() else ""
    parts = head.split(".")
    if len(parts) < 2 or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def supported(version: str) -> bool | None:
    """True/False for a known version, None when it cannot be read."""
    parsed = parse(version)
    oldest = parse(OLDEST)
    if parsed is None or oldest is None:
        return None
    return parsed >= oldest


def from_transcript(path: str) -> str:
    """The version in the last line of the transcript that names one; "" when none does."""
    if not path:
        return ""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - _TAIL_BYTES))
            tail = fh.read().decode("utf-8", "replace")
    except OSError:
        return ""
    at = tail.rfind(_KEY)
    if at < 0:
        return ""
    start = at + len(_KEY)
    end = tail.find('"', start)
    found = tail[start:end] if end > start else ""
    return found if parse(found) is not None else ""


def _parent(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
            stat = fh.read(4096)
        return int(stat[stat.rindex(")") + 2 :].split(" ")[1])
    except (OSError, ValueError, IndexError):
        return 0


def _package_version(directory: str) -> str:
    try:
        with open(os.path.join(directory, "package.json"), encoding="utf-8") as fh:
            text = fh.read(64 * 1024)
    except OSError:
        return ""
    if '"@anthropic-ai/claude-code' not in text:
        return ""
    at = text.find('"version"')
    start = text.find('"', text.find(":", at) + 1) + 1 if at >= 0 else 0
    end = text.find('"', start) if start > 0 else -1
    found = text[start:end] if end > start else ""
    return found if parse(found) is not None else ""


NODE_CLAUDE = "node"  # what ``from_process`` says for a node-based Claude Code (no version there)


def from_process(depth: int = 6) -> str:
    """The version of the Claude Code that started this hook; ``NODE_CLAUDE`` when it is a
    node-based one (its process renamed ``claude``: the version is not readable there); "" when
    no Claude Code is found among the ancestors."""
    pid = os.getppid()
    for _ in range(depth):
        if pid <= 1:
            return ""
        candidates, args = [], [""]
        try:
            exe = os.readlink(f"/proc/{pid}/exe")
            candidates.append(os.path.dirname(exe))
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                args = fh.read(64 * 1024).decode("utf-8", "replace").split("\0")
            candidates += [os.path.dirname(a) for a in args[1:3] if a.endswith("cli.js")]
        except OSError:
            exe = ""
        for directory in candidates:
            found = _package_version(directory)
            if found:
                return found
        if os.path.basename(exe).startswith("node") and args[0] == "claude":
            return NODE_CLAUDE
        pid = _parent(pid)
    return ""


def running(transcript_path: str, retries: int = 15) -> str:
    """The running version: from the process, else from the transcript; "" when unknown.

    A node-based Claude Code may not have written the transcript yet at the first Agent call
    (observed, 2.1.50 in ``-p``): for it, wait for it briefly (x 20 ms)."""
    found = from_process()
    if found and found != NODE_CLAUDE:
        return found
    waits = retries if found == NODE_CLAUDE else 0
    for attempt in range(waits + 1):
        version = from_transcript(transcript_path)
        if version or attempt == waits:
            return version
        import time

        time.sleep(0.02)
    return ""


def refusal(version: str) -> str:
    """Why a guarded agent is not started on this version; "" when it may be."""
    if supported(version) is not False:
        return ""
    return (
        f"integration-engineer: Claude Code {version} is too old for this plugin's guards: before "
        f"{OLDEST}, a subagent's tool calls do not say which agent makes them, so the guards could "
        f"not confine it. The integration-engineer is not started. Update Claude Code to {OLDEST} or "
        f"newer (tested up to {NEWEST_TESTED}): {UPDATE}."
    )


def doctor_line(version: str) -> tuple[str, str, str]:
    """(status, detail, hint) for doctor: fail below OLDEST, ok inside the tested range, warn above."""
    verdict = supported(version)
    if verdict is None:
        return "warn", f"Claude Code version {version!r} could not be read", "check `claude --version`"
    if not verdict:
        return "fail", f"Claude Code {version} is older than {OLDEST}: the guards cannot bind", UPDATE
    parsed, newest = parse(version), parse(NEWEST_TESTED)
    if parsed is not None and newest is not None and parsed > newest:
        return "warn", f"Claude Code {version} (supported {OLDEST} to {NEWEST_TESTED})", "run the e2e tests against it"
    return "ok", f"Claude Code {version} (supported {OLDEST} to {NEWEST_TESTED})", ""
