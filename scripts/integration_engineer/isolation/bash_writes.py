"""The paths a Bash command writes to, statically. Standard library only (hot path).

The command is parsed (``shell``) and walked in execution order, following ``cd``/``pushd``:
a ``cd`` inside ``( )`` or a pipeline stays there, ``cd X && ...`` moves what follows, and after
``cd X; ...`` either directory is possible (the cd may fail), so both are checked. A directory
that cannot be followed (``cd "$D"``, ``cd -``, a cd inside a loop) makes later relative targets
unknown, and unknown targets are refused by the isolation policy.

Writes understood: redirections (``>``, ``>>``, ``>|``, ``&>``, ``<>``, ``>&file``; also on
groups and subshells), ``tee``, ``cp``/``mv``/``install``/``ln``/``rsync`` destinations (and
``mv`` sources), ``rm``/``rmdir``/``unlink``/``shred``, ``touch``/``mkdir``/``truncate``/
``mkfifo``, ``chmod``/``chown``/``chgrp``, ``sed -i``, ``perl -i``, ``dd of=``, ``curl -o/-O``,
``wget``, ``tar -x``/``tar -c -f``, ``find -delete``/``-exec``/``-fprint``, git commands that
change a working tree (``git -C DIR checkout ...``), through wrappers (``env``, ``sudo``,
``timeout``...), ``xargs`` (its explicit operands) and ``bash -c``/``sh -c``/``eval`` with a
literal script. Not seen: writes made by programs from their own logic (interpreter one-liners,
package managers, build tools).
"""

from __future__ import annotations

import os

from integration_engineer.bash import commands
from integration_engineer.bash.lexer import Lit
from integration_engineer.bash.parser import (
    AndOr,
    CommandList,
    Coproc,
    For,
    FunctionDef,
    Group,
    If,
    Loop,
    Pipeline,
    Redirect,
    Script,
    ShellSyntaxError,
    SimpleCommand,
    Subshell,
    Word,
)
from integration_engineer.bash.triggers import GIT_WRITING_WORDS
from integration_engineer.isolation import target as write_targets
from integration_engineer.isolation.target import Target
from integration_engineer.repository import git_options

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable  # collections costs ~2 ms to import

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


