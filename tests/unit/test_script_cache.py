"""The script cache (git_guard/script_cache): an analysis that read scripts from disk is kept, and
used again only while every file it looked at has the same signature; a cache file that is
corrupt or not a plain file is never used."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

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
    assert _run(tmp_path, "echo hi | git --version")[1] == "not kept: no file was read"
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
    event = _event(worktree)
    settings = Settings()
    off = Settings(sandbox=SandboxSettings(mode="off"))
    assert script_cache.trusted(event, settings)
    # Without the sandbox too: the state directory is refused to every write the guards see.
    assert script_cache.trusted(event, off)
    monkeypatch.setattr(probe, "engine", lambda fresh=False: ("", "not installed"))
    assert script_cache.trusted(event, settings)
    for inside in (worktree / ".state", tmp_path / "home" / ".cache" / "ie"):  # places the agent writes
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        monkeypatch.setenv("IE_DATA_DIR", str(inside))
        assert not script_cache.trusted(event, settings) and not script_cache.trusted(event, off)
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("IE_DATA_DIR", str(shared))  # anyone may write there
    assert not script_cache.trusted(event, off)
    monkeypatch.setattr(acting, "task_for", lambda event, settings: None)
    monkeypatch.setenv("IE_DATA_DIR", str(data))
    assert not script_cache.trusted(event, settings)


def test_a_cache_file_open_to_others_is_not_used(tmp_path: Path, data: Path) -> None:
    from integration_engineer.runtime import json_codec

    script = _script(tmp_path / "w", PUSHING)
    data.mkdir(parents=True)
    cache = data / script_cache.FILE_NAME
    cache.write_text(json_codec.dumps(_forged(tmp_path, script)))
    cache.chmod(0o666)
    found, how = _run(tmp_path / "w")
    assert found.blocked and how == "stored"
    assert cache.stat().st_mode & 0o777 == 0o600  # written again by the guard, as its own


# A script and its same-size variant that commits: the adversarial tests below swap one for the other.
QUIET = "#!/bin/sh\necho building the project\n"
COMMITS = "#!/bin/sh\ngit commit -qam wip  || :\n"
assert len(QUIET) == len(COMMITS)


def _kept(cwd: Path, command: str) -> None:
    found, how = _run(cwd, command)
    assert not found.blocked and how == "stored", (how, found.findings)
    assert _run(cwd, command)[1] == "hit"


def _refused(cwd: Path, command: str) -> None:
    found, how = _run(cwd, command)
    assert how == "stored" and [f.verb for f in found.findings] == ["commit"], (how, found.findings)


def test_a_script_rewritten_with_its_size_and_mtime_put_back_is_read_again(tmp_path: Path, data: Path) -> None:
    path = _script(tmp_path / "w", QUIET)
    _kept(tmp_path / "w", "./deploy.sh")
    before = path.stat()
    with open(path, "r+") as fh:  # the same inode, the same size, the old mtime: only ctime moves
        fh.write(COMMITS)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
    _refused(tmp_path / "w", "./deploy.sh")


def test_a_script_replaced_by_rename_is_read_again(tmp_path: Path, data: Path) -> None:
    path = _script(tmp_path / "w", QUIET)
    _kept(tmp_path / "w", "./deploy.sh")
    before = path.stat()
    other = tmp_path / "w" / ".deploy.sh.new"
    other.write_text(COMMITS)
    other.chmod(0o755)
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.rename(other, path)  # a new inode, the old size and mtime
    assert path.stat().st_ino != before.st_ino
    _refused(tmp_path / "w", "./deploy.sh")


def test_a_script_swapped_through_a_symlink_is_read_again(tmp_path: Path, data: Path) -> None:
    work = tmp_path / "w"
    work.mkdir()
    for name, text in (("quiet.sh", QUIET), ("commits.sh", COMMITS)):
        (work / name).write_text(text)
        (work / name).chmod(0o755)
        os.utime(work / name, ns=(OLD_NS, OLD_NS))
    (work / "deploy.sh").symlink_to("quiet.sh")
    _kept(work, "./deploy.sh")
    (work / ".next").symlink_to("commits.sh")
    os.rename(work / ".next", work / "deploy.sh")  # the link now names the other script
    _refused(work, "./deploy.sh")
    # A directory on the way swapped for a link to another one: the path resolves elsewhere.
    (work / "one").mkdir()
    (work / "two").mkdir()
    (work / "one" / "x.sh").write_text(QUIET)
    (work / "two" / "x.sh").write_text(COMMITS)
    for name in ("one/x.sh", "two/x.sh"):
        os.utime(work / name, ns=(OLD_NS, OLD_NS))
    (work / "tools").symlink_to("one")
    _kept(work, "sh tools/x.sh")
    (work / ".tools").symlink_to("two")
    os.rename(work / ".tools", work / "tools")
    _refused(work, "sh tools/x.sh")


def test_an_edited_sourced_file_is_read_again(tmp_path: Path, data: Path) -> None:
    work = tmp_path / "w"
    _script(work, "#!/bin/sh\n. ./lib.sh\nbuild\n")
    quiet, commits = "build() { echo building w i p; }\n", "build() { git commit -qam wip; }\n"
    assert len(quiet) == len(commits)
    (work / "lib.sh").write_text(quiet)
    os.utime(work / "lib.sh", ns=(OLD_NS, OLD_NS))
    _kept(work, "./deploy.sh")
    entry = _entries(data)[0]
    assert sorted(d[0] for d in entry["deps"]) == sorted([str(work / "deploy.sh"), str(work / "lib.sh")])
    (work / "lib.sh").write_text(commits)
    os.utime(work / "lib.sh", ns=(OLD_NS, OLD_NS))
    _refused(work, "./deploy.sh")


def _entries(data: Path) -> list[dict[str, Any]]:
    from integration_engineer.runtime import json_codec

    entries: list[dict[str, Any]] = json_codec.loads((data / script_cache.FILE_NAME).read_text())["entries"]
    return entries


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
    "search_path",
    "traps",
    "evaluation",
    "git_verbs",
    "known_files",
    "known_git",
    "git_runs",
    "repo_config",
    "git_transports",
    "git_hooks",
    "policy",
    "other_repos",
    "git_index",
    "attribute_paths",
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
    # Compared as sets of lines: which reads there are matters, not the order of the modules.
    assert sorted(found) == sorted(
        [
            'analysis_state.py: code, out = git_runner.run(self.cwd or os.getcwd(), ("--exec-path",), timeout=3)',
            # Aliases, from the repository or a config file the command names: the analysis is then
            # marked unrecordable (script_files.unrecordable), so nothing of it is cached.
            "git_verbs.py: code, out = git_runner.run("
            'directory, ("config", *where, "--get-regexp", r"^alias\\."), timeout=3)',
            "git_verbs.py: return None if os.path.isdir(directory) else {}",
            # Data, not a call: the os attributes of analysed code that start nothing.
            'code.py: {"path", "environ", "getenv", "getcwd", "listdir", "scandir", "walk", '
            '"sep", "linesep", "pathsep"}',
            # What /bin/sh is (dash or bash: whether ``sh`` imports functions): a fact of the machine,
            # not of the worktree, the same for every analysis the cache keeps.
            'startup.py: name = os.path.realpath("/bin/sh").rsplit("/", 1)[-1] if os.path.exists("/bin/sh") else "?"',
            # Text, not calls: docstrings naming the analysed code's file reads, and the matching of
            # that code's own ``open(`` (the file it names is then read through script_files).
            'code.py: file read by name (``exec(open("f.py").read())``, followed as a file the code runs)."""',
            'code.py: if text.replace(" ", "").startswith(("open(", "compile(open(")) and literals(text):',
            'code.py: (``open(my $h, "|-", "CMD")``, ``"-|"``) or two (``open(H, "|CMD")``, ``"CMD |"``); None for',
            'interpreters.py: runs by name (``runpy.run_path``, ``exec(open(...).read())``), run their code too."""',
            'startup.py: ``exec(open("f.py").read())`` (and ``compile(open(...))``)."""',
            'startup.py: calls = ("run_path(", "execfile(") + (("open(",) '
            'if "exec(" in code or "compile(" in code else ())',
        ]
    )


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


