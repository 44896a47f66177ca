"""The paths a Bash command writes to, statically. Standard library only (hot path).

The command is parsed and walked in execution order by the one walk (``bash/commands``), which
follows ``cd``/``pushd``: a ``cd`` inside ``( )`` or a pipeline stays there, ``cd X && ...``
moves what follows, and after ``cd X; ...`` either directory is possible (the cd may fail), so
both are checked. A directory that cannot be followed (``cd "$D"``, ``cd -``, a cd inside a loop)
makes later relative targets unknown, and unknown targets are refused by the isolation policy.

Writes understood: redirections (``>``, ``>>``, ``>|``, ``&>``, ``<>``, ``>&file``; also on
groups and subshells), ``tee``, ``cp``/``mv``/``install``/``ln``/``rsync`` destinations (and
``mv`` sources), ``rm``/``rmdir``/``unlink``/``shred``, ``touch``/``mkdir``/``truncate``/
``mkfifo``, ``chmod``/``chown``/``chgrp``, ``sed -i``, ``perl -i``, ``dd of=``, ``curl -o/-O``,
``wget``, ``tar -x``/``tar -c -f``, ``find -delete``/``-exec``/``-fprint``, git commands that
change a working tree (``git -C DIR checkout ...``), through wrappers (``env``, ``sudo``,
``timeout``...), the programs of ``bash/runners`` (gosu, ``perf stat``, hyperfine...), ``xargs``
(its explicit operands) and ``bash -c``/``sh -c``/``eval`` with a literal script. Not seen: writes
made by programs from their own logic (interpreter one-liners, package managers, build tools).
"""

from __future__ import annotations

import os

from integration_engineer.bash import commands, runners
from integration_engineer.bash.lexer import Lit
from integration_engineer.bash.parser import Redirect, Script, ShellSyntaxError, Word
from integration_engineer.isolation import target as write_targets
from integration_engineer.isolation.target import Target
from integration_engineer.repository import git_options