class _Walker:
    def __init__(self, depth: int = 0) -> None:
        # Links made earlier in the command: path -> (target, the directory it is relative to).
        self.links: dict[str, tuple[Word, str]] = {}
        self.found: list[Target] = []
        self.depth = depth

    # -- structure: returns (cwds when the last command succeeded, cwds when it failed) -------

    def script(self, script: Script, cwds: Cwds) -> Cwds:
        ok, fail = self.list_(script.body, cwds)
        return ok | fail

    def list_(self, node: CommandList, cwds: Cwds) -> tuple[Cwds, Cwds]:
        ok, fail = cwds, cwds
        for i, item in enumerate(node.items):
            background = i < len(node.seps) and node.seps[i] == "&"
            ok, fail = self.and_or(item, cwds)
            if background:
                ok, fail = cwds, cwds
            cwds = ok | fail
        return ok, fail

    def and_or(self, node: AndOr, cwds: Cwds) -> tuple[Cwds, Cwds]:
        ok, fail = self.pipeline(node.pipelines[0], cwds)
        for op, pipeline in zip(node.ops, node.pipelines[1:], strict=True):
            if op == "&&":
                skipped = fail
                ok, fail = self.pipeline(pipeline, ok) if ok else (ok, fail)
                fail = fail | skipped
            else:
                skipped = ok
                ok, fail = self.pipeline(pipeline, fail) if fail else (ok, fail)
                ok = ok | skipped
        return ok, fail

    def pipeline(self, node: Pipeline, cwds: Cwds) -> tuple[Cwds, Cwds]:
        if len(node.commands) > 1:  # every element runs in a subshell
            for cmd in node.commands:
                self.node(cmd, cwds)
            return cwds, cwds
        if not node.commands:  # a bare `!` runs nothing: the directory cannot change
            return cwds, cwds
        ok, fail = self.node(node.commands[0], cwds)
        return (fail, ok) if node.negated else (ok, fail)

    def node(self, node: object, cwds: Cwds) -> tuple[Cwds, Cwds]:
        if isinstance(node, SimpleCommand):
            return self.simple(node, cwds)
        if isinstance(node, Group):
            ok, fail = self.list_(node.body, cwds)
            self.redirects(node.redirects, cwds)
            return ok, fail
        if isinstance(node, Subshell):
            self.list_(node.body, cwds)
            self.redirects(node.redirects, cwds)
            return cwds, cwds
        if isinstance(node, (FunctionDef, Coproc)):
            self.node(node.body, cwds)
            return cwds, cwds
        return self.compound(node, cwds)

    def compound(self, node: object, cwds: Cwds) -> tuple[Cwds, Cwds]:
        """if / while / until / for / case: every part may run, loops more than once."""
        bodies: list[CommandList] = []
        if isinstance(node, If):
            for cond, body in node.clauses:
                bodies += [cond, body]
            bodies += [node.else_body] if node.else_body is not None else []
        elif isinstance(node, Loop):
            bodies = [node.cond, node.body]
        elif isinstance(node, For):
            bodies = [node.body]
        elif hasattr(node, "items"):  # case
            bodies = [body for _patterns, body in node.items]
        after = set(cwds)
        for body in bodies:
            ok, fail = self.list_(body, cwds)
            after |= ok | fail
        if isinstance(node, (Loop, For)) and after != set(cwds):
            after.add(None)  # a cd in a loop body: unknown after a second round
        self.redirects(getattr(node, "redirects", []), cwds)
        result = frozenset(after)
        return result, result

    # -- simple commands -----------------------------------------------------------------------

    def simple(self, cmd: SimpleCommand, cwds: Cwds) -> tuple[Cwds, Cwds]:
        for word in cmd.assignments + cmd.words:
            self.substitutions(word, cwds)
        self.redirects(cmd.redirects, cwds)
        unwrapped = commands.unwrapped(cmd)
        words = unwrapped.words
        if unwrapped.chdir is not None:
            cwds = self.chdir(unwrapped.chdir, cwds) if unwrapped.chdir.value else frozenset({None})
        if unwrapped.wrappers[-1:] == ("sg",):  # sg GROUP [-c] COMMAND: /bin/sh -c COMMAND
            rest = words[1:] if words and words[0].value == "-c" else words
            if rest:
                self.nested("sh", [_named("sh"), _named("-c"), rest[0]], cwds)
            return cwds, cwds
        if not words:
            return cwds, cwds
        program = commands.name(words[0])
        if program in ("cd", "pushd"):
            return self.cd(words[1:], cwds), cwds
        if program == "popd":
            return frozenset({None}), cwds
        self.command(program, words, cwds)
        return cwds, cwds

    def command(self, program: str, words: list[Word], cwds: Cwds) -> None:
        if program == "ln":
            self.record_link(words, cwds)
        handler = HANDLERS.get(program)
        if handler is not None:
            for raw_word, op, kind, whole in handler(words):
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

    def cd(self, args: list[Word], cwds: Cwds) -> Cwds:
        operands = [w for w in args if (w.value or "x")[0] != "-" or w.value == "-"]
        if not operands:
            return frozenset({os.path.expanduser("~")})
        if operands[0].value in (None, "-"):
            return frozenset({None})
        return self.chdir(operands[0], cwds)

    def chdir(self, word: Word, cwds: Cwds) -> Cwds:
        return self._chdir_value(word.value or "", cwds)

    def _chdir_value(self, value: str, cwds: Cwds) -> Cwds:
        out: set[str | None] = set()
        for cwd in cwds:
            target = write_targets.make(value, "cd", cwd)
            out.add(None if target.unknown else target.path)
        return frozenset(out)

    def substitutions(self, word: Word, cwds: Cwds) -> None:
        for sub in word.subs():
            if self.depth < MAX_NESTING:
                _Walker.sub(self, sub.script, cwds)

    def sub(self, script: Script, cwds: Cwds) -> None:
        self.list_(script.body, cwds)

    def redirects(self, redirects: Iterable[Redirect], cwds: Cwds) -> None:
        for redirect in redirects:
            if redirect.heredoc is not None:
                if not redirect.heredoc.quoted:
                    self.substitutions(redirect.heredoc.body, cwds)
                continue
            self.substitutions(redirect.target, cwds)
            op = redirect.op
            target = redirect.target.value
            if op == ">&":
                if target is not None and (target == "-" or target.isdigit()):
                    continue  # duplicating or closing a descriptor
            elif op not in WRITE_REDIRECTS:
                continue
            self.add(redirect.target, f"redirection {redirect.fd or ''}{op}", cwds)

    def add(self, word: Word, op: str, cwds: Cwds, kind: str = "write", whole: bool = False) -> None:
        value = word.value
        delete = kind == "delete"
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
                    found.command(commands.name(inner[0]), inner, cwds)
                    if any("{}" in (t.raw or "") for t in found.found):
                        deletes = True
                    self.found += [t for t in found.found if "{}" not in t.raw]
        if deletes:
            for start in starts or _dot_word():
                self.add(start, "find (deletes or changes files below)", cwds, "delete", True)

    def git(self, words: list[Word], cwds: Cwds) -> None:
        read = git_options.parse([w.value for w in words[1:]])
        i = read.verb_at + 1
        verb = words[i].value if i < len(words) else None
        if verb in GIT_OUTPUT_VERBS:
            for word, op in _git_outputs(verb, words[i + 1 :]):
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
            sub_cwds = self._chdir_value(value, sub_cwds) if value is not None else frozenset({None})
        for cwd in sub_cwds:
            if cwd is None:
                self.found.append(
                    write_targets.unknown(
                        f"git {verb}", f"git {verb}", "it runs in a directory that cannot be followed"
                    )
                )
            else:
                self.found.append(write_targets.make(cwd, f"git {verb} in", cwd))


