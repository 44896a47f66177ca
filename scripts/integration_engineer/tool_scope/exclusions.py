"""Directory exclusions: search, test and lint commands skip ``settings.excluded_dirs``.

The command is rewritten through ``updatedInput``: the tool's flags (``exclusion_flags``) are
inserted into the original text right after the tool word (after the subcommand for ruff and
vitest; at the end of jest's arguments, since its option is an array that would swallow test
paths), and nothing else changes: quoting, pipes, redirections stay as written. Left unchanged:
commands inside substitutions or functions, tools we cannot identify with certainty, commands
that already exclude the directories, grep without -r, find with -prune/-delete/-depth, and
everything when ``rewrite_commands`` is false. Directories named on the command line keep
being searched (their glob is dropped).
"""

from __future__ import annotations

from integration_engineer.bash import commands
from integration_engineer.bash.parser import ShellSyntaxError, Word
from integration_engineer.config import Settings
from integration_engineer.runtime.globs import glob_match
from integration_engineer.runtime.outcome import PASS, Outcome
from integration_engineer.runtime.payload import HookEvent, input_str
from integration_engineer.tool_scope import exclusion_flags
from integration_engineer.tool_scope.tool_calls import ToolCall, identify

NAME = "exclusions"
Edit = tuple[int, str]

FIND_GLOBAL = {
    "-maxdepth": 1,
    "-mindepth": 1,
    "-regextype": 1,
    "-xdev": 0,
    "-mount": 0,
    "-noleaf": 0,
    "-follow": 0,
    "-ignore_readdir_race": 0,
    "-daystart": 0,
    "-warn": 0,
    "-nowarn": 0,
}
FIND_ACTIONS = frozenset(
    {
        "-print",
        "-print0",
        "-printf",
        "-fprint",
        "-fprint0",
        "-fprintf",
        "-ls",
        "-fls",
        "-exec",
        "-execdir",
        "-ok",
        "-okdir",
        "-quit",
    }
)
GREP_SHORT_VALUE = "efmABCdD"


def check(event: HookEvent, settings: Settings) -> Outcome:
    if event.tool_name != "Bash" or not settings.rewrite_commands or not settings.excluded_dirs:
        return PASS
    source = input_str(event, "command")
    new, tools = rewrite(source, settings.excluded_dirs)
    if new == source:
        return PASS
    return Outcome(kind="pass", policy=NAME, updated_input={**event.tool_input, "command": new}, context=notice(tools))


NOTICE_MAX_BYTES = 300  # the notice stays in the conversation: no flag list, no copy of the command


def notice(tools: list[str]) -> str:
    """What the agent is told about a rewrite, at most NOTICE_MAX_BYTES."""
    named = ", ".join(dict.fromkeys(tools))
    text = (
        f"integration-engineer added directory exclusions to {named} (the configured excluded dirs); "
        f"`integration-engineer exclusions {tools[0]}` lists the flags."
    )
    if len(text.encode()) <= NOTICE_MAX_BYTES:
        return text
    return "integration-engineer added directory exclusions (the configured excluded dirs) to this command."


def rewrite(source: str, dirs: tuple[str, ...]) -> tuple[str, list[str]]:
    """``source`` with exclusion flags inserted, and the tools that got them."""
    try:
        script = commands.parsed(source)
    except ShellSyntaxError:
        return source, []
    edits: list[Edit] = []
    tools: list[str] = []
    for met in commands.simple_commands(script):
        call = identify(met.command) if not met.via else None
        if call is None or any(source[w.start : w.end] != w.raw for w in call.words):
            continue
        found = plan(call, dirs)
        if found:
            edits += found
            tools.append(call.tool)
    for pos, text in sorted(edits, key=lambda e: e[0], reverse=True):
        source = source[:pos] + text + source[pos:]
    return source, list(dict.fromkeys(tools))


def plan(call: ToolCall, dirs: tuple[str, ...]) -> list[Edit]:
    """The insertions for one tool call ([] to leave it alone)."""
    values = call.values()
    if any(v is None for v in values) and call.tool in ("find", "jest"):
        return []
    planner = _PLANNERS.get(call.tool)
    return planner(call, dirs) if planner is not None else []


def _after(word: Word, words: list[str]) -> list[Edit]:
    return [(word.end, " " + exclusion_flags.shell_text(words))] if words else []


def _operand_paths(args: list[Word], skip_pattern: bool) -> list[str]:
    values = [w.value for w in args if w.value and not w.value.startswith("-")]
    return values[1:] if skip_pattern and values else values


def _keep(dirs: tuple[str, ...], named: list[str], covered: set[str]) -> tuple[str, ...]:
    """Dirs still to exclude: not already excluded, not part of a path named explicitly."""
    parts = {p for path in named for p in path.split("/") if p not in ("", ".", "..")}
    return tuple(d for d in dirs if _norm(d) not in covered and not any(glob_match(p, d) for p in parts))


def _norm(pattern: str) -> str:
    pattern = pattern.lstrip("!")
    for prefix in ("**/", "*/", "./"):
        pattern = pattern.removeprefix(prefix)
    for suffix in ("/**", "/*", "/"):
        pattern = pattern.removesuffix(suffix)
    return pattern


def _option_values(args: list[Word], names: tuple[str, ...]) -> set[str]:
    out = set()
    for i, w in enumerate(args):
        value = w.value or ""
        for name in names:
            if value == name and i + 1 < len(args):
                out.add(_norm(args[i + 1].value or ""))
            elif value.startswith(name + "=") or (len(name) == 2 and value.startswith(name) and len(value) > 2):
                out.add(_norm(value[len(name) :].lstrip("=")))
    return out


