"""Reading the orchestrator's prompt: task id, description, worktree path, @file references,
and Reaper's ``BRIEF`` (the description when there is no ``DESCRIPTION``), ``SCOPE`` (globs the
agent may write) and ``RESTRICTION`` (what not to touch).

Orchestrators write the same three facts in many shapes, so the reading is forgiving:

- keys in any case, with or without markdown bold, list bullets or headings:
  ``TASK`` / ``TASK_ID`` / ``TICKET``, ``DESCRIPTION`` / ``DESC``, ``WORKTREE_PATH`` / ``WORKTREE``
  (words joined by ``_``, ``-`` or a space), followed by ``:`` or ``=``;
- on one line separated by commas (``TASK: PROJ-123, DESCRIPTION: ..., WORKTREE_PATH: ...``) or
  on lines of their own; a key alone on its line takes the lines below it, up to a blank line;
- task ids of any format (``PROJ-123``, ``repo-a3f``, ``#456``, ``sprint-5-auth``) or none;
- without a DESCRIPTION key, the words after the task id, else the prompt's free text, describe it.

Standard library only: this runs on the hot path.
"""

from __future__ import annotations

from integration_engineer.runtime.record import record
from integration_engineer.task import prompt_keys
from integration_engineer.task.prompt_keys import BRIEF, DESCRIPTION, RESTRICTION, SCOPE, TASK, WORKTREE

# The keys (TASK, DESCRIPTION, WORKTREE in their many spellings) are found by prompt_keys.
# "@plan.md", "@docs/spec.md", "(@plan.md)": an @ at the start of a word; e-mail addresses are not.
# Compiled (re's cache) only for a prompt with an @ in it.
_FILE_REF = r"(?<![^\s(\[{,;:\"'`*])@(?P<path>[^\s,;'\"`()\[\]{}<>*]+)"
_EXTENSION = r"\.[A-Za-z0-9]{1,10}$"
_TRAILING = ".,;:!?)]}"
_ID_CHARS = "0123456789#_-"
_SEPARATORS = ":-–—,;|"
_QUOTES = "\"'`"


@record
class ParsedPrompt:
    task_id: str = ""
    description: str = ""
    worktree: str = ""
    # Where the description came from: "key" (DESCRIPTION:), "task" (words after the task id),
    # "text" (the prompt's free text) or "" (none).
    description_source: str = ""
    file_refs: tuple[str, ...] = ()  # @references that name a file (have an extension)
    maybe_file_refs: tuple[str, ...] = ()  # @references without extension (@types/node ...)
    free_text: str = ""  # the prompt outside the recognised keys
    keys: tuple[str, ...] = ()  # the keys found, as written
    brief: str = ""  # BRIEF: one sentence (Reaper); the description when DESCRIPTION is absent
    scope: tuple[str, ...] = ()  # SCOPE: path globs, relative to the worktree, the agent may write
    restriction: str = ""  # RESTRICTION: what the agent must not touch (prose, for the agent)
    scope_given: bool = False  # a SCOPE key was written (with globs or, by mistake, without)


def _clean(value: str) -> str:
    """A value without surrounding markdown, separators and whitespace."""
    # re.sub(r"^(?:\*\*|__|[*_])\s*", "", ...) then re.sub(r"\s*(?:\*\*|__|[*_])?\s*[,;|]?\s*$"),
    # as string code (no regex to compile on the hot path; \s and str.isspace are the same set).
    value = value.strip()
    if value.startswith(("**", "__")):
        value = value[2:].lstrip()
    elif value.startswith(("*", "_")):
        value = value[1:].lstrip()
    if value.endswith((",", ";", "|")):
        value = value[:-1].rstrip()
    if value.endswith(("**", "__")):
        value = value[:-2]
    elif value.endswith(("*", "_")):
        value = value[:-1]
    return value.strip()


def _first_token(value: str) -> tuple[str, str]:
    """The first token of a value (a quoted one may hold spaces) and the rest."""
    value = value.strip()
    if value and value[0] in _QUOTES:
        end = value.find(value[0], 1)
        if end > 0:
            return value[1:end], value[end + 1 :]
    parts = value.split(None, 1)
    if not parts:
        return "", ""
    token = parts[0].strip(_QUOTES).rstrip(_TRAILING).strip(_QUOTES)
    if token.endswith(("**", "__")):  # re.sub(r"(?:\*\*|__)$", "", token): a token has no newline
        token = token[:-2]
    return token, parts[1] if len(parts) > 1 else ""


def _looks_like_id(token: str) -> bool:
    return any(c in _ID_CHARS for c in token) or token.isupper()


def _split_task(value: str) -> tuple[str, str]:
    """TASK value -> (id, trailing description). A value of plain words is a description."""
    value = _clean(value)
    token, rest = _first_token(value)
    if not token:
        return "", ""
    if _looks_like_id(token) or not rest.strip():
        rest = _lstrip_separators(rest)
        return token, _clean(rest)
    return "", value


def _values(prompt: str) -> tuple[dict[str, str], list[str], str]:
    """Key -> value (the first occurrence wins), keys as written, and the free text."""
    matches = []
    for m in prompt_keys.finditer(prompt):
        if m.lead in (" ", "\t") and not (m.key.isupper() or "*" in prompt[m.start : m.end]):
            continue  # "... the description: ..." in a sentence is not a key
        matches.append(m)
    values: dict[str, str] = {}
    written: list[str] = []
    free: list[str] = []
    cursor = 0
    for i, m in enumerate(matches):
        written.append(m.key)
        stop = matches[i + 1].start if i + 1 < len(matches) else len(prompt)
        if m.start < cursor:
            continue
        free.append(prompt[cursor : m.start])
        segment = prompt[m.end : stop]
        line, newline, below = segment.partition("\n")
        if line.strip() or not newline:
            value, cursor = line, m.end + len(line)
        else:  # the key stands alone: its value is the block below, up to a blank line
            block = _first_block(below)
            value, cursor = block, m.end + len(line) + 1 + len(block)
        values.setdefault(m.name, value)
    free.append(prompt[cursor:])
    return values, written, "".join(free)


