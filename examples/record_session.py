"""Record ``examples/session-stripe-webhooks.jsonl`` (what ``make demo`` replays) from a real run.

Usage, from the repository root (needs the pinned Claude Code CLI, which the e2e installer gets)::

    .venv/bin/python examples/record_session.py            # rewrite the example session
    .venv/bin/python examples/record_session.py --out /tmp/session.jsonl --keep /tmp/rec

What it does:

1. builds the e2e sandbox of ``tests/e2e/harness.py`` (a throwaway ``HOME``, the scripted model
   server) around the demo's own project (``demo.build_project``: ``src/payments.py``, the
   worktree ``trees/PROJ-123-stripe``), so the recorded run and the replay see the same tree;
2. runs one ``claude -p`` session with this plugin (``--plugin-dir``) and ``IE_RECORD_PAYLOADS``
   set, so the dispatcher appends every payload Claude Code sends to ``payloads.jsonl``. Only the
   model is scripted (``ORCHESTRATOR`` and ``SUBAGENT`` below); the hooks, the tools, git and the
   files are real;
3. checks the run told the story (the payloads in the order of ``STORY``, each decision from the
   plugin's decision log as expected, the files and commits on disk);
4. writes the kept payloads, one ``{"note", "recorded", "payload"}`` line each after a header
   line naming the CLI version. Paths of this run become placeholders that the demo fills in:
   ``{data}`` (``CLAUDE_PLUGIN_DATA``), ``{transcripts}`` (the session's transcript directory),
   ``{project}``, ``{home}``, ``{tmp}`` (``TMPDIR``) and ``{plugin}`` (this checkout). Every
   other field stays exactly as Claude Code sent it. ``recorded`` is what the plugin decided in
   the real run (decision, policy, rewritten); the demo compares its own decision with it.

Dropped payloads: ``UserPromptSubmit`` and the orchestrator's ``Stop`` (both pass, they show
nothing). ``PreToolUse`` for Read/Glob/Grep never reaches the plugin (the matcher leaves them out).
The demo does not run Bash, so the test run's artifacts, which the recorded command really made,
are listed in the line's ``demo_creates`` for the replay to make.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make ``tests.e2e`` importable
    sys.path.insert(0, str(ROOT))

from integration_engineer.demo import SESSION, WORKTREE, build_project  # noqa: E402
from tests.e2e.harness import (  # noqa: E402
    AGENT_TYPE,
    ClaudeRun,
    Sandbox,
    decision_log_entries,
    install_cli,
    pinned_version,
)
from tests.e2e.model_server import ModelServer, ToolUse  # noqa: E402
from tests.e2e.steps import log_subjects  # noqa: E402

TASK = "TASK: PROJ-123, DESCRIPTION: Integrate Stripe payment webhooks with signature verification and retries"
PROMPT = f"{TASK}\nWORKTREE_PATH: ./{WORKTREE}"
HANDLER = (
    "import hmac\n\n\ndef verify(secret: bytes, payload: bytes, signature: str) -> bool:\n"
    "    expected = hmac.new(secret, payload, 'sha256').hexdigest()\n"
    "    return hmac.compare_digest(expected, signature)\n"
)
ARTIFACTS = (".pytest_cache/v/cache/nodeids", "src/__pycache__/stripe_webhooks.cpython-311.pyc", ".coverage")
# What a test run leaves behind (made by the command itself, so it exists whether or not pytest
# is installed where the CLI runs), then the whole suite.
PYTEST = (
    f"cd {WORKTREE} && mkdir -p .pytest_cache/v/cache src/__pycache__ && touch {' '.join(ARTIFACTS)}"
    " && python -m pytest -q || true"
)
COMMIT = f"cd {WORKTREE} && git add -A && git commit -m 'PROJ-123: Stripe webhooks'"
WORK = "Added a Stripe webhook receiver that verifies signatures over the raw body and rejects stale events"
GOOD = {
    "task_id": "PROJ-123",
    "worktree_path": f"./{WORKTREE}",
    "work_completed": WORK,
    "files_modified": ["src/stripe_webhooks.py"],
    "unfinished": [],
}
BAD = {**GOOD, "files_modified": ["src/stripe_webhooks.py", "src/payments.py"], "test_results": "12 passed"}
ORCH = None  # the orchestrator in STORY (no agent_type)
SUB = AGENT_TYPE


def agent_call(prompt: str) -> ToolUse:
    return ToolUse("Agent", {"description": "stripe webhooks", "prompt": prompt, "subagent_type": AGENT_TYPE})


def bash(command: str, description: str) -> ToolUse:
    return ToolUse("Bash", {"command": command, "description": description})


def scripts(project: Path) -> tuple[list[Any], list[Any]]:
    """What the model says, turn by turn: (orchestrator, subagent)."""
    worktree = project / WORKTREE
    orchestrator = [
        agent_call(TASK),
        agent_call(PROMPT),
        bash(COMMIT, "commit"),
        "The integration engineer finished; the work is committed.",
    ]
    subagent = [
        bash(f"git -C {WORKTREE} status --short", "status"),
        bash("rg -n 'def charge' .", "search"),
        ToolUse("Write", {"file_path": str(worktree / "src" / "stripe_webhooks.py"), "content": HANDLER}),
        ToolUse("Write", {"file_path": str(project / "src" / "payments.py"), "content": "# changed\n"}),
        ToolUse("Write", {"file_path": str(worktree / "INTEGRATION_REPORT.md"), "content": "# report\n"}),
        bash(f"cd {WORKTREE} && git add -A && git commit -m 'stripe webhooks'", "commit"),
        bash(f"bash -c 'g''it -C {WORKTREE} push origin HEAD'", "push"),
        bash(PYTEST, "tests"),
        json.dumps(BAD),
        "```json\n" + json.dumps(GOOD, indent=2) + "\n```",
    ]
    return orchestrator, subagent


# (event, tool, agent type, the plugin's decision in the real run, note shown by the demo)
STORY: list[tuple[str, str, str | None, str, str]] = [
    ("SessionStart", "", ORCH, "pass", "The session starts: the plugin checks its Python environment."),
    ("PreToolUse", "Agent", ORCH, "deny", "The orchestrator forgets the worktree."),
    ("PreToolUse", "Agent", ORCH, "rewrite", "The orchestrator retries with a worktree under ./trees/."),
    ("SubagentStart", "", SUB, "pass", "The subagent starts and receives its task and rules."),
    ("PreToolUse", "Bash", SUB, "pass", "A read-only git command is fine."),
    ("PreToolUse", "Bash", SUB, "rewrite", "A search from the project root gets the exclusions added."),
    ("PreToolUse", "Write", SUB, "pass", "A write inside the worktree lands."),
    ("PreToolUse", "Write", SUB, "deny", "A write to the main working tree is refused."),
    ("PreToolUse", "Write", SUB, "deny", "A report file is refused, even inside the worktree."),
    ("PreToolUse", "Bash", SUB, "deny", "The subagent tries to commit its work."),
    ("PreToolUse", "Bash", SUB, "deny", "... and to push through a nested shell."),
    ("PreToolUse", "Bash", SUB, "rewrite", "A whole-suite test run gets a reminder; the run leaves artifacts behind."),
    ("SubagentStop", "", SUB, "block", "The subagent answers with an extra key and a file it did not change."),
    ("SubagentStop", "", SUB, "pass", "The corrected answer is accepted; artifacts are cleaned."),
    ("PostToolUse", "Agent", ORCH, "pass", "The orchestrator is told the next quality gates."),
    ("PreToolUse", "Bash", ORCH, "pass", "The orchestrator itself may commit (after the gates)."),
]
DROPPED = ("UserPromptSubmit", "Stop")
CREATES_AT = 11  # index in STORY of the test run whose artifacts the demo makes


def record(root: Path, cli: Path) -> tuple[ClaudeRun, Sandbox]:
    with ModelServer(log_path=root / "model-requests.jsonl") as server:
        sandbox = Sandbox(root, cli, server)
        shutil.rmtree(sandbox.project)  # the demo's project instead of the harness's
        build_project(sandbox.project)
        orchestrator, subagent = scripts(sandbox.project)
        run = sandbox.run(
            "Integrate Stripe webhooks for PROJ-123.", orchestrator=orchestrator, subagent=subagent, timeout=180
        )
    return run, sandbox


def kind(entry: dict[str, Any]) -> str:
    """The decision as the story names it: a pass with a rewritten input is a rewrite."""
    decision = str(entry.get("decision", ""))
    return "rewrite" if decision == "pass" and entry.get("rewritten") else decision


def pair_with_decisions(
    payloads: list[dict[str, Any]], log: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each payload with the decision-log entry of the same hook call (in order per event, tool
    and agent: the dispatcher records the payload first and logs the decision last)."""
    queues: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for entry in log:
        key = (str(entry.get("event", "")), str(entry.get("tool", "")), str(entry.get("agent_id", "")))
        queues.setdefault(key, []).append(entry)
    paired = []
    for payload in payloads:
        key = (
            str(payload.get("hook_event_name", "")),
            str(payload.get("tool_name", "")),
            str(payload.get("agent_id", "")),
        )
        queue = queues.get(key)
        if not queue:
            raise SystemExit(f"no decision-log entry for {key}")
        paired.append((payload, queue.pop(0)))
    return paired


