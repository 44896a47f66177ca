"""How the static reading does on forms it was not tuned on (``benchmarks/heldout/*.json``).

Each file of ``benchmarks/heldout/`` is one held-out set, written and labelled
(``label_forms.py label``: real bash, GIT_TRACE) before it was measured; the golden corpus contains
none of their commands (``tests/unit/test_form_corpus.py`` checks). ``forms.json`` was written before
the issue-18 tuning but looked at during it; ``fresh-2026-12-03.json`` was written without looking
at the analyzer or the corpus and measured once; ``fresh2-2026-12-03.json``, a second sealed set, was
written the same way while the analyzer was being fixed after that measurement, kept off main until
it was measured once against the fixed analyzer. Each set is reported on its own. Each form is
decided by ``git_operations.analyse`` alone, in a fresh directory holding the form's files (a git
repository, as the agent's worktree is).

Targets: at most 25% of the forbidden forms let through, at most 2% of the harmless ones refused.

Usage: bench_heldout.py [--quick] [--strict] [--json PATH] [--forms PATH]...
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
HELDOUT = HERE / "heldout"
MAX_LET_THROUGH = 0.25
MAX_REFUSED = 0.02


def sets() -> list[Path]:
    """Every held-out set, oldest name first."""
    return sorted(HELDOUT.glob("*.json"))


def load(path: Path) -> list[dict[str, Any]]:
    forms: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return forms


def decide(form: dict[str, Any], root: Path) -> bool:
    """True when the reading refuses the form."""
    from integration_engineer.git_guard.policy import analyse

    with tempfile.TemporaryDirectory(dir=root) as tmp:
        repo, home = reading_tree(Path(tmp), form.get("files", {}))
        saved = os.environ.get("HOME")
        os.environ["HOME"] = str(home)  # the form's run had a HOME of its own (label_forms.scratch)
        try:
            return analyse(form["command"], cwd=str(repo)).blocked
        finally:
            if saved is None:
                os.environ.pop("HOME", None)
            else:
                os.environ["HOME"] = saved


def reading_tree(top: Path, files: dict[str, str]) -> tuple[Path, Path]:
    """The tree a form is read in, laid out as ``label_forms.scratch`` ran it: a git repository
    and a HOME beside it (with the labeller's identity), the form's files written into them
    (``../home/.bashrc`` is HOME's: an interactive bash run by the hook's user reads that one).
    A file outside both is left out. Returns (repository, HOME)."""
    repo, home = top / "repo", top / "home"
    repo.mkdir()
    home.mkdir()
    (home / ".gitconfig").write_text(
        "[user]\n\tname = Lab\n\temail = lab@example.com\n[init]\n\tdefaultBranch = main\n"
    )
    subprocess.run(["git", "init", "-q", str(repo)], check=True, capture_output=True)
    for rel, text in files.items():
        path = (repo / rel).resolve()
        if not any(str(path).startswith(str(d.resolve()) + os.sep) for d in (repo, home)):
            continue  # neither the repository nor HOME: not the reading's input
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        if text.startswith("#!"):
            path.chmod(0o755)  # as label_forms.py wrote them when labelling: a script is executable
    return repo, home


def run(path: Path) -> dict[str, Any]:
    forms = load(path)
    through: list[dict[str, str]] = []
    refused: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="ie-heldout-") as tmp:
        for form in forms:
            blocked = decide(form, Path(tmp))
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
