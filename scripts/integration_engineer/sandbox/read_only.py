"""Would Claude Code have run this command without asking? Judged on the command the agent sent.

Claude Code runs its read-only commands (``ls``, ``cat``, ``git status`` ...) without a rule,
and in ``acceptEdits`` mode the file commands inside the working directories too; but it judges
the command it runs, and the sandboxed rewrite is none of those. So, where no rule decides, the
sandbox step asks this module. It copies only what was *observed* with CLI 2.1.332 (docs/sandbox.md,
"Commands Claude Code runs unasked"; tests/e2e/test_cli_facts.py) and errs one way only: anything
it is unsure of (an option it does not know to be harmless, a path outside the session's
directory, a quote, a glob it cannot check, a ``cd`` before ``git``) answers no, and the user is
asked as before. Stdlib only (hot path).
"""

from __future__ import annotations

import os

from integration_engineer.sandbox.permission_rules import plain_segments


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Commands observed to run unasked whatever their options (each argument still path-checked).
PLAIN = _names(
    "ls cat head tail wc grep pwd echo which type cut stat du df diff cmp basename dirname realpath"
    " readlink true test [ nl od md5sum sha256sum column rev paste comm fold seq sleep tac jq tr id"
    " whoami uname uptime free ps printf expr"
)
# Options that make an otherwise read-only command run a program or write a file (observed to ask,
# or not observed), read broadly: a word starting with one of them.
RISKY_OPTIONS = {
    "rg": ("--pre", "--pre-glob", "-z", "--search-zip"),
    "sort": ("-o", "--output", "--compress-program", "-T", "--temporary-directory"),
    "file": ("-C", "--compile"),
}
# find's primaries that run a program or write a file.
FIND_ACTIONS = _names("-exec -execdir -ok -okdir -delete -fprint -fprint0 -fprintf -fls")
# git subcommands observed to run unasked: any options and paths (less GIT_RISKY) ...
GIT_ANY = _names("status log diff show blame grep shortlog describe cat-file rev-parse rev-list ls-files for-each-ref")
# ... or exactly these argument lists (``git branch NAME`` creates, ``git stash`` stashes).
GIT_EXACT: dict[str, set[tuple[str, ...]]] = {
    "branch": {(), ("-a",), ("-r",), ("-v",), ("-vv",), ("--all",), ("--show-current",)},
    "tag": {(), ("-l",), ("--list",)},
    "stash": {("list",)},
    "worktree": {("list",)},
    "remote": {(), ("-v",)},
    "reflog": {()},
}
# Listing options of git branch and git tag observed to run unasked; the ones marked take the
# next word (a pattern or a commit), the only operand allowed.
GIT_LISTING = {
    "branch": {"-a": False, "-r": False, "-v": False, "-vv": False, "--all": False, "--no-color": False}
    | {"--list": True, "--merged": True, "--no-merged": True, "--contains": True},
    "tag": {"-l": True, "--list": True},
}
# xargs observed to run unasked: these options, then one of these commands (their words checked as
# the command's own; what xargs reads is not: Claude Code did not check it either).
XARGS_OPTIONS = frozenset({"-0", "-r"})
XARGS_COMMANDS = frozenset({"wc", "grep", "head"})
GIT_RISKY = ("--output", "--ext-diff", "--textconv", "--filters", "-O", "--open-files-in-pager", "--no-index")
# acceptEdits lets these through on paths inside the working directories (observed); never after a
# cd in the same line, and never on a .claude or .git path (Claude Code asks for "sensitive files"),
# here widened to every dot-name.
EDITS = _names("touch mkdir rmdir rm cp mv")
GLOB = frozenset("*?[")
# How an allow from here is named in the answer and the decision log.
RULE = "read-only"
WHERE = "Claude Code's own judgement (sandbox/read_only.py)"


