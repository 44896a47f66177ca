"""Where bash evaluates a value again, and so runs the command substitutions written in it.

A value such as ``x[$(git push)]`` is only text until bash reads it as an arithmetic expression:
``(( v ))``, ``$((v))``, ``let``, ``[[ $v -eq 0 ]]``, an indexed array's subscript, a
``${s:v}`` offset, a variable declared ``-i``, the name given to ``printf -v`` / ``test -v``, an
indirection ``${!v}`` or a nameref; every variable named in the expression is evaluated in turn.
``${p@P}`` expands it as a prompt (unless ``shopt -u promptvars``). Printing it, comparing it as a
string, ``test "$v" -eq 0`` and ``printf %d`` never evaluate it (checked with bash 5.2). Where such a
value may reach code that is not followed (a program given it as an argument or in its
environment, an export), its substitutions are taken as run (fail closed).
"""

from __future__ import annotations

from integration_engineer.bash.commands import NAME_TAKING, Header, arithmetic_words, compound_words
from integration_engineer.bash.expand import Argv, value_of
from integration_engineer.bash.lexer import Arith, Lit, Param, Sub, Word
from integration_engineer.bash.parser import ArithCommand, CondCommand, ShellSyntaxError, SimpleCommand, parse
from integration_engineer.bash.triggers import git_like
from integration_engineer.git_guard.scripts import Scripts

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same
if TYPE_CHECKING:
    from integration_engineer.bash.nodes import Part

# Programs known to use their arguments and input as data only: an evaluable value given to them is
# never evaluated (printf and test: except the name after -v).
DATA_ONLY = frozenset({"echo", "printf", "test", "[", ":", "true", "false", "cat"})
_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_NAME_CHARS = _NAME_START | frozenset("0123456789")


def evaluable(value: str | None) -> bool:
    """Text that runs a command when bash expands it again."""
    return value is not None and ("$(" in value or "`" in value or "<(" in value or ">(" in value)


def names_in(text: str) -> list[str]:
    """The variable names an arithmetic expression refers to (``a[i] + $n`` -> a, i, n)."""
    found: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] in _NAME_START and (i == 0 or text[i - 1] not in _NAME_CHARS):
            j = i
            while j < n and text[j] in _NAME_CHARS:
                j += 1
            found.append(text[i:j])
            i = j
            continue
        i += 1
    return list(dict.fromkeys(found))


