"""The task a guarded agent is working on, found again by every later hook. Standard library only.

PreToolUse(Agent) accepts a task and stores it as ``tasks/<session>/<tool_use_id>.json`` in the
data directory. Hooks that run inside the subagent carry only ``agent_id``; ``find`` binds that id
to the Agent call's ``tool_use_id`` once and caches the binding (``agent-<agent_id>.json``):

1. the cached binding (any session: a resumed session may carry a new session id);
2. the subagent's meta file (``toolUseId``), written asynchronously, so retried briefly;
3. the prompt on the first line of the subagent's transcript: the task key line the accepted
   call's prompt got (``token_line``), else its hash matched against the stored tasks (or, when
   none matches, validated and accepted again);
4. the only task of the session that no agent has claimed yet.

A task is claimed with an exclusive create (``claim-<tool_use_id>``), so two integration-engineers
started in parallel never share one task. Main-thread mode (``claude --agent ...``: ``agent_type``
without ``agent_id``) keeps its task under the key ``main``.
"""

from __future__ import annotations

import os
import time

from integration_engineer.config import Settings
from integration_engineer.runtime import json_codec, state_files
from integration_engineer.runtime.actor import is_guarded
from integration_engineer.runtime.datadir import data_dir
from integration_engineer.runtime.payload import HookEvent
from integration_engineer.runtime.record import asdict, fields, record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    # Validates a prompt again: (event, settings, prompt, tool_use_id) -> the accepted task or None.
    Reaccept = Callable[[HookEvent, Settings, str, str], "Task | None"]

MAIN_KEY = "main"
# Where Claude Code makes its worktrees (isolation, --worktree, EnterWorktree), in the main checkout.
ISOLATION_DIR = os.path.join(".claude", "worktrees")
TOKEN_LABEL = "integration-engineer task key: "
META_RETRIES = 5  # x META_SLEEP: how long a hook waits for a meta file that is still being written
META_SLEEP = 0.01
GIT_TIMEOUT = 5.0
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")


@record
class Task:
    task_id: str  # "" when only a description was given
    description: str
    worktree: str  # absolute, resolved path of the linked worktree
    worktree_arg: str  # as written in the prompt, e.g. "./trees/PROJ-123-stripe"
    project: str  # absolute path of the project (main working tree)
    requirements: str  # the description, the text of the referenced @file, or ticket criteria
    base_head: str  # HEAD of the worktree when the agent started (when accepted, until then)
    baseline: dict[str, str]  # paths already changed when the agent started -> content hash ("" if deleted)
    tool_use_id: str = ""
    agent_id: str = ""
    session_id: str = ""
    # Added fields (all defaulted): the sha256 of each prompt text the subagent may receive
    # (as written, and as rewritten with ticket details), when it was accepted, and the @files.
    prompt_hashes: tuple[str, ...] = ()
    accepted_at: float = 0.0
    requirement_files: tuple[str, ...] = ()
    # The baseline is taken when the agent starts (SubagentStart), not on the hot Agent call:
    # False until then. Main-thread tasks take it when accepted.
    baseline_taken: bool = False
    # The worktree directory as accepted: "st_dev:st_ino" ("" in records from before the pin).
    # Another directory at that path (moved, replaced, a link) refuses every write.
    worktree_pin: str = ""
    # Claude Code's own isolation (``isolation: worktree`` on the call or in the agent's
    # definition): the worktree is the agent's cwd, learned when it starts ("" until then).
    isolation: bool = False
    # The session worktree named beside isolation (Reaper's model): where the work is merged into.
    session_worktree: str = ""
    # Reaper's SCOPE globs (relative to the worktree): writes elsewhere are refused; () = no SCOPE.
    scope: tuple[str, ...] = ()
    restriction: str = ""  # Reaper's RESTRICTION: what not to touch, as written

    @property
    def key(self) -> str:
        return self.tool_use_id or MAIN_KEY

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["prompt_hashes"] = list(self.prompt_hashes)
        data["requirement_files"] = list(self.requirement_files)
        data["scope"] = list(self.scope)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Task:
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        for name in ("prompt_hashes", "requirement_files", "scope"):
            kwargs[name] = tuple(kwargs.get(name) or ())
        kwargs["baseline"] = dict(kwargs.get("baseline") or {})
        kwargs.setdefault("baseline_taken", True)  # records written before the field took it at once
        return cls(**kwargs)


# The interpreter's own hash modules (3.12+: _sha2; before: _sha256): hashlib would load OpenSSL,
# milliseconds on the hot path. hashlib only where they are not built in.
_BUILTIN_HASHES = {"sha256": ("_sha2", "_sha256"), "sha1": ("_sha1",)}


