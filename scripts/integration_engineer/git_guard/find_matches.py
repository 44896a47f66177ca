"""Whether ``find``'s one command action can run at all: some file under its start paths passes
the tests before that action.

``find . -name '*.nope' -exec git push \\;`` runs nothing where no file is named so (checked with
GNU find 4.9 and GIT_TRACE; ``-exec ... +`` too: it starts no command for an empty list).
``never_runs(args, cwd)`` walks the start paths (a link read as what it points to, which can only
match more than find's default ``-P``) and answers True only when, for every file, some test of
the action's ``-a`` chain that is read here (``-name``, ``-iname``, ``-path``, ``-type``, ``-false``,
``-mindepth``/``-maxdepth``) is false. Any other known test counts as true; an operator this
reading does not follow (``!``, ``(``, ``,``), a file-writing action (``-fprint``: find creates
the file first), a second command action, ``-L``/``-H``/``-follow``, an unknown primary or word, or a tree
larger than ``_MAX_ENTRIES`` answer False (it may run). ``alone(text)``: the whole command is that
one find besides programs that only read (``echo``, ``cat``...), with no substitution and no
output redirection, so no file is created before or while find walks (``touch x.nope; find ...``
runs its action). Standard library only.
"""

from __future__ import annotations

import os
from fnmatch import fnmatchcase

from integration_engineer.bash import script_files

_MAX_ENTRIES = 20000
_ACTIONS = frozenset({"-exec", "-execdir", "-ok", "-okdir"})
# Primaries taking one value, whose result is not read here (true for all it may mean).
_VALUED = frozenset({"-newer", "-anewer", "-cnewer", "-user", "-group", "-perm", "-size", "-mtime", "-mmin"})
_VALUED |= {"-atime", "-amin", "-ctime", "-cmin", "-links", "-inum", "-samefile", "-uid", "-gid", "-lname"}
_VALUED |= {"-ilname", "-fstype", "-used", "-regex", "-iregex", "-xtype", "-context", "-printf", "-regextype"}
_VALUED |= {"-newermm", "-newerma", "-newermc", "-newerct", "-newercm", "-newerat", "-newerBt", "-newermt"}
_PLAIN = frozenset({"-executable", "-readable", "-writable", "-nouser", "-nogroup", "-true", "-prune", "-quit"})
_PLAIN |= {"-print", "-print0", "-ls", "-delete", "-depth", "-xdev", "-mount", "-noleaf", "-ignore_readdir_race"}
_PLAIN |= {"-noignore_readdir_race", "-nowarn", "-warn", "-daystart", "-empty"}
_READ = frozenset({"-name", "-iname", "-path", "-wholename", "-ipath", "-iwholename", "-type"})

# Programs that create no file (their output redirections are checked on their own).
_READERS = frozenset({"echo", "printf", "cat", "ls", "pwd", "true", "false", ":", "head", "tail", "wc", "grep"})
_READERS |= {"test", "[", "date", "find"}

Test = tuple[str, str]


def alone(text: str) -> bool:
    """Whether ``text`` runs one find and, besides it, only programs that create no file."""
    from integration_engineer.bash.commands import simple_commands
    from integration_engineer.bash.lexer import ShellSyntaxError
    from integration_engineer.bash.parser import parse

    try:
        found = simple_commands(parse(text))
    except ShellSyntaxError:
        return False
    finds = 0
    for resolved in found:
        cmd = resolved.command
        words = [w.raw for w in cmd.words]
        if not words or words[0] not in _READERS or cmd.assignments:
            return False
        if any(t in w for w in words for t in ("$(", "`", "<(", ">(")):
            return False
        for r in cmd.redirects:
            dup = r.op in (">&", "<&") and (r.target.raw.isdigit() or r.target.raw == "-")
            if r.op not in ("<", "<<", "<<-", "<<<") and not dup and r.target.raw != "/dev/null":
                return False
        finds += words[0] == "find"
    return finds == 1