def _file_refs(prompt: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    named: list[str] = []
    maybe: list[str] = []
    if "@" not in prompt:  # every reference starts with one
        return (), ()
    import re  # here: re costs ~7 ms to import, and most prompts name no file

    for m in re.finditer(_FILE_REF, prompt):
        path = m.group("path").rstrip(_TRAILING)
        if not path:
            continue
        last = path.rstrip("/").rsplit("/", 1)[-1]
        target = named if re.search(_EXTENSION, last) and not path.endswith("/") else maybe
        if path not in target:
            target.append(path)
    return tuple(named), tuple(maybe)


def _first_block(text: str) -> str:
    """``re.split(r"\\n[ \\t]*\\n", text, maxsplit=1)[0]``: the text up to its first blank line."""
    at = text.find("\n")
    while at >= 0:
        after = at + 1
        while after < len(text) and text[after] in " \t":
            after += 1
        if after < len(text) and text[after] == "\n":
            return text[:at]
        at = text.find("\n", at + 1)
    return text


def _squash(text: str) -> str:
    return " ".join(text.split())  # re.sub(r"\s+", " ", text).strip()


def _lstrip_separators(text: str, separators: str = _SEPARATORS) -> str:
    """``re.sub(r"^[\\s:\\-–—,;|]+", "", text)`` (whitespace and the given separators)."""
    i = 0
    while i < len(text) and (text[i] in separators or text[i].isspace()):
        i += 1
    return text[i:]


def parse(prompt: str) -> ParsedPrompt:
    values, written, free = _values(prompt)
    task_id, after_id = _split_task(values.get(TASK, ""))
    worktree = _first_token(_clean(values.get(WORKTREE, "")))[0]
    description, source = _squash(_clean(values.get(DESCRIPTION, ""))), "key" if DESCRIPTION in values else ""
    brief = _squash(_clean(values.get(BRIEF, "")))
    if not description and brief:
        description, source = brief, "key"
    free_text = free.strip()
    if not description and after_id:
        description, source = _squash(after_id), "task"
    if not description and DESCRIPTION not in values and BRIEF not in values:
        text = _squash(_lstrip_separators(free_text, ",;|"))  # re.sub(r"^[\s,;|]+", "", free_text)
        if text:
            description, source = text, "text"
    named, maybe = _file_refs(prompt)
    return ParsedPrompt(
        task_id=task_id,
        description=description,
        worktree=worktree,
        description_source=source,
        file_refs=named,
        maybe_file_refs=maybe,
        free_text=free_text,
        keys=tuple(written),
        brief=brief,
        scope=scope_globs(values.get(SCOPE, "")),  # not _clean: a glob may end in "**"
        scope_given=SCOPE in values,
        restriction=_squash(_clean(values.get(RESTRICTION, ""))),
    )


def scope_globs(value: str) -> tuple[str, ...]:
    """SCOPE's globs: separated by blanks, commas or lines, each maybe quoted, in backticks or
    after a ``-`` bullet (``src/auth/** tests/auth/**``, ``- `src/**` ``)."""
    globs: list[str] = []
    for word in value.replace(",", " ").replace(";", " ").split():
        glob = word.strip(_QUOTES)
        if word in ("-", "+"):  # a list bullet ("*" alone is a glob: every file at the top)
            continue
        if glob and glob not in globs:
            globs.append(glob)
    return tuple(globs)


# ---------------------------------------------------------------- substance of a description

# Words that say nothing about which integration is meant.
_GENERIC = """
a an the this that these those it its some any all new our my your their to of for in on at by
with and or from into via as be is are do does make add adds adding added build create implement
implementation integrate integrates integrating integration integrations api apis feature
features support service services stuff thing things work task tasks code change changes update
updates fix fixes please system module component handle handling improve improvement setup set
up basic simple some more various misc general generic external third party thirdparty connect
connection connections functionality logic
"""
GENERIC_WORDS = frozenset(_GENERIC.split())
MIN_CHARS = 10  # more than this many characters
MIN_WORDS = 4


_WORD_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_WORD_CHARS = _WORD_START | frozenset("'.+#/-")


def words_of(text: str) -> list[str]:
    """``re.findall(r"[A-Za-z0-9][A-Za-z0-9'.+#/-]*", text)`` as string code."""
    words = []
    i, n = 0, len(text)
    while i < n:
        if text[i] not in _WORD_START:
            i += 1
            continue
        j = i + 1
        while j < n and text[j] in _WORD_CHARS:
            j += 1
        words.append(text[i:j])
        i = j
    return words


def description_problems(description: str) -> list[str]:
    """Why a description is not substantial (empty list: it is)."""
    shown = description if len(description) <= 80 else description[:77] + "..."
    problems = []
    if len(description) <= MIN_CHARS:
        problems.append(
            f'the description "{shown}" has {len(description)} characters; more than {MIN_CHARS} are needed'
        )
    words = words_of(description)
    if len(words) < MIN_WORDS:
        problems.append(f'the description "{shown}" has {len(words)} word(s); at least {MIN_WORDS} are needed')
    specific = [w for w in words if w.lower().strip(".'/-") not in GENERIC_WORDS]
    if words and not specific:
        problems.append(
            f'the description "{shown}" uses only generic words; name the service '
            'and what to build (e.g. "Integrate Stripe payment webhooks with retry '
            'logic")'
        )
    return problems
