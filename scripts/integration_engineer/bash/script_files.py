"""What a command runs from files on disk: scripts, ``package.json`` scripts, Makefile recipes.

``./release.sh``, ``bash tools/ship.sh``, ``npm run release`` or ``make publish`` run commands
that are not in the command line; the git guard reads them here and analyses them as it analyses
``bash -c`` text. Read only when a command runs one (hot path, standard library only), as text:
regular files of at most ``MAX_BYTES`` without NUL bytes (a binary program is not a script).

The readings over-approximate what the tools run: npm's ``pre``/``post`` scripts for every
package manager, both branches of a Makefile conditional, every ``$(shell ...)`` of a Makefile
and of the files it includes.

Every look at the file system made here (a file's text, whether a path is a file, a directory's
names) is noted in the ``Reads`` being recorded (``recording()``), with the file's signature: what
a cache of the analysis is keyed on (``git_guard/script_cache.py``). A read this module cannot
describe by signatures (git asked for aliases) marks the recording ``unsound``.
"""

from __future__ import annotations

import os

from integration_engineer.runtime import json_codec

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from collections.abc import Sequence

MAX_BYTES = 512 * 1024
PACKAGE_TOOLS = frozenset({"npm", "yarn", "pnpm"})
MAKE_TOOLS = frozenset({"make", "gmake"})
_RUN_VERBS = frozenset({"run", "run-script", "rum", "urn"})
_SCRIPT_VERBS = {"test": "test", "t": "test", "tst": "test", "start": "start", "stop": "stop", "restart": "restart"}
# Verbs that run the package's own lifecycle scripts, in the order npm runs them.
_LIFECYCLE = {
    "install": ("preinstall", "install", "postinstall", "preprepare", "prepare", "postprepare"),
    "version": ("preversion", "version", "postversion"),
    # npm 11, checked: pack (and publish, even --dry-run) runs prepack, prepare, postpack.
    "pack": ("prepack", "preprepare", "prepare", "postprepare", "postpack"),
    "publish": (
        "prepublishOnly",
        "prepack",
        "preprepare",
        "prepare",
        "postprepare",
        "postpack",
        "publish",
        "postpublish",
    ),
}
_LIFECYCLE_VERBS = {
    "install": "install",
    "i": "install",
    "in": "install",
    "ins": "install",
    "isntall": "install",
    "ci": "install",
    "clean-install": "install",
    "version": "version",
    "pack": "pack",
    "publish": "publish",
    "link": "install",
    "ln": "install",
}
_PACKAGE_DIR_OPTIONS = frozenset({"--prefix", "--cwd", "-C", "--dir"})
_MAKE_VALUE_OPTIONS = frozenset(
    {"-I", "-o", "-W", "-l", "--include-dir", "--old-file", "--what-if", "--new-file", "--assume-old", "--assume-new"}
)
_MAKEFILES = ("GNUmakefile", "makefile", "Makefile")
MAX_PREREQUISITES = 200  # targets followed through prerequisites, in all


class TooManyTargets(Exception):
    """make would run more targets than ``make_recipes`` follows: what the rest run is not read."""


# -------------------------------------------------------------- reads, and what they depended on

# A file's signature: (kind, size, mtime_ns, ctime_ns, inode, device); kind 1 a regular file,
# 2 a directory, 0 anything else; () when nothing is there. ctime cannot be set back by hand
# (utime sets it to now), so a file rewritten with its old size and mtime still differs.
Signature = tuple[int, ...]
# A file changed this recently may change again within the file system's clock tick without its
# signature changing (git's "racily clean" files): an analysis that read one is not kept.
RACY_NS = 2_000_000_000


def signature(path: str) -> Signature:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return _link_signature(path)
    return _signature(st)


def _link_signature(path: str) -> Signature:
    """A dangling symbolic link's own signature (kind 0): it differs from nothing being there, so
    a cache of an analysis made before the link existed is not taken after (a write through it
    creates its target)."""
    try:
        st = os.lstat(path)
    except (OSError, ValueError):
        return ()
    return (0, *_signature(st)[1:])