# git subcommands that write files their options name (archive -o, format-patch -o, bundle create).
GIT_OUTPUT_VERBS = frozenset({"archive", "format-patch", "bundle"})
# git subcommands that write to the working tree: the pre-filter's words, less config (its own
# policy) and the output verbs.
GIT_WRITING_VERBS = GIT_WRITING_WORDS - {"config"} - GIT_OUTPUT_VERBS


# Operations that replace a link named exactly, instead of writing through it.
_REPLACE_LINK = ("sed -i", "perl -i")


def _git_outputs(verb: str, args: list[Word]) -> list[tuple[Word, str]]:
    if verb == "bundle":
        operands = [w for w in args if not (w.value or "").startswith("-")]
        if len(operands) >= 2 and operands[0].value == "create":
            return [(operands[1], "git bundle create")]
        return []
    short, long = ("-o", "--output") if verb == "archive" else ("-o", "--output-directory")
    found = [(w, f"git {verb} {short}") for w in _option_word(args, (short, long))]
    if verb == "format-patch":  # --output=FILE: the one file all patches go to
        found += [(w, "git format-patch --output") for w in _option_word(args, ("--output",))]
    found += [
        (_suffix_word(w, 2), f"git {verb} {short}")
        for w in args
        if (w.value or "").startswith(short) and len(w.value or "") > 2
    ]
    return found


Found = list[tuple[Word, str, str, bool]]


def _lits(word: Word) -> list[Lit]:
    return [p for p in word.parts if isinstance(p, Lit)]


def _dot_word() -> list[Word]:
    return [_named(".")]


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


# -- per-program handlers: argv -> (word, operation, kind, whole_tree) ------------------------


def _operands(
    words: list[Word], takes: frozenset[str] = frozenset(), short: str = ""
) -> tuple[list[Word], dict[str, list[str]]]:
    return commands.split_options(words[1:], takes, short)


def _option_word(words: list[Word], flags: tuple[str, ...]) -> list[Word]:
    """The words given as values of ``flags`` (``-t DIR``, ``--target-directory=DIR``)."""
    out = []
    for i, w in enumerate(words):
        value = w.value or ""
        if value in flags and i + 1 < len(words):
            out.append(words[i + 1])
        for flag in flags:
            if flag.startswith("--") and value.startswith(flag + "="):
                out.append(_suffix_word(w, len(flag) + 1))
    return out


def _suffix_word(word: Word, cut: int) -> Word:
    value = word.value
    if value is None:
        return word
    return Word(word.start, word.end, word.raw, [Lit(value[cut:], False)])