def never_runs(args: list[str | None], cwd: str) -> bool:
    """True when find's command action surely starts nothing (see the module docstring)."""
    if any(a is None for a in args):
        return False
    words = [a for a in args if a is not None]
    i = 0
    while i < len(words) and (words[i] in ("-P", "-D") or (words[i][:2] == "-O" and words[i][2:].isdigit())):
        i += 2 if words[i] == "-D" else 1
    starts: list[str] = []
    while i < len(words) and not words[i].startswith("-") and words[i] not in ("(", "!", ","):
        starts.append(words[i])
        i += 1
    chain = _chain(words[i:])
    if chain is None:
        return False
    tests, (low, high) = chain
    budget = [_MAX_ENTRIES]
    for start in starts or ["."]:
        found = _walk(os.path.join(cwd, start), start, high, budget)
        if found is None:
            return False
        if any(level >= low and all(_passes(t, path, mode) for t in tests) for path, mode, level in found):
            return False
    return True


def _chain(expr: list[str]) -> tuple[list[Test], tuple[int, int]] | None:
    """The tests read here before the one command action, in its ``-a`` chain (the part since the
    last ``-o``), and the depth range; None when the expression is not one read here."""
    tests: list[Test] = []
    found: list[Test] = []
    low, high = 0, 1 << 30
    action_seen = False
    i = 0
    while i < len(expr):
        word = expr[i]
        if word in ("-o", "-or"):
            tests = []
        elif word in ("-a", "-and"):
            pass
        elif word in _ACTIONS:
            if action_seen:
                return None
            action_seen = True
            end = i + 1
            while end < len(expr) and expr[end] not in (";", "+"):
                end += 1
            if end == len(expr):
                return None
            found = list(tests)
            i = end
        elif word in ("-maxdepth", "-mindepth") and i + 1 < len(expr) and expr[i + 1].isdigit():
            low, high = (low, int(expr[i + 1])) if word == "-maxdepth" else (int(expr[i + 1]), high)
            i += 1
        elif word in _READ and i + 1 < len(expr):
            if not action_seen:
                tests.append((word, expr[i + 1]))
            i += 1
        elif word in _VALUED and i + 1 < len(expr):
            i += 1
        elif word == "-false":
            if not action_seen:
                tests.append((word, ""))
        elif word not in _PLAIN:
            return None  # !, (, ",", -fprint FILE, -L, a word not known here
        i += 1
    return (found, (low, high)) if action_seen else None


def _walk(top: str, shown: str, high: int, budget: list[int]) -> list[tuple[str, int, int]] | None:
    """(path as find shows it, kind as ``script_files.signature`` gives it: 1 a file, 2 a
    directory, 0 anything else; depth) for the start and what is under it, as far as ``high``
    (-maxdepth) goes; None past ``budget`` entries. Reads are noted (``script_files``: a cached
    answer is keyed on them); a link counts as what it points to, which can only match more."""
    if not script_files.is_dir(top):
        sig = script_files.signature(top)  # noted by is_dir
        return [(shown, sig[0], 0)] if sig else []  # a missing start: find reports it and goes on
    found = [(shown, 2, 0)]
    todo = [(top, shown, 0)]
    while todo:
        directory, name, level = todo.pop()
        if level >= high:
            continue
        entries = script_files.list_dir(directory)
        budget[0] -= len(entries)
        if budget[0] < 0:
            return None
        for entry in entries:
            path = os.path.join(directory, entry)
            kind = script_files.signature(path)[0]
            child = name.rstrip("/") + "/" + entry
            found.append((child, kind, level + 1))
            if kind == 2:
                todo.append((path, child, level + 1))
    return found


def _passes(test: Test, path: str, mode: int) -> bool:
    """Whether the file may pass the test (a pattern this reading does not follow may)."""
    primary, value = test
    if primary == "-false":
        return False
    if primary == "-type":
        kinds = value.split(",")
        return any(k not in ("f", "d") or mode == (1 if k == "f" else 2) for k in kinds)
    if any(c in value for c in "[\\"):
        return True  # classes and escapes: glibc's fnmatch and Python's differ
    name = path.rstrip("/").rsplit("/", 1)[-1] or path
    subject = name if primary in ("-name", "-iname") else path
    if primary in ("-iname", "-ipath", "-iwholename"):
        return fnmatchcase(subject.lower(), value.lower())
    return fnmatchcase(subject, value)
