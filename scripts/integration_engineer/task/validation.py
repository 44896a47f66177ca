"""Pre-work validation of a guarded agent's task, before it costs a single turn.

PreToolUse on ``Agent``/``Task`` for a guarded ``subagent_type``: the prompt must name the task
(an id with a description, or a substantial description), a worktree (a registered linked
worktree under the configured root) and its requirements (the description, an ``@file`` or the
ticket's acceptance criteria). A refusal lists every problem at once, each under the reference
agent's ``ERROR:`` line, so the orchestrator can fix them all in one retry. An accepted task is
remembered (``task_context``) for every later hook. Standard library only.
"""

from __future__ import annotations

import os
import time

from integration_engineer.config import Settings, project_dir
from integration_engineer.repository import git_files
from integration_engineer.runtime import json_codec
from integration_engineer.runtime.actor import is_guarded
from integration_engineer.runtime.outcome import PASS, Outcome, deny
from integration_engineer.runtime.payload import HookEvent, input_str
from integration_engineer.runtime.record import field, mutable_record, record
from integration_engineer.task import context as task_context
from integration_engineer.task import prompt as task_prompt
from integration_engineer.task.prompt import ParsedPrompt

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from typing import Any

POLICY = "task_validation"
ERR_TASK = "ERROR: Need task identifier with description OR detailed integration description"
ERR_WORKTREE = "ERROR: Worktree path required (e.g., ./trees/PROJ-123-integration)"
ERR_REQUIREMENTS = "ERROR: Integration requirements required (provide API specs, authentication flow, data flow)"
ERROR_ORDER = (ERR_TASK, ERR_WORKTREE, ERR_REQUIREMENTS)
JIRA_ID = r"[A-Z][A-Z0-9_]+-[0-9]+"  # compiled only when Jira is enabled
MAX_FILE_CHARS = 64 * 1024
GIT_TIMEOUT = 5.0


@record
class Ticket:
    key: str
    summary: str = ""
    criteria: str = ""  # acceptance criteria (or the description when it has no such section)

    def as_text(self) -> str:
        lines = [f"## Ticket {self.key} (from Jira)"]
        if self.summary:
            lines.append(f"Summary: {self.summary}")
        if self.criteria:
            lines += ["Acceptance criteria:", self.criteria]
        return "\n".join(lines)