def runs_unasked(command: str, mode: str, cwd: str, project_dir: str) -> bool:
    """True when Claude Code (in ``mode``) would run ``command`` from ``cwd`` without asking."""
    if not project_dir or not cwd or "#" in command or "&>" in command or "1>" in command:
        return False
    root = os.path.realpath(project_dir)
    here = os.path.realpath(cwd)
    segments = plain_segments(command)
    if not segments or not _inside(here, root) or _lone_ampersand(command):
        return False
    moved = False
    for segment in segments:
        split = split_words(segment)
        words = [w for w, _ in split]
        if not words or split[0][1]:
            return False
        if words[0] == "cd":
            if len(words) != 2 or words[1].startswith("-") or not _path_ok(words[1], split[1][1], here, root):
                return False
            here, moved = os.path.realpath(os.path.join(here, words[1])), True
            continue
        if moved and (words[0] == "git" or words[0] in EDITS):
            return False  # observed: a cd before git or a write asks
        if not _command_ok(words, mode) or not all(_argument_ok(w, g, here, root) for w, g in split[1:]):
            return False
        if words[0] in EDITS and not _edit_targets_ok(split, here, root):
            return False
    return True


def _command_ok(words: list[str], mode: str) -> bool:
    name, args = words[0], words[1:]
    if name in PLAIN:
        return True
    if name in RISKY_OPTIONS:
        return not any(_is_option(a, RISKY_OPTIONS[name]) or _short_cluster(name, a) for a in args)
    if name == "find":
        return not any(a in FIND_ACTIONS for a in args)
    if name == "git":
        return _git_ok(args)
    if name == "sed":  # only sed -n with a line-print script: its w/e commands write and run; GNU
        # sed takes options after the script too (sed -n 1p -i f edits f), so no option follows
        return len(args) >= 2 and args[0] == "-n" and _line_print(args[1]) and not _options(args[2:])
    if name == "date":  # -d takes a date string (observed; its word is still path-checked)
        given = [a for i, a in enumerate(args) if i == 0 or args[i - 1] != "-d"]
        return all(a.startswith("+") or a in ("-u", "--utc", "-R", "-I", "-d") for a in given)
    if name in ("hostname", "nproc"):
        return not args
    if name == "uniq":  # observed: "uniq IN OUT" writes OUT and asks; on its input alone it runs
        return all(a in ("-c", "-d", "-u") for a in args)
    if name == "base64":
        return all(a in ("-d", "--decode") or not a.startswith("-") for a in args)
    if name == "xargs":
        i = 0
        while i < len(args) and args[i] in XARGS_OPTIONS:
            i += 1
        return i < len(args) and args[i] in XARGS_COMMANDS and _command_ok(args[i:], mode)
    if name in EDITS:
        return mode == "acceptEdits" and not any(_sensitive(a) for a in args)
    return False


def _options(words: list[str]) -> bool:
    return any(w.startswith("-") for w in words)


def _edit_targets_ok(split: list[tuple[str, bool]], here: str, root: str) -> bool:
    """acceptEdits file commands: no glob (``rm -rf *`` was not observed) and never the project
    directory itself (``rm -rf .``)."""
    for word, globbed in split[1:]:
        if globbed or (not word.startswith("-") and os.path.realpath(os.path.join(here, word)) == root):
            return False
    return True


def _git_ok(args: list[str]) -> bool:
    if not args or args[0].startswith("-"):
        return False  # observed: git -C DIR ... asks; other global options are not known
    sub, rest = args[0], args[1:]
    if sub == "config":
        return len(rest) == 2 and rest[0] == "--get"
    if sub in GIT_EXACT and tuple(rest) in GIT_EXACT[sub]:
        return True
    if sub in GIT_LISTING:
        return _listing_ok(sub, rest)
    if sub in ("reflog", "stash"):  # reflog [show] OPTIONS, stash show OPTIONS (observed)
        options = rest[1:] if rest[:1] == ["show"] else rest if sub == "reflog" else None
        return options is not None and all(a.startswith("-") and not _is_option(a, GIT_RISKY) for a in options)
    if sub in GIT_EXACT:
        return False
    if sub in GIT_ANY:
        return not any(_is_option(a, GIT_RISKY) for a in rest)
    return False