def _copy_like(op: str, takes: frozenset[str], short: str, move: bool = False) -> Callable[[list[Word]], Found]:
    def handler(words: list[Word]) -> Found:
        operands, options = _operands(words, takes, short)
        explicit = _option_word(words, ("-t", "--target-directory"))
        found: Found = [(w, f"{op} destination", "write", False) for w in explicit]
        if "-d" in options and op == "install":
            return [(w, "install -d", "write", False) for w in operands]
        if not explicit and len(operands) >= 2:
            found.append((operands[-1], f"{op} destination", "write", False))
            sources = operands[:-1]
        else:
            sources = operands
        if move:
            found += [(w, f"{op} source (moved away)", "delete", True) for w in sources]
        return found

    return handler


def _all_operands(
    op: str, kind: str, takes: frozenset[str] = frozenset(), short: str = ""
) -> Callable[[list[Word]], Found]:
    def handler(words: list[Word]) -> Found:
        operands, options = _operands(words, takes, short)
        whole = any(k in options for k in ("-r", "-R", "--recursive"))
        return [(w, op, kind, whole or (kind == "delete" and op == "rmdir")) for w in operands]

    return handler


def _chmod_like(op: str) -> Callable[[list[Word]], Found]:
    """chmod/chown/chgrp: the first word that is not one of their flags is the mode or owner
    (a mode may start with '-': ``chmod -x f``), unless --reference gives it."""
    flags = frozenset(
        {
            "-R",
            "-v",
            "-c",
            "-f",
            "-h",
            "-H",
            "-L",
            "-P",
            "--recursive",
            "--verbose",
            "--changes",
            "--silent",
            "--quiet",
            "--dereference",
            "--no-dereference",
            "--preserve-root",
            "--no-preserve-root",
        }
    )

    def handler(words: list[Word]) -> Found:
        args = [w for w in words[1:] if w.value != "--"]
        has_reference = any((w.value or "").startswith("--reference") for w in args)
        rest = [w for w in args if w.value not in flags and not (w.value or "").startswith("--reference")]
        operands = rest if has_reference else rest[1:]
        whole = any(w.value in ("-R", "--recursive") for w in args)
        return [(w, op, "write", whole) for w in operands]

    return handler


def _ln(words: list[Word]) -> Found:
    operands, _ = _operands(words, frozenset({"-S", "--suffix", "-t", "--target-directory"}))
    explicit = _option_word(words, ("-t", "--target-directory"))
    if explicit:
        return [(w, "ln target directory", "write", False) for w in explicit]
    if len(operands) >= 2:
        return [(operands[-1], "ln link name", "write", False)]
    if operands and operands[0].value is not None:
        return [(_named(os.path.basename(operands[0].value.rstrip("/")) or "."), "ln link name", "write", False)]
    return []


def _named(text: str) -> Word:
    return Word(0, 0, text, [Lit(text, False)])


def _rsync(words: list[Word]) -> Found:
    takes = frozenset(
        {
            "-e",
            "--rsh",
            "-f",
            "--filter",
            "-T",
            "--temp-dir",
            "--exclude",
            "--include",
            "--exclude-from",
            "--include-from",
            "--files-from",
            "--rsync-path",
            "--log-file",
            "--password-file",
            "-B",
            "--block-size",
            "--chmod",
            "--chown",
            "--compare-dest",
            "--copy-dest",
            "--link-dest",
        }
    )
    operands, _ = _operands(words, takes, "efTB")
    if len(operands) < 2:
        return []
    dest = operands[-1]
    value = dest.value or ""
    if ":" in value.split("/", 1)[0]:
        return []  # a remote destination
    return [(dest, "rsync destination", "write", True)]


def _tee(words: list[Word]) -> Found:
    operands, _ = _operands(words)
    return [(w, "tee", "write", False) for w in operands]


def _sed(words: list[Word]) -> Found:
    operands, options = _operands(
        words, frozenset({"-e", "--expression", "-f", "--file", "-l", "--line-length"}), "efl"
    )
    if not any(k in options for k in ("-i", "--in-place")):
        return []
    if not any(k in options for k in ("-e", "--expression", "-f", "--file")):
        operands = operands[1:]
    return [(w, "sed -i", "write", False) for w in operands]


def _perl(words: list[Word]) -> Found:
    operands, options = _operands(words, frozenset({"-e", "-E", "-M", "-I"}), "eEMIil0")
    if "-i" not in options:
        return []
    if not any(k in options for k in ("-e", "-E")):
        operands = operands[1:]
    return [(w, "perl -i", "write", False) for w in operands]


