"""The nodes of a parsed command, in one module: a word's parts (``Lit``, ``Param``, ``Sub``,
``Arith``, ``ArrayLit``) and ``Word``, which the lexer builds, and the tree the parser builds
from them (``SimpleCommand``, ``Pipeline``, ``AndOr``, ``CommandList``, ``Script``, the compound
commands, ``Redirect``, ``HereDoc``). A word holds scripts (``$(...)``) and a script holds words,
so they live together; the lexer and the parser import them and never each other's types.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same

if TYPE_CHECKING:
    from typing import TypeAlias

    Part: TypeAlias = "Lit | Param | Sub | Arith | ArrayLit"
    Node: TypeAlias = (
        "SimpleCommand | Pipeline | AndOr | CommandList | Subshell | Group | If"
        " | Loop | For | Case | FunctionDef | ArithCommand | CondCommand | Coproc"
    )


class Lit:
    """Literal text after quote removal; ``quoted`` when it came from quotes or a backslash."""

    __slots__ = ("quoted", "text")

    def __init__(self, text: str, quoted: bool) -> None:
        self.text = text
        self.quoted = quoted

    def __repr__(self) -> str:
        return f"Lit({self.text!r}{', q' if self.quoted else ''})"


class Param:
    """``$name`` / ``${name<op><arg>}``. ``op`` is '' for a plain expansion, 'len' for ``${#x}``,
    '!' prefixed for indirection; ``arg`` holds the parts of the word after the operator."""

    __slots__ = ("arg", "name", "op", "quoted")

    def __init__(self, name: str, op: str, arg: list[Part] | None, quoted: bool) -> None:
        self.name = name
        self.op = op
        self.arg = arg
        self.quoted = quoted

    def __repr__(self) -> str:
        return f"Param({self.name!r}, {self.op!r}, {self.arg!r})"


class Sub:
    """A command substitution (``$(`` or backtick) or a process substitution (``<(`` ``>(``)."""

    __slots__ = ("end", "kind", "quoted", "script", "start")

    def __init__(self, kind: str, script: Script, start: int, end: int, quoted: bool) -> None:
        self.kind = kind
        self.script = script
        self.start = start
        self.end = end
        self.quoted = quoted

    def __repr__(self) -> str:
        return f"Sub({self.kind!r}, {self.script!r})"


class Arith:
    """``$(( ... ))``: the expression's parts (substitutions inside it run)."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[Part]) -> None:
        self.parts = parts

    def __repr__(self) -> str:
        return f"Arith({self.parts!r})"


class ArrayLit:
    """The ``(a b c)`` of an array assignment ``x=(a b c)``."""

    __slots__ = ("words",)

    def __init__(self, words: list[Word]) -> None:
        self.words = words

    def __repr__(self) -> str:
        return f"ArrayLit({self.words!r})"


class Word:
    """A shell word: its span in the source, its raw text and its parts.

    ``value`` is the text after quote removal, or None when an expansion makes it unknown
    statically; ``has_expansion`` and ``has_glob`` tell why it may differ at run time.
    """

    __slots__ = ("end", "parts", "raw", "start")

    def __init__(self, start: int, end: int, raw: str, parts: list[Part]) -> None:
        self.start = start
        self.end = end
        self.raw = raw
        self.parts = parts

    def __repr__(self) -> str:
        return f"Word({self.raw!r})"

    @property
    def value(self) -> str | None:
        out = []
        for part in self.parts:
            if not isinstance(part, Lit):
                return None
            out.append(part.text)
        return "".join(out)

    @property
    def has_expansion(self) -> bool:
        return any(not isinstance(p, Lit) for p in self.parts)

    @property
    def has_glob(self) -> bool:
        return any(isinstance(p, Lit) and not p.quoted and _has_glob(p.text) for p in self.parts)

    @property
    def quoted(self) -> bool:
        """True when any piece was quoted (so ``<<'EOF'`` bodies are plain text)."""
        return any(isinstance(p, Lit) and p.quoted for p in self.parts) or "\\" in self.raw

    def subs(self) -> list[Sub]:
        """Command and process substitutions anywhere inside the word (they run)."""
        found: list[Sub] = []
        _collect_subs(self.parts, found)
        return found


def _has_glob(text: str) -> bool:
    return "*" in text or "?" in text or "[" in text


def _collect_subs(parts: list[Part], found: list[Sub]) -> None:
    for part in parts:
        if isinstance(part, Sub):
            found.append(part)
        elif isinstance(part, Param) and part.arg:
            _collect_subs(part.arg, found)
        elif isinstance(part, Arith):
            _collect_subs(part.parts, found)
        elif isinstance(part, ArrayLit):
            for word in part.words:
                _collect_subs(word.parts, found)


class HereDoc:
    __slots__ = ("body", "delimiter", "quoted", "strip_tabs")

    def __init__(self, delimiter: str, quoted: bool, strip_tabs: bool) -> None:
        self.delimiter = delimiter
        self.quoted = quoted  # a quoted delimiter: the body is plain text
        self.strip_tabs = strip_tabs
        self.body: Word = Word(0, 0, "", [])


class Redirect:
    __slots__ = ("end", "fd", "heredoc", "op", "start", "target")

    def __init__(
        self, op: str, target: Word, fd: str | None, start: int, end: int, heredoc: HereDoc | None = None
    ) -> None:
        self.op = op
        self.target = target  # for here-documents: the delimiter word
        self.fd = fd
        self.start = start
        self.end = end
        self.heredoc = heredoc

    def __repr__(self) -> str:
        return f"Redirect({self.fd or ''}{self.op} {self.target.raw})"


class SimpleCommand:
    __slots__ = ("assignments", "end", "index", "pipeline", "redirects", "start", "words")

    def __init__(self, start: int) -> None:
        self.assignments: list[Word] = []
        self.words: list[Word] = []
        self.redirects: list[Redirect] = []
        self.start = start
        self.end = start
        self.pipeline: Pipeline | None = None
        self.index = 0

    def __repr__(self) -> str:
        return f"SimpleCommand({[w.raw for w in self.assignments + self.words]})"


class Pipeline:
    __slots__ = ("commands", "end", "negated", "ops", "start", "timed")

    def __init__(self, commands: list[Node], ops: list[str], negated: bool, timed: bool, start: int, end: int) -> None:
        self.commands = commands
        self.ops = ops
        self.negated = negated
        self.timed = timed
        self.start = start
        self.end = end


class AndOr:
    __slots__ = ("ops", "pipelines")

    def __init__(self, pipelines: list[Pipeline], ops: list[str]) -> None:
        self.pipelines = pipelines
        self.ops = ops


class CommandList:
    __slots__ = ("items", "seps")

    def __init__(self, items: list[AndOr], seps: list[str]) -> None:
        self.items = items
        self.seps = seps


class Script:
    """A whole parsed source: ``body`` and the ``source`` text the offsets refer to."""

    __slots__ = ("body", "source")

    def __init__(self, body: CommandList, source: str) -> None:
        self.body = body
        self.source = source

    def __repr__(self) -> str:
        return f"Script({self.source!r})"


class Compound:
    """A compound command: the redirections written after it apply to all of it."""

    __slots__ = ("redirects",)

    def __init__(self) -> None:
        self.redirects: list[Redirect] = []


class Subshell(Compound):
    __slots__ = ("body",)

    def __init__(self, body: CommandList) -> None:
        super().__init__()
        self.body = body


class Group(Subshell):
    __slots__ = ()


class If(Compound):
    __slots__ = ("clauses", "else_body")

    def __init__(self, clauses: list[tuple[CommandList, CommandList]], else_body: CommandList | None) -> None:
        super().__init__()
        self.clauses = clauses
        self.else_body = else_body


class Loop(Compound):
    """while / until."""

    __slots__ = ("body", "cond", "kind")

    def __init__(self, kind: str, cond: CommandList, body: CommandList) -> None:
        super().__init__()
        self.kind = kind
        self.cond = cond
        self.body = body


class For(Compound):
    """for / select; ``words`` None means "$@"; ``arith`` holds the (( )) header of a C-style for."""

    __slots__ = ("arith", "body", "select", "var", "words")

    def __init__(
        self, var: str, words: list[Word] | None, body: CommandList, arith: Word | None = None, select: bool = False
    ) -> None:
        super().__init__()
        self.var = var
        self.words = words
        self.body = body
        self.arith = arith
        self.select = select  # select: the body runs for each line read, none at end of input


class Case(Compound):
    __slots__ = ("ends", "items", "word")

    def __init__(self, word: Word, items: list[tuple[list[Word], CommandList]], ends: list[str] | None = None) -> None:
        super().__init__()
        self.word = word
        self.items = items
        self.ends = ends or [";;"] * len(items)  # each item's terminator: ;; ;& ;;&


class FunctionDef:
    __slots__ = ("body", "name")

    def __init__(self, name: str, body: Node) -> None:
        self.name = name
        self.body = body


class ArithCommand(Compound):
    __slots__ = ("expr",)

    def __init__(self, expr: Word) -> None:
        super().__init__()
        self.expr = expr


class CondCommand(Compound):
    __slots__ = ("words",)

    def __init__(self, words: list[Word]) -> None:
        super().__init__()
        self.words = words


class Coproc:
    __slots__ = ("body", "name")

    def __init__(self, name: str, body: Node) -> None:
        self.name = name
        self.body = body
