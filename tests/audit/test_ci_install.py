"""Every CI snippet in the docs installs from a source checked here, as written: the composite action's
steps (action.yml) run as a runner runs them, the GitLab snippet's pip line, and pre-commit's hook via
``pre-commit try-repo``. The source is a clone of this checkout tagged with plugin.json's version, the
tag the snippets name (the real repository's URL cannot be reached from the tests).

The action's install step runs on an externally managed Python (PEP 668: EXTERNALLY-MANAGED in its
stdlib directory, as Debian's and Ubuntu runners' system Python have): no container is needed, this
machine's /usr/bin/python3 is one (CI's fresh Debian too). And on a plain Python, as after
actions/setup-python."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.e2e.harness import copy_checkout

ROOT = Path(__file__).resolve().parents[2]
VERSION = json.loads((ROOT / ".claude-plugin" / "plugin.json").read_text())["version"]
TAG = f"v{VERSION}"
URL = "https://github.com/integration-engineer/integration-engineer"
DOCS = {name: (ROOT / name).read_text() for name in ("docs/ci.md", "README.md")}
GOOD = {
    "task_id": "PROJ-1",
    "worktree_path": "./trees/PROJ-1",
    "work_completed": "Webhooks",
    "files_modified": ["src/a.py"],
    "unfinished": [],
}
GIT = ["git", "-c", "user.name=ci", "-c", "user.email=ci@example.invalid", "-c", "commit.gpgsign=false"]


def yaml_blocks() -> list[str]:
    return [b for text in DOCS.values() for b in re.findall(r"```ya?ml\n(.*?)```", text, re.DOTALL)]


def test_every_snippet_names_the_version_plugin_json_has() -> None:
    refs = [
        r
        for b in yaml_blocks()
        for r in re.findall(r'integration-engineer/integration-engineer(?:@|\s+rev: )([^\s"]+)', b)
    ]
    refs += [r for b in yaml_blocks() for r in re.findall(r"\brev: (\S+)", b)]
    assert refs and set(refs) == {TAG}, refs
    installs = [line for b in yaml_blocks() for line in b.splitlines() if "pip install" in line]
    assert installs and all(f"@{TAG}" in line for line in installs), installs


@pytest.fixture(scope="module")
def tagged_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's files committed and tagged as the release the docs name."""
    repo = copy_checkout(ROOT, tmp_path_factory.mktemp("release") / "integration-engineer")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "release"], ["tag", TAG]):
        subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True)
    return repo


def externally_managed(python: str) -> bool:
    code = (
        "import sysconfig, os, sys; "
        "sys.exit(not os.path.exists(os.path.join(sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED')))"
    )
    return subprocess.run([python, "-I", "-c", code], capture_output=True).returncode == 0


def find_externally_managed() -> str:
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3", "/usr/bin/python3.12", "/usr/bin/python3.11"):
        if os.path.exists(candidate) and externally_managed(candidate):
            return candidate
    pytest.fail(
        "no externally managed Python found (Debian/Ubuntu's /usr/bin/python3 is one: "
        "apt-get install python3 python3-venv)"
    )


def plain_python() -> str:
    """A Python pip installs into, as actions/setup-python's is: the one under the test venv (pyenv's
    here), or the test venv's own when that one is externally managed (a fresh Debian CI machine)."""
    base = os.path.join(sys.base_prefix, "bin", "python3")
    chosen = base if not externally_managed(base) else sys.executable
    assert not externally_managed(chosen) or sys.prefix != sys.base_prefix, chosen
    return chosen


def workspace(tmp_path: Path, answer: object) -> Path:
    work = tmp_path / "work"
    (work / "agent-output").mkdir(parents=True)
    (work / "agent-output" / "PROJ-1.json").write_text(json.dumps(answer))
    (work / "package.json").write_text('{"name": "app", "scripts": {"test": "jest"}}\n')
    return work


class Runner:
    """The part of a GitHub runner a composite action sees: inputs, step outputs, GITHUB_PATH/OUTPUT."""

    def __init__(self, tmp_path: Path, action: Path, python: str) -> None:
        self.tmp, self.action = tmp_path, action
        self.bin = tmp_path / "runner-bin"
        self.bin.mkdir()
        (self.bin / "python3").symlink_to(python)  # the runner's python3 on PATH
        self.outputs: dict[str, dict[str, str]] = {}

    EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")

    def value(self, expr: str, inputs: dict[str, str], defaults: dict[str, str]) -> str:
        if expr == "github.action_path":
            return str(self.action)
        if expr.startswith("inputs."):
            name = expr.split(".", 1)[1]
            return inputs.get(name, defaults.get(name, ""))
        if expr.startswith("steps."):
            _, step, _, name = expr.split(".")
            return self.outputs.get(step, {}).get(name, "")
        raise AssertionError(f"unknown expression {expr}")

    def run(self, inputs: dict[str, str], cwd: Path) -> list[subprocess.CompletedProcess[str]]:
        spec = yaml.safe_load((self.action / "action.yml").read_text())
        defaults = {k: str(v.get("default", "")) for k, v in spec["inputs"].items()}
        missing = [k for k, v in spec["inputs"].items() if v.get("required") and k not in inputs]
        assert not missing, missing
        path_file, done = self.tmp / "github_path", list[subprocess.CompletedProcess[str]]()
        path_file.touch()
        for step in spec["runs"]["steps"]:
            out_file = self.tmp / f"output-{len(done)}"
            out_file.write_text("")
            sub = lambda m: self.value(m.group(1), inputs, defaults)  # noqa: E731
            assert "${{" not in step["run"], "inputs reach the script only through env"
            added = [p for p in path_file.read_text().splitlines() if p]
            env = {
                "PATH": os.pathsep.join([*reversed(added), str(self.bin), "/usr/bin", "/bin"]),
                "HOME": str(self.tmp),
                "RUNNER_TEMP": str(self.tmp / "runner-temp"),
                "GITHUB_OUTPUT": str(out_file),
                "GITHUB_PATH": str(path_file),
                "GITHUB_STEP_SUMMARY": str(self.tmp / "summary.md"),
                **{k: v for k, v in os.environ.items() if k.startswith("PIP_")},
                **{k: self.EXPRESSION.sub(sub, str(v)) for k, v in step.get("env", {}).items()},
            }
            (self.tmp / "runner-temp").mkdir(exist_ok=True)
            proc = subprocess.run(
                [step["shell"], "-e", "-c", step["run"]], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
            )
            done.append(proc)
            if step.get("id"):
                pairs = [line.split("=", 1) for line in out_file.read_text().splitlines() if "=" in line]
                self.outputs[step["id"]] = dict(pairs)
            if proc.returncode:
                break
        return done


