"""Values of the variables a write target uses, when the command itself fixes them. Stdlib only (hot path).

``name=stripe; mkdir -p "src/$name"``, ``for p in a b; do touch "src/$p"; done`` and
``echo x > "/tmp/run-$$.log"`` write to paths known before they run. A variable's values are the
union of everything the command assigns to it anywhere (every branch, loop round, function and
subshell: flow-insensitive, so a later ``d=..`` in a loop counts), and at a use also the
environment's value (unknown) unless the use is certainly preceded by an assignment: one at the
top level of the script, run unconditionally and before the use in the text, or the header of a
``for`` loop around the use. Anything that can set a variable unseen (``read``, ``eval``,
``source``, ``unset``, ``declare -n``, ``trap``, ``alias``, arithmetic, ``${x:=...}``, ``IFS``...)
makes the command's named variables unknown; the numeric ``$$``, ``$?``, ``$!`` (digits: no ``/``,
never ``.`` or ``..``) stay known, each stood for by ``0``.
"""

from __future__ import annotations

from integration_engineer.bash import commands
from integration_engineer.bash.expand import Env, Field, expand_word, value_of
from integration_engineer.bash.lexer import ArrayLit, Lit, Param, Sub, Word
from integration_engineer.bash.parser import For, Script, SimpleCommand

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path)
if TYPE_CHECKING:
    from collections.abc import Sequence

# Builtins that set variables in ways not written as NAME=VALUE (or that run text as code).
_OPAQUE = frozenset(
    {"read", "mapfile", "readarray", "source", ".", "eval", "unset", "let", "getopts", "alias", "trap", "wait"}
)
_DECLARE = frozenset({"declare", "typeset", "local", "export", "readonly"})
_INNER = _OPAQUE | _DECLARE | {"printf"}
# Parameters whose value is digits whatever happens (they cannot be assigned).
_NUMERIC = ("$", "?", "!")
# Variables bash sets itself (cd sets PWD, read sets REPLY...): an assignment does not fix them.
_SHELL_SET = frozenset(
    {"PWD", "OLDPWD", "REPLY", "OPTARG", "OPTIND", "OPTERR", "PIPESTATUS", "RANDOM", "SRANDOM", "SECONDS"}
    | {"LINENO", "HISTCMD", "EPOCHSECONDS", "EPOCHREALTIME", "COLUMNS", "LINES", "MAPFILE", "COPROC"}
    | {"DIRSTACK", "FUNCNAME", "GROUPS", "_"}
)


