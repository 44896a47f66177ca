"""Installed the way README says: ``claude plugin marketplace add <this checkout>`` and ``claude plugin
install``, not ``--plugin-dir``. The checkout has been set up for development (its .venv and tool
caches exist); Claude Code copies the plugin's whole directory into its cache, skipping only .git and
symlinks that lead outside it, so the dev venv (a symlink out of the tree, see the Makefile) stays
behind. The SessionStart bootstrap then builds the cold-path venv in the plugin data directory Claude
Code gives an installed plugin, and a second session reuses it. The first scenario runs through the
installed hooks, and ``/integration-engineer:start-task`` runs from the installed copy (its ``!`` line
finds ``integration-engineer`` on the PATH Claude Code gives the plugin's ``bin/``)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.e2e.harness import (
    AGENT_TYPE,
    VALID_PROMPT,
    ClaudeRun,
    Sandbox,
    decision_log_entries,
    plugin_under_test,
)
from tests.e2e.model_server import ModelServer, ToolUse
from tests.e2e.test_start_task import DESCRIPTION, TASK_ID, Orchestrator, assert_ran_and_handed_off, subagent_turns

pytestmark = pytest.mark.e2e

# The bootstrap runs pip: share its download cache between runs (outside the tracked tree).
PIP_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "integration-engineer" / "pip"
SESSION_TIMEOUT = 300.0
MAX_INSTALLED_BYTES = 30 * 1024 * 1024
FINAL_ANSWER = json.dumps(
    {
        "task_id": "PROJ-123",
        "worktree_path": "./trees/PROJ-123-stripe",
        "work_completed": "Looked at the project before the Stripe work.",
        "files_modified": [],
        "unfinished": [],
    }
)


class Installed:
    def __init__(self, sandbox: Sandbox, source: Path) -> None:
        self.sandbox = sandbox
        self.source = source
        market = json.loads((source / ".claude-plugin" / "marketplace.json").read_text())
        plugin = json.loads((source / ".claude-plugin" / "plugin.json").read_text())
        self.marketplace = str(market["name"])
        self.name = str(plugin["name"])
        self.data = sandbox.home / ".claude" / "plugins" / "data" / f"{self.name}-{self.marketplace}"
        self.steps: list[ClaudeRun] = []

    def install_path(self) -> Path:
        """Where Claude Code copied the plugin (its own record, ``installed_plugins.json``)."""
        record = json.loads((self.sandbox.home / ".claude" / "plugins" / "installed_plugins.json").read_text())
        entries = record["plugins"][f"{self.name}@{self.marketplace}"]
        return Path(entries[0]["installPath"])

    def doctor(self) -> subprocess.CompletedProcess[str]:
        """The installed copy's command, from a terminal (no CLAUDE_PLUGIN_* variables)."""
        env = {k: v for k, v in self.sandbox.env().items() if not k.startswith(("CLAUDE_PLUGIN", "IE_"))}
        return subprocess.run(
            [
                str(self.install_path() / "bin" / "integration-engineer"),
                *("doctor", "--claude", str(self.sandbox.cli), "--project", str(self.sandbox.project)),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    def command_line(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The installed copy's command, from a terminal (no CLAUDE_PLUGIN_* variables)."""
        env = {k: v for k, v in self.sandbox.env().items() if not k.startswith(("CLAUDE_PLUGIN", "IE_"))}
        command = [str(self.install_path() / "bin" / "integration-engineer"), *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)

    def session(self) -> ClaudeRun:
        return self.sandbox.run(
            "Integrate Stripe webhooks for PROJ-123.",
            plugin=False,
            timeout=SESSION_TIMEOUT,
            env={"PIP_CACHE_DIR": str(PIP_CACHE)},
            orchestrator=[
                ToolUse(
                    "Agent",
                    {
                        "description": "Stripe webhooks",
                        "prompt": VALID_PROMPT,
                        "subagent_type": AGENT_TYPE,
                        "run_in_background": False,
                    },
                ),
                "Finished.",
            ],
            subagent=[ToolUse("Bash", {"command": "ls", "description": "List files"}), FINAL_ANSWER],
        )


@pytest.fixture(scope="module")
def installed(world: tuple[Path, ModelServer], claude_cli: Path) -> Installed:
    root, server = world
    source = plugin_under_test()
    sandbox = Sandbox(root / "world", claude_cli, server, plugin_dir=source)
    setup = Installed(sandbox, source)
    for args in (
        ("plugin", "marketplace", "add", str(source)),
        ("plugin", "install", f"{setup.name}@{setup.marketplace}"),
    ):
        step = sandbox.command(*args)
        assert step.exit_code == 0, f"{step.describe()}\n{step.stdout}"
        setup.steps.append(step)
    return setup


@pytest.fixture(scope="module")
def first(installed: Installed) -> ClaudeRun:
    return installed.session()


@pytest.fixture(scope="module")
def second(installed: Installed, first: ClaudeRun) -> ClaudeRun:
    return installed.session()


def _tree_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def test_the_installed_copy_is_the_plugin_without_the_dev_venv(installed: Installed) -> None:
    copy = installed.install_path()
    assert copy.is_dir() and copy != installed.source, copy
    assert (copy / "scripts" / "launch").stat().st_mode & 0o111
    assert (copy / "hooks" / "hooks.json").is_file() and list((copy / "agents").glob("*.md"))
    assert not (copy / ".venv").exists(), sorted(p.name for p in copy.iterdir())
    size = _tree_bytes(copy)
    assert size < MAX_INSTALLED_BYTES, f"{size / 1e6:.1f} MB copied into {copy}"


def test_the_checkouts_dev_venv_is_outside_the_tree(installed: Installed) -> None:
    """`make install` (run by `make test` before this) leaves only a symlink in the checkout."""
    venv = installed.source / ".venv"
    assert venv.is_symlink() or not venv.exists(), f"{venv} is a directory: run `make clean-venv install`"
    if venv.is_symlink():
        assert not venv.resolve().is_relative_to(installed.source), venv.resolve()


def test_the_install_is_listed(installed: Installed) -> None:
    listing = installed.sandbox.command("plugin", "list", "--json")
    assert f"{installed.name}@{installed.marketplace}" in listing.stdout, listing.stdout


def _row(report: str, name: str) -> str:
    rows = [r for r in report.splitlines() if r[7:19].strip() == name]
    assert len(rows) == 1, report
    return rows[0]


def test_doctor_before_the_first_session_runs_without_the_venv(installed: Installed) -> None:
    assert not (installed.data / "venv" / ".ready").exists()
    proc = installed.doctor()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"in {installed.install_path()}" in _row(proc.stdout, "installed")
    assert _row(proc.stdout, "enabled").startswith("[ok  ]")
    assert _row(proc.stdout, "claude").startswith("[ok  ]") and "2.1." in _row(proc.stdout, "claude")
    assert _row(proc.stdout, "version").endswith(
        json.loads((installed.source / ".claude-plugin" / "plugin.json").read_text())["version"]
    )
    assert "not built yet" in _row(proc.stdout, "venv")
    assert "active" in _row(proc.stdout, "static")


def test_worktree_root_before_the_first_session_runs_without_the_venv(installed: Installed) -> None:
    assert not (installed.data / "venv" / ".ready").exists()
    proc = installed.command_line("worktree-root", "--project", str(installed.sandbox.project))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"{installed.sandbox.project / 'trees'}\n", "")


def test_start_task_runs_from_the_installed_plugin(installed: Installed, second: ClaudeRun) -> None:
    orchestrator = Orchestrator()
    run = installed.sandbox.run(
        f"/integration-engineer:start-task {TASK_ID} {DESCRIPTION}",
        plugin=False,
        timeout=SESSION_TIMEOUT,
        orchestrator=orchestrator.turns(),
        subagent=subagent_turns(),
    )
    assert run.exit_code == 0, run.describe()
    assert orchestrator.root == str(installed.sandbox.project / "trees"), run.describe()
    assert_ran_and_handed_off(run, installed.sandbox.project / "trees" / TASK_ID)


def test_the_first_session_builds_the_venv_in_the_plugin_data_dir(installed: Installed, first: ClaudeRun) -> None:
    assert first.exit_code == 0, first.describe()
    venv = installed.data / "venv"
    assert (venv / ".ready").is_file(), (sorted(p.name for p in installed.data.glob("*")), first.describe())
    probe = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import pydantic, jsonschema, git, click"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr


def test_the_installed_hooks_see_the_first_scenario(first: ClaudeRun) -> None:
    timeline = first.timeline()
    for expected in (
        "SessionStart",
        "PreToolUse:Agent",
        f"SubagentStart@{AGENT_TYPE}",
        f"PreToolUse:Bash@{AGENT_TYPE}",
        f"SubagentStop@{AGENT_TYPE}",
        "PostToolUse:Agent",
        "Stop",
    ):
        assert expected in timeline, first.describe()


def test_decisions_are_logged_in_the_installed_plugins_data_dir(installed: Installed, first: ClaudeRun) -> None:
    entries = decision_log_entries(installed.data)
    events = {e.get("event") for e in entries}
    assert {"SessionStart", "PreToolUse", "SubagentStart", "SubagentStop"} <= events, entries
    assert not [e for e in entries if e.get("decision") == "error"], entries


def test_a_second_session_reuses_the_venv(installed: Installed, first: ClaudeRun, second: ClaudeRun) -> None:
    ready = installed.data / "venv" / ".ready"
    built = ready.stat().st_mtime
    assert second.exit_code == 0, second.describe()
    assert ready.stat().st_mtime == built
    assert second.seconds < 30, second.describe()


def test_doctor_after_a_session_sees_the_venv_and_fails_once_disabled(
    installed: Installed, first: ClaudeRun, second: ClaudeRun
) -> None:
    ready = installed.doctor()
    assert ready.returncode == 0 and f"{installed.data / 'venv'} is ready" in _row(ready.stdout, "venv"), ready.stdout
    off = installed.sandbox.command("plugin", "disable", f"{installed.name}@{installed.marketplace}")
    assert off.exit_code == 0, off.describe()
    try:
        disabled = installed.doctor()
        assert disabled.returncode == 1, disabled.stdout
        assert _row(disabled.stdout, "enabled").startswith("[FAIL]"), disabled.stdout
        assert _row(disabled.stdout, "static").startswith("[FAIL]"), disabled.stdout
    finally:
        installed.sandbox.command("plugin", "enable", f"{installed.name}@{installed.marketplace}")


def test_uninstall_as_docs_operating_says_and_doctor_sees_it(
    installed: Installed, first: ClaudeRun, second: ClaudeRun
) -> None:
    """Last in this module: it removes the install the other tests use."""
    gone = installed.sandbox.command("plugin", "uninstall", f"{installed.name}@{installed.marketplace}")
    assert gone.exit_code == 0, gone.describe()
    removed = installed.sandbox.command("plugin", "marketplace", "remove", installed.marketplace)
    assert removed.exit_code == 0, removed.describe()
    listing = installed.sandbox.command("plugin", "list", "--json")
    assert f"{installed.name}@{installed.marketplace}" not in listing.stdout, listing.stdout
    env = {k: v for k, v in installed.sandbox.env().items() if not k.startswith(("CLAUDE_PLUGIN", "IE_"))}
    proc = subprocess.run(
        [str(installed.source / "bin" / "integration-engineer"), "doctor", "--claude", str(installed.sandbox.cli)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1 and _row(proc.stdout, "installed").startswith("[FAIL]"), proc.stdout