def aliased(path: str) -> bool:
    """Whether writing ``path`` may change another name's file: a symbolic link, or a file with
    more than one hard link (noted, by its signature: a new link changes the ctime)."""
    _note(path, signature(path))
    try:
        st = os.lstat(path)
    except (OSError, ValueError):
        return False
    return (st.st_mode & 0o170000) == 0o120000 or st.st_nlink > 1


def _signature(st: os.stat_result) -> Signature:
    kind = {0o100000: 1, 0o040000: 2}.get(st.st_mode & 0o170000, 0)
    return (kind, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


class Reads:
    """What one analysis looked at on disk: path -> signature when looked at."""

    __slots__ = ("seen", "unsound")

    def __init__(self) -> None:
        self.seen: dict[str, Signature] = {}
        self.unsound = ""  # why the analysis depended on more than ``seen`` ("" when it did not)

    def note(self, path: str, sig: Signature) -> None:
        known = self.seen.setdefault(path, sig)
        if known != sig:
            self.unsound = f"{path} changed while it was read"
        elif len(sig) > 3 and sig[3] >= _now_ns() - RACY_NS:
            self.unsound = f"{path} changed less than {RACY_NS // 10**9} s ago"


_RECORDING: list[Reads] = []  # the innermost recording last


def recording() -> Reads:
    """Start noting every read here in a new ``Reads`` (until ``stop_recording``)."""
    reads = Reads()
    _RECORDING.append(reads)
    return reads


def stop_recording(reads: Reads) -> None:
    if reads in _RECORDING:
        _RECORDING.remove(reads)


def unrecordable(why: str) -> None:
    """The analysis depended on something no signature describes (git's configuration...)."""
    for reads in _RECORDING:
        reads.unsound = reads.unsound or why


def _note(path: str, sig: Signature) -> None:
    for reads in _RECORDING:
        reads.note(path, sig)


def _now_ns() -> int:
    import time

    return time.time_ns()


def is_file(path: str) -> bool:
    """``os.path.isfile``, noted."""
    sig = signature(path)
    _note(path, sig)
    return bool(sig) and sig[0] == 1


def is_dir(path: str) -> bool:
    """``os.path.isdir``, noted."""
    sig = signature(path)
    _note(path, sig)
    return bool(sig) and sig[0] == 2


def inherited(name: str) -> str:
    """A variable of the environment the command inherits (``HOME``, ``PATH``): part of what a
    cached analysis is keyed on (``script_cache.key``)."""
    return os.environ.get(name, "")


# Variables bash sets itself (or reads from its own start-up), whatever the environment holds.
_SHELL_SET = frozenset(
    {"COLUMNS", "DIRSTACK", "EPOCHREALTIME", "EPOCHSECONDS", "EUID", "FUNCNAME", "GROUPS", "HOSTNAME"}
    | {"HOSTTYPE", "IFS", "LINENO", "LINES", "MACHTYPE", "MAILCHECK", "OLDPWD", "OPTARG", "OPTERR"}
    | {"OPTIND", "OSTYPE", "PIPESTATUS", "PPID", "PS1", "PS2", "PS3", "PS4", "PWD", "RANDOM", "REPLY"}
    | {"SECONDS", "SHELL", "SHELLOPTS", "SHLVL", "SRANDOM", "TERM", "UID", "HOME", "PATH", "_"}
)
_SHELL_PREFIXES = ("BASH", "COMP", "HIST", "CLAUDE", "GIT_", "READLINE")


def inherited_unset(name: str) -> bool:
    """Whether the Bash tool's shell surely starts without the variable ``name``: it inherits the
    environment this hook has (the shell snapshot it sources sets functions, options, aliases and
    PATH only), so a name missing here, that bash and Claude Code do not set themselves, is unset,
    unless an env file the tool sources may set it (``CLAUDE_ENV_FILE``, the session-env files
    of SessionStart hooks). What it depends on is in a cached analysis's key (the environment's
    names: ``script_cache.key``) or noted (the session-env directory)."""
    if not name.isidentifier() or name in os.environ or name in _SHELL_SET or name.startswith(_SHELL_PREFIXES):
        return False
    if "CLAUDE_ENV_FILE" in os.environ:
        return False
    home = os.environ.get("HOME", "")
    return bool(home) and not list_dir(os.path.join(home, ".claude", "session-env"))


def program_file(path: str) -> tuple[bool, bool]:
    """(a regular file is there, it may be executed): what bash's and git's PATH search look
    for. Noted (a chmod changes the ctime, so the signature)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        _note(path, ())
        return False, False
    sig = _signature(st)
    _note(path, sig)
    return sig[0] == 1, sig[0] == 1 and bool(st.st_mode & 0o111)


def list_dir(path: str) -> list[str]:
    """A directory's names, sorted ([] when it cannot be listed), noted by the directory's
    signature (its mtime changes when a name is added or removed)."""
    _note(path, signature(path))
    try:
        return sorted(os.listdir(path))
    except OSError:
        return []


def _open_noted(path: str, sig: Signature, limit: int) -> int | None:
    """A descriptor on the regular file ``path`` of signature ``sig`` (noted), None when it is
    missing, not a regular file, larger than ``limit``, or swapped between the look and the open."""
    _note(path, sig)
    if not sig or sig[0] != 1 or sig[1] > limit:  # never open a FIFO or a device: it could block
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        same = _signature(os.fstat(fd)) == sig
    except OSError:
        same = False
    if not same:  # swapped between the look and the open
        os.close(fd)
        _note(path, ())
        return None
    return fd


def read_text(path: str) -> str | None:
    """The text of a regular file, None when it is missing, too large or binary (noted)."""
    sig = signature(path)
    fd = _open_noted(path, sig, MAX_BYTES)
    if fd is None:
        return None
    try:
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(4096)  # a program's header: binaries stop here
            if b"\0" in data:
                return None
            data += fh.read(MAX_BYTES + 1 - len(data))
        if _signature(os.fstat(fd)) != sig:  # written to while it was read
            _note(path, ())
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES or b"\0" in data:
        return None
    return data.decode("utf-8", "replace")


def read_bytes(path: str, limit: int) -> bytes | None:
    """The bytes of a regular file of at most ``limit`` bytes (a git object), None when it is
    missing or larger (noted, as ``read_text``)."""
    sig = signature(path)
    fd = _open_noted(path, sig, limit)
    if fd is None:
        return None
    try:
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) <= limit else None


def interpreter_of(text: str) -> str:
    """The base name of the program a ``#!`` line names (through ``env [-S]``); "" without one,
    in which case a shell runs the file itself as a shell script."""
    if not text.startswith("#!"):
        return ""
    words = text[2:].split("\n", 1)[0].split()
    while words and words[0].rsplit("/", 1)[-1] == "env":
        words = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
    return words[0].rsplit("/", 1)[-1] if words else ""


# ---------------------------------------------------------------- package.json scripts


def package_scripts(args: Sequence[str | None], cwd: str) -> tuple[str, list[tuple[str, str]]] | None:
    """``npm``/``yarn``/``pnpm`` ARGS: the directory of the package.json used and the scripts it
    runs there, as (name, command text), pre- and post-scripts included; None when the command
    runs no script of package.json (or its arguments are not known)."""
    directory, words = _package_words(args, cwd)
    if words and words[0] is None:
        return None
    first, rest = (words[0], words[1:]) if words else ("install", [])  # bare yarn installs
    found = _package_json(directory)
    if found is None:
        return None
    root, scripts = found
    # --ignore-scripts: no lifecycle, pre- or post-script; a script named explicitly still runs.
    ignore = any(a is not None and a.split("=", 1)[0] == "--ignore-scripts" and not a.endswith("=false") for a in args)
    if first in _LIFECYCLE_VERBS:
        return root, [] if ignore else [(n, scripts[n]) for n in _LIFECYCLE[_LIFECYCLE_VERBS[first]] if n in scripts]
    if first in _RUN_VERBS:
        name = next((w for w in rest if w is None or not w.startswith("-")), None)
        if name is None:
            return None
        rest = rest[rest.index(name) + 1 :]
    elif first in _SCRIPT_VERBS:
        name = _SCRIPT_VERBS[first]
    elif first in scripts:  # yarn NAME, pnpm NAME
        name = first
    else:
        return None
    extra = " ".join(w for w in rest if w is not None and w != "--")
    scripts = _default_scripts(scripts, root, name)
    names = [name] if ignore else [f"pre{name}", name, f"post{name}"]
    if name == "restart" and "restart" not in scripts:  # npm restart: stop then start, when no restart script
        names[1:2] = [n for s in ("stop", "start") for n in ((s,) if ignore else (f"pre{s}", s, f"post{s}"))]
    runs = [(n, scripts[n] + (f" {extra}" if extra and n == name else "")) for n in names if n in scripts]
    return root, runs


def _default_scripts(scripts: dict[str, str], root: str, name: str) -> dict[str, str]:
    """npm's default ``start`` (``node server.js`` when the package has a server.js)."""
    if name in ("start", "restart") and "start" not in scripts and is_file(os.path.join(root, "server.js")):
        return {**scripts, "start": "node server.js"}
    return scripts


def version_commits(args: Sequence[str | None]) -> bool:
    """``npm version``/``yarn version``/``pnpm version`` commit (and tag) the new version in a
    git repository unless told not to: git commit under another name."""
    _, words = _package_words(args, ".")
    operands = [w for w in words[1:] if w is None or not w.startswith("-")]
    # Without a new version (``npm version``) it only prints the versions.
    return (
        bool(words)
        and words[0] == "version"
        and bool(operands)
        and not any(w in ("--no-git-tag-version", "--git-tag-version=false") for w in args)
    )


def _package_words(args: Sequence[str | None], cwd: str) -> tuple[str, list[str | None]]:
    directory, i = cwd, 0
    words: list[str | None] = []
    while i < len(args):
        arg = args[i]
        if arg is not None and arg.split("=", 1)[0] in _PACKAGE_DIR_OPTIONS:
            value = arg.split("=", 1)[1] if "=" in arg else (args[i + 1] if i + 1 < len(args) else None)
            i += 1 if "=" in arg else 2
            if value is not None:
                directory = os.path.join(cwd, os.path.expanduser(value))
            continue
        if arg is None or not arg.startswith("-") or words:
            words.append(arg)
        i += 1
    return directory, words


def _package_json(directory: str) -> tuple[str, dict[str, str]] | None:
    """The nearest package.json at or above ``directory`` (as npm finds it), and its scripts."""
    current = os.path.abspath(directory)
    while True:
        text = read_text(os.path.join(current, "package.json"))
        if text is not None:
            try:
                data = json_codec.loads(text)
            except (ValueError, RecursionError):
                return None
            scripts = data.get("scripts") if isinstance(data, dict) else None
            if not isinstance(scripts, dict):
                return current, {}
            return current, {k: v for k, v in scripts.items() if isinstance(v, str)}
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


# ---------------------------------------------------------------- Makefile recipes


def make_recipes(
    args: Sequence[str | None], cwd: str, environ: dict[str, str] | None = None, decide: bool = True
) -> tuple[str, list[str], list[str]] | None:
    """``make ARGS``: the directory make runs in, the commands of the makefile's ``$(shell ...)``
    (run as it is read, also under -n), and the recipe lines of the targets asked for (and of their
    prerequisites), with the Makefile's variables put in; None without a Makefile. ``environ``:
    variables the command gives make a certain value in its environment; ``decide``: whether
    conditionals may be decided (not when MAKEFLAGS or a parent make may pass variables).
    Raises ``TooManyTargets`` past ``MAX_PREREQUISITES`` targets."""
    directory, makefile, targets, overrides = _make_words(args, cwd)
    path = makefile or next(
        (os.path.join(directory, n) for n in _MAKEFILES if is_file(os.path.join(directory, n))), None
    )
    text = read_text(path) if path else None
    if text is None:
        return None
    whole = _with_includes(text, directory)
    decide = decide and not environment_overrides(args)
    rules, variables, default, shells = _parse_makefile(whole, environ if decide else None, overrides, decide)
    default = variables.get(".DEFAULT_GOAL", "").strip() or default
    lines: list[str] = []
    # An included makefile that is a target is remade first, even under -n (GNU make, checked).
    remade = [n for n in _included_names(text) if n in rules]
    oneshell = ".ONESHELL:" in whole  # one shell runs the whole recipe: a "+" line makes all run
    queue = list(targets or ([default] if default else []))
    seen: set[str] = set()
    for target in [*remade, *queue]:
        forced = target in remade
        todo = [target]
        while todo and len(seen) < MAX_PREREQUISITES:
            name = todo.pop(0)
            if name in seen or name not in rules:
                continue
            seen.add(name)
            prerequisites, recipe = rules[name]
            todo += prerequisites
            run = [_substitute(line, variables, name, prerequisites) for line in recipe]
            if forced or (oneshell and any(line.startswith("+") for line in run)):
                run = ["+" + line.lstrip("+") for line in run]
            lines += run
        if todo and any(name not in seen and name in rules for name in todo):
            raise TooManyTargets
    shell = variables.get("SHELL", "").strip()
    if shell and shell.split("/")[-1] not in ("sh", "bash", "dash"):
        # make runs $(shell ...) and recipe lines as ``$(SHELL) -c LINE``: that program runs them.
        shells = [f"{shell} -c {quoted(c)}" for c in shells]
        lines = [("+" if line.startswith("+") else "") + f"{shell} -c {quoted(line.lstrip('+'))}" for line in lines]
    return directory, shells, lines


def environment_overrides(args: Sequence[str | None]) -> bool:
    """``make -e``: the environment overrides the makefile's assignments (which then decide nothing)."""
    return any(a == "--environment-overrides" or (a and a[:1] == "-" and a[1:2] != "-" and "e" in a) for a in args)


def quoted(text: str) -> str:
    """``text`` as one single-quoted shell word."""
    return "'" + text.replace("'", "'\\''") + "'"


def _included_names(text: str) -> list[str]:
    names: list[str] = []
    for line in text.split("\n"):
        words = line.split() if not line.startswith("\t") else []
        if words and words[0] in ("include", "-include", "sinclude"):
            names += [w for w in words[1:] if "$" not in w]
    return names


def _make_words(args: Sequence[str | None], cwd: str) -> tuple[str, str | None, list[str], dict[str, str]]:
    directory, makefile, targets, overrides = cwd, None, [], {}
    i = 0
    while i < len(args):
        arg = args[i] or ""
        value: str | None = None
        if arg in ("-j", "--jobs") and i + 1 < len(args) and (args[i + 1] or "").isdigit():
            i += 2  # -j's value is optional: a number after it is the value, not a target
            continue
        if arg in ("-C", "--directory", "-f", "--file", "--makefile") or arg in _MAKE_VALUE_OPTIONS:
            value, i = (args[i + 1] if i + 1 < len(args) else None), i + 2
        elif arg.startswith(("--directory=", "--file=", "--makefile=")):
            value, i = arg.split("=", 1)[1], i + 1
        elif arg.startswith(("-C", "-f")) and len(arg) > 2:
            value, i = arg[2:], i + 1
        else:
            i += 1
            if "=" in arg and not arg.startswith("-"):
                name, _, text = arg.partition("=")
                overrides[name.strip()] = text
            elif arg and not arg.startswith("-"):
                targets.append(arg)
            continue
        if value is not None and arg.lstrip("-")[:1] in ("C", "d"):
            directory = os.path.join(directory, value)
        elif value is not None and arg.lstrip("-")[:1] in ("f", "m"):
            makefile = os.path.join(directory, value)
    return directory, makefile, targets, overrides


def _with_includes(text: str, directory: str, depth: int = 0) -> str:
    """The Makefile with each ``include`` line replaced by the files it names (relative to make's
    directory, as GNU make reads them; simple globs; a name with a variable is not known)."""
    out = []
    for line in text.split("\n"):
        words = line.split() if not line.startswith("\t") else []
        if not words or words[0] not in ("include", "-include", "sinclude") or depth >= 3:
            out.append(line)
            continue
        for name in " ".join(words[1:]).replace("$(wildcard ", "").replace(")", " ").split():
            for path in [] if "$" in name else _matching(directory, name):
                included = read_text(path)
                if included is not None:
                    out.append(_with_includes(included, directory, depth + 1))
    return "\n".join(out)


def _matching(directory: str, name: str) -> list[str]:
    from integration_engineer.runtime.globs import glob_match

    path = os.path.join(directory, name)
    if not any(c in name for c in "*?["):
        return [path]
    folder, pattern = os.path.split(path)
    names = list_dir(folder)
    return [os.path.join(folder, n) for n in names if glob_match(n, pattern)]


def _logical_lines(text: str) -> list[str]:
    lines: list[str] = []
    pending = ""
    for line in text.split("\n"):
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        lines.append(pending + line)
        pending = ""
    if pending:
        lines.append(pending)
    return lines


def _parse_makefile(
    text: str, environ: dict[str, str] | None = None, overrides: dict[str, str] | None = None, decide: bool = True
) -> tuple[dict[str, tuple[list[str], list[str]]], dict[str, str], str, list[str]]:
    """Rules (target -> prerequisites, recipe lines), variables, the default target, and the
    commands of every ``$(shell ...)`` (make runs those when it reads the file). ``environ``,
    ``overrides``: the variables whose values are certain (the command's environment, its command
    line: those override the makefile's); a conditional on those, or on the makefile's own plain
    assignments, is decided, any other is read both ways (the inherited environment is not known)."""
    rules: dict[str, tuple[list[str], list[str]]] = {}
    variables: dict[str, str] = {**(environ or {}), **(overrides or {})}
    overrides = dict(overrides or {})
    sure = set(variables) if decide else set()  # names whose value here is certain
    branches: list[list[bool | None]] = []  # per open conditional: [this branch taken, one was taken]
    default = ""
    current: list[list[str]] = []  # the recipes the next tab-indented lines belong to
    in_define = False
    bang: list[str] = []
    for line in _logical_lines(text):
        if in_define:
            in_define = line.strip() != "endef"
            continue
        if not line.startswith("\t") and _conditional(line, branches, variables, sure):
            continue
        if any(b[0] is False for b in branches):
            continue  # an untaken branch: make does not read it
        if line.startswith("\t") and current:
            command = _recipe_command(line)
            for recipe in current:
                recipe.append(command)
            continue
        content = line.split("#", 1)[0].strip()
        if not content:
            continue
        words = content.split()
        if words[0] == "define":
            in_define, current = True, []
            continue
        if words[0] in (
            "include",
            "-include",
            "sinclude",
            "vpath",
            "unexport",
        ):
            continue
        assigned = _assignment(content)
        if assigned is not None:
            if "override" in words[:2]:  # beats the command line: its value is the makefile's own
                overrides.pop(assigned[0], None)
            if assigned[0] not in overrides:  # a command-line value overrides the makefile's
                unsure = not decide or any(b[0] is None for b in branches)
                bang += _assign(assigned, variables, sure, environ or {}, unsure)
            current = []
            continue
        current, default = _rule(content, rules, default)
    return rules, variables, default, _shell_calls(text) + bang


def _rule(content: str, rules: dict[str, tuple[list[str], list[str]]], default: str) -> tuple[list[list[str]], str]:
    """A rule line (``targets: prerequisites [; recipe]``) added to ``rules``: the recipes its
    tab-indented lines go to ([] for a line that is no rule), and the default target."""
    targets_text, colon, rest = content.partition(":")
    rest = rest[1:] if rest.startswith(":") else rest  # double-colon rules
    prerequisites_text, _, inline = rest.partition(";")
    if not colon or _assignment(prerequisites_text) is not None:  # none, or a target-specific variable
        return [], default
    prerequisites = [p for p in prerequisites_text.replace("|", " ").split() if "%" not in p]
    current: list[list[str]] = []
    for target in targets_text.split():
        if "%" in target:
            continue
        if not default and not target.startswith("."):
            default = target
        entry = rules.setdefault(target, (prerequisites, []))
        if inline.strip():
            entry[1].append(inline.strip())
        current.append(entry[1])
    return current, default


def _recipe_command(line: str) -> str:
    """A recipe line without its @-+ prefixes, a "+" kept in front when it had one or runs
    $(MAKE) (such a line runs even under make -n)."""
    prefix = line[1:].lstrip()
    flags = prefix[: len(prefix) - len(prefix.lstrip("@-+"))]
    plus = "+" in flags or "$(MAKE)" in prefix or "${MAKE}" in prefix
    return ("+" if plus else "") + prefix.lstrip("@-+").strip()


def _assign(
    assigned: tuple[str, str, str], variables: dict[str, str], sure: set[str], environ: dict[str, str], unsure: bool
) -> list[str]:
    """A makefile assignment applied (``unsure``: in a branch that may not be read); the command
    a ``!=`` runs as the makefile is read."""
    name, op, value = assigned
    if op == "?=" and name in environ:
        return []  # ?= keeps the value the environment gives
    if unsure or not (op in ("=", ":=", "::=") or (op == "+=" and name in sure)):
        sure.discard(name)
    else:
        sure.add(name)
    variables[name] = f"{variables.get(name, '')} {value}".strip() if op == "+=" else value
    return [value.replace("$$", "$")] if op == "!=" else []


_CONDITIONALS = ("ifeq", "ifneq", "ifdef", "ifndef")


def _conditional(line: str, branches: list[list[bool | None]], variables: dict[str, str], sure: set[str]) -> bool:
    """A conditional directive (``ifdef``, ``ifeq``, ``else [ifX]``, ``endif``) applied to the
    open ``branches``; False for any other line."""
    words = line.split("#", 1)[0].split()
    if not words or words[0] not in (*_CONDITIONALS, "else", "endif"):
        return False
    if words[0] == "endif":
        if branches:
            branches.pop()
        return True
    if words[0] in _CONDITIONALS:
        value = _condition(words[0], line.split(words[0], 1)[1], variables, sure)
        branches.append([value, value])
        return True
    if not branches:
        return True
    taken = branches[-1][1]
    rest = line.split("else", 1)[1].strip()
    value = True
    if rest.split()[:1] and rest.split()[0] in _CONDITIONALS:
        value = _condition(rest.split()[0], rest.split(rest.split()[0], 1)[1], variables, sure)
    if taken is True:
        branches[-1] = [False, True]
    elif taken is False:
        branches[-1] = [value, value]
    else:
        branches[-1] = [None if value is not False else False, None]
    return True


def _condition(kind: str, text: str, variables: dict[str, str], sure: set[str]) -> bool | None:
    """Whether ``ifdef NAME`` / ``ifeq (A,B)`` (and the negations) holds, when every variable it
    reads is certain; None otherwise."""
    text = text.split("#", 1)[0].strip()
    if kind in ("ifdef", "ifndef"):
        if text not in sure:
            return None
        return bool(variables.get(text, "").strip()) == (kind == "ifdef")
    pair: list[str] | None = None
    if text.startswith("(") and text.endswith(")") and text.count(",") == 1:
        pair = [p.strip() for p in text[1:-1].split(",")]
    elif len(text.split()) == 2 and all(w[:1] in "'\"" and w[-1:] == w[:1] and len(w) > 1 for w in text.split()):
        pair = [w[1:-1] for w in text.split()]
    if pair is None:
        return None
    values = [_known_value(p, variables, sure) for p in pair]
    if values[0] is None or values[1] is None:
        return None
    return (values[0] == values[1]) == (kind == "ifeq")


def _known_value(text: str, variables: dict[str, str], sure: set[str], depth: int = 0) -> str | None:
    """Text with its ``$(NAME)``/``${NAME}`` put in, when each is a certain variable (no function
    calls); None otherwise."""
    out, i = [], 0
    while i < len(text):
        if text[i] != "$":
            out.append(text[i])
            i += 1
            continue
        close = {"(": ")", "{": "}"}.get(text[i + 1 : i + 2])
        end = text.find(close, i + 2) if close else -1
        name = text[i + 2 : end] if end > 0 else ""
        if not name or name not in sure or depth > 4 or not name.replace("_", "").replace(".", "").isalnum():
            return None
        value = _known_value(variables.get(name, ""), variables, sure, depth + 1)
        if value is None:
            return None
        out.append(value)
        i = end + 1
    return "".join(out).strip()


def _assignment(content: str) -> tuple[str, str, str] | None:
    """``NAME = v``, ``:=``, ``::=``, ``?=``, ``+=``, ``!=`` (with ``export``/``override``)."""
    equals = content.find("=")
    if equals <= 0:
        return None
    colon = content.find(":")
    head = content[:equals]
    op = "="
    for suffix in ("::", ":", "?", "+", "!"):
        if head.endswith(suffix):
            op, head = suffix + "=", head[: -len(suffix)]
            break
    if 0 <= colon < len(head):  # a ":" before the operator: a rule
        return None
    words = head.split()
    while words and words[0] in ("export", "override", "private"):
        words = words[1:]
    if len(words) != 1:
        return None
    return words[0], op, content[equals + 1 :].strip()


def _shell_calls(text: str) -> list[str]:
    calls = []
    start = text.find("$(shell ")
    while start >= 0:
        depth, i = 0, start
        while i < len(text):
            if text[i] == "(":
                depth += 1
            elif text[i] == ")":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        calls.append(text[start + len("$(shell ") : i].replace("$$", "$"))
        start = text.find("$(shell ", i)
    return calls


def _substitute(line: str, variables: dict[str, str], target: str, prerequisites: list[str]) -> str:
    """A recipe line as the shell gets it: ``$$`` is ``$``, automatic and known variables are
    put in (nested up to a few levels); an unknown ``$(NAME)`` stays, which the shell analysis
    then takes for a command it cannot know."""
    automatic = {
        "@": target,
        "<": prerequisites[0] if prerequisites else "",
        "^": " ".join(prerequisites),
        "+": " ".join(prerequisites),
        "?": " ".join(prerequisites),
        "*": "",
        "MAKE": "make",
    }
    for _ in range(5):
        out, i, changed = [], 0, False
        while i < len(line):
            if line[i] != "$" or i + 1 >= len(line):
                out.append(line[i])
                i += 1
                continue
            nxt = line[i + 1]
            if nxt == "$":
                out.append("\0")  # kept apart from the variables until the end
                i += 2
                continue
            if nxt in "({":
                close = line.find(")" if nxt == "(" else "}", i + 2)
                name = line[i + 2 : close] if close > 0 else ""
                value = automatic.get(name, variables.get(name))
                if close > 0 and value is not None and " " not in name:
                    out.append(value)
                    i, changed = close + 1, True
                    continue
            elif nxt in automatic:
                out.append(automatic[nxt])
                i, changed = i + 2, True
                continue
            out.append(line[i])
            i += 1
        line = "".join(out)
        if not changed:
            break
    return line.replace("\0", "$")
