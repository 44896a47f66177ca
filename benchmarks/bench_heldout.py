"""How the static reading does on forms it was not tuned on (``benchmarks/heldout/*.json``).

Each file of ``benchmarks/heldout/`` is one held-out set, written and labelled
(``label_forms.py label``: real bash, GIT_TRACE) before it was measured; the golden corpus contains
none of their commands (``tests/unit/test_form_corpus.py`` checks). ``forms.json`` was written before
the issue-18 tuning but looked at during it; ``fresh-2026-12-03.json`` was written without looking
at the analyzer or the corpus and measured once; ``fresh2-2026-12-03.json``, a second sealed set, was
written the same way while the analyzer was being fixed after that measurement, kept off main until
it was measured once against the fixed analyzer. Each set is reported on its own. Each form is
decided by ``git_operations.analyse`` alone, in a copy of the scratch repository the labeller ran
it in (``label_forms.decided_in``) holding the form's files.

Targets: at most 25% of the forbidden forms let through, at most 2% of the harmless ones refused.

Usage: bench_heldout.py [--quick] [--strict] [--json PATH] [--forms PATH]...
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import label_forms  # benchmarks/, the directory of this script

HERE = Path(__file__).resolve().parent
HELDOUT = HERE / "heldout"
MAX_LET_THROUGH = 0.25
MAX_REFUSED = 0.02


def sets() -> list[Path]:
    """Every held-out set, oldest name first."""
    return sorted(HELDOUT.glob("*.json"))


def load(path: Path) -> list[dict[str, Any]]:
    forms: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return forms


def decide(form: dict[str, Any], root: Path, template: Path) -> bool:
    """True when the reading refuses the form."""
    from integration_engineer.git_guard.policy import analyse

    with tempfile.TemporaryDirectory(dir=root) as tmp:
        repo, home = label_forms.decided_in(template, Path(tmp), form.get("files", {}))
        saved = os.environ.get("HOME")
        os.environ["HOME"] = str(home)  # the form's run had a HOME of its own (label_forms.scratch)
        try:
            return analyse(form["command"], cwd=str(repo)).blocked
        finally:
            if saved is None:
                os.environ.pop("HOME", None)
            else:
                os.environ["HOME"] = saved


def run(path: Path) -> dict[str, Any]:
    forms = load(path)
    through: list[dict[str, str]] = []
    refused: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="ie-heldout-") as tmp:
        (Path(tmp) / "scratch").mkdir()
        template = label_forms.scratch(Path(tmp) / "scratch")["repo"]
        for form in forms:
            blocked = decide(form, Path(tmp), template)
            # The note tells apart forms that share a command and differ in their files.
            miss = {"class": form.get("class", ""), "command": form["command"], "note": form.get("note", "")}
            if form["label"] == "deny" and not blocked:
                through.append(miss)
            elif form["label"] == "allow" and blocked:
                refused.append(miss)
    deny = sum(1 for f in forms if f["label"] == "deny")
    allow = len(forms) - deny
    return {
        "set": path.name,
        "forbidden": deny,
        "harmless": allow,
        "let_through": through,
        "refused": refused,
        "let_through_rate": len(through) / deny if deny else 0.0,
        "refused_rate": len(refused) / allow if allow else 0.0,
    }


def render(result: dict[str, Any]) -> str:
    lines = [
        f"held-out set {result['set']}: {result['forbidden']} forbidden, {result['harmless']} harmless",
        f"forbidden let through: {len(result['let_through'])}/{result['forbidden']} "
        f"= {result['let_through_rate']:.1%} (target <= {MAX_LET_THROUGH:.0%})",
        f"harmless refused:      {len(result['refused'])}/{result['harmless']} "
        f"= {result['refused_rate']:.1%} (target <= {MAX_REFUSED:.0%})",
    ]
    lines += [f"  let through: [{m['class']}] " + m["command"].replace("\n", "\\n") for m in result["let_through"]]
    lines += [f"  refused:     [{m['class']}] " + m["command"].replace("\n", "\\n") for m in result["refused"]]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="the git guard's reading on held-out forms")
    parser.add_argument("--quick", action="store_true", help="accepted for make bench; the set is small anyway")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--json", type=Path, help="also write the results here (a list, one per set)")
    parser.add_argument(
        "--forms", type=Path, action="append", help="measure this set only (repeatable); default: every set"
    )
    args = parser.parse_args(argv)
    paths: list[Path] = args.forms or sets()
    for path in paths:
        if not path.is_file():
            print(f"bench_heldout: no such held-out set: {path} (expected a JSON list of forms)", file=sys.stderr)
            return 2
    sys.path.insert(0, str(HERE.parent / "scripts"))
    os.environ.setdefault("GIT_CONFIG_NOSYSTEM", "1")
    results = [run(path) for path in paths]
    print("\n\n".join(render(result) for result in results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    missed = any(r["let_through_rate"] > MAX_LET_THROUGH or r["refused_rate"] > MAX_REFUSED for r in results)
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