class Values:
    """The known values of one script's variables, computed on the first expanded write target."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self._vars: dict[str, list[Field]] | None = None
        self.arrays: dict[str, list[Field]] = {}
        self.certain: dict[str, int] = {}  # name -> end of its first certain assignment
        self.loops: list[tuple[str, int, int]] = []  # (var, start, end) of each for body
        self.tmpdir = False  # TMPDIR is not changed by the command: mktemp's names go to /tmp

    def fields(self, word: Word) -> list[str] | None:
        """The paths ``word`` may stand for (each one field), or None when not known."""
        known = self._vars if self._vars is not None else self._build()
        out: list[str] = []
        for alternative in expand_word(word, self._at(word.start, known)):
            if len(alternative) != 1 or not alternative[0]:
                return None  # split into several fields, or none: the operands would shift
            out.append(alternative[0])
        return out

    def _at(self, at: int, known: dict[str, list[Field]]) -> Env:
        """What a word at offset ``at`` sees: the union, and the environment's (unknown) value
        where no assignment certainly comes first."""
        env = Env(stdout=self._stdout)
        env.vars = {n: v + ([] if self._covered(n, at) else [None]) for n, v in known.items()}
        env.arrays = {n: v for n, v in self.arrays.items() if self._covered(n, at)}
        for name in _NUMERIC:
            env.vars[name] = ["0"]
        return env

    def _covered(self, name: str, at: int) -> bool:
        end = self.certain.get(name)
        if end is not None and end <= at:
            return True
        return any(var == name and start <= at <= stop for var, start, stop in self.loops)

    def _build(self) -> dict[str, list[Field]]:
        self._vars = {}
        found = _Found(self.script)
        source = self.script.source
        if found.opaque:
            return self._vars
        for name in [n for n in found.assigned if n in _SHELL_SET or n.startswith("BASH") or n in found.unlisted]:
            del found.assigned[name]
        self.loops = [(var, start, end) for var, _, start, end in found.loops]
        self.certain = _certain(self.script)
        self.tmpdir = "TMPDIR" not in source
        # First the names given only literal values; then every value, expanded as bash would
        # see it where it is assigned (a name used there before any certain assignment: unknown).
        literal: dict[str, list[Field]] = {}
        for name, words in found.assigned.items():
            if all(w.value is not None for w in words):
                literal[name] = [w.value for w in words]
        out: dict[str, list[Field]] = {}
        for name, arrays in found.arrays.items():
            if len(arrays) == 1 and name not in found.assigned:  # assigned once, as a whole
                self.arrays[name] = arrays[0]
                literal[name] = out[name] = arrays[0][:1]
        for name, words in found.assigned.items():
            values = [v for w in words for v in value_of(w, self._at(w.start, literal))]
            out[name] = list(dict.fromkeys(values))
        for var, loop_words, _, _ in found.loops:
            if var in _SHELL_SET or var.startswith("BASH") or var in found.unlisted:
                continue
            values = [None]
            if loop_words:
                env = self._at(loop_words[0].start, literal)
                values = [f for w in loop_words for fields in expand_word(w, env) for f in fields]
            out[var] = list(dict.fromkeys(out.get(var, []) + values))
        self._vars = out
        return out

    def _stdout(self, script: Script) -> str | None:
        """What ``$(mktemp ...)`` or ``$(date +FORMAT)`` prints, as far as the path goes."""
        items = script.body.items
        if len(items) != 1 or len(items[0].pipelines) != 1:
            return None
        first = items[0].pipelines[0].commands
        cmd = first[0] if len(first) == 1 else None
        if not isinstance(cmd, SimpleCommand) or cmd.assignments or cmd.redirects:
            return None
        argv = [w.value for w in cmd.words]
        if None in argv or not argv:
            return None
        words = [a for a in argv if a is not None]
        if words[0] == "mktemp" and self.tmpdir:
            flags = [a for a in words[1:] if a.startswith("-")]
            names = [a for a in words[1:] if not a.startswith("-")]
            # In bubblewrap TMPDIR is /tmp: mktemp [-d] makes a name of letters there; a template
            # goes there with -t only (else into the current directory).
            template = not names or ("-t" in flags and len(names) == 1 and "/" not in names[0])
            if template and all(f in _MKTEMP_FLAGS for f in flags):
                return "/tmp/tmp.XXXXXXXXXX"
        if words[0] == "date" and len(words) == 2 and words[1].startswith("+"):
            return _date_shape(words[1][1:])
        return None


def _date_shape(fmt: str) -> str | None:
    """``date +FMT``'s output with each field as 0, when every field prints digits only and the
    text around them has no blank, slash or glob (so the 0s keep the path's shape)."""
    pieces = fmt.replace("%%", "%_").split("%")
    out = [pieces[0]]
    for piece in pieces[1:]:
        if piece[:1] == "_":
            out.append("%" + piece[1:])
        elif piece[:1] in _DATE_DIGITS:
            out.append("0" + piece[1:])
        else:
            return None
    text = "".join(out)
    return text if all(c.isalnum() or c in "-_.%:+," for c in text) else None


_MKTEMP_FLAGS = frozenset({"-d", "--directory", "-q", "--quiet", "-t", "-u", "--dry-run"})
_DATE_DIGITS = frozenset("YmdHMSsjuwyCgGVU")


class _Found:
    """Every assignment anywhere in a script, from the one walk (bash/commands): its simple commands
    at any depth (substitutions, function bodies, here-documents) and its for loops."""

    def __init__(self, script: Script) -> None:
        self.assigned: dict[str, list[Word]] = {}  # each value given, as written
        self.loops: list[tuple[str, list[Word] | None, int, int]] = []
        self.arrays: dict[str, list[list[Field]]] = {}  # name=(literal words), each time
        self.opaque = _assigning_text(script.source)
        walk = commands.walked(script)
        for found in walk.commands:
            self.simple(found.command)
        for definition in walk.definitions:
            node = definition.node
            if isinstance(node, For):
                body = [c.command for c in commands.simple_commands(node.body)]
                start = min((c.start for c in body), default=-1)
                end = max((_end(c) for c in body), default=-1)
                self.loops.append((node.var, node.words, start, end))
        # A loop the walk does not list (in a substitution) still assigns its variable.
        listed = [var for var, _, _, _ in self.loops]
        named = _loop_names(script.source)
        self.unlisted = {n for n in named if named.count(n) > listed.count(n)}

    def simple(self, cmd: SimpleCommand) -> None:
        for word in cmd.assignments:
            self.assignment(word)
        words = cmd.words
        program = words[0].value if words else None
        if words and program is None:
            self.opaque = True  # a program named by an expansion may be any builtin
        if program in _OPAQUE or (program == "printf" and len(words) > 1 and (words[1].value or "-v").startswith("-v")):
            self.opaque = True
        if program in ("builtin", "command") and any(w.value is None or w.value in _INNER for w in words[1:]):
            self.opaque = True  # builtin read x, command eval ...
        if program in _DECLARE:
            for word in words[1:]:
                text = word.parts[0].text if word.parts and isinstance(word.parts[0], Lit) else ""
                if not text or text.startswith("-") or "=" not in text:
                    if program != "export" or not text.isidentifier():
                        self.opaque = True  # flags (-n, -a, -g...), a bare local NAME (empty)
                    continue
                self.assignment(word)
        for word in words:
            self.parts(word.parts)
        if any((r.fd or "").startswith("{") for r in cmd.redirects):
            self.opaque = True  # exec {fd}>file puts a number in fd

    def assignment(self, word: Word) -> None:
        first = word.parts[0] if word.parts else None
        if not isinstance(first, Lit) or "=" not in first.text:
            self.opaque = True
            return
        name, _, rest = first.text.partition("=")
        if not name.isidentifier():  # NAME+=..., NAME[i]=...
            self.opaque = True
            return
        parts = ([Lit(rest, first.quoted)] if rest else []) + word.parts[1:]
        self.parts(parts)
        arrays = [p for p in parts if isinstance(p, ArrayLit)]
        if arrays:
            items: list[Field] = [w.value for p in arrays for w in p.words]
            if len(parts) != 1 or None in items or any(w.has_glob for p in arrays for w in p.words):
                self.opaque = True
            self.arrays.setdefault(name, []).append(items)
            return
        self.assigned.setdefault(name, []).append(Word(word.start, word.end, word.raw, parts))

    def parts(self, parts: Sequence[object]) -> None:
        """Arithmetic may assign (the walk lists the substitutions' commands itself)."""
        for part in parts:
            if isinstance(part, Param):
                self.parts(part.arg or [])
            elif isinstance(part, ArrayLit):
                for word in part.words:
                    self.parts(word.parts)
            elif not isinstance(part, (Lit, Sub)):
                self.opaque = True


def _end(cmd: SimpleCommand) -> int:
    return max([cmd.end] + [w.end for w in cmd.words] + [r.end for r in cmd.redirects])


def _assigning_text(source: str) -> bool:
    """Text that shows an assignment no simple command holds: ``${x:=v}``/``${x=v}`` (in a case
    word, a [[ ]] test, a here-document...), arithmetic, a coprocess, IFS, BASH_ENV."""
    if any(t in source for t in (":=", "((", "$[", "IFS", "BASH_ENV", "coproc")):
        return True
    for piece in source.split("${")[1:]:
        name = piece.lstrip("#!")
        end = 0
        while end < len(name) and (name[end].isalnum() or name[end] == "_"):
            end += 1
        if name[end : end + 1] == "=":
            return True
    return False


def _loop_names(source: str) -> list[str]:
    """The NAME of each ``for NAME`` / ``select NAME`` in the text (strings included: it errs toward
    more)."""
    words = "".join(c if c.isalnum() or c == "_" else " " for c in source).split()
    return [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("for", "select")]


def _certain(script: Script) -> dict[str, int]:
    """Names given a value by a top-level command that always runs (first in its and-or list, not
    in the background, not a pipeline), with where that command ends."""
    out: dict[str, int] = {}
    body = script.body
    for i, item in enumerate(body.items):
        background = i < len(body.seps) and body.seps[i] == "&"
        first = item.pipelines[0].commands
        cmd = first[0] if len(first) == 1 else None
        if background or not isinstance(cmd, SimpleCommand):
            continue
        program = cmd.words[0].value if cmd.words else None
        words = cmd.assignments if not cmd.words else cmd.words[1:] if program in ("export", "readonly") else []
        for word in words:
            lit = word.parts[0] if word.parts else None
            if isinstance(lit, Lit) and "=" in lit.text:
                out.setdefault(lit.text.split("=", 1)[0], cmd.end)
    return out