def _has_option(args: list[Word], names: tuple[str, ...]) -> bool:
    return any((w.value or "").split("=")[0] in names for w in args)


def _stdin_only(call: ToolCall, named: list[str]) -> bool:
    return not named and call.command.index > 0


def _rg(call: ToolCall, dirs: tuple[str, ...]) -> list[Edit]:
    args = call.args
    skip = not _has_option(args, ("-e", "--regexp", "-f", "--file"))
    named = _operand_paths(args, skip)
    if _stdin_only(call, named):
        return []
    keep = _keep(dirs, named, _option_values(args, ("-g", "--glob", "--iglob")))
    return _after(call.word, exclusion_flags.flags("rg", keep))


def _grep(call: ToolCall, dirs: tuple[str, ...]) -> list[Edit]:
    args = call.args
    if not _grep_recursive(args):
        return []
    skip = not _has_option(args, ("-e", "--regexp", "-f", "--file"))
    keep = _keep(dirs, _operand_paths(args, skip), _option_values(args, ("--exclude-dir",)))
    return _after(call.word, exclusion_flags.flags("grep", keep))


def _grep_recursive(args: list[Word]) -> bool:
    for i, w in enumerate(args):
        value = w.value or ""
        if value == "--":
            return False
        if value in ("--recursive", "--dereference-recursive", "--directories=recurse"):
            return True
        if value == "-d" and i + 1 < len(args) and args[i + 1].value == "recurse":
            return True
        if value.startswith("-") and not value.startswith("--"):
            for letter in value[1:]:
                if letter in "rR":
                    return True
                if letter in GREP_SHORT_VALUE:
                    break
    return False


def _fd(call: ToolCall, dirs: tuple[str, ...]) -> list[Edit]:
    args = call.args
    keep = _keep(dirs, _operand_paths(args, True), _option_values(args, ("-E", "--exclude")))
    return _after(call.word, exclusion_flags.flags("fd", keep))


def _find(call: ToolCall, dirs: tuple[str, ...]) -> list[Edit]:
    args = call.args
    values = [w.value or "" for w in args]
    if any(v in ("-prune", "-delete", "-depth", "-d") for v in values):
        return []
    i = 0
    while i < len(values) and values[i] in ("-H", "-L", "-P", "-O", "-D"):
        i += 2 if values[i] == "-D" else 1
    starts = []
    while i < len(values) and not values[i].startswith("-") and values[i] not in ("(", "!", ")", ","):
        starts.append(values[i])
        i += 1
    while i < len(values) and values[i] in FIND_GLOBAL:
        i += 1 + FIND_GLOBAL[values[i]]
    keep = _keep(dirs, starts, set())
    if not keep:
        return []
    prune = exclusion_flags.flags("find", keep)
    anchor = args[i - 1] if i > 0 else call.word
    expression = values[i:]
    has_action = any(v in FIND_ACTIONS for v in expression)
    if not expression:
        return _after(anchor, [*prune, "-print"])
    tail = "" if has_action else " -print"
    return [
        (anchor.end, " " + exclusion_flags.shell_text([*prune, "("])),
        (args[-1].end, " " + exclusion_flags.shell_text([")"]) + tail),
    ]


def _pytest(call: ToolCall, dirs: tuple[str, ...]) -> list[Edit]:
    args = call.args
    covered = _option_values(args, ("--ignore-glob", "--ignore"))
    keep = _keep(dirs, _operand_paths(args, False), covered)
    return _after(call.word, exclusion_flags.flags("pytest", keep))


def _jest(call: ToolCall, dirs: tuple[str, ...]) -> list[Edit]:
    args = call.args
    if _has_option(args, ("--testPathIgnorePatterns", "--test-path-ignore-patterns")):
        return []
    keep = _keep(dirs, _operand_paths(args, False), set())
    last = args[-1] if args else call.word
    if any(w.value == "--" for w in args):
        return []
    return _after(last, exclusion_flags.flags("jest", keep))


def _vitest(call: ToolCall, dirs: tuple[str, ...]) -> list[Edit]:
    args = call.args
    anchor = call.word
    if args and args[0].value in ("run", "watch", "dev", "related"):
        anchor = args[0]
    elif args and args[0].value and not args[0].value.startswith("-"):
        return []  # another subcommand (bench, list...) or a filter: unsure
    keep = _keep(dirs, _operand_paths(args, anchor is not call.word), _option_values(args, ("--exclude",)))
    return _after(anchor, exclusion_flags.flags("vitest", keep))


def _ruff(call: ToolCall, dirs: tuple[str, ...]) -> list[Edit]:
    args = call.args
    if not args or args[0].value not in ("check", "format"):
        return []
    if _has_option(args, ("--exclude", "--extend-exclude")):
        return []
    keep = _keep(dirs, _operand_paths(args[1:], False), set())
    return _after(args[0], exclusion_flags.flags("ruff", keep))


def _eslint(call: ToolCall, dirs: tuple[str, ...]) -> list[Edit]:
    args = call.args
    keep = _keep(dirs, _operand_paths(args, False), _option_values(args, ("--ignore-pattern",)))
    return _after(call.word, exclusion_flags.flags("eslint", keep))


def _mypy(call: ToolCall, dirs: tuple[str, ...]) -> list[Edit]:
    args = call.args
    if _has_option(args, ("--exclude",)):
        return []
    keep = _keep(dirs, _operand_paths(args, False), set())
    return _after(call.word, exclusion_flags.flags("mypy", keep))


_PLANNERS = {
    "rg": _rg,
    "grep": _grep,
    "fd": _fd,
    "find": _find,
    "pytest": _pytest,
    "jest": _jest,
    "vitest": _vitest,
    "ruff": _ruff,
    "eslint": _eslint,
    "mypy": _mypy,
}