def hexdigest(algorithm: str, data: bytes) -> str:
    """``hashlib.new(algorithm, data).hexdigest()`` without importing hashlib when possible."""
    import sys

    for module_name in _BUILTIN_HASHES[algorithm]:
        try:
            __import__(module_name)
        except ImportError:
            continue
        module = sys.modules[module_name]
        return str(getattr(module, algorithm)(data).hexdigest())
    import hashlib

    return hashlib.new(algorithm, data).hexdigest()


def prompt_hash(prompt: str) -> str:
    return hexdigest("sha256", prompt.strip().encode("utf-8", "surrogatepass"))


def pin_of(worktree: str) -> str:
    """The identity of the worktree directory itself ("" when it cannot be read)."""
    try:
        st = os.lstat(worktree)
    except OSError:
        return ""
    return f"{st.st_dev}:{st.st_ino}"


def pin_problem(task: Task) -> str:
    """Why the task's worktree is no longer the directory accepted with it ("" when it is)."""
    if not task.worktree:
        return "the agent's isolation worktree is not known yet (it is learned from the agent's cwd when it starts)"
    try:
        st = os.lstat(task.worktree)
    except OSError as exc:
        return f"the worktree {task.worktree} is gone ({exc.strerror})"
    if st.st_mode & 0o170000 == 0o120000:
        return f"the worktree {task.worktree} is now a symbolic link"
    if st.st_mode & 0o170000 != 0o040000:
        return f"the worktree {task.worktree} is no longer a directory"
    if task.worktree_pin and task.worktree_pin != f"{st.st_dev}:{st.st_ino}":
        return f"the worktree {task.worktree} was replaced by another directory after the task was accepted"
    if os.path.realpath(task.worktree) != task.worktree:
        return f"the worktree {task.worktree} now resolves to {os.path.realpath(task.worktree)}"
    return ""


# ---------------------------------------------------------------- storage


def _safe(name: str) -> str:
    """A file-name-safe form of an id; ids that need changing get a hash suffix (no collisions)."""
    cleaned = "".join(c if c in _SAFE else "_" for c in name)[:100]  # re.sub("[^A-Za-z0-9._-]")
    if cleaned == name and name not in ("", ".", ".."):
        return name
    return f"{cleaned}-{hexdigest('sha256', name.encode())[:12]}"


def session_dir(session_id: str) -> str:
    return os.path.join(data_dir(), "tasks", _safe(session_id or "no-session"))


def _task_path(session_id: str, key: str) -> str:
    return os.path.join(session_dir(session_id), f"{_safe(key)}.json")


def _binding_path(session_id: str, agent_id: str) -> str:
    return os.path.join(session_dir(session_id), f"agent-{_safe(agent_id)}.json")


def _claim_path(session_id: str, key: str) -> str:
    return os.path.join(session_dir(session_id), f"claim-{_safe(key)}")


def write_json(path: str, data: dict[str, Any]) -> None:
    """Atomic write that never follows a link (``state_files``)."""
    state_files.write_json(path, data)


def read_json(path: str) -> dict[str, Any] | None:
    """None when missing or not a JSON object; ``StateFileError`` when not a plain file."""
    return state_files.read_json(path)


def remember(task: Task) -> None:
    """Store (or update) a task under ``tasks/<session>/<tool_use_id or main>.json``."""
    write_json(_task_path(task.session_id, task.key), task.to_json())


def load(session_id: str, key: str) -> Task | None:
    data = read_json(_task_path(session_id, key))
    if data is None:
        return None
    try:
        return Task.from_json(data)
    except (TypeError, ValueError):
        return None


def session_tasks(session_id: str) -> list[Task]:
    """Every task stored for a session (subagent tasks and the main-thread task)."""
    directory = session_dir(session_id)
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    tasks = []
    for name in names:
        if name.endswith(".json") and not name.startswith("agent-"):
            task = load(session_id, name[:-5])
            if task is not None:
                tasks.append(task)
    return tasks


def claimed_by(session_id: str, key: str) -> str:
    """The agent that claimed a task, "" when none did."""
    return (state_files.read_text(_claim_path(session_id, key), 4096) or "").strip()


def _claim(session_id: str, key: str, agent_id: str) -> bool:
    """Claim a task for an agent (exclusive create). True when it is (now or already) ours."""
    if state_files.create_exclusive(_claim_path(session_id, key), agent_id.encode("utf-8", "surrogatepass")):
        return True
    return claimed_by(session_id, key) == agent_id


def bind(task: Task, agent_id: str, *, force: bool = False) -> Task | None:
    """Bind an agent to a task: claim it, cache the binding, record the agent in the task.

    ``force`` (the meta file said so) takes the claim over from an agent bound by a guess.
    Returns the bound task, or None when another agent holds it.
    """
    session, key = task.session_id, task.key
    if not _claim(session, key, agent_id):
        if not force:
            return None
        state_files.write_bytes(_claim_path(session, key), agent_id.encode("utf-8", "surrogatepass"))
    write_json(_binding_path(session, agent_id), {"session_id": session, "tool_use_id": key})
    # The stored copy, not ours: another hook may have stored the baseline since we read it.
    task = load(session, key) or task
    bound = Task.from_json({**task.to_json(), "agent_id": agent_id})
    if task.agent_id != agent_id:
        remember(bound)
    return bound