def test_without_the_sandbox_the_hook_keeps_scripts_and_refuses_each_swap(tmp_path: Path) -> None:
    """The registered hook with the sandbox off (where the static reading is the only layer): four
    scripts kept, then each changed in its own way into one that commits (rewritten with its size
    and mtime put back, replaced by rename, swapped through a link, a sourced file edited): each is
    read again and refused. Run for real afterwards, each does commit: the refusals were needed."""
    import json
    import subprocess
    import time

    from tests.helpers import git, make_repo, run_hook

    project = make_repo(tmp_path / "p", ("PROJ-1-x",))
    (project / ".claude").mkdir()
    (project / ".claude" / "integration-engineer.json").write_text(json.dumps({"sandbox": {"mode": "off"}}))
    work = project / "trees" / "PROJ-1-x"
    git(work, "config", "user.email", "t@example.com")
    git(work, "config", "user.name", "t")
    for name, text in (("a.sh", QUIET), ("b.sh", QUIET), ("quiet.sh", QUIET), ("commits.sh", COMMITS)):
        (work / name).write_text(text)
        (work / name).chmod(0o755)
        os.utime(work / name, ns=(OLD_NS, OLD_NS))
    (work / "c.sh").symlink_to("quiet.sh")
    _script(work, "#!/bin/sh\n. ./lib.sh\nbuild\n")  # d: deploy.sh sources lib.sh
    (work / "lib.sh").write_text("build() { echo building w i p; }\n")
    os.utime(work / "lib.sh", ns=(OLD_NS, OLD_NS))
    env = {"IE_DATA_DIR": str(tmp_path / "data"), "CLAUDE_PROJECT_DIR": str(project), "HOME": str(tmp_path)}
    guarded = "integration-engineer:integration-engineer"
    common = {"session_id": "s", "cwd": str(project), "transcript_path": str(tmp_path / "s.jsonl")}
    prompt = (
        "TASK: PROJ-1, DESCRIPTION: Integrate Stripe payment webhooks with retries, WORKTREE_PATH: ./trees/PROJ-1-x"
    )
    agent_call = {
        **common,
        "hook_event_name": "PreToolUse",
        "tool_name": "Agent",
        "tool_use_id": "t1",
        "tool_input": {"subagent_type": guarded, "prompt": prompt, "description": "d"},
    }
    assert "updatedInput" in run_hook("PreToolUse", agent_call, tool="Agent", env=env).stdout
    agent = {**common, "cwd": str(work), "agent_id": "a1", "agent_type": guarded}
    meta = tmp_path / "s" / "subagents" / "agent-a1.meta.json"
    meta.parent.mkdir(parents=True)
    meta.write_text(json.dumps({"agentType": guarded, "toolUseId": "t1"}))
    assert run_hook("SubagentStart", {**agent, "hook_event_name": "SubagentStart"}, env=env).exit_code == 0

    def decide(command: str) -> tuple[str, str]:
        bash = {**agent, "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_use_id": "t2"}
        done = run_hook("PreToolUse", {**bash, "tool_input": {"command": command}}, tool="Bash", env=env)
        assert "bwrap" not in done.stdout, done.stdout  # the sandbox is off: the static reading alone
        return done.decision, done.reason

    commands = ["./a.sh", "./b.sh", "./c.sh", "./deploy.sh"]
    time.sleep(2.1)  # past the racy window of the files written above
    for command in commands:
        assert decide(command)[0] != "deny"
    cache = tmp_path / "data" / script_cache.FILE_NAME
    assert sorted(e["key"][0] for e in _entries(tmp_path / "data")) == sorted(commands)
    for command in commands:
        assert decide(command)[0] != "deny"  # from the cache
    kept = cache.stat().st_ino
    with open(work / "a.sh", "r+") as fh:
        fh.write(COMMITS)
    os.utime(work / "a.sh", ns=(OLD_NS, OLD_NS))
    (work / ".b.new").write_text(COMMITS)
    (work / ".b.new").chmod(0o755)
    os.utime(work / ".b.new", ns=(OLD_NS, OLD_NS))
    os.rename(work / ".b.new", work / "b.sh")
    (work / ".c.new").symlink_to("commits.sh")
    os.rename(work / ".c.new", work / "c.sh")
    (work / "lib.sh").write_text("build() { git commit -qam wip; }\n")
    os.utime(work / "lib.sh", ns=(OLD_NS, OLD_NS))
    assert cache.stat().st_ino == kept  # the entries that said "nothing found" are still there
    for command in commands:
        decision, reason = decide(command)
        assert decision == "deny" and "git commit" in reason, (command, reason)
    for command in commands:
        head = git(work, "rev-parse", "HEAD")
        (work / "notes.txt").write_text(command)
        git(work, "add", "notes.txt")
        subprocess.run(["sh", "-c", command], cwd=work, check=True, capture_output=True)
        assert git(work, "rev-parse", "HEAD") != head, f"{command} did not commit"