def _listing_ok(sub: str, rest: list[str]) -> bool:
    """git branch / git tag listing: observed options (and --sort=KEY); an operand only right after
    an option that takes one. git tag lists only with -l/--list (else it creates a tag)."""
    known = GIT_LISTING[sub]
    i = 0
    while i < len(rest):
        word = rest[i]
        if not word.startswith("--sort="):
            if word not in known:
                return False
            if known[word] and i + 1 < len(rest) and not rest[i + 1].startswith("-"):
                i += 1  # its operand: a pattern or a commit (path-checked as every word)
        i += 1
    return sub == "branch" or any(w in ("-l", "--list") for w in rest)


def _is_option(word: str, names: tuple[str, ...]) -> bool:
    """Read broadly: ``--output-x`` and ``-oFILE`` count as ``--output`` and ``-o``, and so does an
    abbreviation (``--outp=f``: GNU tools and git take any unambiguous prefix of a long option)."""
    name = word.partition("=")[0]
    if name == "--":
        return False  # the end of the options: what follows is path-checked
    return any(word.startswith(n) or (n.startswith("--") and len(name) > 2 and n.startswith(name)) for n in names)


def _short_cluster(name: str, word: str) -> bool:
    """``sort -ro out``: a cluster of short options holding a risky one (``o`` or ``T``)."""
    if name != "sort" or not word.startswith("-") or word.startswith("--"):
        return False
    return any(c in word[1:] for c in "oT")


def _line_print(script: str) -> bool:
    body = script[:-1] if script.endswith("p") else ""
    return bool(body) and all(c.isdigit() or c == "," for c in body)


def _argument_ok(word: str, globbed: bool, here: str, root: str) -> bool:
    if word == "":
        return True  # an empty word names no file (grep -c '' f: observed to run)
    if word.startswith("-"):
        value = word.partition("=")[2]
        if value:
            return _path_ok(value, globbed, here, root)
        return not globbed and not any(c in word for c in "/~") and ".." not in word
    return _path_ok(word, globbed, here, root)


def _path_ok(word: str, globbed: bool, here: str, root: str) -> bool:
    """A word that may name a file: inside the session's directory once links are followed, with no
    ``..`` step and no ``~`` (observed to ask); a glob only where every match can be checked."""
    if not word or word.startswith("~") or ".." in word.split("/"):
        return False
    target = os.path.join(here, word)
    if globbed:
        return _glob_ok(target, root)
    return _inside(os.path.realpath(target), root)


def _glob_ok(target: str, root: str) -> bool:
    """A pattern in its last component only: every entry of that directory must stay inside."""
    parent = os.path.dirname(target.rstrip("/"))
    if any(c in GLOB for c in parent) or not _inside(os.path.realpath(parent), root):
        return False
    try:
        entries = os.listdir(parent)
    except OSError:
        return True  # nothing there to match: bash passes the word on as it is
    return all(_inside(os.path.realpath(os.path.join(parent, e)), root) for e in entries)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _sensitive(word: str) -> bool:
    """``.claude``/``.git`` were observed to ask; any other dot-name (``.bashrc``, ``.mcp.json``) was
    not observed, so it asks too."""
    return any(part.startswith(".") and part != "." for part in word.replace("=", "/").split("/"))


def _lone_ampersand(command: str) -> bool:
    """``ls &`` (in the background) was not observed; ``&&`` was."""
    stripped = command.replace("&&", "").replace("2>&1", "")
    return "&" in stripped


def split_words(segment: str) -> list[tuple[str, bool]]:
    """The words of a segment ``plain_segments`` accepted (no ``$``, backslash or backtick), quotes
    taken off, each with whether bash expands it as a glob (an unquoted ``*``, ``?`` or ``[``;
    the words ``[`` and ``]`` of ``test`` are not)."""
    words: list[tuple[str, bool]] = []
    current, quote, started, globbed = "", "", False, False
    for c in segment + " ":
        if quote:
            if c == quote:
                quote = ""
            else:
                current += c
        elif c in "'\"":
            quote, started = c, True
        elif c in " \t":
            if started or current:
                words.append((current, globbed and current not in ("[", "]")))
            current, started, globbed = "", False, False
        else:
            current += c
            globbed = globbed or c in GLOB
    return words