def check(run: ClaudeRun, sandbox: Sandbox) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The kept (payload, decision) pairs, after checking the run told the story."""
    problems = []
    if run.exit_code != 0 or run.server.errors:
        problems.append(f"the CLI exited {run.exit_code}, server errors {run.server.errors}")
    kept = [p for p in run.payloads if p.get("hook_event_name") not in DROPPED]
    paired = pair_with_decisions(kept, decision_log_entries(sandbox.plugin_data))
    seen = [(p.get("hook_event_name"), p.get("tool_name", ""), p.get("agent_type"), kind(e)) for p, e in paired]
    wanted = [story[:4] for story in STORY]
    if seen != wanted:
        problems.append(
            "the payloads and decisions differ from the story:\n"
            + "\n".join(f"  {'  ' if a == b else '!!'} got {a}, wanted {b}" for a, b in zip(seen, wanted, strict=False))
            + f"\n  (got {len(seen)}, wanted {len(wanted)})"
        )
    worktree = sandbox.project / WORKTREE
    if (worktree / "src" / "stripe_webhooks.py").read_text() != HANDLER:
        problems.append("the write inside the worktree did not land")
    if (sandbox.project / "src" / "payments.py").read_text().startswith("# changed") or (
        worktree / "INTEGRATION_REPORT.md"
    ).exists():
        problems.append("a refused write landed")
    if any((worktree / a).exists() for a in ARTIFACTS):
        problems.append("the test run's artifacts were not cleaned")
    if log_subjects(worktree)[0] != "PROJ-123: Stripe webhooks":
        problems.append(f"the orchestrator's commit did not land: {log_subjects(worktree)}")
    if problems:
        raise SystemExit("the recorded run did not tell the story:\n" + "\n".join(problems) + "\n\n" + run.describe())
    return paired


def placeholders(sandbox: Sandbox, payloads: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """(path, placeholder), longest path first, so a path inside another is replaced first."""
    transcripts = os.path.dirname(str(payloads[0]["transcript_path"]))
    pairs = [
        (str(sandbox.plugin_data), "{data}"),
        (transcripts, "{transcripts}"),
        (str(sandbox.project), "{project}"),
        (os.path.realpath(sandbox.project), "{project}"),
        (str(sandbox.home), "{home}"),
        (str(sandbox.tmp), "{tmp}"),
        (str(ROOT), "{plugin}"),
    ]
    return sorted(set(pairs), key=lambda pair: -len(pair[0]))


def normalise(payload: dict[str, Any], paths: list[tuple[str, str]], sandbox: Sandbox) -> dict[str, Any]:
    text = json.dumps(payload, ensure_ascii=False)
    for path, placeholder in paths:
        text = text.replace(json.dumps(path)[1:-1], placeholder)
    if str(sandbox.root) in text or os.path.realpath(sandbox.root) in text:
        raise SystemExit(f"a path of the run is left in {text[:300]}")
    value: dict[str, Any] = json.loads(text)
    return value


def lines(paired: list[tuple[dict[str, Any], dict[str, Any]]], sandbox: Sandbox) -> list[str]:
    paths = placeholders(sandbox, [p for p, _ in paired])
    header = {
        "recorded_with": f"claude-code {pinned_version()}",
        "recorded_by": "examples/record_session.py",
        "dropped": [f"{event} (passes, shows nothing)" for event in DROPPED],
    }
    out = [json.dumps(header)]
    for number, ((payload, entry), story) in enumerate(zip(paired, STORY, strict=True)):
        line: dict[str, Any] = {
            "note": story[4],
            "recorded": {
                "decision": entry.get("decision"),
                "policy": entry.get("policy", ""),
                "rewritten": bool(entry.get("rewritten")),
            },
        }
        if number == CREATES_AT:
            line["demo_creates"] = [f"{WORKTREE}/{artifact}" for artifact in ARTIFACTS]
        line["payload"] = normalise(payload, paths, sandbox)
        out.append(json.dumps(line, ensure_ascii=False))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=SESSION, help="where to write the session (default: %(default)s)")
    parser.add_argument("--keep", type=Path, help="run in this directory and keep it (payloads, transcripts)")
    args = parser.parse_args(argv)
    cli = install_cli()
    with tempfile.TemporaryDirectory(prefix="ie-record-") as tmp:
        root = args.keep.resolve() if args.keep else Path(tmp)
        if args.keep:
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir(parents=True)
        run, sandbox = record(root, cli)
        paired = check(run, sandbox)
        args.out.write_text("\n".join(lines(paired, sandbox)) + "\n", encoding="utf-8")
    print(f"recorded {len(paired)} payloads of {len(run.payloads)} with {cli} in {run.seconds:.1f}s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
