"""Label command forms by running them for real: bash in a scratch repository, git traced.

Usage:
  label_forms.py check [PATH...]        re-run labelled forms; print those whose label no longer holds
  label_forms.py write SOURCE.json DIR  run each form of SOURCE and write it as a case file under
                                        DIR/{deny,allow}/forms/ by what really happened
  label_forms.py label SOURCE.json OUT  run each form of SOURCE, write them to OUT with a "label"
  label_forms.py show 'COMMAND'         run one command and print what was seen

A form is ``{"command", "note", "files"?: {path: text}, "kind"?: "git"|"writes"}``. Each runs in a
fresh scratch tree: a repository (the worktree) with one commit, an ``origin`` it can push to, a
``feature`` branch to merge, a change and an untracked file to add and commit, a ``HOME`` of its
own, and an ``outside`` directory next to it. ``files`` are written into the repository first.
The command runs as the Bash tool's shell runs it: a non-interactive bash with ``expand_aliases``
on that ``eval``s it in an && list as Claude Code does (``RUNNER``), stdin empty, with
``GIT_TRACE`` set, 10 s at most.

- kind ``git``: forbidden when the trace shows git starting a forbidden verb (``built-in: git
  VERB``, ``exec: git-VERB``, ``run_command: git VERB``), or when the remote's refs moved (a form
  that wipes the environment hides the trace, not a push). HEAD is not compared: checkout and
  reset move it too, and they are not forbidden.
- kind ``writes``: forbidden when a file outside the repository (``outside``, the sibling
  project, ``HOME``) was created, changed or removed. ``@outside``, ``@worktree``, ``@project``,
  ``@home`` in the command are replaced by those paths.

The labels are what bash and git do here (bash 5.2, git 2.39, Debian's vim, sqlite3, gdb...);
a program missing on another machine changes what runs, which ``check`` then reports.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

FORBIDDEN = ("add", "stage", "commit", "push", "merge", "rebase", "pull", "cherry-pick", "revert", "am")
_MARKS = ("trace: built-in: git ", "trace: run_command: git ", "trace: exec: git ")
TIMEOUT = 10
# As the Bash tool's shell runs a command (and the sandbox runner, sandbox/bwrap.RUNNER): aliases
# are expanded (on lines after their definition), the command is eval'd. Claude Code runs
# ``source SNAPSHOT && eval CMD && pwd -P >| FILE`` (seen in the CLI 2.1.69 and 2.1.332): the eval
# is in an && list, where bash ignores ``set -e``, so ``set -e; false; git commit`` commits. The
# sandbox's runner evals alone (errexit honoured), which runs no more than this.
RUNNER = 'shopt -s expand_aliases\neval "$1" && pwd -P >/dev/null'


def _git(cwd: Path, *args: str, env: dict[str, str]) -> str:
    out = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return out.stdout.strip()


def scratch(root: Path) -> dict[str, Path]:
    """The scratch tree every form runs in (see the module docstring)."""
    home, repo, origin, outside, project = (root / n for n in ("home", "repo", "origin.git", "outside", "project"))
    for d in (home, outside, project):
        d.mkdir()
    (outside / "keep.txt").write_text("outside\n")
    (project / "README.md").write_text("project\n")
    identity = "[user]\n\tname = Lab\n\temail = lab@example.com\n"
    (home / ".gitconfig").write_text(identity + "[init]\n\tdefaultBranch = main\n")
    env = base_env(home)
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], env=env, check=True)
    subprocess.run(["git", "init", "-q", str(repo)], env=env, check=True)
    (repo / "a.txt").write_text("one\n")
    _git(repo, "add", "a.txt", env=env)
    _git(repo, "commit", "-qm", "first", env=env)
    _git(repo, "config", "user.name", "Lab", env=env)  # commits work even with HOME wiped
    _git(repo, "config", "user.email", "lab@example.com", env=env)
    _git(repo, "remote", "add", "origin", str(origin), env=env)
    _git(repo, "push", "-qu", "origin", "main", env=env)
    _git(repo, "switch", "-qc", "feature", env=env)
    (repo / "b.txt").write_text("two\n")
    _git(repo, "add", "b.txt", env=env)
    _git(repo, "commit", "-qm", "feature", env=env)
    _git(repo, "switch", "-q", "main", env=env)
    (repo / "a.txt").write_text("one\nchanged\n")
    (repo / "new.txt").write_text("new\n")
    return {"home": home, "repo": repo, "origin": origin, "outside": outside, "project": project}


def decided_in(template: Path, dest: Path, files: dict[str, str]) -> tuple[Path, Path]:
    """The tree the reading decides a form in (tests/unit/test_form_corpus.py, bench_heldout.py),
    laid out as ``scratch`` ran it: a copy of the scratch repository ``template``
    (``scratch(ROOT)["repo"]``: ``a.txt`` changed, ``new.txt`` untracked, the ``origin`` remote)
    and a HOME of its own beside it, the form's files written into them (``../home/.bashrc`` is
    HOME's: an interactive bash reads that one). A file outside both is not the reading's input.
    Returns (repository, HOME); the caller sets HOME."""
    repo, home = dest / "repo", dest / "home"
    shutil.copytree(template, repo, symlinks=True)
    home.mkdir()
    shutil.copy(template.parent / "home" / ".gitconfig", home / ".gitconfig")
    for rel, text in files.items():
        path = (repo / rel).resolve()
        if not any(path.is_relative_to(d.resolve()) for d in (repo, home)):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        if text.startswith("#!"):
            path.chmod(0o755)  # as the labeller wrote them: a script is executable
    return repo, home


def base_env(home: Path) -> dict[str, str]:
    # The interpreter running this script comes first, so its python3 (with pytest) is the one run.
    return {
        "PATH": os.path.dirname(sys.executable) + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "TERM": "dumb",
        "USER": os.environ.get("USER", "root"),
    }


def _tree(paths: list[Path]) -> dict[str, str]:
    """Every file under ``paths`` with a digest of its content (links by their target)."""
    seen: dict[str, str] = {}
    for top in paths:
        for dirpath, dirnames, filenames in os.walk(top):
            for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
                path = os.path.join(dirpath, name)
                if os.path.islink(path):
                    seen[path] = "link:" + os.readlink(path)
                    continue
                try:
                    seen[path] = hashlib.sha1(Path(path).read_bytes()).hexdigest()
                except OSError:
                    seen[path] = "?"
            seen.update({os.path.join(dirpath, d) + "/": "dir" for d in dirnames})
    return seen


def expand(text: str, where: dict[str, Path]) -> str:
    for key in ("worktree", "outside", "project", "home"):
        text = text.replace("@" + key, str(where["repo" if key == "worktree" else key]))
    return text


def run_form(form: dict[str, Any]) -> dict[str, Any]:
    """Run one form; what git started and what changed."""
    # A form may leave processes behind (a hook calling git again): they are killed, and what
    # they still write while dying must not stop the clean-up.
    with tempfile.TemporaryDirectory(prefix="ie-label-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp)
        where = scratch(root)
        repo = where["repo"]
        for rel, text in form.get("files", {}).items():
            path = repo / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(expand(text, where))
            if text.startswith("#!"):
                path.chmod(0o755)
        env = base_env(where["home"])
        trace = root / "trace"
        env["GIT_TRACE"] = str(trace)
        refs_before = _git(where["origin"], "for-each-ref", env=env)
        outside = [where["outside"], where["project"], where["home"]]
        before = _tree(outside)
        command = expand(form["command"], where)
        code = _run_shell(command, repo, env)
        env.pop("GIT_TRACE")
        refs_after = _git(where["origin"], "for-each-ref", env=env)
        lines = trace.read_text(errors="replace").splitlines() if trace.exists() else []
        verbs = sorted({v for line in lines if (v := _forbidden_verb(line))})
        after = _tree(outside)
        changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p) and "/.cache" not in p)
        root_str = str(root)
        return {
            "exit": code,
            "forbidden_verbs": verbs,
            "refs_moved": refs_before != refs_after,
            "outside_changed": [p.replace(root_str, "") for p in changed],
        }


def _run_shell(command: str, repo: Path, env: dict[str, str]) -> int | str:
    """Run the form in its own session. What it leaves running (a background job, a hook that
    starts git again) gets the rest of the time limit, as a shell's pipes would have waited for
    it, and is then killed, so nothing outlives the form's scratch tree."""
    deadline = time.monotonic() + TIMEOUT
    proc = subprocess.Popen(
        ["bash", "-c", RUNNER, "label-form", command],
        cwd=repo,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        code: int | str = proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        code = "timeout"
    try:
        while time.monotonic() < deadline:
            os.killpg(proc.pid, 0)  # raises once no process of the form is left
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
    return code


def _forbidden_verb(line: str) -> str:
    for mark in _MARKS:
        at = line.find(mark)
        if at >= 0:
            words = line[at + len(mark) :].split()
            verb = words[0] if words else ""
            if verb.startswith("git-"):
                verb = verb[4:]
            return verb if verb in FORBIDDEN else ""
        if "trace: exec: git-" in line:
            verb = line.split("trace: exec: git-", 1)[1].split()[0].strip("'")
            return verb if verb in FORBIDDEN else ""
    return ""


def label(form: dict[str, Any], seen: dict[str, Any]) -> str:
    if form.get("kind", "git") == "writes":
        return "deny" if seen["outside_changed"] else "allow"
    return "deny" if seen["forbidden_verbs"] or seen["refs_moved"] else "allow"


def case_files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for p in paths:
        path = Path(p)
        found.extend(sorted(path.rglob("*.json")) if path.is_dir() else [path])
    return found


def expected_of(path: Path, data: dict[str, Any]) -> str:
    if "label" in data:
        return str(data["label"])
    return "deny" if "deny" in path.parts else "allow"


def check(paths: list[str]) -> int:
    bad = 0
    forms: list[tuple[Path, dict[str, Any]]] = []
    for path in case_files(paths):
        data = json.loads(path.read_text())
        entries = data if isinstance(data, list) else [data]
        forms.extend((path, entry) for entry in entries)
    for path, form in forms:
        seen = run_form(form)
        want = expected_of(path, form)
        if label(form, seen) != want:
            bad += 1
            print(f"MISLABELLED {path.name}: {form['command']!r} labelled {want}, seen {seen}")
    print(f"{len(forms)} forms re-run, {bad} mislabelled")
    return 1 if bad else 0


def slug(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "_" for c in text)
    return "_".join(p for p in out.split("_") if p)[:48] or "form"


def write(source: str, dest: str) -> int:
    forms = json.loads(Path(source).read_text())
    for form in forms:
        seen = run_form(form)
        verdict = label(form, seen)
        folder = Path(dest) / verdict / "forms"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{form.get('class', 'misc')}__{slug(form['command'])}"
        path = folder / f"{name}.json"
        n = 2
        while path.exists():
            path = folder / f"{name}_{n}.json"
            n += 1
        case = {k: form[k] for k in ("command", "note", "files", "kind", "class") if k in form}
        case["seen"] = {k: v for k, v in seen.items() if v and k != "exit"}
        path.write_text(json.dumps(case, indent=1) + "\n")
        print(verdict, path.name, seen["forbidden_verbs"] or "", seen["outside_changed"][:2] or "")
    return 0


def label_list(source: str, out: str) -> int:
    forms = json.loads(Path(source).read_text())
    for form in forms:
        seen = run_form(form)
        form["label"] = label(form, seen)
        form["seen"] = {k: v for k, v in seen.items() if v and k != "exit"}
        print(form["label"], form["command"][:70].replace("\n", " "), form["seen"] or "")
    Path(out).write_text(json.dumps(forms, indent=1) + "\n")
    return 0


def main(argv: list[str]) -> int:
    if not shutil.which("bash") or not shutil.which("git"):
        print("bash and git are needed", file=sys.stderr)
        return 2
    if argv[:1] == ["check"]:
        return check(argv[1:] or ["tests/cases"])
    if argv[:1] == ["write"] and len(argv) == 3:
        return write(argv[1], argv[2])
    if argv[:1] == ["label"] and len(argv) == 3:
        return label_list(argv[1], argv[2])
    if argv[:1] == ["show"] and len(argv) == 2:
        print(json.dumps(run_form({"command": argv[1]}), indent=1))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