# ---------------------------------------------------------------- finding


def find(
    event: HookEvent, settings: Settings, *, retries: int = META_RETRIES, reaccept: Reaccept | None = None
) -> Task | None:
    """The task of the acting agent, or None (not a guarded agent, or no task can be found).
    ``reaccept`` validates a prompt again when no stored task matches it (``task.lookup`` passes
    the validation's; this module stays below the validation policy)."""
    if not is_guarded(event.agent_type, settings.guarded_agent_types):
        return None
    if not event.agent_id:  # main-thread mode: the task came with the first prompt
        return load(event.session_id, MAIN_KEY)
    return find_for_agent(event, settings, retries=retries, reaccept=reaccept)


def find_for_agent(
    event: HookEvent, settings: Settings, *, retries: int = META_RETRIES, reaccept: Reaccept | None = None
) -> Task | None:
    agent_id, session = event.agent_id, event.session_id
    cached = _cached(session, agent_id)
    if cached is not None:
        return cached
    meta = _meta_tool_use_id(event, retries)
    if meta:
        task = load(session, meta)
        if task is not None:
            return bind(task, agent_id, force=True)
    prompt = _first_prompt(event)
    if prompt is not None:
        task = _by_token(session, prompt)
        if task is not None:
            return bind(task, agent_id, force=True)
        task = _by_prompt(session, prompt, agent_id)
        if task is not None:
            return task
        task = reaccept(event, settings, prompt, meta) if reaccept is not None else None
        if task is not None:
            return bind(task, agent_id, force=True)
    unbound = pending(session)
    if len(unbound) == 1:
        return bind(unbound[0], agent_id)
    return None


def _cached(session: str, agent_id: str) -> Task | None:
    binding = read_json(_binding_path(session, agent_id))
    if binding is None:  # a resumed session may carry another session id: look everywhere
        root = os.path.join(data_dir(), "tasks")
        name = f"agent-{_safe(agent_id)}.json"
        try:
            sessions = os.listdir(root)
        except OSError:
            return None
        for other in sessions:
            binding = read_json(os.path.join(root, other, name))
            if binding is not None:
                break
    if binding is None:
        return None
    task = load(str(binding.get("session_id", "")), str(binding.get("tool_use_id", "")))
    if task is not None and task.agent_id != agent_id:
        task = Task.from_json({**task.to_json(), "agent_id": agent_id})
    return task


def subagent_files(event: HookEvent) -> tuple[str, str]:
    """Paths of the subagent's meta file and transcript (they may not exist yet)."""
    agent_transcript = event.agent_transcript_path
    if not agent_transcript and event.transcript_path:
        agent_transcript = os.path.join(
            os.path.dirname(event.transcript_path), event.session_id, "subagents", f"agent-{event.agent_id}.jsonl"
        )
    if not agent_transcript:
        return "", ""
    base = agent_transcript[: -len(".jsonl")] if agent_transcript.endswith(".jsonl") else agent_transcript
    return base + ".meta.json", agent_transcript


def _meta_tool_use_id(event: HookEvent, retries: int) -> str:
    meta_path, _ = subagent_files(event)
    if not meta_path:
        return ""
    for attempt in range(max(retries, 0) + 1):
        meta = read_json(meta_path)
        if meta is not None:
            value = meta.get("toolUseId")
            return value if isinstance(value, str) else ""
        if attempt < retries:
            time.sleep(META_SLEEP)
    return ""