@mutable_record
class Verdict:
    prompt: str
    parsed: ParsedPrompt
    project: str
    problems: dict[str, list[str]] = field(default_factory=dict)  # ERROR line -> what was wrong
    worktree: str = ""  # resolved, when the path is acceptable ("" with isolation: the agent's cwd)
    isolation: bool = False
    session_worktree: str = ""  # named beside isolation: where the agent's work is merged into
    requirements: str = ""
    requirement_files: list[str] = field(default_factory=list)
    ticket: Ticket | None = None
    notes: list[str] = field(default_factory=list)  # for the orchestrator (Jira skipped ...)

    @property
    def accepted(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> dict[str, list[str]]:
        """The problems in the reference's order (task, worktree, requirements)."""
        return {e: self.problems[e] for e in ERROR_ORDER if e in self.problems}

    def add(self, error: str, detail: str) -> None:
        self.problems.setdefault(error, []).append(detail)

    def message(self) -> str:
        """The refusal: each ERROR line first, then exactly what was wrong."""
        blocks = []
        for error, details in self.errors.items():
            blocks.append("\n".join([error, *(f"- {d}" for d in details)]))
        blocks.append("Fix every point above, then start the integration-engineer again.")
        return "\n\n".join(blocks)

    def prompt_for_agent(self) -> str:
        """The prompt the subagent gets: the orchestrator's, plus the ticket when one was read."""
        if self.ticket is None:
            return self.prompt
        return self.prompt.rstrip() + "\n\n" + self.ticket.as_text()


# ---------------------------------------------------------------- the hook


def check(event: HookEvent, settings: Settings) -> Outcome:
    if event.tool_name not in ("Agent", "Task"):
        return PASS
    target = input_str(event, "subagent_type")
    if not is_guarded(target, settings.guarded_agent_types):
        return PASS
    prompt = input_str(event, "prompt")
    project = project_of(event)
    isolation = input_str(event, "isolation") == "worktree" or declares_isolation(target, project)
    verdict = evaluate(prompt, project, settings, isolation=isolation)
    if not isolation:
        _check_session_confinement(verdict, event.cwd)
    if not verdict.accepted:
        return deny(POLICY, verdict.message(), task_id=verdict.parsed.task_id, errors=list(verdict.errors))
    new_prompt = verdict.prompt_for_agent()
    if event.tool_use_id:  # names this call's task in the subagent's first message (parallel agents)
        new_prompt = new_prompt.rstrip() + "\n\n" + task_context.token_line(event.tool_use_id)
    task = task_of(verdict, session_id=event.session_id, tool_use_id=event.tool_use_id, prompts=(prompt, new_prompt))
    task_context.remember(task)
    notes = list(verdict.notes)
    if isolation:
        notes.append(isolation_note(verdict, event.cwd))
    updated = dict(event.tool_input)
    if new_prompt != prompt:
        updated["prompt"] = new_prompt
    if updated.get("run_in_background") is not False:
        # A background agent returns before it has finished (observed with CLI 2.1.332): its
        # SubagentStop checks would come after the orchestrator moved on, and no PostToolUse
        # hand-off would follow. Run it in the foreground so the checks gate the hand-off.
        updated["run_in_background"] = False
        if event.tool_input.get("run_in_background") is True:
            notes.append("integration-engineer runs in the foreground so its answer is checked before you continue.")
    if updated == event.tool_input:
        return Outcome(kind="pass", policy=POLICY, context="\n".join(notes), details={"task_id": task.task_id})
    return Outcome(
        kind="pass",
        policy=POLICY,
        updated_input=updated,
        context="\n".join(notes),
        details={"task_id": task.task_id, "ticket": new_prompt != prompt},
    )


def project_of(event: HookEvent) -> str:
    """The main checkout: in a ``claude --worktree`` session (or after EnterWorktree)
    CLAUDE_PROJECT_DIR is the session's worktree, but the project is the repository's main one."""
    return project_at(os.path.realpath(project_dir(event.cwd)))


def project_at(where: str) -> str:
    """The main checkout of the repository whose working tree ``where`` is, else ``where``."""
    listed = _worktrees(where) if os.path.lexists(os.path.join(where, ".git")) else None
    return listed[0] if listed else where


def is_repository(project: str) -> bool:
    """Whether ``project`` is a git repository (one its linked worktrees can be made in)."""
    return _worktrees(project) is not None


def declares_isolation(subagent_type: str, project: str) -> bool:
    """Whether the agent's definition says ``isolation: worktree`` (Claude Code honours it for
    plugin and project agents): the project's ``.claude/agents/NAME.md`` or this plugin's."""
    name = subagent_type.rsplit(":", 1)[-1]
    if not name or "/" in name or name.startswith("."):
        return False
    from integration_engineer import PLUGIN_ROOT

    roots = [os.path.join(project, ".claude", "agents")]
    if ":" in subagent_type:
        roots.insert(0, os.path.join(os.environ.get("CLAUDE_PLUGIN_ROOT") or PLUGIN_ROOT, "agents"))
    for root in roots:
        try:
            with open(os.path.join(root, name + ".md"), encoding="utf-8", errors="replace") as fh:
                head = fh.read(8192)
        except OSError:
            continue
        return _frontmatter_isolation(head)
    return False


def _frontmatter_isolation(text: str) -> bool:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return False
    for line in lines[1:]:
        if line.strip() == "---":
            return False
        key, _, value = line.partition(":")
        if key.strip() == "isolation":
            return value.strip().strip("\"'") == "worktree"
    return False


def isolation_note(verdict: Verdict, cwd: str) -> str:
    """What the orchestrator should know about an isolated agent's worktree."""
    lines = [
        "integration-engineer: Claude Code runs the agent in its own isolation worktree "
        "(.claude/worktrees/agent-<id>); the hooks confine it there."
    ]
    here = os.path.realpath(cwd) if cwd else verdict.project
    from integration_engineer.task import base_ref  # with isolation only: it starts git

    ref = base_ref.setting(tuple(dict.fromkeys((os.path.realpath(project_dir(cwd)), verdict.project))))
    base, count = ("", 0) if ref == "head" else base_ref.missing(here)
    if count:
        lines.append(base_ref.warning_text(base, count))
    if verdict.session_worktree:
        lines.append(f"Its work is to be merged into the session worktree {verdict.session_worktree}.")
    if cwd and here != verdict.project and here in (_worktrees(verdict.project) or []):
        start = f"starts at {base}, not at your HEAD" if base else "branches from your HEAD"
        lines.append(
            f"You run in the worktree {here}, not in the main checkout: the agent's worktree {start}; "
            "merge its branch (worktree-agent-<id>) into yours when it is done."
        )
    return " ".join(lines)


def task_of(
    verdict: Verdict, *, session_id: str, tool_use_id: str, prompts: tuple[str, ...] = (), take_baseline: bool = False
) -> task_context.Task:
    """The Task record of an accepted verdict, with the worktree's HEAD now.

    The baseline (a ``git status``, the dearest step) is left to SubagentStart, which runs before
    the agent's first request, unless ``take_baseline`` (main-thread tasks have no SubagentStart).
    """
    wt = verdict.worktree
    hashes = tuple(
        dict.fromkeys(task_context.prompt_hash(p) for p in (*prompts, verdict.prompt, verdict.prompt_for_agent()))
    )
    baseline = task_context.baseline_of(wt) if take_baseline and wt else None
    return task_context.Task(
        task_id=verdict.parsed.task_id,
        description=verdict.parsed.description,
        worktree=wt,
        worktree_arg="" if verdict.isolation else verdict.parsed.worktree,
        project=verdict.project,
        requirements=verdict.requirements,
        base_head=task_context.head_of(wt) if wt else "",
        baseline=baseline or {},
        baseline_taken=baseline is not None,
        tool_use_id=tool_use_id,
        session_id=session_id,
        prompt_hashes=hashes,
        accepted_at=time.time(),
        requirement_files=tuple(verdict.requirement_files),
        worktree_pin=task_context.pin_of(wt) if wt else "",
        isolation=verdict.isolation,
        session_worktree=verdict.session_worktree,
        scope=verdict.parsed.scope,
        restriction=verdict.parsed.restriction,
    )


# ---------------------------------------------------------------- the rules


def evaluate(
    prompt: str, project: str, settings: Settings, *, lookup_ticket: bool = True, isolation: bool = False
) -> Verdict:
    """Every rule applied to a prompt; ``lookup_ticket`` allows running acli (when configured);
    ``isolation``: Claude Code makes the agent's worktree, the prompt's names the session's."""
    parsed = task_prompt.parse(prompt)
    verdict = Verdict(prompt=prompt, parsed=parsed, project=project, isolation=isolation)
    if lookup_ticket:
        _lookup_ticket(verdict, settings)
    sources = _requirement_sources(verdict)
    _check_task(verdict, sources)
    _check_scope(verdict)
    if isolation:
        _check_session_worktree(verdict)
    else:
        _check_worktree(verdict, settings.worktree_root, settings.worktree_root_from)
    return verdict


def _check_task(verdict: Verdict, sources: list[str]) -> None:
    parsed = verdict.parsed
    problems = task_prompt.description_problems(parsed.description) if parsed.description else []
    if parsed.description and not problems:
        return
    if sources:  # a plan file or ticket criteria describe the task in detail
        return
    if not parsed.description:
        if parsed.task_id:
            verdict.add(
                ERR_TASK,
                f"task {parsed.task_id} has no description (add DESCRIPTION: "
                'what to integrate, e.g. "Integrate Stripe payment webhooks with retry '
                'logic")',
            )
        else:
            verdict.add(
                ERR_TASK,
                "the prompt has neither a task identifier nor a description "
                '(expected e.g. "TASK: PROJ-123, DESCRIPTION: Integrate Stripe payment '
                'webhooks with retry logic")',
            )
        return
    for problem in problems:
        verdict.add(ERR_TASK, problem)


def _check_scope(verdict: Verdict) -> None:
    """SCOPE's globs name files inside the worktree: relative, no ``..``; a SCOPE key with no
    glob is a mistake, not "anything goes"."""
    parsed = verdict.parsed
    if parsed.scope_given and not parsed.scope:
        verdict.add(
            ERR_REQUIREMENTS,
            "SCOPE is empty; give the globs of the files the agent may write, relative to its "
            "worktree (e.g. SCOPE: src/auth/** tests/auth/**)",
        )
    for glob in parsed.scope:
        if glob.startswith(("/", "~", "\\")):
            verdict.add(
                ERR_REQUIREMENTS,
                f"the SCOPE glob {glob} is absolute; give globs relative to the worktree (e.g. src/auth/**)",
            )
        elif ".." in glob.replace("\\", "/").split("/"):
            verdict.add(ERR_REQUIREMENTS, f"the SCOPE glob {glob} leaves the worktree with '..'")


def _requirement_sources(verdict: Verdict) -> list[str]:
    """Check the @files and collect the requirements; the names of the detailed sources."""
    parsed = verdict.parsed
    texts: list[str] = []
    sources: list[str] = []
    if parsed.description:
        texts.append(parsed.description)
    free = parsed.free_text.strip()
    if free and parsed.description_source != "text":
        texts.append(free)
    if parsed.scope:
        texts.append("SCOPE (the only files you may write): " + " ".join(parsed.scope))
    if parsed.restriction:
        texts.append(f"RESTRICTION: {parsed.restriction}")
    refs = list(parsed.file_refs)
    for ref in parsed.maybe_file_refs:  # "@docs/plan" without extension: a file only if it is one
        if _resolve_in(ref, verdict.project) is not None:
            refs.append(ref)
    for ref in refs:
        text = _read_requirement_file(verdict, ref)
        if text is not None:
            sources.append(f"@{ref}")
            texts.append(f"## @{ref}\n{text}")
    if verdict.ticket is not None and verdict.ticket.criteria:
        sources.append(f"ticket {verdict.ticket.key}")
        texts.append(verdict.ticket.as_text())
    verdict.requirements = "\n\n".join(texts)
    has_description = bool(parsed.description) and not task_prompt.description_problems(parsed.description)
    missing_files = ERR_REQUIREMENTS in verdict.problems
    if not has_description and not sources and not missing_files:
        what = "no description" if not parsed.description else "only a short description"
        verdict.add(
            ERR_REQUIREMENTS,
            f"the prompt gives {what}, references no @file (e.g. "
            "@plan.md) and no ticket acceptance criteria were found",
        )
    return sources


def _resolve_in(ref: str, project: str) -> str | None:
    candidate = os.path.join(project, os.path.expanduser(ref))
    return candidate if os.path.isfile(candidate) else None


def _read_requirement_file(verdict: Verdict, ref: str) -> str | None:
    """The text of a referenced file, or None after recording what is wrong with it."""
    project = verdict.project
    path = os.path.join(project, os.path.expanduser(ref))
    real = os.path.realpath(path)
    if not _inside(real, project):
        verdict.add(ERR_REQUIREMENTS, f"@{ref} is outside the project ({project})")
        return None
    if not os.path.exists(path):
        verdict.add(ERR_REQUIREMENTS, f"@{ref} does not exist (looked for {path})")
        return None
    if not os.path.isfile(real):
        verdict.add(ERR_REQUIREMENTS, f"@{ref} is not a file")
        return None
    try:
        with open(real, encoding="utf-8", errors="replace") as fh:
            text = fh.read(MAX_FILE_CHARS)
    except OSError as exc:
        verdict.add(ERR_REQUIREMENTS, f"@{ref} cannot be read ({exc.strerror})")
        return None
    if not text.strip():
        verdict.add(ERR_REQUIREMENTS, f"@{ref} is empty")
        return None
    verdict.requirement_files.append(real)
    return text


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _display_root(root_name: str) -> str:
    return "./" + root_name.strip("/").removeprefix("./") + "/"


def _check_worktree(verdict: Verdict, root_name: str, root_from: str = "") -> None:
    arg, project = verdict.parsed.worktree, verdict.project
    shown_root = _display_root(root_name)
    if not arg:
        # start-task makes <root>/<id> under whichever root is configured, or asks for isolation.
        verdict.add(
            ERR_WORKTREE,
            f"the prompt has no WORKTREE_PATH (expected a linked worktree "
            f"under {shown_root}, e.g. WORKTREE_PATH: {shown_root}PROJ-123-integration; create it first: "
            f"git worktree add {shown_root}PROJ-123-integration -b PROJ-123; or call with isolation: "
            f'"worktree" and no WORKTREE_PATH; /integration-engineer:start-task [--isolation] ID DESCRIPTION '
            f"does either in one step)",
        )
        return
    expanded = os.path.expanduser(arg)
    if ".." in expanded.replace("\\", "/").split("/"):  # re.split(r"[/\\]", expanded)
        verdict.add(ERR_WORKTREE, f"{arg} contains '..'; give the path under {shown_root} without it")
        return
    root = os.path.normpath(os.path.join(project, root_name))
    path = os.path.normpath(os.path.join(project, expanded))
    if not _inside(path, root):
        origin = f" (the worktree root, from {root_from})" if root_from else ""
        verdict.add(ERR_WORKTREE, f"{arg} is not under {shown_root}{origin}")
        return
    if path == root:
        verdict.add(
            ERR_WORKTREE,
            f"{arg} is the worktree root itself; give the task's own worktree, e.g. {shown_root}PROJ-123-integration",
        )
        return
    if not os.path.lexists(path):
        verdict.add(ERR_WORKTREE, f"{arg} does not exist (create it first: git worktree add {arg} -b BRANCH)")
        return
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    if not _inside(real, real_root) or real == real_root:
        verdict.add(
            ERR_WORKTREE, f"{arg} resolves to {real}, outside {shown_root} (a symlink escapes the worktree root)"
        )
        return
    if not os.path.isdir(real):
        verdict.add(ERR_WORKTREE, f"{arg} is not a directory")
        return
    listed = _worktrees(project)
    if listed is None:
        verdict.add(
            ERR_WORKTREE,
            f"the project {project} is not a git repository, so {arg} cannot be one of its linked worktrees",
        )
        return
    if listed and real == listed[0]:
        verdict.add(ERR_WORKTREE, f"{arg} is the main working tree; give a linked worktree")
        return
    if real not in listed[1:]:
        verdict.add(
            ERR_WORKTREE,
            f"{arg} is a plain directory, not a registered linked "
            f"worktree of the project's repository (see git worktree list; create one "
            f"with: git worktree add {arg} -b BRANCH)",
        )
        return
    verdict.worktree = real


def claude_session_worktree(cwd: str, project: str) -> str:
    """The worktree Claude Code confines this session to, or "": after ``claude --worktree NAME``
    or EnterWorktree the session runs in ``<main checkout>/.claude/worktrees/NAME``, and Claude Code
    refuses its file-tool writes, and those of every agent it starts without isolation, outside it
    (observed with CLI 2.1.332: "This session is isolated in the worktree ...")."""
    if not cwd:
        return ""
    here = os.path.realpath(cwd)
    parent = os.path.join(project, task_context.ISOLATION_DIR)
    if not _inside(here, parent) or here == parent:
        return ""
    name = here[len(parent) + 1 :].split(os.sep, 1)[0]
    session = os.path.join(parent, name)
    listed = _worktrees(project) or []
    return session if session in listed[1:] else ""


def _check_session_confinement(verdict: Verdict, cwd: str) -> None:
    """Without isolation, in a Claude Code worktree session: the agent's worktree must lie inside
    the session's, or Claude Code refuses all its writes and the run could only end FAILED."""
    session = claude_session_worktree(cwd, verdict.project)
    if not session or (verdict.worktree and _inside(verdict.worktree, session)):
        return
    where = verdict.parsed.worktree or "its worktree"
    verdict.add(
        ERR_WORKTREE,
        f"this session runs in Claude Code's worktree {session} (claude --worktree or EnterWorktree), "
        "and Claude Code confines the session and every agent started without isolation to it: the "
        f"agent could not write in {where} (relative paths are read from the main checkout "
        f'{verdict.project}). Start it with isolation: "worktree" (add WORKTREE: {session} to have '
        "its work merged into yours), or leave the worktree session (ExitWorktree) first",
    )


def _check_session_worktree(verdict: Verdict) -> None:
    """With isolation: the project must be a git repository; a WORKTREE given beside it names
    the session worktree (Reaper's model), which must exist and be a worktree of this repository."""
    arg, project = verdict.parsed.worktree, verdict.project
    listed = _worktrees(project)
    if listed is None:
        verdict.add(
            ERR_WORKTREE,
            f'isolation: "worktree" was requested, but the project {project} is not a git repository '
            "(Claude Code can only make a worktree inside one)",
        )
        return
    if not arg:
        return
    path = os.path.normpath(os.path.join(project, os.path.expanduser(arg)))
    if not os.path.lexists(path):
        verdict.add(
            ERR_WORKTREE,
            f"the session worktree {arg} (given beside isolation) does not exist "
            f"(looked for {path}; create it first: git worktree add {arg} -b BRANCH)",
        )
        return
    real = os.path.realpath(path)
    if real not in listed:
        other = _worktrees(real) if os.path.isdir(real) else None
        why = (
            f"it belongs to another repository ({other[0]})" if other else "it is not a worktree of any git repository"
        )
        verdict.add(
            ERR_WORKTREE,
            f"the session worktree {arg} (given beside isolation) is not a worktree of this project's "
            f"repository ({project}): {why} (see git worktree list)",
        )
        return
    verdict.session_worktree = real


def _worktrees(project: str) -> list[str] | None:
    """Resolved paths from ``git worktree list --porcelain``, main working tree first: read from
    the repository's files (``git_files``), git itself only when something is unusual."""
    listed = git_files.worktrees(project)
    return listed if listed is not None else git_worktrees(project)


def git_worktrees(project: str) -> list[str] | None:
    """The same, from git (None when it fails: not a repository)."""
    from integration_engineer.repository import git_runner

    code, out = git_runner.run(project, ("worktree", "list", "--porcelain", "-z"), timeout=GIT_TIMEOUT)
    if code != 0:
        return None
    return [os.path.realpath(item[len("worktree ") :]) for item in out.split("\0") if item.startswith("worktree ")]


# ---------------------------------------------------------------- Jira (optional)


def _lookup_ticket(verdict: Verdict, settings: Settings) -> None:
    task_id = verdict.parsed.task_id
    if not settings.jira.enabled:
        return
    import re  # Jira only: re costs ~7 ms to import on the hot path

    if not re.fullmatch(JIRA_ID, task_id):
        return
    import shutil  # lazily, as subprocess: Jira is optional
    import subprocess

    acli = shutil.which("acli")
    if acli is None:
        verdict.notes.append(
            f"integration-engineer: Jira lookup for {task_id} skipped: acli is "
            "not on PATH. The subagent works from the prompt alone."
        )
        return
    timeout = settings.jira.timeout_seconds
    try:
        proc = subprocess.run(
            [acli, "jira", "workitem", "view", task_id, "--json"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        verdict.notes.append(
            f"integration-engineer: Jira lookup for {task_id} skipped: acli took longer than {timeout:g}s."
        )
        return
    except OSError as exc:
        verdict.notes.append(
            f"integration-engineer: Jira lookup for {task_id} skipped: acli could not run ({exc.strerror})."
        )
        return
    if proc.returncode != 0:
        why = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
        verdict.notes.append(
            f"integration-engineer: Jira lookup for {task_id} failed (acli exit "
            f"{proc.returncode}: {why[0][:200] if why else 'no output'})."
        )
        return
    ticket = parse_ticket(task_id, proc.stdout)
    if not ticket.summary and not ticket.criteria:
        verdict.notes.append(
            f"integration-engineer: Jira lookup for {task_id}: acli answered without a summary or acceptance criteria."
        )
        return
    verdict.ticket = ticket


def parse_ticket(key: str, output: str) -> Ticket:
    """Summary and acceptance criteria from acli's output (JSON, or ``Field: value`` text)."""
    try:
        data = json_codec.loads(output)
    except ValueError:
        data = None
    if isinstance(data, list) and data and isinstance(data[0], dict):
        data = data[0]
    if isinstance(data, dict):
        return _ticket_from_json(key, data)
    return _ticket_from_text(key, output)


def _ticket_from_json(key: str, data: dict[str, Any]) -> Ticket:
    fields = data.get("fields") if isinstance(data.get("fields"), dict) else data
    assert isinstance(fields, dict)
    names = data.get("names") if isinstance(data.get("names"), dict) else {}
    assert isinstance(names, dict)
    summary = _text(fields.get("summary"))
    criteria = ""
    for name, value in fields.items():
        label = str(names.get(name, name)).lower()
        if "acceptance" in label and _text(value):
            criteria = _text(value)
            break
    description = _text(fields.get("description"))
    if not criteria:
        criteria = _criteria_section(description) or description
    return Ticket(str(data.get("key") or key), summary.strip(), criteria.strip())


def _ticket_from_text(key: str, output: str) -> Ticket:
    import re

    summary = ""
    match = re.search(r"^\s*summary\s*:\s*(.+)$", output, re.IGNORECASE | re.MULTILINE)
    if match:
        summary = match.group(1).strip()
    criteria = _criteria_section(output)
    if not criteria:
        desc = re.search(r"^\s*description\s*:\s*(.*)", output, re.IGNORECASE | re.MULTILINE | re.DOTALL)
        criteria = desc.group(1).strip() if desc else ""
    return Ticket(key, summary, criteria)


def _criteria_section(text: str) -> str:
    import re

    match = re.search(
        r"acceptance criteria\s*:?\s*\n(.*?)(?:\n\s*\n\s*\S[^\n]*:\s*\n|\Z)", text, re.IGNORECASE | re.DOTALL
    )
    return match.group(1).strip() if match else ""


def _text(value: Any) -> str:
    """Plain text of a Jira field: a string, or Atlassian Document Format."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if value.get("type") == "text":
            return str(value.get("text", ""))
        inner = "".join(_text(v) for v in value.get("content", []) or [])
        block = value.get("type") in ("paragraph", "heading", "listItem", "codeBlock")
        return inner + ("\n" if block else "")
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    return str(value)