# One install per Python (each is a real pip install): a passing answer on one, a failing one on the other.
@pytest.mark.parametrize(
    ("runner_python", "answer", "code"),
    [("externally-managed", GOOD, 0), ("setup-python", {**GOOD, "coverage": "90%"}, 1)],
)
def test_the_action_installs_into_its_own_venv_and_audits(
    tmp_path: Path, tagged_clone: Path, runner_python: str, answer: object, code: int
) -> None:
    action_python = find_externally_managed() if runner_python == "externally-managed" else plain_python()
    work = workspace(tmp_path, answer)
    steps = Runner(tmp_path, tagged_clone, action_python).run({"paths": "agent-output/", "format": "github"}, work)
    install, audit = steps[0], steps[-1]
    assert install.returncode == 0, install.stdout + install.stderr
    assert f"integration-engineer, version {VERSION}" in install.stdout
    venv = tmp_path / "runner-temp" / "integration-engineer-venv"
    assert (venv / "pyvenv.cfg").is_file()
    assert len(steps) == 2 and audit.returncode == code, audit.stdout + audit.stderr
    if code:
        assert "::error file=agent-output/PROJ-1.json,line=1" in audit.stdout


def test_an_externally_managed_python_refuses_the_old_install(tmp_path: Path, tagged_clone: Path) -> None:
    """What the action did before: pip into the runner's Python. PEP 668 refuses it, so a venv is needed."""
    python = find_externally_managed()
    proc = subprocess.run(
        [python, "-m", "pip", "install", "--dry-run", str(tagged_clone)], capture_output=True, text=True
    )
    assert proc.returncode != 0 and "externally-managed-environment" in proc.stderr, proc.stderr


def test_the_gitlab_snippet_installs_from_the_tag(tmp_path: Path, tagged_clone: Path) -> None:
    block = next(b for b in yaml_blocks() if "audit-agent-answers:" in b)
    script = yaml.safe_load(block)["audit-agent-answers"]["script"]
    venv_line, pip_line, audit_line = script
    venv = tmp_path / "ie"
    venv_cmd = venv_line.replace("/tmp/ie", str(venv)).split("&&")[0]
    subprocess.run(shlex.split(venv_cmd.replace("python", plain_python(), 1)), check=True, timeout=120)
    pip = shlex.split(pip_line.replace(URL, f"file://{tagged_clone}"))
    assert pip[:4] == ["python", "-m", "pip", "install"], pip
    installed = subprocess.run([str(venv / "bin" / "python"), *pip[1:]], capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stderr
    work = workspace(tmp_path, GOOD)
    argv = [str(venv / "bin" / "integration-engineer"), *shlex.split(audit_line)[1:]]
    assert subprocess.run(argv, cwd=work, capture_output=True, timeout=120).returncode == 0
    assert (work / "audit-junit.xml").is_file()


@pytest.fixture(scope="module")
def precommit() -> Iterator[str]:
    found = Path(sys.executable).parent / "pre-commit"
    assert found.exists(), "pre-commit comes from PyPI with the dev extras (make install)"
    yield str(found)


@pytest.fixture(scope="module")
def precommit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by both runs, as on a developer's machine: the hook's env is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.mark.parametrize(("answer", "code"), [(GOOD, 0), ({**GOOD, "timestamp": "now"}, 1)])
def test_precommit_try_repo_on_a_fresh_repository(
    tmp_path: Path, tagged_clone: Path, precommit: str, precommit_home: Path, answer: object, code: int
) -> None:
    """The hook's default files are agent answers only: package.json is never handed to the audit."""
    work = workspace(tmp_path, answer)
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run([*GIT, *args], cwd=work, check=True, capture_output=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(precommit_home), "NO_COLOR": "1"}
    proc = subprocess.run(
        [
            precommit,
            "try-repo",
            str(tagged_clone),
            "integration-engineer-audit",
            "--ref",
            TAG,
            "--all-files",
            "--verbose",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert "integration-engineer audit" in proc.stdout
    assert "package.json" not in proc.stdout.split("integration-engineer audit", 1)[1]
    if code:
        assert "agent-output/PROJ-1.json:1:" in proc.stdout and "timestamp" in proc.stdout