class Evaluation(Scripts):
    """The places a value is evaluated again, followed with what the command assigned."""

    def evaluate(self, value: str | None, route: tuple[str, ...], seen: set[str] | None = None) -> None:
        """``value`` read as an arithmetic expression: its substitutions run, and each variable it
        names is evaluated in turn, however long the chain (``(( v ))`` with v='w', w='x[$(...)]';
        bash follows names until its recursion limit). A value not known may name any variable."""
        if value is None:
            self._any_evaluable(route)
            return
        if evaluable(value):
            self._evaluated_source(value, (*route, "evaluated again (arithmetic)"))
        seen = set() if seen is None else seen
        for name in names_in(value):
            if name in seen:
                continue  # a cycle: bash stops with an error; its values are followed once
            seen.add(name)
            for inner in self._all_values(name):
                self.evaluate(inner, route, seen)

    def _any_evaluable(self, route: tuple[str, ...]) -> None:
        """An expression whose text is not known: it may name any variable holding evaluable text."""
        env = self.env
        for name, values in [*env.vars.items(), *env.arrays.items()]:
            for value in values:
                if evaluable(value):
                    self._evaluated_source(value or "", (*route, f"an unknown expression may name {name}"))

    def _evaluated_source(self, value: str, route: tuple[str, ...]) -> None:
        """The substitutions of a value bash evaluates; one that does not parse may still run the
        substitutions before the error (``x[$(...)]+$(``): refused when git may be in it."""
        text = expanded(value)
        try:
            parse(text)
        except ShellSyntaxError:
            if git_like(value) or self._mentions_verb(value):
                self.flag("unparsable", None, route, "an evaluated value that does not parse may run git")
            return
        self.source(text, route)

    def _assoc(self, name: str) -> bool:
        """An associative array for sure (declared -A where it surely ran): its subscripts are
        strings; any other array's are evaluated."""
        return name in self.env.assoc and name not in self.maybe_assoc

    def _all_values(self, name: str) -> list[str | None]:
        env = self.env
        values = list(env.lookup(name) or [])
        values += env.arrays.get(env.deref(name), [])
        return values

    def evaluate_parts(self, parts: list[Part], route: tuple[str, ...]) -> None:
        """An arithmetic expression as written: its literal text and the values of its expansions."""
        for part in parts:
            if isinstance(part, Lit):
                self.evaluate(part.text, route)
            elif isinstance(part, Param):
                self.param_contexts([part], route)
                for value in value_of(Word(0, 0, "", [part]), self.env):
                    if value is None:
                        self._taint_of([part], route)
                        self.evaluate(None, route)  # its text may name any variable
                    else:
                        self.evaluate(value, route)
            elif isinstance(part, Arith):
                self.evaluate_parts(part.parts, route)
            elif isinstance(part, Sub) and part.kind in ("$(", "`"):  # its output is evaluated
                for value in value_of(Word(0, 0, "", [part]), self.env):
                    self.evaluate(value, route)  # None (output not known): any variable may be named

    def param_contexts(self, parts: list[Part], route: tuple[str, ...]) -> None:
        """The arithmetic and prompt expansions inside a word: ``$((...))``, an indexed array's
        subscript, ``${s:OFFSET:LENGTH}``, ``${!name}``, ``${p@P}``."""
        for part in parts:
            if isinstance(part, Arith):
                self.evaluate_parts(part.parts, route)
            if not isinstance(part, Param):
                continue
            base, _, subscript = part.name.partition("[")
            if subscript and subscript not in ("@]", "*]") and not self._assoc(base):
                self.evaluate(subscript[:-1], (*route, f"subscript of {base}"))
            if part.op == ":" and part.arg:
                self.evaluate_parts(part.arg, (*route, "substring offset"))
            elif part.op == "!":
                for value in self._all_values(part.name):
                    self.evaluate(_subscript(value), (*route, f"${{!{part.name}}}"))
            elif part.op == "@" and _letter(part) == "P" and not self.promptvars_off:
                self._prompt_expansion(part.name, route)
            if part.arg:
                self.param_contexts(part.arg, route)

    def _prompt_expansion(self, name: str, route: tuple[str, ...]) -> None:
        """``${p@P}`` with promptvars on: the substitutions in p's value run."""
        here = (*route, f"${{{name}@P}} prompt expansion")
        for value in self._all_values(name) or [None]:
            if value is None and git_like(self.root_text):
                self.flag("unresolved", None, here, "a value expanded as a prompt is not known statically")
            elif value is not None and ("$" in value or "`" in value):
                self._quiet_source(expanded(value), here)

    def _taint_of(self, parts: list[Part], route: tuple[str, ...]) -> None:
        """An expansion whose value is not known here, of variables holding evaluable text: that
        text may be what is evaluated (fail closed)."""
        for part in parts:
            if not isinstance(part, Param):
                continue
            for value in self._all_values(part.name.partition("[")[0]):
                if evaluable(value):
                    self._quiet_source(expanded(value or ""), (*route, f"${part.name} may be evaluated"))
            if part.arg:
                self._taint_of(part.arg, route)

    def evaluate_header(self, item: Header, route: tuple[str, ...]) -> None:
        """A compound command's words, where bash meets them: ``(( ))``, ``for (( ))``, ``[[ ]]``,
        a for loop's or a case's words, the redirections after a compound."""
        node = item.node
        if item.redirects:
            for redirect in node.redirects:
                body = redirect.heredoc.body if redirect.heredoc is not None and not redirect.heredoc.quoted else None
                self.param_contexts((body or redirect.target).parts, route)
            return
        if isinstance(node, ArithCommand):
            self.evaluate_parts(node.expr.parts, (*route, "(( ))"))
            return
        for word in compound_words(node):
            self.param_contexts(word.parts, route)
        if isinstance(node, CondCommand):
            for word in arithmetic_words("[[", node.words):
                self.evaluate_parts(word.parts, (*route, "[[ ]] arithmetic"))

    def command_contexts(self, cmd: SimpleCommand, route: tuple[str, ...]) -> None:
        """The expansions of a simple command's words, redirections and here-documents."""
        for word in cmd.assignments + cmd.words:
            self.param_contexts(word.parts, route)
        for word in cmd.assignments + cmd.words[:1]:
            self._element(word, route)
        for redirect in cmd.redirects:
            body = redirect.heredoc.body if redirect.heredoc is not None and not redirect.heredoc.quoted else None
            self.param_contexts((body or redirect.target).parts, route)

    def _element(self, word: Word, route: tuple[str, ...]) -> None:
        """``a[KEY]=VALUE`` (bash's assignment, however it is spelled): KEY is evaluated unless ``a``
        is an associative array."""
        first = word.parts[0] if word.parts else None
        if not isinstance(first, Lit) or "[" not in first.text:
            return
        base = first.text.split("[", 1)[0]
        if not base.isidentifier() or self._assoc(base):
            return
        for value in value_of(word, self.env):
            if value is None:
                self._taint_of(word.parts, route)
            elif "]=" in value:
                self.evaluate(value.split("[", 1)[1].rsplit("]=", 1)[0], (*route, f"{base}[...]="))

    def array_keys(self, name: str, items: list[Word], route: tuple[str, ...]) -> None:
        """``name=([KEY]=VALUE ...)``: each KEY is evaluated unless name is an associative array."""
        if self._assoc(name):
            return
        for item in items:
            for value in value_of(item, self.env):
                if value is None:
                    self._taint_of(item.parts, route)
                elif value.startswith("[") and "]=" in value:
                    self.evaluate(value[1:].rsplit("]=", 1)[0], (*route, f"{name}=([...]=...)"))

    def named(self, base: str, argv: Argv, route: tuple[str, ...]) -> None:
        """Builtins evaluating what they are given: every argument of ``let``, the name after ``-v``
        of printf / test / [, the subscripts of the names given to declare, read, unset..."""
        if base not in NAME_TAKING:
            return
        args = argv[1:]
        if base == "let":
            for arg in args:
                self.evaluate(arg, (*route, "let"))
            return
        if base in ("printf", "test", "["):
            for i, arg in enumerate(args[:-1]):
                if arg == "-v":
                    self.evaluate(_subscript(args[i + 1]), (*route, f"{base} -v"))
            return
        if base in ("declare", "typeset", "local") and any(a is not None and a[:1] == "-" and "n" in a for a in args):
            for arg in args:  # declare -n r=VALUE: VALUE names a variable, its subscript evaluated when used
                self.evaluate(_subscript((arg or "").partition("=")[2]), (*route, f"{base} -n"))
        for arg in args:
            name = (arg or "").split("=", 1)[0]
            if "[" in name and name.split("[", 1)[0].isidentifier() and not self._assoc(name.split("[", 1)[0]):
                self.evaluate(_subscript(name), (*route, f"{base} {name}"))

    def handed_on(self, cmd: SimpleCommand, base: str, route: tuple[str, ...]) -> None:
        """A program that is not followed, given an evaluable value (as an argument, its input or in
        its environment): it may evaluate it (``bash -c '(( $1 ))'`` inside a script), so its
        substitutions are taken as run."""
        if base in DATA_ONLY:
            return
        words = [w for w in cmd.assignments + cmd.words[1:] if w.has_expansion]
        words += [r.heredoc.body for r in cmd.redirects if r.heredoc is not None and not r.heredoc.quoted]
        words += [r.target for r in cmd.redirects if r.op == "<<<" and r.target.has_expansion]
        for word in words:
            for value in value_of(word, self.env):
                if evaluable(value):
                    self._quiet_source(expanded(value or ""), (*route, f"{base} is given text it may evaluate"))
                elif value is None:
                    self._taint_of(word.parts, (*route, f"{base} is given text it may evaluate"))

    def export_values(self, names: list[str], route: tuple[str, ...]) -> None:
        """Variables put in the environment of every later program: one holding evaluable text may
        be evaluated by any of them."""
        for name in names:
            for value in self._all_values(name):
                if evaluable(value):
                    self._quiet_source(expanded(value or ""), (*route, f"{name} exported"))


def _letter(part: Param) -> str:
    return "".join(p.text for p in part.arg or [] if isinstance(p, Lit))


def _subscript(value: str | None) -> str | None:
    """The subscript of a name such as ``a[i]`` ("" when it has none; None when the name itself
    is not known, so may have any)."""
    if value is None:
        return None
    if "[" not in value:
        return ""
    inner = value.split("[", 1)[1]
    return inner[:-1] if inner.endswith("]") else inner


def expanded(value: str) -> str:
    """A text whose analysis runs what expanding ``value`` runs, and only that: its substitutions
    (as prompt expansion and arithmetic do), not the value as a command (``${p@P}`` only prints)."""
    end = "IE_EXPANDED"
    while end in value:
        end += "_"
    return f": <<{end}\n{value}\n{end}\n"
