"""The kernel layer with the real engine: commands the static reading lets through are rewritten by
the real PreToolUse hook, the rewritten command is run as the Bash tool runs it, and the test checks
effects (every ref of the repository and of its bare remote, the index, files outside the worktree),
not decisions. Legitimate work still works inside."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import GUARDED, agent_call, git, make_repo, run_hook, write_agent_meta


def _bwrap_works() -> bool:
    try:
        return subprocess.run(["bwrap", "--ro-bind", "/", "/", "true"], capture_output=True).returncode == 0
    except FileNotFoundError:
        return False


# Not a skip: the sandbox tests need the engine; `make test` installs it or fails (Makefile).
assert _bwrap_works(), "bubblewrap (bwrap) must be installed and able to start: apt-get install bubblewrap"


class Scratch:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.remote = tmp / "remote.git"
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(self.remote)], check=True)
        self.project = make_repo(tmp / "p", ("PROJ-1-x",), {"README.md": "project\n", ".gitignore": "trees/\n"})
        git(self.project, "remote", "add", "origin", str(self.remote))
        git(self.project, "push", "-q", "origin", "main", "PROJ-1-x")
        self.worktree = self.project / "trees" / "PROJ-1-x"
        (self.worktree / "a.txt").write_text("a\n")
        git(self.worktree, "add", "a.txt")
        git(self.worktree, "commit", "-q", "-m", "second")
        self.env = {
            **os.environ,
            "IE_DATA_DIR": str(tmp / "data"),
            "CLAUDE_PROJECT_DIR": str(self.project),
            "HOME": str(tmp / "home"),
            "IE_NO_LOG": "1",
        }
        (tmp / "home" / ".ssh").mkdir(parents=True)
        (tmp / "home" / ".ssh" / "id_ed25519").write_text("secret key\n")
        (tmp / "home" / ".git-credentials").write_text("https://u:tok@example.com\n")
        self.common = {"session_id": "s", "cwd": str(self.project), "transcript_path": str(tmp / "s.jsonl")}
        assert "updatedInput" in run_hook("PreToolUse", agent_call(self.common), tool="Agent", env=self.env).stdout
        write_agent_meta(self.common)
        start = {**self.common, "cwd": str(self.worktree), "agent_id": "a1", "agent_type": GUARDED}
        run_hook("SubagentStart", {**start, "hook_event_name": "SubagentStart"}, env=self.env)

    def hook(self, command: str, cwd: Path | None = None) -> dict[str, Any]:
        payload = {
            **self.common,
            "cwd": str(cwd or self.worktree),
            "agent_id": "a1",
            "agent_type": GUARDED,
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_use_id": "tb",
            "tool_input": {"command": command},
        }
        run = run_hook("PreToolUse", payload, tool="Bash", env=self.env)
        assert run.exit_code == 0, run.stderr
        out: dict[str, Any] = json.loads(run.stdout).get("hookSpecificOutput", {})
        return out

    def run(self, command: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str] | None:
        """Run ``command`` as the Bash tool would after the hook: None when the hook refused it."""
        answer = self.hook(command, cwd)
        if answer.get("permissionDecision") == "deny":
            return None
        rewritten = answer["updatedInput"]["command"]
        assert "bwrap" in rewritten, rewritten
        return subprocess.run(
            ["bash", "-c", rewritten], cwd=cwd or self.worktree, capture_output=True, text=True, env=self.env
        )

    def state(self) -> dict[str, str]:
        outside = {
            str(p.relative_to(self.tmp)): p.read_bytes().hex()
            for p in sorted(self.tmp.rglob("*"))
            if p.is_file()
            and self.worktree not in p.parents
            and (self.tmp / "data") not in p.parents
            and "objects" not in p.parts
        }
        return {
            "refs": git(self.project, "for-each-ref", "--format=%(refname) %(objectname)"),
            "remote": git(self.remote, "for-each-ref", "--format=%(refname) %(objectname)"),
            "head": git(self.worktree, "rev-parse", "HEAD"),
            "index": git(self.worktree, "ls-files", "-s"),
            "stash": git(self.project, "stash", "list"),
            "worktrees": git(self.project, "worktree", "list", "--porcelain"),
            "outside": json.dumps(outside),
        }


@pytest.fixture
def scratch() -> Iterator[Scratch]:
    # Not under /tmp: inside the sandbox /tmp is the task's own directory, which would hide the
    # scratch repository's surroundings and make writes "outside" land there instead.
    base = Path("/var/tmp") / "ie-sandbox-tests"
    base.mkdir(exist_ok=True)
    root = Path(tempfile.mkdtemp(dir=base))
    try:
        yield Scratch(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


# Forms that a static reading may let through; each would change a ref, the index or a file outside.
BLOCK = [
    "git reset --hard HEAD~1",
    "git branch -D main",
    "git tag v1",
    "git stash",
    "git update-ref -d refs/heads/main",
    "echo b > b.txt && python3 -c \"import subprocess; subprocess.run(['git','add','b.txt']); "
    "subprocess.run(['git','commit','-qm','x'])\"",
    'printf \'import subprocess\\nsubprocess.run(["git","commit","-qam","x"])\\n\' > c.py'
    " && echo z >> a.txt && python3 c.py",
    "python3 -c \"open('../../x','w').write('x')\"",
    "python3 -c \"open('../../README.md','w').write('owned')\"",
    'perl -e \'open(F, ">", "../../y"); print F 1\'',
    "sort -o ../../z a.txt",
    "python3 -c \"import subprocess; subprocess.run(['git','push','-q','origin','HEAD:main','--force'])\"",
    "python3 -c \"import subprocess; subprocess.run(['git','config','core.hooksPath','/tmp'])\"",
    "python3 -c \"open('.git','w').write('gitdir: /tmp')\"",
]


@pytest.mark.parametrize("command", BLOCK)
def test_forbidden_effect_does_not_happen(scratch: Scratch, command: str) -> None:
    before = scratch.state()
    scratch.run(command)
    assert scratch.state() == before


@pytest.mark.parametrize(
    "command", ["git reset --hard HEAD~1", "python3 -c \"open('../../x','w').write('x')\"", "git tag v1"]
)
def test_the_kernel_layer_itself_stops_what_the_reading_let_through(scratch: Scratch, command: str) -> None:
    # These pass the static reading: the sandbox is what stops them, with a read-only error.
    proc = scratch.run(command)
    assert proc is not None, "refused by the static reading: pick a form it lets through"
    assert proc.returncode != 0 and "Read-only file system" in proc.stderr, proc.stderr


def test_the_host_is_not_reached_through_proc_of_a_process_outside(scratch: Scratch) -> None:
    """/proc/PID/root of a process outside the sandbox is the host's root, writable where the host's
    is: a root command without a user namespace wrote there (observed before --unshare-user)."""
    target = scratch.tmp / "outside" / "via-proc.txt"
    target.parent.mkdir()
    outside = subprocess.Popen(["sleep", "60"])
    try:
        write = f"python3 -c \"open('/proc/{outside.pid}/root{target}', 'w').write('escaped\\n')\""
        proc = scratch.run(write)
        assert proc is not None and proc.returncode != 0, proc and proc.stdout
        assert not target.exists()
        control = subprocess.run(["bash", "-c", write], capture_output=True, text=True)
        assert control.returncode == 0 and target.read_text() == "escaped\n", control.stderr  # the path is right
    finally:
        outside.kill()
        outside.wait()


def test_credentials_are_hidden_and_secret_env_removed(scratch: Scratch) -> None:
    home = scratch.tmp / "home"
    scratch.env["GH_TOKEN"] = "ghp_secret"
    scratch.env["SSH_AUTH_SOCK"] = "/tmp/agent.sock"
    proc = scratch.run(
        f"cat {home}/.ssh/id_ed25519 {home}/.git-credentials; echo gh=${{GH_TOKEN:-none}} ssh=${{SSH_AUTH_SOCK:-none}}"
    )
    assert proc is not None
    assert "secret key" not in proc.stdout and "tok@" not in proc.stdout
    assert "gh=none ssh=none" in proc.stdout


def test_legitimate_work_keeps_working(scratch: Scratch) -> None:
    wt = scratch.worktree
    (wt / "sub").mkdir()
    for command, expect in [
        ("git status --short && git log --oneline -1 && git diff HEAD~1 --stat", "second"),
        ("echo hi > new.txt && cat new.txt", "hi"),
        ("cd sub && echo in > f.txt && pwd", str(wt / "sub")),
        # The static guard refuses a redirection to /tmp; a program's own write goes to the task's /tmp.
        ("python3 -c \"open('/tmp/t','w').write('t\\n')\" && cat /tmp/t", "t"),
        ("git show --stat HEAD | tail -2 && git blame a.txt", "a.txt"),
        ("printf 'all:\\n\\techo built > out.txt\\n' > Makefile && make -s && cat out.txt", "built"),
    ]:
        proc = scratch.run(command)
        assert proc is not None and proc.returncode == 0, (command, proc and proc.stderr)
        assert expect in proc.stdout, (command, proc.stdout)
    assert (wt / "sub" / "f.txt").read_text() == "in\n"
    # The task's /tmp is kept between commands and is not the host's /tmp.
    proc = scratch.run("cat /tmp/t")
    assert proc is not None and proc.stdout == "t\n"
    assert not Path("/tmp/t").exists() or Path("/tmp/t").read_text() != "t\n"


def test_pytest_tmp_path_inside(scratch: Scratch) -> None:  # tmp_path lives in the task's /tmp
    wt = scratch.worktree
    (wt / "test_x.py").write_text(
        "def test_t(tmp_path):\n    (tmp_path / 'f').write_text('x')\n    assert (tmp_path / 'f').read_text() == 'x'\n"
    )
    proc = scratch.run("python3 -m pytest -q -p no:cacheprovider test_x.py")
    assert proc is not None
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 passed" in proc.stdout


def test_venv_and_editable_install_inside(scratch: Scratch) -> None:
    wt = scratch.worktree
    (wt / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "0.1"\n[tool.setuptools]\npy-modules = ["demo"]\n'
    )
    (wt / "demo.py").write_text("X = 1\n")
    proc = scratch.run(
        "python3 -m venv .venv && .venv/bin/pip install -q --no-build-isolation -e . 2>&1;"
        " .venv/bin/python -c 'import demo; print(demo.X)'"
    )
    assert proc is not None
    assert proc.stdout.strip().endswith("1"), proc.stdout + proc.stderr


def _post(scratch: Scratch, event: str, rewritten: str, **tool_input: object) -> None:
    payload = {
        **scratch.common,
        "cwd": str(scratch.worktree),
        "agent_id": "a1",
        "agent_type": GUARDED,
        "hook_event_name": event,
        "tool_name": "Bash",
        "tool_use_id": "tb",
        "tool_input": {"command": rewritten, **tool_input},
        "tool_response": {"stdout": "", "stderr": "", "interrupted": False},
        "error": "Exit code 3",
    }
    run = run_hook(event, payload, tool="Bash", env=scratch.env)
    assert run.exit_code == 0, run.stderr


def test_the_shells_definitions_reach_the_command_and_go_after_it(scratch: Scratch) -> None:
    """The runner leaves the definitions file (removing it inside costs a process per command):
    PostToolUse and PostToolUseFailure remove it, not while a background command may still read it."""
    rewritten = scratch.hook("greet world")["updatedInput"]["command"]
    defs = Path(rewritten.split("declare -f > ", 1)[1].split(";", 1)[0])
    outer = 'greet() { echo hello "$@"; }\n' + rewritten
    for event, background in (("PostToolUse", True), ("PostToolUse", False), ("PostToolUseFailure", False)):
        proc = subprocess.run(
            ["bash", "-c", outer], cwd=scratch.worktree, capture_output=True, text=True, env=scratch.env
        )
        assert proc.stdout == "hello world\n", proc.stderr
        assert "greet ()" in defs.read_text()
        _post(scratch, event, rewritten, **({"run_in_background": True} if background else {}))
        assert defs.exists() is background, (event, background)
    defs.unlink(missing_ok=True)
    defs.parent.joinpath("elsewhere").write_text("keep\n")
    defs.symlink_to(defs.parent / "elsewhere")
    _post(scratch, "PostToolUse", rewritten)
    assert not defs.is_symlink() and defs.parent.joinpath("elsewhere").read_text() == "keep\n"


def test_project_under_tmp_stays_visible_and_read_only_and_the_agent_is_told_why(tmp_path: Path) -> None:
    box = Scratch(tmp_path)  # under /tmp: the task's /tmp must not hide or expose the project
    before = box.state()
    command = "ls ../../README.md && python3 -c \"open('../../x','w').write('x')\""
    proc = box.run(command)
    assert proc is not None and "README.md" in proc.stdout
    assert proc.returncode != 0 and "Read-only file system" in proc.stderr
    assert box.state() == before
    rewritten = box.hook(command)["updatedInput"]["command"]
    post = {
        **box.common,
        "cwd": str(box.worktree),
        "agent_id": "a1",
        "agent_type": GUARDED,
        "hook_event_name": "PostToolUse",
        "tool_name": "Bash",
        "tool_use_id": "tb",
        "tool_input": {"command": rewritten},
        "tool_response": {"stdout": proc.stdout, "stderr": proc.stderr, "interrupted": False},
    }
    run = run_hook("PostToolUse", post, tool="Bash", env=box.env)
    context = json.loads(run.stdout)["hookSpecificOutput"]["additionalContext"]
    assert "../../x" in context and "Outside your worktree" in context and "JSON answer" in context
    reset = box.run("git reset --hard HEAD~1")
    assert reset is not None
    post["tool_response"] = {"stdout": reset.stdout, "stderr": reset.stderr}
    post["tool_input"] = {"command": box.hook("git reset --hard HEAD~1")["updatedInput"]["command"]}
    context = json.loads(run_hook("PostToolUse", post, tool="Bash", env=box.env).stdout)
    assert "git directory" in context["hookSpecificOutput"]["additionalContext"]
