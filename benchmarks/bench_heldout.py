"""How the static reading does on forms it was not tuned on (``benchmarks/heldout/forms.json``).

The held-out forms were written and labelled (``label_forms.py label``: real bash, GIT_TRACE) before
the git guard was tuned for issue 18, and the golden corpus does not contain them
(``tests/unit/test_form_corpus.py`` checks). Each is decided by ``git_operations.analyse`` alone,
in a fresh directory holding the form's files (a git repository, as the agent's worktree is).

Targets: at most 25% of the forbidden forms let through, at most 2% of the harmless ones refused.

Usage: bench_heldout.py [--quick] [--strict] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FORMS = HERE / "heldout" / "forms.json"
MAX_LET_THROUGH = 0.25
MAX_REFUSED = 0.02


def load() -> list[dict[str, Any]]:
    forms: list[dict[str, Any]] = json.loads(FORMS.read_text(encoding="utf-8"))
    return forms


def decide(form: dict[str, Any], root: Path) -> bool:
    """True when the reading refuses the form."""
    from integration_engineer.git_guard.policy import analyse

    with tempfile.TemporaryDirectory(dir=root) as tmp:
        repo = Path(tmp) / "repo"
        repo.mkdir()
        subprocess.run(["git", "init", "-q", str(repo)], check=True, capture_output=True)
        for rel, text in form.get("files", {}).items():
            path = (repo / rel).resolve()
            if not str(path).startswith(str(repo)):
                continue  # a file outside the repository (HOME's .bashrc): not the reading's input
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return analyse(form["command"], cwd=str(repo)).blocked


def run() -> dict[str, Any]:
    forms = load()
    through: list[str] = []
    refused: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ie-heldout-") as tmp:
        for form in forms:
            blocked = decide(form, Path(tmp))
            if form["label"] == "deny" and not blocked:
                through.append(form["command"])
            elif form["label"] == "allow" and blocked:
                refused.append(form["command"])
    deny = sum(1 for f in forms if f["label"] == "deny")
    allow = len(forms) - deny
    return {
        "forbidden": deny,
        "harmless": allow,
        "let_through": through,
        "refused": refused,
        "let_through_rate": len(through) / deny if deny else 0.0,
        "refused_rate": len(refused) / allow if allow else 0.0,
    }


def render(result: dict[str, Any]) -> str:
    lines = [
        f"held-out forms: {result['forbidden']} forbidden, {result['harmless']} harmless",
        f"forbidden let through: {len(result['let_through'])}/{result['forbidden']} "
        f"= {result['let_through_rate']:.1%} (target <= {MAX_LET_THROUGH:.0%})",
        f"harmless refused:      {len(result['refused'])}/{result['harmless']} "
        f"= {result['refused_rate']:.1%} (target <= {MAX_REFUSED:.0%})",
    ]
    lines += ["  let through: " + c.replace("\n", "\\n") for c in result["let_through"]]
    lines += ["  refused:     " + c.replace("\n", "\\n") for c in result["refused"]]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="the git guard's reading on held-out forms")
    parser.add_argument("--quick", action="store_true", help="accepted for make bench; the set is small anyway")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parent / "scripts"))
    os.environ.setdefault("GIT_CONFIG_NOSYSTEM", "1")
    result = run()
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    missed = result["let_through_rate"] > MAX_LET_THROUGH or result["refused_rate"] > MAX_REFUSED
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
