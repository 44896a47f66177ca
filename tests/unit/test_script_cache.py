"""The script cache (git_guard/script_cache): an analysis that read scripts from disk is kept, and
used again only while every file it looked at has the same signature; a cache file that is
corrupt or not a plain file is never used."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from integration_engineer.bash import script_files
from integration_engineer.config import Settings
from integration_engineer.git_guard import policy, script_cache
from integration_engineer.git_guard.findings import GitFindings
from integration_engineer.runtime.payload import HookEvent

FORBIDDEN = frozenset(v.lower() for v in Settings().forbidden_git_verbs)
HARMLESS = "#!/bin/sh\necho building\nls -la .\n"
PUSHING = "#!/bin/sh\necho building\ngit push\n"  # the same size as HARMLESS
OLD_NS = 1_600_000_000 * 10**9


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IE_DATA_DIR", str(tmp_path / "data"))
    # Files written by a test are seconds old at most: the racy-file rule has its own test.
    monkeypatch.setattr(script_files, "RACY_NS", 0)
    return tmp_path / "data"


def _script(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "deploy.sh"
    path.write_text(text)
    path.chmod(0o755)
    os.utime(path, ns=(OLD_NS, OLD_NS))
    return path


def _run(cwd: Path, command: str = "./deploy.sh") -> tuple[GitFindings, str]:
    return script_cache.cached(command, str(cwd), FORBIDDEN, lambda: policy.analyse(command, cwd=str(cwd)))


def test_a_repeated_command_is_answered_from_the_cache(tmp_path: Path, data: Path) -> None:
    _script(tmp_path / "w", PUSHING)
    first, how = _run(tmp_path / "w")
    assert how == "stored" and [f.verb for f in first.findings] == ["push"]
    again, how = _run(tmp_path / "w")
    assert how == "hit"
    assert [(f.kind, f.verb, f.route) for f in again.findings] == [(f.kind, f.verb, f.route) for f in first.findings]
    assert again.notes == first.notes
    assert (data / script_cache.FILE_NAME).is_file()


def test_a_script_changed_with_the_same_size_and_mtime_is_read_again(tmp_path: Path, data: Path) -> None:
    path = _script(tmp_path / "w", HARMLESS)
    assert _run(tmp_path / "w")[1] == "stored"
    found, how = _run(tmp_path / "w")
    assert how == "hit" and not found.blocked
    path.write_text(PUSHING)  # same size; mtime put back: only ctime tells
    os.utime(path, ns=(OLD_NS, OLD_NS))
    assert path.stat().st_size == len(HARMLESS) and path.stat().st_mtime_ns == OLD_NS
    found, how = _run(tmp_path / "w")
    assert how == "stored" and found.blocked


def test_a_touched_script_is_read_again(tmp_path: Path, data: Path) -> None:
    path = _script(tmp_path / "w", HARMLESS)
    _run(tmp_path / "w")
    assert _run(tmp_path / "w")[1] == "hit"
    os.utime(path, ns=(OLD_NS + 10**9, OLD_NS + 10**9))
    assert _run(tmp_path / "w")[1] == "stored"
    assert _run(tmp_path / "w")[1] == "hit"


def test_a_script_replaced_by_another_file_is_read_again(tmp_path: Path, data: Path) -> None:
    path = _script(tmp_path / "w", HARMLESS)
    _run(tmp_path / "w")
    before = path.stat()
    other = tmp_path / "w" / "new.sh"
    other.write_text(PUSHING)
    os.utime(other, ns=(before.st_mtime_ns, before.st_mtime_ns))
    os.replace(other, path)  # a new inode with the old size and mtime
    assert path.stat().st_ino != before.st_ino
    found, how = _run(tmp_path / "w")
    assert how == "stored" and [f.verb for f in found.findings] == ["push"]


def test_a_file_that_appears_later_is_seen(tmp_path: Path, data: Path) -> None:
    # `bash tools/x.sh` where tools/x.sh does not exist yet: its absence is part of the key.
    (tmp_path / "w").mkdir()
    command = "bash tools/x.sh"
    assert not _run(tmp_path / "w", command)[0].blocked
    assert _run(tmp_path / "w", command)[1] == "hit"
    _script(tmp_path / "w" / "tools", PUSHING).rename(tmp_path / "w" / "tools" / "x.sh")
    found, how = _run(tmp_path / "w", command)
    assert how == "stored" and found.blocked


def test_a_script_changed_a_moment_ago_is_not_kept(tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(script_files, "RACY_NS", 2_000_000_000)
    (tmp_path / "w").mkdir()
    (tmp_path / "w" / "deploy.sh").write_text(HARMLESS)  # its ctime is now
    found, how = _run(tmp_path / "w")
    assert not found.blocked and how.startswith("not kept:") and "less than 2 s ago" in how
    assert _run(tmp_path / "w")[1].startswith("not kept:")


def test_commands_that_read_no_file_and_git_aliases_are_not_kept(tmp_path: Path, data: Path) -> None:
    assert _run(tmp_path, "echo hi | git status")[1] == "not kept: no file was read"
    # Not a git command: git is asked for the repository's aliases.
    assert _run(tmp_path, "git frobnicate")[1] == "not kept: git was asked for the repository's aliases"
    assert not (data / script_cache.FILE_NAME).exists()


def test_another_command_cwd_or_verb_list_is_another_entry(tmp_path: Path, data: Path) -> None:
    _script(tmp_path / "w", PUSHING)
    _run(tmp_path / "w")
    cwd = str(tmp_path / "w")
    fewer = FORBIDDEN - {"push"}
    found, how = script_cache.cached(
        "./deploy.sh", cwd, fewer, lambda: policy.analyse("./deploy.sh", cwd=cwd, forbidden=fewer)
    )
    assert how == "stored" and not found.blocked
    assert _run(tmp_path / "w", "./deploy.sh ")[1] == "stored"
    assert _run(tmp_path / "w")[1] == "hit"  # the first entry is still there


def test_entries_for_other_code_are_not_used(tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _script(tmp_path / "w", PUSHING)
    _run(tmp_path / "w")
    real = script_cache.code()
    assert any(name == "git_guard/analysis.py" for name, *_ in real)
    monkeypatch.setattr(script_cache, "code", lambda: [*real, ["git_guard/new.py", 1]])
    assert _run(tmp_path / "w")[1] == "stored"


@pytest.mark.parametrize(
    "content",
    [
        b"not json at all",
        b'{"version": 1, "code": "x", "entries": 7}',
        b'{"version": 1, "entries": [{"key": 1}]}',
        b"[" * 100000,
        b"\xff\xfe garbage \x00",
    ],
)
def test_a_corrupt_cache_file_is_ignored(tmp_path: Path, data: Path, content: bytes) -> None:
    _script(tmp_path / "w", PUSHING)
    data.mkdir(parents=True)
    (data / script_cache.FILE_NAME).write_bytes(content)
    found, how = _run(tmp_path / "w")
    assert how == "stored" and found.blocked
    assert _run(tmp_path / "w")[1] == "hit"  # replaced by a valid file


def _forged(tmp_path: Path, script: Path) -> dict[str, object]:
    """A well-formed entry saying the script runs nothing forbidden."""
    key = script_cache.key("./deploy.sh", str(tmp_path / "w"), FORBIDDEN)
    deps = [[str(script), *script_files.signature(str(script))]]
    entry = {"key": key, "deps": deps, "findings": [], "notes": []}
    return {"version": script_cache.VERSION, "code": script_cache.code(), "entries": [entry]}


def test_a_malformed_entry_among_valid_ones_is_skipped(tmp_path: Path, data: Path) -> None:
    from integration_engineer.runtime import json_codec

    script = _script(tmp_path / "w", PUSHING)
    forged = _forged(tmp_path, script)
    entry = forged["entries"][0]  # type: ignore[index]
    entry["findings"] = [{"kind": "forbidden", "verb": 3, "route": [], "detail": ""}]
    data.mkdir(parents=True)
    (data / script_cache.FILE_NAME).write_text(json_codec.dumps(forged))
    assert _run(tmp_path / "w")[1] == "stored"


def test_a_cache_file_that_is_a_link_or_fifo_is_not_used(tmp_path: Path, data: Path) -> None:
    from integration_engineer.runtime import json_codec

    script = _script(tmp_path / "w", PUSHING)
    outside = tmp_path / "outside.json"
    outside.write_text(json_codec.dumps(_forged(tmp_path, script)))
    data.mkdir(parents=True)
    (data / script_cache.FILE_NAME).symlink_to(outside)
    found, how = _run(tmp_path / "w")
    assert found.blocked and how == "stored"  # the forged "nothing found" behind the link was refused
    assert json_codec.loads(outside.read_text())["entries"][0]["findings"] == []  # not written through
    assert not (data / script_cache.FILE_NAME).is_symlink()
    (data / script_cache.FILE_NAME).unlink()
    os.mkfifo(data / script_cache.FILE_NAME)
    found, how = _run(tmp_path / "w")  # no hang on the FIFO
    assert found.blocked and how == "stored"


def _event(worktree: Path) -> HookEvent:
    return HookEvent(event="PreToolUse", cwd=str(worktree), tool_name="Bash")


def test_the_cache_is_trusted_only_where_the_agent_cannot_write_it(
    tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from integration_engineer.config import SandboxSettings
    from integration_engineer.sandbox import probe
    from integration_engineer.task import acting

    worktree = tmp_path / "repo" / "trees" / "T-1"
    worktree.mkdir(parents=True)

    class FakeTask:
        key = "T-1"

    monkeypatch.setattr(acting, "task_for", lambda event, settings: FakeTask())
    monkeypatch.setattr(acting, "worktree_of", lambda task: str(worktree))
    monkeypatch.setattr(probe, "engine", lambda fresh=False: ("bwrap", probe.BWRAP_PATHS[0]))
    event = _event(worktree)
    settings = Settings()
    assert script_cache.trusted(event, settings)
    off = Settings(sandbox=SandboxSettings(mode="off"))
    assert not script_cache.trusted(event, off)
    monkeypatch.setattr(probe, "engine", lambda fresh=False: ("bwrap", str(tmp_path / "bwrap")))
    assert not script_cache.trusted(event, settings)  # an engine from elsewhere
    monkeypatch.setattr(probe, "engine", lambda fresh=False: ("", "not installed"))
    assert not script_cache.trusted(event, settings)
    monkeypatch.setattr(probe, "engine", lambda fresh=False: ("bwrap", probe.BWRAP_PATHS[0]))
    monkeypatch.setenv("IE_DATA_DIR", str(worktree / ".state"))  # writable inside the sandbox
    assert not script_cache.trusted(event, settings)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("IE_DATA_DIR", str(tmp_path / "home" / ".cache" / "ie"))
    assert not script_cache.trusted(event, settings)
    monkeypatch.setattr(acting, "task_for", lambda event, settings: None)
    monkeypatch.setenv("IE_DATA_DIR", str(data))
    assert not script_cache.trusted(event, settings)


# Where the analysis may look at the file system: script_files' noted reads, and git's aliases
# (which mark the analysis as not kept). A new read elsewhere, or a read of the environment, would
# make the cache unsound: route it through script_files (is_file, read_text, list_dir), call
# script_files.unrecordable(why), or add what it depends on to script_cache.key.
_LOOKS: tuple[str, ...] = (
    "open(",
    "os.path.isfile",
    "os.path.exists",
    "os.path.isdir",
    "os.listdir",
    "os.scandir",
    "os.stat(",
)
_LOOKS += ("os.lstat(", "os.access(", "os.readlink", "git_runner.run(", "import subprocess", "os.environ", "getenv")


# The git guard's analysis: git_guard.analysis.Analyzer, the classes it is built from, and policy.
ANALYSIS_MODULES = (
    "analysis",
    "analysis_state",
    "scripts",
    "interpreters",
    "build_tools",
    "shell_builtins",
    "git_verbs",
    "known_files",
    "known_git",
    "policy",
)


def test_the_analysis_modules_are_all_listed() -> None:
    # A new module of the analysis must be scanned too: every git_guard module the Analyzer
    # imports (directly or through another) is in ANALYSIS_MODULES.
    import ast

    package = Path(script_files.__file__).resolve().parents[1] / "git_guard"
    seen, todo = set(), ["analysis"]
    while todo:
        name = todo.pop()
        seen.add(name)
        for node in ast.walk(ast.parse((package / f"{name}.py").read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("integration_engineer.git_guard."):
                found = (node.module or "").rsplit(".", 1)[1]
                if found not in seen:
                    todo.append(found)
    assert seen - {"findings", "git_settings"} <= set(ANALYSIS_MODULES)


def test_the_analysis_looks_at_the_file_system_only_through_noted_reads() -> None:
    package = Path(script_files.__file__).resolve().parents[1]
    sources = [package / "git_guard" / f"{name}.py" for name in ANALYSIS_MODULES]
    sources += [p for p in sorted((package / "bash").glob("*.py")) if p.name != "script_files.py"]
    found = [
        f"{source.name}: {line.strip()}"
        for source in sources
        for line in source.read_text().splitlines()
        if any(look in line for look in _LOOKS) and not line.lstrip().startswith("#")
    ]
    assert found == [
        'git_verbs.py: code, out = git_runner.run(directory, ("config", "--get-regexp", r"^alias\\."), timeout=3)',
        "git_verbs.py: return None if os.path.isdir(directory) else {}",
    ]


def test_through_the_hook_a_repeated_script_is_kept_and_a_changed_one_refused(tmp_path: Path) -> None:
    """The registered hook, as Claude Code starts it: the Agent call, SubagentStart, then the
    guarded agent's ``./deploy.sh`` three times, the script changed (same size and mtime) before
    the third."""

    from integration_engineer.runtime import json_codec
    from integration_engineer.sandbox import probe
    from tests.helpers import GUARDED, agent_call, make_repo, run_hook, write_agent_meta

    if not probe.detect()[0]:
        pytest.fail(f"the sandbox engine does not start here ({probe.detect()[1]}); make test installs bubblewrap")
    project = make_repo(tmp_path / "p", ("PROJ-1-x",))
    worktree = project / "trees" / "PROJ-1-x"
    script = _script(worktree, HARMLESS)
    env = {"IE_DATA_DIR": str(tmp_path / "data"), "CLAUDE_PROJECT_DIR": str(project), "HOME": str(tmp_path)}
    common = {"session_id": "s", "cwd": str(project), "transcript_path": str(tmp_path / "s.jsonl")}
    assert "updatedInput" in run_hook("PreToolUse", agent_call(common), tool="Agent", env=env).stdout
    agent = {**common, "cwd": str(worktree), "agent_id": "a1", "agent_type": GUARDED}
    write_agent_meta(common)
    assert run_hook("SubagentStart", {**agent, "hook_event_name": "SubagentStart"}, env=env).exit_code == 0
    bash: dict[str, object] = {**agent, "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_use_id": "t2"}
    bash["tool_input"] = {"command": "./deploy.sh"}
    cache = tmp_path / "data" / script_cache.FILE_NAME
    # The script's ctime is this second: the first calls read it and keep nothing.
    first = run_hook("PreToolUse", bash, tool="Bash", env=env)
    assert first.decision != "deny" and "bwrap" in first.stdout, first.stdout + first.stderr
    assert not cache.exists()
    import time

    time.sleep(2.1)
    assert run_hook("PreToolUse", bash, tool="Bash", env=env).decision != "deny"
    entries = json_codec.loads(cache.read_text())["entries"]
    assert [e["key"][0] for e in entries] == ["./deploy.sh"]
    assert [d[0] for d in entries[0]["deps"]] == [str(script)]
    assert run_hook("PreToolUse", bash, tool="Bash", env=env).decision != "deny"  # from the cache
    script.write_text(PUSHING)
    os.utime(script, ns=(OLD_NS, OLD_NS))  # same size, same mtime: a new ctime
    refused = run_hook("PreToolUse", bash, tool="Bash", env=env)
    assert refused.decision == "deny" and "git push" in refused.reason, refused.stdout + refused.stderr


def test_inside_the_sandbox_the_agent_cannot_plant_an_entry() -> None:
    """What makes the cache trustworthy, as an effect: a guarded agent's command that writes the
    cache file with Python (which no static reading sees as a write) fails in the real sandbox."""
    import shutil
    import tempfile

    from tests.sandbox.test_sandbox_effects import Scratch

    base = Path("/var/tmp") / "ie-sandbox-tests"  # not under /tmp, as the sandbox tests do
    base.mkdir(exist_ok=True)
    root = Path(tempfile.mkdtemp(dir=base))
    try:
        scratch = Scratch(root)
        cache = root / "data" / script_cache.FILE_NAME
        cache.write_text('{"version": 1, "entries": []}')
        before = cache.read_bytes()
        forge = f"python3 -c \"open('{cache}', 'w').write('forged')\""
        done = scratch.run(forge)
        assert done is not None, "the static reading let the Python write through (the sandbox must stop it)"
        assert done.returncode != 0 and "Read-only file system" in done.stderr, done.stderr
        assert cache.read_bytes() == before
        planted = f"python3 -c \"import os; os.symlink('/etc/passwd', '{root / 'data' / 'x.json'}')\""
        done = scratch.run(planted)
        assert done is not None and done.returncode != 0
        assert not (root / "data" / "x.json").is_symlink()
    finally:
        shutil.rmtree(root, ignore_errors=True)