def _first_prompt(event: HookEvent) -> str | None:
    """The orchestrator's prompt: the content of the first line of the subagent's transcript."""
    _, transcript = subagent_files(event)
    if not transcript:
        return None
    try:
        with os.fdopen(state_files.open_file(transcript, os.O_RDONLY), "rb") as fh:
            line = fh.readline(4 * 1024 * 1024)
        record = json_codec.loads(line.decode("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    message = record.get("message") if isinstance(record, dict) else None
    content = message.get("content") if isinstance(message, dict) else None
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [b.get("text", "") for b in content if isinstance(b, dict) and b.get("type") == "text"]
        return "\n".join(t for t in texts if isinstance(t, str)) or None
    return None


def token_line(key: str) -> str:
    """The line the accepted Agent call's prompt gets (``updatedInput``): the subagent's first
    message then names its own task, even among several started in one turn with equal prompts."""
    return f"({TOKEN_LABEL}{key})"


def _by_token(session: str, prompt: str) -> Task | None:
    at = prompt.rfind(TOKEN_LABEL)
    if at < 0:
        return None
    rest = prompt[at + len(TOKEN_LABEL) :]
    end = rest.find(")")
    key = rest[:end].strip() if end >= 0 else ""
    return load(session, key) if key else None


def pending(session: str) -> list[Task]:
    """The session's subagent tasks that no agent has claimed yet (started, not yet bound)."""
    return [t for t in session_tasks(session) if t.tool_use_id and not claimed_by(session, t.key)]


def _finished_path(session: str, key: str) -> str:
    return os.path.join(session_dir(session), f"finished-{_safe(key)}")


def mark_finished(session: str, key: str, finished: bool = True) -> None:
    """Whether a task's run has ended (its answer accepted, or let go as failed). A continued
    agent (SendMessage) starts again: SubagentStart marks it unfinished."""
    path = _finished_path(session, key)
    if not finished:
        if state_files.size(path) >= 0:
            os.unlink(path)
        return
    state_files.write_bytes(path, str(time.time()).encode())


def live_tasks(session: str) -> list[Task]:
    """The session's subagent tasks whose run has not ended: their worktrees are their agents'."""
    return [t for t in session_tasks(session) if t.tool_use_id and state_files.size(_finished_path(session, t.key)) < 0]


def _by_prompt(session: str, prompt: str, agent_id: str) -> Task | None:
    digest = prompt_hash(prompt)
    for task in session_tasks(session):
        if task.tool_use_id and digest in task.prompt_hashes:
            bound = bind(task, agent_id)
            if bound is not None:
                return bound
    return None


# ---------------------------------------------------------------- baseline


def git(cwd: str, *args: str, stdin: str | None = None) -> str | None:
    """Output of a git command, None when it fails or takes too long (``git_runner``)."""
    from integration_engineer.repository import git_runner

    code, out = git_runner.run(cwd, args, timeout=GIT_TIMEOUT, stdin=stdin)
    return out if code == 0 else None


def head_of(worktree: str) -> str:
    """The commit HEAD points to ("" when none): read from the files, git when unusual."""
    from integration_engineer.repository import git_files

    found = git_files.head(worktree)
    return found if found is not None else git_head(worktree)


def git_head(worktree: str) -> str:
    """``head_of`` as git answers it."""
    return (git(worktree, "rev-parse", "--verify", "-q", "HEAD") or "").strip()


def changed_paths(worktree: str) -> dict[str, bool]:
    """Paths changed in a worktree (relative to it) -> True when the file still exists."""
    return git_status(worktree) or {}


def git_status(worktree: str) -> dict[str, bool] | None:
    """``changed_paths``, or None when git could not tell (failed, or took too long)."""
    out = git(worktree, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames")
    if out is None:
        return None
    paths: dict[str, bool] = {}
    for entry in out.split("\0"):
        if len(entry) < 4:
            continue
        path = entry[3:]
        paths[path] = os.path.lexists(os.path.join(worktree, path))
    return paths


def blob_hash(path: str) -> str:
    """The git blob id of a file's content (what ``git hash-object --no-filters`` prints).

    A symlink hashes its target, as git stores it; "" when the path is missing or unreadable.
    """
    try:
        if os.path.islink(path):
            data = os.readlink(path).encode("utf-8", "surrogateescape")
        elif os.path.isfile(path):
            with open(path, "rb") as fh:
                data = fh.read()
        else:
            return "dir" if os.path.isdir(path) else ""
    except OSError:
        return ""
    return hexdigest("sha1", b"blob %d\0" % len(data) + data)


def baseline_of(worktree: str) -> dict[str, str] | None:
    """Paths already changed in the worktree -> their blob hash ("" when deleted); None when
    git could not tell."""
    status = git_status(worktree)
    if status is None:
        return None
    return {path: blob_hash(os.path.join(worktree, path)) if exists else "" for path, exists in status.items()}


def with_baseline(task: Task) -> Task:
    """The task with its baseline taken now (and stored), unless it already has one. When git
    cannot tell, the task stays without one (SubagentStop then says so)."""
    if task.baseline_taken or not task.worktree:  # an isolation worktree not learned yet
        return task
    baseline = baseline_of(task.worktree)
    if baseline is None:
        return task
    # HEAD again with it: the two together are the state the agent's changes are counted from.
    taken = Task.from_json(
        {**task.to_json(), "base_head": head_of(task.worktree), "baseline": baseline, "baseline_taken": True}
    )
    remember(taken)
    return taken


__all__ = [
    "MAIN_KEY",
    "Task",
    "baseline_of",
    "bind",
    "blob_hash",
    "changed_paths",
    "find",
    "head_of",
    "load",
    "remember",
    "session_tasks",
    "with_baseline",
]
