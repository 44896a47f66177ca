"""The state directory under hostile files (issue 20): links and FIFOs planted where the plugin
keeps its claims, bindings, tasks and log. Every case runs the hook command hooks.json registers."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integration_engineer.runtime import state_files
from integration_engineer.task import context as task_context
from tests.helpers import ROOT, HookRun, make_repo, registered_command, run_hook

GUARDED = "integration-engineer:integration-engineer"
GOOD = "Integrate Stripe payment webhooks with retry logic"
# Well inside PreToolUse's 15 s in hooks.json: a hook stuck on a FIFO would pass this.
QUICK = 10


def _accept(tmp: Path) -> tuple[Path, dict[str, str]]:
    project = make_repo(tmp / "p", ("PROJ-1-x",))
    common = {"session_id": "s1", "cwd": str(project), "transcript_path": str(tmp / "projects" / "s1.jsonl")}
    prompt = f"TASK: PROJ-1, DESCRIPTION: {GOOD}, WORKTREE_PATH: ./trees/PROJ-1-x"
    run = run_hook(
        "PreToolUse",
        {
            **common,
            "hook_event_name": "PreToolUse",
            "tool_name": "Agent",
            "tool_use_id": "toolu_1",
            "tool_input": {"prompt": prompt, "description": "d", "subagent_type": GUARDED},
        },
        tool="Agent",
    )
    assert run.decision == "pass", run.stderr
    return project, common


def _bash(common: dict[str, str], command: str, agent: str = "ag1") -> HookRun:
    wt = str(Path(common["cwd"]) / "trees" / "PROJ-1-x")
    payload = {
        **common,
        "cwd": wt,
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "tool_use_id": "toolu_b",
        "agent_id": agent,
        "agent_type": GUARDED,
        "tool_input": {"command": command},
    }
    return run_hook("PreToolUse", payload, tool="Bash", timeout=QUICK)


def _session_dir() -> Path:
    return Path(task_context.session_dir("s1"))


# The outside target is under /var/tmp: a Bash write under /tmp is the task's own in bubblewrap.


def test_a_claim_linked_to_another_file_never_overwrites_it(tmp_path: Path) -> None:
    _, common = _accept(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    os.symlink(victim, _session_dir() / "claim-toolu_1")
    run = _bash(common, "echo x > /var/tmp/p20-outside")
    assert run.decision == "deny"
    assert "symbolic link" in run.reason
    assert victim.read_text() == "precious\n"
    assert not os.path.exists("/var/tmp/p20-outside")


@pytest.mark.parametrize("name", ["claim-toolu_1", "toolu_1.json", "agent-ag1.json"])
def test_a_fifo_as_a_claim_task_or_binding_is_refused_at_once(tmp_path: Path, name: str) -> None:
    _, common = _accept(tmp_path)
    target = _session_dir() / name
    if target.exists():
        target.unlink()
    os.mkfifo(target)
    run = _bash(common, "echo x > /var/tmp/p20-outside")
    assert run.decision == "deny"
    assert "FIFO" in run.reason, run.reason
    assert not os.path.exists("/var/tmp/p20-outside")


def test_a_fifo_as_the_decision_log_hangs_no_hook(tmp_path: Path, _isolated_data_dir: Path) -> None:
    _, common = _accept(tmp_path)
    (_isolated_data_dir / "decisions.jsonl").unlink()
    os.mkfifo(_isolated_data_dir / "decisions.jsonl")
    assert _bash(common, "git push origin HEAD").decision == "deny"
    assert _bash(common, "echo x > /var/tmp/p20-outside").decision == "deny"
    # Work inside the worktree still goes on; only the log line is lost.
    assert _bash(common, "ls").decision != "deny"


def test_a_linked_state_directory_component_is_refused(tmp_path: Path, _isolated_data_dir: Path) -> None:
    _, common = _accept(tmp_path)
    real = _session_dir()
    moved = tmp_path / "elsewhere"
    real.rename(moved)
    os.symlink(moved, real)
    run = _bash(common, "echo x > /var/tmp/p20-outside")
    assert run.decision == "deny"
    assert "not a directory" in run.reason


def test_writes_are_atomic_and_replace_a_link_instead_of_following_it(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious")
    target = Path(task_context.session_dir("s2")) / "x.json"
    target.parent.mkdir(parents=True)
    os.symlink(victim, target)
    state_files.write_json(str(target), {"a": 1})
    assert victim.read_text() == "precious"
    assert not target.is_symlink() and json.loads(target.read_text()) == {"a": 1}
    assert sorted(p.name for p in target.parent.iterdir()) == ["x.json"]


def test_reads_are_bounded_and_name_the_problem(tmp_path: Path) -> None:
    path = Path(task_context.session_dir("s3")) / "big.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(b" " * 100)
    with pytest.raises(state_files.StateFileError, match="over 10 bytes"):
        state_files.read_bytes(str(path), 10)
    path.unlink()
    path.mkdir()
    with pytest.raises(state_files.StateFileError, match="is a directory"):
        state_files.read_json(str(path))
    deep = path.parent / "deep.json"
    deep.write_text("[" * 100_000)
    assert state_files.read_json(str(deep)) is None


def test_the_deadline_table_is_hooks_json() -> None:
    from integration_engineer.events import dispatch

    registered = json.loads((ROOT / "hooks" / "hooks.json").read_text())["hooks"]
    assert {event: groups[0]["hooks"][0]["timeout"] for event, groups in registered.items()} == dispatch.TIMEOUTS
    for event, timeout in dispatch.TIMEOUTS.items():
        assert dispatch.deadline_for(event) <= timeout - 2


def _never_ending(event: str, tool: str, partial: bytes) -> tuple[int, str, str, float]:
    """The hook started as registered, its payload started but never finished (stdin kept open)."""
    env = {**os.environ, "CLAUDE_PLUGIN_ROOT": str(ROOT), "IE_DEADLINE_SECONDS": "1.5"}
    started = time.monotonic()
    proc = subprocess.Popen(
        ["sh", "-c", registered_command(event, tool)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdin is not None
    proc.stdin.write(partial)
    proc.stdin.flush()
    try:
        proc.wait(timeout=QUICK)
        assert proc.stdout is not None and proc.stderr is not None
        out, err = proc.stdout.read(), proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
    return proc.returncode, out.decode(), err.decode(), time.monotonic() - started


def test_a_pre_tool_use_not_done_by_its_deadline_is_a_deny() -> None:
    code, _, err, took = _never_ending("PreToolUse", "Bash", b'{"hook_event_name": "PreToolUse", ')
    assert code == 2 and "deadline" in err, err
    assert took < QUICK


def test_a_subagent_stop_not_done_by_its_deadline_is_a_block() -> None:
    code, out, _, took = _never_ending("SubagentStop", "", b'{"hook_event_name": "SubagentStop", ')
    assert code == 0 and json.loads(out)["decision"] == "block" and "deadline" in out
    assert took < QUICK


@pytest.mark.parametrize("plant", ["file", "fifo"])
def test_subagent_stop_that_cannot_store_its_record_still_blocks_a_bad_answer(tmp_path: Path, plant: str) -> None:
    from tests import stop_scenario

    scenario = stop_scenario.build(tmp_path)
    scenario.accept()
    results = Path(scenario.env["IE_DATA_DIR"]) / "results"
    if plant == "file":
        results.write_text("not a directory")
    else:
        os.mkfifo(results)
    run = scenario.stop("I am done, trust me.")
    assert run.decision == "block", run.stdout
    assert "could not be stored" in run.json.get("systemMessage", ""), run.stdout


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"tool_input": None}, "tool_input is missing"),
        ({"drop": "tool_input"}, "tool_input is missing"),
        ({"tool_input": {"command": None}}, "tool_input.command"),
        ({"tool_name": None}, "tool_name"),
        ({"tool_name": "Frobnicate"}, "tool_name 'Frobnicate'"),
        ({"hook_event_name": "PostToolUse"}, "hook_event_name is 'PostToolUse'"),
    ],
)
def test_malformed_guarded_payloads_are_denied(tmp_path: Path, change: dict[str, object], expected: str) -> None:
    payload: dict[str, object] = {
        "session_id": "s1",
        "cwd": str(tmp_path),
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "agent_id": "ag1",
        "agent_type": GUARDED,
        "tool_input": {"command": "ls"},
    }
    dropped = change.pop("drop", None)
    payload.update(change)
    if isinstance(dropped, str):
        del payload[dropped]
    run = run_hook("PreToolUse", payload, tool="Bash", timeout=QUICK)
    assert run.decision == "deny"
    assert expected in run.reason, run.reason


def _write(common: dict[str, str], path: str) -> HookRun:
    payload = {
        **common,
        "cwd": str(Path(common["cwd"]) / "trees" / "PROJ-1-x"),
        "hook_event_name": "PreToolUse",
        "tool_name": "Write",
        "tool_use_id": "toolu_w",
        "agent_id": "ag1",
        "agent_type": GUARDED,
        "tool_input": {"file_path": path, "content": "x"},
    }
    return run_hook("PreToolUse", payload, tool="Write", timeout=QUICK)


@pytest.mark.parametrize(
    "command", ["cd .. && rm -rf PROJ-1-x && ln -s .. PROJ-1-x", "mv ../PROJ-1-x /tmp/p20-moved", "rmdir ../PROJ-1-x"]
)
def test_removing_or_replacing_the_worktree_itself_is_refused(tmp_path: Path, command: str) -> None:
    _, common = _accept(tmp_path)
    run = _bash(common, command)
    assert run.decision == "deny"
    assert "worktree directory itself" in run.reason, run.reason
    assert _bash(common, "rm -rf build && cp README.md .").decision != "deny"


@pytest.mark.parametrize("swap", ["link", "replaced"])
def test_a_worktree_swapped_after_acceptance_refuses_every_write(tmp_path: Path, swap: str) -> None:
    project, common = _accept(tmp_path)
    wt = project / "trees" / "PROJ-1-x"
    assert _write(common, str(wt / "a.txt")).decision == "pass"
    wt.rename(tmp_path / "kept")
    if swap == "link":
        os.symlink("..", wt)  # the guarded agent's trick: the worktree now resolves to trees/
    else:
        wt.mkdir()
    run = _write(common, str(wt / "a.txt"))
    assert run.decision == "deny"
    assert ("symbolic link" if swap == "link" else "replaced") in run.reason, run.reason
    assert _write(common, str(project / "README.md")).decision == "deny"


def _bind(source: Path, target: Path) -> None:
    target.mkdir()
    proc = subprocess.run(["mount", "--bind", str(source), str(target)], capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"mount --bind refused by the kernel: {proc.stderr.strip()}")
        pytest.skip(f"mount --bind refused: {proc.stderr.strip()}")


def test_cleanup_never_crosses_a_mount_point_and_the_dry_run_agrees(tmp_path: Path) -> None:
    from integration_engineer.config import Settings
    from integration_engineer.finish import cleanup
    from tests import stop_scenario

    scenario = stop_scenario.build(tmp_path)
    scenario.accept()
    mounted = scenario.worktree / ".ruff_cache"
    _bind(scenario.outside, mounted)
    try:
        (scenario.worktree / ".pytest_cache").mkdir()
        (scenario.worktree / ".pytest_cache" / "v").write_text("x")
        artifacts = Settings().artifacts
        planned = cleanup.clean(scenario.worktree, artifacts, dry_run=True)
        scenario.stop("I am done.")
        assert (scenario.outside / "keep.txt").read_text() == "must survive\n"
        assert (scenario.outside / "__pycache__" / "x.pyc").exists()
        assert not (scenario.worktree / ".pytest_cache").exists()
        assert any(e.path == ".ruff_cache/" and "mount point" in e.reason for e in planned.kept)
        assert [e.path for e in planned.removed] == [".pytest_cache/"]
    finally:
        subprocess.run(["umount", str(mounted)], check=False)


def test_cleanup_leaves_an_uninitialised_submodule_named_like_an_artifact(tmp_path: Path) -> None:
    from integration_engineer.config import Settings
    from integration_engineer.finish import cleanup
    from tests import stop_scenario
    from tests.helpers import git

    scenario = stop_scenario.build(tmp_path)
    wt = scenario.worktree
    sub = make_repo(tmp_path / "subrepo")
    git(wt, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), ".mypy_cache")
    git(wt, "commit", "-q", "-m", "submodule")
    git(wt, "submodule", "deinit", "-q", "-f", ".mypy_cache")
    assert (wt / ".mypy_cache").is_dir()
    planned = cleanup.clean(wt, Settings().artifacts, dry_run=True)
    done = cleanup.clean(wt, Settings().artifacts)
    assert (wt / ".mypy_cache").is_dir()
    assert [e.path for e in planned.removed] == [e.path for e in done.removed]
    assert any(e.path == ".mypy_cache/" and "submodule" in e.reason for e in done.kept)


def test_concurrent_subagent_stops_count_every_re_prompt(tmp_path: Path) -> None:
    import threading

    from integration_engineer.finish import results
    from tests import stop_scenario

    scenario = stop_scenario.build(tmp_path)
    (scenario.project / ".claude").mkdir()
    (scenario.project / ".claude" / "integration-engineer.json").write_text(json.dumps({"max_output_retries": 7}))
    scenario.accept()
    assert scenario.stop("not json").decision == "block"
    runs: list[HookRun] = []
    threads = [
        threading.Thread(target=lambda: runs.append(scenario.stop("still not json", active=True))) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.decision for r in runs] == ["block", "block"]
    os.environ["IE_DATA_DIR"], saved = scenario.env["IE_DATA_DIR"], os.environ["IE_DATA_DIR"]
    try:
        record = results.load(stop_scenario.SESSION, scenario.tool_use_id)
    finally:
        os.environ["IE_DATA_DIR"] = saved
    assert record is not None and record["blocks_in_row"] == 3, record


STATE_NAMES = ["claim-toolu_1", "toolu_1.json", "agent-ag1.json", "finished-toolu_1", "../../decisions.jsonl"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    plants=st.lists(
        st.tuples(st.sampled_from(STATE_NAMES), st.sampled_from(["link", "fifo", "dir", "garbage"])),
        min_size=1,
        max_size=3,
        unique_by=lambda p: p[0],
    ),
    command=st.sampled_from(
        ["echo x > /var/tmp/p20-outside", "git push origin HEAD", "cp /etc/hostname /var/tmp/p20-outside"]
    ),
)
def test_fuzz_planted_state_files_never_let_a_guarded_write_out(
    plants: list[tuple[str, str]], command: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp("fuzz")
    os.environ["IE_DATA_DIR"] = str(tmp / "data")
    _, common = _accept(tmp)
    victim = tmp / "victim"
    victim.write_text("precious")
    for name, kind in plants:
        path = _session_dir() / name
        if path.is_file():
            path.unlink()
        elif path.exists():
            continue
        if kind == "link":
            os.symlink(victim, path)
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "dir":
            path.mkdir()
        else:
            path.write_bytes(b"\xff\x00[" * 50)
    run = _bash(common, command)
    assert run.exit_code in (0, 2) and "Traceback" not in run.stderr, run
    assert run.decision == "deny", run
    assert victim.read_text() == "precious"


def test_a_corrupt_worktree_index_blocks_with_the_reason(tmp_path: Path) -> None:
    from tests import stop_scenario
    from tests.helpers import git

    scenario = stop_scenario.build(tmp_path)
    scenario.accept()
    (scenario.worktree / "new.py").write_text("x = 1\n")
    index = Path(git(scenario.worktree, "rev-parse", "--git-path", "index").strip())
    index = index if index.is_absolute() else scenario.worktree / index
    index.write_bytes(b"DIRC garbage, not an index")
    answer = {
        "task_id": stop_scenario.TASK_ID,
        "worktree_path": f"./trees/{stop_scenario.WORKTREE}",
        "work_completed": "Added new.py.",
        "files_modified": [],
        "unfinished": [],
    }
    run = scenario.stop(json.dumps(answer))
    assert run.decision == "block", run.stdout
    assert "files_modified cannot be checked" in run.reason


def test_an_oversized_answer_is_checked_from_head_and_tail_and_blocked(tmp_path: Path) -> None:
    from tests import stop_scenario

    scenario = stop_scenario.build(tmp_path)
    scenario.accept()
    run = scenario.stop("x" * (20 * 1024 * 1024))
    assert run.decision == "block", run.stdout[:500]
    assert "only its head and tail were checked" in run.reason