def _dd(words: list[Word]) -> Found:
    return [(_suffix_word(w, 3), "dd of=", "write", False) for w in words[1:] if (w.value or "").startswith("of=")]


def _curl(words: list[Word]) -> Found:
    found: Found = [(w, "curl -o", "write", False) for w in _option_word(words, ("-o", "--output"))]
    values = [w.value for w in words]
    if any(v in ("-O", "--remote-name", "--remote-name-all") for v in values):
        dirs = _option_word(words, ("--output-dir",)) or [_named(".")]
        found += [(w, "curl -O into", "write", False) for w in dirs]
    return found


def _wget(words: list[Word]) -> Found:
    named = _option_word(words, ("-O", "--output-document", "-o", "--output-file"))
    found: Found = [(w, "wget output", "write", False) for w in named]
    prefix = _option_word(words, ("-P", "--directory-prefix"))
    if not any(
        (w.value or "") in ("-O", "--output-document") or (w.value or "").startswith("--output-document=")
        for w in words
    ):
        found += [(w, "wget into", "write", False) for w in prefix or [_named(".")]]
    return found


def _tar(words: list[Word]) -> Found:
    args = words[1:]
    modes, file_word, into = "", None, None
    for i, w in enumerate(args):
        value = w.value or ""
        if i == 0 and not value.startswith("-"):
            value = "-" + value  # old style: tar czf out.tgz
        if value.startswith("--"):
            modes += {"--extract": "x", "--get": "x", "--create": "c", "--append": "r", "--update": "u"}.get(
                value.split("=")[0], ""
            )
            if value.startswith("--file="):
                file_word = _suffix_word(w, 7)
            if value.startswith("--directory="):
                into = _suffix_word(w, 12)
            if value in ("--file", "--directory") and i + 1 < len(args):
                file_word, into = (args[i + 1], into) if value == "--file" else (file_word, args[i + 1])
        elif value.startswith("-"):
            modes += value[1:]
            if "f" in value and i + 1 < len(args):
                file_word = args[i + 1]
            if value == "-C" and i + 1 < len(args):
                into = args[i + 1]
    if "x" in modes:
        return [(into or _named("."), "tar extract into", "write", True)]
    if any(m in modes for m in "cru") and file_word is not None:
        return [(file_word, "tar archive", "write", False)]
    return []


def _output_option(op: str, short: str, long: str) -> Callable[[list[Word]], Found]:
    """A program writing where an option says (``sort -o OUT``, ``-oOUT``, ``--output=OUT``)."""

    def handler(words: list[Word]) -> Found:
        found: Found = [(w, op, "write", False) for w in _option_word(words[1:], (short, long))]
        for w in words[1:]:
            value = w.value or ""
            if value.startswith(short) and len(value) > len(short):
                found.append((_suffix_word(w, len(short)), op, "write", False))
        return found

    return handler


def _patch(words: list[Word]) -> Found:
    """``patch -o OUT``, and ``patch -d DIR``: the files it patches are under DIR."""
    found = _output_option("patch -o", "-o", "--output")(words)
    found += [(w, "patch -d", "write", True) for w in _option_word(words[1:], ("-d", "--directory"))]
    return found


def _split(words: list[Word]) -> Found:
    """``split [OPTION] [INPUT [PREFIX]]``: pieces PREFIXaa, PREFIXab... (default ``x`` here)."""
    takes = frozenset(
        {
            "-a",
            "--suffix-length",
            "-b",
            "--bytes",
            "-C",
            "--line-bytes",
            "-l",
            "--lines",
            "-n",
            "--number",
            "-t",
            "--separator",
            "--additional-suffix",
            "--filter",
        }
    )
    operands, _ = commands.split_options(words[1:], takes, "abClnt")
    return [(operands[1], "split output prefix", "write", False)] if len(operands) > 1 else []


def _zip(words: list[Word]) -> Found:
    """``zip [OPTIONS] ARCHIVE FILES``: the archive (or ``-O OUT``) is written."""
    takes = frozenset({"-b", "-n", "-t", "-tt", "-TT", "-x", "-i", "-O", "--output-file", "-P", "-Z", "-s"})
    operands, options = commands.split_options(words[1:], takes, "")
    outputs = [w for w in _option_word(words[1:], ("-O", "--output-file"))]
    found: Found = [(w, "zip -O", "write", False) for w in outputs]
    if operands and not options.get("-O") and not options.get("--output-file"):
        found.append((operands[0], "zip archive", "write", False))
    return found


