"""What the plugin adds to a conversation's context, in bytes and estimated tokens: the agent
definition (in every guarded agent's context, for the whole run) and the rewrite notice (added to the
conversation each time a command gets exclusion flags).

Token estimate, named honestly: Claude's tokenizer is not available offline (the exact count comes from
the Anthropic API's token-counting endpoint, not used here). Two estimates bracket it: characters / 4
(the usual rule of thumb for English prose) and characters / 3 (denser, as markdown and code
tokenize), plus "pieces": words and punctuation marks counted separately (a BPE tokenizer rarely
makes fewer tokens than that). And Claude Code's own projection, when the pinned CLI is installed
(`make cli`): `claude plugin details` after installing this checkout into a throwaway HOME (its
always-on cost is the agent's description, paid in every session; on-invoke, the whole definition).
Usage: bench_context.py [--quick] (the same either way: nothing is timed).
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "scripts"))

from integration_engineer.tool_scope import exclusion_flags, exclusions  # noqa: E402

AGENT = ROOT / "agents" / "integration-engineer.md"
AGENT_BUDGET_BYTES = 20 * 1024
PIECE = re.compile(r"\w+|[^\w\s]")


def estimate(text: str) -> dict[str, int]:
    chars = len(text)
    return {
        "bytes": len(text.encode("utf-8")),
        "tokens_chars_4": round(chars / 4),
        "tokens_chars_3": round(chars / 3),
        "pieces": len(PIECE.findall(text)),
    }


def longest_notice() -> str:
    """The longest notice over every tool alone and every three-tool command."""
    tools = list(exclusion_flags.TOOLS)
    cases = [[t] for t in tools] + [list(c) for c in itertools.combinations(tools, 3)]
    return max((exclusions.notice(c) for c in cases), key=lambda s: len(s.encode()))


def rows() -> list[tuple[str, dict[str, int], int]]:
    return [
        ("agent definition", estimate(AGENT.read_text(encoding="utf-8")), AGENT_BUDGET_BYTES),
        ("rewrite notice (grep)", estimate(exclusions.notice(["grep"])), exclusions.NOTICE_MAX_BYTES),
        ("rewrite notice (longest)", estimate(longest_notice()), exclusions.NOTICE_MAX_BYTES),
    ]


def cli_path() -> Path | None:
    """The pinned CLI where `make cli` puts it, without installing anything."""
    script = (ROOT / "tests" / "e2e" / "install_cli.sh").read_text()
    version = re.search(r"^CLAUDE_CODE_VERSION=(\S+)", script, re.MULTILINE)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    if not version:
        return None
    found = sorted(
        (cache / "integration-engineer" / "claude-cli" / version.group(1)).glob(
            "node_modules/@anthropic-ai/claude-code-*/claude"
        )
    )
    return found[0] if found else None


def claude_projection() -> str:
    """``claude plugin details``' per-component rows for this checkout, or why they are missing."""
    cli = cli_path()
    if cli is None:
        return "claude plugin details: not run (no pinned CLI; `make cli`)"
    with tempfile.TemporaryDirectory(prefix="ie-context-") as home:
        env = {"HOME": home, "PATH": os.environ.get("PATH", ""), "DISABLE_AUTOUPDATER": "1"}
        env["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1"
        for args in (["marketplace", "add", str(ROOT)], ["install", "integration-engineer@integration-engineer"]):
            subprocess.run([str(cli), "plugin", *args], env=env, capture_output=True, timeout=120, check=False)
        shown = subprocess.run(
            [str(cli), "plugin", "details", "integration-engineer@integration-engineer"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        ).stdout
    wanted = [
        line.strip()
        for line in shown.splitlines()
        if re.match(r"\s+(Always-on|integration-engineer|start-task)\b", line)
    ]
    if not wanted:
        return "claude plugin details: no projection in its output"
    return "claude plugin details (Claude Code's own estimate): " + "; ".join(re.sub(r"\s+", " ", w) for w in wanted)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="context sizes of the agent definition and the rewrite notice")
    parser.add_argument("--quick", action="store_true", help="accepted for run.py; nothing is timed")
    parser.parse_args(argv)
    header = ("text", "bytes", "budget", "tokens (chars/4)", "tokens (chars/3)", "pieces")
    print(" | ".join(header))
    failed = False
    for name, e, budget in rows():
        print(f"{name} | {e['bytes']} | {budget} | {e['tokens_chars_4']} | {e['tokens_chars_3']} | {e['pieces']}")
        failed |= e["bytes"] > budget
    print("tokens: estimates (no offline Claude tokenizer); the Anthropic token-counting API gives exact counts")
    print(claude_projection())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