# The programs program_writes.HANDLERS knows (a test keeps the two equal): the hot path imports
# program_writes, git_writes and write_words only for a command that runs one of them.
HANDLED = frozenset(
    {
        *("uniq", "sort", "shuf", "unzip", "patch", "split", "zip", "sqlite3", "tee"),
        *("gcc", "cc", "clang", "g++", "c++", "clang++"),
        *("cp", "mv", "install", "ln", "rsync", "rm", "rmdir", "unlink", "shred"),
        *("touch", "mkdir", "truncate", "mkfifo", "chmod", "chown", "chgrp"),
        *("sed", "perl", "dd", "curl", "wget", "tar"),
    }
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    from integration_engineer.isolation.write_vars import Values

Cwds = frozenset[str | None]  # every directory the command may be in; None: unknown
WRITE_REDIRECTS = frozenset({">", ">>", ">|", "&>", "&>>", "<>"})
MAX_NESTING = 8


def targets(source: str, cwd: str) -> list[Target]:
    """Every write of ``source`` run from ``cwd`` (deduplicated, in order)."""
    walker = _Walker()
    try:
        script = commands.parsed(source)
    except ShellSyntaxError as exc:
        return [write_targets.unknown(source[:60], "command", f"it cannot be parsed ({exc})")]
    walker.script(script, frozenset({cwd or None}))
    seen: set[tuple[str, str, str]] = set()
    out = []
    for target in walker.found:
        key = (target.op, target.raw, target.path or target.unknown)
        if key not in seen:
            seen.add(key)
            out.append(target)
    return out


def _chdir(value: str, cwd: str | None) -> str | None:
    """Where ``cd VALUE`` leads from ``cwd`` (symlinks resolved); None when it cannot be known."""
    target = write_targets.make(value, "cd", cwd)
    return None if target.unknown else target.path


# Operations that replace a link named exactly, instead of writing through it.
_REPLACE_LINK = ("sed -i", "perl -i")


class _Walker:
    """The writes of the items of the command's walk (``bash/commands.walked``), each seen from
    every directory the walk says it may be in."""

    def __init__(self, depth: int = 0) -> None:
        # Links made earlier in the command: path -> (target, the directory it is relative to).
        self.links: dict[str, tuple[Word, str]] = {}
        self.found: list[Target] = []
        self.depth = depth
        self.script_node: Script | None = None
        self.values: Values | None = None  # the variables the script fixes (write_vars), on demand

    def script(self, script: Script, cwds: Cwds) -> None:
        self.script_node, self.values = script, None
        walk = commands.walked(script)
        where = commands.directories(walk, cwds, _chdir)
        for item in walk.items:
            if isinstance(item, commands.Redirection):
                self.redirect(item.redirect, where[item.dirs])
            elif isinstance(item, commands.Resolved):
                self.simple(item, where[item.dirs])

    def simple(self, found: commands.Resolved, cwds: Cwds) -> None:
        unwrapped = found.unwrapped
        words = unwrapped.words
        if unwrapped.wrappers[-1:] == ("sg",):  # sg GROUP [-c] COMMAND: /bin/sh -c COMMAND
            from integration_engineer.isolation.write_words import literal_word

            rest = words[1:] if words and words[0].value == "-c" else words
            if rest:
                self.nested("sh", [literal_word("sh"), literal_word("-c"), rest[0]], cwds)
            return
        program = commands.name(words[0]) if words else ""
        if program and program not in ("cd", "pushd", "popd"):  # the walk follows those
            self.command(program, words, cwds)

    def command(self, program: str, words: list[Word], cwds: Cwds) -> None:
        if program == "ln":
            self.record_link(words, cwds)
        if program in HANDLED:
            from integration_engineer.isolation.program_writes import HANDLERS

            for raw_word, op, kind, whole in HANDLERS[program](words):
                self.add(raw_word, op, cwds, kind, whole)
        elif program in ("bash", "sh", "dash", "zsh", "ksh", "eval"):
            self.nested(program, words, cwds)

        elif program == "xargs":
            inner = _xargs_command(words[1:])
            if inner:
                self.command(commands.name(inner[0]), inner, cwds)
        elif program == "find":
            self.find(words, cwds)
        elif program == "git":
            self.git(words, cwds)
        elif program in runners.RUNS or program in runners.SHELL_STRINGS:
            self.runner(program, words, cwds)

    def runner(self, program: str, words: list[Word], cwds: Cwds) -> None:
        """A program of ``bash/runners`` (gosu, ``perf stat``, ``mise exec``, hyperfine...): each
        command it may run is walked, as the git guard reads them (every word that may start it)."""
        from integration_engineer.isolation.write_words import literal_word

        values = [w.value for w in words[1:]]
        found = runners.commands(program, values)
        if found is None or self.depth >= MAX_NESTING:
            return
        argvs, texts = found
        for argv in argvs:
            start = len(values) - len(argv)
            if values[start:] == argv:
                inner = words[1 + start :]
            elif None not in argv:
                inner = [literal_word(a or "") for a in argv]  # start-stop-daemon --exec PROG -- ARGS
            else:
                inner = []
            if not inner or inner[0].value is None:
                continue  # a program named at run time: its own writes are not seen (as "$P" ARGS)
            nested = _Walker(self.depth + 1)
            nested.script_node, nested.values, nested.links = self.script_node, self.values, self.links
            nested.command(commands.name(inner[0]), inner, cwds)
            self.found += nested.found
        for text in texts:
            if text is None:
                self.found.append(
                    write_targets.unknown(program, program, "the command it runs is only known at run time")
                )
            else:
                self.nested("sh", [literal_word("sh"), literal_word("-c"), literal_word(text)], cwds)

    def record_link(self, words: list[Word], cwds: Cwds) -> None:
        """``ln [-s] TARGET LINK``: a later write to LINK writes TARGET (the link does not exist yet
        when the command is read, so the path check cannot see through it)."""
        flags = [w.value or "" for w in words[1:] if (w.value or "").startswith("-")]
        operands = [w for w in words[1:] if not (w.value or "").startswith("-")]
        if len(operands) != 2 or operands[1].value is None:
            return
        symbolic = any(f in ("-s", "--symbolic") or (not f.startswith("--") and "s" in f) for f in flags)
        for cwd in cwds:
            link = write_targets.make(operands[1].value, "ln", cwd)
            if not link.unknown:
                # A symlink's relative target is read from the link's directory, a hard link's from ours.
                self.links[link.path] = (operands[0], os.path.dirname(link.path) if symbolic else cwd or "")

    def redirect(self, redirect: Redirect, cwds: Cwds) -> None:
        op = redirect.op
        target = redirect.target.value
        if op == ">&":
            if target is not None and (target == "-" or target.isdigit()):
                return  # duplicating or closing a descriptor
        elif op not in WRITE_REDIRECTS:
            return
        self.add(redirect.target, f"redirection {redirect.fd or ''}{op}", cwds)

    def add(self, word: Word, op: str, cwds: Cwds, kind: str = "write", whole: bool = False) -> None:
        value = word.value
        delete = kind == "delete"
        fields = self.known(word) if value is None else None
        if fields is not None:
            for field in fields:
                self.add(Word(word.start, word.end, word.raw, [Lit(field, True)]), op, cwds, kind, whole)
            return
        if value is None:
            self.found.append(
                write_targets.unknown(
                    word.raw,
                    op,
                    "its path is only known at run time (an expansion); write to a literal path inside the worktree",
                )
            )
            return
        if any("{" in p.text and not p.quoted for p in _lits(word)) and "," in value:
            self.found.append(write_targets.unknown(word.raw, op, "brace expansion"))
            return
        for cwd in sorted(cwds, key=lambda c: c or ""):
            target = write_targets.make(value, op, cwd, "delete" if delete else "write", whole_tree=whole)
            if not target.unknown and not op.startswith("ln"):
                self.through_links(target, op)
            self.found.append(target)

    def known(self, word: Word) -> list[str] | None:
        """What an expanded target stands for when the command fixes it (imported only then)."""
        if self.script_node is None:
            return None
        if self.values is None:
            from integration_engineer.isolation.write_vars import Values

            self.values = Values(self.script_node)
        return self.values.fields(word)

    def through_links(self, target: Target, op: str) -> None:
        """A write to a link the command made, or below one (``ln -s DIR o; echo > o/f``), lands
        on the link's target: that path is checked too."""
        for link, (through, base) in self.links.items():
            if target.path == link and (target.kind == "delete" or op.startswith(_REPLACE_LINK)):
                continue  # rm or sed -i of the link itself removes or replaces the link, not its target
            if target.path != link and not target.path.startswith(link.rstrip("/") + "/"):
                continue
            if through.value is None:
                why = "it is written through a link whose target is only known at run time"
                self.found.append(write_targets.unknown(target.raw, f"{op} (through a link)", why))
                continue
            rest = target.path[len(link) :]
            self.found.append(write_targets.make(through.value.rstrip("/") + rest, f"{op} (through a link)", base))

    def nested(self, program: str, words: list[Word], cwds: Cwds) -> None:
        """``bash -c SCRIPT`` / ``eval WORDS``: walk the literal script; unknown otherwise."""
        if program == "eval":
            script_words = words[1:]
        else:
            flags = [w for w in words[1:] if (w.value or "").startswith("-")]
            if not any("c" in (w.value or "") for w in flags):
                return  # a script file or stdin: not seen
            operands = [w for w in words[1:] if not (w.value or "").startswith("-")]
            script_words = operands[:1]
        if not script_words:
            return
        if any(w.value is None for w in script_words) or self.depth >= MAX_NESTING:
            self.found.append(
                write_targets.unknown(
                    " ".join(w.raw for w in script_words), program, "the script is only known at run time"
                )
            )
            return
        source = " ".join(w.value or "" for w in script_words)
        inner = _Walker(self.depth + 1)
        try:
            inner.script(commands.parsed(source), cwds)
        except ShellSyntaxError as exc:
            self.found.append(write_targets.unknown(source[:60], program, str(exc)))
            return
        self.found += inner.found

    def find(self, words: list[Word], cwds: Cwds) -> None:
        starts, expr = _find_split(words[1:])
        values = [w.value for w in expr]
        deletes = "-delete" in values
        for i, value in enumerate(values):
            if value in ("-fprint", "-fprint0", "-fls", "-fprintf") and i + 1 < len(expr):
                self.add(expr[i + 1], f"find {value}", cwds)
            if value in ("-exec", "-execdir", "-ok", "-okdir"):
                end = next((j for j in range(i + 1, len(expr)) if expr[j].value in (";", "+")), len(expr))
                inner = expr[i + 1 : end]
                if inner:
                    found = _Walker(self.depth + 1)
                    found.script_node, found.values = self.script_node, self.values
                    found.command(commands.name(inner[0]), inner, cwds)
                    if any("{}" in (t.raw or "") for t in found.found):
                        deletes = True
                    self.found += [t for t in found.found if "{}" not in t.raw]
        if deletes:
            for start in starts or _dot_word():
                self.add(start, "find (deletes or changes files below)", cwds, "delete", True)

    def git(self, words: list[Word], cwds: Cwds) -> None:
        from integration_engineer.isolation.git_writes import GIT_OUTPUT_VERBS, GIT_WRITING_VERBS, git_outputs

        read = git_options.parse([w.value for w in words[1:]])
        i = read.verb_at + 1
        verb = words[i].value if i < len(words) else None
        if verb in GIT_OUTPUT_VERBS:
            for word, op in git_outputs(verb, words[i + 1 :]):
                self.add(word, op, cwds)
            return
        if verb not in GIT_WRITING_VERBS:
            return
        # The directory the verb works in: every -C step, then the last --work-tree (git resolves a
        # relative one from where the -C steps led).
        where = read.values("-C") + read.values("--work-tree")[-1:]
        rest = words[i + 1 :]
        if verb in ("clone", "worktree"):
            operands = [w for w in rest if not (w.value or "").startswith("-")]
            if verb == "worktree" and operands and operands[0].value in ("add", "move"):
                for w in operands[1:][-1:] if operands[0].value == "move" else operands[1:2]:
                    self.add(w, f"git worktree {operands[0].value}", cwds)
            elif verb == "clone" and len(operands) >= 2:
                self.add(operands[1], "git clone", cwds)
            return
        sub_cwds = cwds
        for value in where:
            sub_cwds = frozenset(_chdir(value, cwd) for cwd in sub_cwds) if value is not None else frozenset({None})
        for cwd in sub_cwds:
            if cwd is None:
                self.found.append(
                    write_targets.unknown(
                        f"git {verb}", f"git {verb}", "it runs in a directory that cannot be followed"
                    )
                )
            else:
                self.found.append(write_targets.make(cwd, f"git {verb} in", cwd))


def _lits(word: Word) -> list[Lit]:
    return [p for p in word.parts if isinstance(p, Lit)]


def _dot_word() -> list[Word]:
    from integration_engineer.isolation.write_words import literal_word

    return [literal_word(".")]


def _xargs_command(words: list[Word]) -> list[Word]:
    takes = frozenset(
        {
            "-a",
            "--arg-file",
            "-d",
            "--delimiter",
            "-E",
            "-e",
            "-I",
            "-i",
            "-L",
            "-l",
            "-n",
            "--max-args",
            "-P",
            "--max-procs",
            "-s",
            "--max-chars",
        }
    )
    i = 0
    while i < len(words):
        value = words[i].value or ""
        if not value.startswith("-"):
            break
        i += 2 if value in takes else 1
    return words[i:]


def _find_split(words: list[Word]) -> tuple[list[Word], list[Word]]:
    i = 0
    while i < len(words) and words[i].value in ("-H", "-L", "-P", "-O", "-D"):
        i += 2 if words[i].value == "-D" else 1
    starts = []
    while i < len(words):
        value = words[i].value
        if value is not None and (value.startswith("-") or value in ("(", "!", ")", ",")):
            break
        starts.append(words[i])
        i += 1
    return starts, words[i:]