def _sqlite3(words: list[Word]) -> Found:
    """``sqlite3 DB ...``: the database file is created or changed (not ``:memory:``, not -readonly)."""
    takes = frozenset({"-cmd", "-init", "-separator", "-newline", "-nullvalue", "-vfs", "-maxsize"})
    operands, options = commands.split_options(words[1:], takes, "")
    found: Found = [] if not operands else _sqlite_dot_writes([*operands[1:], *_option_word(words[1:], ("-cmd",))])
    if not operands or "-readonly" in options or operands[0].value in (":memory:", ""):
        return found
    return [(operands[0], "sqlite3 database", "write", False), *found]


# sqlite3's dot-commands that write the file they name (the last word): .once/.output send
# results there, .save/.backup/.clone write a database, .log/.trace a log.
_SQLITE_WRITES = frozenset({".once", ".output", ".save", ".backup", ".clone", ".log", ".trace"})


def _sqlite_dot_writes(words: list[Word]) -> Found:
    found: Found = []
    for word in words:
        if word.value is None:
            found.append((word, "sqlite3 command (only known at run time)", "write", False))
            continue
        for line in word.value.splitlines():
            parts = line.split()
            if len(parts) > 1 and parts[0] in _SQLITE_WRITES and parts[-1] not in ("stdout", "stderr", "off", "on"):
                name = parts[-1].strip("'\"")
                if not name.startswith("|"):  # a pipe runs a command: the git guard's shell escapes
                    found.append((_named(name), f"sqlite3 {parts[0]}", "write", False))
    return found


def _uniq(words: list[Word]) -> Found:
    """``uniq [OPTION] [INPUT [OUTPUT]]``: the second operand is written."""
    takes = frozenset({"-f", "--skip-fields", "-s", "--skip-chars", "-w", "--check-chars"})
    operands, _ = commands.split_options(words[1:], takes, "fsw")
    return [(operands[1], "uniq output", "write", False)] if len(operands) > 1 else []


_COMPILE_OUTPUT = _output_option("compiler -o", "-o", "--output")
HANDLERS: dict[str, Callable[[list[Word]], Found]] = {
    "uniq": _uniq,
    "sort": _output_option("sort -o", "-o", "--output"),
    "shuf": _output_option("shuf -o", "-o", "--output"),
    "unzip": _output_option("unzip -d", "-d", "--extract-dir"),
    "patch": _patch,
    "split": _split,
    "zip": _zip,
    "sqlite3": _sqlite3,
    **{cc: _COMPILE_OUTPUT for cc in ("gcc", "cc", "clang", "g++", "c++", "clang++")},
    "tee": _tee,
    "cp": _copy_like("cp", frozenset({"-S", "--suffix", "-t", "--target-directory"}), "St"),
    "mv": _copy_like("mv", frozenset({"-S", "--suffix", "-t", "--target-directory"}), "St", move=True),
    "install": _copy_like(
        "install",
        frozenset({"-m", "--mode", "-o", "--owner", "-g", "--group", "-S", "--suffix", "-t", "--target-directory"}),
        "mogSt",
    ),
    "ln": _ln,
    "rsync": _rsync,
    "rm": _all_operands("rm", "delete"),
    "rmdir": _all_operands("rmdir", "delete"),
    "unlink": _all_operands("unlink", "delete"),
    "shred": _all_operands("shred", "delete", frozenset({"-n", "--iterations", "-s", "--size"}), "ns"),
    "touch": _all_operands("touch", "write", frozenset({"-r", "--reference", "-d", "--date", "-t"}), "rdt"),
    "mkdir": _all_operands("mkdir", "write", frozenset({"-m", "--mode"}), "m"),
    "truncate": _all_operands("truncate", "write", frozenset({"-s", "--size", "-r", "--reference"}), "sr"),
    "mkfifo": _all_operands("mkfifo", "write", frozenset({"-m", "--mode"}), "m"),
    "chmod": _chmod_like("chmod"),
    "chown": _chmod_like("chown"),
    "chgrp": _chmod_like("chgrp"),
    "sed": _sed,
    "perl": _perl,
    "dd": _dd,
    "curl": _curl,
    "wget": _wget,
    "tar": _tar,
}
